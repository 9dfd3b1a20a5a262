"""Judgement tables laid out in ways the corpus does not show, and councils named in every
form reports use: small real PDFs built here (tests/pdfmake.py) in Ofsted's wording, read
through pdfium like any report.

The judgements are read three ways (parsing/judgements.py): the table in text order, the
table by position, and the body's restatements. These tests give each reader a layout only
it can read, and give readers different values to show that disagreement goes to review.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from tests.pdfmake import GOOD, RI, Item, ilacs_body, ilacs_page1, pdf_from_items

from ofsted_csc.domain.frameworks import Area
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.records import InspectionRecord, JudgementStatus
from ofsted_csc.parsing.document import parse_document
from ofsted_csc.parsing.judgements import Reader, Reading, decide


def _read(
    pages: list[list[Item]], name: str = "synthetic.pdf"
) -> tuple[InspectionRecord, list[str]]:
    result = parse_document(pdf_from_items(pages, "20260301"), name)
    assert isinstance(result.record, InspectionRecord)
    return result.record, result.review_reasons


ALL = {
    Area.LEADERSHIP: GOOD,
    Area.HELP_AND_PROTECTION: RI,
    Area.IN_CARE: RI,
    Area.CARE_LEAVERS: GOOD,
}
TITLE = ("Inspection of Wigan local authority", "children’s services")


def _grades(record: InspectionRecord) -> dict[Area, Grade | None]:
    return {a: record.grade(a) for a in (*ALL, Area.OVERALL)}


EXPECTED = {
    Area.LEADERSHIP: Grade.GOOD,
    Area.HELP_AND_PROTECTION: Grade.REQUIRES_IMPROVEMENT,
    Area.IN_CARE: Grade.REQUIRES_IMPROVEMENT,
    Area.CARE_LEAVERS: Grade.GOOD,
    Area.OVERALL: Grade.REQUIRES_IMPROVEMENT,
}


def test_a_plain_table_is_read_by_every_reader() -> None:
    record, reasons = _read([ilacs_page1(TITLE, ALL, RI), ilacs_body(ALL)])
    assert reasons == []
    assert _grades(record) == EXPECTED
    assert record.council_name_in_report == "Wigan"


def test_grades_stored_before_their_labels_are_paired_by_position() -> None:
    # In text order every grade comes first: no label is followed by its grade.
    record, reasons = _read([ilacs_page1(TITLE, ALL, RI, grades_first=True), ilacs_body({})])
    assert reasons == []
    assert _grades(record) == EXPECTED


def test_grades_standing_below_their_label_and_split_over_lines() -> None:
    page = ilacs_page1(TITLE, ALL, RI, grades_first=True, grade_dy=9, split_grades=True)
    record, reasons = _read([page, ilacs_body({})])
    assert reasons == []
    assert _grades(record) == EXPECTED


def test_a_body_that_disagrees_with_the_table_sends_the_report_to_review() -> None:
    restated = dict(ALL) | {Area.IN_CARE: "Inadequate"}
    record, reasons = _read([ilacs_page1(TITLE, ALL, RI), ilacs_body(restated)])
    assert record.judgements[Area.IN_CARE].status is JudgementStatus.NOT_READ
    [reason] = reasons
    assert "in_care" in reason
    assert "“Requires improvement to be good” by the judgement table (page 1)" in reason
    assert "“Inadequate” by the report body (page 2)" in reason
    # the other judgements are kept
    assert record.grade(Area.CARE_LEAVERS) is Grade.GOOD


def test_not_judged_in_a_table_is_a_value() -> None:
    grades = dict(ALL) | {Area.CARE_LEAVERS: "Not judged"}
    record, reasons = _read([ilacs_page1(TITLE, grades, RI), ilacs_body({})])
    assert reasons == []
    j = record.judgements[Area.CARE_LEAVERS]
    assert j.status is JudgementStatus.NOT_JUDGED and j.grade is None
    assert j.export_value == "not_judged"
    assert record.judgements[Area.ADOPTION].status is JudgementStatus.NOT_IN_FRAMEWORK
    assert record.judgements[Area.ADOPTION].export_value is None


def test_decide_keeps_agreement_and_names_every_value_on_disagreement() -> None:
    a = Reading(Area.OVERALL, Grade.GOOD, "Overall effectiveness", 1, Reader.TEXT)
    b = Reading(Area.OVERALL, Grade.GOOD, "Overall effectiveness", 1, Reader.POSITION)
    c = Reading(Area.OVERALL, None, "Overall effectiveness", 3, Reader.BODY)
    agreed = decide(Area.OVERALL, "Overall effectiveness", [a, None, b])
    assert agreed.reading == a and agreed.readers == (Reader.TEXT, Reader.POSITION)
    split = decide(Area.OVERALL, "Overall effectiveness", [a, c])
    assert split.reading is None
    assert split.conflict is not None and "“Good”" in split.conflict
    assert "“Not judged” by the report body (page 3)" in split.conflict
    assert decide(Area.OVERALL, "Overall effectiveness", [None, None]).reading is None


# -- SIF page 1 --


def _sif_page1(
    council: str, overall_sentence: Sequence[str], rows: Sequence[tuple[str, str]]
) -> list[Item]:
    items: list[Item] = [
        (council, 72, 741, 26, False),
        ("Inspection of services for children in need of help and", 72, 707, 14, True),
        ("protection, children looked after and care leavers", 72, 688, 14, True),
        ("Inspection date: 11 April 2016 – 28 April 2016", 72, 605, 14, False),
        ("Report published: 27 June 2016", 72, 582, 14, False),
    ]
    y = 530.0
    for line in overall_sentence:
        items.append((line, 72, y, 14, True))
        y -= 17
    y -= 12
    for label, grade in rows:
        items += [(label, 77, y, 12, True), (grade, 395, y, 12, False)]
        y -= 27
    return items


SIF_ROWS = (
    ("1. Children who need help and protection", "Good"),
    ("2. Children looked after and achieving permanence", "Good"),
    ("2.1 Adoption performance", "Not Judged"),
    ("2.2 Experiences and progress of care leavers", "Good"),
    ("3. Leadership, management and governance", "Good"),
)


@pytest.mark.parametrize(
    ("sentence", "grade"),
    [
        (("Children’s services in Rutland are good",), Grade.GOOD),
        (
            ("The overall judgement is that children’s service requires", "improvement."),
            Grade.REQUIRES_IMPROVEMENT,
        ),
        (
            ("Children’s services in Rutland County Council require", "improvement to be good"),
            Grade.REQUIRES_IMPROVEMENT,
        ),
        (("Children’s services in Rutland are judged to be outstanding",), Grade.OUTSTANDING),
    ],
)
def test_sif_overall_sentence_wordings(sentence: tuple[str, ...], grade: Grade) -> None:
    rows = (
        SIF_ROWS
        if grade is not Grade.OUTSTANDING
        else tuple((lab, "Outstanding") for lab, _ in SIF_ROWS)
    )
    record, reasons = _read([_sif_page1("Rutland County Council", sentence, rows)])
    assert reasons == []
    assert record.grade(Area.OVERALL) is grade
    assert record.judgements[Area.ADOPTION].status is (
        JudgementStatus.NOT_JUDGED if grade is not Grade.OUTSTANDING else JudgementStatus.GRADED
    )
    from ofsted_csc.domain.councils import load_registry

    assert record.council_urn == load_registry().lookup("Rutland").urn


# -- councils named in every form --


@pytest.mark.parametrize(
    ("title", "council"),
    [
        (("Inspection of Wigan local authority", "children’s services"), "Wigan"),
        (("Inspection of London Borough of Tower", "Hamlets children’s services"), "Tower Hamlets"),
        (("Inspection of City of York Council", "children’s services"), "York"),
        (("Inspection of Lincolnshire County Council", "children’s services"), "Lincolnshire"),
        (
            ("Inspection of the Council of the Isles of", "Scilly children’s services"),
            "Isles of Scilly",
        ),
        (("Inspection of City of London Corporation", "children’s services"), "City of London"),
        (("Inspection of Bradford Children and", "Families Trust"), "Bradford"),
        (("Inspection of Sandwell Children’s Trust",), "Sandwell"),
        (("Inspection of Slough Children First",), "Slough"),
        (("Inspection of Together for Children", "(Sunderland)"), "Sunderland"),
        (
            ("Inspection of Achieving for Children", "(Richmond upon Thames)"),
            "Richmond upon Thames",
        ),
    ],
)
def test_every_form_of_a_council_name_matches_its_council(
    title: tuple[str, ...], council: str
) -> None:
    from ofsted_csc.domain.councils import load_registry

    record, reasons = _read([ilacs_page1(title, ALL, RI), ilacs_body(ALL)])
    assert reasons == [], (title, reasons)
    expected = load_registry().lookup(council)
    assert record.council_urn == expected.urn, (title, record.council_name_in_report)
    assert _grades(record) == EXPECTED


@pytest.mark.parametrize(
    "phrase",
    [
        "Requires improvement to be good",
        "Requires Improvement",
        "Require improvement",
        "Required improvement",
        "Inadequate",
        "Outstanding",
        "Good",
        "Adequate",
        "Not judged",
        "Not Judged",
        "Not graded",
        "Not assessed",
        "No judgement made",
    ],
)
def test_the_body_reader_looks_for_every_spelling_of_a_grade(phrase: str) -> None:
    # the body is searched with str.find for the words grades start with
    from ofsted_csc.domain.grades import VERDICT_STARTS
    from ofsted_csc.parsing.judgements import verdict_from_words

    assert verdict_from_words(phrase)[0]
    assert any(phrase.lower().startswith(w) for w in VERDICT_STARTS)
