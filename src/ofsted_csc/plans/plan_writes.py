"""Writes to plans: a new plan answering stored inspections or visits (drafted with one action
per finding), a plan's title, received date and status, and its workstreams. A plan carries a
version: a save names the version it was read at (optimistic lock)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select

from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.limits import MAX_PLAN_SOURCES, MAX_PLAN_WORKSTREAMS
from ofsted_csc.domain.records import InspectionRecord
from ofsted_csc.plans.actions import new_action
from ofsted_csc.plans.common import (
    User,
    audit,
    check_count,
    check_text,
    check_version,
    count_of,
    flush_version,
    now,
    plan_row,
    require,
)
from ofsted_csc.plans.findings import received_default, report_items, source_label
from ofsted_csc.plans.rules import Permission, PlanStatus
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import ActionLinkRow, PlanRow, PlanSourceRow, WorkstreamRow


def plan_create(
    store: Store,
    actor: User,
    sources: Sequence[str],
    *,
    title: str | None = None,
    received: date | None = None,
    draft_actions: bool = True,
    council: str | None = None,
) -> int:
    """A plan answering stored inspections or visits (file names or sha256). With
    `draft_actions`, one workstream per source and one action per recommendation, area for
    priority action or area for improvement, each linked to the report's words."""
    check_count(len(sources), MAX_PLAN_SOURCES, "inspections and visits", "a plan")
    registry = load_registry()
    found = [store.find(key) for key in sources]
    if not found and council is None:
        raise InvalidInput("a plan needs a council or at least one inspection or visit")
    urns = {f.result.record.council_urn for f in found}
    if council is not None:
        urns.add(registry.lookup(council).urn)
    if len(urns) != 1 or None in urns:
        raise InvalidInput("the inspections and visits of a plan must all be of one council")
    urn = urns.pop()
    assert urn is not None
    if received is None and found:
        dates = [d for f in found if (d := received_default(f.result.record)) is not None]
        received = max(dates, default=None)
    known = registry.by_urn(urn)
    name = known.name if known is not None else urn
    plan_title = (title or "").strip() or f"{name}: improvement plan"
    check_text("title", plan_title, 300)
    with store.transaction() as s:
        require(s, actor, Permission.EDIT, urn)
        plan = PlanRow(
            council_urn=urn,
            title=plan_title,
            received=received,
            status=PlanStatus.DRAFT.value,
            created_at=now(),
            created_by_id=actor.id,
        )
        s.add(plan)
        s.flush()
        audit(s, actor.id, plan.id, "plan", plan.id, "plan", "created", None, plan_title)
        for position, f in enumerate(found, 1):
            record = f.result.record
            label = source_label(record)
            kind = "inspection" if isinstance(record, InspectionRecord) else "letter"
            sha = f.result.source.sha256
            s.add(
                PlanSourceRow(
                    plan_id=plan.id,
                    sha256=sha,
                    kind=kind,
                    label=label,
                    file_name=f.result.source.file_name,
                )
            )
            audit(s, actor.id, plan.id, "plan", plan.id, "plan", "source", None, label)
            if not draft_actions:
                continue
            items = report_items(record)
            if not items:
                continue
            ws = WorkstreamRow(plan_id=plan.id, position=position, title=f"Answering the {label}")
            s.add(ws)
            s.flush()
            audit(
                s, actor.id, plan.id, "workstream", ws.id, str(position), "created", None, ws.title
            )
            for n, (section, item_pos, text, page) in enumerate(items, 1):
                action = new_action(
                    s, actor, plan.id, ws, n, description=text, lead_id=actor.id, start=received
                )
                s.add(
                    ActionLinkRow(
                        action_id=action.id,
                        sha256=sha,
                        section=section,
                        position=item_pos,
                        text=text,
                        page=page,
                    )
                )
        return plan.id


def plan_update(
    store: Store,
    actor: User,
    plan_id: int,
    expected_version: int,
    *,
    title: str | None = None,
    received: date | None = None,
    status: PlanStatus | None = None,
) -> int:
    with store.transaction() as s:
        plan = plan_row(s, plan_id)
        require(s, actor, Permission.EDIT, plan.council_urn)
        check_version("the plan", plan.version, expected_version)
        changes: dict[str, tuple[Any, Any]] = {}
        if title is not None and title.strip() != plan.title:
            check_text("title", title.strip(), 300)
            changes["title"] = (plan.title, title.strip())
            plan.title = title.strip()
        if received is not None and received != plan.received:
            changes["received"] = (plan.received, received)
            plan.received = received
        if status is not None and status.value != plan.status:
            changes["status"] = (plan.status, status.value)
            plan.status = status.value
        for field, (old, new) in changes.items():
            audit(s, actor.id, plan.id, "plan", plan.id, "plan", field, old, new)
        return flush_version(s, plan, "the plan")


def workstream_add(store: Store, actor: User, plan_id: int, title: str) -> int:
    title = title.strip()
    if not title:
        raise InvalidInput("a workstream needs a title")
    check_text("title", title, 300)
    with store.transaction() as s:
        plan = plan_row(s, plan_id)
        require(s, actor, Permission.EDIT, plan.council_urn)
        check_count(
            count_of(
                s, select(func.count(WorkstreamRow.id)).where(WorkstreamRow.plan_id == plan.id)
            )
            + 1,
            MAX_PLAN_WORKSTREAMS,
            "workstreams",
            "a plan",
        )
        position = (
            s.scalar(
                select(func.max(WorkstreamRow.position)).where(WorkstreamRow.plan_id == plan.id)
            )
            or 0
        ) + 1
        ws = WorkstreamRow(plan_id=plan.id, position=position, title=title)
        s.add(ws)
        s.flush()
        audit(s, actor.id, plan.id, "workstream", ws.id, str(position), "created", None, title)
        return ws.id
