"""Exports: the tables of the export contract, written as CSV, XLSX, Parquet or JSON.

The tables' rows and columns (the contract: README, "Exports") are made in
ofsted_csc.reports.rows, with every other row the package writes; this module picks the
table and writes it. The CLI, the web app and notebooks share both.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from ofsted_csc.analytics.snapshot import Snapshot
from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.inspectors import Inspectors
from ofsted_csc.parsing.ooxml import append_row
from ofsted_csc.reports import dictionary
from ofsted_csc.reports.rows import D2I_COLUMNS as D2I_COLUMNS
from ofsted_csc.reports.rows import D2I_NOT_REPORTED as D2I_NOT_REPORTED
from ofsted_csc.reports.rows import D2I_SEPARATOR as D2I_SEPARATOR
from ofsted_csc.reports.rows import INSPECTION_COLUMNS as INSPECTION_COLUMNS
from ofsted_csc.reports.rows import JUDGEMENT_COLUMNS as JUDGEMENT_COLUMNS
from ofsted_csc.reports.rows import LETTER_COLUMNS as LETTER_COLUMNS
from ofsted_csc.reports.rows import RECOMMENDATION_COLUMNS as RECOMMENDATION_COLUMNS
from ofsted_csc.reports.rows import Listing, Row, d2i_rows, judgement_rows
from ofsted_csc.reports.rows import TableData as TableData
from ofsted_csc.reports.rows import inspection_rows as inspection_rows
from ofsted_csc.reports.rows import letter_rows as letter_rows
from ofsted_csc.reports.rows import recommendation_rows as recommendation_rows
from ofsted_csc.storage.store import StoredResult

# Items of a letter's lists are joined with this in one CSV/XLSX cell (JSON and Parquet
# keep real lists).
ITEM_SEPARATOR = "\n"


class Table(StrEnum):
    INSPECTIONS = "inspections"
    RECOMMENDATIONS = "recommendations"
    LETTERS = "letters"
    JUDGEMENTS = "judgements"  # tidy: one row per inspection and judgement


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


def stored_of(table: Table, snap: Snapshot) -> Sequence[StoredResult]:
    """The stored documents a table is made from."""
    return snap.letters if table is Table.LETTERS else snap.inspections


def table_of(
    table: Table,
    snap: Snapshot,
    layout: Layout = Layout.CONTRACT,
    registry: CouncilRegistry | None = None,
) -> TableData:
    """One export table, made from one snapshot of the store."""
    if table is Table.JUDGEMENTS:
        if layout is not Layout.CONTRACT:
            raise InvalidInput(f"--layout {layout.value} is a layout of `export inspections` only")
        return TableData(table.value, JUDGEMENT_COLUMNS, judgement_rows(snap, registry))
    return build_table(
        table,
        stored_of(table, snap),
        registry or snap.registry,
        layout,
        listing=snap.listing,
        inspectors=snap.inspectors,
    )


def build_table(
    table: Table,
    stored: Sequence[StoredResult],
    registry: CouncilRegistry,
    layout: Layout = Layout.CONTRACT,
    listing: Listing | None = None,
    inspectors: Inspectors | None = None,
) -> TableData:
    """One export table of stored documents (not `judgements`, which is made from a
    snapshot: `table_of`). `listing` (`Store.listing`) gives the documents' Ofsted
    addresses; `inspectors` (the lead inspectors merged across the forms of their names,
    `Snapshot.inspectors`) is read by the D2I layouts only."""
    if table is Table.JUDGEMENTS:
        raise InvalidInput("the judgements table is made from a snapshot (table_of)")
    if layout in (Layout.D2I, Layout.D2I_HISTORY):
        if table is not Table.INSPECTIONS:
            raise InvalidInput(f"--layout {layout.value} is a layout of `export inspections` only")
        rows = d2i_rows(
            stored,
            registry,
            listing,
            history=layout is Layout.D2I_HISTORY,
            inspectors=inspectors,
        )
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
    return TableData(table.value, columns, build(stored, registry, listing), lists)


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


def write_xlsx(data: TableData, path: Path) -> None:
    """The table as one sheet, cells as in CSV (dates ISO text, lists joined, empty for
    none), then the "Data dictionary" sheet (its columns' meanings and values); text is
    stored as text, never as a formula, whatever it starts with."""
    rows = ([_cell(row[c], c in data.list_columns) for c in data.columns] for row in data.rows)
    _write_sheets(
        path,
        [
            (data.name, data.columns, rows),
            (dictionary.SHEET_NAME, dictionary.SHEET_COLUMNS, dictionary.sheet_rows(data)),
        ],
    )


def write_workbook(tables: Sequence[TableData], output: Path) -> None:
    """Tables as the sheets of one XLSX workbook (a council profile), each value as it is
    (dates as date cells, booleans as booleans, empty where a row lacks the column); text is
    stored as text; then the "Data dictionary" sheet, each table's columns with their
    meanings and values. Written whole or not at all."""
    sheets: list[tuple[str, Sequence[str], Iterable[Sequence[object]]]] = [
        (data.name, data.columns, _values(data)) for data in tables
    ]
    described = [[data.name, *line] for data in tables for line in dictionary.sheet_rows(data)]
    sheets.append((dictionary.SHEET_NAME, ("table", *dictionary.SHEET_COLUMNS), described))
    tmp = output.with_name(output.name + ".part")
    try:
        _write_sheets(tmp, sheets)
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(f"{output}: cannot write ({exc.strerror})") from exc


def _values(data: TableData) -> Iterator[list[object]]:
    return ([row.get(c) for c in data.columns] for row in data.rows)


def _write_sheets(
    path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for name, columns, rows in sheets:
        sheet = book.create_sheet(name)
        if not columns:  # a table with no rows and no columns: an empty sheet
            continue
        append_row(sheet, columns)
        for values in rows:
            append_row(sheet, values)
    book.save(path)


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


def to_bytes(data: TableData, fmt: Format) -> bytes:
    """A table as a file's bytes (a download): CSV as UTF-8 with a byte order mark (so that
    Excel reads it as UTF-8), JSON as UTF-8, XLSX and Parquet as written."""
    if fmt is Format.CSV:
        return to_csv_text(data).encode("utf-8-sig")
    if fmt is Format.JSON:
        buf = io.StringIO()
        write_json(data, buf)
        return buf.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="ofsted-csc-table-") as tmp:
        path = Path(tmp) / f"{data.name}.{fmt.value}"
        (write_xlsx if fmt is Format.XLSX else write_parquet)(data, path)
        return path.read_bytes()
