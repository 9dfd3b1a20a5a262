"""Personal access tokens (ofsted_csc.plans.tokens), on SQLite and PostgreSQL: shown once and
kept only as a hash, never beyond the owner's role, expiring, revocable by their owner or an
admin, listed, and their making and revoking in the audit trail."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from ofsted_csc.domain.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from ofsted_csc.plans import accounts, tokens
from ofsted_csc.plans.common import User
from ofsted_csc.plans.rules import Permission, Role, TokenScope
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import AuditEventRow


def test_a_token_is_shown_once_and_kept_as_its_hash(store: Store, people: dict[str, User]) -> None:
    new = tokens.token_create(
        store, people["editor"], name="nightly  upload", scope=TokenScope.READ_WRITE, days=30
    )
    assert new.secret.startswith("ocsc_") and len(new.secret) >= 45
    with store.session() as s:
        row = s.execute(text("SELECT * FROM api_tokens")).mappings().one()
    assert row["token_hash"] == hashlib.sha256(new.secret.encode()).hexdigest()
    assert not any(new.secret in str(value) for value in row.values())  # only its start
    assert row["prefix"] == new.secret[:12]
    listed = tokens.token_list(store, people["editor"])
    assert listed[0].expires_at - listed[0].created_at == timedelta(days=30)
    assert [(t.name, t.scope, t.state()) for t in listed] == [
        ("nightly upload", TokenScope.READ_WRITE, "active")
    ]
    assert new.secret not in repr(listed)
    again = tokens.token_create(store, people["editor"])
    assert again.secret != new.secret and again.token.scope is TokenScope.READ  # the default


def test_a_token_acts_as_its_owner_within_its_scope(store: Store, people: dict[str, User]) -> None:
    write = tokens.token_create(store, people["editor"], scope=TokenScope.READ_WRITE).secret
    read = tokens.token_create(store, people["editor"], scope=TokenScope.READ).secret
    found = tokens.token_authenticate(store, write)
    assert found.user.username == "ed" and found.can(Permission.EDIT)
    assert not found.can(Permission.ADMIN)  # an editor's token, not more
    assert not tokens.token_authenticate(store, read).can(Permission.EDIT)
    assert tokens.token_authenticate(store, read).can(Permission.VIEW)
    # demoted: the read-write token no longer writes
    accounts.user_update(store, people["admin"], "ed", role=Role.VIEWER)
    assert not tokens.token_authenticate(store, write).can(Permission.EDIT)
    accounts.user_update(store, people["admin"], "ed", active=False)
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        tokens.token_authenticate(store, write)


def test_a_viewer_gets_only_read_tokens_and_lives_are_bounded(
    store: Store, people: dict[str, User]
) -> None:
    with pytest.raises(PermissionDenied, match="read-write token needs an editor or admin"):
        tokens.token_create(store, people["viewer"], scope=TokenScope.READ_WRITE)
    tokens.token_create(store, people["viewer"], scope=TokenScope.READ)
    for days in (0, -3, tokens.MAX_DAYS + 1):
        with pytest.raises(InvalidInput, match="1 to 366 days"):
            tokens.token_create(store, people["editor"], days=days)
    with pytest.raises(InvalidInput, match="at most 100"):
        tokens.token_create(store, people["editor"], name="x" * 101)
    assert len(tokens.token_list(store, people["admin"], everyone=True)) == 1


def test_expired_revoked_and_unknown_tokens_are_refused(
    store: Store, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = tokens.token_create(store, people["editor"], days=1)
    for wrong in ("", "ocsc_", new.secret + "x", new.secret[5:], "Bearer " + new.secret):
        with pytest.raises(AuthenticationFailed, match="not valid"):
            tokens.token_authenticate(store, wrong)
    start = tokens.now()
    monkeypatch.setattr(tokens, "now", lambda: start + timedelta(days=1, seconds=1))
    with pytest.raises(AuthenticationFailed, match="expired on"):
        tokens.token_authenticate(store, new.secret)
    assert tokens.token_list(store, people["editor"])[0].state() == "expired"
    monkeypatch.setattr(tokens, "now", lambda: start)
    assert tokens.token_authenticate(store, new.secret).user.username == "ed"
    tokens.token_revoke(store, people["editor"], new.token.id)
    with pytest.raises(AuthenticationFailed, match="revoked"):
        tokens.token_authenticate(store, new.secret)
    assert tokens.token_list(store, people["editor"])[0].state() == "revoked"


def test_only_the_owner_or_an_admin_revokes_and_both_are_audited(
    store: Store, people: dict[str, User]
) -> None:
    new = tokens.token_create(store, people["editor"], name="laptop")
    with pytest.raises(PermissionDenied):
        tokens.token_revoke(store, people["viewer"], new.token.id)
    with pytest.raises(PermissionDenied):
        tokens.token_list(store, people["viewer"], everyone=True)
    with pytest.raises(NotFound, match="no token has id 999"):
        tokens.token_revoke(store, people["admin"], 999)
    done = tokens.token_revoke(store, people["admin"], new.token.id)
    assert done.revoked_at is not None and done.username == "ed"
    tokens.token_revoke(store, people["editor"], new.token.id)  # again: no error, no event
    with store.session() as s:
        events = s.scalars(
            select(AuditEventRow).where(AuditEventRow.entity == "token").order_by(AuditEventRow.id)
        ).all()
    assert [(e.user_id, e.field, e.new) for e in events] == [
        (people["editor"].id, "created", "read"),
        (people["admin"].id, "revoked", "yes"),
    ]
    assert events[0].ref == f"ed: laptop ({new.secret[:12]}…)"


def test_use_is_recorded_at_most_once_a_minute(
    store: Store, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = tokens.token_create(store, people["editor"])
    assert tokens.token_list(store, people["editor"])[0].last_used_at is None
    start = tokens.now()
    monkeypatch.setattr(tokens, "now", lambda: start + timedelta(seconds=10))
    tokens.token_authenticate(store, new.secret)
    first = tokens.token_list(store, people["editor"])[0].last_used_at
    assert first == start + timedelta(seconds=10)
    monkeypatch.setattr(tokens, "now", lambda: start + timedelta(seconds=30))
    tokens.token_authenticate(store, new.secret)
    assert tokens.token_list(store, people["editor"])[0].last_used_at == first
    monkeypatch.setattr(tokens, "now", lambda: start + timedelta(minutes=2))
    tokens.token_authenticate(store, new.secret)
    assert tokens.token_list(store, people["editor"])[0].last_used_at == start + timedelta(
        minutes=2
    )
