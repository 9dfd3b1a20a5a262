"""The data dictionary: every column of every export, its values and what they mean, kept
as data here and nowhere else.

It is written out three ways: docs/data-dictionary.md (`markdown`; a test checks the file
is up to date: regenerate it with `python -m ofsted_csc.reports.dictionary >
docs/data-dictionary.md`), the "Data dictionary" sheet of every XLSX export (`sheet_rows`),
and read by tests, which check that every column an export writes is described here.

A column's meaning is given once by name (`COLUMNS`); an export whose column means
something else says so in its own entries (`Export.own`). The values of grades,
frameworks, kinds and the like are read from the domain's enums and labels, so they are
Ofsted's wording as ofsted-csc keeps it (ofsted_csc.domain.grades, .frameworks).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ofsted_csc.analytics.benchmarking import DECLINED, IMPROVED, NOT_INSPECTED, SAME
from ofsted_csc.domain.frameworks import (
    EXPORTED_AREAS,
    FRAMEWORK_LABELS,
    JUDGEMENT_LABELS,
    KIND_LABELS,
    Area,
    Framework,
    Kind,
)
from ofsted_csc.domain.grades import GRADE_LABELS, NOT_JUDGED, Grade
from ofsted_csc.domain.publications import OFSTED
from ofsted_csc.domain.records import Priority, PublishedSource, Scope
from ofsted_csc.reports import rows
from ofsted_csc.reports.rows import TableData

SHEET_NAME = "Data dictionary"
SHEET_COLUMNS = ("column", "meaning", "values")


@dataclass(frozen=True)
class Column:
    """What a column holds (`meaning`) and the values it takes (`values`; empty: any text,
    as the meaning says)."""

    meaning: str
    values: str = ""


@dataclass(frozen=True)
class Export:
    """One table ofsted-csc writes: its name, how to get it, and its columns in order."""

    name: str  # unique in the dictionary
    title: str
    how: str  # the command, page or function that writes it
    about: str
    columns: tuple[str, ...]  # every column it may have, in order
    own: Mapping[str, Column] = field(default_factory=dict)  # this table's own meanings
    table: str = ""  # the table's own name (its sheet's), where it is not `name`

    @property
    def table_name(self) -> str:
        return self.table or self.name

    def column(self, name: str) -> Column:
        """The meaning of one of its columns (KeyError for a column not described)."""
        return self.own.get(name) or COLUMNS[name]


def _listed(values: Iterable[tuple[str, str]]) -> str:
    return "; ".join(f"`{v}`: {label}" for v, label in values)


def _enum(enum: Iterable[StrEnum], labels: Mapping[Any, str]) -> str:
    return _listed((e.value, labels[e]) for e in enum)


GRADES = _enum(Grade, {**GRADE_LABELS, Grade.ADEQUATE: "Adequate (before 2013)"})
JUDGEMENT_GRADES = (
    f"{GRADES}; `{NOT_JUDGED}`: the report says the judgement was not made (“Not judged”); "
    "empty: the judgement is not part of the inspection's framework, or its grade could not "
    "be read"
)
FRAMEWORKS = _enum(Framework, FRAMEWORK_LABELS)
INSPECTION_KINDS = _enum([k for k in Kind if not k.is_letter], KIND_LABELS)
LETTER_KINDS = _enum([k for k in Kind if k.is_letter], KIND_LABELS)
KINDS = _enum(Kind, KIND_LABELS)
JUDGEMENT_NAMES = _enum([Area(j) for j in rows.JUDGEMENTS], JUDGEMENT_LABELS)
PUBLISHED_SOURCES = _listed(
    [
        (PublishedSource.REPORT.value, "stated in the report"),
        (PublishedSource.PDF_METADATA.value, "estimated from the PDF's metadata"),
        (PublishedSource.WEB_LISTING.value, "from Ofsted's web listing of the report"),
        (PublishedSource.CORRECTION.value, "set by a recorded correction"),
        ("official_statistics", "from Ofsted's official statistics"),
    ]
)
DATE = "a date, YYYY-MM-DD; empty when not known"
COUNT = "a whole number"
BOOLEAN = "true or false; empty when it does not apply"
FILE_LINK = f"{OFSTED.file_url('<file id>')}; empty when the file id is not known (never guessed)"
COUNCIL_PAGE = f"{OFSTED.provider_url('<URN>')}; empty without a URN"
REGIONS = "one of England's nine regions (ONS names); empty when the council is not known"
PROBABILITY = "a number from 0 to 1, to three places"
CHANGES = _listed(
    [
        (IMPROVED, "a better grade"),
        (SAME, "the same grade (adequate ranks with requires improvement)"),
        (DECLINED, "a worse grade"),
    ]
)


def _judgement_column(area: Area) -> Column:
    return Column(
        f"The grade of the judgement “{JUDGEMENT_LABELS[area]}” ({area.value}) as the report "
        "gives it.",
        JUDGEMENT_GRADES,
    )


def _latest_grade(area: Area) -> Column:
    return Column(
        f"The grade of “{JUDGEMENT_LABELS[area]}” at the latest graded inspection.", GRADES
    )


# -- every column, by name --

COLUMNS: dict[str, Column] = {
    # documents
    "source_file": Column("The file name of the stored report or letter."),
    "file_name": Column("The file name of the stored report or letter."),
    "sha256": Column(
        "The SHA-256 of the document's file: the store's key for it.",
        "64 hexadecimal characters; empty where no document holds the row",
    ),
    "parser_version": Column("The version of ofsted-csc's reader that read the document."),
    "link": Column(
        "Ofsted's permanent address of the document's file, where its file id is known: from "
        "sync's record of Ofsted's listing, or from a file name that is Ofsted's file id "
        "(50282103.pdf). The official statistics give no file ids.",
        FILE_LINK,
    ),
    "council_page": Column(
        "The council's page on Ofsted's site, listing all its inspections and visits.",
        COUNCIL_PAGE,
    ),
    # councils
    "urn": Column(
        "Ofsted's unique reference number of the council's children's services.",
        "digits; empty when the council is not known",
    ),
    "la_code": Column(
        "The council's three-digit local authority code (DfE).",
        "three digits; empty when the council is not known",
    ),
    "gss_code": Column(
        "The council's GSS (ONS) code.", "E06…, E08…, E09…, E10…; empty when not known"
    ),
    "council": Column(
        "The council's name (the registry's; the report's own wording when the council is "
        "not matched)."
    ),
    "ons_region": Column("The council's region (ONS).", REGIONS),
    "ofsted_region": Column(
        "The council's Ofsted region.", "Ofsted's eight regions; empty when not known"
    ),
    "region": Column("The council's region (ONS).", REGIONS),
    "name": Column("The council's name."),
    "neighbour": Column("A statistical neighbour's name."),
    # the inspection
    "framework": Column("The inspection framework.", FRAMEWORKS),
    "kind": Column("The kind of inspection or visit.", KINDS),
    "inspection_start": Column("The first day of the inspection on site.", DATE),
    "inspection_end": Column("The last day of the inspection on site.", DATE),
    "start": Column("The first day of the inspection or visit on site.", DATE),
    "end": Column("The last day of the inspection or visit on site.", DATE),
    "published": Column("The day the report was published.", DATE),
    "published_source": Column("Where the publication date comes from.", PUBLISHED_SOURCES),
    "lead_inspector": Column("The lead inspector named in the document."),
    "in_care_includes_care_leavers": Column(
        "Whether the judgement on children in care covers care leavers too (ILACS before "
        "2023, when care leavers were judged with children in care).",
        BOOLEAN,
    ),
    "recommendations": Column(
        "How many recommendations the report makes (in the listing: for a letter, its "
        "priority actions and areas for improvement).",
        COUNT,
    ),
    **{a.value: _judgement_column(a) for a in Area if a.value in rows.JUDGEMENTS},
    # recommendations
    "position": Column("The recommendation's place in the report, from 1.", COUNT),
    "scope": Column(
        "Whom the recommendation is for.",
        _listed(
            [
                (Scope.LOCAL_AUTHORITY.value, "the local authority"),
                (Scope.LSCB.value, "the Local Safeguarding Children Board"),
            ]
        ),
    ),
    "priority": Column(
        "How the report ranks the recommendation (ILACS).",
        _listed(
            [
                (Priority.PRIORITY_ACTION.value, "a priority action"),
                (Priority.AREA_FOR_IMPROVEMENT.value, "an area for improvement"),
            ]
        )
        + "; empty: not ranked",
    ),
    "text": Column("The recommendation's words, as the report gives them."),
    "national_framework_outcome": Column(
        "The National Framework outcome the recommendation names, if any."
    ),
    # letters
    "letter_date": Column("The date of the letter.", DATE),
    "visit_start": Column("The first day of the visit.", DATE),
    "visit_end": Column("The last day of the visit.", DATE),
    "theme": Column("What the visit looked at, as the letter says."),
    "priority_actions": Column(
        "The letter's priority actions (CSV and XLSX: one a line in the cell; JSON and "
        "Parquet: a list)."
    ),
    "areas_for_improvement": Column(
        "The letter's areas for improvement (CSV and XLSX: one a line in the cell; JSON and "
        "Parquet: a list)."
    ),
    # judgements
    "judgement": Column("The judgement.", JUDGEMENT_NAMES),
    "grade": Column("The judgement's grade.", JUDGEMENT_GRADES),
    "source": Column(
        "Where the row comes from.",
        _listed(
            [
                (rows.SOURCE_DOCUMENT, "a stored report"),
                (rows.SOURCE_OFFICIAL, "Ofsted's official statistics"),
            ]
        ),
    ),
}

# -- the exports --

_D2I_GRADE = _enum(
    [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE],
    GRADE_LABELS,
).replace("requires_improvement", "requires improvement")


def _d2i_grade(area: Area) -> Column:
    return Column(
        f"The grade of “{JUDGEMENT_LABELS[area]}”, in Data to Insight's spelling.",
        _D2I_GRADE + "; empty: not judged apart at that inspection",
    )


EXPORTS: tuple[Export, ...] = (
    Export(
        "inspections",
        "Inspections",
        "`ofsted-csc export inspections`; api.table(store, 'inspections'); web /exports/inspections",
        "One row per stored inspection report.",
        rows.INSPECTION_COLUMNS,
        {"kind": Column("The kind of inspection.", INSPECTION_KINDS)},
    ),
    Export(
        "recommendations",
        "Recommendations",
        "`ofsted-csc export recommendations`; web /exports/recommendations",
        "One row per recommendation of a stored inspection report.",
        rows.RECOMMENDATION_COLUMNS,
    ),
    Export(
        "letters",
        "Letters",
        "`ofsted-csc export letters`; web /exports/letters",
        "One row per stored visit letter (focused and monitoring visits: ungraded).",
        rows.LETTER_COLUMNS,
        {
            "kind": Column("The kind of visit.", LETTER_KINDS),
            "lead_inspector": Column("The lead inspector named in the letter."),
        },
    ),
    Export(
        "judgements",
        "Judgements",
        "`ofsted-csc export judgements`; api.table(store, 'judgements'); web /exports/judgements",
        "Tidy data: one row per inspection and judgement made, from the stored reports and "
        "the official statistics read together. A report's row gives what the report says; "
        "where the official statistics date the report, `published` is their date. "
        "Inspections known only from the official statistics are included (source "
        f"`{rows.SOURCE_OFFICIAL}`, no document, no link). A SIF report without its LSCB "
        "grade (Ofsted published the review apart) has the official statistics' LSCB grade, "
        f"marked `{rows.SOURCE_OFFICIAL}`. Letters make no judgements and are not here.",
        rows.JUDGEMENT_COLUMNS,
        {
            "kind": Column("The kind of inspection.", INSPECTION_KINDS),
            "inspection_start": Column(
                "The first day of the inspection on site; empty where only the official "
                "statistics know the inspection and give no start.",
                DATE,
            ),
            "source_file": Column(
                "The report's file name; for an inspection known only from the official "
                "statistics, the spreadsheet and row it was read from."
            ),
            "grade": Column(
                "The judgement's grade.",
                f"{GRADES}; `{NOT_JUDGED}`: the report says “Not judged”; empty: the "
                "report makes the judgement but its grade could not be read",
            ),
        },
    ),
    Export(
        "d2i",
        "Data to Insight's ILACS outcomes",
        "`ofsted-csc export inspections --layout d2i` (each council's latest ILACS) or "
        "`--layout d2i-history` (every ILACS inspection)",
        "Data to Insight's ILACS outcomes table (github.com/data-to-insight/"
        "ofsted-ilacs-scrape-tool), standard and short ILACS inspections only.",
        rows.D2I_COLUMNS,
        {
            "region_code": Column("The council's region (ONS).", REGIONS),
            "ltla23cd": Column(
                "The council's lower-tier (LAD 2023) code: its own GSS code if a unitary "
                "authority, metropolitan district or London borough that existed in 2023.",
                "E06…, E08…, E09…; empty for counties",
            ),
            "stat_neighbours": Column(
                "The council's statistical neighbours' local authority codes.",
                f"codes joined by “{rows.D2I_SEPARATOR}”",
            ),
            "stat_neighbour_judgement": Column(
                "Each statistical neighbour's overall effectiveness at its latest ILACS in the "
                "table (in the history: the latest published by this inspection's publication).",
                f"grades in the order of stat_neighbours, joined by “{rows.D2I_SEPARATOR}”",
            ),
            "local_authority": Column("The council's name."),
            "inspection_link": COLUMNS["link"],
            "overall_effectiveness_grade": Column(
                "The grade of “Overall effectiveness”, in Data to Insight's spelling.",
                _D2I_GRADE + f"; `{rows.D2I_NOT_REPORTED}`: an ILACS inspection under the April "
                "2026 reform, which makes no such judgement",
            ),
            "impact_of_leaders_grade": _d2i_grade(Area.LEADERSHIP),
            "help_and_protection_grade": _d2i_grade(Area.HELP_AND_PROTECTION),
            "in_care_grade": _d2i_grade(Area.IN_CARE),
            "care_leavers_grade": _d2i_grade(Area.CARE_LEAVERS),
            "inspection_framework": Column(
                "The kind of ILACS inspection.", _enum([Kind.STANDARD, Kind.SHORT], KIND_LABELS)
            ),
            "inspector_name": Column("The lead inspector's name, in lower case."),
            "inspectors_inspections_count": Column(
                "How many of the table's rows the lead inspector led.", COUNT
            ),
            "inspection_start_date": COLUMNS["inspection_start"],
            "inspection_end_date": COLUMNS["inspection_end"],
            "publication_date": COLUMNS["published"],
            "local_link_to_all_inspections": COLUMNS["council_page"],
        },
    ),
    Export(
        "inspections-and-visits",
        "Inspections and visits (the listing)",
        "web /inspections?format=csv|xlsx; /api/inspections",
        "One row per stored report or letter, newest first, as the listing shows them.",
        rows.LISTING_COLUMNS,
        {
            "published": Column(
                "The day the report was published (a letter: the letter's date).", DATE
            )
        },
    ),
    Export(
        "forecast",
        "Forecast of the next graded inspection",
        "`ofsted-csc forecast --format csv|json|xlsx`; web /forecast?format=csv|xlsx",
        "One row per existing council: the chance of a graded inspection within the horizon, "
        "when, and the likely grade. Estimates, not Ofsted's plans.",
        rows.FORECAST_COLUMNS,
        {
            "as_at": Column("The day the forecast is made for.", DATE),
            "last_inspection_start": Column(
                "The first day of the council's last graded inspection.", DATE
            ),
            "last_start_estimated": Column(
                "Whether that start is estimated (the official statistics give only the "
                "publication date).",
                BOOLEAN,
            ),
            "last_inspection_kind": Column("The kind of the last graded inspection.", KINDS),
            "last_grade": Column("The last inspection's grade on the forecast judgement.", GRADES),
            "months_since_last": Column("Whole months since the last graded inspection.", COUNT),
            "visits_since_last": Column(
                "Focused and monitoring visits held since the last graded inspection.", COUNT
            ),
            "horizon_days": Column("How many days ahead the forecast looks.", COUNT),
            "p_graded_inspection": Column(
                "The chance of a graded inspection starting within the horizon.", PROBABILITY
            ),
            "expected_kind": Column("The kind of inspection expected.", INSPECTION_KINDS),
            "window_start": Column("The earliest likely start (the window's lower end).", DATE),
            "median_start": Column("The middle of the likely starts.", DATE),
            "window_end": Column("The latest likely start (the window's upper end).", DATE),
            "judgement": Column(
                "The judgement whose grade is forecast (leadership under the April 2026 "
                "reform, which makes no overall effectiveness judgement).",
                JUDGEMENT_NAMES,
            ),
            **{
                f"p_{g.value}": Column(f"The chance the grade is {g.label.lower()}.", PROBABILITY)
                for g in Grade
                if g is not Grade.ADEQUATE
            },
            "reasons": Column("Why, in words, joined by “; ”."),
        },
    ),
    Export(
        "changes",
        "Change over time: inspections in pairs",
        "`ofsted-csc changes`; web /changes?format=csv|xlsx",
        "One row per pair of a council's graded inspections in a row that both make the judgement.",
        rows.CHANGE_COLUMNS,
        {
            **{
                f"{what}_{when}": Column(f"{meaning} of the {when} inspection.", values)
                for when in ("before", "after")
                for what, meaning, values in (
                    ("framework", "The framework", FRAMEWORKS),
                    ("kind", "The kind", INSPECTION_KINDS),
                    ("start", "The first day on site", DATE),
                    ("published", "The publication date", DATE),
                    ("grade", "The grade", GRADES),
                    ("source", "The source (file name, or official statistics row)", ""),
                )
            },
            "months_between": Column("Months between the two inspections' starts.", "a number"),
            "change": Column("How the grade moved.", CHANGES),
        },
    ),
    Export(
        "episodes",
        "Change over time: improvement episodes",
        "`ofsted-csc changes --view episodes`; web /changes?view=episodes&format=csv|xlsx",
        "One row per spell of a council from its first inadequate grade to its first good "
        "or better after it (open while that has not come).",
        rows.EPISODE_COLUMNS,
        {
            **{
                f"{which}_{what}": Column(f"{meaning} of the {label} inspection.", values)
                for which, label in (
                    ("inadequate", "inadequate"),
                    ("reached", "good or better"),
                )
                for what, meaning, values in (
                    ("start", "The first day on site", DATE),
                    ("published", "The publication date", DATE),
                    ("framework", "The framework", FRAMEWORKS),
                )
            },
            "grade_reached": Column("The grade the council reached.", GRADES),
            "inspections_between": Column("Graded inspections in between.", COUNT),
            "months": Column(
                "Months from the inadequate inspection (so far, if open).", "a number"
            ),
            "status": Column(
                "Whether the episode has ended.",
                "`closed`: good or better reached; `open`: not yet",
            ),
        },
    ),
    Export(
        "transitions",
        "Change over time: transition table",
        "`ofsted-csc changes --view transitions`; web /changes?view=transitions&format=csv|xlsx",
        "Previous grade to next, counted by the framework of the later inspection: a row per "
        "framework and previous grade, a column per next grade (the grades that occur).",
        rows.TRANSITION_COLUMNS,
        {
            "framework": Column("The framework of the later inspection.", FRAMEWORKS),
            "previous": Column("The grade at the earlier inspection.", GRADES),
            **{
                g.value: Column(f"Pairs whose later grade is {g.label.lower()}.", COUNT)
                for g in Grade
            },
            "total": Column("Pairs from this previous grade.", COUNT),
        },
    ),
    Export(
        "themes",
        "Themes",
        "web /themes?format=csv",
        "What Ofsted asks councils to improve: one row per theme, most common first.",
        rows.THEME_DOWNLOAD_COLUMNS,
        {
            "theme": Column("The theme's key in ofsted-csc's taxonomy."),
            "name": Column("The theme's name."),
            "group": Column("The group of themes it belongs to."),
            "inspections_and_visits": Column(
                "Inspections and visits with at least one item in the theme.", COUNT
            ),
            "share": Column(
                "Their share of the inspections and visits counted.", "a fraction, 0 to 1"
            ),
            "items": Column(
                "Recommendations, priority actions and areas for improvement in the theme.",
                COUNT,
            ),
            "councils": Column("Councils with at least one item in the theme.", COUNT),
        },
    ),
    Export(
        "profile-inspections",
        "Council profile: inspections",
        "`ofsted-csc council NAME -o FILE.xlsx` (sheet inspections) or `-o FILE.csv`",
        "The council's graded inspections, oldest first, from its reports and the official "
        "statistics.",
        rows.HISTORY_COLUMNS,
        {
            "kind": Column("The kind of inspection.", INSPECTION_KINDS),
            "inspection_start": Column(
                "The first day on site (the publication date where start_known is false).", DATE
            ),
            "start_known": Column(
                "Whether the start is known (false: the official statistics give only the "
                "publication date).",
                BOOLEAN,
            ),
            **{
                a.value: Column(f"The grade of “{JUDGEMENT_LABELS[a]}”; empty: not judged.", GRADES)
                for a in EXPORTED_AREAS
            },
            "overall_change": Column(
                "Overall effectiveness against the previous graded inspection.",
                CHANGES + "; empty for the first, or where either grade is missing",
            ),
            "source": Column(
                "The report's file name, or `official:<spreadsheet> row N` for an inspection "
                "known only from the official statistics."
            ),
        },
        table="inspections",
    ),
    Export(
        "profile-visits",
        "Council profile: visits",
        "`ofsted-csc council NAME -o FILE.xlsx` (sheet visits)",
        "The council's stored focused and monitoring visit letters.",
        rows.VISIT_COLUMNS,
        {
            "kind": Column("The kind of visit.", LETTER_KINDS),
            "priority_actions": Column("How many priority actions the letter gives.", COUNT),
            "areas_for_improvement": Column(
                "How many areas for improvement the letter gives.", COUNT
            ),
            "source": Column("The letter's file name."),
        },
        table="visits",
    ),
    Export(
        "profile-neighbours",
        "Council profile: statistical neighbours",
        "`ofsted-csc council NAME -o FILE.xlsx` (sheet neighbours)",
        "The council's statistical neighbours with their latest graded inspection.",
        rows.NEIGHBOUR_COLUMNS,
        {
            "la_code": Column("The neighbour's local authority code.", "three digits"),
            "latest_inspection": Column(
                "The first day of the neighbour's latest graded inspection.", DATE
            ),
            "framework": Column("Its framework.", FRAMEWORKS),
            **{a.value: _latest_grade(a) for a in EXPORTED_AREAS},
        },
        table="neighbours",
    ),
    Export(
        "profile-region",
        "Council profile: region",
        "`ofsted-csc council NAME -o FILE.xlsx` (sheet region)",
        "The council's region: councils by their latest overall effectiveness grade.",
        rows.PICTURE_COLUMNS,
        {
            "grade": Column(
                "The grade counted.",
                f"{GRADES}; `{NOT_INSPECTED}`: councils with no graded inspection",
            ),
            "count": Column("Councils with the grade.", COUNT),
            "percent": Column(
                "Their percentage of the councils judged; empty for not inspected.",
                "a number, 0 to 100, to one place",
            ),
            "total": Column("Councils judged.", COUNT),
        },
        table="region",
    ),
    Export(
        "inspections-between",
        "Graded inspections in a period",
        "`ofsted-csc inspections --from DATE --to DATE`; api.inspections_between",
        "Every graded inspection published (or started) in the period, from the reports and "
        "the official statistics, council by judgement.",
        rows.COMPARISON_COLUMNS,
        {
            "kind": Column("The kind of inspection.", INSPECTION_KINDS),
            "inspection_start": Column(
                "The first day on site (for an inspection known only from the official "
                "statistics without a start: its publication date).",
                DATE,
            ),
            **{
                a.value: Column(f"The grade of “{JUDGEMENT_LABELS[a]}”; empty: not judged.", GRADES)
                for a in EXPORTED_AREAS
            },
            "source": Column(
                "The report's file name, or `official:<spreadsheet> row N` for an inspection "
                "known only from the official statistics."
            ),
        },
    ),
    Export(
        "councils",
        "Councils",
        "/api/councils (JSON)",
        "Every council existing at the date, with its latest graded inspection.",
        rows.COUNCIL_COLUMNS,
        {
            "latest_inspection": Column(
                "The first day of the council's latest graded inspection.", DATE
            ),
            "framework": Column("Its framework.", FRAMEWORKS),
            **{a.value: _latest_grade(a) for a in EXPORTED_AREAS},
            "latest_link": Column(
                "Ofsted's address of the latest graded inspection's report, where its file "
                "name is Ofsted's file id; empty for an inspection known only from the "
                "official statistics.",
                FILE_LINK,
            ),
        },
    ),
    Export(
        "profile-statements",
        "Council profile: statements",
        "`ofsted-csc council NAME -o FILE.xlsx` (sheet statements)",
        "The profile's findings in sentences.",
        rows.STATEMENT_COLUMNS,
        {"statement": Column("One finding, in words.")},
        table="statements",
    ),
)

_BY_COLUMNS = {e.columns: e for e in EXPORTS}
_BY_NAME = {e.name: e for e in EXPORTS}


def export_named(name: str) -> Export:
    return _BY_NAME[name]


def export_of(data: TableData) -> Export | None:
    """The dictionary's entry for a table: the one with exactly its columns (the D2I layout
    and the contract's inspections share a name, not columns), else the one of its name
    whose columns include all of its (a profile's sheets, the transition table, whose
    columns are those the rows have)."""
    exact = _BY_COLUMNS.get(data.columns)
    if exact is not None:
        return exact
    given = set(data.columns)
    return next((e for e in EXPORTS if e.table_name == data.name and given <= set(e.columns)), None)


def describe(data: TableData) -> list[tuple[str, Column | None]]:
    """Each of a table's columns with its meaning: its export's, else the shared one by
    name; None for a column the dictionary does not describe."""
    export = export_of(data)
    out: list[tuple[str, Column | None]] = []
    for c in data.columns:
        if export is not None:
            out.append((c, export.column(c)))
        else:
            out.append((c, COLUMNS.get(c)))
    return out


def sheet_rows(data: TableData) -> list[list[str]]:
    """The "Data dictionary" sheet of a table's XLSX: column, meaning, values."""
    return [[c, col.meaning if col else "", col.values if col else ""] for c, col in describe(data)]


def _cell(text: str) -> str:
    """Text as a Markdown table cell: `<URN>` shown, not read as a tag, outside code spans
    (inside them Markdown shows it as it is)."""
    parts = text.replace("|", "\\|").replace("\n", " ").split("`")
    for k in range(0, len(parts), 2):
        parts[k] = parts[k].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)


def markdown() -> str:
    """The data dictionary as docs/data-dictionary.md."""
    lines = [
        "# Data dictionary",
        "",
        "Every column of every export of ofsted-csc, its values and their meaning. "
        "Generated from `ofsted_csc.reports.dictionary` (regenerate with "
        "`python -m ofsted_csc.reports.dictionary > docs/data-dictionary.md`; a test "
        "checks this file is up to date). Every XLSX export carries the same, for its own "
        f"columns, in a sheet named “{SHEET_NAME}”.",
        "",
        "Empty cells (CSV, XLSX) and nulls (JSON, Parquet) mean not known or not applicable: "
        "a value is never guessed.",
        "",
    ]
    for e in EXPORTS:
        lines += [f"## {e.title} (`{e.name}`)", "", e.about, "", f"Written by: {e.how}.", ""]
        lines += ["| column | meaning | values |", "| --- | --- | --- |"]
        for c in e.columns:
            col = e.column(c)
            lines.append(f"| `{c}` | {_cell(col.meaning)} | {_cell(col.values)} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
