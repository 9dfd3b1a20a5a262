"""Dates as councils write them: a period is its last day as a deadline and its first as a
start; financial-year quarters run April to June (Q1) to January to March (Q4)."""

from __future__ import annotations

from datetime import date

import pytest

from ofsted_csc.plans.periods import read_period, says_no_date


@pytest.mark.parametrize(
    ("text", "first", "last", "what"),
    [
        ("March 2019", date(2019, 3, 1), date(2019, 3, 31), "March 2019"),
        ("end of March 2019", date(2019, 3, 1), date(2019, 3, 31), "March 2019"),
        ("Feb 2020", date(2020, 2, 1), date(2020, 2, 29), "February 2020"),  # a leap year
        ("Sept 2019", date(2019, 9, 1), date(2019, 9, 30), "September 2019"),
        ("Jun-19", date(2019, 6, 1), date(2019, 6, 30), "June 2019"),
        ("Q1 2019/20", date(2019, 4, 1), date(2019, 6, 30), "Q1 2019/20"),
        ("end of Q2 2019/20", date(2019, 7, 1), date(2019, 9, 30), "Q2 2019/20"),
        ("Q3 2019-20", date(2019, 10, 1), date(2019, 12, 31), "Q3 2019/20"),
        ("by the end of Q4 2019/2020", date(2020, 1, 1), date(2020, 3, 31), "Q4 2019/20"),
        ("Quarter 4 19/20", date(2020, 1, 1), date(2020, 3, 31), "Q4 2019/20"),
        ("2019/20 Q2", date(2019, 7, 1), date(2019, 9, 30), "Q2 2019/20"),
        ("Q4 2099/00", date(2100, 1, 1), date(2100, 3, 31), "Q4 2099/00"),
        ("end of 2020/21", date(2020, 4, 1), date(2021, 3, 31), "2020/21"),
    ],
)
def test_periods(text: str, first: date, last: date, what: str) -> None:
    period = read_period(text)
    assert (period.first, period.last, period.what, period.is_day) == (first, last, what, False)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("31/03/2020", date(2020, 3, 31)),
        ("31.03.2020", date(2020, 3, 31)),
        ("31/3/20", date(2020, 3, 31)),
        ("1 Apr 2020", date(2020, 4, 1)),
        ("2020-03-31", date(2020, 3, 31)),
    ],
)
def test_days(text: str, day: date) -> None:
    period = read_period(text)
    assert (period.first, period.last, period.is_day) == (day, day, True)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Q2 2019", "does not say which financial year"),
        ("Q2 2019/21", "2019/21 is not a financial year"),
        ("Summer 2019", "is not a date"),
        ("March 19", "is not a date"),  # a day to some readers: not taken as a month
        ("Q5 2019/20", "is not a date"),
        ("Smarch 2019", "is not a date"),
        ("31/02/2020", "is not a date"),
    ],
)
def test_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        read_period(text)


def test_words_for_no_date() -> None:
    assert says_no_date("Ongoing") and says_no_date(" TBC. ") and says_no_date("on-going")
    assert not says_no_date("March 2019")
