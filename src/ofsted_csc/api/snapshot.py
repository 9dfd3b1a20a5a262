"""The snapshot the API's read functions take: what the store held at one moment.

    snap = api.snapshot(store)            # one read
    api.national(snap, date(2024, 3, 31)) # the same figures as api.national(store, ...)
    api.council_profile(snap, "810")

Every read function (national, regions, council_profile, trajectories, table, about,
check, ...) takes either a Store (it takes a fresh snapshot) or a Snapshot (it reads nothing
more, and remembers its result with the snapshot: see ofsted_csc.analytics.snapshot).
"""

from __future__ import annotations

from typing import TypeAlias

from ofsted_csc.analytics.snapshot import Snapshot
from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.storage import Store

# What a read function reads: a store, or a snapshot of one.
Source: TypeAlias = Store | Snapshot


def snapshot(store: Store, registry: CouncilRegistry | None = None) -> Snapshot:
    """What `store` holds now, read once (in one transaction)."""
    return Snapshot.build(store, registry)


def read(source: Source) -> Snapshot:
    """`source` itself if it is a snapshot, else a fresh snapshot of the store."""
    return source if isinstance(source, Snapshot) else Snapshot.build(source)
