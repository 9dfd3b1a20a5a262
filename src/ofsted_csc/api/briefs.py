"""Member briefs (ofsted_csc.reports.briefs) for the edges: a council's inspection outcome,
the national and regional picture and its improvement plan, as Word, HTML or PDF.

    b = api.briefs.build_brief(store, "810", snapshot=api.snapshot(store))
    data = api.briefs.brief_docx(b)
"""

from __future__ import annotations

from ofsted_csc.reports.briefs import (
    Brief,
    brief_docx,
    brief_html,
    build_brief,
    choose_inspection,
    docx_to_pdf,
    libreoffice,
    read_template,
)
from ofsted_csc.reports.briefs.content import Chart, council_inspections, council_letters

__all__ = [
    "Brief",
    "Chart",
    "brief_docx",
    "brief_html",
    "build_brief",
    "choose_inspection",
    "council_inspections",
    "council_letters",
    "docx_to_pdf",
    "libreoffice",
    "read_template",
]
