"""Writes to success measures: a measure of an action (a baseline and a target, each on a
date) and the readings recorded against it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.domain.limits import (
    MAX_ACTION_MEASURES,
    MAX_MEASURE_READINGS,
    MAX_PLAN_MEASURES,
    MAX_PLAN_READINGS,
)
from ofsted_csc.domain.values import check_number, is_id
from ofsted_csc.plans.common import (
    User,
    action_row,
    add_for_action,
    check_count,
    check_text,
    count_of,
    now,
    plan_council,
    require,
)
from ofsted_csc.plans.rules import Permission
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import ActionRow, MeasureReadingRow, MeasureRow


def measure_add(
    store: Store,
    actor: User,
    action_id: int,
    name: str,
    *,
    baseline: float,
    baseline_date: date,
    target: float,
    target_date: date,
) -> int:
    name = name.strip()
    if not name:
        raise InvalidInput("a success measure needs a name")
    check_text("measure name", name, 300)
    baseline = check_number("baseline", baseline)
    target = check_number("target", target)
    if target_date <= baseline_date:
        raise InvalidInput(
            f"measure {name!r}: the target date {target_date:%-d %B %Y} is not after the "
            f"baseline date {baseline_date:%-d %B %Y}"
        )
    with store.transaction() as s:
        action = action_row(s, action_id)
        require(s, actor, Permission.EDIT, plan_council(s, action.plan_id))
        measures = select(func.count(MeasureRow.id)).join(ActionRow)
        check_count(
            count_of(s, measures.where(ActionRow.id == action.id)) + 1,
            MAX_ACTION_MEASURES,
            "success measures",
            "an action",
        )
        check_count(
            count_of(s, measures.where(ActionRow.plan_id == action.plan_id)) + 1,
            MAX_PLAN_MEASURES,
            "success measures",
            "a plan",
        )
        row = MeasureRow(
            action_id=action.id,
            name=name,
            baseline=float(baseline),
            baseline_date=baseline_date,
            target=float(target),
            target_date=target_date,
        )
        return add_for_action(
            s,
            actor,
            action,
            row,
            "measure",
            "created",
            f"{name}: {_num(baseline)} on {baseline_date.isoformat()} -> {_num(target)} by "
            f"{target_date.isoformat()}",
        )


def measure_record(store: Store, actor: User, measure_id: int, value: float, on: date) -> int:
    value = check_number("value", value)
    with store.transaction() as s:
        measure = s.get(MeasureRow, measure_id) if is_id(measure_id) else None
        if measure is None:
            raise NotFound(f"no success measure has id {measure_id}")
        require(
            s, actor, Permission.EDIT, plan_council(s, action_row(s, measure.action_id).plan_id)
        )
        if on < measure.baseline_date:
            raise InvalidInput(
                f"measure {measure.name!r}: a reading on {on:%-d %B %Y} is before its baseline "
                f"date {measure.baseline_date:%-d %B %Y}"
            )
        action = action_row(s, measure.action_id)
        readings = select(func.count(MeasureReadingRow.id)).join(MeasureRow).join(ActionRow)
        check_count(
            count_of(s, readings.where(MeasureRow.id == measure.id)) + 1,
            MAX_MEASURE_READINGS,
            "readings",
            "a success measure",
        )
        check_count(
            count_of(s, readings.where(ActionRow.plan_id == action.plan_id)) + 1,
            MAX_PLAN_READINGS,
            "readings of its measures",
            "a plan",
        )
        row = MeasureReadingRow(
            measure_id=measure.id,
            value=float(value),
            on=on,
            recorded_by_id=actor.id,
            recorded_at=now(),
        )
        return add_for_action(
            s,
            actor,
            action,
            row,
            "measure",
            measure.name,
            f"{_num(value)} on {on.isoformat()}",
            entity_id=measure.id,
        )


def _num(value: float) -> str:
    return f"{value:g}"
