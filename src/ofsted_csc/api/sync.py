"""Sync with Ofsted's website: the door the CLI (and scripts) use.

    from ofsted_csc.api import sync
    with sync.fetcher(delay=1.0) as f:
        report = sync.run(store, f, sync.SyncOptions(cache=sync.default_cache()))

Everything is done by services/sync.py (which stores through services/ingest.py, as
`ingest` does); this module only opens the network client and passes the call on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.services.sync import (
    Outcome,
    Publication,
    SyncOptions,
    SyncReport,
    default_cache,
    run_sync,
)
from ofsted_csc.sources.http import Fetcher, Politeness
from ofsted_csc.storage import Store

__all__ = [
    "Fetcher",
    "Outcome",
    "Publication",
    "SyncOptions",
    "SyncReport",
    "default_cache",
    "fetcher",
    "run",
]


def fetcher(identity: str | None = None, **politeness: float | int) -> Fetcher:
    """The HTTP client for Ofsted's site, with its politeness (delay, concurrency, timeout,
    retries) and the identity it gives (None: $OFSTED_CSC_USER_AGENT, else ofsted-csc's own);
    use it as a context manager."""
    return Fetcher(Politeness(**politeness), identity=identity)  # type: ignore[arg-type]


def run(
    store: Store,
    client: Fetcher,
    options: SyncOptions,
    *,
    registry: CouncilRegistry | None = None,
    today: date | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> SyncReport:
    """One sync: see services.sync.run_sync."""
    return run_sync(store, client, options, registry=registry, today=today, on_progress=on_progress)
