"""Exports: the tables of the export contract, written as CSV, XLSX, Parquet or JSON.

The column lists here are the contract (README, "Exports"); change them only with it.
Tables are built as lists of plain rows first (`inspection_rows`, ...), so the CLI, the
web app and notebooks share them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.frameworks import EXPORTED_AREAS, Area, Framework
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.records import InspectionRecord, LetterRecord
from ofsted_csc.errors import InvalidInput
from ofsted_csc.storage.store import StoredResult

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

# Data to Insight's ILACS history CSV (the `ofsted_childrens_services_inspection_scrape`
# output of its ILACS scrape tool), so councils' existing workflows can switch. ILACS
# inspections only; grades in D2I's spelling; dates as D2I writes them (DD/MM/YYYY).
D2I_COLUMNS: tuple[str, ...] = (
    "urn",
    "la_code",
    "la_name",
    "ltla23cd",
    "local_link_to_all_inspections",
    "inspection_link",
    "overall_effectiveness_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
    "leadership_grade",
    "inspection_framework",
    "inspector_name",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "sentiment_score",
    "sentiment_summary",
    "main_inspection_topics",
)
D2I_PROVIDER_LINK = "https://reports.ofsted.gov.uk/provider/44/{urn}"
D2I_FILE_LINK = "https://files.ofsted.gov.uk/v1/file/{file_id}"

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
    D2I = "d2i"


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
    Grade.REQUIRES_IMPROVEMENT: "requires_improvement",
    Grade.INADEQUATE: "inadequate",
}


def _d2i_date(day: date | None) -> str | None:
    return day.strftime("%d/%m/%Y") if day else None


def d2i_rows(stored: Sequence[StoredResult], registry: CouncilRegistry) -> list[Row]:
    """ILACS inspections in Data to Insight's ILACS history layout, newest first per D2I."""
    rows: list[Row] = []
    for item in stored:
        r = item.result.record
        assert isinstance(r, InspectionRecord)
        if r.framework is not Framework.ILACS:
            continue
        council = _council(registry, r.council_urn)

        def grade(area: Area, rec: InspectionRecord = r) -> str | None:
            g = rec.grade(area)
            return _D2I_GRADES.get(g) if g else None

        stem = Path(item.result.source.file_name).stem
        in_care = grade(Area.IN_CARE)
        care_leavers = grade(Area.CARE_LEAVERS)
        if r.in_care_includes_care_leavers:
            care_leavers = in_care  # one combined judgement before the 2023 split
        rows.append(
            {
                "urn": r.council_urn,
                "la_code": council.la_code if council else None,
                "la_name": council.name if council else r.council_name_in_report,
                "ltla23cd": council.gss_code if council else None,
                "local_link_to_all_inspections": D2I_PROVIDER_LINK.format(urn=r.council_urn),
                "inspection_link": D2I_FILE_LINK.format(file_id=stem) if stem.isdigit() else None,
                "overall_effectiveness_grade": grade(Area.OVERALL),
                "help_and_protection_grade": grade(Area.HELP_AND_PROTECTION),
                "in_care_grade": in_care,
                "care_leavers_grade": care_leavers,
                "leadership_grade": grade(Area.LEADERSHIP),
                "inspection_framework": r.edition.title if r.edition else "ILACS",
                "inspector_name": r.lead_inspector,
                "inspection_start_date": _d2i_date(r.inspection_start),
                "inspection_end_date": _d2i_date(r.inspection_end),
                "publication_date": _d2i_date(r.published),
                "sentiment_score": None,
                "sentiment_summary": None,
                "main_inspection_topics": None,
            }
        )
    rows.sort(key=lambda row: (row["la_name"] or "", row["inspection_start_date"] or ""))
    return rows


def build_table(
    table: Table,
    stored: Sequence[StoredResult],
    registry: CouncilRegistry,
    layout: Layout = Layout.CONTRACT,
) -> TableData:
    if layout is Layout.D2I:
        if table is not Table.INSPECTIONS:
            raise InvalidInput("--layout d2i is a layout of `export inspections` only")
        return TableData("inspections", D2I_COLUMNS, d2i_rows(stored, registry))
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
