"""The RAG rule (ofsted_csc.plans.rules), case by case, each outcome worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from ofsted_csc.plans.rules import (
    MeasureInput,
    Permission,
    Rag,
    Role,
    Status,
    can,
    compute_rag,
    measure_state,
)

ON = date(2026, 6, 1)  # a Monday


def rag(
    status: Status = Status.ON_TRACK,
    *,
    start: date | None = date(2026, 1, 5),
    due: date | None = date(2026, 12, 18),
    percent: int = 40,
    lead: bool = True,
    measures: list[MeasureInput] | None = None,
    on: date = ON,
) -> tuple[Rag, tuple[str, ...]]:
    out = compute_rag(
        status=status,
        start=start,
        due=due,
        percent=percent,
        has_lead=lead,
        measures=measures or [],
        on=on,
    )
    return out.rag, out.reasons


def measure(current: float | None, baseline: float = 50, target: float = 90) -> MeasureInput:
    readings = [(date(2026, 5, 29), current)] if current is not None else []
    # baseline 1 Jan 2026, target 1 Jan 2027: on 1 June, 151 of 365 days (41%) have gone
    return MeasureInput(
        "Visits on time (%)", baseline, date(2026, 1, 1), target, date(2027, 1, 1), readings
    )


def test_an_action_on_course_is_green() -> None:
    assert rag() == (Rag.GREEN, ("on course",))


@pytest.mark.parametrize("status", [Status.COMPLETE, Status.CLOSED_WITH_EVIDENCE])
def test_done_is_blue_even_when_past_due(status: Status) -> None:
    assert rag(status, due=date(2026, 1, 30))[0] is Rag.BLUE


def test_past_due_is_red_with_the_working_days_overdue() -> None:
    # due Friday 22 May 2026; 25 May is the spring bank holiday; 26-29 May and 1 June: 5
    level, reasons = rag(due=date(2026, 5, 22))
    assert level is Rag.RED
    assert reasons == ("overdue: due 22 May 2026, 5 working days ago",)


def test_off_track_is_red_and_at_risk_amber() -> None:
    assert rag(Status.OFF_TRACK)[0] is Rag.RED
    assert rag(Status.AT_RISK) == (Rag.AMBER, ("status is at risk",))


def test_measures_are_judged_against_their_trajectory() -> None:
    # 41% of the time gone: at 62 the measure is 30% of the way (11 points behind): amber
    assert rag(measures=[measure(62)])[0] is Rag.AMBER
    # at 54, 10% of the way (31 points behind): red
    assert rag(measures=[measure(54)])[0] is Rag.RED
    # at 70, 50% of the way: ahead, green
    assert rag(measures=[measure(70)])[0] is Rag.GREEN
    # no reading yet counts as still at baseline: red by June
    assert rag(measures=[measure(None)])[0] is Rag.RED
    # a measure that falls (target below baseline) works the same way
    assert rag(measures=[measure(38, baseline=50, target=20)])[0] is Rag.GREEN


def test_a_measure_past_its_target_date_short_of_target_is_red_and_one_met_never_counts() -> None:
    late = MeasureInput("m", 50, date(2025, 1, 1), 90, date(2026, 1, 1), [(date(2026, 3, 1), 89)])
    assert rag(measures=[late])[0] is Rag.RED
    met = MeasureInput("m", 50, date(2025, 1, 1), 90, date(2026, 1, 1), [(date(2026, 3, 1), 95)])
    assert rag(measures=[met])[0] is Rag.GREEN


def test_due_soon_and_little_done_is_amber() -> None:
    # due Friday 12 June: 9 working days after Monday 1 June
    assert rag(due=date(2026, 6, 12), percent=50) == (
        Rag.AMBER,
        ("due in 9 working days and 50% complete",),
    )
    assert rag(due=date(2026, 6, 12), percent=80)[0] is Rag.GREEN
    assert rag(due=date(2026, 6, 30), percent=10)[0] is Rag.GREEN


def test_unplanned_or_late_starting_actions_are_amber() -> None:
    assert rag(due=None)[1] == ("no due date",)
    assert rag(lead=False)[1] == ("no lead officer",)
    assert rag(Status.NOT_STARTED, start=date(2026, 5, 1))[0] is Rag.AMBER
    assert rag(Status.NOT_STARTED, start=date(2026, 7, 1))[0] is Rag.GREEN


def test_the_worst_outcome_wins_and_only_its_reasons_are_given() -> None:
    level, reasons = rag(Status.AT_RISK, due=date(2026, 5, 29), lead=False)
    assert level is Rag.RED and reasons == ("overdue: due 29 May 2026, 1 working days ago",)


def test_measure_state_uses_the_latest_reading_on_or_before_the_date() -> None:
    readings = [(date(2026, 3, 1), 60.0), (date(2026, 5, 1), 70.0), (date(2026, 7, 1), 85.0)]
    state = measure_state(50, date(2026, 1, 1), 90, date(2027, 1, 1), readings, ON)
    assert (state.current, state.current_on, state.progress) == (70.0, date(2026, 5, 1), 0.5)


def test_roles() -> None:
    assert can(Role.VIEWER, Permission.VIEW) and not can(Role.VIEWER, Permission.EDIT)
    assert can(Role.EDITOR, Permission.EDIT) and not can(Role.EDITOR, Permission.ADMIN)
    assert all(can(Role.ADMIN, p) for p in Permission)


def test_statuses_read_by_label_or_value() -> None:
    assert Status.parse("On track") is Status.ON_TRACK
    assert Status.parse("closed_with_evidence") is Status.CLOSED_WITH_EVIDENCE
    with pytest.raises(ValueError):
        Status.parse("nearly there")
