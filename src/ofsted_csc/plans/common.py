"""What the write modules of plans share: the user as the library sees them, the role check
inside a transaction, the audit trail, the clock, text limits, the optimistic lock and the
look-ups of rows that must exist.

Every write names the acting user, checks the role (`require`), validates everything before
writing, records each changed field in the audit trail (`audit`) and happens in one
`store.transaction()`: it all lands, or nothing does. Things that many people edit (plans,
actions) carry a version: a save names the version it was read at, and is refused with
`StaleEdit` if somebody saved in between (`check_version`, `flush_version`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ofsted_csc.domain import values
from ofsted_csc.domain.errors import InvalidInput, NotFound, PermissionDenied, StaleEdit
from ofsted_csc.domain.limits import too_many
from ofsted_csc.plans.rules import BoardKind, Permission, PlanStatus, Role, Status, can
from ofsted_csc.storage.models import utc_now
from ofsted_csc.storage.plan_models import (
    ActionRow,
    AuditEventRow,
    PlanRow,
    UserRow,
    WorkstreamRow,
)

MAX_TEXT = 10_000


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    can_sign_in: bool
    email: str | None = None

    def can(self, permission: Permission) -> bool:
        return self.active and can(self.role, permission)


def user_view(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=values.xml_safe(row.display_name),
        role=Role(row.role),
        active=row.active,
        can_sign_in=row.password_hash is not None,
        email=row.email,
    )


def now() -> datetime:
    """The time of a write, as the store keeps it: one clock for every write module (a test
    sets it by patching `utc_now` here)."""
    return utc_now()


def require(s: Session, actor: User, permission: Permission) -> None:
    """The actor's role, read again inside the transaction (a role changed a moment ago
    counts), must allow `permission`."""
    row = s.get(UserRow, actor.id)
    if row is None or not row.active:
        raise PermissionDenied(f"user {actor.username!r} is not an active user")
    if not can(Role(row.role), permission):
        raise PermissionDenied(
            f"user {row.username!r} is a {row.role}: {permission.value} needs "
            f"{'an admin' if permission is Permission.ADMIN else 'an editor or admin'}"
        )


def check_text(what: str, text: str, limit: int, *, multiline: bool = False) -> None:
    """Refuse text too long or holding a control character (domain.values.check_text)."""
    values.check_text(what, text, limit, multiline=multiline)


def check_count(count: int, limit: int, what: str, holder: str) -> None:
    """Refuse a write that would make `count` of something past its limit (domain.limits)."""
    if count > limit:
        raise InvalidInput(too_many(what, limit, holder, count))


def count_of(s: Session, query: Select[int]) -> int:
    return int(s.scalar(query) or 0)


def plan_actions(s: Session, plan_id: int) -> int:
    return count_of(s, select(func.count(ActionRow.id)).where(ActionRow.plan_id == plan_id))


def user_row(s: Session, username: str) -> UserRow:
    name = username.strip().lower()
    check_text("user name", name, 80)
    row = s.scalar(select(UserRow).where(UserRow.username == name))
    if row is None:
        raise InvalidInput(f"no user is named {name!r} (add them with `ofsted-csc user add`)")
    return row


def plan_row(s: Session, plan_id: int) -> PlanRow:
    row = s.get(PlanRow, plan_id) if values.is_id(plan_id) else None
    if row is None:
        raise NotFound(f"no plan has id {plan_id}")
    return row


def action_row(s: Session, action_id: int) -> ActionRow:
    row = s.get(ActionRow, action_id) if values.is_id(action_id) else None
    if row is None:
        raise NotFound(f"no action has id {action_id}")
    return row


def action_ref(s: Session, action: ActionRow) -> str:
    """An action's reference as people see it: workstream.position (1.3)."""
    ws = s.get(WorkstreamRow, action.workstream_id)
    assert ws is not None
    return f"{ws.position}.{action.position}"


def check_version(what: str, current: int, expected: int, action: ActionRow | None = None) -> None:
    if current == expected:
        return
    who = ""
    if action is not None:
        who = f" by {action.updated_by.display_name} at {action.updated_at:%H:%M on %-d %B %Y}"
    raise StaleEdit(
        f"{what} was changed{who} since you opened it, so your changes were not saved: "
        "open it again to see the latest and make your changes there"
    )


def flush_version(s: Session, row: PlanRow | ActionRow, what: str) -> int:
    try:
        s.flush()
    except StaleDataError as exc:  # saved by someone else between our read and our write
        raise StaleEdit(
            f"{what} was changed by someone else while you were saving, so your changes were "
            "not saved: open it again and make your changes there"
        ) from exc
    return row.version


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Status | Role | PlanStatus | BoardKind):
        return value.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def audit(
    s: Session,
    user_id: int | None,
    plan_id: int | None,
    entity: str,
    entity_id: int,
    ref: str,
    field: str,
    old: Any,
    new: Any,
    *,
    council_urn: str | None = None,
) -> None:
    """One changed field in the audit trail (which the database will not let change), with
    the council it touched: the plan's when there is one, else `council_urn` (an uploaded
    report's), else none (user and token admin). `user_id` None: nobody signed in (only an
    upload the deployment opened to anyone)."""
    if plan_id is not None:
        plan = s.get(PlanRow, plan_id)  # in the session already: the write just read it
        if plan is not None:
            council_urn = plan.council_urn
    s.add(
        AuditEventRow(
            at=now(),
            user_id=user_id,
            plan_id=plan_id,
            council_urn=council_urn,
            entity=entity,
            entity_id=entity_id,
            ref=ref[:100],
            field=field[:60],
            old=_text(old),
            new=_text(new),
        )
    )


def add_for_action(
    s: Session,
    actor: User,
    action: ActionRow,
    row: Any,
    entity: str,
    field: str,
    new: str,
    entity_id: int | None = None,
) -> int:
    """Add a row that belongs to an action (evidence, a measure, a reading) and record it in
    the audit trail under the action's reference; the new row's id. `entity_id`: the audited
    thing when it is not the row itself (a reading is audited as its measure)."""
    s.add(row)
    s.flush()
    audit(
        s,
        actor.id,
        action.plan_id,
        entity,
        row.id if entity_id is None else entity_id,
        action_ref(s, action),
        field,
        None,
        new,
    )
    return int(row.id)
