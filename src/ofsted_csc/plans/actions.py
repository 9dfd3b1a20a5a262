"""Writes to actions: adding one (with what it answers), changing its fields, overriding its
RAG with a reason, and dated progress updates. An action carries a version: a save names the
version it was read at (optimistic lock)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.domain.limits import (
    MAX_ACTION_LINKS,
    MAX_ACTION_UPDATES,
    MAX_PLAN_ACTIONS,
    MAX_PLAN_UPDATES,
)
from ofsted_csc.domain.values import is_id
from ofsted_csc.plans.common import (
    MAX_TEXT,
    User,
    action_ref,
    action_row,
    audit,
    check_count,
    check_text,
    check_version,
    count_of,
    flush_version,
    lead_row,
    now,
    plan_actions,
    plan_council,
    require,
)
from ofsted_csc.plans.findings import SECTION_LABELS, Link, report_items
from ofsted_csc.plans.rules import Permission, Rag, Status
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import (
    ActionLinkRow,
    ActionRow,
    ProgressUpdateRow,
    WorkstreamRow,
)

# the fields of an action a user edits, and the type of each
ACTION_FIELDS = {
    "description": str,
    "lead": str,
    "partner": str,
    "start_date": date,
    "due_date": date,
    "status": Status,
    "percent": int,
}


def action_create(
    store: Store,
    actor: User,
    workstream_id: int,
    description: str,
    *,
    lead: str | None = None,
    partner: str | None = None,
    start: date | None = None,
    due: date | None = None,
    status: Status = Status.NOT_STARTED,
    percent: int = 0,
    links: Iterable[Link] = (),
) -> int:
    links = list(links)
    check_count(len(links), MAX_ACTION_LINKS, "findings answered", "an action")
    with store.transaction() as s:
        ws = s.get(WorkstreamRow, workstream_id) if is_id(workstream_id) else None
        if ws is None:
            raise NotFound(f"no workstream has id {workstream_id}")
        require(s, actor, Permission.EDIT, plan_council(s, ws.plan_id))
        check_count(plan_actions(s, ws.plan_id) + 1, MAX_PLAN_ACTIONS, "actions", "a plan")
        lead_id = lead_row(s, lead, plan_council(s, ws.plan_id)).id if lead else None
        position = len(ws.actions) + 1
        action = new_action(
            s,
            actor,
            ws.plan_id,
            ws,
            position,
            description=description,
            lead_id=lead_id,
            partner=partner,
            start=start,
            due=due,
            status=status,
            percent=percent,
        )
        for link in links:
            s.add(_link_row(store, action.id, link))
        return action.id


def action_update(
    store: Store,
    actor: User,
    action_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> int:
    """Change an action's fields (names in ACTION_FIELDS; None clears an optional one).
    Returns the action's new version."""
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise InvalidInput(f"an action has no field {', '.join(sorted(unknown))}")
    with store.transaction() as s:
        action = action_row(s, action_id)
        require(s, actor, Permission.EDIT, plan_council(s, action.plan_id))
        ref = action_ref(s, action)
        check_version(f"action {ref}", action.version, expected_version, action)
        values = {
            "description": action.description,
            "lead": action.lead.username if action.lead else None,
            "partner": action.partner,
            "start_date": action.start_date,
            "due_date": action.due_date,
            "status": Status(action.status),
            "percent": action.percent,
        }
        new = {**values, **changes}
        new_lead = (
            None
            if not new["lead"]
            else action.lead  # kept as it was, though its holder may have left since
            if action.lead is not None and new["lead"] == values["lead"]
            else lead_row(s, new["lead"], plan_council(s, action.plan_id))
        )
        validate_action(
            ref,
            new["description"],
            new["partner"],
            new["start_date"],
            new["due_date"],
            new["status"],
            new["percent"],
            evidence=len(action.evidence),
        )
        changed = False
        for field in ACTION_FIELDS:
            if field not in changes or new[field] == values[field]:
                continue
            changed = True
            audit(
                s,
                actor.id,
                action.plan_id,
                "action",
                action.id,
                ref,
                field,
                values[field],
                new[field],
            )
            if field == "lead":
                action.lead_id = new_lead.id if new_lead else None
            elif field == "status":
                action.status = new["status"].value
            elif field == "description":
                action.description = new["description"].strip()
            elif field == "partner":
                action.partner = (new["partner"] or "").strip() or None
            else:
                setattr(action, field, new[field])
        if not changed:
            return action.version
        action.updated_at = now()
        action.updated_by_id = actor.id
        return flush_version(s, action, f"action {ref}")


def rag_override_set(
    store: Store,
    actor: User,
    action_id: int,
    expected_version: int,
    rag: Rag | None,
    reason: str | None,
) -> int:
    """Override an action's computed RAG (a reason is required), or clear the override."""
    with store.transaction() as s:
        action = action_row(s, action_id)
        require(s, actor, Permission.EDIT, plan_council(s, action.plan_id))
        ref = action_ref(s, action)
        check_version(f"action {ref}", action.version, expected_version, action)
        reason = (reason or "").strip()
        if rag is not None and not reason:
            raise InvalidInput(f"action {ref}: overriding the RAG needs a reason")
        check_text("reason", reason, MAX_TEXT, multiline=True)
        old = action.rag_override
        new_value = rag.name.lower() if rag is not None else None
        if old == new_value and (rag is None or reason == action.rag_override_reason):
            return action.version
        audit(s, actor.id, action.plan_id, "action", action.id, ref, "rag_override", old, new_value)
        if rag is not None:
            audit(
                s,
                actor.id,
                action.plan_id,
                "action",
                action.id,
                ref,
                "rag_override_reason",
                action.rag_override_reason,
                reason,
            )
        action.rag_override = new_value
        action.rag_override_reason = reason or None
        action.rag_override_by_id = actor.id if rag is not None else None
        action.rag_override_at = now() if rag is not None else None
        action.updated_at = now()
        action.updated_by_id = actor.id
        return flush_version(s, action, f"action {ref}")


def progress_add(store: Store, actor: User, action_id: int, on: date, text: str) -> int:
    text = text.strip()
    if not text:
        raise InvalidInput("a progress update needs some text")
    check_text("update", text, MAX_TEXT, multiline=True)
    with store.transaction() as s:
        action = action_row(s, action_id)
        require(s, actor, Permission.EDIT, plan_council(s, action.plan_id))
        updates = select(func.count(ProgressUpdateRow.id)).join(ActionRow)
        check_count(
            count_of(s, updates.where(ActionRow.id == action.id)) + 1,
            MAX_ACTION_UPDATES,
            "progress updates",
            "an action",
        )
        check_count(
            count_of(s, updates.where(ActionRow.plan_id == action.plan_id)) + 1,
            MAX_PLAN_UPDATES,
            "progress updates",
            "a plan",
        )
        row = ProgressUpdateRow(
            action_id=action.id, on=on, text=text, author_id=actor.id, created_at=now()
        )
        s.add(row)
        s.flush()
        audit(
            s,
            actor.id,
            action.plan_id,
            "action",
            action.id,
            action_ref(s, action),
            "update",
            None,
            f"{on.isoformat()}: {text}",
        )
        return row.id


def validate_action(
    ref: str,
    description: str,
    partner: str | None,
    start: date | None,
    due: date | None,
    status: Status,
    percent: int,
    evidence: int,
) -> None:
    if not description or not description.strip():
        raise InvalidInput(f"action {ref}: the description is empty")
    check_text("description", description, MAX_TEXT, multiline=True)
    if partner:
        check_text("partner agency", partner, 300)
    if start is not None and due is not None and due < start:
        raise InvalidInput(
            f"action {ref}: the due date {due:%-d %B %Y} is before the start date {start:%-d %B %Y}"
        )
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise InvalidInput(f"action {ref}: percent complete must be 0 to 100, not {percent}")
    if status is Status.CLOSED_WITH_EVIDENCE and not evidence:
        raise InvalidInput(f"action {ref}: add evidence before closing it with evidence")


def new_action(
    s: Session,
    actor: User,
    plan_id: int,
    ws: WorkstreamRow,
    position: int,
    *,
    description: str,
    lead_id: int | None,
    partner: str | None = None,
    start: date | None = None,
    due: date | None = None,
    status: Status = Status.NOT_STARTED,
    percent: int = 0,
) -> ActionRow:
    """An action added inside the caller's transaction (a new plan's drafts, an import or one
    action added), validated and audited."""
    ref = f"{ws.position}.{position}"
    validate_action(ref, description, partner, start, due, status, percent, evidence=0)
    stamp = now()
    action = ActionRow(
        plan_id=plan_id,
        workstream_id=ws.id,
        position=position,
        description=description.strip(),
        lead_id=lead_id,
        partner=(partner or "").strip() or None,
        start_date=start,
        due_date=due,
        status=status.value,
        percent=percent,
        created_at=stamp,
        updated_at=stamp,
        updated_by_id=actor.id,
    )
    s.add(action)
    s.flush()
    audit(
        s, actor.id, plan_id, "action", action.id, ref, "created", None, description.strip()[:500]
    )
    return action


def _link_row(store: Store, action_id: int, link: Link) -> ActionLinkRow:
    record = store.find(link.sha256).result.record
    for section, position, text, page in report_items(record):
        if (section, position) == (link.section, link.position):
            return ActionLinkRow(
                action_id=action_id,
                sha256=link.sha256,
                section=section,
                position=position,
                text=text,
                page=page,
            )
    raise InvalidInput(
        f"{link.sha256[:12]}: the report has no {SECTION_LABELS.get(link.section, link.section).lower()} "
        f"number {link.position}"
    )
