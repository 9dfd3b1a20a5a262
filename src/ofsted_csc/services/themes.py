"""Themes stored, not recomputed: each stored inspection's and letter's items with their
themes, computed when the document is stored (`themes_of`, from services.ingest's
`save_read`, the one way a document is stored) and again for every stored document whose
themes are missing or of another taxonomy version (`retheme`: at the end of an ingest and of
a sync, by `ofsted-csc reindex` and when the web server starts). The first themes page after
an ingest then reads them instead of classifying every item of every document.

    themes = themes_of(result)
    writer.save(result, themes=themes)                     # stored with the document
    save_missing_themes(writer, sha256, themes)           # one held unchanged, if it has none
    written = retheme(store)         # one query when nothing is stale
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from ofsted_csc.domain.records import InspectionRecord, LetterRecord, ParseResult
from ofsted_csc.storage import ItemThemes, Store, Themes
from ofsted_csc.themes import current_classifier
from ofsted_csc.themes.analysis import item_themes

__all__ = ["RETHEME_BATCH", "ThemesWriter", "retheme", "save_missing_themes", "themes_of"]

# Documents whose themes a retheme writes in one transaction.
RETHEME_BATCH = 200


class ThemesWriter(Protocol):
    """Where a document's themes are saved: the Store (a transaction of its own) or a
    sync's writer (the sync's one transaction)."""

    def save_themes(self, sha256: str, version: str, items: Sequence[ItemThemes]) -> bool: ...

    def needs_themes(self, sha256: str, version: str) -> bool: ...


def themes_of(result: ParseResult) -> Themes:
    """A reading's themes, to be stored with it in its save's transaction (corrections never
    touch the recommendations or letter items, so those of the reading are the stored ones)."""
    classifier = current_classifier()
    return classifier.version, item_themes(result.record, classifier)


def save_missing_themes(writer: ThemesWriter, sha256: str, themes: Themes) -> bool:
    """Store `themes` (`themes_of` its reading) for a document the store held unchanged,
    only if it has none of their taxonomy version (one stored before themes were kept).
    Whether they were written."""
    version, items = themes
    if not writer.needs_themes(sha256, version):
        return False
    return writer.save_themes(sha256, version, items)


def retheme(store: Store, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Store the themes of every stored inspection and letter that has none of the current
    taxonomy version (stored before themes were kept, or themed by another version), its
    record read from the store; `on_progress(done, total)` after each batch. One query when
    none is stale. How many documents were themed."""
    classifier = current_classifier()
    stale = set(store.stale_themes(classifier.version))
    if not stale:
        return 0
    records: list[tuple[str, InspectionRecord | LetterRecord]] = [
        (item.result.source.sha256, item.result.record)
        for item in (*store.inspections(), *store.letters())
        if item.result.source.sha256 in stale
    ]
    written = 0
    for start in range(0, len(records), RETHEME_BATCH):
        batch = records[start : start + RETHEME_BATCH]
        written += store.save_stale_themes(
            [(sha, item_themes(record, classifier)) for sha, record in batch], classifier.version
        )
        if on_progress is not None:
            on_progress(start + len(batch), len(records))
    return written
