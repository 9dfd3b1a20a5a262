"""A report's text as body lines: page furniture (running headers, footers, page numbers,
footnotes) removed, so that lists and sections can be read across page breaks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

from ofsted_csc.domain.frameworks import fold
from ofsted_csc.parsing.pdf import Line, PdfText

# A4 is 842 points high; running headers and footers sit in these margins.
_TOP_MARGIN = 790.0
_BOTTOM_MARGIN = 58.0
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$", re.IGNORECASE)


@dataclass
class Body:
    """The body lines of a document, in reading order, furniture removed."""

    pdf: PdfText
    lines: list[Line]
    body_size: float

    @cached_property
    def folded(self) -> list[str]:
        """Each body line folded (whitespace, apostrophes), once: the readers match on these."""
        return [fold(line.text) for line in self.lines]

    @cached_property
    def first_page(self) -> str:
        """Page 1 folded to one line (all of it, furniture included: titles live there)."""
        return fold(self.pdf.page_text(1)) if self.pdf.page_count else ""

    def body_text(
        self, first: int, last: int, leave_out: Collection[int] = ()
    ) -> tuple[str, list[tuple[int, int]]]:
        """Body text of pages first..last folded to one line, and (offset, page) starts;
        lines whose positions are in `leave_out` are left out."""
        parts: list[str] = []
        starts: list[tuple[int, int]] = []
        offset = 0
        for i, (line, t) in enumerate(zip(self.lines, self.folded, strict=True)):
            if first <= line.page <= last and i not in leave_out:
                if not starts or starts[-1][1] != line.page:
                    starts.append((offset, line.page))
                parts.append(t)
                offset += len(t) + 1
        return " ".join(parts), starts

    def page_folded(self, n: int) -> str:
        return fold(self.pdf.page_text(n))

    @cached_property
    def contents_pages(self) -> frozenset[int]:
        """Pages that hold a table of contents (their headings are not the sections)."""
        return frozenset(
            line.page
            for line, t in zip(self.lines, self.folded, strict=True)
            if t.lower() in ("contents", "content")
        )

    def index_of_page(self, n: int) -> int:
        for i, line in enumerate(self.lines):
            if line.page >= n:
                return i
        return len(self.lines)


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split()).lower())


def body_of(pdf: PdfText) -> Body:
    """Strip page furniture: lines in the top or bottom margin that repeat on other pages or
    are page numbers, lone page numbers and footnote markers anywhere, and footnotes (text
    clearly smaller than the body text at the foot of a page)."""
    sizes: Counter[float] = Counter()
    repeats: Counter[str] = Counter()
    top, bottom = _TOP_MARGIN, _BOTTOM_MARGIN
    edges: list[dict[int, str]] = []  # per page: lines in a margin or at an edge -> key
    for page in pdf.lines:
        placed = {0, len(page) - 1} if page else set()
        for k, line in enumerate(page):
            sizes[round(line.size)] += len(line.text)
            if line.y > top or line.y < bottom:
                placed.add(k)
        keys = {k: _key(page[k].text) for k in placed}
        repeats.update(set(keys.values()))
        edges.append(keys)
    body_size = float(sizes.most_common(1)[0][0]) if sizes else 12.0
    need = 3 if pdf.page_count >= 6 else 2
    many_pages = pdf.page_count > 2
    small_margin = body_size - 1.5
    small_foot = body_size * 0.86
    lines: list[Line] = []
    for page, edge_keys in zip(pdf.lines, edges, strict=True):
        page_lines: list[Line] = []
        for k, line in enumerate(page):
            text = line.text
            if len(text) < 16 and _PAGE_NUMBER.match(text):  # "page 12 of 30" at most
                continue
            y = line.y
            if k in edge_keys:
                if many_pages and repeats[edge_keys[k]] >= need:
                    continue
                in_margin = y > top or y < bottom
                if in_margin and len(text) < 120 and line.size < small_margin:
                    continue
            # Footnotes: small print in the bottom part of the page, starting with a marker.
            if y < 200 and line.size < small_foot and line.page > 0:
                continue
            page_lines.append(line)
        lines.extend(_reading_order(page_lines))
    return Body(pdf=pdf, lines=lines, body_size=body_size)


def _reading_order(page: list[Line]) -> list[Line]:
    """Put back lines the PDF stores after the text they stand above (a heading drawn last
    but placed at the top of the page): any line clearly above the page's first body line
    moves, in order, to the start of the page."""
    if len(page) < 2:
        return page
    top = page[0].y
    early = [ln for ln in page[1:] if ln.y > top + 15]
    if not early:
        return page
    return early + [ln for ln in page if not (ln is not page[0] and ln.y > top + 15)]
