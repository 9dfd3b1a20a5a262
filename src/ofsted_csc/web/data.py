"""What the web app reads, held in memory between requests and rebuilt when the store changes.

Every page is a function of the store's contents and the query string. Reading every record
from the database for each request would cost tens of milliseconds, so one `SiteData`
snapshot (benchmarking facts, stored documents as listing rows) is built per data version
(`Store.data_version()`, one cheap query a request) and shared by the threads serving
requests. Derived results (pictures at a date, series) are memoised on the snapshot.
The figures come from the same functions as the CLI (ofsted_csc.api, ofsted_csc.analytics.benchmarking).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from ofsted_csc import api
from ofsted_csc.analytics import benchmarking
from ofsted_csc.domain.councils import Council, CouncilRegistry, load_registry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.frameworks import (
    EXPORTED_AREAS,
    FRAMEWORK_LABELS,
    JUDGEMENT_LABELS,
    KIND_LABELS,
    Framework,
    Kind,
    check_judgement,
    not_a_framework,
    not_a_kind,
)
from ofsted_csc.domain.grades import Grade, not_a_grade
from ofsted_csc.domain.records import (
    InspectionRecord,
    JudgementStatus,
    LetterRecord,
    PublishedSource,
)
from ofsted_csc.storage import Store, StoredResult

T = TypeVar("T")

JUDGEMENTS = benchmarking.JUDGEMENTS
FILTERS = ("framework", "kind", "year", "judgement", "grade", "region")
LISTING_COLUMNS = (
    "council",
    "la_code",
    "region",
    "framework",
    "kind",
    "start",
    "end",
    "published",
    *JUDGEMENTS,
    "lead_inspector",
    "recommendations",
    "file_name",
    "sha256",
)


@dataclass(frozen=True)
class Document:
    """One stored report or letter, as the listing and council pages show it."""

    sha256: str
    file_name: str
    council: Council | None
    council_name: str
    framework: Framework | None
    kind: Kind | None
    start: date | None
    end: date | None
    published: date | None
    published_estimated: bool
    lead_inspector: str | None
    grades: dict[str, Grade]
    not_judged: tuple[str, ...]  # judgements the report prints as "Not judged"
    recommendations: tuple[tuple[int, str, str | None], ...]  # position, text, NF tag
    theme: str | None = None
    priority_actions: tuple[str, ...] = ()
    areas_for_improvement: tuple[str, ...] = ()

    @property
    def is_letter(self) -> bool:
        return self.kind is not None and self.kind.is_letter

    @property
    def year(self) -> int | None:
        return self.start.year if self.start else None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind] if self.kind else "Unknown"

    @property
    def framework_label(self) -> str:
        if self.framework is None:
            return "Visit" if self.is_letter else "Unknown"
        return FRAMEWORK_LABELS[self.framework]

    def row(self) -> dict[str, object]:
        """The listing's row: what the page shows and the download writes."""
        out: dict[str, object] = {
            "council": self.council_name,
            "la_code": self.council.la_code if self.council else None,
            "region": self.council.ons_region if self.council else None,
            "framework": self.framework.value if self.framework else None,
            "kind": self.kind.value if self.kind else None,
            "start": self.start,
            "end": self.end,
            "published": self.published,
        }
        for j in JUDGEMENTS:
            g = self.grades.get(j)
            out[j] = g.value if g else None
        out["lead_inspector"] = self.lead_inspector
        out["recommendations"] = (
            len(self.priority_actions) + len(self.areas_for_improvement)
            if self.is_letter
            else len(self.recommendations)
        )
        out["file_name"] = self.file_name
        out["sha256"] = self.sha256
        return out


def _document(item: StoredResult, registry: CouncilRegistry) -> Document | None:
    record = item.result.record
    source = item.result.source
    council = registry.by_urn(record.council_urn) if record.council_urn else None
    name = council.name if council else (record.council_name_in_report or "Unknown council")
    if isinstance(record, InspectionRecord):
        grades: dict[str, Grade] = {}
        not_judged: list[str] = []
        for area in EXPORTED_AREAS:
            j = record.judgements.get(area)
            if j is None:
                continue
            if j.status is JudgementStatus.GRADED and j.grade is not None:
                grades[area.value] = j.grade
            elif j.status is JudgementStatus.NOT_JUDGED:
                not_judged.append(area.value)  # the report says "Not judged"
        return Document(
            sha256=source.sha256,
            file_name=source.file_name,
            council=council,
            council_name=name,
            framework=record.framework,
            kind=record.kind,
            start=record.inspection_start,
            end=record.inspection_end,
            published=record.published,
            published_estimated=record.published_source is PublishedSource.PDF_METADATA,
            lead_inspector=record.lead_inspector,
            grades=grades,
            not_judged=tuple(not_judged),
            recommendations=tuple(
                (r.position, r.text, r.national_framework_outcome) for r in record.recommendations
            ),
        )
    if isinstance(record, LetterRecord):
        return Document(
            sha256=source.sha256,
            file_name=source.file_name,
            council=council,
            council_name=name,
            framework=None,
            kind=record.kind,
            start=record.visit_start,
            end=record.visit_end,
            published=record.letter_date,
            published_estimated=False,
            lead_inspector=record.lead_inspector,
            grades={},
            not_judged=(),
            recommendations=(),
            theme=record.theme,
            priority_actions=tuple(record.priority_actions),
            areas_for_improvement=tuple(record.areas_for_improvement),
        )
    return None


@dataclass(frozen=True)
class Filters:
    """The listing's filters, checked: any may be empty (no filter)."""

    framework: str = ""
    kind: str = ""
    year: int | None = None
    judgement: str = "overall_effectiveness"
    grade: str = ""
    region: str = ""

    @classmethod
    def parse(cls, args: dict[str, str]) -> Filters:
        """Filters from a query string; InvalidInput names the field and the value."""
        framework = args.get("framework", "").strip()
        if framework and framework not in {f.value for f in Framework} | {"visit"}:
            raise InvalidInput(f"framework: {not_a_framework(framework, also=('visit',))}")
        kind = args.get("kind", "").strip()
        if kind and kind not in {k.value for k in Kind}:
            raise InvalidInput(f"kind: {not_a_kind(kind)}")
        year_text = args.get("year", "").strip()
        year: int | None = None
        if year_text:
            if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
                raise InvalidInput(f"year: “{year_text}” is not a year")
            year = int(year_text)
        judgement = args.get("judgement", "").strip() or "overall_effectiveness"
        judgement = check_judgement(judgement)
        grade = args.get("grade", "").strip()
        if grade and grade not in {g.value for g in Grade}:
            raise InvalidInput(f"grade: {not_a_grade(grade)}")
        region = args.get("region", "").strip()
        if region:
            region = benchmarking.match_region(region)
        return cls(framework, kind, year, judgement, grade, region)

    def keep(self, doc: Document) -> bool:
        if self.framework:
            mine = doc.framework.value if doc.framework else ("visit" if doc.is_letter else "")
            if mine != self.framework:
                return False
        if self.kind and (doc.kind is None or doc.kind.value != self.kind):
            return False
        if self.year is not None and doc.year != self.year:
            return False
        if self.grade:
            g = doc.grades.get(self.judgement)
            if g is None or g.value != self.grade:
                return False
        if self.region:
            if doc.council is None:
                return False
            if self.region not in (doc.council.ons_region, doc.council.ofsted_region):
                return False
        return True

    def query(self) -> dict[str, str]:
        """The filters as query-string values (empty ones left out)."""
        out = {
            "framework": self.framework,
            "kind": self.kind,
            "year": str(self.year) if self.year else "",
            "grade": self.grade,
            "region": self.region,
        }
        if self.grade:
            out["judgement"] = self.judgement
        return {k: v for k, v in out.items() if v}


@dataclass
class SiteData:
    """One snapshot of the store: facts for benchmarking, documents for listings."""

    version: str
    registry: CouncilRegistry
    facts: list[benchmarking.Facts]
    documents: list[Document]  # newest first
    _memo: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    memo_size: int = 256

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per key for this snapshot (least recently used dropped)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > self.memo_size:
                self._memo.popitem(last=False)
        return value

    # -- derived, memoised --

    def picture(
        self, as_at: date, region: str | None = None, round: str | None = None
    ) -> benchmarking.Picture:
        return self.memo(
            ("picture", as_at, region, round),
            lambda: benchmarking.national_picture(
                self.facts, self.registry, as_at, region=region, round=round
            ),
        )

    def series(self, judgement: str, end: date) -> list[dict[str, object]]:
        def compute() -> list[dict[str, object]]:
            first = min((f.start for f in self.facts), default=end)
            return benchmarking.quarterly_series(self.facts, self.registry, first, end, judgement)

        return self.memo(("series", judgement, end), compute)

    def regions(self, as_at: date, judgement: str, by: str = "ons") -> list[dict[str, object]]:
        return self.memo(
            ("regions", as_at, judgement, by),
            lambda: benchmarking.regions_table(
                self.facts, self.registry, as_at, judgement=judgement, by=by
            ),
        )

    def positions(self, as_at: date) -> dict[str, benchmarking.Position]:
        """Every council existing at `as_at`, by URN."""
        return self.memo(
            ("positions", as_at),
            lambda: {
                p.council.urn: p for p in benchmarking.positions(self.facts, self.registry, as_at)
            },
        )

    def profile(self, council: Council, as_at: date) -> benchmarking.Profile:
        return self.memo(
            ("profile", council.urn, as_at),
            lambda: benchmarking.council_profile(self.facts, self.registry, council, as_at),
        )

    def documents_of(self, council: Council) -> list[Document]:
        urns = {council.urn, *council.alt_urns}
        return self.memo(
            ("documents", council.urn),
            lambda: [d for d in self.documents if d.council and d.council.urn in urns],
        )

    def listing(self, filters: Filters) -> list[Document]:
        return self.memo(
            ("listing", filters), lambda: [d for d in self.documents if filters.keep(d)]
        )

    def years(self) -> list[int]:
        return self.memo(
            ("years",), lambda: sorted({d.year for d in self.documents if d.year}, reverse=True)
        )

    def document(self, sha256: str) -> Document | None:
        index = self.memo(("by_sha",), lambda: {d.sha256: d for d in self.documents})
        return index.get(sha256)


def build(store: Store, version: str, registry: CouncilRegistry) -> SiteData:
    """A new snapshot of `store` (the same reads as the CLI's benchmarking and exports)."""
    facts = api.facts(store)
    docs = [
        d
        for d in (_document(item, registry) for item in (*store.inspections(), *store.letters()))
        if d is not None
    ]
    docs.sort(key=lambda d: (d.start or date.min, d.council_name), reverse=True)
    return SiteData(version, registry, facts, docs)


class DataCache:
    """The current snapshot of one store, rebuilt when its data version changes.

    The version is asked of the database at most every `check_every` seconds (a change made
    by another process, such as `ofsted-csc ingest`, shows within that time); a change made
    through this app calls `invalidate()` and shows at once.
    """

    def __init__(
        self, store: Store, registry: CouncilRegistry | None = None, check_every: float = 1.0
    ) -> None:
        self.store = store
        self.registry = registry or load_registry()
        self.check_every = check_every
        self._current: SiteData | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        self._checked_at = 0.0

    def get(self) -> SiteData:
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
                current = build(self.store, version, self.registry)
                self._current = current
            self._checked_at = now
            return current


class PageCache:
    """Rendered pages by (data version, day, URL): a page is a function of the store's
    contents, today's date and its query string, so it is rendered once per data version.
    Least recently used pages are dropped beyond `max_bytes`."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Hashable, tuple[bytes, int, tuple[tuple[str, str], ...]]] = (
            OrderedDict()
        )
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bytes, int, tuple[tuple[str, str], ...]] | None:
        with self._lock:
            hit = self._pages.get(key)
            if hit is not None:
                self._pages.move_to_end(key)
            return hit

    def put(
        self, key: Hashable, body: bytes, status: int, headers: tuple[tuple[str, str], ...]
    ) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
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
