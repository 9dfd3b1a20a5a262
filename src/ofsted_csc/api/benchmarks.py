"""The benchmarks: facts, the national picture, regions, councils' positions and profiles,
inspections in a period, trajectories, themes and the documents listing.

Each function takes a Store or a Snapshot (ofsted_csc.api.snapshot); given a snapshot it
reads nothing and remembers its result with it, so the web app (which holds one snapshot per
data version) computes each figure once. What they return is shared with later callers:
read it, never change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ofsted_csc.analytics import benchmarking, reconcile
from ofsted_csc.analytics.snapshot import Document, DocumentFilters, Snapshot
from ofsted_csc.api.snapshot import Source, read
from ofsted_csc.domain.councils import Council
from ofsted_csc.domain.counting import official_published_by
from ofsted_csc.domain.errors import InvalidInput, not_one_of
from ofsted_csc.domain.frameworks import check_judgement
from ofsted_csc.domain.records import InspectionRecord, LetterRecord
from ofsted_csc.reports import rows
from ofsted_csc.services.themes import retheme as _retheme
from ofsted_csc.storage import Store, StoredResult
from ofsted_csc.themes import analysis as themes_analysis

# -- facts --


def facts(source: Source, official: bool = True) -> list[benchmarking.Facts]:
    """Every stored graded inspection, as benchmarking facts; with `official`, plus the
    official statistics' inspections that no stored report matches (source "official:...")."""
    snap = read(source)
    return list(snap.facts if official else snap.report_facts)


def report_facts(source: Source) -> list[benchmarking.Facts]:
    """Every stored graded inspection read from a report."""
    return list(read(source).report_facts)


# -- the national picture, regions, positions --


def picture_date(published_by: date | None) -> date:
    """The date of a picture given no as-at date: its published-by date if given (a table
    "published by 5 August 2016" is the picture of that day: councils existing then,
    inspections begun by then), else today."""
    if published_by is not None and published_by < date.today():
        return published_by
    return date.today()


def national(
    source: Source,
    as_at: date | None = None,
    published_by: date | None = None,
    round: str | None = None,
    region: str | None = None,
    count: str = benchmarking.INSPECTIONS,
) -> benchmarking.Picture:
    """The national (or regional) picture at a date: see ofsted_csc.analytics.benchmarking.
    A round is counted by `count`: "inspections" (Ofsted's counting) or "councils". Without
    `published_by`, reports published by `as_at` are counted, except at an official snapshot
    date (31 March), where Ofsted's rule is followed: reports published by 30 June
    (domain.counting); the picture says which (`Picture.reports_counted`)."""
    snap = read(source)
    as_at = as_at or picture_date(published_by)
    if published_by is None:
        published_by = official_published_by(as_at) or as_at
    return snap.memo(
        ("national", as_at, published_by, round, region, count),
        lambda: benchmarking.national_picture(
            snap.facts,
            snap.registry,
            as_at,
            published_by,
            region=region,
            round=round,
            count=count,
        ),
    )


def picture_json(picture: benchmarking.Picture) -> dict[str, object]:
    """A picture as JSON-able data (what /api/national answers): its dates, round, region,
    councils counted and inspected, what the rows count (and for a round the inspections
    published in it), rows and (for a round) re-inspections' rows."""
    return {
        "as_at": picture.as_at,
        "published_by": picture.published_by,
        "reports_counted": picture.reports_counted,
        "round": picture.round,
        "region": picture.region,
        "councils": picture.councils,
        "inspected": picture.inspected,
        "counting": picture.counting,
        "inspections": picture.inspections if picture.round else None,
        "rows": rows.picture_rows(picture),
        "reinspections": rows.reinspection_rows(picture),
    }


def regions(
    source: Source,
    as_at: date | None = None,
    published_by: date | None = None,
    judgement: str = "overall_effectiveness",
    by: str = "ons",
) -> list[dict[str, object]]:
    """Regions by grade for one judgement (reports counted as `national` counts them: at 31
    March, Ofsted's rule)."""
    snap = read(source)
    as_at = as_at or picture_date(published_by)
    if published_by is None:
        published_by = official_published_by(as_at) or as_at
    return snap.memo(
        ("regions", as_at, published_by, judgement, by),
        lambda: benchmarking.regions_table(
            snap.facts, snap.registry, as_at, published_by, judgement, by
        ),
    )


FIRST_REGIONS_YEAR = 2014  # the first 31 March with SIF outcomes to compare


def each_31_march(first: int = FIRST_REGIONS_YEAR, today: date | None = None) -> list[date]:
    """Every 31 March from `first` to the latest on or before today."""
    today = today or date.today()
    last = today.year if today >= date(today.year, 3, 31) else today.year - 1
    return [date(y, 3, 31) for y in range(first, last + 1)]


def regions_over_time(
    source: Source,
    dates: Sequence[date] | None = None,
    judgement: str = "overall_effectiveness",
    by: str = "ons",
) -> list[dict[str, object]]:
    """The regional picture at each date (default each 31 March since 2014) in one table: a
    row per date and region (`as_at` first), counted as `regions` counts each date."""
    wanted = sorted(set(dates)) if dates else each_31_march()
    today = date.today()
    later = [d for d in wanted if d > today]
    if later:
        raise InvalidInput(f"{later[0]} is after today: the regional picture is of the past")
    out: list[dict[str, object]] = []
    for day in wanted:
        out.extend({"as_at": day, **row} for row in regions(source, day, None, judgement, by))
    return out


def positions(source: Source, as_at: date | None = None) -> dict[str, benchmarking.Position]:
    """Every council existing at `as_at` with its latest graded inspection, by URN."""
    snap = read(source)
    as_at = as_at or date.today()
    return snap.memo(
        ("positions", as_at),
        lambda: {
            p.council.urn: p for p in benchmarking.positions(snap.facts, snap.registry, as_at)
        },
    )


def councils(source: Source, as_at: date | None = None) -> list[dict[str, object]]:
    """Every council existing at `as_at`, by name, with its latest graded inspection and
    grades (reports.rows.council_rows)."""
    snap = read(source)
    as_at = as_at or date.today()
    return snap.memo(
        ("councils", as_at),
        lambda: rows.council_rows(
            sorted(positions(snap, as_at).values(), key=lambda p: p.council.name)
        ),
    )


def inspections_between(
    source: Source, start: date, end: date, by: str = "published"
) -> list[dict[str, object]]:
    """Every graded inspection in a period, council by judgement."""
    snap = read(source)
    return rows.comparison_rows(
        benchmarking.inspections_between(snap.facts, start, end, by), snap.registry
    )


# -- councils' profiles --


def council_profile(
    source: Source, name_or_code: str | Council, as_at: date | None = None
) -> tuple[benchmarking.Profile, list[StoredResult]]:
    """A council's profile (see benchmarking.council_profile) and its visit letters."""
    snap = read(source)
    council = (
        name_or_code if isinstance(name_or_code, Council) else snap.registry.lookup(name_or_code)
    )
    as_at = as_at or date.today()
    return snap.memo(
        ("council_profile", council.urn, as_at),
        lambda: (
            benchmarking.council_profile(snap.facts, snap.registry, council, as_at),
            visits_of(snap, council, as_at),
        ),
    )


def visits_of(source: Source, council: Council, as_at: date) -> list[StoredResult]:
    """A council's stored visit letters of visits begun by `as_at`."""
    letters = read(source).letters
    urns = {council.urn, *council.alt_urns}
    return [
        item
        for urn in sorted(urns)
        for item in letters
        if isinstance(r := item.result.record, LetterRecord)
        and r.council_urn == urn
        and (r.visit_start is None or r.visit_start <= as_at)
    ]


def profile_tables(
    profile: benchmarking.Profile, visits: Sequence[StoredResult]
) -> dict[str, list[dict[str, object]]]:
    """A council profile's tables (what `council -o` writes): inspections, visits,
    neighbours, region, statements."""
    return rows.profile_tables(profile, visits)


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


# -- trajectories --

TRAJECTORIES = benchmarking.TRAJECTORIES  # transitions, series, gaps


def trajectories(
    source: Source,
    what: str = "transitions",
    judgement: str = "overall_effectiveness",
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, object]]:
    """transitions (previous grade to next), series (quarterly national picture) or gaps."""
    check_judgement(judgement)
    if what not in TRAJECTORIES:
        raise InvalidInput(not_one_of(what, "a trajectory", TRAJECTORIES))
    snap = read(source)
    if what == "transitions":
        return snap.memo(
            ("transitions", judgement),
            lambda: benchmarking.transitions(snap.facts, snap.registry, judgement),
        )
    if what == "gaps":
        return snap.memo(
            ("gaps", judgement), lambda: benchmarking.gaps(snap.facts, snap.registry, judgement)
        )
    today = date.today()
    first = (
        start
        or snap.memo(("first_start",), lambda: min((f.start for f in snap.facts), default=None))
        or today
    )
    last = end or today
    return snap.memo(
        ("series", judgement, first, last),
        lambda: benchmarking.quarterly_series(snap.facts, snap.registry, first, last, judgement),
    )


# -- themes --


def themed_items(source: Source) -> list[themes_analysis.ThemedItem]:
    """Every stored recommendation, area for priority action and area for improvement, with
    its themes: those stored with the documents (of the current taxonomy version), the rest
    (documents stored before, or themed by another version) classified now."""
    return _themed(read(source))[0]


def retheme(store: Store) -> int:
    """Store the themes of every stored inspection and letter that has none of the current
    taxonomy version (quick when none is stale: one query); how many were themed. Ingest,
    sync and `reindex` do it themselves; the web server does it when it starts."""
    return _retheme(store)


def themed_sources(source: Source) -> list[themes_analysis.Source]:
    """Every stored inspection and visit as the themes count it, those without
    recommendations or letter items too (the base of a share per inspection)."""
    return _themed(read(source))[1]


def _themed(
    snap: Snapshot,
) -> tuple[list[themes_analysis.ThemedItem], list[themes_analysis.Source]]:
    return snap.memo(("themed_items",), lambda: _themed_items(snap))


def _themed_items(
    snap: Snapshot,
) -> tuple[list[themes_analysis.ThemedItem], list[themes_analysis.Source]]:
    from ofsted_csc.domain.frameworks import Area
    from ofsted_csc.themes import current_classifier

    registry = snap.registry
    classifier = current_classifier()
    out: list[themes_analysis.ThemedItem] = []
    sources: list[themes_analysis.Source] = []

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

    def add(src: themes_analysis.Source, record: InspectionRecord | LetterRecord) -> None:
        sources.append(src)
        kept = snap.themes.get(src.sha256)
        stored = (
            {(section, position): hits for section, position, hits in kept.items}
            if kept is not None and kept.version == classifier.version
            else None
        )
        out.extend(
            themes_analysis.themed(src, themes_analysis.record_items(record), classifier, stored)
        )

    for r in snap.inspections:
        rec = r.result.record
        assert (
            isinstance(rec, InspectionRecord)
            and rec.framework
            and rec.kind
            and rec.inspection_start
        )
        j = rec.judgements.get(Area.OVERALL)
        add(
            source(
                r,
                rec.framework.value,
                rec.kind.value,
                rec.inspection_start,
                j.grade if j else None,
            ),
            rec,
        )
    for r in snap.letters:
        letter = r.result.record
        assert isinstance(letter, LetterRecord) and letter.kind and letter.visit_start
        add(source(r, "letter", letter.kind.value, letter.visit_start, None), letter)
    return out, sources


def theme_counts(
    source: Source, filters: themes_analysis.Filters | None = None
) -> tuple[int, int, list[themes_analysis.ThemeCount]]:
    """(items, inspections and visits, counts by theme) of the themed items `filters` keep."""
    snap = read(source)
    chosen = filters or themes_analysis.Filters()
    return snap.memo(
        ("theme_counts", chosen),
        lambda: themes_analysis.theme_counts(themed_items(snap), chosen),
    )


def compare_themes(
    source: Source,
    periods: Sequence[str | themes_analysis.Period],
    group: str = "reports",
    region: str | None = None,
) -> themes_analysis.Comparison:
    """Each theme's share of inspections (or visits) in each period, side by side: of the
    group's inspections begun in the period ("reports", one framework, or "letter"), the
    share whose recommendations had the theme, with the count and the base
    (themes.analysis.compare_periods)."""
    chosen = tuple(
        p if isinstance(p, themes_analysis.Period) else themes_analysis.Period.parse(p)
        for p in periods
    )
    if len(chosen) < 2:
        raise InvalidInput("give two periods or more to compare (e.g. 2014-2017 2022-2026)")
    snap = read(source)
    matched = benchmarking.match_region(region) if region else None
    return snap.memo(
        ("compare_themes", chosen, group, matched),
        lambda: themes_analysis.compare_periods(
            themed_items(snap), themed_sources(snap), chosen, group, matched
        ),
    )


# -- the documents listing --


def documents(source: Source, filters: DocumentFilters | None = None) -> list[Document]:
    """Stored reports and letters, newest first, those `filters` keep."""
    snap = read(source)
    chosen = filters or DocumentFilters()
    return snap.memo(("documents", chosen), lambda: [d for d in snap.documents if chosen.keep(d)])


def documents_table(source: Source, filters: DocumentFilters | None = None) -> rows.TableData:
    """The documents listing as a table (reports.rows.listing_table): what the web page
    downloads and /api/inspections answers."""
    snap = read(source)
    chosen = filters or DocumentFilters()
    return snap.memo(
        ("documents_table", chosen),
        lambda: rows.listing_table(documents(snap, chosen), snap.listing),
    )


def official_published(store: Store, stored: StoredResult) -> benchmarking.Facts | None:
    """One stored report's facts as the benchmarks count them (`Snapshot.dated_facts_of`),
    read for its council alone: its reports and the official rows of its URN, not the whole
    store (what `show` asks of one file)."""
    record = stored.result.record
    if not isinstance(record, InspectionRecord) or not record.council_urn:
        return None
    urn = record.council_urn
    mine = [
        (i.result.source.sha256, f)
        for i in store.inspections(council_urn=urn)
        if isinstance(i.result.record, InspectionRecord)
        and (f := benchmarking.facts_from_record(i.result.record, i.result.source.file_name))
    ]
    rows = [r for r in store.official_rows() if r.council_urn == urn]
    facts = [f for _, f in mine]
    dated = reconcile.with_official(reconcile.match(rows, facts), facts)
    return next(
        (d for (sha, _), d in zip(mine, dated, strict=True) if sha == stored.result.source.sha256),
        None,
    )
