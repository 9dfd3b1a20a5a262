"""Make the bad-input fixtures under tests/fixtures/bad/ (committed; not needed at test time).

Needs pypdf and fpdf2, which are not ofsted-csc dependencies: run it from a throwaway venv,

    python3 -m venv /tmp/fx && /tmp/fx/bin/pip install pypdf fpdf2
    /tmp/fx/bin/python tools/make_bad_fixtures.py

Deterministic except encrypted.pdf (encryption salts are random): re-made only when needed.
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXED_DATE = datetime(2024, 3, 1, tzinfo=UTC)
BAD = ROOT / "tests" / "fixtures" / "bad"
SOURCE = ROOT / "tests" / "fixtures" / "reports" / "50282103.pdf"  # a small real report


def png(width: int = 40, height: int = 20) -> bytes:
    """A small grey PNG, made by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def other_subject() -> bytes:
    """A genuine text PDF about something else: a parish council agenda."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 10, "Little Wittering Parish Council", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    lines = [
        "Agenda for the meeting of the full council, 14 March 2024, 7.30pm, Village Hall",
        "1. Apologies for absence",
        "2. Declarations of interest",
        "3. Minutes of the meeting held on 8 February 2024",
        "4. Allotments: water supply and the waiting list",
        "5. Planning applications: 24/00311/FUL, extension at Rose Cottage",
        "6. Village green: grass cutting contract for 2024-25",
        "7. Finance: payments for approval and the bank reconciliation",
        "8. Date of the next meeting",
    ]
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned() -> bytes:
    """An image-only PDF: a page with a picture and no text layer (like a scan)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.image(io.BytesIO(png(200, 100)), x=10, y=10, w=150)
    return bytes(pdf.output())


def encrypted() -> bytes:
    """A real report with a user password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(SOURCE))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_renamed() -> bytes:
    """The first bytes of a Word document (a zip), enough to be recognised."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        info = zipfile.ZipInfo("word/document.xml", date_time=(2024, 1, 1, 0, 0, 0))
        z.writestr(info, "<w:document/>")
    return out.getvalue()


MONITORING_LETTER = [
    "Ofsted",
    "Piccadilly Gate",
    "Store Street",
    "Manchester M1 2WD",
    "",
    "12 March 2020",
    "Ms Jane Example",
    "Director of Children's Services",
    "Sandwell Metropolitan Borough Council",
    "Oldbury B69 3DE",
    "",
    "Dear Ms Example",
    "Monitoring visit to Sandwell children's services",
    "This letter summarises the findings of the monitoring visit to Sandwell children's "
    "services on 4 and 5 February 2020. This was the fifth monitoring visit since the local "
    "authority was judged inadequate in February 2018. The visit was carried out by Her "
    "Majesty's Inspectors Alex Sample and Sam Specimen.",
    "Areas covered by the visit",
    "Inspectors reviewed the progress made in the quality of planning for children in care, "
    "including the timeliness of permanence decisions and the quality of care plans.",
    "Headline findings",
    "Leaders have made steady progress since the last monitoring visit. Most children in care "
    "now have plans that are reviewed regularly, although the quality of plans varies.",
    "Ofsted will take the findings from this monitoring visit into account when planning the "
    "next monitoring visit or inspection.",
    "Yours sincerely",
    "Alex Sample",
    "Her Majesty's Inspector",
]


def monitoring_letter() -> bytes:
    """A monitoring visit letter laid out like Ofsted's, for recognition tests: the corpus
    has none. Council, dates and names are invented (the council is real, so it matches)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in MONITORING_LETTER:
        bold = line in (
            "Monitoring visit to Sandwell children's services",
            "Areas covered by the visit",
            "Headline findings",
        )
        pdf.set_font("Helvetica", style="B" if bold else "", size=12 if bold else 11)
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def main() -> None:
    BAD.mkdir(parents=True, exist_ok=True)
    report = SOURCE.read_bytes()
    files = {
        "empty.pdf": b"",
        "truncated.pdf": report[: int(len(report) * 0.4)],
        "encrypted.pdf": encrypted(),
        "image_renamed.pdf": png(),
        "other_subject.pdf": other_subject(),
        "scanned.pdf": scanned(),
        "word_renamed.pdf": docx_renamed(),
    }
    for name, data in files.items():
        (BAD / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")
    synthetic = BAD.parent / "synthetic"
    synthetic.mkdir(exist_ok=True)
    (synthetic / "monitoring_visit.pdf").write_bytes(monitoring_letter())
    print("synthetic/monitoring_visit.pdf")


if __name__ == "__main__":
    main()
