"""The one place that imports the PDF library (pypdfium2, BSD/Apache licensed).

`read_pdf(data, source)` checks the bytes, extracts each page's text and the metadata
dates, and raises a typed `DocumentError` naming the file for anything it cannot read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pypdfium2 as pdfium

from ofsted_csc.errors import DamagedPdf, EmptyFile, EncryptedPdf, FileTooLarge, NotAPdf

# Ofsted's longest reports are about 60 pages and 2 MB; anything far larger is not one.
MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 400

_TRANSLATE = str.maketrans(
    {
        "\r": None,
        "\ufffe": "-",  # pdfium marks a hyphen at a line break with U+FFFE
        "\u00ad": "-",  # soft hyphen
        "\uf0b7": "•",  # Symbol-font bullet
        "\uf0a7": "•",
        "\uf0d8": "•",
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


@dataclass(frozen=True)
class PdfText:
    """Text of a PDF, one string per page (1-based page n is pages[n-1])."""

    pages: tuple[str, ...]
    created: date | None
    modified: date | None

    @property
    def page_count(self) -> int:
        return len(self.pages)


def normalise(text: str) -> str:
    """Line endings, pdfium's hyphen marks, symbol-font bullets and ligatures made plain."""
    return text.translate(_TRANSLATE)


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


def check_bytes(data: bytes, source: str) -> None:
    """Refuse what is plainly not a PDF before any library sees it."""
    if len(data) == 0:
        raise EmptyFile(source, "the file is empty")
    if len(data) > MAX_BYTES:
        raise FileTooLarge(
            source,
            f"the file is {len(data) / 1048576:.0f} MB, larger than any Ofsted report "
            f"(limit {MAX_BYTES // 1048576} MB)",
        )
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
        raise DamagedPdf(source, f"the PDF is damaged or truncated ({exc})") from exc
    try:
        n = len(doc)
        if n == 0:
            raise DamagedPdf(source, "the PDF has no pages")
        if n > MAX_PAGES:
            raise FileTooLarge(source, f"the PDF has {n} pages, more than any Ofsted report")
        pages: list[str] = []
        for i in range(n):
            page = doc[i]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(normalise(textpage.get_text_range()))
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
            pages=tuple(pages),
            created=_pdf_date(meta.get("CreationDate")),
            modified=_pdf_date(meta.get("ModDate")),
        )
    except pdfium.PdfiumError as exc:
        raise DamagedPdf(source, f"the PDF could not be read ({exc})") from exc
    finally:
        doc.close()
