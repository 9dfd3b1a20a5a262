"""The statutory deadlines of an improvement plan, in working days (domain.md, section 5).

A council sends Ofsted its action plan within 70 working days of receiving the report or
letter; after a focused visit with areas for priority action, a draft within 20 working days;
the council publishes the report within 30 working days of receiving it. The day counted from
is day 0.

These numbers, the deadlines' names and the rule of which deadlines apply to a report or letter
(`deadlines_that_apply`, `deadlines_for_record`) are the one place the deadlines are said:
pages, plans and documents that state them take them from here. Working days themselves are
counted in `domain.workdays`.
"""

from __future__ import annotations

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

    - `inspection_report`: the council answers a graded inspection's report (not only a
      visit's letter). The council publishes the report within 30 working days; a visit's
      letter carries no publication deadline.
    - `priority_actions`: a letter (a focused visit) names at least one area for priority
      action. Only then is a draft plan due within 20 working days: a focused visit without
      priority actions has no such deadline.

    The action plan to Ofsted (70 working days) applies to every report and letter a plan
    answers. A plan answering several takes the union (any report, any priority action).
    The focused-visit brief and the plan pages use this; `deadlines_for_record` asks it of
    a record as read.
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
    out.append(DueDate(ACTION_PLAN, ACTION_PLAN_WORKING_DAYS, action_plan_due(received)))
    return tuple(sorted(out, key=lambda d: d.due))


def deadlines_for_record(
    record: InspectionRecord | LetterRecord, received: date
) -> tuple[DueDate, ...]:
    """The deadlines that apply to one report or letter as read (`deadlines_that_apply`): a
    focused-visit letter with areas for priority action has the 20-day draft; one without
    has only the action plan; an inspection report also has publication."""
    if isinstance(record, InspectionRecord):
        return deadlines_that_apply(received, inspection_report=True, priority_actions=False)
    return deadlines_that_apply(
        received, inspection_report=False, priority_actions=bool(record.priority_actions)
    )
