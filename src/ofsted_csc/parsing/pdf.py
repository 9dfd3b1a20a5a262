"""The one place that imports the PDF library (pypdfium2, BSD/Apache licensed).

`read_pdf(data, source)` checks the bytes, extracts each page's text and the metadata
dates, and raises a typed `DocumentError` naming the file for anything it cannot read.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from datetime import date
from math import floor
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ofsted_csc.domain.errors import DamagedPdf, EmptyFile, EncryptedPdf, FileTooLarge, NotAPdf
from ofsted_csc.domain.grades import VERDICT_STARTS
from ofsted_csc.domain.limits import EMPTY_FILE, MAX_BYTES, document_too_large

# Ofsted's longest reports are about 60 pages and 2 MB; anything far larger is not one.
MAX_PAGES = 400

_TRANSLATE = str.maketrans(
    {
        "\r": None,
        "\ufffe": "-",  # pdfium marks a hyphen at a line break with U+FFFE
        "\u00ad": "-",  # soft hyphen
        # Bullets: Symbol and Wingdings glyphs in the private use area, and Unicode ones
        "\uf0b7": "•",
        "\uf0a7": "•",
        "\uf0d8": "•",
        "\uf06e": "•",
        "\uf0be": "•",
        "\uf0fc": "•",
        "\uf076": "•",
        "\uf02d": "–",
        "\u25fc": "•",
        "\u25aa": "•",
        "\u25a0": "•",
        "\u25cf": "•",
        "\u2022": "•",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": None,
        "\x02": None,
    }
)


@dataclass(frozen=True, slots=True)
class Cell:
    """A piece of a line standing apart from the rest (a table cell): its own position."""

    text: str
    x: float
    y: float


@dataclass(slots=True, eq=False)
class Line:
    """One line of text as laid out on its page (PDF points; y grows upwards). Not frozen:
    300,000 are made in reading the corpus, and a frozen dataclass is five times slower to
    build; nothing changes a line once read. Compared by identity."""

    text: str
    page: int  # 1-based
    x: float  # left edge of the first visible character
    y: float  # top of the first visible character
    size: float  # font size of the first visible character
    bold: bool
    # On the first pages, a line that pdfium joined across table cells (a label and its
    # grade on one baseline), split where a wide gap separates them; empty otherwise.
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class PdfText:
    """Text of a PDF: lines per page (1-based page n is lines[n-1]) and metadata dates."""

    lines: tuple[tuple[Line, ...], ...]
    created: date | None
    modified: date | None

    @property
    def page_count(self) -> int:
        return len(self.lines)

    @property
    def pages(self) -> tuple[str, ...]:
        return tuple("\n".join(line.text for line in page) for page in self.lines)

    def page_text(self, n: int) -> str:
        """Text of 1-based page n."""
        return "\n".join(line.text for line in self.lines[n - 1])


_SPECIAL = re.compile("[" + re.escape("".join(chr(c) for c in _TRANSLATE)) + "]")


def _replace(match: re.Match[str]) -> str:
    return _TRANSLATE[ord(match.group())] or ""


def normalise(text: str) -> str:
    """Line endings, pdfium's hyphen marks, symbol-font bullets and ligatures made plain."""
    # a regex touches only the rare special characters; str.translate looks at every one
    return _SPECIAL.sub(_replace, text)


_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?")


def _pdf_date(value: str | None) -> date | None:
    if not value:
        return None
    m = _PDF_DATE.match(value.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


# Pages whose lines are split into cells, and the lines worth splitting: those that may
# hold a grade (the cells of judgement tables).
CELL_PAGES = 2
_MAY_HOLD_GRADE = re.compile("|".join(VERDICT_STARTS), re.IGNORECASE)


def _unchecked(name: str, restype: Any) -> Any:
    """pdfium's function `name` without ctypes' argument checks, which cost as much as the
    call itself (the hot loop below makes about a million calls over the corpus). Callers
    pass the text page as a plain pointer (`c_void_p`). Falls back to pypdfium2's checked
    binding when its library object is not where this version of pypdfium2 keeps it."""
    try:
        from pypdfium2_raw.bindings import _libs

        func = _libs["pdfium"][name]  # item access: a new function object, not the shared one
    except (ImportError, KeyError, AttributeError):  # pragma: no cover - other pypdfium2
        return getattr(pdfium_c, name)
    func.restype = restype
    return func


_GET_BOX = _unchecked("FPDFText_GetCharBox", ctypes.c_int)
_GET_SIZE = _unchecked("FPDFText_GetFontSize", ctypes.c_double)
_GET_WEIGHT = _unchecked("FPDFText_GetFontWeight", ctypes.c_int)
_GET_INFO = _unchecked("FPDFText_GetFontInfo", ctypes.c_ulong)


class _Box:
    """Reused ctypes buffers for pdfium's character boxes."""

    def __init__(self) -> None:
        self.left, self.right, self.bottom, self.top = (ctypes.c_double() for _ in range(4))
        self.refs = tuple(ctypes.byref(v) for v in (self.left, self.right, self.bottom, self.top))


def _cells(handle: object, start: int, piece: str, size: float, b: _Box) -> tuple[Cell, ...]:
    """Split one line where a gap wider than a few spaces separates two characters."""
    get_box = _GET_BOX
    left, right, top = b.left, b.right, b.top
    gap = max(15.0, size * 1.5)
    cells: list[Cell] = []
    begin = None  # index in piece of the current cell's first character
    cell_x = cell_y = 0.0
    prev_right = None
    for k, ch in enumerate(piece):
        if ch.isspace():
            continue
        get_box(handle, start + k, *b.refs)
        if prev_right is not None and left.value - prev_right > gap and begin is not None:
            cells.append(Cell(normalise(piece[begin:k]).strip(), cell_x, cell_y))
            begin = None
        if begin is None:
            begin, cell_x, cell_y = k, round(left.value, 1), round(top.value, 1)
        prev_right = right.value
    if begin is not None and cells:
        cells.append(Cell(normalise(piece[begin:]).strip(), cell_x, cell_y))
    return tuple(c for c in cells if c.text)


def _lines(textpage: pdfium.PdfTextPage, page_no: int) -> tuple[Line, ...]:
    """Split a page's text into lines, with the layout of each line's first character.

    The hot loop of reading: it calls pdfium's C functions directly with reused buffers
    (about 300,000 lines in the 550 corpus files).
    """
    raw_text = textpage.get_text_range()
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    out: list[Line] = []
    index = 0
    name = ctypes.create_string_buffer(64)
    flags = ctypes.c_int()
    b = _Box()
    left, top = b.left, b.top
    box = b.refs
    get_box, get_size, get_weight, get_info = _GET_BOX, _GET_SIZE, _GET_WEIGHT, _GET_INFO
    flags_ref = ctypes.byref(flags)
    pieces = raw_text.split("\r\n")
    texts = normalise(raw_text.replace("\r\n", "\x00")).split("\x00")
    if len(texts) != len(pieces):  # a NUL in the text itself: go piece by piece
        texts = [normalise(piece) for piece in pieces]
    for piece, text in zip(pieces, texts, strict=True):
        start = index
        index += len(piece) + 2
        stripped = text.strip()
        if not stripped:
            continue
        first = start + (len(piece) - len(piece.lstrip()))
        get_box(handle, first, *box)
        # type size and weight from the first letter or digit, not a bullet glyph
        if piece[:1].isalnum():
            style_at = start
        else:
            letter = next((k for k, ch in enumerate(piece) if ch.isalnum()), None)
            style_at = start + letter if letter is not None else first
        size = get_size(handle, style_at)
        weight = get_weight(handle, style_at)
        bold = weight >= 600
        if weight <= 0:  # no weight in the font: its name says ("Arial-BoldMT")
            get_info(handle, style_at, name, 64, flags_ref)
            bold = b"bold" in name.value.lower()
        # to a tenth of a point, halves up (round() costs four times as much); read before
        # _cells reuses the buffers
        x, y = floor(left.value * 10.0 + 0.5) / 10.0, floor(top.value * 10.0 + 0.5) / 10.0
        cells: tuple[Cell, ...] = ()
        if page_no <= CELL_PAGES and " " in stripped and _MAY_HOLD_GRADE.search(stripped):
            cells = _cells(handle, start, piece, size, b)
        out.append(Line(stripped, page_no, x, y, floor(size * 10.0 + 0.5) / 10.0, bold, cells))
    return tuple(out)


def check_bytes(data: bytes, source: str) -> None:
    """Refuse what is plainly not a PDF before any library sees it."""
    if len(data) == 0:
        raise EmptyFile(source, EMPTY_FILE)
    if len(data) > MAX_BYTES:
        raise FileTooLarge(source, document_too_large(len(data)))
    head = data[:1024].lstrip(b"\xef\xbb\xbf\r\n\t ")
    if not head.startswith(b"%PDF-"):
        low = head[:200].lower()
        if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low:
            raise NotAPdf(source, "this is a web page (HTML) saved with a .pdf name, not a PDF")
        if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
            raise NotAPdf(source, "this is an image file, not a PDF")
        if head.startswith(b"PK\x03\x04"):
            raise NotAPdf(source, "this is a zip or Office document, not a PDF")
        raise NotAPdf(source, "the file does not start with a PDF header (%PDF-)")


def read_pdf(data: bytes, source: str) -> PdfText:
    """Extract the text of every page. Raises a DocumentError subclass on bad input."""
    check_bytes(data, source)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg or "security" in msg:
            raise EncryptedPdf(source, "the PDF is encrypted and needs a password") from exc
        detail = str(exc).rsplit("PDFium:", 1)[-1].strip(" .)") or str(exc)
        cut = "" if data.rstrip().endswith(b"%%EOF") else ", perhaps cut short while downloading"
        raise DamagedPdf(
            source, f"the PDF is damaged or incomplete{cut}: it cannot be opened ({detail})"
        ) from exc
    try:
        n = len(doc)
        if n == 0:
            raise DamagedPdf(source, "the PDF has no pages")
        if n > MAX_PAGES:
            raise FileTooLarge(source, f"the PDF has {n} pages, more than any Ofsted report")
        pages: list[tuple[Line, ...]] = []
        for i in range(n):
            page = doc[i]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(_lines(textpage, i + 1))
                finally:
                    textpage.close()
            finally:
                page.close()
        meta = {}
        try:
            meta = doc.get_metadata_dict(skip_empty=True)
        except pdfium.PdfiumError:
            meta = {}
        return PdfText(
            lines=tuple(pages),
            created=_pdf_date(meta.get("CreationDate")),
            modified=_pdf_date(meta.get("ModDate")),
        )
    except pdfium.PdfiumError as exc:
        raise DamagedPdf(source, f"the PDF could not be read ({exc})") from exc
    finally:
        doc.close()
