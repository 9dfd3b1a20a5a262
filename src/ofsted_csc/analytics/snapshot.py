"""One snapshot of what the store holds, read once: every figure is made from one.

    snap = Snapshot.build(store)      # one read (Store.contents): one transaction
    snap.facts                        # benchmarking facts: reports, then official rows
    snap.documents                    # stored reports and letters, newest first

A snapshot is the store's data version, the council registry, the stored records (without
their passages), the official statistics' rows, the documents' listings on Ofsted's site,
the documents' stored themes and the health check's counts, all as they were at one moment; the facts, the documents and
the check's counts are derived from them once, when first asked for. The API's read
functions (ofsted_csc.api) take a snapshot or a store (then they take a fresh snapshot);
the web app keeps one per data version and hands it to the same functions as the CLI.

`memo` remembers derived results (a picture at a date, a profile, a page's rows) with the
snapshot, so that they are computed once per data version: what it returns is shared, and
is never changed by those who read it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from ofsted_csc.analytics import benchmarking, reconcile
from ofsted_csc.domain.councils import Council, CouncilRegistry, load_registry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.frameworks import (
    EXPORTED_AREAS,
    FRAMEWORK_LABELS,
    KIND_LABELS,
    Framework,
    Kind,
    check_judgement,
    not_a_framework,
    not_a_kind,
)
from ofsted_csc.domain.grades import Grade, not_a_grade
from ofsted_csc.domain.inspectors import Inspectors, merge_names
from ofsted_csc.domain.official import OfficialRow
from ofsted_csc.domain.records import (
    InspectionRecord,
    JudgementStatus,
    LetterRecord,
    PublishedSource,
)
from ofsted_csc.storage import Store, StoredResult, StoredThemes
from ofsted_csc.storage.store import HeldDocument, RefusedListing
from ofsted_csc.storage.web import KnownPublication

T = TypeVar("T")


# -- documents --


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
    lead_inspector: str | None  # as the report or letter writes it
    grades: dict[str, Grade]
    not_judged: tuple[str, ...]  # judgements the report prints as "Not judged"
    recommendations: tuple[tuple[int, str, str | None], ...]  # position, text, NF tag
    theme: str | None = None
    priority_actions: tuple[str, ...] = ()
    areas_for_improvement: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()  # the lead inspectors, merged across forms (domain.inspectors)

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


def document_of(
    item: StoredResult, registry: CouncilRegistry, inspectors: Inspectors | None = None
) -> Document | None:
    """A stored inspection or letter as a Document (None for anything else); `inspectors`
    merges its lead inspectors' names (without it, they are merged with themselves only)."""
    record = item.result.record
    written = getattr(record, "lead_inspector", None)
    leads = (inspectors or merge_names([written])).leads(written)
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
            leads=leads,
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
            leads=leads,
            grades={},
            not_judged=(),
            recommendations=(),
            theme=record.theme,
            priority_actions=tuple(record.priority_actions),
            areas_for_improvement=tuple(record.areas_for_improvement),
        )
    return None


@dataclass(frozen=True)
class DocumentFilters:
    """The documents listing's filters, checked: any may be empty (no filter)."""

    framework: str = ""
    kind: str = ""
    year: int | None = None
    judgement: str = "overall_effectiveness"
    grade: str = ""
    region: str = ""

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> DocumentFilters:
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


# -- the snapshot --


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What one store held at one moment (see the module's docstring)."""

    version: str  # Store.data_version() when it was read
    store_url: str
    bundled: bool  # read with the built-in official outcomes
    registry: CouncilRegistry
    inspections: tuple[StoredResult, ...]  # oldest inspection first, without passages
    letters: tuple[StoredResult, ...]  # oldest visit first
    review: tuple[StoredResult, ...]  # files kept for review
    official_rows: tuple[OfficialRow, ...]
    listings: Mapping[str, KnownPublication]  # stored documents' listings, by sha256
    refused: tuple[RefusedListing, ...]  # publications sync fetched and refused
    counts: Mapping[str, int]  # files by outcome (inspection, letter, review)
    # inspections' and letters' stored themes, by sha256 (of whatever taxonomy version
    # classified them: api.themed_items uses those of the current one)
    themes: Mapping[str, StoredThemes] = field(default_factory=dict)
    memo_size: int = 256
    _memo: OrderedDict[Hashable, Any] = field(
        default_factory=OrderedDict, repr=False, compare=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def build(cls, store: Store, registry: CouncilRegistry | None = None) -> Snapshot:
        """A snapshot of `store`, read in one transaction."""
        held = store.contents()
        return cls(
            version=held.version,
            store_url=store.url,
            bundled=store.bundled,
            registry=registry or load_registry(),
            inspections=tuple(held.inspections),
            letters=tuple(held.letters),
            review=tuple(held.review),
            official_rows=tuple(held.official_rows),
            listings=held.listings,
            refused=tuple(held.refused),
            counts=dict(held.counts),
            themes=held.themes,
        )

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

    # -- derived once --

    @cached_property
    def _report_facts_shas(self) -> tuple[tuple[benchmarking.Facts, ...], tuple[str, ...]]:
        facts: list[benchmarking.Facts] = []
        shas: list[str] = []
        for item in self.inspections:
            record = item.result.record
            if isinstance(record, InspectionRecord):
                f = benchmarking.facts_from_record(record, item.result.source.file_name)
                if f is not None:
                    facts.append(f)
                    shas.append(item.result.source.sha256)
        return tuple(facts), tuple(shas)

    @cached_property
    def report_facts(self) -> tuple[benchmarking.Facts, ...]:
        """Every stored graded inspection read from a report, in the store's order."""
        return self._report_facts_shas[0]

    def dated_facts_of(self, sha256: str) -> benchmarking.Facts | None:
        """The benchmarking facts of one stored report, as the benchmarks count them (with
        the official publication date where the official statistics give one)."""
        shas = self._report_facts_shas[1]
        index = self.memo(("facts_index",), lambda: {sha: i for i, sha in enumerate(shas)})
        i = index.get(sha256)
        return None if i is None else self.dated_report_facts[i]

    @cached_property
    def matches(self) -> tuple[reconcile.Match, ...]:
        """Each official row with the stored report of the same inspection, if any."""
        return tuple(reconcile.match(self.official_rows, self.report_facts))

    @cached_property
    def official_facts(self) -> tuple[benchmarking.Facts, ...]:
        """The official statistics' inspections that no stored report matches."""
        return tuple(reconcile.fill(self.matches)) if self.official_rows else ()

    @cached_property
    def dated_report_facts(self) -> tuple[benchmarking.Facts, ...]:
        """The reports' facts with their official publication dates (and the LSCB grades
        of SIF reports that print none), where the official statistics give them."""
        if not self.official_rows:
            return self.report_facts
        return tuple(reconcile.with_official(self.matches, self.report_facts))

    @cached_property
    def facts(self) -> tuple[benchmarking.Facts, ...]:
        """Every graded inspection the benchmarks count: the reports' (dated as the official
        statistics date them), then the official statistics' that no stored report matches
        (source "official:...")."""
        return self.dated_report_facts + self.official_facts

    @cached_property
    def inspectors(self) -> Inspectors:
        """Every lead inspector of the stored reports and letters, each merged across the
        forms of their name (domain.inspectors): what every table by inspector reads."""
        return merge_names(
            item.result.record.lead_inspector for item in (*self.inspections, *self.letters)
        )

    @cached_property
    def documents(self) -> tuple[Document, ...]:
        """Stored reports and letters, newest first."""
        docs = [
            d
            for d in (
                document_of(item, self.registry, self.inspectors)
                for item in (*self.inspections, *self.letters)
            )
            if d is not None
        ]
        docs.sort(key=lambda d: (d.start or date.min, d.council_name), reverse=True)
        return tuple(docs)

    @cached_property
    def _by_sha(self) -> dict[str, Document]:
        return {d.sha256: d for d in self.documents}

    @cached_property
    def held_documents(self) -> tuple[HeldDocument, ...]:
        """Every stored document as the health check counts it (read with the rest of the snapshot)."""
        out: list[HeldDocument] = []
        for item in self.inspections:
            r = item.result.record
            assert isinstance(r, InspectionRecord)
            statuses = [j.status for j in r.judgements.values()]
            out.append(
                HeldDocument(
                    "inspection",
                    r.framework.value if r.framework else None,
                    False,
                    r.inspection_start,
                    statuses.count(JudgementStatus.NOT_READ),
                    statuses.count(JudgementStatus.NOT_JUDGED),
                )
            )
        for item in self.letters:
            letter = item.result.record
            assert isinstance(letter, LetterRecord)
            out.append(HeldDocument("letter", None, True, letter.visit_start, 0, 0))
        for item in self.review:
            record = item.result.record
            if isinstance(record, LetterRecord):
                out.append(HeldDocument("review", None, True, record.visit_start, 0, 0))
                continue
            found = [j.status for j in record.judgements.values()]
            out.append(
                HeldDocument(
                    "review",
                    record.framework.value if record.framework else None,
                    False,
                    record.inspection_start,
                    found.count(JudgementStatus.NOT_READ),
                    found.count(JudgementStatus.NOT_JUDGED),
                )
            )
        return tuple(out)

    # -- looking up --

    def listing(self, sha256: str) -> KnownPublication | None:
        """Where a stored document is listed on Ofsted's site, if a sync has seen it."""
        return self.listings.get(sha256)

    def document(self, sha256: str) -> Document | None:
        return self._by_sha.get(sha256)

    def documents_of(self, council: Council) -> list[Document]:
        """A council's stored reports and letters (its earlier URNs too), newest first."""
        urns = {council.urn, *council.alt_urns}
        return self.memo(
            ("documents_of", council.urn),
            lambda: [d for d in self.documents if d.council and d.council.urn in urns],
        )

    def years(self) -> list[int]:
        """The years in which stored documents' inspections or visits began, newest first."""
        return self.memo(
            ("years",), lambda: sorted({d.year for d in self.documents if d.year}, reverse=True)
        )
