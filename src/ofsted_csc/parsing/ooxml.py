"""Office Open XML files (XLSX workbooks, DOCX templates): checks on those from users, before
any library parses them (size, zip bombs, and the part that says what the file is), and the
one way the package writes a workbook's rows (`append_row`: text stays text)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import Any

from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.limits import EMPTY_FILE, too_large

MAX_UNZIPPED = 60 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 300


def check_package(
    data: bytes, file_name: str, *, what: str, kind: str, part: str, max_bytes: int, hint: str
) -> None:
    """Refuse an empty, oversize or unsafe (zip bomb) file, or one without `part`.
    `what` names its use ("plan workbook"), `kind` the format ("an XLSX workbook")."""
    if not data:
        raise InvalidInput(f"{file_name}: {EMPTY_FILE}")
    if len(data) > max_bytes:
        raise InvalidInput(f"{file_name}: {too_large(len(data), max_bytes, 'a ' + what)}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            if (
                len(infos) > MAX_MEMBERS
                or total > MAX_UNZIPPED
                or any(i.compress_size and i.file_size / i.compress_size > MAX_RATIO for i in infos)
            ):
                raise InvalidInput(
                    f"{file_name}: the {what} expands to {total / 1048576:.0f} MB in "
                    f"{len(infos)} parts, too much: refused as unsafe"
                )
            if part not in z.namelist():
                raise InvalidInput(f"{file_name}: not {kind} (no {part})")
    except zipfile.BadZipFile:
        raise InvalidInput(f"{file_name}: not {kind} ({hint})") from None


def append_row(sheet: Any, values: Iterable[object]) -> None:
    """Append a row of values to an openpyxl worksheet, every str stored as text. openpyxl
    would store a str that starts with "=" as a live formula, and the text comes from
    documents anyone may upload ("=HYPERLINK(...)"): every workbook the package writes holds
    it as the text it is. Other values (numbers, dates, booleans, None) keep their types."""
    from openpyxl.cell import Cell

    cells = []
    for value in values:
        cell = Cell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula (or an error code), whatever it starts with
        cells.append(cell)
    sheet.append(cells)
