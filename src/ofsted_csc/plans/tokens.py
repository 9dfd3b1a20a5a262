"""Personal access tokens for the JSON API: made for a user, shown once, kept only as their
sha256, read or read-write, expiring, revocable and listed.

    new = token_create(store, ed, name="nightly upload", scope=TokenScope.READ_WRITE, days=30)
    new.secret                         # "ocsc_...": shown now, never again
    token_authenticate(store, new.secret).can(Permission.EDIT)   # True while ed is an editor

A token acts as its owner, never beyond the owner's role: a read-write token of a viewer
cannot be made, and one made by an editor since demoted cannot write. The token is random
(256 bits from `secrets`), so a plain sha256 is enough to keep it; it is looked up by that
hash. Making and revoking a token are in the audit trail.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ofsted_csc.domain.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from ofsted_csc.plans.common import (
    User,
    audit,
    check_text,
    memberships_of,
    now,
    require,
    require_somewhere,
    user_view,
)
from ofsted_csc.plans.rules import TOKEN_PERMISSIONS, Permission, TokenScope
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import ApiTokenRow, UserRow

PREFIX = "ocsc_"  # every token starts so (a secret scanner can find them)
SHOWN = 12  # characters of a token kept in the clear to tell tokens apart
DEFAULT_DAYS = 90
MAX_DAYS = 366
MAX_NAME = 100
USED_EVERY = timedelta(minutes=1)  # `last_used_at` is written at most this often


@dataclass(frozen=True)
class Token:
    """A token as listed: never the token itself."""

    id: int
    username: str
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def state(self, at: datetime | None = None) -> str:
        """ "revoked", "expired" or "active" at `at` (naive UTC; default now)."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= (at or now()) else "active"


@dataclass(frozen=True)
class NewToken:
    secret: str  # the token: give it to its owner now, it is not kept
    token: Token


@dataclass(frozen=True)
class TokenUser:
    """Who a request carrying a valid token acts as, and what the token allows."""

    user: User
    scope: TokenScope
    token_id: int

    def can(self, permission: Permission) -> bool:
        """Whether the token allows `permission` for some council (each plan's own council is
        checked by the library)."""
        return self.user.can_somewhere(permission) and permission in TOKEN_PERMISSIONS[self.scope]

    def can_in(self, council_urn: str, permission: Permission) -> bool:
        return self.user.can_in(council_urn, permission) and (
            permission in TOKEN_PERMISSIONS[self.scope]
        )


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_create(
    store: Store,
    actor: User,
    *,
    name: str = "",
    scope: TokenScope = TokenScope.READ,
    days: int = DEFAULT_DAYS,
) -> NewToken:
    """A new token for `actor`, valid for `days` days (1 to MAX_DAYS)."""
    label = " ".join(name.split()) or "API token"
    check_text("token's name", label, MAX_NAME)
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"a token's life is 1 to {MAX_DAYS} days, not {days}")
    secret = PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as s:
        require_somewhere(s, actor, Permission.BOARD)
        if scope is TokenScope.READ_WRITE:
            try:
                require_somewhere(s, actor, Permission.EDIT)
            except PermissionDenied:
                raise PermissionDenied(
                    f"user {actor.username!r} is a {actor.role.value}: a read-write token "
                    "needs an editor or admin (make a read token)"
                ) from None
        made = now()
        row = ApiTokenRow(
            user_id=actor.id,
            name=label,
            token_hash=hash_token(secret),
            prefix=secret[:SHOWN],
            scope=scope.value,
            created_at=made,
            expires_at=made + timedelta(days=days),
        )
        s.add(row)
        s.flush()
        audit(s, actor.id, None, "token", row.id, _ref(actor.username, row), "created", None, scope)
        return NewToken(secret, _view(row, actor.username))


def token_list(store: Store, actor: User, *, everyone: bool = False) -> list[Token]:
    """`actor`'s tokens (everyone's: admins only), newest first, revoked and expired too."""
    with store.session() as s:
        if everyone:
            require(s, actor, Permission.ADMIN)
        query = (
            select(ApiTokenRow, UserRow.username)
            .join(UserRow, ApiTokenRow.user_id == UserRow.id)
            .order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id.desc())
        )
        if not everyone:
            query = query.where(ApiTokenRow.user_id == actor.id)
        return [_view(row, username) for row, username in s.execute(query)]


def token_revoke(store: Store, actor: User, token_id: int) -> Token:
    """Revoke a token of `actor`'s own, or anyone's by an admin. Revoking twice is no error."""
    with store.transaction() as s:
        row = s.get(ApiTokenRow, token_id)
        if row is None:
            raise NotFound(f"no token has id {token_id}")
        if row.user_id != actor.id:
            require(s, actor, Permission.ADMIN)
        owner = _owner(s, row)
        if row.revoked_at is None:
            row.revoked_at = now()
            audit(s, actor.id, None, "token", row.id, _ref(owner, row), "revoked", None, "yes")
        return _view(row, owner)


def token_authenticate(store: Store, secret: str) -> TokenUser:
    """The owner of this token and its scope; AuthenticationFailed if it is unknown,
    revoked, expired or its owner is deactivated (the message says which, but for unknown)."""
    if not secret.startswith(PREFIX):
        raise AuthenticationFailed("the API token is not valid")
    with store.transaction() as s:
        row = s.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(secret)))
        if row is None:
            raise AuthenticationFailed("the API token is not valid")
        at = now()
        if row.revoked_at is not None:
            raise AuthenticationFailed("the API token has been revoked")
        if row.expires_at <= at:
            raise AuthenticationFailed(f"the API token expired on {row.expires_at:%-d %B %Y}")
        user = s.get(UserRow, row.user_id)
        if user is None or not user.active:
            raise AuthenticationFailed("the API token's user is deactivated")
        if row.last_used_at is None or at - row.last_used_at >= USED_EVERY:
            row.last_used_at = at
        return TokenUser(user_view(user, memberships_of(s, user.id)), TokenScope(row.scope), row.id)


def _owner(s: Session, row: ApiTokenRow) -> str:
    user = s.get(UserRow, row.user_id)
    return user.username if user is not None else "?"


def _ref(username: str, row: ApiTokenRow) -> str:
    return f"{username}: {row.name} ({row.prefix}…)"


def _view(row: ApiTokenRow, username: str) -> Token:
    return Token(
        id=row.id,
        username=username,
        name=row.name,
        prefix=row.prefix,
        scope=TokenScope(row.scope),
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )
