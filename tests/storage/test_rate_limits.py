"""Rate limits counted in the store (ofsted_csc.storage.rate_limits), on SQLite and
PostgreSQL: fixed windows per key, a new window once one has ended, hits from many threads
(each its own connection, as several processes would be) all counted, and ended windows
deleted while current ones stay."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ofsted_csc import api
from ofsted_csc.storage import rate_limits as rl
from ofsted_csc.storage.plan_models import RateLimitRow

NOW = 1_790_000_000.0


def test_hits_count_in_a_fixed_window_then_start_again(db_url: str) -> None:
    with api.open_store(db_url) as store:
        assert rl.rate_hits(store, "a", NOW) == 0
        assert rl.rate_window_end(store, "a", NOW) == NOW
        assert [rl.rate_hit(store, "a", 60, 1, NOW + i) for i in range(3)] == [1, 2, 3]
        assert rl.rate_hit(store, "b", 60, 2, NOW) == 2  # keys count apart
        assert rl.rate_hits(store, "a", NOW + 59) == 3
        assert rl.rate_window_end(store, "a", NOW + 10) == NOW + 60  # from the first hit
        assert rl.rate_hits(store, "a", NOW + 60) == 0  # the window has ended
        assert rl.rate_hit(store, "a", 60, 1, NOW + 61) == 1  # a new one begins
        assert rl.rate_window_end(store, "a", NOW + 61) == NOW + 121
        assert rl.rate_delete_ended(store, NOW + 61) == 1  # b's ended; a's is current
        with store.session() as s:
            assert s.get(RateLimitRow, "b") is None and s.get(RateLimitRow, "a") is not None
        rl.rate_hit(store, "c", 60, 1, NOW + 61)
        assert rl.rate_clear(store, "a") == 1 and rl.rate_hits(store, "a", NOW + 61) == 0
        assert rl.rate_clear(store) == 1


def test_hits_at_once_are_all_counted(db_url: str) -> None:
    with api.open_store(db_url) as store:
        with ThreadPoolExecutor(8) as pool:
            counts = list(pool.map(lambda _: rl.rate_hit(store, "k", 60, 1, NOW), range(40)))
        assert sorted(counts) == list(range(1, 41))
        assert rl.rate_hits(store, "k", NOW) == 40
