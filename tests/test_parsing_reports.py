"""Reading graded inspection reports: real fixtures with expected records checked against
the PDFs, and the oddities each framework's reports show."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ofsted_csc.domain.frameworks import Area, Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.records import (
    InspectionRecord,
    JudgementStatus,
    KindSource,
    Priority,
    PublishedSource,
    Scope,
)
from ofsted_csc.parsing.document import parse_document

REPORTS = Path(__file__).resolve().parent / "fixtures" / "reports"
EXPECTED: dict[str, dict[str, object]] = json.loads((REPORTS / "expected.json").read_text())


def read(name: str) -> InspectionRecord:
    result = parse_document((REPORTS / name).read_bytes(), name)
    assert not result.review_reasons, result.review_reasons
    assert isinstance(result.record, InspectionRecord)
    return result.record


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_report_reads_as_expected(name: str) -> None:
    r = read(name)
    want = EXPECTED[name]
    assert r.council_urn == want["council_urn"]
    assert r.framework and r.framework.value == want["framework"]
    assert r.edition and r.edition.key == want["edition"]
    assert r.kind and r.kind.value == want["kind"]
    assert r.inspection_start and r.inspection_start.isoformat() == want["inspection_start"]
    assert r.inspection_end and r.inspection_end.isoformat() == want["inspection_end"]
    assert [[a.isoformat(), b.isoformat()] for a, b in r.periods] == want["periods"]
    assert (r.published.isoformat() if r.published else None) == want["published"]
    assert (r.published_source.value if r.published_source else None) == want["published_source"]
    assert r.lead_inspector == want["lead_inspector"]
    got = {a.value: (j.grade.value if j.grade else j.status.value) for a, j in r.judgements.items()}
    assert got == want["judgements"]
    recs = [
        {
            "scope": x.scope.value,
            "priority": x.priority.value if x.priority else None,
            "timescale": x.timescale,
            "national_framework_outcome": x.national_framework_outcome,
            "text": x.text,
        }
        for x in r.recommendations
    ]
    assert recs == want["recommendations"]
    assert [x.position for x in r.recommendations] == list(range(1, len(recs) + 1))


def test_sif_report_with_lscb_review_grades_the_lscb_and_lists_its_recommendations() -> None:
    r = read("2754178.pdf")  # Windsor and Maidenhead 2015
    assert r.grade(Area.LSCB) is Grade.REQUIRES_IMPROVEMENT
    lscb = [x for x in r.recommendations if x.scope is Scope.LSCB]
    assert len(lscb) == 8
    la = [x for x in r.recommendations if x.scope is Scope.LOCAL_AUTHORITY]
    assert [x.priority for x in la[:4]] == [Priority.PRIORITY_ACTION] * 4
    assert all(x.priority is Priority.AREA_FOR_IMPROVEMENT for x in la[4:])


def test_sif_report_with_no_lscb_review_has_no_lscb_judgement() -> None:
    r = read("50000289.pdf")  # Kingston upon Hull 2014: no LSCB review in the title
    assert r.judgements[Area.LSCB].status is JudgementStatus.NOT_IN_FRAMEWORK
    assert not [x for x in r.recommendations if x.scope is Scope.LSCB]


def test_sif_reinspection_is_its_own_kind_without_lscb() -> None:
    r = read("2755854.pdf")  # Sandwell re-inspection 2017
    assert r.kind is Kind.REINSPECTION and r.kind_source is KindSource.REPORT
    assert r.judgements[Area.LSCB].status is JudgementStatus.NOT_IN_FRAMEWORK
    assert r.grade(Area.OVERALL) is Grade.INADEQUATE
    assert r.grade(Area.CARE_LEAVERS) is Grade.REQUIRES_IMPROVEMENT


def test_standalone_lscb_review_is_a_record_of_its_own() -> None:
    r = read("50004302.pdf")  # Surrey Safeguarding Children Board 2015
    assert r.kind is Kind.LSCB_REVIEW
    assert r.council_urn == "80567"
    assert r.grade(Area.LSCB) is Grade.REQUIRES_IMPROVEMENT
    assert r.judgements[Area.OVERALL].status is JudgementStatus.NOT_IN_FRAMEWORK
    assert r.recommendations and all(x.scope is Scope.LSCB for x in r.recommendations)


def test_sif_report_without_publication_date_is_estimated_from_metadata() -> None:
    r = read("50004256.pdf")  # Hartlepool 2013: no "Report published" line
    assert r.published_source is PublishedSource.PDF_METADATA
    assert r.published is not None and r.inspection_end is not None
    assert r.inspection_end <= r.published <= date(2014, 6, 30)


def test_judgement_table_broken_by_a_page_end_reads_whole() -> None:
    r = read("50004301.pdf")  # Oldham 2015: care leavers and leadership on page 2
    assert r.grade(Area.CARE_LEAVERS) is Grade.REQUIRES_IMPROVEMENT
    assert r.grade(Area.LEADERSHIP) is Grade.REQUIRES_IMPROVEMENT
    assert r.grade(Area.ADOPTION) is Grade.GOOD


def test_requires_improvement_spelt_over_two_lines_with_capitals() -> None:
    r = read("2754178.pdf")  # "Requires \nImprovement"
    assert r.grade(Area.HELP_AND_PROTECTION) is Grade.REQUIRES_IMPROVEMENT


def test_pre_2013_looked_after_inspection_uses_the_adequate_scale() -> None:
    r = read("2761820.pdf")  # Sandwell 2013
    assert r.framework is Framework.PRE_SIF and r.kind is Kind.LOOKED_AFTER
    assert r.grade(Area.OVERALL) is Grade.INADEQUATE
    assert r.grade(Area.CAPACITY_TO_IMPROVE) is Grade.ADEQUATE
    assert r.judgements[Area.LEADERSHIP].status is JudgementStatus.NOT_IN_FRAMEWORK
    timescales = [x.timescale for x in r.recommendations]
    assert timescales.count("Immediately") == 8
    assert timescales.count("Within three months") == 8
    assert timescales.count("Within six months") == 2


def test_inspection_held_in_two_periods_keeps_both() -> None:
    r = read("50216273.pdf")  # South Tyneside: December 2022 and February 2023
    assert r.periods == [
        (date(2022, 12, 5), date(2022, 12, 9)),
        (date(2023, 2, 14), date(2023, 2, 15)),
    ]
    # the edition follows the start date: care leavers still judged with children in care
    assert r.edition is not None and r.edition.key == "ilacs_2018"
    assert r.in_care_includes_care_leavers is True


def test_2026_report_has_no_overall_effectiveness_by_framework() -> None:
    r = read("50304386.pdf")  # Brent, April 2026
    assert r.edition is not None and r.edition.key == "ilacs_2026"
    assert r.judgements[Area.OVERALL].status is JudgementStatus.NOT_IN_FRAMEWORK
    assert r.grade(Area.CARE_LEAVERS) is Grade.GOOD


def test_care_leavers_label_variant_children_care_leavers() -> None:
    r = read("50283346.pdf")  # Sutton 2025: "The experiences and progress of children care leavers"
    assert r.grade(Area.CARE_LEAVERS) is Grade.GOOD
    assert r.grade(Area.OVERALL) is Grade.GOOD


def test_national_framework_tag_is_its_own_field() -> None:
    r = read("50282103.pdf")  # Stockport 2025
    assert [x.national_framework_outcome for x in r.recommendations][:2] == [
        "Outcome one, National Framework",
        "Outcome one, National Framework",
    ]
    assert all("National Framework" not in x.text for x in r.recommendations)


def test_ilacs_kind_is_inferred_from_days_on_site_and_marked_so() -> None:
    short = read("50225703.pdf")  # Essex, 26 to 30 June 2023
    standard = read("50282103.pdf")  # Stockport, 12 to 23 May 2025
    assert short.kind is Kind.SHORT and standard.kind is Kind.STANDARD
    assert short.kind_source is KindSource.DATES


def test_numbered_topic_headings_over_bulleted_recommendations() -> None:
    r = read("2755672.pdf")  # Slough 2015: "1. Quality and effectiveness of practice" then bullets
    la = [x for x in r.recommendations if x.scope is Scope.LOCAL_AUTHORITY]
    assert len(la) == 22
    assert la[0].text.startswith("In line with longstanding plans")
    assert not any(x.text.startswith("Quality and effectiveness") for x in la)
