"""Full-text search over stored page text: the SQL, once per database.

SQLite: the external-content FTS5 table `document_pages_fts` (unicode61, diacritics removed,
no stemming), ranked by bm25, the passage by snippet(). PostgreSQL: the generated
`tsv` column (to_tsvector('simple', ...) of the page's words, accents off) with its GIN index, ranked by ts_rank, the
passage by ts_headline. The query arrives parsed (domain.search) and is rendered here; it
is bound as a parameter, never pasted into the SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, bindparam, delete, insert, select, text

from ofsted_csc.domain.frameworks import Area
from ofsted_csc.domain.search import Query, to_fts5, to_tsquery
from ofsted_csc.storage.models import SEARCH_FTS_TABLE, DocumentPageRow, SourceFileRow

# What marks a match in a passage as the database gives it (private-use characters: not in
# Ofsted's text); StoredHit.passage keeps them, the API turns them into spans.
MARK_START = "\ue000"
MARK_END = "\ue001"
_SNIPPET_TOKENS = 32  # FTS5 snippet() words
_HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=40, MinWords=20, '
    'MaxFragments=1, ShortWord=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search (None: any). `since`/`until`: the publication date of a report,
    the date of a letter. `councils`: URNs. `grade`: an inspection's overall effectiveness."""

    since: date | None = None
    until: date | None = None
    framework: str | None = None
    kind: str | None = None
    councils: tuple[str, ...] | None = None
    grade: str | None = None

    @property
    def on_record(self) -> bool:
        return any(
            v is not None
            for v in (self.since, self.until, self.framework, self.kind, self.councils, self.grade)
        )


@dataclass(frozen=True)
class StoredHit:
    sha256: str
    file_name: str
    outcome: str  # inspection, letter, review
    page: int
    passage: str  # with MARK_START / MARK_END around each match
    rank: float  # larger is better, on either database
    council_urn: str | None
    kind: str | None
    framework: str | None
    day: date | None  # publication date of a report, date of a letter
    grade: str | None  # an inspection's overall effectiveness
    file_id: str | None  # Ofsted's file id, when a sync listed the file


def _clean(page: str) -> str:
    # PostgreSQL text holds no NUL; the marks must not appear in the text itself
    return page.replace("\x00", "").replace(MARK_START, "").replace(MARK_END, "")


def write_pages(
    conn: Connection, source_id: int, pages: Sequence[str], *, replace: bool = False
) -> None:
    """A file's page text (page n is pages[n-1]), in the caller's transaction."""
    if replace:
        conn.execute(delete(DocumentPageRow).where(DocumentPageRow.source_id == source_id))
    if pages:
        conn.execute(
            insert(DocumentPageRow),
            [
                {"source_id": source_id, "page": n, "text": _clean(page)}
                for n, page in enumerate(pages, 1)
            ],
        )


def page_texts(conn: Connection, source_id: int) -> list[str]:
    rows = conn.execute(
        select(DocumentPageRow.page, DocumentPageRow.text)
        .where(DocumentPageRow.source_id == source_id)
        .order_by(DocumentPageRow.page)
    ).all()
    return [t for _, t in rows]


def unindexed(conn: Connection) -> list[tuple[str, str]]:
    has_pages = select(DocumentPageRow.id).where(DocumentPageRow.source_id == SourceFileRow.id)
    rows = conn.execute(
        select(SourceFileRow.sha256, SourceFileRow.file_name)
        .where(~has_pages.exists())
        .order_by(SourceFileRow.id)
    ).all()
    return [(sha, name) for sha, name in rows]


# The record a page belongs to, and what the filters look at (the same on both databases).
_FROM_RECORD = """
JOIN source_files s ON s.id = p.source_id
LEFT JOIN inspections i ON i.source_id = s.id
LEFT JOIN letters l ON l.source_id = s.id
"""
_GRADE = (
    "(SELECT j.grade FROM judgements j WHERE j.inspection_id = i.id "
    f"AND j.area = '{Area.OVERALL.value}')"
)
_DAY = "COALESCE(i.published, l.letter_date)"
_COLUMNS = f"""
s.sha256, s.file_name, s.outcome, p.page,
COALESCE(i.council_urn, l.council_urn) AS council_urn,
COALESCE(i.kind, l.kind) AS kind, i.framework, {_DAY} AS day, {_GRADE} AS grade,
(SELECT MIN(w.file_id) FROM web_publications w WHERE w.sha256 = s.sha256) AS file_id
"""


def _filters(f: SearchFilters) -> tuple[list[str], list[Any], dict[str, Any]]:
    where: list[str] = []
    binds: list[Any] = []
    values: dict[str, Any] = {}
    if f.since is not None:
        where.append(f"{_DAY} >= :since")
        binds.append(bindparam("since", type_=Date))
        values["since"] = f.since
    if f.until is not None:
        where.append(f"{_DAY} <= :until")
        binds.append(bindparam("until", type_=Date))
        values["until"] = f.until
    if f.framework is not None:
        where.append("i.framework = :framework")
        values["framework"] = f.framework
    if f.kind is not None:
        where.append("COALESCE(i.kind, l.kind) = :kind")
        values["kind"] = f.kind
    if f.councils is not None:
        where.append("COALESCE(i.council_urn, l.council_urn) IN :councils")
        binds.append(bindparam("councils", expanding=True))
        values["councils"] = list(f.councils) or [""]
    if f.grade is not None:
        where.append(f"{_GRADE} = :grade")
        values["grade"] = f.grade
    return where, binds, values


def search_pages(
    conn: Connection, query: Query, filters: SearchFilters, limit: int
) -> list[StoredHit]:
    where, binds, values = _filters(filters)
    values["limit"] = limit
    extra = "".join(f" AND {w}" for w in where)
    if conn.dialect.name == "postgresql":
        values["q"] = to_tsquery(query)
        sql = f"""
WITH q AS (SELECT to_tsquery('simple', :q) AS q),
best AS (
  SELECT p.id, ts_rank(p.tsv, q.q) AS rank
  FROM document_pages p CROSS JOIN q {_FROM_RECORD}
  WHERE p.tsv @@ q.q{extra}
  ORDER BY rank DESC, s.sha256, p.page
  LIMIT :limit
)
SELECT {_COLUMNS},
  ts_headline('simple', p.text, q.q, '{_HEADLINE}') AS passage, best.rank AS rank
FROM best JOIN document_pages p ON p.id = best.id CROSS JOIN q {_FROM_RECORD}
ORDER BY best.rank DESC, s.sha256, p.page
"""
    else:
        values["q"] = to_fts5(query)
        fts = SEARCH_FTS_TABLE
        sql = f"""
SELECT {_COLUMNS},
  snippet({fts}, 0, '{MARK_START}', '{MARK_END}', ' … ', {_SNIPPET_TOKENS}) AS passage,
  -bm25({fts}) AS rank
FROM {fts} JOIN document_pages p ON p.id = {fts}.rowid {_FROM_RECORD}
WHERE {fts} MATCH :q{extra}
ORDER BY bm25({fts}), s.sha256, p.page
LIMIT :limit
"""
    stmt = text(sql)
    if binds:
        stmt = stmt.bindparams(*binds)
    rows = conn.execute(stmt, values).mappings().all()
    return [
        StoredHit(
            sha256=r["sha256"],
            file_name=r["file_name"],
            outcome=r["outcome"],
            page=r["page"],
            passage=r["passage"],
            rank=float(r["rank"]),
            council_urn=r["council_urn"],
            kind=r["kind"],
            framework=r["framework"],
            day=_day(r["day"]),
            grade=r["grade"],
            file_id=r["file_id"],
        )
        for r in rows
    ]


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
