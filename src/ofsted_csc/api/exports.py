"""Exports: the tables of the export contract, as rows (`table`) or written (`export`), and
any table written as a file (`write_table`, `table_bytes`), tables as one workbook
(`write_workbook`). The rows come from
ofsted_csc.reports.rows; each function takes a Store or a Snapshot (ofsted_csc.api.snapshot).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from ofsted_csc.api.snapshot import Source, read
from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.reports import exports
from ofsted_csc.reports.rows import TableData


def _format(fmt: str) -> exports.Format:
    try:
        return exports.Format(fmt)
    except ValueError:
        raise InvalidInput(
            f"“{fmt}” is not an export format ({', '.join(f.value for f in exports.Format)})"
        ) from None


def table(
    source: Source,
    what: str,
    layout: str = "contract",
    registry: CouncilRegistry | None = None,
) -> TableData:
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
    snap = read(source)

    def build() -> TableData:
        stored = snap.letters if which is exports.Table.LETTERS else snap.inspections
        return exports.build_table(
            which,
            stored,
            registry or snap.registry,
            lay,
            listing=snap.listing,
            inspectors=snap.inspectors,
        )

    return build() if registry is not None else snap.memo(("table", which, lay), build)


def export(
    source: Source,
    what: str,
    fmt: str = "csv",
    output: str | Path | None = None,
    layout: str = "contract",
    stdout: IO[str] | None = None,
) -> int:
    """Write an export table; returns the number of rows written."""
    form = _format(fmt)
    data = table(source, what, layout)
    exports.write(data, form, Path(output) if output else None, stdout or sys.stdout)
    return len(data.rows)


def write_table(
    data: TableData, fmt: str, output: str | Path | None = None, stdout: IO[str] | None = None
) -> None:
    """Write any table (a row format of ofsted_csc.reports.rows) as CSV, XLSX, Parquet or
    JSON to `output`, or CSV and JSON to `stdout`."""
    exports.write(data, _format(fmt), Path(output) if output else None, stdout or sys.stdout)


def table_bytes(data: TableData, fmt: str) -> bytes:
    """Any table as a file's bytes (a download): CSV (UTF-8 with a byte order mark), XLSX,
    Parquet or JSON."""
    return exports.to_bytes(data, _format(fmt))


def write_workbook(
    tables: Mapping[str, Sequence[Mapping[str, object]]], output: str | Path
) -> None:
    """Named tables of rows (dicts; a council profile's `profile_tables`) as the sheets of one
    XLSX workbook: a sheet per table, a column per key (in the order the rows first give them),
    values as they are. Text is stored as text, never as a formula."""
    datas = []
    for name, rows in tables.items():
        columns = tuple(dict.fromkeys(key for row in rows for key in row))
        datas.append(TableData(name, columns, [dict(row) for row in rows]))
    exports.write_workbook(datas, Path(output))
