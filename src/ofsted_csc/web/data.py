"""What the web app reads, held in memory between requests and rebuilt when the store changes.

Every page is a function of the store's contents and the query string. Reading every record
from the database for each request would cost tens of milliseconds, so one snapshot of the
store (ofsted_csc.api.snapshot: facts, documents, records, official rows, read in one
transaction) is built per data version (`Store.data_version()`, one cheap query a request)
and shared by the threads serving requests. The pages hand it to the same API functions as
the CLI (ofsted_csc.api), which remember their results with it; a page's own derived parts
(tables' HTML, charts) are remembered with it too (`Snapshot.memo`).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from datetime import date

from ofsted_csc import api
from ofsted_csc.domain.councils import Council, CouncilRegistry, load_registry
from ofsted_csc.domain.frameworks import JUDGEMENT_LABELS

JUDGEMENTS = api.JUDGEMENTS
FILTERS = ("framework", "kind", "year", "judgement", "grade", "region")
Filters = api.DocumentFilters  # the listing's filters (ofsted_csc.analytics.snapshot)


class DataCache:
    """The current snapshot of one store, rebuilt when its data version changes.

    The version is asked of the database at most every `check_every` seconds (a change made
    by another process, such as `ofsted-csc ingest`, shows within that time); a change made
    through this app calls `invalidate()` and shows at once.
    """

    def __init__(
        self, store: api.Store, registry: CouncilRegistry | None = None, check_every: float = 1.0
    ) -> None:
        self.store = store
        self.registry = registry or load_registry()
        self.check_every = check_every
        self._current: api.Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        self._checked_at = 0.0

    def get(self) -> api.Snapshot:
        current = self._current
        now = time.monotonic()
        if current is not None and now - self._checked_at < self.check_every:
            return current
        version = self.store.data_version()
        if current is not None and current.version == version:
            self._checked_at = now
            return current
        with self._lock:  # one rebuild at a time; others wait for it
            current = self._current
            if current is None or current.version != version:
                current = api.snapshot(self.store, self.registry)
                self._current = current
            self._checked_at = now
            return current


Page = tuple[bytes, int, tuple[tuple[str, str], ...]]  # body, status, headers
# Kept under a page's key when the page shows a form token of the session that asked for it
# (Flask-WTF's CSRF token): the page itself is kept once per session, under (key, token).
PER_SESSION: Page = (b"", 0, ())


class PageCache:
    """Rendered pages by a key that covers everything a page shows (ofsted_csc.web.app: the
    data versions, the day, the URL and who asks), so each is rendered once per key. A page
    with a session's form token is kept for that session only (`session_token`). Least
    recently used pages are dropped beyond `max_bytes`."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Hashable, Page] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, session_token: str | None = None) -> Page | None:
        """The page kept under `key`, or under (key, `session_token`) when the page at `key`
        is kept per session."""
        with self._lock:
            hit = self._pages.get(key)
            if hit is PER_SESSION:
                self._pages.move_to_end(key)
                key = (key, session_token)
                hit = self._pages.get(key)
            if hit is not None:
                self._pages.move_to_end(key)
            return hit

    def put(
        self,
        key: Hashable,
        body: bytes,
        status: int,
        headers: tuple[tuple[str, str], ...],
        session_token: str | None = None,
    ) -> None:
        """Keep a page; with `session_token`, for that session only (it shows its token)."""
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            if session_token is not None:
                replaced = self._pages.get(key)
                if replaced is not None and replaced is not PER_SESSION:
                    self._size -= len(replaced[0])
                self._pages[key] = PER_SESSION
                self._pages.move_to_end(key)
                key = (key, session_token)
            if key in self._pages:
                return
            self._pages[key] = (body, status, headers)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (old, _, _) = self._pages.popitem(last=False)
                self._size -= len(old)


def councils_by_name(registry: CouncilRegistry, on: date) -> Sequence[Council]:
    return sorted(registry.existing_on(on), key=lambda c: c.name)


JUDGEMENT_NAMES: dict[str, str] = {a.value: label for a, label in JUDGEMENT_LABELS.items()}
