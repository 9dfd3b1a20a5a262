"""Councils as tenants: a user's role in each council they work for, groups of councils whose
members see shared plan summaries, and each council's choice to share.

A service admin (a user whose own role is admin) manages every council's members and the
groups; a council's admin manages that council's members and whether it shares its summaries.
Every change is checked inside its transaction and written to the audit trail (entity
"membership", "group" or "council").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.plans.common import User, audit, check_text, now, require, user_row
from ofsted_csc.plans.rules import MEMBERSHIP_ROLES, Permission, Role
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import (
    CouncilGroupCouncilRow,
    CouncilGroupMemberRow,
    CouncilGroupRow,
    CouncilSharingRow,
    MembershipRow,
    UserRow,
)


@dataclass(frozen=True)
class Membership:
    username: str
    display_name: str
    council_urn: str
    council_name: str
    role: Role


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    councils: tuple[str, ...]  # URNs
    members: tuple[str, ...]  # user names


def council_urn(text: str) -> str:
    """A council's URN from its URN, LA code, name or alternative name (CouncilNotFound, with
    suggestions, when none fits)."""
    return str(load_registry().lookup(text).urn)


def membership_role(text: str) -> Role:
    try:
        role = Role(text.strip().lower())
    except ValueError:
        role = None
    if role not in MEMBERSHIP_ROLES:
        raise InvalidInput(
            f"{text!r} is not a council role: give one of "
            + ", ".join(r.value for r in MEMBERSHIP_ROLES)
        )
    return role


def membership_set(store: Store, actor: User, username: str, council: str, role: str) -> Membership:
    """Give the user this role in the council (replacing any role they had there)."""
    urn, new_role = council_urn(council), membership_role(role)
    with store.transaction() as s:
        require(s, actor, Permission.ADMIN, urn)
        user = user_row(s, username)
        row = s.scalar(
            select(MembershipRow).where(
                MembershipRow.user_id == user.id, MembershipRow.council_urn == urn
            )
        )
        old = row.role if row is not None else None
        if row is None:
            row = MembershipRow(
                user_id=user.id, council_urn=urn, role=new_role.value, created_at=now()
            )
            s.add(row)
            s.flush()
        else:
            row.role = new_role.value
        if old != new_role.value:
            _audit_role(s, actor, row, user.username, old, new_role.value)
        return _view(user.username, user.display_name, urn, new_role)


def membership_remove(store: Store, actor: User, username: str, council: str) -> None:
    urn = council_urn(council)
    with store.transaction() as s:
        require(s, actor, Permission.ADMIN, urn)
        user = user_row(s, username)
        row = s.scalar(
            select(MembershipRow).where(
                MembershipRow.user_id == user.id, MembershipRow.council_urn == urn
            )
        )
        if row is None:
            raise NotFound(f"{user.username} has no role in council {urn}")
        _audit_role(s, actor, row, user.username, row.role, None)
        s.delete(row)


def _audit_role(
    s: Session, actor: User, row: MembershipRow, username: str, old: str | None, new: str | None
) -> None:
    """A membership's role changed (given, changed or taken away), under its council."""
    ref = f"{username}@{row.council_urn}"
    audit(
        s, actor.id, None, "membership", row.id, ref, "role", old, new, council_urn=row.council_urn
    )


def memberships(store: Store, actor: User, council: str | None = None) -> list[Membership]:
    """The members of a council (its admins and service admins may list them), or every
    membership (service admins)."""
    urn = council_urn(council) if council else None
    with store.session() as s:
        require(s, actor, Permission.ADMIN, urn)
        q = select(MembershipRow).order_by(MembershipRow.council_urn, MembershipRow.user_id)
        if urn is not None:
            q = q.where(MembershipRow.council_urn == urn)
        out = []
        for row in s.scalars(q):
            user = s.get_one(UserRow, row.user_id)
            out.append(_view(user.username, user.display_name, row.council_urn, Role(row.role)))
        return out


def sharing_set(store: Store, actor: User, council: str, shared: bool) -> bool:
    """Whether the council shares its plans' summaries with the groups it belongs to."""
    urn = council_urn(council)
    with store.transaction() as s:
        require(s, actor, Permission.ADMIN, urn)
        row = s.get(CouncilSharingRow, urn)
        old = row.shared if row is not None else False
        if row is None:
            s.add(CouncilSharingRow(council_urn=urn, shared=shared, changed_at=now()))
        else:
            row.shared, row.changed_at = shared, now()
        if old != shared:
            audit(
                s,
                actor.id,
                None,
                "council",
                0,
                urn,
                "shares summaries",
                old,
                shared,
                council_urn=urn,
            )
        return shared


def sharing(store: Store, actor: User, council: str) -> bool:
    """Whether the council shares its plans' summaries (its admins and service admins ask)."""
    urn = council_urn(council)
    with store.session() as s:
        require(s, actor, Permission.ADMIN, urn)
        row = s.get(CouncilSharingRow, urn)
        return bool(row is not None and row.shared)


def group_create(store: Store, actor: User, name: str) -> Group:
    check_text("group name", name, 200)
    with store.transaction() as s:
        require(s, actor, Permission.ADMIN)
        same = s.scalar(
            select(CouncilGroupRow.name).where(
                func.lower(CouncilGroupRow.name) == name.strip().lower()
            )
        )
        if same is not None:  # names that differ only in capitals are one name to people
            raise InvalidInput(f"a group is already called {same!r}")
        row = CouncilGroupRow(name=name.strip(), created_at=now())
        s.add(row)
        s.flush()
        audit(s, actor.id, None, "group", row.id, row.name, "created", None, row.name)
        return _group(s, row)


def group_add(
    store: Store,
    actor: User,
    name: str,
    *,
    councils: tuple[str, ...] = (),
    users: tuple[str, ...] = (),
) -> Group:
    """Add councils (by URN, name or code) and members (by user name) to a group."""
    urns = [council_urn(c) for c in councils]
    with store.transaction() as s:
        require(s, actor, Permission.ADMIN)
        row = _group_row(s, name)
        have = {
            c
            for c in s.scalars(
                select(CouncilGroupCouncilRow.council_urn).where(
                    CouncilGroupCouncilRow.group_id == row.id
                )
            )
        }
        for urn in urns:
            if urn not in have:
                s.add(CouncilGroupCouncilRow(group_id=row.id, council_urn=urn))
                _audit_group_council(s, actor, row, None, urn)
        members = {
            u
            for u in s.scalars(
                select(CouncilGroupMemberRow.user_id).where(
                    CouncilGroupMemberRow.group_id == row.id
                )
            )
        }
        for username in users:
            user = user_row(s, username)
            if user.id not in members:
                s.add(CouncilGroupMemberRow(group_id=row.id, user_id=user.id))
                audit(s, actor.id, None, "group", row.id, row.name, "member", None, user.username)
        s.flush()
        return _group(s, row)


def group_remove(
    store: Store,
    actor: User,
    name: str,
    *,
    councils: tuple[str, ...] = (),
    users: tuple[str, ...] = (),
) -> Group:
    """Take councils and members out of a group (one not in it is no error)."""
    urns = [council_urn(c) for c in councils]
    with store.transaction() as s:
        require(s, actor, Permission.ADMIN)
        row = _group_row(s, name)
        for urn in urns:
            link = s.get(CouncilGroupCouncilRow, (row.id, urn))
            if link is not None:
                s.delete(link)
                _audit_group_council(s, actor, row, urn, None)
        for username in users:
            user = user_row(s, username)
            member = s.get(CouncilGroupMemberRow, (row.id, user.id))
            if member is not None:
                s.delete(member)
                audit(s, actor.id, None, "group", row.id, row.name, "member", user.username, None)
        s.flush()
        return _group(s, row)


def _audit_group_council(
    s: Session, actor: User, row: CouncilGroupRow, old: str | None, new: str | None
) -> None:
    """A council put in a group (`new`) or taken out (`old`), under that council."""
    audit(s, actor.id, None, "group", row.id, row.name, "council", old, new, council_urn=old or new)


def groups(store: Store, actor: User) -> list[Group]:
    with store.session() as s:
        require(s, actor, Permission.ADMIN)
        return [
            _group(s, g) for g in s.scalars(select(CouncilGroupRow).order_by(CouncilGroupRow.name))
        ]


def shared_councils(s: Session, user_id: int) -> frozenset[str]:
    """The councils whose plan summaries the user sees through a group: members of a group the
    user belongs to that have chosen to share."""
    rows = s.scalars(
        select(CouncilGroupCouncilRow.council_urn)
        .join(
            CouncilGroupMemberRow, CouncilGroupMemberRow.group_id == CouncilGroupCouncilRow.group_id
        )
        .join(
            CouncilSharingRow, CouncilSharingRow.council_urn == CouncilGroupCouncilRow.council_urn
        )
        .where(CouncilGroupMemberRow.user_id == user_id, CouncilSharingRow.shared.is_(True))
    )
    return frozenset(rows)


def _group_row(s: Session, name: str) -> CouncilGroupRow:
    """The group of that name, in any capitals (the one spelt exactly so, where a store made
    before names were compared so holds two)."""
    wanted = name.strip()
    rows = list(
        s.scalars(select(CouncilGroupRow).where(func.lower(CouncilGroupRow.name) == wanted.lower()))
    )
    exact = [r for r in rows if r.name == wanted]
    if exact or len(rows) == 1:
        return (exact or rows)[0]
    if rows:
        raise InvalidInput(
            f"groups called {', '.join(repr(r.name) for r in rows)}: give the name as it is spelt"
        )
    raise NotFound(f"no group is called {wanted!r}")


def _group(s: Session, row: CouncilGroupRow) -> Group:
    councils = tuple(
        sorted(
            s.scalars(
                select(CouncilGroupCouncilRow.council_urn).where(
                    CouncilGroupCouncilRow.group_id == row.id
                )
            )
        )
    )
    members = tuple(
        sorted(
            s.scalars(
                select(UserRow.username)
                .join(CouncilGroupMemberRow, CouncilGroupMemberRow.user_id == UserRow.id)
                .where(CouncilGroupMemberRow.group_id == row.id)
            )
        )
    )
    return Group(row.id, row.name, councils, members)


def _view(username: str, display_name: str, urn: str, role: Role) -> Membership:
    council = load_registry().by_urn(urn)
    return Membership(username, display_name, urn, council.name if council else urn, role)
