"""Web sessions in the store (ofsted_csc.storage.sessions), on SQLite and PostgreSQL: kept,
replaced, expired, deleted, and the expired ones cleared while the others stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from ofsted_csc import api
from ofsted_csc.storage import sessions
from ofsted_csc.storage.plan_models import WebSessionRow

NOW = datetime(2026, 3, 2, 9, 0)


def test_sessions_are_kept_replaced_expired_and_cleared(db_url: str) -> None:
    with api.open_store(db_url) as store:
        sessions.session_save(store, "old", b"yesterday", NOW - timedelta(hours=1))
        sessions.session_save(store, "new", b"first", NOW + timedelta(hours=8))
        sessions.session_save(store, "new", b"second", NOW + timedelta(hours=8))
        assert sessions.session_data(store, "new", NOW) == b"second"
        assert sessions.session_data(store, "old", NOW) is None  # expired: as good as gone
        assert sessions.session_data(store, "nobody", NOW) is None
        sessions.sessions_delete_expired(store, NOW)
        with store.session() as s:
            assert s.get(WebSessionRow, "old") is None
            assert s.get(WebSessionRow, "new") is not None
        sessions.session_delete(store, "new")
        assert sessions.session_data(store, "new", NOW) is None
