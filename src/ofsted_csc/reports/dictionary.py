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

from ofsted_csc.domain.frameworks import (
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

    name: str
    title: str
    how: str  # the command, page or function that writes it
    about: str
    columns: tuple[str, ...]
    own: Mapping[str, Column] = field(default_factory=dict)  # this table's own meanings

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
)

_BY_COLUMNS = {e.columns: e for e in EXPORTS}
_BY_NAME = {e.name: e for e in EXPORTS}


def export_named(name: str) -> Export:
    return _BY_NAME[name]


def export_of(data: TableData) -> Export | None:
    """The dictionary's entry for a table, by its columns (the D2I layout and the contract's
    inspections share a name, not columns)."""
    return _BY_COLUMNS.get(data.columns)


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
    return text.replace("|", "\\|").replace("\n", " ")


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
