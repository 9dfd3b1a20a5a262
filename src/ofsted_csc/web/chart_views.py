"""Every chart of the web app as a file to publish: `/charts/NAME.svg` or `.png`, with the
query string of the page that shows it (the date, the judgement, the kind of region).

The file is the page's chart with its title, the key to its colours, the source line and
the date its figures stand at (charts.chart_file); the PNG is drawn from that SVG on the
server (resvg, through resvg-py: a Rust renderer in a self-contained wheel, no browser and
no system library), with the DejaVu Sans that matplotlib ships, so it looks the same on
every machine. Each page links its charts' files under them (`chart_download`)."""

from __future__ import annotations

import importlib.util
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, request, url_for
from markupsafe import Markup, escape

from ofsted_csc.domain.councils import check_region_kind
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.web import charts, views
from ofsted_csc.web.downloads import attachment
from ofsted_csc.web.filters import grade_label

chart_files = Blueprint("charts", __name__)

FORMAT = "<any(svg, png):fmt>"
TYPES = {"svg": "image/svg+xml", "png": "image/png"}
PNG_ZOOM = 2.0  # pixels a point of the SVG: sharp on a slide or in print


@cache
def fonts() -> tuple[str, ...]:
    """The font files the PNG is drawn with: matplotlib's DejaVu Sans (a dependency
    already), found without importing matplotlib; none if it is not there (then the
    machine's own fonts are used)."""
    spec = importlib.util.find_spec("matplotlib")
    roots = list(spec.submodule_search_locations or []) if spec else []
    found = [
        Path(root, "mpl-data", "fonts", "ttf", name)
        for root in roots
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    ]
    return tuple(str(p) for p in found if p.is_file())


def png_of(svg: str) -> bytes:
    """The SVG drawn as a PNG, PNG_ZOOM pixels a point, sans-serif text in DejaVu Sans."""
    import resvg_py  # a compiled module: loaded when the first PNG is asked for

    own = fonts()
    png: bytes = resvg_py.svg_to_bytes(
        svg_string=svg,
        zoom=PNG_ZOOM,
        skip_system_fonts=bool(own),
        font_files=list(own) or None,
        font_family="DejaVu Sans",
        sans_serif_family="DejaVu Sans",
    )
    return png


def send(
    chart: Markup | str,
    as_at: date,
    stem: str,
    fmt: str,
    key: list[str] | tuple[str, ...] = (),
    title: str | None = None,
) -> Response:
    """`chart` as a file, `stem-YYYY-MM-DD.svg|png` (the date its figures stand at). Given
    a `title`, the chart (a brief's) draws its own, and the file only names it."""
    svg = charts.chart_file(
        chart,
        as_at,
        date.today(),
        [(k, grade_label(k)) for k in key],
        title=title,
        draw_title=title is None,
    )
    name = f"{stem}-{as_at.isoformat()}.{fmt}"
    body: bytes | str = svg if fmt == "svg" else png_of(svg)
    return attachment(body, name, TYPES[fmt])


def chart_download(endpoint: str, what: str, **values: Any) -> Markup:
    """The links under a chart to its files, with the page's query string: "Download this
    chart: SVG, PNG" (each link naming `what` for screen readers)."""
    args: dict[str, Any] = {
        k: v for k, v in request.args.items() if k not in values and k not in ("fmt", "key")
    }
    links = [
        f'<a class="govuk-link" href="{escape(url_for(endpoint, fmt=fmt, **values, **args))}" '
        f'download>{fmt.upper()}<span class="govuk-visually-hidden"> of {escape(what)}</span>'
        "</a>"
        for fmt in ("svg", "png")
    ]
    return Markup(
        f'<p class="govuk-body-s app-chart-download">Download this chart: {", ".join(links)}</p>'
    )


chart_files.add_app_template_global(chart_download, "chart_download")


def _day(today: date) -> date:
    """The page's date (`as_at-day`, `-month`, `-year`), today if none is given."""
    field = views.date_field("as_at", today)
    if field.error:
        raise InvalidInput(f"as_at: {field.error}")
    return field.value or today


@chart_files.get(f"/charts/national.{FORMAT}")
def national(fmt: str) -> Response:
    data = views.site()
    day = _day(date.today())
    chart, grades = views.national_chart(data, day)
    return send(chart, day, "national-picture", fmt, grades)


@chart_files.get(f"/charts/trend.{FORMAT}")
def trend(fmt: str) -> Response:
    data = views.site()
    today = date.today()
    judgement = views.judgement_arg()
    chart = views.trend_chart(data, judgement, today)
    keys = [k for k, _ in views.TREND_GRADES]
    return send(chart, today, f"trend-{views.slug(judgement)}", fmt, keys)


@chart_files.get(f"/charts/regions.{FORMAT}")
def regions(fmt: str) -> Response:
    data = views.site()
    day = _day(date.today())
    judgement = views.judgement_arg()
    by = check_region_kind(request.args.get("by", "ons"))
    chart, grades = views.regions_chart(data, day, judgement, by)
    return send(chart, day, f"regions-{by}-{views.slug(judgement)}", fmt, grades)


@chart_files.get(f"/charts/regions-over-time.{FORMAT}")
def regions_over_time(fmt: str) -> Response:
    data = views.site()
    today = date.today()
    judgement = views.judgement_arg()
    by = check_region_kind(request.args.get("by", "ons"))
    over = data.memo(
        ("regions-over-time", today, judgement, by),
        lambda: views.regions_over_time(data, judgement, by),
    )
    return send(over["chart"], today, f"regions-over-time-{by}-{views.slug(judgement)}", fmt)


@chart_files.get(f"/charts/regions/<name>.{FORMAT}")
def region(name: str, fmt: str) -> Response:
    region_name = views.region_of(name)
    today = date.today()
    chart, grades = views.region_chart(views.site(), region_name, today)
    return send(chart, today, f"region-{name}", fmt, grades)


@chart_files.get(f"/charts/councils/<code>.{FORMAT}")
def council(code: str, fmt: str) -> Response:
    c = views.council_from(code)
    today = date.today()
    _, _, parts = views.council_page(views.site(), c, today)
    return send(parts["timeline"], today, f"inspections-{c.la_code}-{views.slug(c.name)}", fmt)


def _map(fmt: str, london: bool) -> Response:
    data = views.site()
    today = date.today()
    judgement = views.judgement_arg()
    england, inset, keys, _ = data.memo(
        ("map-file", today, judgement), lambda: views.england_map(data, today, judgement, False)
    )
    if london and not inset:
        raise InvalidInput("There is no London council to draw.")
    stem = f"map-{'london-' if london else ''}{views.slug(judgement)}"
    return send(inset if london else england, today, stem, fmt, keys)


@chart_files.get(f"/charts/map.{FORMAT}")
def england(fmt: str) -> Response:
    return _map(fmt, london=False)


@chart_files.get(f"/charts/map-london.{FORMAT}")
def london(fmt: str) -> Response:
    return _map(fmt, london=True)
