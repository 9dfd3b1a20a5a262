"""Small pure functions over text: dates, judgement tables, inspector names."""

from __future__ import annotations

from datetime import date

import pytest

from ofsted_csc.domain.dates import parse_date, parse_periods
from ofsted_csc.domain.frameworks import ILACS_2018, ILACS_2023, SIF, Area
from ofsted_csc.domain.grades import Grade
from ofsted_csc.parsing.judgements import find_table
from ofsted_csc.parsing.reports import ReportType, clean_inspector, report_type


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("23 May to 16 June 2016", [(date(2016, 5, 23), date(2016, 6, 16))]),
        ("24 – 28 June 2013", [(date(2013, 6, 24), date(2013, 6, 28))]),
        ("16 January 2017–9 February 2017", [(date(2017, 1, 16), date(2017, 2, 9))]),
        ("06/10/2016 – 21/10/2016", [(date(2016, 10, 6), date(2016, 10, 21))]),
        ("30 November to 11 December 2020", [(date(2020, 11, 30), date(2020, 12, 11))]),
        ("14 December 2020 to 15 January 2021", [(date(2020, 12, 14), date(2021, 1, 15))]),
        (
            "7 to 11 March and 21 to 25 March 2022",
            [(date(2022, 3, 7), date(2022, 3, 11)), (date(2022, 3, 21), date(2022, 3, 25))],
        ),
        (
            "28 September to 2 October 2020 and 11 to 15 January 2021",
            [(date(2020, 9, 28), date(2020, 10, 2)), (date(2021, 1, 11), date(2021, 1, 15))],
        ),
        ("31 February 2020 to 3 March 2020", []),
    ],
)
def test_inspection_periods(text: str, periods: list[tuple[date, date]]) -> None:
    assert parse_periods(text) == periods


def test_parse_date_written_and_numeric() -> None:
    assert parse_date("Report published: 5 August 2016") == date(2016, 8, 5)
    assert parse_date("Published: 25/06/2015") == date(2015, 6, 25)
    assert parse_date("no date here") is None


def test_table_with_footnote_markers_and_labels_split_over_lines() -> None:
    text = (
        "Judgement Grade The impact of leaders on social work practice with children and "
        "families Good 1 The experiences and progress of children who need help and "
        "protection Requires improvement to be good The experiences and progress of children "
        "in care Outstanding The experiences and progress of care leavers Good Overall "
        "effectiveness Good"
    )
    found = find_table(text, ILACS_2023.wording)
    assert {a: g for a, (g, _, _) in found.items()} == {
        Area.LEADERSHIP: Grade.GOOD,
        Area.HELP_AND_PROTECTION: Grade.REQUIRES_IMPROVEMENT,
        Area.IN_CARE: Grade.OUTSTANDING,
        Area.CARE_LEAVERS: Grade.GOOD,
        Area.OVERALL: Grade.GOOD,
    }


def test_combined_in_care_label_is_not_read_as_care_leavers() -> None:
    text = (
        "The experiences and progress of children in care and care leavers Inadequate "
        "Overall effectiveness Inadequate"
    )
    found = find_table(text, [*ILACS_2018.wording, *ILACS_2023.wording])
    assert found[Area.IN_CARE][0] is Grade.INADEQUATE
    assert Area.CARE_LEAVERS not in found


def test_sif_numbered_labels() -> None:
    text = (
        "1. Children who need help and protection Requires improvement 2. Children looked "
        "after and achieving permanence Good 2.1 Adoption performance Outstanding 2.2 "
        "Experiences and progress of care leavers Good 3. Leadership, management and "
        "governance Good"
    )
    found = find_table(text, SIF.wording)
    assert found[Area.ADOPTION][0] is Grade.OUTSTANDING
    assert found[Area.LEADERSHIP][0] is Grade.GOOD
    assert len(found) == 5


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Paula Thomson-Jones", "Paula Thomson-Jones"),
        ("Steve Lowe, His Majesty’s Inspector", "Steve Lowe"),
        ("Sue Myers HMI", "Sue Myers"),
        ("Dominic Stevens, HMI", "Dominic Stevens"),
        (
            "Rebecca Quested, His Majesty’s Inspector, and Matthew Reed, His Majesty’s Inspector",
            "Rebecca Quested; Matthew Reed",
        ),
        ("the local authority", ""),
    ],
)
def test_inspector_names_lose_their_titles(raw: str, name: str) -> None:
    assert clean_inspector(raw) == name


@pytest.mark.parametrize(
    ("page1", "rtype"),
    [
        (
            "1 Wigan Inspection of services for children in need of help and protection, children looked after and care leavers",
            ReportType.SIF_FULL,
        ),
        (
            "1 Sandwell Re-inspection of services for children in need of help and protection",
            ReportType.SIF_REINSPECTION,
        ),
        (
            "Inspection of Torbay local authority children's services Inspection dates: 12 to 16 January 2026",
            ReportType.ILACS,
        ),
        ("Inspection of Buckinghamshire Council children's services", ReportType.ILACS),
        (
            "1 Surrey Safeguarding Children Board Review of the effectiveness of the Local Safeguarding Children Board",
            ReportType.LSCB_REVIEW,
        ),
        (
            "Inspection of looked after children services Sandwell Metropolitan Borough Council",
            ReportType.PRE_LOOKED_AFTER,
        ),
        ("Minutes of the cabinet meeting held on 3 May", None),
    ],
)
def test_report_type_comes_from_the_title_wording(page1: str, rtype: ReportType | None) -> None:
    assert report_type(page1) is rtype


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("\uf0a7 Pathway plans.", "• Pathway plans."),  # a Wingdings bullet
        ("\uf0b7 Plans", "• Plans"),  # a Symbol bullet
        ("co\ufffeordinate", "co-ordinate"),  # pdfium's hyphen at a line break
        ("\ufb01nd", "find"),
    ],
)
def test_symbol_font_glyphs_are_made_plain(raw: str, plain: str) -> None:
    from ofsted_csc.parsing.pdf import normalise

    assert normalise(raw) == plain
