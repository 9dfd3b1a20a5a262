"""The one place that imports the PDF library (pypdfium2, BSD/Apache licensed).

`read_pdf(data, source)` checks the bytes, extracts each page's text and the metadata
dates, and raises a typed `DocumentError` naming the file for anything it cannot read.
"""

from __future__ import annotations

import ctypes
import re
import zlib
from dataclasses import dataclass
from datetime import date
from math import floor
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ofsted_csc.domain.errors import DamagedPdf, EmptyFile, EncryptedPdf, FileTooLarge, NotAPdf
from ofsted_csc.domain.grades import VERDICT_STARTS
from ofsted_csc.domain.limits import EMPTY_FILE, MAX_BYTES, document_too_large
from ofsted_csc.parsing.streams import Ends, check_inflated

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
    """Text of a PDF: lines per page (1-based page n is lines[n-1]), metadata dates, and
    the signs that the file is damaged (pdfium repairs what it can without saying so: a
    damaged file whose text was read anyway is not to be trusted)."""

    lines: tuple[tuple[Line, ...], ...]
    created: date | None
    modified: date | None
    damage: tuple[str, ...] = ()

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


# -- signs of damage in the file's own structure --

_LENGTH = re.compile(rb"/Length\s+(\d+)(\s+\d+\s+R)?")
_FLATE = re.compile(rb"/Filter\s*\[?\s*/FlateDecode\s*\]?\s*[/>]")
_ENDSTREAM = re.compile(rb"\s*endstream")
_LITERAL = re.compile(rb"\((?:[^()\\]|\\.)*\)", re.DOTALL)
_STRAY = re.compile(rb"[\x00\x80-\xff]")
_SUBSECTION = re.compile(rb"\s*(\d+)\s+(\d+)\s*[\r\n]")
_ENTRY = re.compile(rb"(\d{10}) \d{5} ([nf])")
_OBJECT = re.compile(rb"\s*(\d+)\s+\d+\s+obj")


def _stray_bytes(dictionary: bytes) -> bool:
    """A byte no PDF writer puts in an object's dictionary (outside its strings)."""
    return bool(_STRAY.search(dictionary)) and bool(_STRAY.search(_LITERAL.sub(b"", dictionary)))


def _stream_start(data: bytes, at: int) -> int:
    """The first byte of a stream's data, after the end of line that follows `stream`."""
    if data[at : at + 2] == b"\r\n":
        return at + 2
    return at + 1 if data[at : at + 1] in (b"\r", b"\n") else at


def _whole(compressed: bytes) -> bool:
    """True when a Flate stream decompresses to its end with its checksum right."""
    inflate = zlib.decompressobj()
    try:
        inflate.decompress(compressed)
    except zlib.error:
        return False
    return inflate.eof


def _objects(data: bytes, ends: Ends) -> tuple[int, int, int]:
    """Walk the objects in file order: (dictionaries with stray bytes, streams whose
    /Length does not end at `endstream`, compressed streams that do not decompress). A
    stream the bomb check inflated (`ends`, parsing/streams.py) is not inflated again."""
    lengths = broken = 0
    heads: list[bytes] = []  # looked at together: one search for the common, clean case
    pos = 0
    while True:
        found = data.find(b" obj", pos)
        if found < 0:
            break
        head_at = found + 4
        end_obj = data.find(b"endobj", head_at)
        if end_obj < 0:
            break
        keyword = data.find(b"stream", head_at, end_obj)
        if keyword < 0:
            heads.append(data[head_at:end_obj])
            pos = end_obj + 6
            continue
        head = data[head_at:keyword]
        heads.append(head)
        start = _stream_start(data, keyword + 6)
        end = -1
        m = _LENGTH.search(head)
        if m and not m.group(2):  # a direct length (Ofsted's writers give no other)
            if _ENDSTREAM.match(data, start + int(m.group(1))):
                end = start + int(m.group(1))
            else:
                lengths += 1
        if end < 0:
            end = data.find(b"endstream", start)
            if end < 0:
                break
        if b"/Image" not in head and _FLATE.search(head):
            if start in ends:
                at = ends[start]
                broken += at is None or at > end
            elif not _whole(data[start:end]):
                broken += 1
        pos = max(end, data.find(b"endobj", end) + 6)
    stray = sum(map(_stray_bytes, heads)) if _STRAY.search(b"".join(heads)) else 0
    return stray, lengths, broken


def _points_at(data: bytes, offset: int, number: int) -> bool:
    """Whether object `number` begins at `offset` (or after white space there)."""
    if data.startswith(b"%d " % number, offset):
        return True
    obj = _OBJECT.match(data, offset)
    return obj is not None and int(obj.group(1)) == number


def _xref_entries_wrong(data: bytes) -> int:
    """Entries of the cross-reference tables that do not point at their object."""
    wrong = 0
    at = data.find(b"xref")
    while at >= 0:
        p = at + 4
        at = data.find(b"xref", p)
        if data[p - 5 : p - 4] not in (b"\r", b"\n") or data[p : p + 1] not in (b"\r", b"\n"):
            continue  # "startxref", or the word inside something else
        while (sub := _SUBSECTION.match(data, p)) is not None:
            first, count = int(sub.group(1)), int(sub.group(2))
            p = sub.end()
            entries = _ENTRY.findall(data, p, p + 20 * count)  # 20 bytes each
            wrong += count - len(entries)
            p += 20 * count
            for k, (offset, kind) in enumerate(entries):
                wrong += kind == b"n" and not _points_at(data, int(offset), first + k)
            if len(entries) < count:
                break
    return wrong


def damage_signs(data: bytes, ends: Ends | None = None) -> tuple[str, ...]:
    """Signs that a PDF's bytes are damaged, which pdfium repairs without saying: the
    end cut off, streams whose length or compressed data is wrong, bytes that belong in
    no object's dictionary, cross-references that miss their objects. Empty for a whole
    file. Every compressed stream but images' is decompressed, font programs included:
    a damaged font drops or changes letters (tools/damage.py showed 40 of 354 damaged
    copies stored with wrong values when fonts were left out). It costs about a tenth of
    the time pdfium takes to read the text. `ends`: what the bomb check learnt of the
    streams it inflated (check_inflated), so that they are not inflated twice."""
    signs: list[str] = []
    if not data.rstrip().endswith(b"%%EOF"):
        signs.append("the file does not end with %%EOF: it may have been cut short")
    stray, lengths, broken = _objects(data, ends or {})
    wrong = _xref_entries_wrong(data)
    for count, what in (
        (lengths, "streams not the length the file gives"),
        (broken, "compressed streams that do not decompress"),
        (stray, "objects with bytes that belong in no PDF object"),
        (wrong, "cross-reference entries that miss their objects"),
    ):
        if count:
            signs.append(f"{what}: {count}")
    return tuple(signs)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"1 {one}" if n == 1 else f"{n} {many or one + 's'}"


# -- signs of damage in the text read --

# Characters no Ofsted report or letter is written in: controls, the replacement
# character, private-use glyphs not translated above (unmapped symbol-font codes), and
# scripts from Greek on (a damaged font or content stream reads as CJK and the like);
# general punctuation, symbols, Welsh and other Latin letters, and ligatures are fine.
_ODD = re.compile(
    "[\x00-\x08\x0b-\x1f\ufffd\ue000-\uf8ff\u0370-\u1dff\u1f00-\u1fff\u2c00-\ufaff"
    "\ufb50-\ufdff\ufe30-\ufefe\uff00-\ufffc]"
)
_ODD_MOST = 3  # the 690 intact files of the corpus have none
# "the", "and", "for", "children" with every letter shifted by 29 codes: a font whose
# Unicode map was lost, read as its raw glyph codes ("cKLOGUHQ¶V VHUYLFHV").
_SHIFTED = re.compile(r"\b(?:WKH|DQG|IRU|FKLOGUHQ)\b")


def text_signs(pages: list[tuple[Line, ...]]) -> tuple[str, ...]:
    """Signs that the text read is not the text written: characters no report is
    written in, and words whose letters are shifted (glyph codes read as text; two of the
    four words are looked for first, the regular expression being slower)."""
    text = "\n".join(line.text for page in pages for line in page)
    signs: list[str] = []
    odd = _ODD.findall(text)
    if len(odd) > _ODD_MOST:
        shown = " ".join(f"U+{ord(c):04X}" for c in sorted(set(odd))[:5])
        signs.append(f"{_count(len(odd), 'character')} that are not text ({shown})")
    shifted = _SHIFTED.findall(text) if "WKH" in text or "DQG" in text else []
    if len(shifted) > 1:
        signs.append(
            f"{_count(len(shifted), 'word')} with shifted letters (“{shifted[0]}”): "
            "a font's glyphs read without their letters"
        )
    return tuple(signs)


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


def read_pdf(data: bytes, source: str, inflate_limit: int | None = None) -> PdfText:
    """Extract the text of every page. Raises a DocumentError subclass on bad input. Given
    `inflate_limit`, a file whose content inflates past it is refused before pdfium reads
    it (PdfTooComplex, parsing/streams.py)."""
    check_bytes(data, source)
    ends = check_inflated(data, source, inflate_limit) if inflate_limit is not None else {}
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
            damage=damage_signs(data, ends) + text_signs(pages),
        )
    except pdfium.PdfiumError as exc:
        raise DamagedPdf(source, f"the PDF could not be read ({exc})") from exc
    finally:
        doc.close()
