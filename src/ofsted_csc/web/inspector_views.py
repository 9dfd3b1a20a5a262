"""Web pages of lead inspectors: every lead inspector with how many inspections and visits
they led, and one inspector's list (council, date, kind); CSV and XLSX downloads of both.
Lists, never rankings by outcome: each page carries the note that says why."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from ofsted_csc import api
from ofsted_csc.web.views import download, site

inspector_pages = Blueprint("inspectors", __name__)


@inspector_pages.get("/inspectors")
def inspectors() -> Any:
    """Every lead inspector (`?name=` one inspector's list); `?format=csv|xlsx` downloads."""
    data = site()
    name = request.args.get("name", "").strip()
    table = api.inspector_table(data, name) if name else api.inspectors_table(data)
    fmt = request.args.get("format")
    args = {"name": name} if name else {}
    if fmt is not None:
        return download(table, fmt, "inspector" if name else "inspectors")
    one = table.rows[0]["inspector"] if name and table.rows else None
    return render_template(
        "inspectors.html",
        title=f"Lead inspector: {one}" if one else "Lead inspectors",
        table=table,
        one=one,
        forms=api.inspector(data, name).forms if name else (),
        args=args,
        note=api.INSPECTORS_NOTE,
        merge_note=api.MERGE_NOTE,
    )
