"""Focused visit letters: every field of real letters, checked by reading each letter.

tests/fixtures/letters/expected.json holds the records as the letters say them: with and
without areas for priority action, the 2018 layout with paragraphs for items, visit dates
across two months, a 2025 letter with national framework tags inside its items, and a
2021 COVID-period visit whose subject is Ofsted's national programme, not a theme.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from tests.conftest import FIXTURES

from ofsted_csc.domain.frameworks import Kind
from ofsted_csc.domain.records import LetterRecord
from ofsted_csc.parsing.document import parse_document
from ofsted_csc.parsing.letters import visit_dates

LETTERS = FIXTURES / "letters"
EXPECTED: dict[str, dict[str, object]] = json.loads((LETTERS / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_letter_fields(name: str) -> None:
    result = parse_document((LETTERS / name).read_bytes(), name)
    record = result.record
    assert isinstance(record, LetterRecord)
    assert not result.review_reasons
    expected = EXPECTED[name]
    assert record.council_urn == expected["council_urn"]
    assert record.kind is Kind(str(expected["kind"]))
    assert str(record.letter_date) == expected["letter_date"]
    assert str(record.visit_start) == expected["visit_start"]
    assert str(record.visit_end) == expected["visit_end"]
    assert record.lead_inspector == expected["lead_inspector"]
    assert record.theme == expected["theme"]
    assert record.priority_actions == expected["priority_actions"]
    assert record.areas_for_improvement == expected["areas_for_improvement"]
    assert record.theme and record.lead_inspector  # every fixture states both
    assert not [w for w in record.warnings if "does not say" in w]


def test_fixtures_cover_with_and_without_priority_actions() -> None:
    with_pa = [n for n, e in EXPECTED.items() if e["priority_actions"]]
    without = [n for n, e in EXPECTED.items() if not e["priority_actions"]]
    assert with_pa and without


@pytest.mark.parametrize(
    ("phrase", "letter_date", "expected"),
    [
        ("on 30 April and 1 May 2019", None, (date(2019, 4, 30), date(2019, 5, 1))),
        ("on 9 to 10 November 2021", None, (date(2021, 11, 9), date(2021, 11, 10))),
        ("on 12 and 13 May 2021", None, (date(2021, 5, 12), date(2021, 5, 13))),
        ("on 4 and 5 December", date(2019, 1, 10), (date(2018, 12, 4), date(2018, 12, 5))),
    ],
)
def test_visit_dates(phrase: str, letter_date: date | None, expected: tuple[date, date]) -> None:
    assert visit_dates(phrase, letter_date) == expected


def test_monitoring_visit_letter_is_recognised() -> None:
    """The corpus has no monitoring visit letter: this one is made by
    tools/make_bad_fixtures.py in Ofsted's layout and wording (invented names and dates)."""
    path = FIXTURES / "synthetic" / "monitoring_visit.pdf"
    result = parse_document(path.read_bytes(), path.name)
    record = result.record
    assert isinstance(record, LetterRecord)
    assert not result.review_reasons
    assert record.kind is Kind.MONITORING_VISIT
    assert record.council_urn == "80549"  # Sandwell
    assert (record.visit_start, record.visit_end) == (date(2020, 2, 4), date(2020, 2, 5))
    assert record.letter_date == date(2020, 3, 12)
    assert record.lead_inspector == "Alex Sample"
    assert record.theme == (
        "the progress made in the quality of planning for children in care, including the "
        "timeliness of permanence decisions and the quality of care plans"
    )
    assert record.priority_actions == [] and record.areas_for_improvement == []
