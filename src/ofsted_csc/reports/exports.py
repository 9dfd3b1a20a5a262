"""Exports: the tables of the export contract, written as CSV, XLSX, Parquet or JSON.

The column lists here are the contract (README, "Exports"); change them only with it.
Tables are built as lists of plain rows first (`inspection_rows`, ...), so the CLI, the
web app and notebooks share them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.frameworks import EXPORTED_AREAS, Area, Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.publications import OFSTED
from ofsted_csc.domain.records import InspectionRecord, LetterRecord
from ofsted_csc.storage.store import StoredResult

if TYPE_CHECKING:
    from ofsted_csc.storage.web import KnownPublication

Row = dict[str, Any]

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

# Items of a letter's lists are joined with this in one CSV/XLSX cell (JSON and Parquet
# keep real lists).
ITEM_SEPARATOR = "\n"


class Table(StrEnum):
    INSPECTIONS = "inspections"
    RECOMMENDATIONS = "recommendations"
    LETTERS = "letters"


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    PARQUET = "parquet"
    JSON = "json"

    @property
    def binary(self) -> bool:
        return self in (Format.XLSX, Format.PARQUET)


class Layout(StrEnum):
    CONTRACT = "contract"
    D2I = "d2i"  # Data to Insight's ILACS outcomes: each council's latest ILACS
    D2I_HISTORY = "d2i-history"  # the same columns, every stored ILACS inspection


@dataclass(frozen=True)
class TableData:
    name: str
    columns: tuple[str, ...]
    rows: list[Row]
    list_columns: tuple[str, ...] = ()


def _council(registry: CouncilRegistry, urn: str | None) -> Council | None:
    return registry.by_urn(urn) if urn else None


def _value(value: object) -> object:
    if isinstance(value, StrEnum):
        return value.value
    return value


def inspection_rows(stored: Sequence[StoredResult], registry: CouncilRegistry) -> list[Row]:
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
        rows.append({c: row[c] for c in INSPECTION_COLUMNS})
    return rows


def recommendation_rows(stored: Sequence[StoredResult], registry: CouncilRegistry) -> list[Row]:
    rows: list[Row] = []
    for item in stored:
        r = item.result.record
        assert isinstance(r, InspectionRecord)
        council = _council(registry, r.council_urn)
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
                }
            )
    return rows


def letter_rows(stored: Sequence[StoredResult], registry: CouncilRegistry) -> list[Row]:
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
# The document file names sync gives what it downloads: Ofsted's file id, ".pdf".
_FILE_ID_NAME = re.compile(r"(?P<id>[0-9]+)\.pdf", re.IGNORECASE)

Listing = Callable[[str], "KnownPublication | None"]


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


def _inspection_link(item: StoredResult, listing: Listing | None) -> str | None:
    """Where Ofsted serves the report: its web listing if sync has seen it, else the address
    its file name gives when the file is named as sync names downloads (`<file id>.pdf`)."""
    source = item.result.source
    if listing is not None:
        known = listing(source.sha256)
        if known is not None and known.url:
            return known.url
    m = _FILE_ID_NAME.fullmatch(Path(source.file_name).name)
    return OFSTED.files + m["id"] if m else None


def _inspector(name: str | None) -> str | None:
    """A lead inspector's name as D2I writes it: lower case, single spaces."""
    folded = " ".join((name or "").split()).lower()
    return folded or None


def _d2i_row(x: _Ilacs, listing: Listing | None) -> Row:
    r, council = x.record, x.council
    return {
        "urn": x.urn,
        "la_code": council.la_code if council else None,
        "region_code": (council.ons_region or None) if council else None,
        "ltla23cd": _ltla23(council),
        "stat_neighbours": D2I_SEPARATOR.join(council.stat_neighbours) if council else None,
        "stat_neighbour_judgement": None,  # filled in by d2i_rows
        "local_authority": council.name if council else r.council_name_in_report,
        "inspection_link": _inspection_link(x.item, listing),
        "overall_effectiveness_grade": _d2i_grade(r, Area.OVERALL),
        "impact_of_leaders_grade": _d2i_grade(r, Area.LEADERSHIP),
        "help_and_protection_grade": _d2i_grade(r, Area.HELP_AND_PROTECTION),
        "in_care_grade": _d2i_grade(r, Area.IN_CARE),
        "care_leavers_grade": _d2i_grade(r, Area.CARE_LEAVERS),
        "inspection_framework": _value(r.kind),
        "inspector_name": _inspector(r.lead_inspector),
        "inspectors_inspections_count": None,  # filled in by d2i_rows
        "inspection_start_date": r.inspection_start,
        "inspection_end_date": r.inspection_end,
        "publication_date": r.published,
        "local_link_to_all_inspections": OFSTED.provider_url(x.urn) if x.urn else None,
    }


def d2i_rows(
    stored: Sequence[StoredResult],
    registry: CouncilRegistry,
    listing: Listing | None = None,
    *,
    history: bool = False,
) -> list[Row]:
    """Data to Insight's ILACS outcomes table: each existing council's latest standard or
    short ILACS inspection, by council name; with `history`, every one of them, by council
    name and date. `listing` (`Store.listing`) gives the reports' Ofsted addresses.

    stat_neighbour_judgement: the overall effectiveness of each statistical neighbour's
    latest ILACS in the table (in the history, the latest published by the inspection's
    publication). inspectors_inspections_count: the table's rows the lead inspector led."""
    found = _ilacs(stored, registry)
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
        row = _d2i_row(x, listing)
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
    led = Counter(row["inspector_name"] for row in rows if row["inspector_name"])
    for row in rows:
        row["inspectors_inspections_count"] = led.get(row["inspector_name"])
    rows.sort(
        key=lambda row: (
            (row["local_authority"] or "").lower(),
            row["urn"] or "",
            row["inspection_start_date"] or date.min,
        )
    )
    return rows


def build_table(
    table: Table,
    stored: Sequence[StoredResult],
    registry: CouncilRegistry,
    layout: Layout = Layout.CONTRACT,
    listing: Listing | None = None,
) -> TableData:
    """One export table. `listing` (`Store.listing`) is read by the D2I layouts only."""
    if layout in (Layout.D2I, Layout.D2I_HISTORY):
        if table is not Table.INSPECTIONS:
            raise InvalidInput(f"--layout {layout.value} is a layout of `export inspections` only")
        rows = d2i_rows(stored, registry, listing, history=layout is Layout.D2I_HISTORY)
        return TableData("inspections", D2I_COLUMNS, rows)
    builders: dict[Table, tuple[tuple[str, ...], Callable[..., list[Row]], tuple[str, ...]]] = {
        Table.INSPECTIONS: (INSPECTION_COLUMNS, inspection_rows, ()),
        Table.RECOMMENDATIONS: (RECOMMENDATION_COLUMNS, recommendation_rows, ()),
        Table.LETTERS: (
            LETTER_COLUMNS,
            letter_rows,
            ("priority_actions", "areas_for_improvement"),
        ),
    }
    columns, build, lists = builders[table]
    return TableData(table.value, columns, build(stored, registry), lists)


# -- writing --


def _cell(value: object, in_list: bool) -> object:
    """A value as one CSV/XLSX cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if in_list and isinstance(value, list):
        return ITEM_SEPARATOR.join(str(v) for v in value)
    return value


def _json_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_csv(data: TableData, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(data.columns)
    for row in data.rows:
        writer.writerow([_cell(row[c], c in data.list_columns) for c in data.columns])


def write_json(data: TableData, out: IO[str]) -> None:
    items = [{c: _json_value(row[c]) for c in data.columns} for row in data.rows]
    json.dump(items, out, ensure_ascii=False, indent=1)
    out.write("\n")


def _frame(data: TableData, for_excel: bool) -> Any:
    import pandas as pd

    if for_excel:
        records = [
            [_cell(row[c], c in data.list_columns) for c in data.columns] for row in data.rows
        ]
        return pd.DataFrame.from_records(records, columns=list(data.columns))
    return pd.DataFrame.from_records(
        [[row[c] for c in data.columns] for row in data.rows], columns=list(data.columns)
    )


def write_xlsx(data: TableData, path: Path) -> None:
    _frame(data, for_excel=True).to_excel(
        path, index=False, sheet_name=data.name, engine="openpyxl"
    )


def write_parquet(data: TableData, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays: dict[str, Any] = {}
    for c in data.columns:
        values = [row[c] for row in data.rows]
        arrays[c] = pa.array(values, type=_arrow_type(c, values))
    pq.write_table(pa.table(arrays), path)


def _arrow_type(column: str, values: list[Any]) -> Any:
    import pyarrow as pa

    present = [v for v in values if v is not None]
    if column in ("priority_actions", "areas_for_improvement"):
        return pa.list_(pa.string())
    if present and all(isinstance(v, bool) for v in present):
        return pa.bool_()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.int64()
    if present and all(isinstance(v, date) for v in present):
        return pa.date32()
    if column.endswith(("_start", "_end", "_date")) or column == "published":
        return pa.date32()
    if column in ("recommendations", "position"):
        return pa.int64()
    if column == "in_care_includes_care_leavers":
        return pa.bool_()
    return pa.string()


def write(data: TableData, fmt: Format, output: Path | None, stdout: IO[str]) -> None:
    """Write a table to `output` (or `stdout` for CSV and JSON)."""
    if output is None:
        if fmt.binary:
            raise InvalidInput(f"--format {fmt.value} needs --output FILE")
        (write_csv if fmt is Format.CSV else write_json)(data, stdout)
        return
    tmp = output.with_name(output.name + ".part")
    try:
        if fmt is Format.CSV:
            with tmp.open("w", newline="", encoding="utf-8") as f:
                write_csv(data, f)
        elif fmt is Format.JSON:
            with tmp.open("w", encoding="utf-8") as f:
                write_json(data, f)
        elif fmt is Format.XLSX:
            write_xlsx(data, tmp)
        else:
            write_parquet(data, tmp)
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(f"{output}: cannot write the export ({exc.strerror})") from exc


def to_csv_text(data: TableData) -> str:
    buf = io.StringIO()
    write_csv(data, buf)
    return buf.getvalue()
