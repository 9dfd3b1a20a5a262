"""Decompression and complexity bombs for tests and benchmarks/bomb.py: small valid PDFs
whose one page's content is a Flate stream that inflates to `inflated_mb` MB of

- "space": a line of text, then spaces (a decompression bomb: the inflated bytes themselves);
- "drawing": path operators, "0 0 m 1 1 l S" over and over (a complexity bomb: pdfium makes a
  path object of every line, tens of bytes of memory for each byte).

    python tests/bombs.py OUT.pdf 1024 drawing      # writes a bomb, prints its size

The stream is compressed piece by piece, so making a 1 GB bomb never holds 1 GB.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

MIB = 1024 * 1024
PATTERNS = {"space": b" " * 4096, "drawing": b"0 0 m 1 1 l S\n" * 292}  # ~4 KB each


def deflated(inflated_bytes: int, kind: str, head: bytes = b"") -> bytes:
    """`head` then the kind's pattern up to `inflated_bytes` in all, Flate compressed."""
    pattern = PATTERNS[kind]
    block = pattern * (MIB // len(pattern))
    packer = zlib.compressobj(9)
    parts = [packer.compress(head)]
    left = inflated_bytes - len(head)
    while left > 0:
        piece = block if left >= len(block) else block[:left]
        parts.append(packer.compress(piece))
        left -= len(piece)
    parts.append(packer.flush())
    return b"".join(parts)


def bomb_pdf(inflated_mb: float, kind: str = "space", wrap: str = "") -> bytes:
    """A one-page PDF whose content stream inflates to `inflated_mb` MB of the `kind`.
    `wrap`: "flate" compresses the stream once more, "hex" writes it in hexadecimal (filter
    chains that a check of the first filter alone would miss)."""
    head = b"BT /F1 12 Tf 72 760 Td (Bomb test page) Tj ET\n"
    content = deflated(int(inflated_mb * MIB), kind, head)
    filters = b"/FlateDecode"
    if wrap == "flate":
        content, filters = zlib.compress(content, 9), b"[/FlateDecode /FlateDecode]"
    elif wrap == "hex":
        content, filters = content.hex().encode() + b">", b"[/ASCIIHexDecode /FlateDecode]"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
        b"<< /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s >>\nstream\n%s\nendstream" % (len(content), filters, content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


if __name__ == "__main__":
    target, size_mb = Path(sys.argv[1]), float(sys.argv[2])
    target.write_bytes(bomb_pdf(size_mb, sys.argv[3] if len(sys.argv) > 3 else "space"))
    print(f"{target}: {target.stat().st_size / MIB:.2f} MB, inflating to {size_mb:g} MB")
