"""Web sessions kept in the store (the `web_sessions` table): an id, the session's encoded
data and when it expires. The web app's session interface reads and writes them only
through these functions; times are naive UTC, as the table keeps them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from ofsted_csc.storage.plan_models import WebSessionRow
from ofsted_csc.storage.store import Store


def session_data(store: Store, session_id: str, now: datetime) -> bytes | None:
    """The data of the session with this id, if it has not expired by `now`."""
    with store.session() as s:
        row = s.get(WebSessionRow, session_id)
        if row is None or row.expiry <= now:
            return None
        return row.data


def session_save(store: Store, session_id: str, data: bytes, expiry: datetime) -> None:
    """Add the session, or replace its data and expiry."""
    with store.transaction() as s:
        row = s.get(WebSessionRow, session_id)
        if row is None:
            s.add(WebSessionRow(id=session_id, data=data, expiry=expiry))
        else:
            row.data, row.expiry = data, expiry


def session_delete(store: Store, session_id: str) -> None:
    with store.transaction() as s:
        s.execute(delete(WebSessionRow).where(WebSessionRow.id == session_id))


def sessions_delete_expired(store: Store, now: datetime) -> None:
    """Delete every session that has expired by `now`."""
    with store.transaction() as s:
        s.execute(delete(WebSessionRow).where(WebSessionRow.expiry <= now))
