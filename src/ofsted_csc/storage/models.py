"""The schema: one table per kind of thing users ask about, the same on SQLite and PostgreSQL.

Every stored record hangs off a `source_files` row: the file's name, sha256, size, page
count and the parser version that read it. Deleting a source file deletes what was read
from it (ON DELETE CASCADE, and the ORM cascades too), so replacing a record is one
delete and one insert inside one transaction.

Changing this module needs a migration in `storage/migrations/versions/`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Explicit constraint names, so migrations behave the same on both databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """The time stamps stored: UTC, naive (both databases), to the second."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SourceFileRow(Base):
    """One file taken in: the inspection, letter or review item read from it hangs off it."""

    __tablename__ = "source_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer)
    pdf_created: Mapped[date | None] = mapped_column(Date)
    pdf_modified: Mapped[date | None] = mapped_column(Date)
    parser_version: Mapped[str] = mapped_column(String(40))
    # "inspection", "letter" or "review"
    outcome: Mapped[str] = mapped_column(String(20))
    # fingerprint of the corrections applied when it was read ("" for none)
    corrections_key: Mapped[str] = mapped_column(String(64), default="")
    ingested_at: Mapped[datetime] = mapped_column(DateTime)

    inspection: Mapped[InspectionRow | None] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )
    letter: Mapped[LetterRow | None] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )
    review: Mapped[ReviewRow | None] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )
    corrections: Mapped[list[CorrectionRow]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )
    blob: Mapped[SourceBlobRow | None] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )
    pages: Mapped[list[DocumentPageRow]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )
    themes: Mapped[DocumentThemesRow | None] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )


class SourceBlobRow(Base):
    """The PDF itself, kept so the web app can serve the source of every record."""

    __tablename__ = "source_blobs"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("source_files.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)

    source: Mapped[SourceFileRow] = relationship(back_populates="blob")


class DocumentPageRow(Base):
    """The text of one page of a stored file, for full-text search (written with the rest
    of the file's record). The index over it is the database's own and is not in this
    model: on SQLite an external-content FTS5 table (`SEARCH_FTS_TABLE`) kept by triggers,
    on PostgreSQL a generated tsvector column (`SEARCH_TSV_COLUMN`) with a GIN index
    (migration 0009)."""

    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("source_id", "page"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source_files.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column(Integer)  # 1-based
    text: Mapped[str] = mapped_column(Text)

    source: Mapped[SourceFileRow] = relationship(back_populates="pages")


class DocumentThemesRow(Base):
    """The themes of a stored inspection's or letter's items, as the classifier of
    `taxonomy_version` gave them (written with the document, and again when the taxonomy
    changes). `items` is compact JSON: per item [section, position, [[theme, score,
    [reason, ...]], ...]], in the record's order. Replacing or deleting the document drops
    it (ON DELETE CASCADE)."""

    __tablename__ = "document_themes"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("source_files.id", ondelete="CASCADE"), primary_key=True
    )
    taxonomy_version: Mapped[str] = mapped_column(String(40))
    items: Mapped[str] = mapped_column(Text)

    source: Mapped[SourceFileRow] = relationship(back_populates="themes")


# The search index's objects, made by migration 0009 beside `document_pages`, one set per
# database (not in the model: schema comparisons leave them out).
SEARCH_FTS_TABLE = "document_pages_fts"
SEARCH_TSV_COLUMN = "tsv"
SEARCH_TSV_INDEX = "ix_document_pages_tsv"


class InspectionRow(Base):
    __tablename__ = "inspections"
    __table_args__ = (Index("ix_inspections_council_start", "council_urn", "inspection_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("source_files.id", ondelete="CASCADE"), unique=True
    )
    council_urn: Mapped[str] = mapped_column(String(20))
    council_name_in_report: Mapped[str | None] = mapped_column(String(200))
    framework: Mapped[str] = mapped_column(String(20))
    edition: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))
    kind_source: Mapped[str | None] = mapped_column(String(20))
    inspection_start: Mapped[date] = mapped_column(Date)
    inspection_end: Mapped[date | None] = mapped_column(Date)
    periods: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    published: Mapped[date | None] = mapped_column(Date)
    published_source: Mapped[str | None] = mapped_column(String(20))
    lead_inspector: Mapped[str | None] = mapped_column(String(300))
    pages: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)

    source: Mapped[SourceFileRow] = relationship(back_populates="inspection")
    judgements: Mapped[list[JudgementRow]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="JudgementRow.id",
    )
    recommendations: Mapped[list[RecommendationRow]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RecommendationRow.position",
    )
    passages: Mapped[list[PassageRow]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PassageRow.id",
    )


class PassageRow(Base):
    """The report's own words for one judgement (key: an area) or its overview."""

    __tablename__ = "report_passages"
    __table_args__ = (UniqueConstraint("inspection_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    page: Mapped[int] = mapped_column(Integer)
    # paragraphs, in order
    paragraphs: Mapped[list[str]] = mapped_column(JSON, default=list)
    # per paragraph, [offset, page] where each page's text starts; null when not kept
    # (passages other than sections, rows stored before migration 0008)
    starts: Mapped[list[list[list[int]]] | None] = mapped_column(JSON, nullable=True)

    inspection: Mapped[InspectionRow] = relationship(back_populates="passages")


class JudgementRow(Base):
    __tablename__ = "judgements"
    __table_args__ = (UniqueConstraint("inspection_id", "area"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    area: Mapped[str] = mapped_column(String(40))
    # "graded", "not_in_framework", "not_read"
    status: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str | None] = mapped_column(String(30))
    page: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(Text)

    inspection: Mapped[InspectionRow] = relationship(back_populates="judgements")


class RecommendationRow(Base):
    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("inspection_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    national_framework_outcome: Mapped[str | None] = mapped_column(Text)
    timescale: Mapped[str | None] = mapped_column(String(200))
    page: Mapped[int | None] = mapped_column(Integer)

    inspection: Mapped[InspectionRow] = relationship(back_populates="recommendations")


class LetterRow(Base):
    __tablename__ = "letters"
    __table_args__ = (Index("ix_letters_council_start", "council_urn", "visit_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("source_files.id", ondelete="CASCADE"), unique=True
    )
    council_urn: Mapped[str] = mapped_column(String(20))
    council_name_in_report: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    letter_date: Mapped[date | None] = mapped_column(Date)
    visit_start: Mapped[date] = mapped_column(Date)
    visit_end: Mapped[date | None] = mapped_column(Date)
    lead_inspector: Mapped[str | None] = mapped_column(String(300))
    theme: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)

    source: Mapped[SourceFileRow] = relationship(back_populates="letter")
    items: Mapped[list[LetterItemRow]] = relationship(
        back_populates="letter",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="LetterItemRow.id",
    )


class LetterItemRow(Base):
    """One area for priority action or area for improvement of a letter, verbatim; or one
    paragraph of its headline or main findings (with `starts`: [offset, page] where each
    page's text starts in it)."""

    __tablename__ = "letter_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    # priority_action | area_for_improvement | headline_findings | main_findings
    section: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    starts: Mapped[list[list[int]] | None] = mapped_column(JSON, nullable=True)

    letter: Mapped[LetterRow] = relationship(back_populates="items")


class ReviewRow(Base):
    """A file read as a report or letter whose required fields could not all be read."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("source_files.id", ondelete="CASCADE"), unique=True
    )
    reasons: Mapped[list[str]] = mapped_column(JSON)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # what was read, for `show`

    source: Mapped[SourceFileRow] = relationship(back_populates="review")


class CorrectionRow(Base):
    """A user's correction applied to the record read from a file."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("source_files.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)
    read_value: Mapped[str | None] = mapped_column(Text)  # what the parser had read
    note: Mapped[str | None] = mapped_column(Text)
    applied_at: Mapped[datetime] = mapped_column(DateTime)

    source: Mapped[SourceFileRow] = relationship(back_populates="corrections")


class OfficialRowRow(Base):
    """One inspection as an official Ofsted spreadsheet gives it (kept apart from reports)."""

    __tablename__ = "official_inspections"
    __table_args__ = (
        UniqueConstraint("sha256", "row", "block"),
        Index("ix_official_council", "council_urn"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_file: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    edition: Mapped[str] = mapped_column(String(60))
    sheet: Mapped[str] = mapped_column(String(100))
    row: Mapped[int] = mapped_column(Integer)
    block: Mapped[str] = mapped_column(String(60))
    council_name: Mapped[str] = mapped_column(String(200))
    council_urn: Mapped[str | None] = mapped_column(String(20))
    framework: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str | None] = mapped_column(String(30))
    ordinal: Mapped[int] = mapped_column(Integer)
    published: Mapped[date | None] = mapped_column(Date)
    grades: Mapped[dict[str, str]] = mapped_column(JSON)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    inspection_start: Mapped[date | None] = mapped_column(Date)  # where the edition gives it


# -- Ofsted's website, as last seen by sync --


class WebProviderRow(Base):
    """A council's page on Ofsted's site, by the URN in its address."""

    __tablename__ = "web_providers"

    urn: Mapped[str] = mapped_column(String(20), primary_key=True)
    provider_type: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300))  # as the page's heading gives it
    url: Mapped[str] = mapped_column(String(500))
    in_search: Mapped[bool] = mapped_column(Boolean, default=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)


class WebPublicationRow(Base):
    """One publication listed on a council's page: its listing (label, publication date,
    link) and what sync did with it. Linked to the stored document by sha256."""

    __tablename__ = "web_publications"

    file_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    provider_urn: Mapped[str] = mapped_column(String(20), index=True)
    label: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))  # PublicationKind
    format: Mapped[str] = mapped_column(String(20))
    published: Mapped[date] = mapped_column(Date)
    url: Mapped[str] = mapped_column(String(500))
    # listed (not fetched: not asked for), stored, refused, failed, gone (the site says the
    # document no longer exists: its not-found page, or 404/410)
    status: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    problem: Mapped[str | None] = mapped_column(Text)
    parser_version: Mapped[str | None] = mapped_column(String(40))
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    vanished_on: Mapped[date | None] = mapped_column(Date)
    # when the site last said the document is gone, and the HTTP status it said it with
    # (200 for its "Report not found" page): asked again only after a long interval
    gone_on: Mapped[date | None] = mapped_column(Date)
    gone_status: Mapped[int | None] = mapped_column(Integer)


class SyncRunRow(Base):
    """One sync that stored something: when, what was asked, and what it found."""

    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime] = mapped_column(DateTime)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
