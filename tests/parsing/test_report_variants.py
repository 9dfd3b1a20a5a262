"""Variants found in reports of councils outside the first corpus, each on a small real PDF
built here (tests/pdfmake.py) or a plain function: where a recommendations list ends, bare
National Framework tags, the dashes between inspection dates, and PDF metadata that cannot
date a publication."""

from __future__ import annotations

from datetime import date

import pytest
from tests.pdfmake import RI, Item, ilacs_body, ilacs_page1, pdf_from_items

from ofsted_csc.domain.dates import parse_periods
from ofsted_csc.domain.frameworks import Area
from ofsted_csc.domain.records import InspectionRecord
from ofsted_csc.parsing.document import parse_document

OUTSTANDING = {
    Area.LEADERSHIP: "Outstanding",
    Area.HELP_AND_PROTECTION: "Outstanding",
    Area.IN_CARE: "Outstanding",
    Area.CARE_LEAVERS: "Outstanding",
}
TITLE = ("Inspection of Wigan local authority", "children’s services")


def _read(pages: list[list[Item]], created: str = "20260301") -> InspectionRecord:
    result = parse_document(pdf_from_items(pages, created), "variant.pdf")
    assert isinstance(result.record, InspectionRecord)
    assert result.review_reasons == []
    return result.record


def _findings(y: float, count: int) -> list[Item]:
    items: list[Item] = []
    for n in range(1, count + 1):
        items.append(
            (f"{n}. Children receive help that is described in this finding.", 72, y, 12, False)
        )
        y -= 30
    return items


@pytest.mark.parametrize(
    "heading",
    [
        [
            ("The experiences and progress of children who need help and", 71, 620, 14, True),
            ("protection: outstanding", 71, 600, 14, True),
        ],
        [
            (
                "The experiences and progress of children who need help and protection",
                71,
                620,
                12,
                True,
            ),
            ("are: outstanding", 71, 604, 12, True),
        ],
    ],
)
def test_a_prose_only_list_ends_at_the_next_judgement_heading(heading: list[Item]) -> None:
    # North Lincolnshire 2022 and East Riding 2019: "What needs to improve?" holds prose
    # only, and the next section's numbered findings are not recommendations.
    page2: list[Item] = [
        ("What needs to improve?", 71, 745, 14, True),
        (
            "There are an extremely small number of areas of variability in what is otherwise",
            71,
            716,
            12,
            False,
        ),
        ("exceptional practice.", 71, 700, 12, False),
        *heading,
        *_findings(570, 4),
    ]
    record = _read([ilacs_page1(TITLE, OUTSTANDING, "Outstanding"), page2])
    assert record.recommendations == []
    assert "the recommendations section has no items" in record.warnings


def test_a_list_ends_before_a_judgement_heading_worded_are() -> None:
    page2: list[Item] = [
        ("What needs to improve?", 71, 745, 14, True),
        ("• The quality of plans for children in care.", 72, 716, 12, False),
        (
            "• Availability and access to training for all social work staff and foster carers.",
            72,
            690,
            12,
            False,
        ),
        (
            "The experiences and progress of children who need help and protection",
            71,
            650,
            12,
            True,
        ),
        ("are: outstanding", 71, 634, 12, True),
        *_findings(600, 3),
    ]
    record = _read([ilacs_page1(TITLE, OUTSTANDING, "Outstanding"), page2])
    assert [r.text for r in record.recommendations] == [
        "The quality of plans for children in care.",
        "Availability and access to training for all social work staff and foster carers.",
    ]


def test_bare_national_framework_tags_are_taken_off_the_text() -> None:
    # Doncaster 2025: "(Enabler 1)", "(Outcome 3)", explained by a footnote.
    grades = dict.fromkeys(OUTSTANDING, RI)
    page2: list[Item] = [
        ("What needs to improve?", 71, 745, 14, True),
        ("• Partners’ attendance at strategy meetings (Enabler 1).", 72, 716, 12, False),
        ("• Help for children experiencing neglect (Outcome 3).", 72, 690, 12, False),
        ("• Support for care leavers in custody (Outcomes 2 and 4).", 72, 664, 12, False),
    ]
    record = _read([ilacs_page1(TITLE, grades, RI), page2])
    assert [(r.text, r.national_framework_outcome) for r in record.recommendations] == [
        ("Partners’ attendance at strategy meetings.", "Enabler 1"),
        ("Help for children experiencing neglect.", "Outcome 3"),
        ("Support for care leavers in custody.", "Outcomes 2 and 4"),
    ]


@pytest.mark.parametrize("dash", ["–", "—", "-", "─", "―", "to"])
def test_inspection_dates_with_every_dash(dash: str) -> None:
    # North Lincolnshire 2017: "20 June 2017 ─ 13 July 2017" (U+2500)
    assert parse_periods(f"20 June 2017 {dash} 13 July 2017") == [
        (date(2017, 6, 20), date(2017, 7, 13))
    ]


@pytest.mark.parametrize(
    ("created", "published"), [("20260210", date(2026, 2, 10)), ("20260927", None)]
)
def test_pdf_metadata_dates_a_publication_only_near_the_inspection(
    created: str, published: date | None
) -> None:
    # Merton's July 2025 report was made again in March 2026: that is no publication date.
    grades = dict.fromkeys(OUTSTANDING, RI)
    record = _read([ilacs_page1(TITLE, grades, RI), ilacs_body(grades)], created)
    assert record.inspection_end == date(2026, 1, 23)
    assert record.published == published
