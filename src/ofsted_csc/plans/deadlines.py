"""The statutory deadlines of an improvement plan, in working days (domain.md, section 5).

A council sends Ofsted its action plan within 70 working days of receiving an inspection's
report, or a visit's letter with areas for priority action (and then a draft within 20 working
days); the council publishes an inspection's report within 30 working days of receiving it. A
letter without areas for priority action sets no deadline. The day counted from is day 0.

These numbers, the deadlines' names and the rule of which deadlines apply to a report or letter
(`deadlines_that_apply`, `deadlines_for_plan`, `deadlines_for_record`) are the one place the deadlines are said:
pages, plans and documents that state them take them from here. Working days themselves are
counted in `domain.workdays`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ofsted_csc.domain.records import InspectionRecord, LetterRecord
from ofsted_csc.domain.workdays import add_working_days

ACTION_PLAN_WORKING_DAYS = 70
PRIORITY_ACTION_DRAFT_WORKING_DAYS = 20
PUBLICATION_WORKING_DAYS = 30

# the names the pages, the CLI and the briefs give them
ACTION_PLAN = "Action plan to Ofsted"
PRIORITY_ACTION_DRAFT = "Draft plan for areas for priority action"
PUBLICATION = "Report published by the council"


def action_plan_due(report_received: date) -> date:
    return add_working_days(report_received, ACTION_PLAN_WORKING_DAYS)


def priority_action_draft_due(letter_received: date) -> date:
    return add_working_days(letter_received, PRIORITY_ACTION_DRAFT_WORKING_DAYS)


def publication_due(report_received: date) -> date:
    return add_working_days(report_received, PUBLICATION_WORKING_DAYS)


@dataclass(frozen=True)
class DueDate:
    """One statutory deadline: its name, the working days it allows and the day it falls."""

    name: str
    working_days: int
    due: date


def deadlines_that_apply(
    received: date, *, inspection_report: bool, priority_actions: bool
) -> tuple[DueDate, ...]:
    """The statutory deadlines that run from `received` (the day the council received the
    report or letter; day 0), earliest first.

    - `inspection_report`: a graded inspection's report. The council sends Ofsted its action
      plan within 70 working days and publishes the report within 30.
    - `priority_actions`: a letter (a focused visit) that names at least one area for
      priority action: a draft plan within 20 working days and the action plan within 70.

    A visit's letter without areas for priority action sets no deadline (an empty tuple):
    neither the 20-day draft nor an action plan; and a letter has no publication deadline.
    A plan answering several reports and letters takes the union (any report, any priority
    action): `deadlines_for_plan`. The plan pages, the plan list, the CLI and the member
    brief use these; `deadlines_for_record` asks this of a report or letter as read (for the
    focused-visit brief).
    """
    out: list[DueDate] = []
    if priority_actions:
        out.append(
            DueDate(
                PRIORITY_ACTION_DRAFT,
                PRIORITY_ACTION_DRAFT_WORKING_DAYS,
                priority_action_draft_due(received),
            )
        )
    if inspection_report:
        out.append(DueDate(PUBLICATION, PUBLICATION_WORKING_DAYS, publication_due(received)))
    if inspection_report or priority_actions:
        out.append(DueDate(ACTION_PLAN, ACTION_PLAN_WORKING_DAYS, action_plan_due(received)))
    return tuple(sorted(out, key=lambda d: d.due))


def deadlines_for_plan(received: date, sources: Iterable[tuple[bool, bool]]) -> tuple[DueDate, ...]:
    """The deadlines of a plan answering `sources`, each (is an inspection report, names an
    area for priority action), counted from the plan's received date. A plan that names no
    report or letter (made by hand, or imported from a council's own workbook) is taken to
    answer one without saying which: the action plan deadline alone."""
    found = list(sources)
    if not found:
        return (DueDate(ACTION_PLAN, ACTION_PLAN_WORKING_DAYS, action_plan_due(received)),)
    return deadlines_that_apply(
        received,
        inspection_report=any(report for report, _ in found),
        priority_actions=any(priority for report, priority in found if not report),
    )


def deadlines_for_record(
    record: InspectionRecord | LetterRecord, received: date
) -> tuple[DueDate, ...]:
    """The deadlines that apply to one report or letter as read (`deadlines_that_apply`): an
    inspection report has publication and the action plan; a focused-visit letter with areas
    for priority action has the 20-day draft and the action plan; a letter without them has
    none."""
    if isinstance(record, InspectionRecord):
        return deadlines_that_apply(received, inspection_report=True, priority_actions=False)
    return deadlines_that_apply(
        received, inspection_report=False, priority_actions=bool(record.priority_actions)
    )
