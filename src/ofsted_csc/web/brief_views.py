"""The member brief on the web: the brief as a page, and as Word (optionally on the
council's own template, uploaded), HTML or PDF. The same briefs as the CLI (ofsted_csc.api.briefs)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from ofsted_csc.api import briefs
from ofsted_csc.api.briefs import Brief, Chart
from ofsted_csc.domain.errors import InvalidInput, NotFound, not_a_date
from ofsted_csc.domain.frameworks import KIND_LABELS
from ofsted_csc.domain.records import InspectionRecord, LetterRecord
from ofsted_csc.web.auth import me
from ofsted_csc.web.chart_views import chart_download, send
from ofsted_csc.web.context import web_context
from ofsted_csc.web.downloads import attachment
from ofsted_csc.web.views import council_from

brief_pages = Blueprint("briefs", __name__)

TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def _as_at(given: str) -> date | None:
    if not given:
        return None
    try:
        return date.fromisoformat(given)
    except ValueError:
        raise InvalidInput(not_a_date(given)) from None


YEAR_BASES = {
    "calendar": "Calendar year (January to December)",
    "financial": "Financial year (April to March)",
}


def _year_basis(values: Any) -> str:
    given = (values.get("year") or "calendar").strip()
    if given not in YEAR_BASES:
        raise InvalidInput(f"year: “{given}” is not calendar or financial")
    return str(given)


def publication_choices(council: Any) -> list[tuple[str, str]]:
    """The council's reports and visit letters a brief can be drafted on, oldest first:
    (sha256, what the list shows)."""
    store = web_context().store
    out: list[tuple[date, str, str]] = []
    for i in briefs.council_inspections(store, council):
        r = i.result.record
        if isinstance(r, InspectionRecord) and r.inspection_start and r.framework and r.kind:
            fw = "2012-13" if r.framework.value == "pre_sif" else r.framework.value.upper()
            what = f"{r.inspection_start:%B %Y}: {fw} {r.kind.value.replace('_', ' ')}"
            out.append((r.inspection_start, i.result.source.sha256, what))
    for i in briefs.council_letters(store, council):
        letter = i.result.record
        if isinstance(letter, LetterRecord) and (start := letter.visit_start or letter.letter_date):
            kind = KIND_LABELS[letter.kind].lower() if letter.kind else "visit"
            out.append((start, i.result.source.sha256, f"{start:%B %Y}: {kind} (letter)"))
    out.sort()
    return [(sha, what) for _, sha, what in out]


def _build(code: str, values: Any) -> Brief:
    council = council_from(code)
    context = web_context()
    return briefs.build_brief(
        context.store,
        council.la_code,
        values.get("inspection") or None,
        _as_at(values.get("as_at", "").strip()),
        include_plan=me() is not None,  # plans are for signed-in users
        plan_reader=me(),  # and only the plans of councils where they have a role
        snapshot=context.snapshot(),  # the figures of the pages
        year_basis=_year_basis(values),
    )


def _file_name(b: Brief, ext: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", b.council.name).strip("-").lower()
    what = "visit" if b.is_visit else "inspection"
    return f"{stem}-{what}-{b.started}-brief.{ext}"


def _download(b: Brief, ext: str, template: bytes | None = None) -> Response:
    if ext == "html":
        data = briefs.brief_html(b).encode("utf-8")
    else:
        data = briefs.brief_docx(b, template)
        if ext == "pdf":
            data = briefs.docx_to_pdf(data, _file_name(b, "docx"))
    return attachment(data, _file_name(b, ext), TYPES[ext])


@brief_pages.get("/councils/<code>/brief")
def brief_page(code: str) -> Any:
    b = _build(code, request.args)
    choices = publication_choices(b.council)
    return render_template(
        "brief.html",
        brief=b,
        body=Markup(briefs.brief_html(b, standalone=False, chart_links=_chart_links(code))),
        choices=choices,
        chosen=b.inspection.result.source.sha256,
        year=_year_basis(request.args),
        as_at=request.args.get("as_at", ""),
        pdf=briefs.libreoffice() is not None,
    )


@brief_pages.get("/councils/<code>/brief.<any(docx, html, pdf):ext>")
def brief_file(code: str, ext: str) -> Response:
    return _download(_build(code, request.args), ext)


@brief_pages.post("/councils/<code>/brief.<any(docx, pdf):ext>")
def brief_with_template(code: str, ext: str) -> Response:
    upload = request.files.get("template")
    if upload is None or not upload.filename:
        raise InvalidInput("Choose the council's Word template (.docx) to use")
    template = briefs.read_template(upload.read(), upload.filename)
    return _download(_build(code, request.form), ext, template)


def _chart_links(code: str) -> Any:
    """The links under each of the brief's charts to its files (the page's query string)."""

    def links(chart: Chart) -> str:
        return str(chart_download("briefs.brief_chart", chart.caption, code=code, key=chart.key))

    return links


@brief_pages.get("/councils/<code>/brief/charts/<key>.<any(svg, png):fmt>")
def brief_chart(code: str, key: str, fmt: str) -> Response:
    """One of the brief's charts as a file to publish (web.chart_views), drawn again as SVG
    (its words as text) with the source line and the date its figures stand at."""
    b = _build(code, request.args)
    chart = next(
        (
            c
            for s in b.sections
            for c in s.blocks
            if isinstance(c, Chart) and c.key == key and c.svg is not None
        ),
        None,
    )
    if chart is None or chart.svg is None:
        raise NotFound(f"The brief has no chart called “{key}”.")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", f"{b.council.name} {key}").strip("-").lower()
    as_at = chart.as_at or b.as_at
    return send(
        chart.svg().decode("utf-8"), as_at, stem.replace("_", "-"), fmt, title=chart.caption
    )
