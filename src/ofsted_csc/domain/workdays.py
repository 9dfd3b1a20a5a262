"""Working days, counted one way everywhere (domain.md, section 5): Monday to Friday and not an
England and Wales bank holiday. Bank holidays (Christmas Day, Good Friday and substitute days
included) come from the maintained `holidays` package, never a hand-typed list.

Both the plan deadlines (`plans.deadlines`: 70 working days for the action plan) and the
length of an ILACS inspection on site (short or standard, `frameworks.ilacs_kind_for_days`)
count with these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from ofsted_csc.domain.errors import InvalidInput


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    import holidays  # on first use: the package is slow to import, and most commands never count

    # England and Wales share their bank holidays; Scotland and Northern Ireland differ.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (day 0; `start` itself need not be a
    working day)."""
    if days < 0:
        raise InvalidInput(f"a number of working days cannot be negative ({days})")
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    # counted, not walked: five in each whole week, the weekdays of the part week left over,
    # less the bank holidays between that fall on a weekday (quick for a span of years)
    weeks, rest = divmod((end - start).days, 7)
    weekdays = weeks * 5 + sum(
        1 for n in range(1, rest + 1) if (start + timedelta(n)).weekday() < 5
    )
    holidays = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _bank_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return weekdays - holidays


def working_days_in(periods: Iterable[tuple[date, date]]) -> int:
    """Working days within periods given by their first and last days, both included (an
    inspection held on site from Monday 8 to Friday 12 July has 5)."""
    return sum(
        1
        for first, last in periods
        for n in range((last - first).days + 1)
        if is_working_day(first + timedelta(n))
    )
