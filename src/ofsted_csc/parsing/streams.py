"""How far a PDF's compressed content inflates, measured before the PDF library reads it.

A decompression bomb is a small PDF whose page content is a Flate stream that inflates to
gigabytes (of spaces, or of drawing operators that pdfium turns into millions of objects).
`check_inflated(data, source, limit)` walks the file's streams, inflates each in bounded
pieces that are counted and dropped (never held), and refuses the file with `PdfTooComplex`
as soon as the total passes `limit`. It costs one inflation of the content, a small part of
reading the file; what it learns on the way, where each stream's compressed data ends whole
(`Ends`), spares the damage check (parsing/pdf.damage_signs) inflating the same streams again.

Measured: streams filtered by FlateDecode (alone or chained, after ASCIIHex or ASCII85
decoding) that pdfium parses as content: page contents, forms, object streams. Not
measured: font programs and images (pdfium does not parse them as page content; reading them
is bounded by the reading process's memory limit, services/reader.py), other filters, and
encrypted streams (they do not inflate as plain Flate data).
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterator

from ofsted_csc.domain.errors import PdfTooComplex
from ofsted_csc.domain.limits import inflates_too_far

_PIECE = 1 << 16  # compressed bytes fed at a time
_OUT = 1 << 22  # inflated bytes taken at a time (counted, then dropped)
_DICT_BEFORE = 4096  # how far before `stream` its dictionary is looked for

_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_FLATE = frozenset((b"FlateDecode", b"Fl"))
_HEX = frozenset((b"ASCIIHexDecode", b"AHx"))
_A85 = frozenset((b"ASCII85Decode", b"A85"))
# dictionaries of streams pdfium does not parse as page content
_NOT_CONTENT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType)\b")


def _streams(data: bytes) -> Iterator[tuple[bytes, int]]:
    """Each stream's dictionary (the text since its `obj`) and the offset of its data."""
    at = data.find(b"stream")
    while at >= 0:
        after = at + 6
        if data[at - 3 : at] != b"end":
            eol = data[after : after + 2]
            start = after + 2 if eol == b"\r\n" else after + 1 if eol[:1] in (b"\n", b"\r") else -1
            if start >= 0:
                head = data.rfind(b"obj", max(0, at - _DICT_BEFORE), at)
                yield data[head if head >= 0 else max(0, at - _DICT_BEFORE) : at], start
        at = data.find(b"stream", after)


def _filters(head: bytes) -> list[bytes]:
    found = _FILTER.search(head)
    return _NAME.findall(found.group(1)) if found else []


# Of each stream inflated to its end from the file's own bytes by Flate alone (keyed by the
# offset of its data): where its compressed data ends, whole and with its checksum right, or
# None when it does not (damaged data, or cut short).
Ends = dict[int, int | None]


def _inflated(
    data: bytes, start: int, filters: list[bytes], budget: int, ends: Ends | None = None
) -> int:
    """What the stream at `start` inflates to, counted up to just past `budget` bytes; where
    its data ends goes into `ends` when it is read to its end (or to an error)."""
    view = memoryview(data)
    plain = True  # Flate alone, on the file's own bytes
    if filters[0] in _HEX or filters[0] in _A85:  # text encodings: bounded by the file's size
        end = data.find(b"endstream", start)
        raw = data[start : end if end >= 0 else len(data)]
        try:
            if filters[0] in _HEX:
                text = raw.split(b">", 1)[0]
                decoded = bytes.fromhex("".join(text.decode("ascii").split()))
            else:
                decoded = base64.a85decode(raw.split(b"~>", 1)[0], ignorechars=b" \t\r\n\f\x00")
        except ValueError:
            return 0
        view, start, filters = memoryview(decoded), 0, filters[1:]
        plain = False
    steps = 0
    while steps < len(filters) and filters[steps] in _FLATE:
        steps += 1
    if steps == 0:
        return 0
    chain = [zlib.decompressobj() for _ in range(steps)]
    size = 0
    pos = start

    def feed(level: int, piece: bytes | memoryview) -> None:
        nonlocal size
        inflater = chain[level]
        while piece and not inflater.eof and size <= budget:
            out = inflater.decompress(piece, _OUT)
            piece = inflater.unconsumed_tail
            if level + 1 < steps:
                feed(level + 1, out)
            else:
                size += len(out)

    try:
        while pos < len(view) and not chain[0].eof and size <= budget:
            feed(0, view[pos : pos + _PIECE])
            pos += _PIECE
    except zlib.error:  # damaged or not Flate after all: what inflated so far counts
        if plain and steps == 1 and ends is not None:
            ends[start] = None
        return size
    if plain and steps == 1 and ends is not None and size <= budget:
        first = chain[0]
        ends[start] = min(pos, len(view)) - len(first.unused_data) if first.eof else None
    return size


def inflated_size(data: bytes, limit: int, ends: Ends | None = None) -> int:
    """What the content streams of the PDF `data` inflate to in all, counted up to just
    past `limit` (the count stops there); where each stream read to its end ends goes into
    `ends`."""
    total = 0
    for head, start in _streams(data):
        if _NOT_CONTENT.search(head):
            continue
        filters = _filters(head)
        if not filters or not (_FLATE & set(filters)):
            continue
        total += _inflated(data, start, filters, limit - total, ends)
        if total > limit:
            break
    return total


def check_inflated(data: bytes, source: str, limit: int) -> Ends:
    """Refuse (PdfTooComplex, naming `source`) a PDF whose content inflates past `limit`;
    else where the streams it inflated end (for damage_signs)."""
    ends: Ends = {}
    if inflated_size(data, limit, ends) > limit:
        raise PdfTooComplex(source, inflates_too_far(limit))
    return ends
