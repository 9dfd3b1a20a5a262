"""Member briefs: a council's inspection outcome, the national and regional picture and
its improvement plan, drafted as an editable Word document (and HTML, and PDF).

    build_brief(store, council, inspection=None, as_at=None) -> Brief
    brief_docx(brief, template=None) -> bytes
    brief_html(brief) -> str
    docx_to_pdf(data) -> bytes      (LibreOffice, headless)
"""

from ofsted_csc.reports.briefs.content import Brief, build_brief, choose_inspection
from ofsted_csc.reports.briefs.convert import docx_to_pdf, libreoffice
from ofsted_csc.reports.briefs.render import brief_docx, brief_html, read_template

__all__ = [
    "Brief",
    "brief_docx",
    "brief_html",
    "build_brief",
    "choose_inspection",
    "docx_to_pdf",
    "libreoffice",
    "read_template",
]
