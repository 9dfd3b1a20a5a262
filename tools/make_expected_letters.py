"""Draft tests/fixtures/letters/expected.json from the current parser, for a human to check.

Usage: python tools/make_expected_letters.py > draft.json
Read every field of the draft against the letter's own text before copying it into
expected.json: the fixtures are what the letters say, not what the parser happens to read.
"""

from __future__ import annotations

import json
from pathlib import Path

from ofsted_csc.domain.records import LetterRecord
from ofsted_csc.parsing.document import parse_document

ROOT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "letters"


def record_dict(path: Path) -> dict[str, object]:
    r = parse_document(path.read_bytes(), path.name).record
    assert isinstance(r, LetterRecord)
    return {
        "council_urn": r.council_urn,
        "council_name_in_report": r.council_name_in_report,
        "kind": r.kind.value if r.kind else None,
        "letter_date": r.letter_date.isoformat() if r.letter_date else None,
        "visit_start": r.visit_start.isoformat() if r.visit_start else None,
        "visit_end": r.visit_end.isoformat() if r.visit_end else None,
        "lead_inspector": r.lead_inspector,
        "theme": r.theme,
        "priority_actions": r.priority_actions,
        "areas_for_improvement": r.areas_for_improvement,
        "pages": r.pages,
        "warnings": r.warnings,
    }


def main() -> None:
    out = {p.name: record_dict(p) for p in sorted(ROOT.glob("*.pdf"))}
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
