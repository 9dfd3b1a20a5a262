"""Filling the search index for files stored before page text was kept.

    summary = reindex(store)      # every stored file with no page text, from its stored PDF
                                  # (and the themes of documents without current ones)

A file stored with --no-pdf has nothing to read it from: it is listed as missing, and is
indexed when it is ingested again. Each file's pages are written in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ofsted_csc.domain.errors import DocumentError
from ofsted_csc.parsing.pdf import read_pdf
from ofsted_csc.services.themes import retheme
from ofsted_csc.storage import Store

__all__ = ["ReindexSummary", "reindex"]


@dataclass
class ReindexSummary:
    indexed: list[str] = field(default_factory=list)  # file names
    no_pdf: list[str] = field(default_factory=list)  # stored without their PDF
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)
    themed: int = 0  # documents whose themes were stored (missing, or another taxonomy's)


def reindex(
    store: Store, on_progress: Callable[[str, int, int], None] | None = None
) -> ReindexSummary:
    """Store the page text of every stored file that has none, read from its stored PDF
    (the same text ingest keeps: parsing.pdf's lines of each page); then the themes of
    every stored inspection and letter without themes of the current taxonomy
    (services.themes.retheme)."""
    summary = ReindexSummary()
    todo = store.unindexed()
    for done, (sha, name) in enumerate(todo, 1):
        data = store.pdf_of(sha)
        if data is None:
            summary.no_pdf.append(name)
        else:
            try:
                pages = read_pdf(data, name).pages
            except DocumentError as exc:
                summary.unreadable.append((name, exc.message))
            else:
                store.index_pages(sha, pages)
                summary.indexed.append(name)
        if on_progress is not None:
            on_progress(name, done, len(todo))
    summary.themed = retheme(store)
    return summary
