"""Stored themes: each stored inspection's and letter's items with the themes the classifier
gave them, and the taxonomy version it classified by (table `document_themes`, one row a
document). The store keeps them as plain data and never classifies: the themes are computed
above it (services.ingest.save_read, services.themes.retheme) and read back with the rest of
the store's contents (`Store.contents`).

    write_themes(conn, sha256, "2026.12.8", [("recommendation", 1, (("assessments", 0.5, ("assessments",), True),))])
    read_themes(conn)               # {sha256: StoredThemes(version, items)}
    stale_themes(conn, "2026.12.1") # sha256 of inspections and letters without themes of it
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import Connection, delete, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from ofsted_csc.domain.errors import StoreError
from ofsted_csc.storage.models import DocumentThemesRow, SourceFileRow

# One theme of an item: (theme id, score, its reasons, whether the rules matched it): the
# reasons are the phrases that matched, or, when only the trained model gave the theme, the
# item's words that weighed most for it.
ThemeHit: TypeAlias = tuple[str, float, tuple[str, ...], bool]
# One item of a document: (section, position, its themes best first). Sections:
# recommendation, priority_action, area_for_improvement.
ItemThemes: TypeAlias = tuple[str, int, tuple[ThemeHit, ...]]
# A document's themes as a save stores them: the taxonomy version, and its items' themes.
Themes: TypeAlias = tuple[str, Sequence[ItemThemes]]

# The documents that have themes (review items have none: they are not counted).
THEMED_OUTCOMES = ("inspection", "letter")


@dataclass(frozen=True)
class StoredThemes:
    """One document's stored themes: the taxonomy version and the items, in record order."""

    version: str
    items: tuple[ItemThemes, ...]


def encode(items: Sequence[ItemThemes]) -> str:
    """The compact JSON stored: [[section, position, [[theme, score, [reason, ...]], ...]], ...],
    a theme the rules did not match (the model gave it) with a fourth element, 0."""
    return json.dumps(
        [
            [
                section,
                position,
                [
                    [theme, score, list(reasons)] + ([] if by_rules else [0])
                    for theme, score, reasons, by_rules in hits
                ],
            ]
            for section, position, hits in items
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(text: str) -> tuple[ItemThemes, ...]:
    """What `encode` wrote; StoreError if it is not that."""
    try:
        return tuple(
            (
                str(section),
                int(position),
                tuple(_hit(hit) for hit in hits),
            )
            for section, position, hits in json.loads(text)
        )
    except (ValueError, TypeError, IndexError) as exc:
        raise StoreError(f"stored themes that cannot be read ({exc})") from exc


def _hit(hit: list[Any]) -> ThemeHit:
    if len(hit) == 3:
        theme, score, reasons = hit
        by_rules = True
    elif len(hit) == 4 and hit[3] == 0:
        theme, score, reasons, _ = hit
        by_rules = False
    else:
        raise ValueError(f"a theme stored as {hit!r}")
    if not isinstance(reasons, list):
        raise TypeError(f"a theme's reasons stored as {reasons!r}")
    return str(theme), float(score), tuple(str(r) for r in reasons), by_rules


def insert_themes(
    conn: Connection, source_id: int, version: str, items: Sequence[ItemThemes]
) -> None:
    """The themes of a document being stored now (it has none), on its save's transaction."""
    conn.execute(
        insert(DocumentThemesRow),
        {"source_id": source_id, "taxonomy_version": version, "items": encode(items)},
    )


def write_themes(
    conn: Connection,
    sha256: str,
    version: str,
    items: Sequence[ItemThemes],
    *,
    only_stale: bool = False,
) -> bool:
    """Store a stored document's themes (replacing any), on the caller's transaction. With
    `only_stale`, themes already stored of `version` are left as they are (a retheme never
    overwrites what a save of the same document wrote meanwhile). False when the document is
    not stored (or is in review), or was left as it was."""
    source_id = conn.execute(
        select(SourceFileRow.id).where(
            SourceFileRow.sha256 == sha256, SourceFileRow.outcome.in_(THEMED_OUTCOMES)
        )
    ).scalar_one_or_none()
    if source_id is None:
        return False
    values = {"source_id": source_id, "taxonomy_version": version, "items": encode(items)}
    stmt: Any
    if conn.dialect.name == "postgresql":
        stmt = postgresql.insert(DocumentThemesRow)
    elif conn.dialect.name == "sqlite":
        stmt = sqlite.insert(DocumentThemesRow)
    else:  # pragma: no cover - the store runs on SQLite and PostgreSQL
        conn.execute(delete(DocumentThemesRow).where(DocumentThemesRow.source_id == source_id))
        conn.execute(insert(DocumentThemesRow), values)
        return True
    new = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["source_id"],
        # (by name: `excluded.items` is the column collection's own method)
        set_={"taxonomy_version": new["taxonomy_version"], "items": new["items"]},
        where=(
            (DocumentThemesRow.taxonomy_version != new["taxonomy_version"]) if only_stale else None
        ),
    )
    # (a row comes back only when one was written: the driver's rowcount is not to be
    # trusted for an upsert left undone, psycopg counting it on PostgreSQL)
    written = conn.execute(stmt.returning(DocumentThemesRow.source_id), values)
    return written.scalar_one_or_none() is not None


def read_themes(conn: Connection) -> dict[str, StoredThemes]:
    """Every stored document's themes, by sha256."""
    rows = conn.execute(
        select(
            SourceFileRow.sha256, DocumentThemesRow.taxonomy_version, DocumentThemesRow.items
        ).join(SourceFileRow, SourceFileRow.id == DocumentThemesRow.source_id)
    )
    return {sha: StoredThemes(version, decode(items)) for sha, version, items in rows}


def stale_themes(conn: Connection, version: str) -> list[str]:
    """sha256 of every stored inspection and letter with no themes of `version` (one
    query), in the order they were stored."""
    return list(
        conn.execute(
            select(SourceFileRow.sha256)
            .outerjoin(DocumentThemesRow, DocumentThemesRow.source_id == SourceFileRow.id)
            .where(
                SourceFileRow.outcome.in_(THEMED_OUTCOMES),
                or_(
                    DocumentThemesRow.source_id.is_(None),
                    DocumentThemesRow.taxonomy_version != version,
                ),
            )
            .order_by(SourceFileRow.id)
        ).scalars()
    )


def needs_themes(conn: Connection, sha256: str, version: str) -> bool:
    """Whether a stored inspection or letter has no themes of `version` (False for a file
    not stored or in review)."""
    row = conn.execute(
        select(DocumentThemesRow.taxonomy_version)
        .select_from(SourceFileRow)
        .outerjoin(DocumentThemesRow, DocumentThemesRow.source_id == SourceFileRow.id)
        .where(SourceFileRow.sha256 == sha256, SourceFileRow.outcome.in_(THEMED_OUTCOMES))
    ).first()
    return row is not None and row[0] != version
