"""A Brief as Word (python-docx, optionally on the council's own template) and as one
standalone HTML page. Both walk the same sections and blocks."""

from __future__ import annotations

import base64
import html
import io
import zipfile
from collections.abc import Callable
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt, RGBColor

from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.limits import MAX_TEMPLATE_BYTES
from ofsted_csc.parsing.ooxml import check_package
from ofsted_csc.reports.briefs.content import Brief, Bullets, Chart, Para, Table

# Word styles used, by what they are for, with the Normal-style fallback when a council's
# template lacks one: (style, bold, size in points, italic).
STYLES: dict[str, tuple[str, bool, float | None, bool]] = {
    "title": ("Title", True, 20, False),
    "subtitle": ("Subtitle", False, 11, True),
    "h1": ("Heading 1", True, 14, False),
    "h3": ("Heading 3", True, 11, False),
    "body": ("Normal", False, None, False),
    "lead": ("Normal", True, None, False),
    "quote": ("Quote", False, None, True),
    "small": ("Normal", False, 9, True),
    "caption": ("Caption", True, 9, False),
    "bullet": ("List Bullet", False, None, False),
    "table": ("Table Grid", False, None, False),
}


def read_template(data: bytes, file_name: str) -> bytes:
    """A council's Word template, checked: a .docx (not a macro file), safe to unzip, that
    python-docx can open. Returns the bytes to pass to brief_docx."""
    check_package(
        data,
        file_name,
        what="Word template",
        kind="a Word .docx file",
        part="word/document.xml",
        max_bytes=MAX_TEMPLATE_BYTES,
        hint="save the template from Word as a .docx document",
    )
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if any(n.lower().endswith("vbaproject.bin") for n in z.namelist()):
            raise InvalidInput(f"{file_name}: the template holds macros; save it as a plain .docx")
    try:
        Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds
        raise InvalidInput(
            f"{file_name}: Word cannot read this template ({type(exc).__name__}: {exc})"
        ) from None
    return data


def _start(template: bytes | None) -> Any:
    """A document to write into: the template with its body emptied (its styles, headers,
    footers, page set-up and logo stay), or python-docx's default."""
    if template is None:
        doc = Document()
        section = doc.sections[0]
        section.left_margin = section.right_margin = Cm(2.2)
        return doc
    doc = Document(io.BytesIO(template))
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return doc


def _has_style(doc: Any, name: str) -> bool:
    try:
        doc.styles[name]
    except KeyError:
        return False
    return True


def _para(doc: Any, text: str, kind: str) -> Any:
    style, bold, size, italic = STYLES[kind]
    if _has_style(doc, style):
        p = doc.add_paragraph(style=style)
        run = p.add_run(text)
        if kind in ("lead", "small"):
            run.bold = bold or None
            run.italic = italic or None
            if size:
                run.font.size = Pt(size)
        return p
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    return p


def _table(doc: Any, t: Table) -> None:
    _para(doc, t.caption, "caption")
    table = doc.add_table(rows=1, cols=len(t.columns))
    if _has_style(doc, STYLES["table"][0]):
        table.style = STYLES["table"][0]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells, t.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(9)
    for row in t.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).font.size = Pt(9)
    if t.note:
        _para(doc, t.note, "small")


def brief_docx(brief: Brief, template: bytes | None = None) -> bytes:
    """The brief as a Word document, on `template` (checked by read_template) if given."""
    doc = _start(template)
    _para(doc, brief.title, "title")
    _para(doc, brief.subtitle, "subtitle")
    for section in brief.sections:
        _para(doc, section.heading, "h1")
        for block in section.blocks:
            if isinstance(block, Para):
                _para(doc, block.text, block.style if block.style in STYLES else "body")
            elif isinstance(block, Bullets):
                for i, item in enumerate(block.items, block.start):
                    if block.numbered:
                        p = _para(doc, f"{i}. {item}", "body")
                        p.paragraph_format.left_indent = Cm(0.8)
                        p.paragraph_format.first_line_indent = Cm(-0.8)
                    else:
                        _para(doc, item, "bullet")
            elif isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Chart):
                doc.add_picture(io.BytesIO(block.png), width=Cm(16))
                cap = _para(doc, block.caption, "caption")
                cap.runs[0].font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)
    props = doc.core_properties
    props.title = brief.title
    props.subject = brief.subtitle
    props.author = "ofsted-csc"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# The standalone page's look: GOV.UK Frontend's colours, as on the web app (text, secondary
# text, borders, brand blue, surface).
_CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;max-width:60em;margin:2em auto;
padding:0 1em;line-height:1.4}
h1{font-size:1.8em;margin-bottom:.2em}h2{font-size:1.3em;margin-top:1.6em;
border-bottom:2px solid #1d70b8}h3{font-size:1.05em;margin-bottom:.2em}
.subtitle{color:#484949}.small{font-size:.85em;color:#484949}.lead{font-weight:bold}
blockquote{margin:.4em 0 .8em 0;padding-left:1em;border-left:4px solid #cecece}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
caption{text-align:left;font-weight:bold;padding:.3em 0}
th,td{border:1px solid #cecece;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f8fb}figure{margin:1em 0}img{max-width:100%;height:auto}
figcaption{font-size:.85em;color:#484949}
"""

# The GOV.UK Frontend classes of each element of the brief's body, by the element and its
# style (the web app shows the body inside its own page; the standalone page's CSS styles
# the elements themselves).
_CLASSES: dict[str, str] = {
    "h1": "govuk-heading-l",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "subtitle": "govuk-caption-m govuk-!-margin-bottom-6",
    "small": "govuk-body-s",
    "lead": "govuk-body govuk-!-font-weight-bold",
    "body": "govuk-body",
    "quote": "govuk-inset-text",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "table": "govuk-table app-table--small",
    "caption": "govuk-table__caption govuk-table__caption--s",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "figure": "app-figure",
    "img": "app-figure__chart",
    "figcaption": "govuk-body-s app-figure__caption",
}


def _classes(web: bool) -> Any:
    """The class attribute of an element of `kind` with `own` classes: GOV.UK Frontend's
    after them on the web; only them in the standalone page (its CSS styles the elements)."""

    def c(kind: str, own: str = "") -> str:
        names = " ".join(n for n in (own, _CLASSES.get(kind, "") if web else "") if n)
        return f' class="{html.escape(names)}"' if names else ""

    return c


def brief_html(
    brief: Brief, standalone: bool = True, chart_links: Callable[[Chart], str] | None = None
) -> str:
    """The brief as HTML: a whole page (charts embedded), or its body for the web app;
    `chart_links` gives the HTML put under each chart (the web app's links to its files)."""
    e = html.escape
    _c = _classes(web=not standalone)
    parts: list[str] = [
        f"<h1{_c('h1')}>{e(brief.title)}</h1>",
        f"<p{_c('subtitle', 'subtitle')}>{e(brief.subtitle)}</p>",
    ]
    for section in brief.sections:
        parts.append(f"<h2{_c('h2')}>{e(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, Para):
                if block.style == "h3":
                    parts.append(f"<h3{_c('h3')}>{e(block.text)}</h3>")
                elif block.style == "quote":
                    parts.append(f"<blockquote{_c('quote')}><p>{e(block.text)}</p></blockquote>")
                else:
                    style = block.style if block.style in _CLASSES else "body"
                    parts.append(f"<p{_c(style, block.style)}>{e(block.text)}</p>")
            elif isinstance(block, Bullets):
                tag = "ol" if block.numbered else "ul"
                start = f' start="{block.start}"' if block.numbered else ""
                items = "".join(f"<li>{e(i)}</li>" for i in block.items)
                parts.append(f"<{tag}{_c(tag)}{start}>{items}</{tag}>")
            elif isinstance(block, Table):
                th, td, tr = _c("th"), _c("td"), _c("tr")
                head = "".join(f'<th scope="col"{th}>{e(c)}</th>' for c in block.columns)
                rows = "".join(
                    f"<tr{tr}>" + "".join(f"<td{td}>{e(c)}</td>" for c in row) + "</tr>"
                    for row in block.rows
                )
                table = (
                    f'<table data-key="{e(block.key)}"{_c("table")}>'
                    f"<caption{_c('caption')}>{e(block.caption)}</caption>"
                    f"<thead{_c('thead')}><tr{tr}>{head}</tr></thead>"
                    f"<tbody{_c('tbody')}>{rows}</tbody></table>"
                )
                if not standalone:  # a region keys can scroll, where wider than the screen
                    table = (
                        f'<div class="app-scroll" role="region" tabindex="0" '
                        f'aria-label="{e(block.caption)}">{table}</div>'
                    )
                parts.append(table)
                if block.note:
                    parts.append(f"<p{_c('small', 'small')}>{e(block.note)}</p>")
            elif isinstance(block, Chart):
                data = base64.b64encode(block.png).decode("ascii")
                parts.append(
                    f'<figure{_c("figure")} data-key="{e(block.key)}">'
                    f'<img{_c("img")} src="data:image/png;base64,{data}" alt="{e(block.alt)}">'
                    f"<figcaption{_c('figcaption')}>{e(block.caption)}</figcaption></figure>"
                )
                if chart_links is not None:
                    parts.append(chart_links(block))
    body = "\n".join(parts)
    if not standalone:
        return body
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(brief.title)}</title><style>{_CSS}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )
