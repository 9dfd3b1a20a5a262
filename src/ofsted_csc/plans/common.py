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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, true
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
    MembershipRow,
    PlanRow,
    UserRow,
    WorkstreamRow,
)

MAX_TEXT = 10_000


@dataclass(frozen=True)
class User:
    """A user as the library sees them: their own role (which holds for every council) and
    their memberships (a role in one council each), as read when the user was looked up. The
    library checks again inside each transaction (`require`, `readable`); these are for what a
    page offers."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    can_sign_in: bool
    email: str | None = None
    memberships: tuple[tuple[str, Role], ...] = ()  # (council URN, role), by URN

    def can(self, permission: Permission) -> bool:
        """Whether the user's own role allows `permission` for every council."""
        return self.active and can(self.role, permission)

    def can_in(self, council_urn: str, permission: Permission) -> bool:
        """Whether the user may do `permission` for this council's plans."""
        if self.can(permission):
            return True
        return self.active and any(
            urn == council_urn and can(role, permission) for urn, role in self.memberships
        )

    def can_somewhere(self, permission: Permission) -> bool:
        """Whether some council's plans allow `permission` (the plans menu, the plan list)."""
        return self.can(permission) or (
            self.active and any(can(role, permission) for _, role in self.memberships)
        )


# The person at the keyboard of a store without council memberships (one council's own copy):
# the CLI reads its plans as them when no --as is given. Never used for a change.
OPERATOR = User(0, "operator", "The store's operator", Role.ADMIN, True, False)


def user_view(row: UserRow, memberships: Sequence[tuple[str, str]] = ()) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=values.xml_safe(row.display_name),
        role=Role(row.role),
        active=row.active,
        can_sign_in=row.password_hash is not None,
        email=row.email,
        memberships=tuple(sorted((urn, Role(role)) for urn, role in memberships)),
    )


def memberships_of(s: Session, user_id: int) -> list[tuple[str, str]]:
    """The user's (council URN, role) memberships."""
    return [
        (urn, role)
        for urn, role in s.execute(
            select(MembershipRow.council_urn, MembershipRow.role).where(
                MembershipRow.user_id == user_id
            )
        )
    ]


def now() -> datetime:
    """The time of a write, as the store keeps it: one clock for every write module (a test
    sets it by patching `utc_now` here)."""
    return utc_now()


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


_VERBS = {
    Permission.BOARD: "read",
    Permission.VIEW: "see the evidence and history of",
    Permission.EDIT: "change",
    Permission.ADMIN: "manage",
}
_NEEDS = {
    Permission.BOARD: "a role there (a board member, viewer, editor or admin)",
    Permission.VIEW: "a viewer, editor or admin there",
    Permission.EDIT: "an editor or admin there",
    Permission.ADMIN: "an admin",
}


def require(
    s: Session, actor: User, permission: Permission, council_urn: str | None = None
) -> None:
    """The actor's roles, read again inside the transaction (a role changed a moment ago
    counts), must allow `permission`: their own role, which holds for every council, or, for a
    council's plans (`council_urn`), their membership of that council. The operator of a store
    without memberships (`OPERATOR`, the CLI with no --as) may read, never change."""
    if actor == OPERATOR:
        if permission in (Permission.BOARD, Permission.VIEW) and not _has_memberships(s):
            return
        raise PermissionDenied(
            "this needs a named user: give --as NAME or set OFSTED_CSC_USER"
            + (" (this store has council memberships)" if _has_memberships(s) else "")
        )
    row = s.get(UserRow, actor.id)
    if row is None or not row.active:
        raise PermissionDenied(f"user {actor.username!r} is not an active user")
    if can(Role(row.role), permission):
        return
    if council_urn is not None:
        member = s.scalar(
            select(MembershipRow.role).where(
                MembershipRow.user_id == row.id, MembershipRow.council_urn == council_urn
            )
        )
        if member is not None and can(Role(member), permission):
            return
        own = Role(row.role)
        who = "has no role of their own" if own is Role.NONE else f"is {_a(own.label.lower())}"
        held = f" and is {_a(Role(member).label.lower())} there" if member is not None else ""
        raise PermissionDenied(
            f"user {row.username!r} {who}{held}: to {_VERBS[permission]} the plans of council "
            f"{council_urn} needs {_NEEDS[permission]}"
        )
    raise PermissionDenied(
        f"user {row.username!r} is {_a(Role(row.role).label.lower())}: {permission.value} needs "
        f"{'an admin' if permission is Permission.ADMIN else 'an editor or admin'}"
    )


def require_somewhere(s: Session, actor: User, permission: Permission) -> None:
    """The actor's own role, or a membership of some council, allows `permission` (what a
    token or a menu needs; each plan's own check is `require` with its council)."""
    if readable_councils(s, actor, permission) != frozenset():
        return
    raise PermissionDenied(
        f"user {actor.username!r} has no council where they may {permission.value} plans"
    )


def plan_council(s: Session, plan_id: int) -> str:
    """The URN of the council whose plan this is (its plans, boards, evidence and their audit
    trail belong to that council)."""
    return plan_row(s, plan_id).council_urn


def _has_memberships(s: Session) -> bool:
    return s.scalar(select(MembershipRow.id).limit(1)) is not None


def readable_councils(s: Session, actor: User, permission: Permission) -> frozenset[str] | None:
    """The councils whose plans the actor may `permission` (read): None for every council."""
    if actor == OPERATOR:
        require(s, actor, permission)
        return None
    row = s.get(UserRow, actor.id)
    if row is None or not row.active:
        raise PermissionDenied(f"user {actor.username!r} is not an active user")
    if can(Role(row.role), permission):
        return None
    return frozenset(urn for urn, role in memberships_of(s, row.id) if can(Role(role), permission))


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


def staff_of(s: Session, council_urn: str) -> ColumnElement[bool]:
    """Which users (rows of UserRow) work for the council, as a condition for a query: their own
    role is viewer, editor or admin (every council's), or they hold a role there other than
    board member. Every user on a store without council memberships (one council's own copy).
    Says nothing of being active."""
    if not _has_memberships(s):
        return true()
    staff = [role.value for role in STAFF_ROLES]
    there = select(MembershipRow.user_id).where(
        MembershipRow.council_urn == council_urn, MembershipRow.role.in_(staff)
    )
    return UserRow.role.in_(staff) | UserRow.id.in_(there)


def works_for(s: Session, user: UserRow, council_urn: str) -> bool:
    """Whether the user works for the council (`staff_of`)."""
    found = select(UserRow.id).where(UserRow.id == user.id, staff_of(s, council_urn))
    return s.scalar(found) is not None


def lead_row(s: Session, username: str, council_urn: str) -> UserRow:
    """The user named to lead one of the council's actions: one who works for it (`works_for`),
    so that a council's plan never names, nor offers, another council's staff."""
    row = user_row(s, username)
    if not row.active:
        raise InvalidInput(f"{row.username} is deactivated, so cannot lead an action")
    if not works_for(s, row, council_urn):
        raise InvalidInput(
            f"{row.username} has no role in this council's plans, so cannot lead its actions "
            "(the council's admin can give them one)"
        )
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
        # usually in the session already (the write just read it); no autoflush, so that the
        # look-up never writes a half-made change early (an action's version would count twice)
        with s.no_autoflush:
            plan = s.get(PlanRow, plan_id)
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


# the roles of people who work for a council (a board member oversees; no role, nothing)
STAFF_ROLES = frozenset({Role.VIEWER, Role.EDITOR, Role.ADMIN})
