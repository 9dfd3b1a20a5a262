"""Working days are counted once (domain.workdays), bank holidays included, for plan deadlines
and for the days an ILACS inspection spent on site (short or standard)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.pdfmake import RI, ilacs_page1, pdf_from_items

from ofsted_csc.domain import workdays
from ofsted_csc.domain.frameworks import (
    ILACS_SHORT_MAX_WORKING_DAYS,
    Area,
    Kind,
    ilacs_kind_for_periods,
)
from ofsted_csc.domain.records import InspectionRecord
from ofsted_csc.parsing.document import parse_document
from ofsted_csc.plans import deadlines

EASTER_MONDAY_2024 = date(2024, 4, 1)


def test_a_week_on_site_with_easter_monday_has_four_working_days() -> None:
    assert workdays.is_bank_holiday(EASTER_MONDAY_2024)
    assert workdays.working_days_in([(date(2024, 4, 1), date(2024, 4, 5))]) == 4
    assert workdays.working_days_in([(date(2024, 4, 8), date(2024, 4, 12))]) == 5
    # two periods (a standard inspection held in two parts) add up
    periods = [(date(2024, 3, 25), date(2024, 3, 28)), (date(2024, 4, 2), date(2024, 4, 3))]
    assert workdays.working_days_in(periods) == 6  # Good Friday 29 March is not counted


def test_an_inspection_spanning_easter_monday_is_counted_without_it() -> None:
    # Monday 1 to Wednesday 10 April 2024: eight weekdays, seven working days
    over_easter = [(date(2024, 4, 1), date(2024, 4, 10))]
    assert workdays.working_days_in(over_easter) == ILACS_SHORT_MAX_WORKING_DAYS
    assert ilacs_kind_for_periods(over_easter) is Kind.SHORT
    # the same eight weekdays a week later have no bank holiday: standard
    assert ilacs_kind_for_periods([(date(2024, 4, 8), date(2024, 4, 17))]) is Kind.STANDARD


def test_plan_deadlines_and_inspection_days_count_the_same_days() -> None:
    # the action plan deadline steps over the bank holiday the inspection count leaves out
    due = deadlines.action_plan_due(date(2024, 3, 28))
    assert workdays.working_days_between(date(2024, 3, 28), due) == (
        deadlines.ACTION_PLAN_WORKING_DAYS
    )
    assert workdays.working_days_in([(date(2024, 3, 29), due)]) == (
        deadlines.ACTION_PLAN_WORKING_DAYS
    )


def _report(dates: str) -> InspectionRecord:
    grades = dict.fromkeys(
        (Area.LEADERSHIP, Area.HELP_AND_PROTECTION, Area.IN_CARE, Area.CARE_LEAVERS), RI
    )
    page = ilacs_page1(("Inspection of Wigan local authority", "children’s services"), grades, RI)
    page = [
        (f"Inspection dates: {dates}", *item[1:])
        if item[0].startswith("Inspection dates")
        else item
        for item in page
    ]
    result = parse_document(pdf_from_items([page], "20240520"), "easter.pdf")
    assert isinstance(result.record, InspectionRecord)
    return result.record


def test_a_report_of_an_inspection_over_easter_monday_reads_as_short() -> None:
    record = _report("1 to 10 April 2024")
    assert record.periods == [(date(2024, 4, 1), date(2024, 4, 10))]
    assert record.kind is Kind.SHORT
    assert _report("8 to 17 April 2024").kind is Kind.STANDARD


def test_working_days_between_counts_as_walking_each_day_would() -> None:
    """The count (whole weeks, the part week, bank holidays) equals walking day by day, for
    spans from a day to several years starting on every weekday, across Christmas and Easter."""
    import random

    rng = random.Random(23)
    for _ in range(400):
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 2500))
        end = start + timedelta(days=rng.choice((0, 1, 6, 7, 8, 13, rng.randrange(0, 1500))))
        walked = sum(
            1
            for n in range(1, (end - start).days + 1)
            if workdays.is_working_day(start + timedelta(n))
        )
        assert workdays.working_days_between(start, end) == walked, (start, end)
        assert workdays.working_days_between(end, start) == -walked
