"""The Python API: what the CLI and the web app do, for notebooks and scripts too.

    from ofsted_csc import api
    store = api.open_store()                       # or api.open_store("postgresql+psycopg://...")
    summary = api.ingest(store, ["reports/"], jobs=2)
    print(summary.stored, summary.refused)
    api.export(store, "inspections", "csv", "inspections.csv")

Errors are typed (ofsted_csc.domain.errors); nothing here prints.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from ofsted_csc.analytics import benchmarking, reconcile
from ofsted_csc.domain.councils import Council, CouncilRegistry, load_registry
from ofsted_csc.domain.errors import (
    CorrectionsError,
    DocumentError,
    InvalidInput,
    NotFound,
    not_one_of,
)
from ofsted_csc.domain.frameworks import Framework, check_judgement
from ofsted_csc.domain.official import OfficialRow
from ofsted_csc.domain.records import Correction, InspectionRecord, LetterRecord
from ofsted_csc.domain.rules import review_reasons
from ofsted_csc.parsing.corrections import (
    apply_corrections,
)
from ofsted_csc.reports import exports
from ofsted_csc.services.ingest import (
    FileOutcome,
    parse_data,
    save_read,
)
from ofsted_csc.sources import official
from ofsted_csc.storage import Store, StoredResult
from ofsted_csc.storage.convert import record_to_json
from ofsted_csc.themes import analysis as themes_analysis


def open_store(db: str | None = None) -> Store:
    """The store at `db` (any SQLAlchemy URL), else $OFSTED_CSC_DB, else the user's SQLite."""
    return Store.open(db)


# -- reading back --


def show(store: Store, file_or_sha256: str) -> StoredResult:
    """One stored record, by file name or sha256 (or a unique prefix)."""
    return store.find(file_or_sha256)


def review(store: Store) -> list[StoredResult]:
    """Files kept for review, with the reasons."""
    return store.review_items()


@dataclass(frozen=True)
class ReviewItem:
    """A file kept for review, with the imported official rows of the same inspection
    (matched as `reconcile` matches them) and their values beside what was read."""

    stored: StoredResult
    official: tuple[OfficialRow, ...] = ()
    values: tuple[reconcile.OfficialValue, ...] = ()

    @property
    def fills(self) -> list[reconcile.Fill]:
        """The official values `accept_official` would take."""
        return reconcile.fills(self.values)[0]


def review_items(store: Store, only: str | None = None) -> list[ReviewItem]:
    """Files kept for review (only the one with sha256 `only`, if given), each with the
    official rows of the same inspection and their values beside what was read."""
    stored = [s for s in store.review_items() if only is None or s.result.source.sha256 == only]
    rows = store.official_rows() if stored else []
    candidates: dict[int, benchmarking.Facts] = {}
    for i, item in enumerate(stored):
        record = item.result.record
        if isinstance(record, InspectionRecord):
            f = benchmarking.facts_from_record(record, item.result.source.file_name)
            if f is not None:
                candidates[i] = f
    found: dict[int, list[OfficialRow]] = {}
    if rows and candidates:
        matched = reconcile.rows_for(rows, report_facts(store), list(candidates.values()))
        found = dict(zip(candidates, matched, strict=True))
    out: list[ReviewItem] = []
    for i, item in enumerate(stored):
        record = item.result.record
        official = found.get(i, [])
        values = (
            reconcile.official_values(record, official)
            if official and isinstance(record, InspectionRecord)
            else []
        )
        out.append(ReviewItem(item, tuple(official), tuple(values)))
    return out


@dataclass(frozen=True)
class AcceptedOfficial:
    """What `accept_official` did: the file stored again, and the corrections it took."""

    outcome: FileOutcome  # "replaced" (left review) or "review" (still needs it)
    corrections: tuple[Correction, ...]
    conflicts: tuple[str, ...]  # fields the official rows disagree on (left alone)


def accept_official(store: Store, file_or_sha256: str) -> AcceptedOfficial:
    """Take the official statistics' values for what a report in review could not read.

    Each value becomes a correction (its note names the edition, file, sheet and row), and
    the stored PDF is read again with all its corrections and stored in one transaction,
    as `ingest --corrections` would. Raises reconcile.NoOfficialMatch, with nothing
    changed, when no imported official row of the same inspection gives such a value.
    """
    stored = store.find(file_or_sha256)
    src = stored.result.source
    if stored.outcome != "review":
        raise InvalidInput(
            f"{src.file_name}: not in review (stored as {stored.outcome}); `ofsted-csc "
            "reconcile` lists where stored reports and official statistics differ"
        )
    [item] = review_items(store, only=src.sha256)
    if not item.official:
        imported = (
            "" if store.official_rows() else " (none are imported: `ofsted-csc import-official`)"
        )
        raise reconcile.NoOfficialMatch(
            f"{src.file_name}: no official statistics row is of the same inspection (same "
            f"council and framework, published within {reconcile.MATCH_DAYS} days){imported}; "
            "nothing changed"
        )
    try:
        name, data = store.source_pdf(src.sha256)
    except NotFound:
        name, data = src.file_name, None
    existing = store.stored_corrections(src.sha256)
    # What is unread now: the file read again by this parser with its corrections (a newer
    # parser may read what the stored record lacks: that is never overridden).
    record = stored.result.record
    path = Path(name)
    fresh = parse_data(data, path) if data is not None else None
    if isinstance(fresh, DocumentError):
        raise InvalidInput(f"{fresh.message}; nothing changed")
    if fresh is not None:
        now = copy.deepcopy(fresh)
        try:
            apply_corrections(now, existing, load_registry())
        except CorrectionsError as exc:
            raise InvalidInput(f"{exc.message}; nothing changed") from None
        record = now.record
    values = (
        reconcile.official_values(record, item.official)
        if isinstance(record, InspectionRecord)
        else []
    )
    fills, conflicts = reconcile.fills(values)
    already = {c.field for c in existing}
    fills = [f for f in fills if f.field not in already]
    if not fills and (fresh is None or review_reasons(record)):
        unread = sorted({v.field for v in values if v.not_read}) or ["none"]
        raise reconcile.NoOfficialMatch(
            f"{src.file_name}: the official rows of this inspection "
            f"({'; '.join(reconcile.row_place(r) for r in item.official)}) give no value for "
            f"what could not be read ({', '.join(unread)})"
            + (f"; {'; '.join(conflicts)}" if conflicts else "")
            + "; nothing changed"
        )
    taken = [Correction(src.sha256, f.field, f.value, f.note) for f in fills]
    if fresh is None:
        lines = io.StringIO()
        csv.writer(lines, lineterminator="\n").writerows(
            [("sha256", "field", "value", "note")]
            + [(c.sha256, c.field, c.value, c.note) for c in taken]
        )
        raise InvalidInput(
            f"{src.file_name}: the store does not keep this file's PDF (it was ingested with "
            "--no-pdf), so it cannot be read again here; save these lines as a corrections "
            f"CSV and run `ofsted-csc ingest FILE --corrections FILE.csv`:\n{lines.getvalue()}"
        )
    outcome = save_read(store, path, fresh, [*existing, *taken], data)
    if outcome.outcome == "refused":
        raise InvalidInput("; ".join(outcome.reasons) + "; nothing changed")
    return AcceptedOfficial(outcome, tuple(taken), tuple(conflicts))


def table(
    store: Store,
    what: str,
    layout: str = "contract",
    registry: CouncilRegistry | None = None,
) -> exports.TableData:
    """One export table as rows (what `export` writes)."""
    try:
        which = exports.Table(what)
    except ValueError:
        raise InvalidInput(
            f"“{what}” is not an export ({', '.join(t.value for t in exports.Table)})"
        ) from None
    try:
        lay = exports.Layout(layout)
    except ValueError:
        raise InvalidInput(
            f"“{layout}” is not a layout ({', '.join(x.value for x in exports.Layout)})"
        ) from None
    registry = registry or load_registry()
    stored = store.letters() if which is exports.Table.LETTERS else store.inspections()
    return exports.build_table(which, stored, registry, lay, listing=store.listing)


def export(
    store: Store,
    what: str,
    fmt: str = "csv",
    output: str | Path | None = None,
    layout: str = "contract",
    stdout: IO[str] | None = None,
) -> int:
    """Write an export table; returns the number of rows written."""
    try:
        form = exports.Format(fmt)
    except ValueError:
        raise InvalidInput(
            f"“{fmt}” is not an export format ({', '.join(f.value for f in exports.Format)})"
        ) from None
    data = table(store, what, layout)
    exports.write(data, form, Path(output) if output else None, stdout or sys.stdout)
    return len(data.rows)


def default_jobs() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))


# -- benchmarking --


def facts(store: Store, official: bool = True) -> list[benchmarking.Facts]:
    """Every stored graded inspection, as benchmarking facts; with `official`, plus the
    official statistics' inspections that no stored report matches (source "official:...")."""
    out = report_facts(store)
    if official:
        rows = store.official_rows()
        if rows:
            out += reconcile.fill(reconcile.match(rows, out))
    return out


def report_facts(store: Store) -> list[benchmarking.Facts]:
    """Every stored graded inspection read from a report."""
    out: list[benchmarking.Facts] = []
    for item in store.inspections():
        record = item.result.record
        if isinstance(record, InspectionRecord):
            f = benchmarking.facts_from_record(record, item.result.source.file_name)
            if f is not None:
                out.append(f)
    return out


def national(
    store: Store,
    as_at: date | None = None,
    published_by: date | None = None,
    round: str | None = None,
    region: str | None = None,
) -> benchmarking.Picture:
    """The national (or regional) picture at a date: see ofsted_csc.analytics.benchmarking."""
    as_at = as_at or date.today()
    return benchmarking.national_picture(
        facts(store), load_registry(), as_at, published_by, region=region, round=round
    )


def regions(
    store: Store,
    as_at: date | None = None,
    published_by: date | None = None,
    judgement: str = "overall_effectiveness",
    by: str = "ons",
) -> list[dict[str, object]]:
    """Regions by grade for one judgement."""
    return benchmarking.regions_table(
        facts(store), load_registry(), as_at or date.today(), published_by, judgement, by
    )


def inspections_between(
    store: Store, start: date, end: date, by: str = "published"
) -> list[dict[str, object]]:
    """Every graded inspection in a period, council by judgement."""
    return benchmarking.comparison_table(facts(store), load_registry(), start, end, by)


def stored_json(stored: StoredResult, store: Store | None = None) -> dict[str, object]:
    """One stored file's record as JSON-able data (what `show --json` prints), with its
    listing on Ofsted's site when `store` is given and a sync has seen it."""
    result = stored.result
    listed = store.listing(result.source.sha256) if store is not None else None
    return {
        "source_file": result.source.file_name,
        "sha256": result.source.sha256,
        "page_count": result.source.page_count,
        "parser_version": result.parser_version,
        "stored_as": stored.outcome,
        "review_reasons": result.review_reasons,
        "corrections": [
            {"field": c.field, "value": c.value, "note": c.note} for c in result.corrections
        ],
        "record": record_to_json(result.record),
        "ofsted_listing": None
        if listed is None
        else {
            "label": listed.label,
            "published": listed.published.isoformat(),
            "url": listed.url,
            "file_id": listed.file_id,
        },
    }


def profile_tables(
    profile: benchmarking.Profile, visits: Sequence[StoredResult]
) -> dict[str, list[dict[str, object]]]:
    """A council profile's tables (what `council -o` writes): inspections, visits,
    neighbours, region, statements."""
    registry = load_registry()
    neighbours: list[dict[str, object]] = [
        {
            "neighbour": q.council.name,
            "la_code": q.council.la_code,
            "latest_inspection": q.latest.start if q.latest else None,
            "framework": q.latest.framework.value if q.latest else None,
            **{j: (g.value if (g := q.grade(j)) else None) for j in benchmarking.JUDGEMENTS},
        }
        for q in profile.neighbours
    ]
    letters: list[dict[str, object]] = [
        {
            "kind": r.kind.value if r.kind else None,
            "visit_start": r.visit_start,
            "theme": r.theme,
            "priority_actions": len(r.priority_actions),
            "areas_for_improvement": len(r.areas_for_improvement),
            "source": v.result.source.file_name,
        }
        for v in visits
        if isinstance(r := v.result.record, LetterRecord)
    ]
    region = [
        r
        for r in benchmarking.picture_rows(profile.region_picture)
        if r["judgement"] == "overall_effectiveness"
    ]
    return {
        "inspections": benchmarking.history_rows(profile, registry),
        "visits": letters,
        "neighbours": neighbours,
        "region": region,
        "statements": [{"statement": line} for line in profile.statements],
    }


def profile_json(
    profile: benchmarking.Profile, visits: Sequence[StoredResult]
) -> dict[str, object]:
    """A council profile as JSON-able data (what `council --json` prints)."""
    tables = profile_tables(profile, visits)
    c = profile.council
    return {
        "council": c.name,
        "urn": c.urn,
        "la_code": c.la_code,
        "ons_region": c.ons_region,
        "ofsted_region": c.ofsted_region,
        "as_at": profile.as_at,
        "inspections": tables["inspections"],
        "changes_since_previous": profile.changes,
        "days_since_last_inspection": profile.days_since_last,
        "visits": tables["visits"],
        "statistical_neighbours": tables["neighbours"],
        "region_overall_effectiveness": tables["region"],
        "statements": profile.statements,
    }


def council_profile(
    store: Store, name_or_code: str, as_at: date | None = None
) -> tuple[benchmarking.Profile, list[StoredResult]]:
    """A council's profile (see benchmarking.council_profile) and its visit letters."""
    registry = load_registry()
    council = registry.lookup(name_or_code)
    as_at = as_at or date.today()
    profile = benchmarking.council_profile(facts(store), registry, council, as_at)
    return profile, visits_of(store, council, as_at)


def visits_of(store: Store, council: Council, as_at: date) -> list[StoredResult]:
    """A council's stored visit letters of visits begun by `as_at`."""
    urns = {council.urn, *council.alt_urns}
    return [
        item
        for urn in sorted(urns)
        for item in store.letters(council_urn=urn)
        if item.result.record.visit_start is None  # type: ignore[union-attr]
        or item.result.record.visit_start <= as_at  # type: ignore[union-attr]
    ]


def trajectories(
    store: Store,
    what: str = "transitions",
    judgement: str = "overall_effectiveness",
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, object]]:
    """transitions (previous grade to next), series (quarterly national picture) or gaps."""
    check_judgement(judgement)
    all_facts = facts(store)
    registry = load_registry()
    if what == "transitions":
        return benchmarking.transitions(all_facts, registry, judgement)
    if what == "gaps":
        return benchmarking.gaps(all_facts, registry, judgement)
    if what == "series":
        first = min((f.start for f in all_facts), default=date.today())
        return benchmarking.quarterly_series(
            all_facts, registry, start or first, end or date.today(), judgement
        )
    raise InvalidInput(not_one_of(what, "a trajectory", benchmarking.TRAJECTORIES))


# -- official statistics --


def import_official(store: Store, path: str | Path) -> tuple[str, int]:
    """Import an official Ofsted spreadsheet: (edition key, rows stored). The rows of an
    earlier import of the same edition are replaced; reports are never changed."""
    edition, rows = official.read_edition(path, load_registry())
    return edition.key, store.replace_official(rows, edition.key)


@dataclass(frozen=True)
class EditionHeld:
    """An edition of the official statistics a store reads: built in or imported."""

    key: str
    title: str
    source_file: str
    rows: int
    built_in: bool


@dataclass(frozen=True)
class About:
    """Where a store's figures come from."""

    bundled: bool  # opened with the built-in official outcomes
    editions: tuple[EditionHeld, ...]  # the editions in use (an import replaces a built-in one)
    inspections: int  # reports stored
    letters: int
    review: int
    from_documents: int  # graded inspections in the benchmarks, read from reports
    from_built_in: int  # ... taken from the built-in statistics (no report stored)
    from_imports: int  # ... taken from imported statistics (no report stored)

    @property
    def built_in_editions(self) -> tuple[EditionHeld, ...]:
        return tuple(e for e in self.editions if e.built_in)

    def as_dict(self) -> dict[str, object]:
        return {
            "bundled": self.bundled,
            "editions": [dataclasses.asdict(e) for e in self.editions],
            "documents": {
                "inspections": self.inspections,
                "letters": self.letters,
                "review": self.review,
            },
            "benchmark_inspections": {
                "from_documents": self.from_documents,
                "from_built_in_statistics": self.from_built_in,
                "from_imported_statistics": self.from_imports,
            },
        }


def about(store: Store) -> About:
    """Which editions of the official statistics the store reads, and how many of the
    benchmarks' inspections come from documents, built-in statistics and imports."""
    rows = store.official_rows()
    reports = report_facts(store)
    filled = reconcile.fill(reconcile.match(rows, reports)) if rows else []
    built_in_sources = {f"official:{r.source_file} row {r.row}" for r in rows if r.built_in}
    from_built_in = sum(1 for f in filled if f.source in built_in_sources)
    editions: dict[str, EditionHeld] = {}
    for r in rows:
        held = editions.get(r.edition)
        editions[r.edition] = EditionHeld(
            r.edition,
            official.edition_title(r.edition),
            r.source_file,
            (held.rows if held else 0) + 1,
            r.built_in,
        )
    counts = store.counts()
    return About(
        bundled=store.bundled,
        editions=tuple(editions[k] for k in sorted(editions)),
        inspections=counts["inspection"],
        letters=counts["letter"],
        review=counts["review"],
        from_documents=len(reports),
        from_built_in=from_built_in,
        from_imports=len(filled) - from_built_in,
    )


def reconciliation(
    store: Store,
) -> tuple[list[reconcile.Match], list[reconcile.Disagreement]]:
    """Official rows matched to stored reports, and every field on which they disagree."""
    reports = report_facts(store)
    matches = reconcile.match(store.official_rows(), reports)
    return matches, reconcile.disagreements(matches, load_registry(), reports)


# -- the health check --

UNKNOWN = "unknown"
_GROUP_ORDER = (*(f.value for f in Framework), "letters", UNKNOWN)


@dataclass(frozen=True)
class CheckRow:
    """Documents of one framework (or "letters") and year: inspections by the year they
    started, letters by the year of the visit."""

    framework: str
    year: int | None
    stored: int = 0
    review: int = 0
    refused: int = 0
    not_read: int = 0  # judgements that could not be read (all in files in review)
    not_judged: int = 0  # judgements Ofsted printed as "Not judged"

    def as_row(self) -> dict[str, object]:
        return {
            "framework": self.framework,
            "year": self.year,
            "stored": self.stored,
            "review": self.review,
            "refused": self.refused,
            "not_read": self.not_read,
            "not_judged": self.not_judged,
        }


# How refusals are counted: the store keeps no record of a file `ingest` refuses.
REFUSED_COUNTED_FROM = (
    "refused: publications a sync fetched from Ofsted's site and refused (web_publications, "
    "status refused), by the listing's kind (letters; anything else as unknown framework) and "
    "publication year; files refused by `ingest` are not stored, so not counted"
)


@dataclass
class Check:
    """The store's health: documents by framework and year, and where stored reports
    disagree with the imported official statistics."""

    store: str
    rows: list[CheckRow]
    official_rows: int
    matched: int  # official rows matched to a stored report
    disagreements: list[reconcile.Disagreement]

    @property
    def total(self) -> CheckRow:
        return CheckRow(
            "total",
            None,
            *(sum(getattr(r, f) for r in self.rows) for f in _COUNTS),
        )

    @property
    def in_review(self) -> int:
        return sum(r.review for r in self.rows)

    @property
    def by_field(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d in self.disagreements:
            counts[d.field] = counts.get(d.field, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def as_json(self) -> dict[str, object]:
        return {
            "store": self.store,
            "documents": [r.as_row() for r in self.rows],
            "total": {
                k: v for k, v in self.total.as_row().items() if k not in ("framework", "year")
            },
            "in_review": self.in_review,
            "refused_counted_from": REFUSED_COUNTED_FROM,
            "official": {
                "rows": self.official_rows,
                "matched_to_reports": self.matched,
                "disagreements_by_field": self.by_field,
                "disagreements": [d.as_row() for d in self.disagreements],
            },
        }


_COUNTS = ("stored", "review", "refused", "not_read", "not_judged")


def check(store: Store) -> Check:
    """Counts of the store by framework and year, and every field on which a stored report
    disagrees with an imported official row (reconcile's comparison)."""
    counts: dict[tuple[str, int | None], dict[str, int]] = {}

    def add(framework: str, day: date | None, **more: int) -> None:
        bucket = counts.setdefault(
            (framework, day.year if day else None), dict.fromkeys(_COUNTS, 0)
        )
        for k, v in more.items():
            bucket[k] += v

    for doc in store.held_documents():
        group = "letters" if doc.letter else (doc.framework or UNKNOWN)
        stored = 0 if doc.outcome == "review" else 1
        add(
            group,
            doc.day,
            stored=stored,
            review=1 - stored,
            not_read=doc.unread,
            not_judged=doc.not_judged,
        )
    for refused in store.refused_listings():
        add("letters" if refused.kind == "letters" else UNKNOWN, refused.published, refused=1)
    rows = [
        CheckRow(framework, year, **values)
        for (framework, year), values in sorted(
            counts.items(),
            key=lambda kv: (_GROUP_ORDER.index(kv[0][0]), kv[0][1] is None, kv[0][1] or 0),
        )
    ]
    matches, found = reconciliation(store)
    return Check(
        store.url,
        rows,
        official_rows=len(matches),
        matched=sum(1 for m in matches if m.facts is not None),
        disagreements=found,
    )


# -- themes --


def themed_items(store: Store) -> list[themes_analysis.ThemedItem]:
    """Every stored recommendation, area for priority action and area for improvement, with
    its themes (classified now: a few thousand items take about a second)."""
    from ofsted_csc.domain.frameworks import Area
    from ofsted_csc.themes import Classifier

    registry = load_registry()
    classifier = Classifier()
    out: list[themes_analysis.ThemedItem] = []

    def source(
        r: StoredResult, framework: str, kind: str, start: date, overall: object
    ) -> themes_analysis.Source:
        rec = r.result.record
        council = registry.by_urn(rec.council_urn or "")
        return themes_analysis.Source(
            sha256=r.result.source.sha256,
            file_name=r.result.source.file_name,
            council_urn=rec.council_urn or "",
            council_name=council.name if council else (rec.council_name_in_report or ""),
            la_code=council.la_code if council else "",
            ons_region=council.ons_region if council else "",
            ofsted_region=council.ofsted_region if council else "",
            framework=framework,
            kind=kind,
            start=start,
            overall=overall,  # type: ignore[arg-type]
        )

    for r in store.inspections():
        rec = r.result.record
        assert (
            isinstance(rec, InspectionRecord)
            and rec.framework
            and rec.kind
            and rec.inspection_start
        )
        j = rec.judgements.get(Area.OVERALL)
        src = source(
            r, rec.framework.value, rec.kind.value, rec.inspection_start, j.grade if j else None
        )
        out += themes_analysis.themed(
            src, [("recommendation", x.position, x.text) for x in rec.recommendations], classifier
        )
    for r in store.letters():
        rec = r.result.record
        assert isinstance(rec, LetterRecord) and rec.kind and rec.visit_start
        src = source(r, "letter", rec.kind.value, rec.visit_start, None)
        items = [("priority_action", n, t) for n, t in enumerate(rec.priority_actions, 1)]
        items += [
            ("area_for_improvement", n, t) for n, t in enumerate(rec.areas_for_improvement, 1)
        ]
        out += themes_analysis.themed(src, items, classifier)
    return out
