"""The statutory deadlines of an improvement plan, in working days (domain.md, section 5).

A council sends Ofsted its action plan within 70 working days of receiving the report; after a
focused visit with areas for priority action, a draft within 20 working days; the council
publishes the report within 30 working days of receiving it. The day counted from is day 0.

These numbers are the one place the deadlines are said: pages and documents that state them
take them from here. Working days themselves are counted in `domain.workdays`.
"""

from __future__ import annotations

from datetime import date

from ofsted_csc.domain.workdays import add_working_days

ACTION_PLAN_WORKING_DAYS = 70
PRIORITY_ACTION_DRAFT_WORKING_DAYS = 20
PUBLICATION_WORKING_DAYS = 30


def action_plan_due(report_received: date) -> date:
    return add_working_days(report_received, ACTION_PLAN_WORKING_DAYS)


def priority_action_draft_due(letter_received: date) -> date:
    return add_working_days(letter_received, PRIORITY_ACTION_DRAFT_WORKING_DAYS)


def publication_due(report_received: date) -> date:
    return add_working_days(report_received, PUBLICATION_WORKING_DAYS)
