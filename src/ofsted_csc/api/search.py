"""Full-text search of every stored report and letter, page by page, with the page to cite.

    hits = api.search(store, '"neglect strategy" OR "neglect toolkit"', council="Leeds",
                      since=date(2020, 1, 1), kind="standard")
    hits[0].page, hits[0].marked(), hits[0].link
    api.search_rows(hits)          # the rows the CLI prints (table, CSV, JSON, XLSX)
    api.reindex(store)             # page text for files stored before it was kept

The query language is domain.search's; a malformed query raises InvalidInput.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ofsted_csc.analytics.benchmarking import match_region
from ofsted_csc.domain.councils import Council, load_registry
from ofsted_csc.domain.errors import InvalidInput, not_one_of
from ofsted_csc.domain.frameworks import Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.publications import OFSTED, known_file_id
from ofsted_csc.domain.search import parse_query
from ofsted_csc.services.search import ReindexSummary
from ofsted_csc.services.search import reindex as _reindex
from ofsted_csc.storage import Store
from ofsted_csc.storage.search import MARK_END, MARK_START, SearchFilters, StoredHit

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "SEARCH_COLUMNS",
    "SEARCH_TABLE_COLUMNS",
    "Hit",
    "ReindexSummary",
    "reindex",
    "search",
    "search_rows",
    "unindexed_count",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

# What a screen table shows of a hit (the files keep every column).
SEARCH_TABLE_COLUMNS = ("council", "kind", "date", "page", "passage", "file_name", "link")
SEARCH_COLUMNS = (
    "council",
    "la_code",
    "kind",
    "date",
    "page",
    "passage",
    "sha256",
    "file_id",
    "link",
    "file_name",
    "framework",
    "overall_effectiveness",
)


@dataclass(frozen=True)
class Hit:
    """One page that matches, with the passage around the match."""

    council: str | None  # the council's name (None for a file kept for review)
    la_code: str | None
    council_urn: str | None
    sha256: str
    file_id: str | None  # Ofsted's file id, when known
    file_name: str
    kind: str | None
    framework: str | None
    day: date | None  # publication date of a report, date of a letter
    grade: str | None  # an inspection's overall effectiveness
    page: int
    passage: str  # the words around the match, unmarked
    marks: tuple[tuple[int, int], ...]  # [start, end) of each match in `passage`
    rank: float  # larger is better

    @property
    def link(self) -> str:
        """Ofsted's copy of the file, when its file id is known; else empty."""
        return OFSTED.file_url(self.file_id) if self.file_id else ""

    def marked(self, start: str = "[", end: str = "]") -> str:
        """The passage with each match between `start` and `end`."""
        out: list[str] = []
        at = 0
        for a, b in self.marks:
            out += [self.passage[at:a], start, self.passage[a:b], end]
            at = b
        out.append(self.passage[at:])
        return "".join(out)


def _marks(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    text: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0
    opened: int | None = None
    for part in re.split(f"([{MARK_START}{MARK_END}])", raw):
        if part == MARK_START:
            opened = length
        elif part == MARK_END:
            if opened is not None and length > opened:
                marks.append((opened, length))
            opened = None
        else:
            part = re.sub(r"\s+", " ", part)
            text.append(part)
            length += len(part)
    joined = "".join(text)
    cut = len(joined) - len(joined.lstrip())
    kept = joined.strip()
    return kept, tuple((a - cut, b - cut) for a, b in marks if a >= cut and b - cut <= len(kept))


def _choice(
    value: str | None, enum: type[Framework] | type[Kind] | type[Grade], what: str
) -> str | None:
    if value is None:
        return None
    wanted = value.strip().lower().replace(" ", "_").replace("-", "_")
    choices = [m.value for m in enum]
    if wanted not in choices:
        raise InvalidInput(not_one_of(value, what, choices))
    return wanted


def _file_id(hit: StoredHit) -> str | None:
    return known_file_id(hit.file_id, hit.file_name)


def search(
    store: Store,
    query: str,
    *,
    since: date | None = None,
    until: date | None = None,
    framework: str | None = None,
    kind: str | None = None,
    council: str | None = None,
    region: str | None = None,
    grade: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Hit]:
    """The stored pages that match `query`, best first (at most `limit`).

    Filters: `since`/`until` (a report's publication date, a letter's date), `framework`
    (pre_sif, sif, ilacs), `kind` (standard, focused_visit, ...), `council` (a name or LA
    code), `region` (ONS or Ofsted), `grade` (the inspection's overall effectiveness).
    Raises InvalidInput for a malformed query or filter, NotFound for an unknown council.
    """
    parsed = parse_query(query)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit: must be between 1 and {MAX_LIMIT}, not {limit}")
    if since is not None and until is not None and since > until:
        raise InvalidInput(f"since ({since}) is after until ({until})")
    registry = load_registry()
    urns: set[str] | None = None
    if council is not None:
        urns = _urns_of(registry.lookup(council))
    if region is not None:
        name = match_region(region)
        in_region = {c.urn for c in registry.all() if name in (c.ons_region, c.ofsted_region)}
        urns = in_region if urns is None else urns & in_region
    filters = SearchFilters(
        since=since,
        until=until,
        framework=_choice(framework, Framework, "a framework"),
        kind=_choice(kind, Kind, "a kind of inspection or visit"),
        councils=tuple(sorted(urns)) if urns is not None else None,
        grade=_choice(grade, Grade, "a grade"),
    )
    hits: list[Hit] = []
    for found in store.search(parsed, filters, limit):
        c = registry.by_urn(found.council_urn) if found.council_urn else None
        passage, marks = _marks(found.passage)
        hits.append(
            Hit(
                council=c.name if c else None,
                la_code=c.la_code if c else None,
                council_urn=found.council_urn,
                sha256=found.sha256,
                file_id=_file_id(found),
                file_name=found.file_name,
                kind=found.kind,
                framework=found.framework,
                day=found.day,
                grade=found.grade,
                page=found.page,
                passage=passage,
                marks=marks,
                rank=found.rank,
            )
        )
    return hits


def _urns_of(council: Council) -> set[str]:
    """A council's URN and the other URNs seen for it (records carry the provider URN)."""
    return {council.urn, *council.alt_urns}


def search_rows(hits: list[Hit], start: str = "[", end: str = "]") -> list[dict[str, object]]:
    """The hits as rows (SEARCH_COLUMNS), the matches marked with `start`/`end`."""
    return [
        {
            "council": h.council or "",
            "la_code": h.la_code or "",
            "kind": h.kind or "",
            "date": h.day.isoformat() if h.day else "",
            "page": h.page,
            "passage": h.marked(start, end),
            "sha256": h.sha256,
            "file_id": h.file_id or "",
            "link": h.link,
            "file_name": h.file_name,
            "framework": h.framework or "",
            "overall_effectiveness": h.grade or "",
        }
        for h in hits
    ]


def unindexed_count(store: Store) -> int:
    """How many stored files have no page text (search cannot find them: `reindex`)."""
    return len(store.unindexed())


def reindex(
    store: Store, on_progress: Callable[[str, int, int], None] | None = None
) -> ReindexSummary:
    """Page text for every stored file that has none, read from its stored PDF."""
    return _reindex(store, on_progress)
