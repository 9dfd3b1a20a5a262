"""Users: adding and changing them, their passwords (argon2, by the library) and the checks
of signing in and of the user the CLI acts as.

Nothing is hashed when this module is imported: the hash an unknown user name is checked
against is made the first time it is needed.
"""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ofsted_csc.domain.errors import (
    AuthenticationFailed,
    EmailNotVerified,
    InvalidInput,
    NoAccount,
    PermissionDenied,
)
from ofsted_csc.plans.common import (
    OPERATOR,
    User,
    audit,
    check_text,
    memberships_of,
    now,
    require,
    staff_of,
    user_row,
    user_view,
)
from ofsted_csc.plans.rules import Permission, Role, check_own_role
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import MembershipRow, UserRow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
MIN_PASSWORD = 12

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so both failures take as long."""
    return _hasher.hash("not a password of anybody's")


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
    _own_role(role)
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InvalidInput(
            f"user name {username!r}: use 2 to 80 lower-case letters, digits, '.', '_' or '-'"
        )
    if display_name is not None:
        check_text("full name", display_name.strip(), 200)
    if email is not None:
        check_text("email address", email.strip(), 320)
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
            require(s, actor, Permission.ADMIN)
        if s.scalar(select(UserRow.id).where(UserRow.username == name)) is not None:
            raise InvalidInput(f"user {name!r} already exists")
        row = UserRow(
            username=name,
            display_name=(display_name or "").strip() or name,
            email=(email or "").strip() or None,
            role=role.value,
            password_hash=_hasher.hash(password) if password is not None else None,
            active=True,
            created_at=now(),
        )
        s.add(row)
        s.flush()
        by = actor.id if actor is not None else row.id
        audit(s, by, None, "user", row.id, name, "created", None, role.value)
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
    if role is not None:
        _own_role(role)
    if display_name is not None:
        check_text("full name", display_name.strip(), 200)
    if password is not None:
        _check_password(password)
    with store.transaction() as s:
        row = user_row(s, username)
        own_password_only = (
            row.id == actor.id and role is None and active is None and display_name is None
        )
        if not own_password_only:
            require(s, actor, Permission.ADMIN)
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
            audit(s, actor.id, None, "user", row.id, row.username, field, old, new)
        return user_view(row)


def authenticate(store: Store, username: str, password: str) -> User:
    """The active user with this name and password; AuthenticationFailed otherwise (the
    same message and about the same time whichever part was wrong)."""
    failed = AuthenticationFailed("the user name or password is not right")
    with store.transaction() as s:
        row = s.scalar(select(UserRow).where(UserRow.username == username.strip().lower()))
        if row is None or row.password_hash is None or not row.active:
            with contextlib.suppress(VerificationError):
                _hasher.verify(_dummy_hash(), password)
            raise failed
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            raise failed from None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        return user_view(row, memberships_of(s, row.id))


def single_sign_on_user(
    store: Store,
    email: object,
    email_verified: object,
    *,
    create: bool = False,
    display_name: object = None,
) -> User:
    """The user a single sign-on (OpenID Connect) names: the one active user whose email
    address is `email`, compared without regard to case, when the identity provider says
    the address is verified (`email_verified` true; some providers send the text "true").

    With `create`, an unknown address gets a new user with no role (Role.NONE: they may sign
    in but see nothing private until an admin gives them one), named from the address. A
    deactivated user is never matched nor replaced, and no user is made while the service has
    none (its first must be an admin, made with `ofsted-csc user add`).

    EmailNotVerified or NoAccount (both AuthenticationFailed) otherwise."""
    if not isinstance(email, str) or "@" not in email.strip():
        raise EmailNotVerified("the identity provider did not give an email address")
    if not (email_verified is True or str(email_verified).strip().lower() == "true"):
        raise EmailNotVerified("the identity provider has not verified this email address")
    address = email.strip()
    try:
        check_text("email address", address, 320)
    except InvalidInput:
        raise NoAccount("the identity provider's email address cannot be used") from None
    with store.transaction() as s:
        rows = list(s.scalars(select(UserRow).where(func.lower(UserRow.email) == address.lower())))
        if len(rows) > 1:
            raise NoAccount("more than one account has this email address")
        if rows:
            if not rows[0].active:
                raise NoAccount("the account with this email address is deactivated")
            return user_view(rows[0])
        if not create:
            raise NoAccount("no account of this service has this email address")
        if not s.scalar(select(func.count(UserRow.id))):
            raise NoAccount("this service has no admin yet, so no account is made")
        name = _free_username(s, address)
        given = display_name if isinstance(display_name, str) else ""
        shown = "".join(c for c in given if c.isprintable()).strip()
        row = UserRow(
            username=name,
            display_name=shown[:200] or name,
            email=address,
            role=Role.NONE.value,
            password_hash=None,
            active=True,
            created_at=now(),
        )
        s.add(row)
        s.flush()
        audit(s, row.id, None, "user", row.id, name, "created", None, Role.NONE.value)
        return user_view(row)


def _free_username(s: Session, address: str) -> str:
    """A user name from the address's part before "@" (its letters, digits, ".", "_", "-";
    "user" when too little is left), with "-2", "-3" ... when taken."""
    local = address.rsplit("@", 1)[0].lower()
    base = re.sub(r"[^a-z0-9._-]+", "-", local).strip("._-")[:70]
    if not USERNAME.match(base):
        base = "user"
    name, n = base, 1
    while s.scalar(select(UserRow.id).where(UserRow.username == name)) is not None:
        n += 1
        name = f"{base}-{n}"
    return name


def user_get(store: Store, username: str) -> User:
    with store.session() as s:
        row = user_row(s, username)
        return user_view(row, memberships_of(s, row.id))


def user_by_id(store: Store, user_id: int) -> User | None:
    with store.session() as s:
        row = s.get(UserRow, user_id)
        return user_view(row, memberships_of(s, row.id)) if row is not None else None


def user_list(store: Store) -> list[User]:
    with store.session() as s:
        held: dict[int, list[tuple[str, str]]] = {}
        for user_id, urn, role in s.execute(
            select(MembershipRow.user_id, MembershipRow.council_urn, MembershipRow.role)
        ):
            held.setdefault(user_id, []).append((urn, role))
        return [
            user_view(r, held.get(r.id, ()))
            for r in s.scalars(select(UserRow).order_by(UserRow.username))
        ]


def lead_candidates(store: Store, council_urn: str, keep: str | None = None) -> list[User]:
    """The users a council's plan may name to lead an action (what the plan's forms offer):
    the active users who work for it (`common.staff_of`), and `keep` (an action's lead as it
    stands, offered so that saving the form does not drop them), by user name. One query,
    however many users the service has."""
    with store.session() as s:
        offered = UserRow.active & staff_of(s, council_urn)
        if keep:
            offered = offered | (UserRow.username == keep)
        return [
            user_view(r)
            for r in s.scalars(select(UserRow).where(offered).order_by(UserRow.username))
        ]


def acting_reader(store: Store, username: str | None) -> User:
    """Who the CLI reads plans as: the user named by --as, else the store's operator, who may
    read only a store without council memberships (one council's own copy)."""
    if username:
        return acting_user(store, username)
    return OPERATOR


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


def _own_role(role: Role) -> None:
    try:
        check_own_role(role)
    except ValueError as e:
        raise InvalidInput(str(e)) from None


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
