"""The Store: every read and write of the database goes through here.

    store = Store.open("sqlite:///ofsted.db")    # migrates to the latest schema
    outcome = store.save(result, pdf_bytes)      # one transaction per file
    store.inspections(); store.letters(); store.review_items(); store.find("50004301.pdf")

`save` writes a file's record (inspection, letter, or review item) in one transaction:
either everything read from the file is there afterwards, or nothing changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from ofsted_csc import config
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import DiskFull, NotFound, StoreBusy, StoreError, SyncBusy
from ofsted_csc.domain.frameworks import Area, Framework, Kind, edition
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.official import OfficialRow, built_in
from ofsted_csc.domain.records import (
    HEADLINE_FINDINGS,
    MAIN_FINDINGS,
    Correction,
    InspectionRecord,
    Judgement,
    JudgementStatus,
    KindSource,
    LetterRecord,
    PageStarts,
    ParseResult,
    Passage,
    PassageKind,
    Priority,
    PublishedSource,
    Recommendation,
    Scope,
    SourceFile,
)
from ofsted_csc.domain.rules import review_reasons
from ofsted_csc.domain.search import Query
from ofsted_csc.parsing.corrections import apply_corrections, corrections_key
from ofsted_csc.storage.convert import record_from_json, record_to_json
from ofsted_csc.storage.document_themes import (
    ItemThemes,
    StoredThemes,
    Themes,
    insert_themes,
    needs_themes,
    read_themes,
    stale_themes,
    write_themes,
)
from ofsted_csc.storage.migrate import upgrade
from ofsted_csc.storage.models import (
    CorrectionRow,
    InspectionRow,
    JudgementRow,
    LetterItemRow,
    LetterRow,
    OfficialRowRow,
    PassageRow,
    RecommendationRow,
    ReviewRow,
    SourceBlobRow,
    SourceFileRow,
    WebPublicationRow,
    utc_now,
)
from ofsted_csc.storage.search import (
    SearchFilters,
    StoredHit,
    page_texts,
    search_pages,
    unindexed,
    write_pages,
)
from ofsted_csc.storage.web import (
    KnownPublication,
    SyncState,
    SyncWriter,
    apply_listing_dates,
    listing_of,
    listings,
    read_state,
)

# pg_advisory_lock key of sync ("ofsted" as a number)
SYNC_LOCK_KEY = 0x6F66737465640001

PRIORITY_SECTION = "priority_action"
IMPROVEMENT_SECTION = "area_for_improvement"
FINDINGS_SECTIONS = (HEADLINE_FINDINGS, MAIN_FINDINGS)  # a letter's findings, one row a paragraph
# report_passages keys of judgements' whole sections (kind "section"): beside the passage of
# the same judgement, which the (inspection, key) uniqueness would otherwise refuse
SECTION_KEY = "section:"


class SaveOutcome(StrEnum):
    STORED = "stored"  # new
    REPLACED = "replaced"  # read again (newer parser or other corrections)
    UNCHANGED = "unchanged"  # the same file, read by the same parser: nothing done
    REVIEW = "review"  # kept for review: required fields could not be read


@dataclass(frozen=True)
class KnownFile:
    sha256: str
    file_name: str
    parser_version: str
    corrections_key: str
    outcome: str


@dataclass(frozen=True)
class StoredResult:
    """A stored record with what it came from: a ParseResult plus when it was taken in."""

    result: ParseResult
    outcome: str  # "inspection", "letter" or "review"
    ingested_at: datetime


# What `known` tells of a file, in KnownFile's order.
_KNOWN = (
    SourceFileRow.sha256,
    SourceFileRow.file_name,
    SourceFileRow.parser_version,
    SourceFileRow.corrections_key,
    SourceFileRow.outcome,
)


@dataclass(frozen=True)
class HeldDocument:
    """One stored document as the health check counts it."""

    outcome: str  # inspection, letter, review
    framework: str | None  # an inspection's framework; None for letters and unread ones
    letter: bool
    day: date | None  # inspection start or visit start
    unread: int  # judgements not read
    not_judged: int  # judgements Ofsted printed as "Not judged"


@dataclass(frozen=True)
class RefusedListing:
    """A publication on Ofsted's site that sync fetched and could not take in."""

    kind: str  # PublicationKind value
    published: date
    problem: str | None


@dataclass(frozen=True)
class StoreContents:
    """Everything the store holds that figures are made from, read at one moment
    (`Store.contents`): what `data_version`, `inspections`, `letters`, `review_items`,
    `official_rows`, `counts` and `refused_listings` give, every stored document's
    listing on Ofsted's site and its stored themes."""

    version: str
    inspections: list[StoredResult]  # oldest inspection first, without passages
    letters: list[StoredResult]  # oldest visit first
    review: list[StoredResult]  # in the order they were taken in
    official_rows: list[OfficialRow]
    listings: dict[str, KnownPublication]  # by sha256
    refused: list[RefusedListing]
    counts: dict[str, int]
    themes: dict[str, StoredThemes]  # by sha256: inspections' and letters' stored themes


def default_url() -> str:
    """$OFSTED_CSC_DB, else a SQLite file in the user's data directory."""
    configured = config.current().db_url
    if configured:
        return configured
    from platformdirs import user_data_path

    folder = user_data_path("ofsted-csc", appauthor=False)
    return f"sqlite:///{folder / 'ofsted-csc.sqlite'}"


# How long a SQLite connection waits for another process's write to finish (seconds).
SQLITE_BUSY_WAIT = 60.0
# SQLite's primary result codes (the low byte of an extended one) and PostgreSQL's SQLSTATE
# that say the database could not be written or stayed locked.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR, _SQLITE_FULL = 5, 6, 10, 13
_SQLITE_IOERR_WRITE = (
    _SQLITE_IOERR | 3 << 8
)  # what a write past the disk's (or a limit's) end gives
_PG_DISK_FULL = "53100"


def _typed_error(context: ExceptionContext) -> StoreError | None:
    """The one place a driver's "disk full", "disk I/O error" and "database is locked" become
    typed errors (an engine `handle_error` hook: every statement and commit passes here)."""
    orig = context.original_exception
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    state = getattr(orig, "sqlstate", None)
    engine = context.engine
    where = engine.url.render_as_string(hide_password=True) if engine else "the database"
    said = _short(orig)
    if primary == _SQLITE_FULL or state == _PG_DISK_FULL:
        return DiskFull(f"{where}: the disk is full: could not write the database ({said})")
    if code == _SQLITE_IOERR_WRITE:
        return DiskFull(f"{where}: could not write the database ({said}): the disk may be full")
    if primary == _SQLITE_IOERR:
        name = getattr(orig, "sqlite_errorname", "SQLITE_IOERR")
        return StoreError(f"{where}: could not read or write the database ({said}, {name})")
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreBusy(
            f"{where}: another process kept the database locked for longer than ofsted-csc "
            "waits; try again later"
        )
    return None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Store:
    def __init__(self, engine: Engine, bundled: bool | None = None) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # the built-in official outcomes (ofsted_csc/data/official_outcomes.json) are read
        # with the store's own rows, never written into it: switching them off is exact
        self.bundled = config.current().bundled if bundled is None else bundled

    # -- opening --

    @classmethod
    def open(cls, url: str | None = None, bundled: bool | None = None) -> Store:
        """Open (creating and migrating as needed) the database at `url`; `bundled`: with
        the built-in official outcomes (default: unless $OFSTED_CSC_BUNDLED=0)."""
        url = url or default_url()
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StoreError(f"{url}: not a database URL ({exc})") from exc
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"{url}: cannot make the folder {folder} ({exc.strerror})"
                ) from exc
        try:
            waits: dict[str, Any] = {}
            if parsed.get_backend_name() == "sqlite" and "timeout" not in parsed.query:
                waits = {"connect_args": {"timeout": SQLITE_BUSY_WAIT}}
            engine = create_engine(parsed, **waits)
            event.listen(engine, "handle_error", _typed_error)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            upgrade(engine)
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"{parsed.render_as_string(hide_password=True)}: the database driver is not "
                f"installed ({exc.name})"
            ) from exc
        except SQLAlchemyError as exc:
            raise StoreError(
                f"{parsed.render_as_string(hide_password=True)}: cannot open the database "
                f"({_short(exc)})"
            ) from exc
        return cls(engine, bundled)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with self._sessions() as session:
                yield session
        except OperationalError as exc:
            raise StoreError(f"{self.url}: {_short(exc)}") from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """An ORM session for reads (plans' selectors)."""
        with self._session() as s:
            yield s

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """An ORM session in one transaction: committed when the block ends, rolled back
        (nothing written) if it raises."""
        with self._session() as s, s.begin():
            yield s

    # -- writing --

    def known(self, sha256: str) -> KnownFile | None:
        """What the store holds for a file, if anything (cheap: one indexed row)."""
        with self._session() as s:
            row = s.execute(select(*_KNOWN).where(SourceFileRow.sha256 == sha256)).first()
        return KnownFile(*row) if row is not None else None

    def known_all(self) -> dict[str, KnownFile]:
        """What the store holds for every file, by sha256 (one query: an ingest of many
        files asks once, not once a file)."""
        with self._session() as s:
            return {row[0]: KnownFile(*row) for row in s.execute(select(*_KNOWN))}

    def stored_corrections(self, sha256: str) -> list[Correction]:
        """The corrections applied the last time the file was read."""
        with self._session() as s:
            rows = s.scalars(
                select(CorrectionRow)
                .join(SourceFileRow)
                .where(SourceFileRow.sha256 == sha256)
                .order_by(CorrectionRow.id)
            ).all()
            return [Correction(sha256, r.field, r.value, r.note) for r in rows]

    def save(
        self,
        result: ParseResult,
        data: bytes | None = None,
        corrections: Sequence[Correction] | None = None,
        *,
        themes: Themes | None = None,
    ) -> SaveOutcome:
        """Store what was read from one file, in one transaction, with its corrections
        (and `themes`, the taxonomy version and its items' themes, when it is stored as an
        inspection or letter).

        `corrections` are applied to `result` here (in place), so that no caller can store a
        reading without them; none given means the ones the store holds for the file. The
        same file read by the same parser version with the same corrections is left alone
        (UNCHANGED); otherwise what was stored before is replaced. Raises CorrectionsError,
        with nothing written, for a correction that does not fit the record.
        """
        with self.engine.begin() as conn:
            return _save(conn, result, data, corrections, themes)

    # -- stored themes (computed above the store: services.themes) --

    def save_themes(self, sha256: str, version: str, items: Sequence[ItemThemes]) -> bool:
        """Store a stored inspection's or letter's themes (replacing any), in one
        transaction; False if it is not stored (or is in review)."""
        with self.engine.begin() as conn:
            return write_themes(conn, sha256, version, items)

    def save_stale_themes(
        self, themes: Sequence[tuple[str, Sequence[ItemThemes]]], version: str
    ) -> int:
        """Store the themes of several documents, (sha256, items) each, in one
        transaction, leaving alone those that have themes of `version` by now (a retheme's
        writes: a document saved meanwhile has its own). How many were written."""
        with self.engine.begin() as conn:
            return sum(
                write_themes(conn, sha, version, items, only_stale=True) for sha, items in themes
            )

    def needs_themes(self, sha256: str, version: str) -> bool:
        """Whether a stored inspection or letter has no themes of `version` (one query)."""
        with self.engine.connect() as conn:
            return needs_themes(conn, sha256, version)

    def stale_themes(self, version: str) -> list[str]:
        """sha256 of every stored inspection and letter without themes of `version` (one
        query: none when the themes are up to date)."""
        with self.engine.connect() as conn:
            return stale_themes(conn, version)

    def stored_themes(self) -> dict[str, StoredThemes]:
        """Every stored document's themes, by sha256."""
        with self.engine.connect() as conn:
            return read_themes(conn)

    # -- full-text search --

    def search(self, query: Query, filters: SearchFilters, limit: int = 50) -> list[StoredHit]:
        """Pages whose text matches `query` (parsed by domain.search), best first."""
        with self.engine.connect() as conn:
            return search_pages(conn, query, filters, limit)

    def unindexed(self) -> list[tuple[str, str]]:
        """(sha256, file name) of every stored file with no page text, oldest first."""
        with self.engine.connect() as conn:
            return unindexed(conn)

    def pdf_of(self, sha256: str) -> bytes | None:
        """The stored PDF of a file, if it was kept."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(SourceBlobRow.data)
                .join(SourceFileRow, SourceFileRow.id == SourceBlobRow.source_id)
                .where(SourceFileRow.sha256 == sha256)
            ).scalar_one_or_none()

    def index_pages(self, sha256: str, pages: Sequence[str]) -> bool:
        """Store a stored file's page text (replacing any), in one transaction; False if
        the file is not stored."""
        with self.engine.begin() as conn:
            source_id = conn.execute(
                select(SourceFileRow.id).where(SourceFileRow.sha256 == sha256)
            ).scalar_one_or_none()
            if source_id is None:
                return False
            write_pages(conn, source_id, pages, replace=True)
            return True

    # -- sync from Ofsted's website --

    def sync_state(self) -> SyncState:
        """What the store holds that sync compares the site with."""
        with self.engine.connect() as conn:
            return read_state(conn)

    def listing(self, sha256: str) -> KnownPublication | None:
        """Where a stored document is listed on Ofsted's site (label, publication date,
        link), if a sync has seen it."""
        with self.engine.connect() as conn:
            return listing_of(conn, sha256)

    @contextmanager
    def sync_writer(self) -> Iterator[StoreSyncWriter]:
        """One transaction for a whole sync. Nothing is kept if the block raises."""
        try:
            with self.engine.begin() as conn:
                yield StoreSyncWriter(conn)
        except OperationalError as exc:
            raise StoreError(f"{self.url}: {_short(exc)}") from exc

    @contextmanager
    def sync_lock(self) -> Iterator[None]:
        """Held while a sync runs: a second sync against the same database is refused
        (SyncBusy). PostgreSQL: an advisory lock, released if the process dies; SQLite: a
        lock on a file beside the database."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as conn:
                got = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({SYNC_LOCK_KEY})")
                if not got.scalar():
                    raise SyncBusy(f"{self.url}: another sync is running; try again later")
                try:
                    yield
                finally:
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({SYNC_LOCK_KEY})")
                    conn.commit()
            return
        database = self.engine.url.database
        if not database or database == ":memory:":
            yield
            return
        import fcntl

        path = Path(database).with_name(Path(database).name + ".sync-lock")
        with path.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SyncBusy(
                    f"{self.url}: another sync is running (it holds {path}); try again later"
                ) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def delete(self, sha256: str) -> None:
        with self._session() as s, s.begin():
            row = s.scalar(select(SourceFileRow).where(SourceFileRow.sha256 == sha256))
            if row is None:
                raise NotFound(f"no stored file has sha256 {sha256}")
            s.delete(row)

    # -- reading --

    def inspections(
        self,
        framework: Framework | None = None,
        council_urn: str | None = None,
        *,
        passages: bool = False,
    ) -> list[StoredResult]:
        """Stored inspections, oldest inspection first. The report's passages (its own
        words per judgement) are read only when asked for: they are most of the text."""
        q = _INSPECTIONS
        if passages:
            q = q.options(selectinload(InspectionRow.passages))
        if framework is not None:
            q = q.where(InspectionRow.framework == framework.value)
        if council_urn is not None:
            q = q.where(InspectionRow.council_urn == council_urn)
        with self._session() as s:
            return _inspections(s, q, passages)

    def letters(self, council_urn: str | None = None) -> list[StoredResult]:
        """Stored visit letters, oldest visit first."""
        q = _LETTERS
        if council_urn is not None:
            q = q.where(LetterRow.council_urn == council_urn)
        with self._session() as s:
            return _letters(s, q)

    def review_items(self) -> list[StoredResult]:
        """Files kept for review, with their reasons, in the order they were taken in."""
        with self._session() as s:
            return _review_items(s)

    def contents(self) -> StoreContents:
        """What the store holds, read at one moment (one read transaction: a file stored
        meanwhile is in all of it or none of it): see StoreContents."""
        with self._session() as s:
            if self.engine.dialect.name == "postgresql":
                s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            elif self.engine.dialect.name == "sqlite":
                s.execute(text("BEGIN"))  # pysqlite begins no transaction before a SELECT
            return StoreContents(
                version=self._data_version(s),
                inspections=_inspections(s, _INSPECTIONS, passages=False),
                letters=_letters(s, _LETTERS),
                review=_review_items(s),
                official_rows=self._official_rows(s),
                listings=listings(s.connection()),
                refused=_refused_listings(s),
                counts=_counts(s),
                themes=read_themes(s.connection()),
            )

    def find(self, file_or_sha256: str) -> StoredResult:
        """One stored file's record, by sha256 (or a unique prefix of 8+) or file name."""
        key = file_or_sha256.strip()
        name = Path(key).name
        with self._session() as s:
            q = select(SourceFileRow).options(
                selectinload(SourceFileRow.inspection).selectinload(InspectionRow.judgements),
                selectinload(SourceFileRow.inspection).selectinload(InspectionRow.recommendations),
                selectinload(SourceFileRow.inspection).selectinload(InspectionRow.passages),
                selectinload(SourceFileRow.letter).selectinload(LetterRow.items),
                selectinload(SourceFileRow.review),
                selectinload(SourceFileRow.corrections),
            )
            rows: Sequence[SourceFileRow] = []
            lowered = key.lower()
            if len(lowered) >= 8 and all(c in "0123456789abcdef" for c in lowered):
                rows = s.scalars(q.where(SourceFileRow.sha256.startswith(lowered))).all()
            if not rows:
                names = [name] if name.lower().endswith(".pdf") else [name, name + ".pdf"]
                rows = s.scalars(q.where(SourceFileRow.file_name.in_(names))).all()
            if not rows:
                raise NotFound(f"{key}: no stored file has this name or sha256")
            if len(rows) > 1:
                shas = ", ".join(r.sha256[:12] for r in rows)
                raise NotFound(f"{key}: {len(rows)} stored files match ({shas}); give the sha256")
            row = rows[0]
            if row.inspection is not None:
                return _stored(row, _inspection_record(row.inspection))
            if row.letter is not None:
                return _stored(row, _letter_record(row.letter))
            assert row.review is not None
            return _stored(row, record_from_json(row.review.record), list(row.review.reasons))

    def source_pdf(self, sha256: str) -> tuple[str, bytes]:
        """The stored PDF of a file: (file name, bytes)."""
        with self._session() as s:
            row = s.execute(
                select(SourceFileRow.file_name, SourceBlobRow.data)
                .join(SourceBlobRow, SourceBlobRow.source_id == SourceFileRow.id)
                .where(SourceFileRow.sha256 == sha256)
            ).first()
        if row is None:
            raise NotFound(f"no stored PDF has sha256 {sha256}")
        return row[0], row[1]

    def replace_official(self, rows: Sequence[OfficialRow], edition: str) -> int:
        """Store an official spreadsheet's rows, replacing earlier rows of the same edition,
        in one transaction. Returns how many rows were stored."""
        now = utc_now()
        with self.engine.begin() as conn:
            conn.execute(delete(OfficialRowRow).where(OfficialRowRow.edition == edition))
            if rows:
                conn.execute(
                    insert(OfficialRowRow),
                    [
                        {
                            "source_file": r.source_file,
                            "sha256": r.sha256,
                            "edition": r.edition,
                            "sheet": r.sheet,
                            "row": r.row,
                            "block": r.block,
                            "council_name": r.council_name,
                            "council_urn": r.council_urn,
                            "framework": r.framework.value,
                            "kind": r.kind.value if r.kind else None,
                            "ordinal": r.ordinal,
                            "published": r.published,
                            "grades": {k: g.value for k, g in r.grades.items()},
                            "imported_at": now,
                            "inspection_start": r.start,
                        }
                        for r in rows
                    ],
                )
        return len(rows)

    def official_rows(self) -> list[OfficialRow]:
        """Every official row: those imported, and (unless the store was opened without
        them) the built-in editions that no import has replaced; by edition, row, block."""
        with self._session() as s:
            return self._official_rows(s)

    def _official_rows(self, s: Session) -> list[OfficialRow]:
        rows = _imported_official_rows(s)
        if self.bundled:
            imported = {r.edition for r in rows}
            rows += [r for r in built_in().rows if r.edition not in imported]
            rows.sort(key=lambda r: (r.edition, r.row, r.block))
        return rows

    def imported_official_rows(self) -> list[OfficialRow]:
        """The official rows `import-official` stored, by edition, sheet and row."""
        with self._session() as s:
            return _imported_official_rows(s)

    def refused_listings(self) -> list[RefusedListing]:
        """Publications sync fetched from Ofsted's site and refused (the store keeps no
        other record of refusals: a file `ingest` refuses is not stored)."""
        with self._session() as s:
            return _refused_listings(s)

    def data_version(self) -> str:
        """A short token that changes whenever stored data changes (a file stored, replaced
        or deleted; official rows imported): one cheap query, for caches to compare."""
        with self._session() as s:
            return self._data_version(s)

    def _data_version(self, s: Session) -> str:
        files = s.execute(
            select(
                func.count(SourceFileRow.id),
                func.max(SourceFileRow.id),
                func.max(SourceFileRow.ingested_at),
            )
        ).one()
        official = s.execute(
            select(func.count(OfficialRowRow.id), func.max(OfficialRowRow.imported_at))
        ).one()
        built = f"built-in {len(built_in().rows)}" if self.bundled else "no built-in"
        return "|".join(str(v) for v in (*files, *official, built))

    def counts(self) -> dict[str, int]:
        """How many files the store holds, by outcome."""
        with self._session() as s:
            return _counts(s)


# -- reads shared by the Store's methods and `contents` --

_INSPECTIONS = (
    select(InspectionRow)
    .join(InspectionRow.source)
    .options(
        selectinload(InspectionRow.judgements),
        selectinload(InspectionRow.recommendations),
        selectinload(InspectionRow.source).selectinload(SourceFileRow.corrections),
    )
    .order_by(InspectionRow.inspection_start, InspectionRow.council_urn, SourceFileRow.id)
)
_LETTERS = (
    select(LetterRow)
    .join(LetterRow.source)
    .options(
        selectinload(LetterRow.items),
        selectinload(LetterRow.source).selectinload(SourceFileRow.corrections),
    )
    .order_by(LetterRow.visit_start, LetterRow.council_urn, SourceFileRow.id)
)


def _inspections(s: Session, q: Any, passages: bool) -> list[StoredResult]:
    return [_stored(row.source, _inspection_record(row, passages=passages)) for row in s.scalars(q)]


def _letters(s: Session, q: Any) -> list[StoredResult]:
    return [_stored(row.source, _letter_record(row)) for row in s.scalars(q)]


def _review_items(s: Session) -> list[StoredResult]:
    q = (
        select(ReviewRow)
        .join(ReviewRow.source)
        .options(selectinload(ReviewRow.source).selectinload(SourceFileRow.corrections))
        .order_by(SourceFileRow.ingested_at, SourceFileRow.id)
    )
    return [
        _stored(row.source, record_from_json(row.record), list(row.reasons)) for row in s.scalars(q)
    ]


def _imported_official_rows(s: Session) -> list[OfficialRow]:
    found = s.scalars(
        select(OfficialRowRow).order_by(
            OfficialRowRow.edition, OfficialRowRow.row, OfficialRowRow.block
        )
    ).all()
    return [
        OfficialRow(
            source_file=r.source_file,
            sha256=r.sha256,
            edition=r.edition,
            sheet=r.sheet,
            row=r.row,
            block=r.block,
            council_name=r.council_name,
            council_urn=r.council_urn,
            framework=Framework(r.framework),
            kind=Kind(r.kind) if r.kind else None,
            ordinal=r.ordinal,
            published=r.published,
            grades={k: Grade(v) for k, v in r.grades.items()},
            start=r.inspection_start,
        )
        for r in found
    ]


def _refused_listings(s: Session) -> list[RefusedListing]:
    return [
        RefusedListing(kind, published, problem)
        for kind, published, problem in s.execute(
            select(
                WebPublicationRow.kind,
                WebPublicationRow.published,
                WebPublicationRow.problem,
            ).where(WebPublicationRow.status == "refused")
        )
    ]


def _counts(s: Session) -> dict[str, int]:
    rows = s.execute(select(SourceFileRow.outcome)).scalars().all()
    out = {"inspection": 0, "letter": 0, "review": 0}
    for outcome in rows:
        out[outcome] = out.get(outcome, 0) + 1
    return out


class StoreSyncWriter(SyncWriter):
    def save(
        self,
        result: ParseResult,
        data: bytes | None = None,
        corrections: Sequence[Correction] | None = None,
        *,
        themes: Themes | None = None,
    ) -> SaveOutcome:
        """Store.save on the sync's transaction (the stored corrections kept the same way)."""
        return _save(self.conn, result, data, corrections, themes)

    def save_themes(self, sha256: str, version: str, items: Sequence[ItemThemes]) -> bool:
        """Store.save_themes on the sync's transaction."""
        return write_themes(self.conn, sha256, version, items)

    def needs_themes(self, sha256: str, version: str) -> bool:
        """Store.needs_themes on the sync's transaction (what it wrote counts)."""
        return needs_themes(self.conn, sha256, version)


def _stored_corrections(conn: Connection, sha256: str) -> list[Correction]:
    rows = conn.execute(
        select(CorrectionRow.field, CorrectionRow.value, CorrectionRow.note)
        .join(SourceFileRow)
        .where(SourceFileRow.sha256 == sha256)
        .order_by(CorrectionRow.id)
    ).all()
    return [Correction(sha256, field, value, note) for field, value, note in rows]


def _save(
    conn: Connection,
    result: ParseResult,
    data: bytes | None,
    corrections: Sequence[Correction] | None,
    themes: Themes | None = None,
) -> SaveOutcome:
    """Store.save inside a transaction the caller holds: the one place a reading is
    corrected and written."""
    src = result.source
    existing = conn.execute(
        select(SourceFileRow.id, SourceFileRow.parser_version, SourceFileRow.corrections_key).where(
            SourceFileRow.sha256 == src.sha256
        )
    ).first()
    wanted = list(corrections or ())
    if not wanted and existing is not None and existing[2]:
        wanted = _stored_corrections(conn, src.sha256)  # keep what was corrected before
    key = corrections_key(wanted)
    if existing is not None and (existing[1], existing[2]) == (result.parser_version, key):
        if result.pages and not page_texts(conn, existing[0]):  # stored before search
            write_pages(conn, existing[0], result.pages)
        return SaveOutcome.UNCHANGED
    read_values: dict[str, str | None] = {}
    if wanted:  # raises CorrectionsError before anything is written
        read_values = apply_corrections(result, wanted, load_registry())
        result.review_reasons = review_reasons(result.record)
    record = result.record
    pages = list(result.pages)
    if existing is not None:  # what was read from it goes too (ON DELETE CASCADE)
        if not pages:  # a stored reading saved again keeps its page text
            pages = page_texts(conn, existing[0])
        conn.execute(delete(SourceFileRow).where(SourceFileRow.id == existing[0]))
    if result.needs_review:
        outcome = "review"
    elif isinstance(record, InspectionRecord):
        outcome = "inspection"
    else:
        outcome = "letter"
    now = utc_now()
    source_id = _insert_source(
        conn,
        {
            "sha256": src.sha256,
            "file_name": src.file_name,
            "size": src.size,
            "page_count": src.page_count,
            "pdf_created": src.pdf_created,
            "pdf_modified": src.pdf_modified,
            "parser_version": result.parser_version,
            "corrections_key": key,
            "ingested_at": now,
            "outcome": outcome,
        },
    )
    if source_id is None:  # another process stored the same file meanwhile: it is there
        return SaveOutcome.UNCHANGED
    if outcome == "review":
        conn.execute(
            insert(ReviewRow),
            {
                "source_id": source_id,
                "reasons": list(result.review_reasons),
                "record": record_to_json(record),
            },
        )
    elif isinstance(record, InspectionRecord):
        _insert_inspection(conn, source_id, record)
    else:
        _insert_letter(conn, source_id, record)
    if themes is not None and outcome != "review":
        insert_themes(conn, source_id, *themes)
    if result.corrections:
        conn.execute(
            insert(CorrectionRow),
            [
                {
                    "source_id": source_id,
                    "field": c.field,
                    "value": c.value,
                    "read_value": read_values.get(c.field),
                    "note": c.note,
                    "applied_at": now,
                }
                for c in result.corrections
            ],
        )
    if data is not None:
        conn.execute(insert(SourceBlobRow), {"source_id": source_id, "data": data})
    write_pages(conn, source_id, pages)
    if outcome == "inspection":
        apply_listing_dates(conn, [src.sha256])
    if result.needs_review:
        return SaveOutcome.REVIEW
    return SaveOutcome.REPLACED if existing is not None else SaveOutcome.STORED


def _insert_source(conn: Connection, values: dict[str, Any]) -> int | None:
    """Insert a file's row; None, with nothing written, when a row for the same sha256 is
    there already: another process stored the file after this one looked (two ingests of
    the same files at once). PostgreSQL waits for that process's transaction to end first;
    SQLite writers take turns."""
    if conn.dialect.name == "postgresql":
        stmt: Any = postgresql.insert(SourceFileRow).on_conflict_do_nothing(
            index_elements=["sha256"]
        )
    elif conn.dialect.name == "sqlite":
        stmt = sqlite.insert(SourceFileRow).on_conflict_do_nothing(index_elements=["sha256"])
    else:
        stmt = insert(SourceFileRow)
    return conn.execute(stmt.returning(SourceFileRow.id), values).scalar_one_or_none()


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _insert_inspection(conn: Connection, source_id: int, r: InspectionRecord) -> None:
    if not (r.council_urn and r.framework and r.edition and r.kind and r.inspection_start):
        raise StoreError("an inspection without council, framework, kind or start date")
    inspection_id = conn.execute(
        insert(InspectionRow).returning(InspectionRow.id),
        {
            "source_id": source_id,
            "council_urn": r.council_urn,
            "council_name_in_report": r.council_name_in_report,
            "framework": r.framework.value,
            "edition": r.edition.key,
            "kind": r.kind.value,
            "kind_source": r.kind_source.value if r.kind_source else None,
            "inspection_start": r.inspection_start,
            "inspection_end": r.inspection_end,
            "periods": [[a.isoformat(), b.isoformat()] for a, b in r.periods],
            "published": r.published,
            "published_source": r.published_source.value if r.published_source else None,
            "lead_inspector": r.lead_inspector,
            "pages": dict(r.pages),
            "warnings": list(r.warnings),
        },
    ).scalar_one()
    if r.judgements:
        conn.execute(
            insert(JudgementRow),
            [
                {
                    "inspection_id": inspection_id,
                    "area": j.area.value,
                    "status": j.status.value,
                    "grade": j.grade.value if j.grade else None,
                    "page": j.page,
                    "label": j.label,
                }
                for j in r.judgements.values()
            ],
        )
    if r.recommendations:
        conn.execute(
            insert(RecommendationRow),
            [
                {
                    "inspection_id": inspection_id,
                    "position": rec.position,
                    "scope": rec.scope.value,
                    "priority": rec.priority.value if rec.priority else None,
                    "text": rec.text,
                    "national_framework_outcome": rec.national_framework_outcome,
                    "timescale": rec.timescale,
                    "page": rec.page,
                }
                for rec in r.recommendations
            ],
        )
    passages = [(p.key, p) for p in r.passages.values()] + [
        (SECTION_KEY + p.key, p) for p in r.sections.values()
    ]
    if passages:
        conn.execute(
            insert(PassageRow),
            [
                {
                    "inspection_id": inspection_id,
                    "key": key,
                    "kind": p.kind.value,
                    "page": p.page,
                    "paragraphs": list(p.paragraphs),
                    "starts": _starts_json(p.starts) if p.starts else None,
                }
                for key, p in passages
            ],
        )


def _starts_json(starts: tuple[PageStarts, ...]) -> list[list[list[int]]]:
    return [[[at, page] for at, page in para] for para in starts]


def _starts_of(value: list[list[list[int]]] | None) -> tuple[PageStarts, ...]:
    return tuple(tuple((at, page) for at, page in para) for para in value or [])


def _passage_of(p: PassageRow) -> Passage:
    key = p.key.removeprefix(SECTION_KEY)
    return Passage(key, PassageKind(p.kind), tuple(p.paragraphs), p.page, _starts_of(p.starts))


def _insert_letter(conn: Connection, source_id: int, r: LetterRecord) -> None:
    if not (r.council_urn and r.kind and r.visit_start):
        raise StoreError("a letter without council, kind or visit date")
    letter_id = conn.execute(
        insert(LetterRow).returning(LetterRow.id),
        {
            "source_id": source_id,
            "council_urn": r.council_urn,
            "council_name_in_report": r.council_name_in_report,
            "kind": r.kind.value,
            "letter_date": r.letter_date,
            "visit_start": r.visit_start,
            "visit_end": r.visit_end,
            "lead_inspector": r.lead_inspector,
            "theme": r.theme,
            "pages": dict(r.pages),
            "warnings": list(r.warnings),
        },
    ).scalar_one()
    items: list[tuple[str, int, str, list[list[int]] | None]] = []
    items.extend((PRIORITY_SECTION, i, t, None) for i, t in enumerate(r.priority_actions, 1))
    items.extend(
        (IMPROVEMENT_SECTION, i, t, None) for i, t in enumerate(r.areas_for_improvement, 1)
    )
    for key in FINDINGS_SECTIONS:
        found = r.findings.get(key)
        if found is not None:
            starts = _starts_json(found.starts)
            items.extend(
                (key, i, t, starts[i - 1] if i <= len(starts) else None)
                for i, t in enumerate(found.paragraphs, 1)
            )
    if items:
        conn.execute(
            insert(LetterItemRow),
            [
                {
                    "letter_id": letter_id,
                    "section": section,
                    "position": i,
                    "text": text,
                    "starts": starts,
                }
                for section, i, text, starts in items
            ],
        )


def _letter_findings(row: LetterRow) -> dict[str, Passage]:
    """A stored letter's findings (none for letters stored before they were read)."""
    out: dict[str, Passage] = {}
    for key in FINDINGS_SECTIONS:
        rows = sorted((i for i in row.items if i.section == key), key=lambda i: i.position)
        if not rows:
            continue
        starts = tuple(tuple((at, page) for at, page in (i.starts or [])) for i in rows)
        page = starts[0][0][1] if starts and starts[0] else 1
        out[key] = Passage(key, PassageKind.SECTION, tuple(i.text for i in rows), page, starts)
    return out


def _inspection_record(row: InspectionRow, *, passages: bool = True) -> InspectionRecord:
    judgements: dict[Area, Judgement] = {}
    for j in row.judgements:
        area = Area(j.area)
        judgements[area] = Judgement(
            area=area,
            status=JudgementStatus(j.status),
            grade=Grade(j.grade) if j.grade else None,
            page=j.page,
            label=j.label,
        )
    return InspectionRecord(
        council_urn=row.council_urn,
        council_name_in_report=row.council_name_in_report,
        framework=Framework(row.framework),
        edition=edition(row.edition),
        kind=Kind(row.kind),
        kind_source=KindSource(row.kind_source) if row.kind_source else None,
        inspection_start=row.inspection_start,
        inspection_end=row.inspection_end,
        periods=[(date.fromisoformat(a), date.fromisoformat(b)) for a, b in row.periods],
        published=row.published,
        published_source=PublishedSource(row.published_source) if row.published_source else None,
        lead_inspector=row.lead_inspector,
        judgements=judgements,
        recommendations=[
            Recommendation(
                position=r.position,
                text=r.text,
                scope=Scope(r.scope),
                priority=Priority(r.priority) if r.priority else None,
                national_framework_outcome=r.national_framework_outcome,
                timescale=r.timescale,
                page=r.page,
            )
            for r in row.recommendations
        ],
        passages=(
            {p.key: _passage_of(p) for p in row.passages if not p.key.startswith(SECTION_KEY)}
            if passages
            else {}
        ),
        sections=(
            {
                q.key: q
                for q in (_passage_of(p) for p in row.passages if p.key.startswith(SECTION_KEY))
            }
            if passages
            else {}
        ),
        pages=dict(row.pages),
        warnings=list(row.warnings),
    )


def _letter_record(row: LetterRow) -> LetterRecord:
    return LetterRecord(
        council_urn=row.council_urn,
        council_name_in_report=row.council_name_in_report,
        kind=Kind(row.kind),
        letter_date=row.letter_date,
        visit_start=row.visit_start,
        visit_end=row.visit_end,
        lead_inspector=row.lead_inspector,
        theme=row.theme,
        priority_actions=[i.text for i in row.items if i.section == PRIORITY_SECTION],
        areas_for_improvement=[i.text for i in row.items if i.section == IMPROVEMENT_SECTION],
        findings=_letter_findings(row),
        pages=dict(row.pages),
        warnings=list(row.warnings),
    )


def _stored(
    src: SourceFileRow,
    record: InspectionRecord | LetterRecord,
    review_reasons: list[str] | None = None,
) -> StoredResult:
    result = ParseResult(
        source=SourceFile(
            file_name=src.file_name,
            sha256=src.sha256,
            size=src.size,
            page_count=src.page_count,
            pdf_created=src.pdf_created,
            pdf_modified=src.pdf_modified,
        ),
        record=record,
        parser_version=src.parser_version,
        review_reasons=review_reasons or [],
        corrections=[Correction(src.sha256, c.field, c.value, c.note) for c in src.corrections],
    )
    return StoredResult(result=result, outcome=src.outcome, ingested_at=src.ingested_at)
