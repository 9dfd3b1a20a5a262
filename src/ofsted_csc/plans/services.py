"""Writes to improvement plans and users. Every write names the acting user, checks the
role, validates everything before writing, records each changed field in the audit trail
and happens in one transaction: it all lands, or nothing does.

Things that many people edit (plans, actions) carry a version: a save names the version it
was read at, and is refused with `Conflict` if somebody saved in between (optimistic lock).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from ofsted_csc.domain.frameworks import FRAMEWORK_LABELS, KIND_LABELS
from ofsted_csc.domain.limits import MAX_EVIDENCE_BYTES, too_large
from ofsted_csc.domain.records import InspectionRecord, LetterRecord
from ofsted_csc.plans.rules import BoardKind, Permission, PlanStatus, Rag, Role, Status, can
from ofsted_csc.storage import Store
from ofsted_csc.storage.models import utc_now
from ofsted_csc.storage.plan_models import (
    ActionLinkRow,
    ActionRow,
    AuditEventRow,
    BoardRow,
    EvidenceRow,
    MeasureReadingRow,
    MeasureRow,
    MeetingRow,
    PlanRow,
    PlanSourceRow,
    ProgressUpdateRow,
    UserRow,
    WorkstreamRow,
)

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
MIN_PASSWORD = 12
MAX_TEXT = 10_000

# The sections of a report an action can answer (the store's names for them).
RECOMMENDATION = "recommendation"
PRIORITY_ACTION = "priority_action"
AREA_FOR_IMPROVEMENT = "area_for_improvement"
SECTION_LABELS = {
    RECOMMENDATION: "Recommendation",
    PRIORITY_ACTION: "Area for priority action",
    AREA_FOR_IMPROVEMENT: "Area for improvement",
}

_hasher = PasswordHasher()
# verified against when the user name is unknown, so both failures take as long
_DUMMY_HASH = _hasher.hash("not a password of anybody's")


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


@dataclass(frozen=True)
class Link:
    """An item of a stored report an action answers: file, section and position (1-based)."""

    sha256: str
    section: str
    position: int


WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def is_web_address(text: str) -> bool:
    """An http or https address (evidence links: no javascript:, file: or data: URLs)."""
    return len(text) <= 2000 and WEB_ADDRESS.match(text) is not None


def user_view(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        active=row.active,
        can_sign_in=row.password_hash is not None,
        email=row.email,
    )


# -- users --


def user_create(
    store: Store,
    actor: User | None,
    username: str,
    *,
    display_name: str | None = None,
    role: Role = Role.VIEWER,
    password: str | None = None,
    email: str | None = None,
) -> User:
    """Add a user. With no users yet, the first may be made by nobody and must be an admin."""
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InvalidInput(
            f"user name {username!r}: use 2 to 80 lower-case letters, digits, '.', '_' or '-'"
        )
    if password is not None:
        _check_password(password)
    with store.transaction() as s:
        users = s.scalar(select(func.count(UserRow.id))) or 0
        if actor is None:
            if users:
                raise PermissionDenied("adding a user needs an admin acting (--as NAME)")
            if role is not Role.ADMIN:
                raise InvalidInput("the first user must be an admin (--role admin)")
        else:
            _require(s, actor, Permission.ADMIN)
        if s.scalar(select(UserRow.id).where(UserRow.username == name)) is not None:
            raise InvalidInput(f"user {name!r} already exists")
        row = UserRow(
            username=name,
            display_name=(display_name or "").strip() or name,
            email=(email or "").strip() or None,
            role=role.value,
            password_hash=_hasher.hash(password) if password is not None else None,
            active=True,
            created_at=utc_now(),
        )
        s.add(row)
        s.flush()
        by = actor.id if actor is not None else row.id
        _audit(s, by, None, "user", row.id, name, "created", None, role.value)
        return user_view(row)


def user_update(
    store: Store,
    actor: User,
    username: str,
    *,
    role: Role | None = None,
    active: bool | None = None,
    password: str | None = None,
    display_name: str | None = None,
) -> User:
    """Change a user's role, name, password or whether they may sign in (admins only;
    anyone may change their own password)."""
    if password is not None:
        _check_password(password)
    with store.transaction() as s:
        row = _user_row(s, username)
        own_password_only = (
            row.id == actor.id and role is None and active is None and display_name is None
        )
        if not own_password_only:
            _require(s, actor, Permission.ADMIN)
        demoting = active is False or (role is not None and role is not Role.ADMIN)
        if Role(row.role) is Role.ADMIN and demoting and _admins(s) <= 1:
            raise InvalidInput("the last admin cannot be demoted or deactivated")
        changes: dict[str, tuple[Any, Any]] = {}
        if role is not None and role.value != row.role:
            changes["role"] = (row.role, role.value)
            row.role = role.value
        if active is not None and active != row.active:
            changes["active"] = (row.active, active)
            row.active = active
        if display_name is not None and display_name.strip() != row.display_name:
            changes["display_name"] = (row.display_name, display_name.strip())
            row.display_name = display_name.strip()
        if password is not None:
            row.password_hash = _hasher.hash(password)
            changes["password"] = ("(hidden)", "(changed)")
        for field, (old, new) in changes.items():
            _audit(s, actor.id, None, "user", row.id, row.username, field, old, new)
        return user_view(row)


def authenticate(store: Store, username: str, password: str) -> User:
    """The active user with this name and password; AuthenticationFailed otherwise (the
    same message and about the same time whichever part was wrong)."""
    failed = AuthenticationFailed("the user name or password is not right")
    with store.transaction() as s:
        row = s.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
        if row is None or row.password_hash is None or not row.active:
            with contextlib.suppress(VerificationError):
                _hasher.verify(_DUMMY_HASH, password)
            raise failed
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise failed from None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        return user_view(row)


def user_get(store: Store, username: str) -> User:
    with store.session() as s:
        return user_view(_user_row(s, username))


def user_by_id(store: Store, user_id: int) -> User | None:
    with store.session() as s:
        row = s.get(UserRow, user_id)
        return user_view(row) if row is not None else None


def user_list(store: Store) -> list[User]:
    with store.session() as s:
        return [user_view(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]


def acting_user(store: Store, username: str | None) -> User:
    """The user the CLI acts as: must exist and be active."""
    if not username:
        raise PermissionDenied(
            "this change needs a named user: give --as NAME or set OFSTED_CSC_USER "
            "(add users with `ofsted-csc user add`)"
        )
    user = user_get(store, username)
    if not user.active:
        raise PermissionDenied(f"user {user.username!r} is deactivated")
    return user


# -- plans --


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
        dates = [d for f in found if (d := _received_default(f.result.record)) is not None]
        received = max(dates, default=None)
    known = registry.by_urn(urn)
    name = known.name if known is not None else urn
    plan_title = (title or "").strip() or f"{name}: improvement plan"
    _check_text("title", plan_title, 300)
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        plan = PlanRow(
            council_urn=urn,
            title=plan_title,
            received=received,
            status=PlanStatus.DRAFT.value,
            created_at=utc_now(),
            created_by_id=actor.id,
        )
        s.add(plan)
        s.flush()
        _audit(s, actor.id, plan.id, "plan", plan.id, "plan", "created", None, plan_title)
        for position, f in enumerate(found, 1):
            record = f.result.record
            label = _source_label(record)
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
            _audit(s, actor.id, plan.id, "plan", plan.id, "plan", "source", None, label)
            if not draft_actions:
                continue
            items = report_items(record)
            if not items:
                continue
            ws = WorkstreamRow(plan_id=plan.id, position=position, title=f"Answering the {label}")
            s.add(ws)
            s.flush()
            _audit(
                s, actor.id, plan.id, "workstream", ws.id, str(position), "created", None, ws.title
            )
            for n, (section, item_pos, text, page) in enumerate(items, 1):
                action = _new_action(
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
        _require(s, actor, Permission.EDIT)
        plan = _plan_row(s, plan_id)
        _check_version("the plan", plan.version, expected_version)
        changes: dict[str, tuple[Any, Any]] = {}
        if title is not None and title.strip() != plan.title:
            _check_text("title", title.strip(), 300)
            changes["title"] = (plan.title, title.strip())
            plan.title = title.strip()
        if received is not None and received != plan.received:
            changes["received"] = (plan.received, received)
            plan.received = received
        if status is not None and status.value != plan.status:
            changes["status"] = (plan.status, status.value)
            plan.status = status.value
        for field, (old, new) in changes.items():
            _audit(s, actor.id, plan.id, "plan", plan.id, "plan", field, old, new)
        return _flush_version(s, plan, "the plan")


def workstream_add(store: Store, actor: User, plan_id: int, title: str) -> int:
    title = title.strip()
    if not title:
        raise InvalidInput("a workstream needs a title")
    _check_text("title", title, 300)
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        plan = _plan_row(s, plan_id)
        position = (
            s.scalar(
                select(func.max(WorkstreamRow.position)).where(WorkstreamRow.plan_id == plan.id)
            )
            or 0
        ) + 1
        ws = WorkstreamRow(plan_id=plan.id, position=position, title=title)
        s.add(ws)
        s.flush()
        _audit(s, actor.id, plan.id, "workstream", ws.id, str(position), "created", None, title)
        return ws.id


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
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        ws = s.get(WorkstreamRow, workstream_id)
        if ws is None:
            raise NotFound(f"no workstream has id {workstream_id}")
        lead_id = _user_row(s, lead).id if lead else None
        position = len(ws.actions) + 1
        action = _new_action(
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
        _require(s, actor, Permission.EDIT)
        action = _action_row(s, action_id)
        ref = _ref(s, action)
        _check_version(f"action {ref}", action.version, expected_version, action)
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
        new_lead = _user_row(s, new["lead"]) if new["lead"] else None
        _validate_action(
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
            _audit(
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
        action.updated_at = utc_now()
        action.updated_by_id = actor.id
        return _flush_version(s, action, f"action {ref}")


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
        _require(s, actor, Permission.EDIT)
        action = _action_row(s, action_id)
        ref = _ref(s, action)
        _check_version(f"action {ref}", action.version, expected_version, action)
        reason = (reason or "").strip()
        if rag is not None and not reason:
            raise InvalidInput(f"action {ref}: overriding the RAG needs a reason")
        _check_text("reason", reason, MAX_TEXT)
        old = action.rag_override
        new_value = rag.name.lower() if rag is not None else None
        if old == new_value and (rag is None or reason == action.rag_override_reason):
            return action.version
        _audit(
            s, actor.id, action.plan_id, "action", action.id, ref, "rag_override", old, new_value
        )
        if rag is not None:
            _audit(
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
        action.rag_override_at = utc_now() if rag is not None else None
        action.updated_at = utc_now()
        action.updated_by_id = actor.id
        return _flush_version(s, action, f"action {ref}")


def progress_add(store: Store, actor: User, action_id: int, on: date, text: str) -> int:
    text = text.strip()
    if not text:
        raise InvalidInput("a progress update needs some text")
    _check_text("update", text, MAX_TEXT)
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        action = _action_row(s, action_id)
        row = ProgressUpdateRow(
            action_id=action.id, on=on, text=text, author_id=actor.id, created_at=utc_now()
        )
        s.add(row)
        s.flush()
        _audit(
            s,
            actor.id,
            action.plan_id,
            "action",
            action.id,
            _ref(s, action),
            "update",
            None,
            f"{on.isoformat()}: {text}",
        )
        return row.id


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
    _check_text("measure name", name, 300)
    if target_date <= baseline_date:
        raise InvalidInput(
            f"measure {name!r}: the target date {target_date:%-d %B %Y} is not after the "
            f"baseline date {baseline_date:%-d %B %Y}"
        )
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        action = _action_row(s, action_id)
        row = MeasureRow(
            action_id=action.id,
            name=name,
            baseline=float(baseline),
            baseline_date=baseline_date,
            target=float(target),
            target_date=target_date,
        )
        s.add(row)
        s.flush()
        _audit(
            s,
            actor.id,
            action.plan_id,
            "measure",
            row.id,
            _ref(s, action),
            "created",
            None,
            f"{name}: {_num(baseline)} on {baseline_date.isoformat()} -> {_num(target)} by {target_date.isoformat()}",
        )
        return row.id


def measure_record(store: Store, actor: User, measure_id: int, value: float, on: date) -> int:
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        measure = s.get(MeasureRow, measure_id)
        if measure is None:
            raise NotFound(f"no success measure has id {measure_id}")
        if on < measure.baseline_date:
            raise InvalidInput(
                f"measure {measure.name!r}: a reading on {on:%-d %B %Y} is before its baseline "
                f"date {measure.baseline_date:%-d %B %Y}"
            )
        action = _action_row(s, measure.action_id)
        row = MeasureReadingRow(
            measure_id=measure.id,
            value=float(value),
            on=on,
            recorded_by_id=actor.id,
            recorded_at=utc_now(),
        )
        s.add(row)
        s.flush()
        _audit(
            s,
            actor.id,
            action.plan_id,
            "measure",
            measure.id,
            _ref(s, action),
            measure.name,
            None,
            f"{_num(value)} on {on.isoformat()}",
        )
        return row.id


def evidence_add(
    store: Store,
    actor: User,
    action_id: int,
    title: str,
    *,
    url: str | None = None,
    file_name: str | None = None,
    data: bytes | None = None,
    content_type: str | None = None,
) -> int:
    """Evidence for an action: a link (http or https) or an uploaded file (up to 10 MB)."""
    title = title.strip()
    if not title:
        raise InvalidInput("evidence needs a title")
    _check_text("title", title, 300)
    if (url is None) == (data is None):
        raise InvalidInput("evidence is a link or a file: give one of them")
    if url is not None:
        url = url.strip()
        if not is_web_address(url):
            raise InvalidInput(f"evidence link {url!r}: give a web address starting https://")
    digest = None
    if data is not None:
        name = (file_name or "").strip().replace("\\", "/").rsplit("/", 1)[-1]
        name = re.sub(r'[\x00-\x1f\x7f"]', "_", name)
        if not name:
            raise InvalidInput("an evidence file needs a name")
        if len(data) > MAX_EVIDENCE_BYTES:
            raise InvalidInput(
                f"{name}: {too_large(len(data), MAX_EVIDENCE_BYTES, 'evidence files')}"
            )
        if not data:
            raise InvalidInput(f"{name}: the file is empty")
        file_name = name[:300]
        digest = hashlib.sha256(data).hexdigest()
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        action = _action_row(s, action_id)
        row = EvidenceRow(
            action_id=action.id,
            title=title,
            url=url,
            file_name=file_name if data is not None else None,
            content_type=(content_type or "application/octet-stream")[:100]
            if data is not None
            else None,
            size=len(data) if data is not None else None,
            sha256=digest,
            data=data,
            added_by_id=actor.id,
            added_at=utc_now(),
        )
        s.add(row)
        s.flush()
        _audit(
            s,
            actor.id,
            action.plan_id,
            "evidence",
            row.id,
            _ref(s, action),
            "added",
            None,
            f"{title} ({url or file_name})",
        )
        return row.id


def board_create(store: Store, actor: User, plan_id: int, name: str, kind: BoardKind) -> int:
    name = name.strip()
    if not name:
        raise InvalidInput("a board needs a name")
    _check_text("name", name, 200)
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        plan = _plan_row(s, plan_id)
        row = BoardRow(plan_id=plan.id, name=name, kind=kind.value)
        s.add(row)
        s.flush()
        _audit(s, actor.id, plan.id, "board", row.id, name, "created", None, kind.label)
        return row.id


def meeting_add(store: Store, actor: User, board_id: int, on: date) -> int:
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        board = s.get(BoardRow, board_id)
        if board is None:
            raise NotFound(f"no board has id {board_id}")
        if any(m.on == on for m in board.meetings):
            raise InvalidInput(f"{board.name} already meets on {on:%-d %B %Y}")
        row = MeetingRow(board_id=board.id, on=on)
        s.add(row)
        s.flush()
        _audit(
            s,
            actor.id,
            board.plan_id,
            "meeting",
            row.id,
            board.name,
            "created",
            None,
            on.isoformat(),
        )
        return row.id


# -- helpers --


def _require(s: Session, actor: User, permission: Permission) -> None:
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


def _admins(s: Session) -> int:
    return (
        s.scalar(
            select(func.count(UserRow.id)).where(UserRow.role == Role.ADMIN.value, UserRow.active)
        )
        or 0
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise InvalidInput("a password may be at most 1024 characters")


def _check_text(what: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise InvalidInput(f"the {what} is {len(text)} characters; at most {limit}")


def _user_row(s: Session, username: str) -> UserRow:
    name = username.strip().lower()
    row = s.scalar(select(UserRow).where(UserRow.username == name))
    if row is None:
        raise InvalidInput(f"no user is named {name!r} (add them with `ofsted-csc user add`)")
    return row


def _plan_row(s: Session, plan_id: int) -> PlanRow:
    row = s.get(PlanRow, plan_id)
    if row is None:
        raise NotFound(f"no plan has id {plan_id}")
    return row


def _action_row(s: Session, action_id: int) -> ActionRow:
    row = s.get(ActionRow, action_id)
    if row is None:
        raise NotFound(f"no action has id {action_id}")
    return row


def _ref(s: Session, action: ActionRow) -> str:
    ws = s.get(WorkstreamRow, action.workstream_id)
    assert ws is not None
    return f"{ws.position}.{action.position}"


def _check_version(what: str, current: int, expected: int, action: ActionRow | None = None) -> None:
    if current == expected:
        return
    who = ""
    if action is not None:
        who = f" by {action.updated_by.display_name} at {action.updated_at:%H:%M on %-d %B %Y}"
    raise Conflict(
        f"{what} was changed{who} since you opened it, so your changes were not saved: "
        "open it again to see the latest and make your changes there"
    )


def _flush_version(s: Session, row: PlanRow | ActionRow, what: str) -> int:
    try:
        s.flush()
    except StaleDataError as exc:  # saved by someone else between our read and our write
        raise Conflict(
            f"{what} was changed by someone else while you were saving, so your changes were "
            "not saved: open it again and make your changes there"
        ) from exc
    return row.version


def _validate_action(
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
    _check_text("description", description, MAX_TEXT)
    if partner:
        _check_text("partner agency", partner, 300)
    if start is not None and due is not None and due < start:
        raise InvalidInput(
            f"action {ref}: the due date {due:%-d %B %Y} is before the start date {start:%-d %B %Y}"
        )
    if not 0 <= percent <= 100:
        raise InvalidInput(f"action {ref}: percent complete must be 0 to 100, not {percent}")
    if status is Status.CLOSED_WITH_EVIDENCE and not evidence:
        raise InvalidInput(f"action {ref}: add evidence before closing it with evidence")


def _new_action(
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
    ref = f"{ws.position}.{position}"
    _validate_action(ref, description, partner, start, due, status, percent, evidence=0)
    stamp = utc_now()
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
    _audit(
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


def report_items(
    record: InspectionRecord | LetterRecord,
) -> list[tuple[str, int, str, int | None]]:
    """What a report asks the council to do: (section, position, words, page)."""
    if isinstance(record, InspectionRecord):
        return [(RECOMMENDATION, r.position, r.text, r.page) for r in record.recommendations]
    page = record.pages.get("priority_actions") or record.pages.get("areas_for_improvement")
    return [(PRIORITY_ACTION, n, t, page) for n, t in enumerate(record.priority_actions, 1)] + [
        (AREA_FOR_IMPROVEMENT, n, t, record.pages.get("areas_for_improvement"))
        for n, t in enumerate(record.areas_for_improvement, 1)
    ]


def _source_label(record: InspectionRecord | LetterRecord) -> str:
    if isinstance(record, InspectionRecord):
        assert record.framework and record.kind and record.inspection_start
        framework = FRAMEWORK_LABELS[record.framework].split(" (")[0]
        return f"{framework} {KIND_LABELS[record.kind].lower()} of {record.inspection_start:%B %Y}"
    assert record.kind and record.visit_start
    return f"{KIND_LABELS[record.kind].lower()} of {record.visit_start:%B %Y}"


def _received_default(record: InspectionRecord | LetterRecord) -> date | None:
    if isinstance(record, InspectionRecord):
        return record.published or record.inspection_end
    return record.letter_date or record.visit_end


def _num(value: float) -> str:
    return f"{value:g}"


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


def _audit(
    s: Session,
    user_id: int,
    plan_id: int | None,
    entity: str,
    entity_id: int,
    ref: str,
    field: str,
    old: Any,
    new: Any,
) -> None:
    s.add(
        AuditEventRow(
            at=utc_now(),
            user_id=user_id,
            plan_id=plan_id,
            entity=entity,
            entity_id=entity_id,
            ref=ref[:100],
            field=field[:60],
            old=_text(old),
            new=_text(new),
        )
    )


# -- a whole plan at once (imports) --


@dataclass
class MeasureDraft:
    name: str
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    readings: list[tuple[date, float, str]]  # (on, value, recorded by user name)


@dataclass
class EvidenceDraft:
    title: str
    url: str | None
    file_name: str | None
    sha256: str | None
    size: int | None


@dataclass
class LinkDraft:
    sha256: str
    section: str
    position: int
    page: int | None
    text: str


@dataclass
class ActionDraft:
    ref: str  # as given, for messages
    description: str
    lead: str | None
    partner: str | None
    start: date | None
    due: date | None
    status: Status
    percent: int
    override: Rag | None
    override_reason: str | None
    links: list[LinkDraft]
    measures: list[MeasureDraft]
    updates: list[tuple[date, str, str]]  # (on, text, author user name)
    evidence: list[EvidenceDraft]


@dataclass
class WorkstreamDraft:
    title: str
    actions: list[ActionDraft]


@dataclass
class SourceDraft:
    sha256: str
    kind: str
    label: str
    file_name: str


@dataclass
class PlanDraft:
    council_urn: str
    title: str
    received: date | None
    status: PlanStatus
    sources: list[SourceDraft]
    workstreams: list[WorkstreamDraft]


def plan_create_from(store: Store, actor: User, draft: PlanDraft) -> int:
    """Write a whole plan (an imported workbook) in one transaction: every person named must
    be a user, every action valid, or nothing is written."""
    _check_text("title", draft.title, 300)
    if not draft.title.strip():
        raise InvalidInput("the plan has no title")
    with store.transaction() as s:
        _require(s, actor, Permission.EDIT)
        users: dict[str, int] = {}

        def user_id(name: str, what: str) -> int:
            key = name.strip().lower()
            if key not in users:
                row = s.scalar(select(UserRow).where(UserRow.username == key))
                if row is None:
                    raise InvalidInput(
                        f"{what}: no user is named {key!r} (add them with `ofsted-csc user add`)"
                    )
                users[key] = row.id
            return users[key]

        plan = PlanRow(
            council_urn=draft.council_urn,
            title=draft.title.strip(),
            received=draft.received,
            status=draft.status.value,
            created_at=utc_now(),
            created_by_id=actor.id,
        )
        s.add(plan)
        s.flush()
        _audit(s, actor.id, plan.id, "plan", plan.id, "plan", "created", None, plan.title)
        for src in draft.sources:
            s.add(
                PlanSourceRow(
                    plan_id=plan.id,
                    sha256=src.sha256,
                    kind=src.kind,
                    label=src.label,
                    file_name=src.file_name,
                )
            )
            _audit(s, actor.id, plan.id, "plan", plan.id, "plan", "source", None, src.label)
        for position, wd in enumerate(draft.workstreams, 1):
            _check_text("workstream title", wd.title, 300)
            ws = WorkstreamRow(plan_id=plan.id, position=position, title=wd.title.strip())
            s.add(ws)
            s.flush()
            _audit(
                s, actor.id, plan.id, "workstream", ws.id, str(position), "created", None, ws.title
            )
            for n, ad in enumerate(wd.actions, 1):
                what = f"action {ad.ref}"
                lead_id = user_id(ad.lead, f"{what}, lead officer") if ad.lead else None
                try:
                    action = _new_action(
                        s,
                        actor,
                        plan.id,
                        ws,
                        n,
                        description=ad.description,
                        lead_id=lead_id,
                        partner=ad.partner,
                        start=ad.start,
                        due=ad.due,
                        percent=ad.percent,
                        status=Status.NOT_STARTED
                        if ad.status is Status.CLOSED_WITH_EVIDENCE
                        else ad.status,
                    )
                except InvalidInput as exc:
                    raise InvalidInput(f"{what} (imported as {ws.position}.{n}): {exc}") from exc
                if ad.status is Status.CLOSED_WITH_EVIDENCE:
                    if not ad.evidence:
                        raise InvalidInput(
                            f"{what}: closed with evidence, but no evidence is listed"
                        )
                    action.status = ad.status.value
                if ad.override is not None:
                    if not (ad.override_reason or "").strip():
                        raise InvalidInput(f"{what}: a RAG override needs a reason")
                    action.rag_override = ad.override.name.lower()
                    action.rag_override_reason = (ad.override_reason or "").strip()
                    action.rag_override_by_id = actor.id
                    action.rag_override_at = utc_now()
                for link in ad.links:
                    s.add(
                        ActionLinkRow(
                            action_id=action.id,
                            sha256=link.sha256,
                            section=link.section,
                            position=link.position,
                            text=link.text,
                            page=link.page,
                        )
                    )
                for md in ad.measures:
                    if md.target_date <= md.baseline_date:
                        raise InvalidInput(
                            f"{what}, measure {md.name!r}: the target date is not after the baseline date"
                        )
                    m = MeasureRow(
                        action_id=action.id,
                        name=md.name,
                        baseline=md.baseline,
                        baseline_date=md.baseline_date,
                        target=md.target,
                        target_date=md.target_date,
                    )
                    s.add(m)
                    s.flush()
                    for on, value, by in md.readings:
                        s.add(
                            MeasureReadingRow(
                                measure_id=m.id,
                                value=value,
                                on=on,
                                recorded_by_id=user_id(by, f"{what}, reading of {md.name!r}"),
                                recorded_at=utc_now(),
                            )
                        )
                for on, text, author in ad.updates:
                    _check_text("update", text, MAX_TEXT)
                    s.add(
                        ProgressUpdateRow(
                            action_id=action.id,
                            on=on,
                            text=text,
                            author_id=user_id(author, f"{what}, update of {on:%-d %B %Y}"),
                            created_at=utc_now(),
                        )
                    )
                for ed in ad.evidence:
                    data = None
                    if ed.sha256:
                        data = s.scalar(
                            select(EvidenceRow.data)
                            .where(EvidenceRow.sha256 == ed.sha256, EvidenceRow.data.is_not(None))
                            .limit(1)
                        )
                    s.add(
                        EvidenceRow(
                            action_id=action.id,
                            title=ed.title,
                            url=ed.url,
                            file_name=ed.file_name,
                            content_type=None,
                            size=ed.size,
                            sha256=ed.sha256,
                            data=data,
                            added_by_id=actor.id,
                            added_at=utc_now(),
                        )
                    )
        _audit(
            s,
            actor.id,
            plan.id,
            "plan",
            plan.id,
            "plan",
            "imported",
            None,
            f"{sum(len(w.actions) for w in draft.workstreams)} actions",
        )
        return plan.id
