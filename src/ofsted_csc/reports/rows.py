"""Every table row the package writes, in one place: a record, a fact, a position or a
count becomes a row (a dict of plain values: str, int, float, bool, date, None, lists of
str) only here.

- the export contract (`inspection_rows`, `recommendation_rows`, `letter_rows`) and Data to
  Insight's ILACS outcomes (`d2i_rows`), which `export` writes;
- the documents listing (`listing_row`, `listing_table`), which the web page shows and
  downloads and /api/inspections answers;
- lists by lead inspector (`inspector_table`, `inspector_led_table`);
- the benchmarks: the national picture (`picture_rows`), inspections in a period
  (`comparison_rows`), a council's profile (`history_rows`, `neighbour_rows`, `visit_rows`,
  `region_rows`, `profile_tables`) and every council's position (`council_rows`);
- the health check and reconciliation (`check_row`, `disagreement_row`,
  `check_disagreement_row`);
- themes (`theme_count_rows`, `theme_download_rows`, `recurring_rows`) and themes over time
  (`theme_comparison_table`, `theme_comparison_screen`);
- the forecast of each council's next graded inspection (`forecast_row`).

The CLI writes these rows as tables, CSV, JSON or XLSX (ofsted_csc.reports.exports), the web
app as HTML (ofsted_csc.web.tables) and JSON, from the same dicts. The export columns are
the contract (README, "Exports"); change them only with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ofsted_csc.analytics import benchmarking
from ofsted_csc.analytics.benchmarking import OFFICIAL_SOURCE
from ofsted_csc.analytics.changes import Change, Episode
from ofsted_csc.analytics.forecast import CouncilForecast
from ofsted_csc.analytics.health import CheckRow
from ofsted_csc.analytics.inspectors import InspectorList
from ofsted_csc.analytics.reconcile import Disagreement
from ofsted_csc.analytics.snapshot import Document, Snapshot
from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.frameworks import EXPORTED_AREAS, Area, Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.inspectors import Inspectors, merge_names
from ofsted_csc.domain.publications import OFSTED, known_file_id
from ofsted_csc.domain.records import InspectionRecord, JudgementStatus, LetterRecord
from ofsted_csc.storage.store import StoredResult

if TYPE_CHECKING:
    from ofsted_csc.storage.web import KnownPublication
    from ofsted_csc.themes import Taxonomy
    from ofsted_csc.themes.analysis import Comparison, Recurrence, ThemeCount

Row = dict[str, Any]


@dataclass(frozen=True)
class TableData:
    """A table: its name (a sheet's, a file's), columns in order, and rows."""

    name: str
    columns: tuple[str, ...]
    rows: list[Row]
    list_columns: tuple[str, ...] = ()  # cells holding lists (joined in CSV and XLSX)


# -- the export contract --

INSPECTION_COLUMNS: tuple[str, ...] = (
    "source_file",
    "sha256",
    "urn",
    "la_code",
    "council",
    "framework",
    "kind",
    "inspection_start",
    "inspection_end",
    "published",
    "published_source",
    "lead_inspector",
    "overall_effectiveness",
    "leadership",
    "help_and_protection",
    "in_care",
    "in_care_includes_care_leavers",
    "care_leavers",
    "adoption",
    "lscb",
    "recommendations",
    "parser_version",
    "link",
    "council_page",
)

RECOMMENDATION_COLUMNS: tuple[str, ...] = (
    "source_file",
    "sha256",
    "urn",
    "council",
    "inspection_start",
    "position",
    "scope",
    "priority",
    "text",
    "national_framework_outcome",
    "link",
    "council_page",
)

LETTER_COLUMNS: tuple[str, ...] = (
    "source_file",
    "sha256",
    "urn",
    "council",
    "kind",
    "letter_date",
    "visit_start",
    "visit_end",
    "lead_inspector",
    "theme",
    "priority_actions",
    "areas_for_improvement",
    "link",
    "council_page",
)

# Data to Insight's ILACS outcomes table (the summary its ILACS scrape tool publishes,
# github.com/data-to-insight/ofsted-ilacs-scrape-tool), so councils' existing workflows can
# switch. Layout `d2i`: one row per council, its latest ILACS inspection; `d2i-history`: one
# row per stored ILACS inspection, same columns. Standard and short inspections only (visits
# are letters). README, "Exports", says where each column comes from.
D2I_COLUMNS: tuple[str, ...] = (
    "urn",
    "la_code",
    "region_code",
    "ltla23cd",
    "stat_neighbours",
    "stat_neighbour_judgement",
    "local_authority",
    "inspection_link",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
    "inspection_framework",
    "inspector_name",
    "inspectors_inspections_count",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "local_link_to_all_inspections",
)
# overall_effectiveness_grade of an ILACS inspection under the April 2026 reform, which
# makes no overall effectiveness judgement.
D2I_NOT_REPORTED = "not_reported_post_reform"
# Joins the codes of stat_neighbours and the grades of stat_neighbour_judgement, as D2I's LA
# lookup writes its stat_neighbours ("308, 821, ...").
D2I_SEPARATOR = ", "


def _council(registry: CouncilRegistry, urn: str | None) -> Council | None:
    return registry.by_urn(urn) if urn else None


def _value(value: object) -> object:
    if isinstance(value, StrEnum):
        return value.value
    return value


# -- links: Ofsted's address of a document and of a council's page --

Listing = Callable[[str], "KnownPublication | None"]


def document_link(sha256: str | None, file_name: str | None, listing: Listing | None) -> str | None:
    """Ofsted's permanent address of a document (https://files.ofsted.gov.uk/v1/file/<id>)
    where its file id is known: from sync's record of Ofsted's listing (`Store.listing`), else
    from a file name that is Ofsted's file id (`50282103.pdf`, as sync names downloads). None
    otherwise: a link is never guessed."""
    known = listing(sha256) if listing is not None and sha256 else None
    file_id = known_file_id(known.file_id if known is not None else None, file_name)
    return OFSTED.file_url(file_id) if file_id else None


def council_page(urn: str | None) -> str | None:
    """The council's page on Ofsted's site, which lists all its inspections and visits (by
    its URN; None without one)."""
    return OFSTED.provider_url(urn) if urn else None


def _links(item: StoredResult, urn: str | None, listing: Listing | None) -> Row:
    source = item.result.source
    return {
        "link": document_link(source.sha256, source.file_name, listing),
        "council_page": council_page(urn),
    }


def inspection_rows(
    stored: Sequence[StoredResult], registry: CouncilRegistry, listing: Listing | None = None
) -> list[Row]:
    rows: list[Row] = []
    for item in stored:
        r = item.result.record
        assert isinstance(r, InspectionRecord)
        council = _council(registry, r.council_urn)
        row: Row = {
            "source_file": item.result.source.file_name,
            "sha256": item.result.source.sha256,
            "urn": r.council_urn,
            "la_code": council.la_code if council else None,
            "council": council.name if council else r.council_name_in_report,
            "framework": _value(r.framework),
            "kind": _value(r.kind),
            "inspection_start": r.inspection_start,
            "inspection_end": r.inspection_end,
            "published": r.published,
            "published_source": _value(r.published_source),
            "lead_inspector": r.lead_inspector,
        }
        for area in EXPORTED_AREAS:
            row[area.value] = r.export_value(area)
        row["in_care_includes_care_leavers"] = r.in_care_includes_care_leavers
        row["recommendations"] = len(r.recommendations)
        row["parser_version"] = item.result.parser_version
        row.update(_links(item, council.urn if council else r.council_urn, listing))
        rows.append({c: row[c] for c in INSPECTION_COLUMNS})
    return rows


def recommendation_rows(
    stored: Sequence[StoredResult], registry: CouncilRegistry, listing: Listing | None = None
) -> list[Row]:
    rows: list[Row] = []
    for item in stored:
        r = item.result.record
        assert isinstance(r, InspectionRecord)
        council = _council(registry, r.council_urn)
        links = _links(item, council.urn if council else r.council_urn, listing)
        for rec in r.recommendations:
            rows.append(
                {
                    "source_file": item.result.source.file_name,
                    "sha256": item.result.source.sha256,
                    "urn": r.council_urn,
                    "council": council.name if council else r.council_name_in_report,
                    "inspection_start": r.inspection_start,
                    "position": rec.position,
                    "scope": rec.scope.value,
                    "priority": _value(rec.priority),
                    "text": rec.text,
                    "national_framework_outcome": rec.national_framework_outcome,
                    **links,
                }
            )
    return rows


def letter_rows(
    stored: Sequence[StoredResult], registry: CouncilRegistry, listing: Listing | None = None
) -> list[Row]:
    rows: list[Row] = []
    for item in stored:
        r = item.result.record
        assert isinstance(r, LetterRecord)
        council = _council(registry, r.council_urn)
        rows.append(
            {
                "source_file": item.result.source.file_name,
                "sha256": item.result.source.sha256,
                "urn": r.council_urn,
                "council": council.name if council else r.council_name_in_report,
                "kind": _value(r.kind),
                "letter_date": r.letter_date,
                "visit_start": r.visit_start,
                "visit_end": r.visit_end,
                "lead_inspector": r.lead_inspector,
                "theme": r.theme,
                "priority_actions": list(r.priority_actions),
                "areas_for_improvement": list(r.areas_for_improvement),
                **_links(item, council.urn if council else r.council_urn, listing),
            }
        )
    return rows


_D2I_GRADES: dict[Grade, str] = {
    Grade.OUTSTANDING: "outstanding",
    Grade.GOOD: "good",
    Grade.REQUIRES_IMPROVEMENT: "requires improvement",
    Grade.INADEQUATE: "inadequate",
}
_D2I_KINDS = (Kind.STANDARD, Kind.SHORT)
# ltla23cd: a council's own GSS code is its lower-tier code when it is a unitary authority,
# metropolitan district or London borough that existed in 2023 (ONS's LAD 2023 codes). A
# county's lower tier is its districts, whose codes the registry does not hold.
_LOWER_TIER_PREFIXES = ("E06", "E08", "E09")
_LTLA23_DAY = date(2023, 12, 31)


@dataclass(frozen=True)
class _Ilacs:
    """One stored ILACS inspection with its council (None when the registry lacks it)."""

    item: StoredResult
    record: InspectionRecord
    council: Council | None

    @property
    def urn(self) -> str | None:
        return self.council.urn if self.council else self.record.council_urn

    @property
    def order(self) -> tuple[date, date, date]:
        """Later is more recent: by inspection start, then end, then publication."""
        r = self.record
        return (
            r.inspection_start or date.min,
            r.inspection_end or date.min,
            r.published or date.min,
        )

    @property
    def known_on(self) -> date:
        """The day its judgements were public (publication, else the last day on site)."""
        r = self.record
        return r.published or r.inspection_end or r.inspection_start or date.min


def _ilacs(stored: Sequence[StoredResult], registry: CouncilRegistry) -> list[_Ilacs]:
    """The standard and short ILACS inspections, oldest first."""
    found: list[_Ilacs] = []
    for item in stored:
        r = item.result.record
        if not isinstance(r, InspectionRecord) or r.framework is not Framework.ILACS:
            continue
        if r.kind not in _D2I_KINDS:
            continue
        found.append(_Ilacs(item, r, _council(registry, r.council_urn)))
    found.sort(key=lambda x: x.order)
    return found


def _d2i_grade(r: InspectionRecord, area: Area) -> str | None:
    if area is Area.OVERALL and r.edition is not None and not r.edition.has(Area.OVERALL):
        return D2I_NOT_REPORTED
    if r.edition is not None and not r.edition.has(area):
        return None  # e.g. care leavers before 2023: judged with children in care
    g = r.grade(area)
    return _D2I_GRADES.get(g) if g else None


def _ltla23(council: Council | None) -> str | None:
    if council is None or not council.exists_on(_LTLA23_DAY):
        return None
    return council.gss_code if council.gss_code.startswith(_LOWER_TIER_PREFIXES) else None


def _inspector(leads: Sequence[str]) -> str | None:
    """Lead inspectors' names as D2I writes them: lower case, single spaces; the names merged
    across their forms (domain.inspectors), two leads joined by "; "."""
    folded = "; ".join(" ".join(name.split()).lower() for name in leads)
    return folded or None


def _d2i_row(x: _Ilacs, listing: Listing | None, inspectors: Inspectors) -> Row:
    r, council = x.record, x.council
    return {
        "urn": x.urn,
        "la_code": council.la_code if council else None,
        "region_code": (council.ons_region or None) if council else None,
        "ltla23cd": _ltla23(council),
        "stat_neighbours": D2I_SEPARATOR.join(council.stat_neighbours) if council else None,
        "stat_neighbour_judgement": None,  # filled in by d2i_rows
        "local_authority": council.name if council else r.council_name_in_report,
        "inspection_link": document_link(
            x.item.result.source.sha256, x.item.result.source.file_name, listing
        ),
        "overall_effectiveness_grade": _d2i_grade(r, Area.OVERALL),
        "impact_of_leaders_grade": _d2i_grade(r, Area.LEADERSHIP),
        "help_and_protection_grade": _d2i_grade(r, Area.HELP_AND_PROTECTION),
        "in_care_grade": _d2i_grade(r, Area.IN_CARE),
        "care_leavers_grade": _d2i_grade(r, Area.CARE_LEAVERS),
        "inspection_framework": _value(r.kind),
        "inspector_name": _inspector(inspectors.leads(r.lead_inspector)),
        "inspectors_inspections_count": None,  # filled in by d2i_rows
        "inspection_start_date": r.inspection_start,
        "inspection_end_date": r.inspection_end,
        "publication_date": r.published,
        "local_link_to_all_inspections": council_page(x.urn),
    }


def d2i_rows(
    stored: Sequence[StoredResult],
    registry: CouncilRegistry,
    listing: Listing | None = None,
    *,
    history: bool = False,
    inspectors: Inspectors | None = None,
) -> list[Row]:
    """Data to Insight's ILACS outcomes table: each existing council's latest standard or
    short ILACS inspection, by council name; with `history`, every one of them, by council
    name and date. `listing` (`Store.listing`) gives the reports' Ofsted addresses.

    stat_neighbour_judgement: the overall effectiveness of each statistical neighbour's
    latest ILACS in the table (in the history, the latest published by the inspection's
    publication). inspector_name: the lead inspector, merged across the forms of the name by
    `inspectors` (`Snapshot.inspectors`; without it, by the names `stored` gives).
    inspectors_inspections_count: the table's rows that person led (with two leads, the
    first named)."""
    found = _ilacs(stored, registry)
    people = inspectors or merge_names(x.record.lead_inspector for x in found)
    by_council: dict[str, list[_Ilacs]] = {}
    for x in found:
        if x.urn:
            by_council.setdefault(x.urn, []).append(x)  # oldest first
    if history:
        chosen = found
    else:
        chosen = [
            xs[-1]
            for xs in by_council.values()
            if xs[-1].council is None or xs[-1].council.abolished is None
        ]
    rows: list[Row] = []
    for x in chosen:
        row = _d2i_row(x, listing, people)
        if x.council is not None and x.council.stat_neighbours:
            grades = []
            for code in x.council.stat_neighbours:
                neighbour = registry.by_code(code)
                theirs = by_council.get(neighbour.urn, []) if neighbour else []
                if history:
                    theirs = [t for t in theirs if t.known_on <= x.known_on]
                grade = _d2i_grade(theirs[-1].record, Area.OVERALL) if theirs else None
                grades.append(grade or "")
            row["stat_neighbour_judgement"] = D2I_SEPARATOR.join(grades)
        rows.append(row)
    leads = [_d2i_leads(row) for row in rows]
    led = Counter(name for names in leads for name in names)
    for row, names in zip(rows, leads, strict=True):
        row["inspectors_inspections_count"] = led[names[0]] if names else None
    rows.sort(
        key=lambda row: (
            (row["local_authority"] or "").lower(),
            row["urn"] or "",
            row["inspection_start_date"] or date.min,
        )
    )
    return rows


# -- judgements: tidy data, one row per inspection and judgement --

JUDGEMENT_COLUMNS: tuple[str, ...] = (
    "la_code",
    "gss_code",
    "urn",
    "council",
    "ons_region",
    "ofsted_region",
    "framework",
    "kind",
    "inspection_start",
    "inspection_end",
    "published",
    "published_source",
    "judgement",
    "grade",
    "source",
    "source_file",
    "sha256",
    "link",
    "council_page",
)
# Where a judgement row comes from (its `source`).
SOURCE_DOCUMENT = "document"
SOURCE_OFFICIAL = "official statistics"
SOURCES = (SOURCE_DOCUMENT, SOURCE_OFFICIAL)


def _inspection_cells(council: Council | None, urn: str | None, name: str | None) -> Row:
    return {
        "la_code": council.la_code if council else None,
        "gss_code": council.gss_code if council else None,
        "urn": council.urn if council else urn,
        "council": council.name if council else name,
        "ons_region": (council.ons_region or None) if council else None,
        "ofsted_region": (council.ofsted_region or None) if council else None,
    }


def judgement_rows(snap: Snapshot, registry: CouncilRegistry | None = None) -> list[Row]:
    """Every judgement of every inspection, one row each (JUDGEMENT_COLUMNS), from the
    snapshot's one reading of the documents and the official statistics: each stored
    report's judgements (graded, "not_judged", or not read: an empty grade), dated as the
    benchmarks date it (the official publication date wins); the official statistics' grade
    of a judgement the report does not give (a SIF report's LSCB grade, where Ofsted
    published the review apart), marked "official statistics"; then the inspections known
    only from the official statistics, marked so, with no document, link or (where the
    statistics give none) start. By council, date and judgement."""
    registry = registry or snap.registry
    groups: list[tuple[tuple[str, date, date, str], list[Row]]] = []
    for item in snap.inspections:
        r = item.result.record
        if not isinstance(r, InspectionRecord):
            continue
        source = item.result.source
        council = _council(registry, r.council_urn)
        facts = snap.dated_facts_of(source.sha256)
        official_date = facts is not None and facts.published_official
        base: Row = {
            **_inspection_cells(council, r.council_urn, r.council_name_in_report),
            "framework": _value(r.framework),
            "kind": _value(r.kind),
            "inspection_start": r.inspection_start,
            "inspection_end": r.inspection_end,
            "published": facts.published if facts and official_date else r.published,
            "published_source": "official_statistics"
            if official_date
            else _value(r.published_source),
            "source_file": source.file_name,
            "sha256": source.sha256,
            **_links(item, council.urn if council else r.council_urn, snap.listing),
        }
        rows: list[Row] = []
        for area in EXPORTED_AREAS:
            j = r.judgements.get(area)
            if j is not None and j.status is not JudgementStatus.NOT_IN_FRAMEWORK:
                rows.append(
                    {
                        **base,
                        "judgement": area.value,
                        "grade": j.export_value,
                        "source": SOURCE_DOCUMENT,
                    }
                )
            elif facts is not None and (g := facts.grades.get(area.value)) is not None:
                rows.append(
                    {**base, "judgement": area.value, "grade": g.value, "source": SOURCE_OFFICIAL}
                )
        day = r.inspection_start or base["published"] or date.min
        key = ((base["council"] or "").lower(), day, base["published"] or date.min, source.sha256)
        groups.append((key, rows))
    for f in snap.official_facts:
        council = _council(registry, f.council_urn)
        base = {
            **_inspection_cells(council, f.council_urn, None),
            "framework": f.framework.value,
            "kind": f.kind.value,
            "inspection_start": f.start if f.start_known else None,
            "inspection_end": f.end,
            "published": f.published,
            "published_source": f.published_source,
            "source_file": f.source.removeprefix(OFFICIAL_SOURCE),
            "sha256": None,
            "link": None,  # the official statistics give no file id
            "council_page": council_page(council.urn if council else f.council_urn),
        }
        rows = [
            {**base, "judgement": j, "grade": f.grades[j].value, "source": SOURCE_OFFICIAL}
            for j in JUDGEMENTS
            if j in f.grades
        ]
        key = ((base["council"] or "").lower(), f.start, f.published or f.start, f.source)
        groups.append((key, rows))
    groups.sort(key=lambda g: g[0])
    return [{c: row[c] for c in JUDGEMENT_COLUMNS} for _, rows in groups for row in rows]


def _d2i_leads(row: Row) -> list[str]:
    return row["inspector_name"].split("; ") if row["inspector_name"] else []


# -- the documents listing --

JUDGEMENTS = benchmarking.JUDGEMENTS
LISTING_COLUMNS: tuple[str, ...] = (
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
    "link",
    "council_page",
)


def listing_row(doc: Document, listing: Listing | None = None) -> Row:
    """A stored report or letter as the listing shows it: what the page shows and the
    download writes."""
    out: Row = {
        "council": doc.council_name,
        "la_code": doc.council.la_code if doc.council else None,
        "region": doc.council.ons_region if doc.council else None,
        "framework": doc.framework.value if doc.framework else None,
        "kind": doc.kind.value if doc.kind else None,
        "start": doc.start,
        "end": doc.end,
        "published": doc.published,
    }
    for j in JUDGEMENTS:
        g = doc.grades.get(j)
        out[j] = g.value if g else None
    out["lead_inspector"] = "; ".join(doc.leads) or doc.lead_inspector
    out["recommendations"] = (
        len(doc.priority_actions) + len(doc.areas_for_improvement)
        if doc.is_letter
        else len(doc.recommendations)
    )
    out["file_name"] = doc.file_name
    out["sha256"] = doc.sha256
    out["link"] = document_link(doc.sha256, doc.file_name, listing)
    out["council_page"] = council_page(doc.council.urn if doc.council else None)
    return out


def listing_table(docs: Iterable[Document], listing: Listing | None = None) -> TableData:
    """The listing's rows (the web page's download, /api/inspections); `listing`
    (`Snapshot.listing`) gives the documents' Ofsted addresses."""
    return TableData(
        "inspections-and-visits", LISTING_COLUMNS, [listing_row(d, listing) for d in docs]
    )


# -- lists by lead inspector (analytics.inspectors): lists, never rankings --

INSPECTOR_COLUMNS: tuple[str, ...] = (
    "inspector",
    "written_as",
    "inspections",
    "visits",
    "first",
    "last",
)
INSPECTOR_LED_COLUMNS: tuple[str, ...] = (
    "inspector",
    "council",
    "la_code",
    "start",
    "end",
    "published",
    "framework",
    "kind",
    "led_with",
    "file_name",
    "sha256",
)


def inspector_table(lists: Iterable[InspectorList]) -> TableData:
    """Every lead inspector, in order of surname, with how many inspections and visits each
    led and the forms of the name merged (no grades: domain.inspectors.INSPECTORS_NOTE)."""
    rows = [
        {
            "inspector": x.name,
            "written_as": list(x.forms),
            "inspections": x.inspections,
            "visits": x.visits,
            "first": x.first,
            "last": x.last,
        }
        for x in lists
    ]
    return TableData("inspectors", INSPECTOR_COLUMNS, rows, list_columns=("written_as",))


def inspector_led_table(lists: Iterable[InspectorList]) -> TableData:
    """The inspections and visits each inspector led, oldest first: council, dates, kind."""
    rows = [
        {
            "inspector": x.name,
            "council": d.council_name,
            "la_code": d.council.la_code if d.council else None,
            "start": d.start,
            "end": d.end,
            "published": d.published,
            "framework": d.framework.value if d.framework else ("visit" if d.is_letter else None),
            "kind": d.kind.value if d.kind else None,
            "led_with": [n for n in d.leads if n != x.name],
            "file_name": d.file_name,
            "sha256": d.sha256,
        }
        for x in lists
        for d in x.documents
    ]
    return TableData("inspector", INSPECTOR_LED_COLUMNS, rows, list_columns=("led_with",))


# -- benchmarks --

PICTURE_COLUMNS: tuple[str, ...] = ("judgement", "grade", "count", "percent", "total")


def grade_rows(rows: Iterable[benchmarking.PictureRow]) -> list[Row]:
    """A picture's counts: judgement, grade, count, percent, total."""
    return [
        {
            "judgement": r.judgement,
            "grade": r.grade,
            "count": r.count,
            "percent": r.percent,
            "total": r.total,
        }
        for r in rows
    ]


def picture_title(picture: benchmarking.Picture) -> str:
    """What a picture's table counts, in words: its place, dates and counting."""
    where = f" in {picture.region}" if picture.region else ""
    head = f"National picture{where} as at {picture.as_at} ({picture.reports_counted})"
    if not picture.round:
        return (
            f"{head}, councils by their latest graded inspection: "
            f"{picture.inspected} of {picture.councils} councils inspected"
        )
    name = picture.round.upper()
    councils = f"{picture.inspected} of {picture.councils} councils"
    if picture.counting == benchmarking.INSPECTIONS:
        again = picture.inspections - picture.inspected
        return (
            f"{head}, {name} round: {picture.inspections} inspections published "
            f"({councils}; {again} re-inspection{'' if again == 1 else 's'} included)"
        )
    return f"{head}, {name} round: {councils}, each by its latest inspection in the round"


def picture_rows(picture: benchmarking.Picture) -> list[Row]:
    """The table of `national`: judgement, grade, count, percent, total."""
    return grade_rows(picture.rows)


def reinspection_rows(picture: benchmarking.Picture) -> list[Row]:
    """A framework round's later inspections (re-inspections), as `picture_rows`."""
    return grade_rows(picture.reinspections)


COMPARISON_COLUMNS: tuple[str, ...] = (
    "council",
    "urn",
    "region",
    "framework",
    "kind",
    "inspection_start",
    "inspection_end",
    "published",
    "published_source",
    *JUDGEMENTS,
    "source",
    "link",
    "council_page",
)


def comparison_rows(facts: Iterable[benchmarking.Facts], registry: CouncilRegistry) -> list[Row]:
    """Graded inspections (benchmarking.inspections_between), council by judgement."""
    rows: list[Row] = []
    for f in facts:
        council = registry.by_urn(f.council_urn)
        row: Row = {
            "council": council.name if council else f.council_urn,
            "urn": f.council_urn,
            "region": council.ons_region if council else None,
            "framework": f.framework.value,
            "kind": f.kind.value,
            "inspection_start": f.start,
            "inspection_end": f.end,
            "published": f.published,
            "published_source": f.published_source,
        }
        for judgement in JUDGEMENTS:
            g = f.grades.get(judgement)
            row[judgement] = g.value if g else None
        row["source"] = f.source
        row["link"] = fact_link(f)
        row["council_page"] = council_page(council.urn if council else f.council_urn)
        rows.append(row)
    return rows


# A council profile's tables (`profile_tables`): every column each may have, in order.
HISTORY_COLUMNS: tuple[str, ...] = (
    "framework",
    "kind",
    "inspection_start",
    "start_known",
    "published",
    *JUDGEMENTS,
    "overall_change",  # not on an LSCB review's row
    "source",
    "link",
)
VISIT_COLUMNS: tuple[str, ...] = (
    "kind",
    "visit_start",
    "theme",
    "priority_actions",
    "areas_for_improvement",
    "source",
    "link",
)
NEIGHBOUR_COLUMNS: tuple[str, ...] = (
    "neighbour",
    "la_code",
    "latest_inspection",
    "framework",
    *JUDGEMENTS,
)
STATEMENT_COLUMNS: tuple[str, ...] = ("statement",)
TRANSITION_COLUMNS: tuple[str, ...] = (
    "framework",
    "previous",
    *(g.value for g in Grade),
    "total",
)  # the grades that occur, in this order (analytics.changes.transition_table)


def history_rows(profile: benchmarking.Profile) -> list[Row]:
    """The profile's inspections as table rows, with the change per judgement."""
    rows: list[Row] = []
    prev: benchmarking.Facts | None = None
    for f in profile.history:
        row: Row = {
            "framework": f.framework.value,
            "kind": f.kind.value,
            "inspection_start": f.start,
            "start_known": f.start_known,  # False: official statistics give only publication
            "published": f.published,
        }
        for j in JUDGEMENTS:
            g = f.grades.get(j)
            row[j] = g.value if g else None
        if not f.is_lscb_only:
            row["overall_change"] = (
                benchmarking.change(
                    prev.grades.get(Area.OVERALL.value), f.grades.get(Area.OVERALL.value)
                )
                if prev
                else None
            )
            prev = f
        row["source"] = f.source
        row["link"] = fact_link(f)
        rows.append(row)
    return rows


def fact_link(f: benchmarking.Facts) -> str | None:
    """Ofsted's address of the report an inspection's facts were read from, where its file
    name is Ofsted's file id (None for the official statistics' rows, which give none)."""
    return None if f.is_official else document_link(None, f.source, None)


def _latest_grades(p: benchmarking.Position) -> Row:
    return {j: (g.value if (g := p.grade(j)) else None) for j in JUDGEMENTS}


def neighbour_rows(positions: Iterable[benchmarking.Position]) -> list[Row]:
    """Statistical neighbours with their latest inspection and grades."""
    return [
        {
            "neighbour": p.council.name,
            "la_code": p.council.la_code,
            "latest_inspection": p.latest.start if p.latest else None,
            "framework": p.latest.framework.value if p.latest else None,
            **_latest_grades(p),
        }
        for p in positions
    ]


COUNCIL_COLUMNS: tuple[str, ...] = (
    "name",
    "la_code",
    "gss_code",
    "urn",
    "ons_region",
    "ofsted_region",
    "latest_inspection",
    "framework",
    *JUDGEMENTS,
    "latest_link",
    "council_page",
)


def council_rows(positions: Iterable[benchmarking.Position]) -> list[Row]:
    """Councils with their latest graded inspection and its grades (/api/councils)."""
    return [
        {
            "name": p.council.name,
            "la_code": p.council.la_code,
            "gss_code": p.council.gss_code,
            "urn": p.council.urn,
            "ons_region": p.council.ons_region,
            "ofsted_region": p.council.ofsted_region,
            "latest_inspection": p.latest.start if p.latest else None,
            "framework": p.latest.framework.value if p.latest else None,
            **_latest_grades(p),
            "latest_link": fact_link(p.latest) if p.latest else None,
            "council_page": council_page(p.council.urn),
        }
        for p in positions
    ]


def visit_rows(visits: Iterable[StoredResult]) -> list[Row]:
    """Stored visit letters: kind, start, theme, how many actions and areas, file."""
    return [
        {
            "kind": r.kind.value if r.kind else None,
            "visit_start": r.visit_start,
            "theme": r.theme,
            "priority_actions": len(r.priority_actions),
            "areas_for_improvement": len(r.areas_for_improvement),
            "source": v.result.source.file_name,
            "link": document_link(v.result.source.sha256, v.result.source.file_name, None),
        }
        for v in visits
        if isinstance(r := v.result.record, LetterRecord)
    ]


def region_rows(picture: benchmarking.Picture) -> list[Row]:
    """A region's picture of overall effectiveness (a profile's region)."""
    return [r for r in picture_rows(picture) if r["judgement"] == "overall_effectiveness"]


def profile_tables(
    profile: benchmarking.Profile, visits: Sequence[StoredResult]
) -> dict[str, list[Row]]:
    """A council profile's tables (what `council -o` writes): inspections, visits,
    neighbours, region, statements."""
    return {
        "inspections": history_rows(profile),
        "visits": visit_rows(visits),
        "neighbours": neighbour_rows(profile.neighbours),
        "region": region_rows(profile.region_picture),
        "statements": [{"statement": line} for line in profile.statements],
    }


# -- the forecast of the next graded inspection --

FORECAST_COLUMNS: tuple[str, ...] = (
    "as_at",
    "council",
    "la_code",
    "gss_code",
    "urn",
    "ons_region",
    "last_inspection_start",
    "last_start_estimated",
    "last_inspection_kind",
    "last_grade",
    "months_since_last",
    "visits_since_last",
    "horizon_days",
    "p_graded_inspection",
    "expected_kind",
    "window_start",
    "median_start",
    "window_end",
    "judgement",
    "p_outstanding",
    "p_good",
    "p_requires_improvement",
    "p_inadequate",
    "reasons",
)
# What the screen table shows (the other columns are in --format csv, json and xlsx).
FORECAST_SCREEN_COLUMNS: tuple[str, ...] = (
    "council",
    "last_inspection_start",
    "last_grade",
    "p_graded_inspection",
    "expected_kind",
    "window_start",
    "window_end",
    "judgement",
    "p_outstanding",
    "p_good",
    "p_requires_improvement",
    "p_inadequate",
)


def forecast_row(f: CouncilForecast) -> Row:
    """One council's forecast (probabilities to three places, the reasons joined by "; ")."""
    c, last = f.council, f.last
    return {
        "as_at": f.as_at,
        "council": c.name,
        "la_code": c.la_code,
        "gss_code": c.gss_code,
        "urn": c.urn,
        "ons_region": c.ons_region,
        "last_inspection_start": last.start if last else None,
        "last_start_estimated": last.start_estimated if last else None,
        "last_inspection_kind": last.facts.kind.value if last else None,
        "last_grade": f.last_grade.value if f.last_grade else None,
        "months_since_last": round(f.waited_days / (365.25 / 12)) if last else None,
        "visits_since_last": len(f.visits_since),
        "horizon_days": f.horizon_days,
        "p_graded_inspection": round(f.p_inspection, 3),
        "expected_kind": f.expected_kind.value,
        "window_start": f.window_start,
        "median_start": f.median_start,
        "window_end": f.window_end,
        "judgement": f.judgement,
        **{f"p_{g.value}": round(p, 3) for g, p in f.probabilities.items()},
        "reasons": "; ".join(f.reasons),
    }


# -- the health check and reconciliation --

CHECK_COLUMNS: tuple[str, ...] = (
    "framework",
    "year",
    "stored",
    "review",
    "refused",
    "not_read",
    "not_judged",
)


def _columns_of(item: object, columns: Sequence[str]) -> Row:
    """A record whose fields are named as the columns, as a row in the columns' order."""
    return {c: getattr(item, c) for c in columns}


def check_row(r: CheckRow) -> Row:
    """Documents of one framework (or letters) and year, as the check counts them."""
    return _columns_of(r, CHECK_COLUMNS)


DISAGREEMENT_COLUMNS: tuple[str, ...] = (
    "council",
    "urn",
    "official",
    "report",
    "field",
    "report_value",
    "official_value",
    "reason",
)


def disagreement_row(d: Disagreement) -> Row:
    """A field on which a report and its official row differ (`reconcile`)."""
    return _columns_of(d, DISAGREEMENT_COLUMNS)


def check_disagreement_row(d: Disagreement) -> Row:
    """A disagreement as `check` lists it (`reconcile` says why)."""
    return {
        "council": d.council,
        "file": d.report,
        "field": d.field,
        "report": d.report_value,
        "official": d.official_value,
    }


# -- themes --


def theme_count_rows(counts: Iterable[ThemeCount], taxonomy: Taxonomy) -> list[Row]:
    """Themes, most common first, as `themes counts` writes them (share as a percentage)."""
    return [
        {
            "theme": c.theme,
            "name": taxonomy.get(c.theme).name,
            "inspections_and_visits": c.sources,
            "share": f"{c.share:.0%}",
            "items": c.items,
            "councils": c.councils,
        }
        for c in counts
    ]


THEME_DOWNLOAD_COLUMNS: tuple[str, ...] = (
    "theme",
    "name",
    "group",
    "inspections_and_visits",
    "share",
    "items",
    "councils",
)


def theme_download_rows(counts: Iterable[ThemeCount], taxonomy: Taxonomy) -> TableData:
    """Themes as the web page downloads them (with the group; share as a fraction)."""
    rows: list[Row] = []
    for c in counts:
        t = taxonomy.get(c.theme)
        rows.append(
            {
                "theme": c.theme,
                "name": t.name,
                "group": t.group_name,
                "inspections_and_visits": c.sources,
                "share": f"{c.share:.3f}",
                "items": c.items,
                "councils": c.councils,
            }
        )
    return TableData("themes", THEME_DOWNLOAD_COLUMNS, rows)


def theme_comparison_table(comparisons: Iterable[Comparison], taxonomy: Taxonomy) -> TableData:
    """Themes over time, the periods side by side (`themes compare` and the web page's
    download): for each group and theme, each period's inspections (or visits) with the
    theme, the period's base, their share (a fraction) and the items with the theme; then the
    change of share from the first period to the last, in percentage points."""
    rows: list[Row] = []
    columns: tuple[str, ...] = ("group", "theme", "name", "theme_group")
    for c in comparisons:
        labels = [p.label for p in c.periods]
        mine = ["group", "theme", "name", "theme_group"]
        for label in labels:
            mine += [f"{label}_with_theme", f"{label}_base", f"{label}_share", f"{label}_items"]
        mine.append("change_points")
        columns = tuple(dict.fromkeys((*columns, *mine)))
        for r in c.rows:
            t = taxonomy.get(r.theme)
            row: Row = {
                "group": c.group,
                "theme": r.theme,
                "name": t.name,
                "theme_group": t.group_name,
            }
            for label, cell in zip(labels, r.cells, strict=True):
                row[f"{label}_with_theme"] = cell.sources
                row[f"{label}_base"] = cell.base
                row[f"{label}_share"] = None if cell.share is None else round(cell.share, 3)
                row[f"{label}_items"] = cell.items
            row["change_points"] = r.change
            rows.append(row)
    for row in rows:
        for column in columns:
            row.setdefault(column, None)
    return TableData("theme_comparison", columns, rows)


def theme_comparison_screen(comparison: Comparison, taxonomy: Taxonomy) -> tuple[str, list[Row]]:
    """One group's comparison as the screen shows it: a title with each period's base and
    items per inspection, and rows of "34% (21 of 62)" cells."""
    counted = comparison.counted
    parts = []
    for b in comparison.bases:
        per = b.items_per_source
        each = f", {per:.1f} items each" if per is not None else ""
        parts.append(f"{b.period.label}: {b.sources} {counted}{each}")
    title = f"{comparison.label}: {'; '.join(parts)}"
    rows: list[Row] = []
    for r in comparison.rows:
        row: Row = {"theme": taxonomy.get(r.theme).name}
        for p, cell in zip(comparison.periods, r.cells, strict=True):
            row[p.label] = cell.text(counted)
        row["change"] = "" if r.change is None else f"{r.change:+.0f} points"
        rows.append(row)
    return title, rows


def recurring_rows(recurring: Iterable[Recurrence]) -> list[Row]:
    """Themes found at one inspection of a council and again at the next."""
    rows: list[Row] = []
    for r in recurring:
        for earlier, later, ts in r.pairs:
            rows.append(
                {
                    "council": r.council_name,
                    "earlier": f"{earlier.start:%Y-%m} {earlier.kind}",
                    "later": f"{later.start:%Y-%m} {later.kind}",
                    "recurring": ", ".join(ts),
                }
            )
    return rows


# -- change over time (analytics.changes) --

CHANGE_COLUMNS: tuple[str, ...] = (
    "council",
    "la_code",
    "gss_code",
    "ons_region",
    "ofsted_region",
    "judgement",
    "framework_before",
    "kind_before",
    "start_before",
    "published_before",
    "grade_before",
    "framework_after",
    "kind_after",
    "start_after",
    "published_after",
    "grade_after",
    "months_between",
    "change",
    "source_before",
    "source_after",
)

EPISODE_COLUMNS: tuple[str, ...] = (
    "council",
    "la_code",
    "gss_code",
    "ons_region",
    "ofsted_region",
    "judgement",
    "inadequate_start",
    "inadequate_published",
    "inadequate_framework",
    "reached_start",
    "reached_published",
    "reached_framework",
    "grade_reached",
    "inspections_between",
    "months",
    "status",
)


def _council_cells(c: Council) -> Row:
    return {
        "council": c.name,
        "la_code": c.la_code,
        "gss_code": c.gss_code,
        "ons_region": c.ons_region,
        "ofsted_region": c.ofsted_region,
    }


def change_row(c: Change) -> Row:
    """One pair of a council's inspections in a row (CHANGE_COLUMNS)."""
    return {
        **_council_cells(c.council),
        "judgement": c.judgement,
        "framework_before": c.before.framework.value,
        "kind_before": c.before.kind.value,
        "start_before": c.before.start,
        "published_before": c.before.published,
        "grade_before": c.grade_before.value,
        "framework_after": c.after.framework.value,
        "kind_after": c.after.kind.value,
        "start_after": c.after.start,
        "published_after": c.after.published,
        "grade_after": c.grade_after.value,
        "months_between": c.months,
        "change": c.direction,
        "source_before": c.before.source,
        "source_after": c.after.source,
    }


def episode_row(e: Episode) -> Row:
    """One improvement episode (EPISODE_COLUMNS): "closed" when the council reached good or
    better, else "open" (months so far)."""
    reached = e.reached
    return {
        **_council_cells(e.council),
        "judgement": e.judgement,
        "inadequate_start": e.inadequate.start,
        "inadequate_published": e.inadequate.published,
        "inadequate_framework": e.inadequate.framework.value,
        "reached_start": reached.start if reached else None,
        "reached_published": reached.published if reached else None,
        "reached_framework": reached.framework.value if reached else None,
        "grade_reached": e.grade_reached.value if e.grade_reached else None,
        "inspections_between": e.inspections_between,
        "months": e.months,
        "status": "closed" if reached else "open",
    }
