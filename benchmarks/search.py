"""Benchmark: full-text search query time on a store (target: p95 under 200 ms on the whole
corpus, SQLite and PostgreSQL).

    python benchmarks/search.py --db sqlite:///corpus.db [--rounds 30] [--limit 50]

The store must be indexed (`ofsted-csc reindex` fills a store made before search). Each
query runs once to warm the caches, then --rounds times through `api.search` (the query
parsed, the SQL, the passages, the hits built: what the CLI and the web wait for). Prints
p50, p95 and the slowest in milliseconds, and how many pages matched.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from typing import Any

from ofsted_csc import api

QUERIES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("a word", "neglect", {}),
    ("a common word", "children", {}),
    ("a phrase", '"corporate parenting"', {}),
    ("OR, NOT and a prefix", '("missing from care" OR exploit*) -trafficking', {}),
    (
        "a filtered query",
        '"social workers"',
        {"since": date(2019, 1, 1), "framework": "ilacs", "region": "North West"},
    ),
    ("a council's letters", "supervision", {"council": "Leeds", "kind": "focused_visit"}),
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    at = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[at]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of an indexed store")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--limit", type=int, default=api.search.__kwdefaults__["limit"])
    args = parser.parse_args()
    with api.open_store(args.db) as store:
        missing = api.unindexed_count(store)
        print(f"{store.url}: {store.engine.dialect.name}; {missing} stored files not indexed")
        print(f"{'query':<24} {'hits':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for label, query, filters in QUERIES:
            hits = api.search(store, query, limit=args.limit, **filters)
            times: list[float] = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                api.search(store, query, limit=args.limit, **filters)
                times.append((time.perf_counter() - start) * 1000)
            print(
                f"{label:<24} {len(hits):>5} {statistics.median(times):>8.1f} "
                f"{_percentile(times, 0.95):>8.1f} {max(times):>8.1f}"
            )


if __name__ == "__main__":
    main()
