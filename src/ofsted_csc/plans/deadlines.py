"""Deadlines in working days: England and Wales bank holidays from the maintained `holidays`
package (substitute days included), never a hand-typed list.

The rules (domain.md): a council sends Ofsted its action plan within 70 working days of
receiving the report; after a focused visit with areas for priority action, a draft within
20 working days; the council publishes the report within 30 working days of receiving it.
A working day is Monday to Friday and not a bank holiday; the day counted from is day 0.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from ofsted_csc.domain.errors import InvalidInput

ACTION_PLAN_WORKING_DAYS = 70
PRIORITY_ACTION_DRAFT_WORKING_DAYS = 20
PUBLICATION_WORKING_DAYS = 30


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share their bank holidays; Scotland and Northern Ireland differ.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


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
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(n)))


def action_plan_due(report_received: date) -> date:
    return add_working_days(report_received, ACTION_PLAN_WORKING_DAYS)


def priority_action_draft_due(letter_received: date) -> date:
    return add_working_days(letter_received, PRIORITY_ACTION_DRAFT_WORKING_DAYS)


def publication_due(report_received: date) -> date:
    return add_working_days(report_received, PUBLICATION_WORKING_DAYS)
