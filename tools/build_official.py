"""Build src/ofsted_csc/data/official_outcomes.json: Ofsted's official inspection outcomes,
shipped with the package so that every new store starts with the whole national picture.

Run from the repository root (needs ../shared beside it, or pass --shared):

    python tools/build_official.py            # writes the JSON
    python tools/build_official.py --check    # fails if the committed JSON is out of date

Inputs: every spreadsheet in ../shared/official that is a known edition of Ofsted's
official statistics (ofsted_csc/official.py describes the editions), read exactly as
`ofsted-csc import-official` reads them. Crown copyright, Open Government Licence v3.0.

The package never reads spreadsheets at run time: this JSON is committed and shipped. The
build fails when a row names a council the registry cannot match (it would be lost).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ofsted_csc.domain.councils import load_registry  # noqa: E402
from ofsted_csc.domain.official import BUNDLE_COLUMNS, BUNDLE_PATH, OfficialRow  # noqa: E402
from ofsted_csc.sources.official import read_edition  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
FORMAT = 1


def _row(row: OfficialRow) -> list[object]:
    values = {
        "edition": row.edition,
        "row": row.row,
        "block": row.block,
        "council_name": row.council_name,
        "council_urn": row.council_urn,
        "framework": row.framework.value,
        "kind": row.kind.value if row.kind else None,
        "ordinal": row.ordinal,
        "published": row.published.isoformat() if row.published else None,
        "start": row.start.isoformat() if row.start else None,
        "grades": {k: g.value for k, g in sorted(row.grades.items())},
    }
    assert list(values) == list(BUNDLE_COLUMNS)
    return list(values.values())


def build(shared: Path) -> str:
    registry = load_registry()
    editions = []
    rows: list[list[object]] = []
    unmatched: list[str] = []
    for path in sorted((shared / "official").glob("*.ods")):
        edition, found = read_edition(path, registry)
        editions.append(
            {
                "key": edition.key,
                "title": edition.title,
                "source_file": path.name,
                "sha256": found[0].sha256 if found else "",
                "sheet": edition.sheet,
                "rows": len(found),
            }
        )
        unmatched += [
            f"{path.name} row {r.row}: {r.council_name}" for r in found if not r.council_urn
        ]
        rows += [_row(r) for r in found]
        kinds = Counter(f"{r.framework.value}/{r.kind.value if r.kind else '-'}" for r in found)
        dated = sum(1 for r in found if r.start)
        print(
            f"{path.name}: {edition.key}, {len(found)} rows ({dict(sorted(kinds.items()))}); "
            f"{dated} with a start date",
            file=sys.stderr,
        )
    if unmatched:
        raise SystemExit("rows naming no known council:\n  " + "\n  ".join(unmatched))
    data = {
        "format": FORMAT,
        "licence": "Crown copyright. Contains public sector information licensed under the "
        "Open Government Licence v3.0 (Ofsted official statistics).",
        "editions": editions,
        "columns": list(BUNDLE_COLUMNS),
        "rows": rows,
    }
    # one row a line: small, and readable in a diff
    body = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows)
    head = json.dumps({k: v for k, v in data.items() if k != "rows"}, ensure_ascii=False, indent=1)
    return head[:-2] + ',\n "rows": [\n' + body + "\n]}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = build(args.shared)
    if args.check:
        if not BUNDLE_PATH.is_file() or BUNDLE_PATH.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{BUNDLE_PATH} is out of date: run python tools/build_official.py")
        print(f"{BUNDLE_PATH.name} is up to date")
        return
    BUNDLE_PATH.write_text(text, encoding="utf-8")
    print(
        f"wrote {BUNDLE_PATH} ({BUNDLE_PATH.stat().st_size // 1024} KB, {text.count(chr(10))} lines)"
    )


if __name__ == "__main__":
    main()
