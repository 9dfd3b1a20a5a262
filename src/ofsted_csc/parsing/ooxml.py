"""Checks on Office Open XML files (XLSX workbooks, DOCX templates) from users, before any
library parses them: size, zip bombs, and the part that says what the file is."""

from __future__ import annotations

import io
import zipfile

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
