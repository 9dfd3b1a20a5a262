"""Write tests/fixtures/reports/expected.json from the current parser, for a human to check.

Usage: python tools/make_expected.py   (then read every record against its PDF before committing)
"""

from __future__ import annotations

import json
from pathlib import Path

from ofsted_csc.domain.records import InspectionRecord
from ofsted_csc.parsing.document import parse_document

ROOT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reports"


def record_dict(path: Path) -> dict[str, object]:
    result = parse_document(path.read_bytes(), path.name)
    r = result.record
    assert isinstance(r, InspectionRecord)
    return {
        "council_urn": r.council_urn,
        "framework": r.framework.value if r.framework else None,
        "edition": r.edition.key if r.edition else None,
        "kind": r.kind.value if r.kind else None,
        "kind_source": r.kind_source.value if r.kind_source else None,
        "inspection_start": r.inspection_start.isoformat() if r.inspection_start else None,
        "inspection_end": r.inspection_end.isoformat() if r.inspection_end else None,
        "periods": [[a.isoformat(), b.isoformat()] for a, b in r.periods],
        "published": r.published.isoformat() if r.published else None,
        "published_source": r.published_source.value if r.published_source else None,
        "lead_inspector": r.lead_inspector,
        "judgements": {
            a.value: (j.grade.value if j.grade else j.status.value) for a, j in r.judgements.items()
        },
        "recommendations": [
            {
                "scope": x.scope.value,
                "priority": x.priority.value if x.priority else None,
                "timescale": x.timescale,
                "national_framework_outcome": x.national_framework_outcome,
                "text": x.text,
            }
            for x in r.recommendations
        ],
    }


def main() -> None:
    out = {p.name: record_dict(p) for p in sorted(ROOT.glob("*.pdf"))}
    (ROOT / "expected.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
