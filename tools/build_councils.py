"""Build src/ofsted_csc/data/councils.json from the shared reference files.

Run from the repository root (needs ../shared beside it, or pass --shared):

    python tools/build_councils.py            # writes src/ofsted_csc/data/councils.json
    python tools/build_councils.py --check    # fails if the committed JSON is out of date

Inputs:
- ../shared/reference/la_lookup.csv: one row per council (URN, DfE and GSS codes, ONS names,
  regions, statistical neighbours). It lacks Bournemouth (837) and the old Dorset County
  Council (835), both abolished on 1 April 2019.
- ../shared/official/*.ods (Ofsted's official statistics): the Ofsted provider-page links in
  column A give each council's Ofsted URN (``.../provider/44/<URN>``; some rows link by
  LA code or by a name slug instead), including the councils that no longer exist; the
  "LA region" column gives Ofsted's region. Read with the standard library (zip + XML).

The package never reads ../shared at run time: the JSON is committed and shipped.
Only the standard library is used, so this runs in any Python 3.11+.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
OUTPUT = ROOT / "src" / "ofsted_csc" / "data" / "councils.json"

SCHEMA_VERSION = 1

# --- reference facts (domain.md section 1) -------------------------------------------------

# The nine ONS regions (English regions), canonical spelling.
ONS_REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
ONS_REGION_CODES = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
NEYH = "North East, Yorkshire and the Humber"
OFSTED_REGIONS = (
    "East Midlands",
    "East of England",
    "London",
    NEYH,
    "North West",
    "South East",
    "South West",
    "West Midlands",
)

LA_TYPE_BY_GSS_PREFIX = {
    "E06": "Unitary Authority",
    "E08": "Metropolitan District",
    "E09": "London Borough",
    "E10": "County",
}

# Councils abolished in a reorganisation, keyed by LA code: (date abolished, successor LA codes).
# Order matters: it is the order of each successor's predecessors.
ABOLISHED = {
    "837": ("2019-04-01", ("839",)),  # Bournemouth -> BCP
    "836": ("2019-04-01", ("839",)),  # Poole -> BCP
    "835": ("2019-04-01", ("838", "839")),  # Dorset County Council -> Dorset, BCP (Christchurch)
    "928": ("2021-04-01", ("940", "941")),  # Northamptonshire -> North, West Northamptonshire
    "909": ("2023-04-01", ("942", "943")),  # Cumbria -> Cumberland, Westmorland and Furness
}

# Councils the lookup lacks. URNs are filled from the official ODS (a build error if absent).
MISSING_FROM_LOOKUP = (
    {
        "la_code": "837",
        "gss_code": "E06000028",
        "ons_name": "Bournemouth",
        "ods_name": "Bournemouth",
        "region": "South West",
    },
    {
        "la_code": "835",
        "gss_code": "E10000009",
        "ons_name": "Dorset",
        "ods_name": "Dorset",
        "region": "South West",
    },
)

# Display names where the ONS form is awkward ("Bristol, City of").
DISPLAY_NAMES = {
    "801": "Bristol",
    "810": "Kingston upon Hull",
    "822": "Bedford",
    "342": "St Helens",
}

# GSS codes a continuing council had before a recode (same council, same Ofsted URN).
FORMER_GSS_CODES = {
    "825": ("E10000002",),  # Buckinghamshire county -> unitary, 1 April 2020
    "815": ("E10000023",),  # North Yorkshire county -> unitary, 1 April 2023
    "933": ("E10000027",),  # Somerset county -> unitary, 1 April 2023
    "390": ("E08000020",),  # Gateshead, boundary change 2013
    "929": ("E06000048",),  # Northumberland, boundary change 2013
    "370": ("E08000016",),  # Barnsley, recoded
    "373": ("E08000019",),  # Sheffield, recoded
}

# Trusts and companies that run (or ran) a council's children's services.
TRUSTS = {
    "371": ("Doncaster Children's Services Trust",),
    "871": ("Slough Children First", "Slough Children's Services Trust"),
    "394": ("Together for Children",),
    "330": ("Birmingham Children's Trust",),
    "333": ("Sandwell Children's Trust",),
    "870": ("Brighter Futures for Children",),
    "314": ("Achieving for Children",),
    "318": ("Achieving for Children",),
    "868": ("Achieving for Children",),
    "928": ("Northamptonshire Children's Trust",),
    "940": ("Northamptonshire Children's Trust",),
    "941": ("Northamptonshire Children's Trust",),
    "380": ("Bradford Children and Families Trust",),
    "885": ("Worcestershire Children First",),
}

# Names reports and letters use, beyond what the matcher derives by stripping council-type words
# ("Council", "City", "London Borough of", ...).
EXTRA_ALT_NAMES = {
    "801": ("City of Bristol", "Bristol City Council", "Bristol, City of"),
    "810": (
        "Hull",
        "Hull City Council",
        "Kingston upon Hull City Council",
        "City of Kingston upon Hull",
        "Kingston-upon-Hull",
    ),
    "839": ("BCP", "BCP Council", "Bournemouth, Christchurch & Poole"),
    "868": ("Royal Borough of Windsor and Maidenhead", "RBWM", "Windsor & Maidenhead"),
    "207": ("Royal Borough of Kensington and Chelsea", "RBKC", "Kensington & Chelsea"),
    "203": ("Royal Borough of Greenwich",),
    "314": ("Royal Borough of Kingston upon Thames",),
    "213": ("City of Westminster", "Westminster City Council"),
    "201": ("City of London Corporation", "Corporation of London"),
    "840": ("County Durham", "Durham County Council"),
    "342": ("St. Helens", "Saint Helens"),
    "894": ("Telford & Wrekin",),
    "205": ("Hammersmith & Fulham", "LBHF"),
    "882": ("Southend", "Southend on Sea"),
    "800": ("Bath & North East Somerset", "B&NES", "BANES"),
    "846": ("Brighton & Hove",),
    "807": ("Redcar & Cleveland", "Borough of Redcar and Cleveland"),
    "811": ("East Riding", "East Riding of Yorkshire Council"),
    "884": ("County of Herefordshire",),
    "420": ("Council of the Isles of Scilly", "Scilly"),
    "336": ("City of Wolverhampton",),
    "816": ("City of York",),
    "822": ("Bedford Borough",),
    "380": ("City of Bradford",),
    "391": ("Newcastle", "Newcastle City Council"),
    "943": ("Westmorland & Furness",),
    "940": ("North Northants",),
    "941": ("West Northants",),
    "836": ("Borough of Poole",),
    "835": ("Dorset County Council",),
    "838": ("Dorset Council",),
    "896": ("Cheshire West & Chester",),
    "889": ("Blackburn with Darwen Borough Council",),
    "372": ("Rotherham MBC",),
    "212": ("Wandsworth Borough Council",),
}

# City councils among the metropolitan districts (the others are metropolitan borough councils).
METROPOLITAN_CITIES = {
    "330",  # Birmingham
    "380",  # Bradford
    "331",  # Coventry
    "371",  # Doncaster (city from 2022)
    "383",  # Leeds
    "341",  # Liverpool
    "352",  # Manchester
    "391",  # Newcastle upon Tyne
    "355",  # Salford
    "373",  # Sheffield
    "394",  # Sunderland
    "384",  # Wakefield
    "336",  # Wolverhampton
}
ROYAL_OR_CITY_LONDON = {"201", "203", "207", "213", "314"}


# --- reading the inputs --------------------------------------------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _cell_text(cell: ET.Element) -> str:
    paragraphs = []
    for para in cell.iter(_TEXT + "p"):
        paragraphs.append("".join(para.itertext()))
    return "\n".join(paragraphs).strip()


def ods_rows(path: Path) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Yield (sheet name, [(cell text, cell formula)]) for every row of an ODS file."""
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        sheet = ""
        for event, element in ET.iterparse(content, events=("start", "end")):
            if event == "start" and element.tag == _TABLE + "table":
                sheet = element.get(_TABLE + "name") or ""
            elif event == "end" and element.tag == _TABLE + "table-row":
                cells: list[tuple[str, str]] = []
                for cell in element:
                    if cell.tag not in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                        continue
                    repeat = min(int(cell.get(_TABLE + "number-columns-repeated") or 1), 64)
                    cells.extend([(_cell_text(cell), cell.get(_TABLE + "formula") or "")] * repeat)
                while cells and cells[-1] == ("", ""):
                    cells.pop()
                if cells:
                    yield sheet, cells
                element.clear()


@dataclass
class OdsCouncil:
    """What the official files say about one council, by Ofsted's name for it."""

    name: str
    abolished: bool  # listed in a table of councils that existed before a restructure
    urns: set[str] = field(default_factory=set)
    la_codes: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)


_PROVIDER = re.compile(r"provider/44/(\d+)")
_LA_LINK = re.compile(
    r"HYPERLINK\(\"https?://reports\.ofsted\.gov\.uk/(provider/44/|local-authorities/)"
)
_ABOLISHED_TITLE = re.compile(r"existed before the restructure", re.I)


def read_official(official_dir: Path) -> dict[tuple[str, bool], OdsCouncil]:
    """Ofsted's provider links and regions per (council name, abolished?) from every ODS."""
    found: dict[tuple[str, bool], OdsCouncil] = {}
    for path in sorted(official_dir.glob("*.ods")):
        current_sheet = ""
        abolished = False
        for sheet, cells in ods_rows(path):
            if sheet != current_sheet:
                current_sheet, abolished = sheet, False
            if len(cells) == 1 and _ABOLISHED_TITLE.search(cells[0][0]):
                abolished = True  # a table title row
                continue
            formula = cells[0][1]
            if not _LA_LINK.search(formula) or len(cells) < 3:
                continue  # not a local authority row (provider sheets link elsewhere)
            name = cells[1][0].strip()
            if not name:
                continue
            entry = found.setdefault((_key(name), abolished), OdsCouncil(name, abolished))
            match = _PROVIDER.search(formula)
            if match:
                number = match.group(1)
                (entry.la_codes if len(number) == 3 else entry.urns).add(number)
            region = cells[2][0].strip()
            if region:
                entry.regions.add(region)
    return found


def _key(name: str) -> str:
    text = name.lower().replace("&", " and ").replace(".", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\bcity of\b", "", text)
    return " ".join(text.split())


def _split_list(value: str) -> list[str]:
    """Split "a, b, c" (statistical neighbours, also_known_as) into its items."""
    value = value.strip().strip("[]")
    return [part.strip() for part in value.split(",") if part.strip()]


def _split_names(value: str) -> list[str]:
    """Split the lookup's also_known_as list, whose names may hold commas themselves:
    "[BCP, Bournemouth, Christchurch & Poole]" is two names, not three."""
    names: list[str] = []
    for part in _split_list(value):
        joins_previous = "&" in part or " and " in part or part.lower() == "city of"
        if names and joins_previous:
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def _ons_region(row: dict[str, str], warnings: list[str]) -> str:
    name = row["region_name"].strip()
    canonical = {region.lower(): region for region in ONS_REGIONS}.get(name.lower())
    if canonical is None:
        raise SystemExit(f"{row['local_authority_ons_name']}: unknown region {name!r}")
    code_region = ONS_REGION_CODES.get(row.get("rgn22cd", "").strip())
    if code_region is not None and code_region != canonical:
        warnings.append(
            f"lookup: {row['local_authority_ons_name']} has rgn22cd {row['rgn22cd']} "
            f"({code_region}) but region {name}: kept {canonical}"
        )
    if row.get("region_code", "").strip() in ("", "NotKnown"):
        warnings.append(
            f"lookup: {row['local_authority_ons_name']} has region_code "
            f"{row.get('region_code', '')!r}: region taken from region_name ({canonical})"
        )
    return canonical


def ofsted_region_for(ons_region: str) -> str:
    return NEYH if ons_region in ("North East", "Yorkshire and The Humber") else ons_region


def _generated_alt_names(la_code: str, gss: str, name: str) -> list[str]:
    """Formal council names reports use, from the kind of council."""
    prefix = gss[:3]
    if prefix == "E09" and la_code not in ROYAL_OR_CITY_LONDON:
        return [f"London Borough of {name}"]
    if prefix == "E08":
        if la_code in METROPOLITAN_CITIES:
            return [f"{name} City Council"]
        return [f"{name} Metropolitan Borough Council"]
    if prefix == "E10":
        return [f"{name} County Council"]
    return []


def build(shared: Path) -> tuple[dict[str, object], list[str]]:
    warnings: list[str] = []
    lookup_path = shared / "reference" / "la_lookup.csv"
    with lookup_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    official = read_official(shared / "official")
    if not official:
        raise SystemExit(f"no Ofsted statistics (*.ods) found under {shared / 'official'}")

    records: dict[str, dict[str, object]] = {}
    for row in rows:
        la_code = row["la_code"].strip()
        gss = row["la_code_new"].strip()
        ons_name = row["local_authority_ons_name"].strip()
        ons_region = _ons_region(row, warnings)
        lookup_type = row.get("ons_la_type", "").strip()
        la_type = LA_TYPE_BY_GSS_PREFIX[gss[:3]]
        if lookup_type and lookup_type != la_type:
            warnings.append(
                f"lookup: {ons_name} ({gss}) has ons_la_type {lookup_type!r}: "
                f"{la_type!r} from its GSS code"
            )
        neighbours = _split_list(row["stat_neighbours"])
        if not neighbours and row.get("stat_neighbours_previous", "").strip():
            neighbours = _split_list(row["stat_neighbours_previous"])
            warnings.append(f"lookup: {ons_name} has no stat_neighbours: used the previous list")
        records[la_code] = {
            "urn": row["urn"].strip(),
            "alt_urns": [],
            "la_code": la_code,
            "gss_code": gss,
            "former_gss_codes": list(FORMER_GSS_CODES.get(la_code, ())),
            "name": DISPLAY_NAMES.get(la_code, ons_name),
            "ons_name": ons_name,
            "alt_names": _split_names(row["also_known_as"]),
            "ons_region": ons_region,
            "la_type": la_type,
            "stat_neighbours": neighbours,
        }
    for extra in MISSING_FROM_LOOKUP:
        la_code = extra["la_code"]
        if la_code in records:
            raise SystemExit(
                f"la_lookup.csv now has LA {la_code}: remove it from MISSING_FROM_LOOKUP"
            )
        entry = official.get((_key(extra["ods_name"]), True))
        urns = sorted(entry.urns) if entry else []
        if len(urns) != 1:
            raise SystemExit(f"no single Ofsted URN for abolished {extra['ons_name']} in the ODS")
        records[la_code] = {
            "urn": urns[0],
            "alt_urns": [],
            "la_code": la_code,
            "gss_code": extra["gss_code"],
            "former_gss_codes": [],
            "name": extra["ons_name"],
            "ons_name": extra["ons_name"],
            "alt_names": [],
            "ons_region": extra["region"],
            "la_type": LA_TYPE_BY_GSS_PREFIX[extra["gss_code"][:3]],
            "stat_neighbours": [],
        }
        warnings.append(
            f"added {extra['ons_name']} (LA {la_code}), missing from the lookup: "
            f"URN {urns[0]} from Ofsted's statistics"
        )

    # Cross-check against Ofsted's statistics. For councils that no longer exist the official
    # provider links win over the lookup (whose URNs for them are not Ofsted provider URNs).
    matched: set[tuple[str, bool]] = set()
    current_keys = {
        _key(str(record[name]))
        for code, record in records.items()
        if code not in ABOLISHED
        for name in ("ons_name", "name")
    }
    for la_code, record in records.items():
        is_abolished = la_code in ABOLISHED
        names = {_key(str(record[name])) for name in ("ons_name", "name")}
        keys = {(name, is_abolished) for name in names}
        if is_abolished:  # also its rows in the main tables while it still existed
            keys |= {(name, False) for name in names if name not in current_keys}
        found_keys = sorted(key for key in keys if key in official)
        if not found_keys:
            warnings.append(f"ODS: no row for {record['name']} (LA {la_code})")
            continue
        matched.update(found_keys)
        entry = OdsCouncil(str(record["name"]), is_abolished)
        for key in found_keys:
            entry.urns |= official[key].urns
            entry.la_codes |= official[key].la_codes
            entry.regions |= official[key].regions
        if entry.la_codes - {la_code}:
            warnings.append(
                f"ODS: a provider link for {record['name']} (LA {la_code}) uses LA code(s) "
                f"{sorted(entry.la_codes - {la_code})}: ignored"
            )
        if len(entry.urns) > 1:
            raise SystemExit(f"ODS gives {record['name']} several URNs: {sorted(entry.urns)}")
        if entry.urns and (urn := next(iter(entry.urns))) != record["urn"]:
            if not is_abolished:
                raise SystemExit(f"ODS URN {urn} for {record['name']} differs from lookup")
            warnings.append(
                f"URN: lookup gives {record['name']} (LA {la_code}) URN {record['urn']}; "
                f"Ofsted's statistics link it to provider URN {urn}: kept {urn}, "
                f"{record['urn']} kept as an alternative URN"
            )
            record["alt_urns"] = [record["urn"]]
            record["urn"] = urn
        expected = ofsted_region_for(str(record["ons_region"]))
        for region in entry.regions:
            if region.lower() != expected.lower():
                raise SystemExit(
                    f"ODS region {region!r} for {record['name']}; expected {expected!r}"
                )
    for key in sorted(set(official) - matched):
        warnings.append(f"ODS: {official[key].name!r} matches no council")

    # Reorganisations.
    for record in records.values():
        record["created"] = None
        record["abolished"] = None
        record["predecessors"] = []
        record["successors"] = []
    for la_code, (day, successors) in ABOLISHED.items():
        old = records[la_code]
        old["abolished"] = day
        old["successors"] = [records[code]["urn"] for code in successors]
        for code in successors:
            new = records[code]
            new["created"] = day
            preds = new["predecessors"]
            assert isinstance(preds, list)
            preds.append(old["urn"])

    # Names and trusts.
    for la_code, record in records.items():
        listed = record["alt_names"]
        assert isinstance(listed, list)
        alt = [str(name) for name in listed]
        for name in (
            *_generated_alt_names(la_code, str(record["gss_code"]), str(record["name"])),
            *EXTRA_ALT_NAMES.get(la_code, ()),
        ):
            alt.append(name)
        # Drop repeats, and names that differ from the display or ONS name only in case.
        seen = {str(record["name"]).lower(), str(record["ons_name"]).lower()}
        unique: list[str] = []
        for name in alt:
            if name.lower() not in seen:
                seen.add(name.lower())
                unique.append(name)
        record["alt_names"] = unique
        record["trusts"] = list(TRUSTS.get(la_code, ()))
        record["ofsted_region"] = ofsted_region_for(str(record["ons_region"]))

    known_codes = set(records)
    for record in records.values():
        neighbour_codes = record["stat_neighbours"]
        assert isinstance(neighbour_codes, list)
        unknown = [code for code in neighbour_codes if code not in known_codes]
        if unknown:
            raise SystemExit(f"{record['name']}: unknown statistical neighbours {unknown}")

    fields = (
        "urn",
        "alt_urns",
        "la_code",
        "gss_code",
        "former_gss_codes",
        "name",
        "ons_name",
        "alt_names",
        "trusts",
        "ons_region",
        "ofsted_region",
        "la_type",
        "stat_neighbours",
        "created",
        "abolished",
        "predecessors",
        "successors",
    )
    councils = [
        {name: record[name] for name in fields}
        for record in sorted(
            records.values(), key=lambda r: (str(r["name"]), str(r["created"] or ""))
        )
    ]
    document: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "source": (
            "Built by tools/build_councils.py from la_lookup.csv and Ofsted's official "
            "statistics (LA inspection outcomes 2024; children's social care 2023)."
        ),
        "councils": councils,
    }
    return document, warnings


def render(document: dict[str, object]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    document, warnings = build(args.shared)
    text = render(document)
    if not args.quiet:
        for warning in warnings:
            print(f"note: {warning}", file=sys.stderr)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run tools/build_councils.py", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    councils = document["councils"]
    assert isinstance(councils, list)
    print(f"wrote {len(councils)} councils to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
