"""Member briefs: the door the CLI and the web app use.

    from ofsted_csc.api import briefs
    b = briefs.build_brief(store, "Hull", as_at=date(2026, 11, 1))
    docx = briefs.brief_docx(b)          # editable Word; brief_html(b); docx_to_pdf(docx)

The brief is written by reports/briefs/; its figures are the API's (`api.facts`), the same
the national and council commands and pages show.
"""

from __future__ import annotations

from datetime import date

from ofsted_csc.api.inspections import facts
from ofsted_csc.reports.briefs import (
    Brief,
    brief_docx,
    brief_html,
    choose_inspection,
    docx_to_pdf,
    libreoffice,
    read_template,
)
from ofsted_csc.reports.briefs import build_brief as _build_brief
from ofsted_csc.reports.briefs.content import council_inspections
from ofsted_csc.storage import Store

__all__ = [
    "Brief",
    "brief_docx",
    "brief_html",
    "build_brief",
    "choose_inspection",
    "council_inspections",
    "docx_to_pdf",
    "libreoffice",
    "read_template",
]


def build_brief(
    store: Store,
    council_name_or_code: str,
    inspection: str | None = None,
    as_at: date | None = None,
    include_plan: bool = True,
) -> Brief:
    """The member brief for a council's inspection (`inspection`: a date on or in it, a
    file name or sha256; default the latest published by `as_at`, default today)."""
    return _build_brief(store, facts(store), council_name_or_code, inspection, as_at, include_plan)
