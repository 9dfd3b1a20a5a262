"""Rate limits counted in the store (the `web_rate_limits` table), so that every process
serving the web app counts the same attempts: a fixed window per key, as Flask-Limiter's own
storages keep it. The first hit of a key starts its window, `expiry` seconds long; hits within
it add up; the first hit after it ends starts a new window. Times are seconds since the epoch,
given by the caller.

A hit is one statement, an upsert (INSERT ... ON CONFLICT DO UPDATE, on SQLite and PostgreSQL),
so hits from many processes at once are all counted."""

from __future__ import annotations

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from ofsted_csc.storage.plan_models import RateLimitRow
from ofsted_csc.storage.store import Store


def rate_hit(store: Store, key: str, expiry: float, amount: int, now: float) -> int:
    """Add `amount` hits to `key`'s current window (a new one of `expiry` seconds if it has
    none, or it ended by `now`): the window's hits afterwards."""
    with store.transaction() as s:
        dialect = s.get_bind().dialect.name
        if dialect in ("postgresql", "sqlite"):
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            stmt = insert(RateLimitRow).values(key=key, hits=amount, expires_at=now + expiry)
            ended = RateLimitRow.expires_at <= now
            upsert = stmt.on_conflict_do_update(
                index_elements=[RateLimitRow.key],
                set_={
                    "hits": case(
                        (ended, stmt.excluded.hits), else_=RateLimitRow.hits + stmt.excluded.hits
                    ),
                    "expires_at": case(
                        (ended, stmt.excluded.expires_at), else_=RateLimitRow.expires_at
                    ),
                },
            ).returning(RateLimitRow.hits)
            return int(s.execute(upsert).scalar_one())
        # another database: the row read for update, then written
        row = s.execute(
            select(RateLimitRow).where(RateLimitRow.key == key).with_for_update()
        ).scalar_one_or_none()
        if row is None:
            s.add(RateLimitRow(key=key, hits=amount, expires_at=now + expiry))
            return amount
        if row.expires_at <= now:
            row.hits, row.expires_at = amount, now + expiry
        else:
            row.hits += amount
        return row.hits


def rate_hits(store: Store, key: str, now: float) -> int:
    """The hits in `key`'s current window (0 when it has none at `now`)."""
    with store.session() as s:
        hits = s.execute(
            select(RateLimitRow.hits).where(RateLimitRow.key == key, RateLimitRow.expires_at > now)
        ).scalar_one_or_none()
    return int(hits or 0)


def rate_window_end(store: Store, key: str, now: float) -> float:
    """When `key`'s current window ends (`now` when it has none)."""
    with store.session() as s:
        end = s.execute(
            select(RateLimitRow.expires_at).where(
                RateLimitRow.key == key, RateLimitRow.expires_at > now
            )
        ).scalar_one_or_none()
    return float(end) if end is not None else now


def rate_clear(store: Store, key: str | None = None) -> int:
    """Forget `key`'s hits (every key's when None): how many keys were forgotten."""
    with store.transaction() as s:
        stmt = delete(RateLimitRow)
        if key is not None:
            stmt = stmt.where(RateLimitRow.key == key)
        return int(s.execute(stmt).rowcount)  # type: ignore[attr-defined]


def rate_delete_ended(store: Store, now: float) -> int:
    """Delete the windows that ended by `now`: how many."""
    with store.transaction() as s:
        result = s.execute(delete(RateLimitRow).where(RateLimitRow.expires_at <= now))
        return int(result.rowcount)  # type: ignore[attr-defined]
