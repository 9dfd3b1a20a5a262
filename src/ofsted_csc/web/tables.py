"""The long tables' rows, built in Python: the inspections listing (100 rows a page), the
councils page and the map's table (a row per council), and a council's history, neighbours,
reports and visits. A Jinja loop over them, with a filter or macro per cell and `url_for` per
link, cost more than the rest of the page put together; these functions write the same markup
directly. A listing row is made once per document and judgement and remembered with the
snapshot (Snapshot.memo), so a listing page costs its own rows, not the store's.

The tables' values come as rows of ofsted_csc.api.rows (the one module of row formats:
listing_row, council_rows, neighbour_rows, history_rows, the regions table); this module only
writes them as HTML. A council's reports and visits are documents, not rows: they are written
from the snapshot's Documents.

Links to councils, regions, records and PDFs are written as `{script root}/councils/{code}`
and so on (the routes of pages.council, pages.region, pages.document and pages.pdf) without
building each through `url_for`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from flask import request
from markupsafe import Markup, escape

from ofsted_csc import api
from ofsted_csc.domain import shares
from ofsted_csc.domain.councils import Council
from ofsted_csc.domain.frameworks import (
    FRAMEWORK_LABELS,
    FRAMEWORK_SHORT,
    KIND_LABELS,
    Framework,
    Kind,
)
from ofsted_csc.web.charts import MapArea
from ofsted_csc.web.data import JUDGEMENT_NAMES
from ofsted_csc.web.filters import grade_tag, kind_label, long_date, query

Row = Mapping[str, Any]

NOT_GRADED = '<td class="govuk-table__cell"><span class="govuk-body-s">Not graded</span></td>'
NOT_JUDGED = '<td class="govuk-table__cell"><span class="govuk-body-s">Not judged</span></td>'


def council_href(code: str) -> str:
    """The address of a council's page (pages.council)."""
    return f"{request.script_root}/councils/{escape(code)}"


def slug(text: str) -> str:
    """A name as it appears in an address: "Yorkshire and The Humber" gives
    "yorkshire-and-the-humber"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def region_href(region_slug: str) -> str:
    """The address of a region's page (pages.region), by the region's slug."""
    return f"{request.script_root}/regions/{escape(region_slug)}"


def document_href(sha256: str) -> str:
    """The address of a stored document's record (pages.document)."""
    return f"{request.script_root}/inspections/{escape(sha256)}"


def inspector_href(name: str) -> str:
    """The address of what one lead inspector led (inspectors.inspectors)."""
    return f"{request.script_root}/inspectors?{escape(urlencode({'name': name}))}"


def pdf_href(sha256: str) -> str:
    """The address of a stored document's PDF (pages.pdf)."""
    return f"{request.script_root}/documents/{escape(sha256)}.pdf"


def council_link(council: Council) -> Markup:
    """A link to a council's page, named by the council."""
    return _council_link(council.la_code, council.name)


def _council_link(la_code: str, name: str) -> Markup:
    return Markup(f'<a class="govuk-link" href="{council_href(la_code)}">{escape(name)}</a>')


# -- the inspections listing --


def _kind(value: object) -> Kind | None:
    return Kind(str(value)) if value else None


def _listing_parts(row: Row) -> tuple[str, str]:
    """A listing row's HTML before and after its grade cell."""
    sha = escape(row["sha256"])
    name = str(row["council"])
    council = _council_link(row["la_code"], name) if row["la_code"] is not None else escape(name)
    kind = _kind(row["kind"])
    kind_text = KIND_LABELS[kind] if kind else "Unknown"
    what: str
    if kind is not None and kind.is_letter:
        what = escape(kind_text)
    else:
        framework = FRAMEWORK_LABELS[Framework(row["framework"])] if row["framework"] else "Unknown"
        what = f"{escape(framework)}: {escape(kind_text.lower())}"
    when = escape(long_date(row["start"]))
    of = f"{escape(name)}, {when}"
    head = (
        f'<tr class="govuk-table__row" data-sha256="{sha}">\n'
        f'<th scope="row" class="govuk-table__header">{council}</th>\n'
        f'<td class="govuk-table__cell">{what}</td>\n'
        f'<td class="govuk-table__cell">{when}</td>\n'
    )
    tail = (
        f'\n<td class="govuk-table__cell"><a class="govuk-link" href="{document_href(sha)}">'
        f'Record<span class="govuk-visually-hidden"> of {of}</span></a>, '
        f'<a class="govuk-link" href="{pdf_href(sha)}">'
        f'PDF<span class="govuk-visually-hidden"> of {of}</span></a></td>\n</tr>'
    )
    return head, tail


def listing_rows(snap: api.Snapshot, rows: Iterable[Row], judgement: str) -> Markup:
    """The listing's rows (api.rows.listing_row), each with its grade for `judgement`. Each
    row's HTML is made once per document, judgement and script root, and remembered with the
    snapshot."""
    made: dict[tuple[str, str, str], str] = snap.memo(("listing-rows",), dict)
    root = request.script_root
    out = []
    for row in rows:
        key = (root, judgement, row["sha256"])
        html = made.get(key)
        if html is None:
            html = made[key] = _listing_row(row, judgement)
        out.append(html)
    return Markup("\n".join(out))


def _listing_row(row: Row, judgement: str) -> str:
    head, tail = _listing_parts(row)
    kind = _kind(row["kind"])
    if kind is not None and kind.is_letter:
        cell = NOT_GRADED
    elif row[judgement] is not None:
        cell = f'<td class="govuk-table__cell">{grade_tag(row[judgement])}</td>'
    else:
        cell = NOT_JUDGED
    return head + cell + tail


def options(
    values: Iterable[object], chosen: object, text: Callable[[Any], str] = str
) -> list[dict[str, object]]:
    """A listing filter's select items: "Any", then each value (`chosen` selected)."""
    mine = "" if chosen is None else str(chosen)
    anything: dict[str, object] = {"value": "", "text": "Any"}
    return [anything] + [{"value": v, "text": text(v), "selected": str(v) == mine} for v in values]


def choices(names: Mapping[str, str], chosen: str) -> list[dict[str, object]]:
    """A select's items from {value: text}, `chosen` selected."""
    return [{"value": k, "text": text, "selected": k == chosen} for k, text in names.items()]


def pagination(
    base: str, args: Mapping[str, object], page: int, pages_count: int
) -> dict[str, Any] | None:
    """govuk.pagination's parameters for page `page` of `pages_count` (None for one page)."""
    if pages_count <= 1:
        return None

    def href(n: int) -> str:
        return base + query(args, page=n)

    return {
        "previous": {"href": href(page - 1)} if page > 1 else None,
        "next": {"href": href(page + 1)} if page < pages_count else None,
        "items": [
            {"number": n, "href": href(n), "current": n == page} for n in range(1, pages_count + 1)
        ],
    }


# -- councils --


def councils_rows(rows: Iterable[Row]) -> Markup:
    """The councils page's rows (api.rows.council_rows): each council, its region, latest
    inspection and overall effectiveness."""
    out = []
    for row in rows:
        latest = row["latest_inspection"]
        grade = row["overall_effectiveness"]
        if latest is not None:
            inspection = (
                f"{escape(_framework_short(row['framework']))}, {escape(long_date(latest))}"
            )
        else:
            inspection = "None"
        if latest is not None and grade is None:
            cell = '<span class="govuk-body-s">Not judged</span>'
        else:
            cell = str(grade_tag(grade))
        out.append(
            '<tr class="govuk-table__row">\n'
            f'<th scope="row" class="govuk-table__header">{_council_link(row["la_code"], row["name"])}</th>\n'
            f'<td class="govuk-table__cell">{escape(row["ons_region"])}</td>\n'
            f'<td class="govuk-table__cell">{inspection}</td>\n'
            f'<td class="govuk-table__cell">{cell}</td>\n</tr>'
        )
    return Markup("\n".join(out))


def map_rows(areas: Iterable[MapArea]) -> Markup:
    """The map's table: each council (a link to its page) and its grade."""
    return Markup(
        "".join(
            '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f'<a class="govuk-link" href="{escape(a.href)}">{escape(a.name)}</a></th>'
            f'<td class="govuk-table__cell">{escape(a.label)}</td></tr>'
            for a in areas
        )
    )


# -- a council's documents --


def _source_link(doc: api.Document) -> str:
    """macros.html's source_link: the PDF, named for screen readers."""
    return (
        f'<a class="govuk-link" href="{pdf_href(doc.sha256)}">PDF<span class="govuk-visually-hidden">'
        f" of {escape(doc.council_name)} {escape(doc.kind_label.lower())}, "
        f"{escape(long_date(doc.start))}</span></a>"
    )


def _inspector(doc: api.Document) -> str:
    """ "Lead inspector: NAME. ", the name merged across its forms and linked to what that
    inspector led; as written when it is not a name the merge reads."""
    if doc.leads:
        links = ", ".join(
            f'<a class="govuk-link" href="{inspector_href(n)}">{escape(n)}</a>' for n in doc.leads
        )
        return f"Lead inspector{'s' if len(doc.leads) > 1 else ''}: {links}. "
    return f"Lead inspector: {escape(doc.lead_inspector)}. " if doc.lead_inspector else ""


def council_reports(docs: Iterable[api.Document]) -> Markup:
    """A council page's reports, each with its recommendations ("" when there are none)."""
    out = []
    for doc in docs:
        if doc.is_letter:
            continue
        when = escape(long_date(doc.start))
        out.append(
            f'<h3 class="govuk-heading-m">{escape(doc.framework_label)}: '
            f"{escape(doc.kind_label.lower())}, {when}</h3>\n"
            f'<p class="govuk-body-s">{_inspector(doc)}<a class="govuk-link" '
            f'href="{document_href(doc.sha256)}">The record<span class="govuk-visually-hidden"> '
            f"of the {when} inspection</span></a> &middot; {_source_link(doc)}</p>"
        )
        if doc.recommendations:
            items = "".join(
                f"<li>{escape(text)}"
                + (f' <span class="govuk-body-s">({escape(nf)})</span>' if nf else "")
                + "</li>"
                for _position, text, nf in doc.recommendations
            )
            out.append(f'<ol class="govuk-list govuk-list--number">\n{items}\n</ol>')
        else:
            out.append('<p class="govuk-body">The report makes no recommendations.</p>')
    return Markup("\n".join(out))


def council_visits(docs: Iterable[api.Document]) -> Markup:
    """A council page's visit letters, each with what it asked for ("" when there are none)."""
    out = []
    for doc in docs:
        if not doc.is_letter:
            continue
        out.append(
            f'<h3 class="govuk-heading-m">{escape(doc.kind_label)}, '
            f"{escape(long_date(doc.start))}</h3>"
        )
        if doc.theme:
            out.append(f'<p class="govuk-body">Looked at: {escape(doc.theme)}</p>')
        for heading, listed in (
            ("Priority actions", doc.priority_actions),
            ("Areas for improvement", doc.areas_for_improvement),
        ):
            if listed:
                items = "".join(f"<li>{escape(t)}</li>" for t in listed)
                out.append(
                    f'<h4 class="govuk-heading-s">{heading}</h4>\n'
                    f'<ul class="govuk-list govuk-list--bullet">{items}</ul>'
                )
        out.append(f'<p class="govuk-body-s">{_inspector(doc)}{_source_link(doc)}</p>')
    return Markup("\n".join(out))


def neighbour_rows(council: Council, latest: Row | None, neighbours: Iterable[Row]) -> Markup:
    """The statistical neighbours table's rows: the council itself (the history row of its
    latest graded inspection, or None), then each neighbour (api.rows.neighbour_rows), with
    their latest grades."""
    judgements = list(JUDGEMENT_NAMES)  # the table's columns, as its header names them
    when: str
    if latest is not None:
        when = escape(long_date(latest["inspection_start"]))
        cells = _grade_cells(latest)
    else:
        when = "None"
        cells = '<td class="govuk-table__cell"></td>' * len(judgements)
    out = [
        '<tr class="govuk-table__row">\n<th scope="row" class="govuk-table__header">'
        f'{escape(council.name)} <span class="govuk-body-s">(this council)</span></th>\n'
        f'<td class="govuk-table__cell" data-label="Latest inspection">{when}</td>\n'
        f"{cells}\n</tr>"
    ]
    for row in neighbours:
        latest_start = row["latest_inspection"]
        when = escape(long_date(latest_start)) if latest_start is not None else "None"
        cells = _grade_cells(row)
        link = _council_link(row["la_code"], row["neighbour"])
        out.append(
            '<tr class="govuk-table__row">\n'
            f'<th scope="row" class="govuk-table__header">{link}</th>\n'
            f'<td class="govuk-table__cell" data-label="Latest inspection">{when}</td>\n'
            f"{cells}\n</tr>"
        )
    return Markup("\n".join(out))


def _framework_short(value: object) -> str:
    try:
        return FRAMEWORK_SHORT[Framework(str(value))]
    except ValueError:
        return str(value or "")


def _grade_cells(row: Row) -> str:
    """A row's grade for each judgement, each cell labelled with its column's name (shown
    above the grade where the table is stacked on a narrow screen)."""
    return "".join(
        f'<td class="govuk-table__cell" data-label="{escape(name)}">{grade_tag(row[j])}</td>'
        for j, name in JUDGEMENT_NAMES.items()
    )


def history_rows(history: Iterable[Row], by_source: Mapping[str, api.Document]) -> Markup:
    """A council's graded inspections (api.rows.history_rows), oldest first: what and
    when, with when it was published and its source below (its record and PDF when the
    report is stored), each judgement's grade and the overall change."""
    out = []
    for row in history:
        doc = by_source.get(row["source"])
        what = f"{escape(_framework_short(row['framework']))} {escape(kind_label(row['kind']).lower())}"
        if row.get("start_known"):
            what += f", {escape(long_date(row['inspection_start']))}"
        else:
            what += ' <span class="govuk-body-s">(start not known)</span>'
        published = f"Published {escape(long_date(row['published']))}"
        if doc is not None and doc.published_estimated:
            published += " (estimated)"
        if doc is not None:
            source = (
                f'<a class="govuk-link" href="{document_href(doc.sha256)}">Report<span '
                f'class="govuk-visually-hidden"> of {escape(long_date(row["inspection_start"]))}'
                f"</span></a>, {_source_link(doc)}"
            )
        elif str(row["source"]).startswith("official:"):
            source = "Ofsted statistics"
        else:
            source = escape(row["source"])
        change = escape(str(row.get("overall_change") or "").capitalize())
        out.append(
            '<tr class="govuk-table__row">\n'
            f'<th scope="row" class="govuk-table__header">{what}'
            f'<span class="app-table__more">{published}.<br>{source}</span></th>\n'
            f"{_grade_cells(row)}\n"
            f'<td class="govuk-table__cell" data-label="Overall change">{change}</td>\n</tr>'
        )
    return Markup("\n".join(out))


def regions_rows(table: Iterable[Mapping[str, Any]], grades: Iterable[str]) -> Markup:
    """The regions table's rows (api.regions): each region (a link to its
    page), its councils, the count of each of `grades`, not judged, not inspected and the
    share good or better."""
    grades = list(grades)
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    out = []
    for r in table:
        region = str(r["region"])
        href = region_href(slug(region))
        counts = "".join(f"{numeric}{escape(r.get(g, 0))}</td>" for g in grades)
        share = r.get("percent_good_or_better")
        if share is not None:  # "50% (2 of 4)" when few are judged (domain.shares)
            good = int(r.get("outstanding", 0)) + int(r.get("good", 0))
            share = shares.share(share, good, int(r["total"]))
        out.append(
            '<tr class="govuk-table__row">\n<th scope="row" class="govuk-table__header">'
            f'<a class="govuk-link" href="{href}">{escape(region)}</a></th>\n'
            f"{numeric}{escape(r['councils'])}</td>\n{counts}\n"
            f"{numeric}{escape(r['not_judged'])}</td>\n"
            f"{numeric}{escape(r['not_inspected'])}</td>\n"
            f"{numeric}{'' if share is None else escape(share)}</td>\n</tr>"
        )
    return Markup("\n".join(out))
