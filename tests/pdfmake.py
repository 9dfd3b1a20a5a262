"""Small real PDFs built in tests: text in Helvetica at given places, so that the parser
reads them through pdfium exactly as it reads Ofsted's files (positions, bold, sizes)."""

from __future__ import annotations

from collections.abc import Sequence

from ofsted_csc.domain.frameworks import Area

Item = tuple[str, float, float, float, bool]  # text, x, top, size, bold


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_from_items(pages: list[list[Item]], created: str) -> bytes:
    """A PDF of text in Helvetica (bold: Helvetica-Bold), each item at its place."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    fonts = [
        add(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % name)
        for name in (b"Helvetica", b"Helvetica-Bold")
    ]
    pages_id = len(objects) + 2 * len(pages) + 1
    kids = []
    for items in pages:
        stream = b"\n".join(
            b"BT /F%d %.1f Tf %.1f %.1f Td (%s) Tj ET"
            % (2 if bold else 1, size, x, top - 0.718 * size, _escape(text))
            for text, x, top, size, bold in items
        )
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font "
                b"<< /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, fonts[0], fonts[1], content)
            )
        )
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = add(b"<< /CreationDate (D:%s000000) >>" % created.encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        info,
        xref,
    )
    return bytes(out)


# -- an ILACS report in Ofsted's layout (invented council text, real wording) --

LABELS = {
    Area.LEADERSHIP: (
        "The impact of leaders on social work",
        "practice with children and families",
    ),
    Area.HELP_AND_PROTECTION: (
        "The experiences and progress of",
        "children who need help and protection",
    ),
    Area.IN_CARE: ("The experiences and progress of", "children in care"),
    Area.CARE_LEAVERS: ("The experiences and progress of care", "leavers"),
}
GOOD = "Good"
RI = "Requires improvement to be good"


def ilacs_page1(
    title: Sequence[str],
    grades: dict[Area, str],
    overall: str | None,
    *,
    grades_first: bool = False,
    grade_dy: float = 0.0,
    split_grades: bool = False,
) -> list[Item]:
    """Page 1 of an ILACS report: title, dates, lead inspector, the judgement table.
    `grades_first` writes every grade cell before any label (another stored order);
    `grade_dy` moves the grades down from their label's first line; `split_grades` puts a
    long grade over two lines of its cell."""
    items: list[Item] = []
    y = 720.0
    for line in title:
        items.append((line, 72, y, 26, False))
        y -= 32
    items += [
        ("Inspection dates: 12 to 23 January 2026", 72, 634, 12, True),
        ("Lead inspector: Jane Example, His Majesty’s Inspector", 72, 608, 12, True),
        ("Judgement Grade", 77, 569, 12, True),
    ]
    rows: list[tuple[list[Item], list[Item]]] = []  # (label lines, grade lines) per row
    y = 536.0
    for area, grade in grades.items():
        first, second = LABELS[area]
        label: list[Item] = [(first, 77, y, 12, False), (second, 77, y - 16.5, 12, False)]
        if split_grades and grade == RI:
            cell: list[Item] = [
                ("Requires improvement", 303, y - grade_dy, 12, False),
                ("to be good", 303, y - grade_dy - 14, 12, False),
            ]
        else:
            cell = [(grade, 303, y - grade_dy, 12, False)]
        rows.append((label, cell))
        y -= 41.5
    if overall is not None:
        rows.append(
            (
                [("Overall effectiveness", 77, y, 12, False)],
                [(overall, 303, y - grade_dy, 12, False)],
            )
        )
    if grades_first:
        items += [i for _, cell in rows for i in cell] + [i for label, _ in rows for i in label]
    else:
        items += [i for label, cell in rows for i in (*label, *cell)]
    items.append(
        (
            "Services for children in this area have improved since the last inspection.",
            71,
            300,
            12,
            False,
        )
    )
    return items


def ilacs_body(restated: dict[Area, str]) -> list[Item]:
    items: list[Item] = []
    y = 745.0
    headings = {
        Area.HELP_AND_PROTECTION: "The experiences and progress of children who need help and protection",
        Area.IN_CARE: "The experiences and progress of children in care",
        Area.CARE_LEAVERS: "The experiences and progress of care leavers",
        Area.LEADERSHIP: "The impact of leaders on social work practice with children and families",
    }
    for area, grade in restated.items():
        items.append((f"{headings[area]}: {grade.lower()}", 71, y, 14, True))
        items.append(
            (
                "1. Inspectors found practice that is described in this paragraph.",
                72,
                y - 26,
                12,
                False,
            )
        )
        y -= 90
    items += [
        ("What needs to improve?", 71, y, 14, True),
        ("• The quality of plans for children in care.", 72, y - 26, 12, False),
    ]
    return items
