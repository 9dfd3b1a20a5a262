"""What sync knows of Ofsted's website, kept in the store: council pages, publications
(with the listing's publication date and link) and sync runs.

Sync reads the whole state once (`read_state`) and writes a whole sync through one
`SyncWriter`, inside one transaction: the store holds all of a sync or none of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ofsted_csc.domain.records import PublishedSource
from ofsted_csc.storage.models import (
    InspectionRow,
    SourceFileRow,
    SyncRunRow,
    WebProviderRow,
    WebPublicationRow,
    utc_now,
)

# A listing's date replaces these (an estimate, or an earlier listing's date); the report's
# own date and a user's correction stay.
REPLACEABLE = (None, PublishedSource.PDF_METADATA.value, PublishedSource.WEB_LISTING.value)


@dataclass(frozen=True)
class KnownProvider:
    urn: str
    provider_type: str
    name: str
    url: str
    in_search: bool


@dataclass(frozen=True)
class KnownPublication:
    file_id: str
    provider_urn: str
    label: str
    kind: str
    published: date
    url: str
    status: str
    sha256: str | None
    problem: str | None
    parser_version: str | None
    vanished_on: date | None
    gone_on: date | None = None  # when the site last said the document is gone
    gone_status: int | None = None  # ... with this HTTP status (200: its not-found page)


@dataclass(frozen=True)
class HeldFile:
    sha256: str
    file_name: str
    parser_version: str
    outcome: str


@dataclass(frozen=True)
class SyncState:
    providers: dict[str, KnownProvider]
    publications: dict[str, KnownPublication]
    files_by_name: dict[str, HeldFile]
    files_by_sha: dict[str, HeldFile]


def read_state(conn: Connection) -> SyncState:
    providers = {
        r.urn: KnownProvider(r.urn, r.provider_type, r.name, r.url, r.in_search)
        for r in conn.execute(select(WebProviderRow))
    }
    publications = {r.file_id: _known(r) for r in conn.execute(select(WebPublicationRow))}
    held = [
        HeldFile(r.sha256, r.file_name, r.parser_version, r.outcome)
        for r in conn.execute(
            select(
                SourceFileRow.sha256,
                SourceFileRow.file_name,
                SourceFileRow.parser_version,
                SourceFileRow.outcome,
            )
        )
    ]
    return SyncState(
        providers,
        publications,
        {h.file_name: h for h in held},
        {h.sha256: h for h in held},
    )


class SyncWriter:
    """Writes of one sync, all on the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.at = utc_now()

    def provider(self, urn: str, provider_type: str, name: str, url: str, in_search: bool) -> None:
        values = {
            "provider_type": provider_type,
            "name": name,
            "url": url,
            "in_search": in_search,
            "last_seen": self.at,
        }
        done = self.conn.execute(
            update(WebProviderRow).where(WebProviderRow.urn == urn).values(**values)
        )
        if done.rowcount == 0:
            self.conn.execute(insert(WebProviderRow), {"urn": urn, "first_seen": self.at, **values})

    def publication(self, file_id: str, **values: Any) -> None:
        """Insert or update one listing (and what was done with it); a listing seen again
        is no longer vanished."""
        values = {**values, "last_seen": self.at, "vanished_on": None}
        done = self.conn.execute(
            update(WebPublicationRow).where(WebPublicationRow.file_id == file_id).values(**values)
        )
        if done.rowcount == 0:
            self.conn.execute(
                insert(WebPublicationRow),
                {"file_id": file_id, "first_seen": self.at, **values},
            )

    def vanished(self, file_ids: Iterable[str], on: date) -> None:
        ids = list(file_ids)
        if ids:
            self.conn.execute(
                update(WebPublicationRow)
                .where(WebPublicationRow.file_id.in_(ids))
                .values(vanished_on=on)
            )

    def run(self, started_at: datetime, options: dict[str, Any], summary: dict[str, Any]) -> None:
        self.conn.execute(
            insert(SyncRunRow),
            {
                "started_at": started_at,
                "finished_at": utc_now(),
                "options": options,
                "summary": summary,
            },
        )

    def listing_dates(self, shas: Sequence[str]) -> None:
        apply_listing_dates(self.conn, shas)


def apply_listing_dates(conn: Connection, shas: Sequence[str]) -> None:
    """Give the inspections read from these files the publication date of their listing
    on Ofsted's site (the earliest, if listed twice), unless the report states its own date
    or a user corrected it."""
    if not shas:
        return
    listed: dict[str, date] = {}
    for sha, published in conn.execute(
        select(WebPublicationRow.sha256, WebPublicationRow.published).where(
            WebPublicationRow.sha256.in_(list(shas)), WebPublicationRow.status == "stored"
        )
    ):
        if sha is not None:
            listed[sha] = min(published, listed.get(sha, published))
    if not listed:
        return
    rows = conn.execute(
        select(InspectionRow.id, SourceFileRow.sha256, InspectionRow.published_source)
        .join(SourceFileRow, InspectionRow.source_id == SourceFileRow.id)
        .where(SourceFileRow.sha256.in_(list(listed)))
    ).all()
    for inspection_id, sha, source in rows:
        if source in REPLACEABLE:
            conn.execute(
                update(InspectionRow)
                .where(InspectionRow.id == inspection_id)
                .values(published=listed[sha], published_source=PublishedSource.WEB_LISTING.value)
            )


def listing_of(conn: Connection, sha256: str) -> KnownPublication | None:
    """The (earliest) listing of a stored document, if sync has seen it on the site."""
    row = conn.execute(
        select(WebPublicationRow)
        .where(WebPublicationRow.sha256 == sha256, WebPublicationRow.status == "stored")
        .order_by(WebPublicationRow.published, WebPublicationRow.file_id)
    ).first()
    return None if row is None else _known(row)


def listings(conn: Connection) -> dict[str, KnownPublication]:
    """The (earliest) listing of every stored document sync has seen on the site, by sha256:
    `listing_of` for all of them in one query."""
    out: dict[str, KnownPublication] = {}
    for row in conn.execute(
        select(WebPublicationRow)
        .where(WebPublicationRow.sha256.is_not(None), WebPublicationRow.status == "stored")
        .order_by(WebPublicationRow.published, WebPublicationRow.file_id)
    ):
        out.setdefault(row.sha256, _known(row))
    return out


def _known(r: Any) -> KnownPublication:
    return KnownPublication(
        r.file_id,
        r.provider_urn,
        r.label,
        r.kind,
        r.published,
        r.url,
        r.status,
        r.sha256,
        r.problem,
        r.parser_version,
        r.vanished_on,
        r.gone_on,
        r.gone_status,
    )
