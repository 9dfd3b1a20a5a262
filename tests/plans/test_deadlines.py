"""Working-day deadlines across Christmas, Easter and bank holiday Mondays (England)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ofsted_csc import api
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.records import LetterRecord
from ofsted_csc.domain.workdays import add_working_days, is_working_day, working_days_between
from ofsted_csc.plans import plan_writes, selectors
from ofsted_csc.plans.common import OPERATOR, User
from ofsted_csc.plans.deadlines import (
    ACTION_PLAN,
    PRIORITY_ACTION_DRAFT,
    PUBLICATION,
    action_plan_due,
    deadlines_for_plan,
    deadlines_for_record,
    deadlines_that_apply,
    priority_action_draft_due,
    publication_due,
)
from ofsted_csc.storage import Store

from .helpers import LETTER, REPORT


def test_christmas_and_new_year_are_skipped() -> None:
    # Tue 23 Dec 2025 + 3 working days: Wed 24, (Thu 25, Fri 26 bank holidays, weekend),
    # Mon 29, Tue 30
    assert add_working_days(date(2025, 12, 23), 3) == date(2025, 12, 30)
    # 2026: Boxing Day is a Saturday, so Monday 28 December is the substitute bank holiday
    assert not is_working_day(date(2026, 12, 28))
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # 1 Jan, weekend


def test_easter_is_skipped() -> None:
    # Good Friday 3 April 2026 and Easter Monday 6 April 2026
    assert not is_working_day(date(2026, 4, 3)) and not is_working_day(date(2026, 4, 6))
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_a_bank_holiday_monday_is_skipped() -> None:
    # Late summer bank holiday, Monday 31 August 2026
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)
    # Early May bank holiday, Monday 4 May 2026
    assert add_working_days(date(2026, 5, 1), 1) == date(2026, 5, 5)


def test_ofsted_deadlines() -> None:
    received = date(2026, 3, 2)  # a Monday
    due = action_plan_due(received)
    assert working_days_between(received, due) == 70
    # 70 working days = 14 weeks (Monday 8 June), plus Good Friday, Easter Monday, the early
    # May and the spring bank holidays: four more days
    assert due == date(2026, 6, 12)
    assert priority_action_draft_due(date(2025, 12, 1)) == date(2025, 12, 31)
    # from Friday 1 May 2026, past the two May bank holidays
    assert publication_due(date(2026, 5, 1)) == date(2026, 6, 16)


def test_between_is_antisymmetric_and_counts_only_working_days() -> None:
    a, b = date(2025, 12, 19), date(2026, 1, 5)
    # 22, 23, 24, 29, 30, 31 December, 2 and 5 January: Christmas, Boxing Day, New Year skipped
    assert working_days_between(a, b) == 8
    assert working_days_between(b, a) == -8
    assert working_days_between(a, a) == 0


def test_negative_days_are_refused() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        add_working_days(date(2026, 1, 1), -1)


def test_which_deadlines_apply_to_a_report_and_to_letters() -> None:
    received = date(2026, 3, 2)
    names = {
        (report, priority): [
            d.name
            for d in deadlines_that_apply(
                received, inspection_report=report, priority_actions=priority
            )
        ]
        for report in (True, False)
        for priority in (True, False)
    }
    assert names[(True, False)] == [PUBLICATION, ACTION_PLAN]
    assert names[(False, True)] == [PRIORITY_ACTION_DRAFT, ACTION_PLAN]
    # a visit's letter without areas for priority action sets no deadline at all
    assert names[(False, False)] == []
    both = deadlines_that_apply(received, inspection_report=True, priority_actions=True)
    assert [(d.working_days, d.due) for d in both] == [
        (20, priority_action_draft_due(received)),
        (30, publication_due(received)),
        (70, action_plan_due(received)),
    ]
    assert [working_days_between(received, d.due) for d in both] == [20, 30, 70]


@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        # two areas for priority action, letter of 23 August 2021
        (LETTER, [(PRIORITY_ACTION_DRAFT, date(2021, 9, 21)), (ACTION_PLAN, date(2021, 11, 30))]),
        # areas for improvement only, letter of 25 June 2021: no deadline applies
        ("fv-14a95227fd32.pdf", []),
    ],
)
def test_a_plan_shows_the_deadlines_its_letter_has(
    store: Store,
    people: dict[str, User],
    fixtures_dir: Path,
    letter: str,
    expected: list[tuple[str, date]],
) -> None:
    api.ingest(store, [fixtures_dir / "letters" / letter])
    record = store.find(letter).result.record
    assert isinstance(record, LetterRecord)
    plan_id = plan_writes.plan_create(store, people["editor"], [letter], draft_actions=False)
    plan = selectors.plan_get(store, plan_id, on=date(2021, 9, 1), actor=OPERATOR)
    assert [(d.name, d.due) for d in plan.deadlines] == expected
    assert [(d.name, d.due) for d in deadlines_for_record(record, plan.received)] == expected
    listed = next(
        p
        for p in selectors.plan_list(store, on=date(2021, 9, 1), actor=OPERATOR)
        if p.id == plan_id
    )
    assert [(d.name, d.due) for d in listed.deadlines] == expected


def test_a_plan_answering_a_report_shows_its_publication_deadline(
    store: Store, people: dict[str, User]
) -> None:
    plan_id = plan_writes.plan_create(store, people["editor"], [REPORT])
    plan = selectors.plan_get(store, plan_id, actor=OPERATOR)
    assert plan.received is not None
    assert [(d.name, d.due) for d in plan.deadlines] == [
        (PUBLICATION, publication_due(plan.received)),
        (ACTION_PLAN, action_plan_due(plan.received)),
    ]
    assert working_days_between(plan.received, plan.deadlines[0].due) == 30


def test_a_plan_answering_several_takes_every_deadline_and_one_answering_none_the_action_plan() -> (
    None
):
    received = date(2026, 3, 2)
    # a report and a letter without priority actions: the report's deadlines
    assert [d.name for d in deadlines_for_plan(received, [(True, False), (False, False)])] == [
        PUBLICATION,
        ACTION_PLAN,
    ]
    # a report and a letter with them: all three
    assert [d.name for d in deadlines_for_plan(received, [(True, False), (False, True)])] == [
        PRIORITY_ACTION_DRAFT,
        PUBLICATION,
        ACTION_PLAN,
    ]
    # a plan that names no report or letter (a council's own workbook): the action plan
    (only,) = deadlines_for_plan(received, [])
    assert (only.name, only.due) == (ACTION_PLAN, action_plan_due(received))
