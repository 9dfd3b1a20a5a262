"""Charts and the map, drawn on the server as SVG: no script, no network, readable by
screen readers (role="img", a title and a description), and each one sits beside a table
that holds the same figures."""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape, unescape
from importlib import resources
from typing import Any

from markupsafe import Markup

from ofsted_csc.domain.grades import GRADE_PALETTE, NOT_JUDGED, SCALE_SINCE_2013, Grade
from ofsted_csc.domain.shares import SMALL_BASE, is_small, share

# The grades' colours are the one palette (domain.grades.GRADE_PALETTE), by grade key; the
# map adds two greys for councils with no grade to show.
GRADE_COLOURS: dict[str, str] = {g.value: p.colour for g, p in GRADE_PALETTE.items()} | {
    NOT_JUDGED: "#b1b4b6",
    "not_inspected": "#dee0e2",
}
TEXT_ON: dict[str, str] = {g.value: p.text_on for g, p in GRADE_PALETTE.items()}
FONT = 'font-family="arial, sans-serif"'


def _svg(
    width: int, height: int, title: str, desc: str, body: str, cls: str = "", role: str = "img"
) -> Markup:
    """An SVG with its title and description; role "img" for a picture, "group" for one
    that holds links (the map)."""
    ident = f"c{zlib.crc32((title + desc).encode()):08x}"
    return Markup(
        f'<svg class="app-chart {cls}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="{role}" aria-labelledby="{ident}-t {ident}-d" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


@dataclass(frozen=True)
class Bar:
    label: str
    parts: Sequence[tuple[str, str, int]]  # grade key, grade label, count


def stacked_bars(bars: Sequence[Bar], title: str) -> Markup:
    """Horizontal bars, one per judgement, each split by grade as a share of those judged.
    A bar of few councils (domain.shares) labels its parts "50% (2 of 4)" where they fit,
    and says how many were judged at its end."""
    label_w, bar_w, row_h, gap = 190, 420, 30, 12
    small_any = any(is_small(sum(n for _, _, n in b.parts)) for b in bars)
    note_w = 100 if small_any else 0
    width = label_w + bar_w + 10 + note_w
    height = len(bars) * (row_h + gap) + 10
    out: list[str] = []
    words: list[str] = []
    for i, bar in enumerate(bars):
        y = 5 + i * (row_h + gap)
        total = sum(n for _, _, n in bar.parts)
        out.append(
            f'<text x="{label_w - 8}" y="{y + row_h / 2 + 5}" text-anchor="end" '
            f'font-size="15" {FONT} fill="#0b0c0c">{escape(bar.label)}</text>'
        )
        if not total:
            out.append(
                f'<text x="{label_w}" y="{y + row_h / 2 + 5}" font-size="15" {FONT} '
                f'fill="#505a5f">none judged</text>'
            )
            words.append(f"{bar.label}: none judged")
            continue
        x = float(label_w)
        said: list[str] = []
        for key, name, n in bar.parts:
            if not n:
                continue
            w = bar_w * n / total
            pct = round(100 * n / total)
            label = share(pct, n, total)
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h}" '
                f'fill="{GRADE_COLOURS.get(key, "#b1b4b6")}"><title>{escape(name)}: {n} '
                f"({escape(label)})</title></rect>"
            )
            shown = next((t for t in (label, f"{pct}%") if text_width(t, 14) + 6 <= w), None)
            if shown is None and w >= 34:
                shown = f"{pct}%"
            if shown is not None:
                out.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + row_h / 2 + 5}" text-anchor="middle" '
                    f'font-size="14" {FONT} fill="{TEXT_ON.get(key, "#0b0c0c")}">'
                    f"{escape(shown)}</text>"
                )
            said.append(f"{name} {n} ({label})")
            x += w
        if is_small(total):
            out.append(
                f'<text x="{label_w + bar_w + 8}" y="{y + row_h / 2 + 5}" font-size="14" '
                f'{FONT} fill="#0b0c0c">{total} judged</text>'
            )
        words.append(f"{bar.label}: " + ", ".join(said))
    return _svg(width, height, title, "; ".join(words) + ".", "".join(out))


def text_width(text: str, size: float) -> float:
    """About how wide `text` is drawn in Arial at `size` px (an average letter's width)."""
    return len(text) * size * 0.56


def legend(keys: Sequence[tuple[str, str]]) -> Markup:
    """A key to the colours: (grade key, label) pairs, as a list."""
    items = "".join(
        f'<li><span class="app-key__swatch" style="background:{GRADE_COLOURS.get(k, "#b1b4b6")}">'
        f"</span>{escape(label)}</li>"
        for k, label in keys
    )
    return Markup(f'<ul class="app-key">{items}</ul>')


def trend(
    rows: Sequence[Mapping[str, object]],
    grades: Sequence[tuple[str, str]],
    title: str,
) -> Markup:
    """Lines of each grade's share (%) at the end of each quarter. Quarters with few councils
    judged (domain.shares) are shaded, and a note above says how few."""
    width, height = 640, 300
    points = [r for r in rows if r.get("total")]
    if len(points) < 2:
        return _svg(width, 40, title, "Not enough inspections for a trend.", "")
    small = [i for i, r in enumerate(points) if is_small(int(r["total"]))]  # type: ignore[call-overload]
    left, right, top, bottom = 44, 16, 30 if small else 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    days: list[date] = [r["quarter_end"] for r in points]  # type: ignore[misc]
    t0, t1 = days[0].toordinal(), days[-1].toordinal()

    def x(d: date) -> float:
        return left + plot_w * (d.toordinal() - t0) / max(1, t1 - t0)

    def y(p: float) -> float:
        return top + plot_h * (1 - p / 100)

    out: list[str] = []
    small_words = ""
    if small:
        # each small quarter's band reaches halfway to its neighbours
        xs = [x(d) for d in days]
        for i in small:
            a = xs[i] if i == 0 else (xs[i - 1] + xs[i]) / 2
            b = xs[i] if i == len(xs) - 1 else (xs[i] + xs[i + 1]) / 2
            out.append(
                f'<rect x="{a:.1f}" y="{top}" width="{max(b - a, 2):.1f}" height="{plot_h}" '
                f'fill="#f3f2f1"/>'
            )
        totals = [int(points[i]["total"]) for i in small]  # type: ignore[call-overload]
        low, high = min(totals), max(totals)
        counted = f"{low}" if low == high else f"{low} to {high}"
        when = f"{days[small[0]]:%b %Y}" + (
            "" if len(small) == 1 else f" to {days[small[-1]]:%b %Y}"
        )
        small_words = f"Shaded: fewer than {SMALL_BASE} councils judged ({counted}), {when}"
        out.append(
            f'<text x="{left}" y="{top - 10}" font-size="12" {FONT} fill="#0b0c0c">'
            f"{escape(small_words)}</text>"
        )
    for p in (0, 25, 50, 75, 100):
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(p):.1f}" y2="{y(p):.1f}" '
            f'stroke="#dddddd"/><text x="{left - 6}" y="{y(p) + 4:.1f}" text-anchor="end" '
            f'font-size="12" {FONT} fill="#0b0c0c">{p}%</text>'
        )
    first_year, last_year = days[0].year, days[-1].year
    step = max(1, math.ceil((last_year - first_year + 1) / 8))
    for year in range(first_year + 1, last_year + 1, step):
        d = date(year, 1, 1)
        out.append(
            f'<text x="{x(d):.1f}" y="{height - 12}" text-anchor="middle" font-size="12" '
            f'{FONT} fill="#0b0c0c">{year}</text>'
            f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{top + plot_h}" y2="{top + plot_h + 5}" '
            f'stroke="#0b0c0c"/>'
        )
    words: list[str] = []
    dashes = [
        "",
        ' stroke-dasharray="6 3"',
        ' stroke-dasharray="2 3"',
        ' stroke-dasharray="9 3 2 3"',
    ]
    for i, (key, name) in enumerate(grades):
        pts = [
            (x(r["quarter_end"]), y(float(r.get(f"{key}_percent") or 0)))  # type: ignore[arg-type]
            for r in points
        ]
        path = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{GRADE_COLOURS.get(key)}" '
            f'stroke-width="3"{dashes[i % len(dashes)]}/>'
        )
        last = points[-1].get(f"{key}_percent") or 0
        words.append(f"{name} {last}%")
    desc = (
        f"Share of councils by grade at the end of each quarter from {days[0]:%B %Y} "
        f"to {days[-1]:%B %Y}; at the end: "
        + ", ".join(words)
        + "."
        + (f" {small_words}." if small_words else "")
    )
    return _svg(width, height, title, desc, "".join(out))


def timeline(points: Sequence[tuple[date, str, str]], title: str) -> Markup:
    """A council's grade at each inspection: (date, grade key, label) oldest first."""
    width, height = 640, 200
    left, right, top, bottom = 160, 20, 16, 30
    ranks = SCALE_SINCE_2013
    if not points:
        return _svg(width, 40, title, "No graded inspection.", "")
    t0 = min(p[0] for p in points).toordinal() - 200
    t1 = max(p[0] for p in points).toordinal() + 200
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(d: date) -> float:
        return left + plot_w * (d.toordinal() - t0) / max(1, t1 - t0)

    def y(grade: Grade) -> float:
        return top + plot_h * (grade.rank - 1) / 3

    out: list[str] = []
    for g in ranks:
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(g):.1f}" y2="{y(g):.1f}" '
            f'stroke="#dddddd"/><text x="{left - 8}" y="{y(g) + 4:.1f}" text-anchor="end" '
            f'font-size="13" {FONT} fill="#0b0c0c">{escape(g.short_label)}</text>'
        )
    # a tick at the start of every year; each year labelled where there is room
    years = range(date.fromordinal(t0).year + 1, date.fromordinal(t1).year + 1)
    room = plot_w / max(1, len(years))
    every = 1 if room >= text_width("2000", 12) + 6 else 2
    for year in years:
        d = date(year, 1, 1)
        out.append(
            f'<line class="app-tick" x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{top + plot_h + 4}" '
            f'y2="{top + plot_h + 9}" stroke="#0b0c0c"/>'
        )
        if year % every == 0:
            out.append(
                f'<text x="{x(d):.1f}" y="{height - 8}" text-anchor="middle" font-size="12" '
                f'{FONT} fill="#0b0c0c">{year}</text>'
            )
    coords = [(x(d), y(Grade(g))) for d, g, _ in points]
    if len(coords) > 1:
        out.append(
            '<polyline points="'
            + " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
            + '" fill="none" stroke="#505a5f" stroke-width="2"/>'
        )
    words = []
    for (d, key, label), (a, b) in zip(points, coords, strict=True):
        g = Grade(key)
        out.append(
            f'<circle cx="{a:.1f}" cy="{b:.1f}" r="7" fill="{GRADE_COLOURS[g]}" '
            f'stroke="#0b0c0c"><title>{escape(label)}, {d:%B %Y}: {escape(g.label)}'
            f"</title></circle>"
        )
        words.append(f"{d:%B %Y} {g.label}")
    return _svg(width, height, title, "; ".join(words) + ".", "".join(out))


# -- the map --


@lru_cache(maxsize=1)
def council_shapes() -> tuple[dict[str, str], int]:
    """SVG path data of each council area, by GSS code, projected to a box MAP_WIDTH wide;
    and the box's height."""
    raw = resources.files("ofsted_csc.data").joinpath("council_areas.geojson").read_text()
    features = json.loads(raw)["features"]
    k = math.cos(math.radians(52.8))  # equirectangular with England's middle latitude
    xs: list[float] = []
    ys: list[float] = []
    for f in features:
        for ring in _rings(f["geometry"]):
            for lon, lat in ring:
                xs.append(lon * k)
                ys.append(-lat)
    x0, y0 = min(xs), min(ys)
    scale = MAP_WIDTH / (max(xs) - x0)
    out: dict[str, str] = {}
    for f in features:
        parts = []
        for ring in _rings(f["geometry"]):
            pts = [f"{(lon * k - x0) * scale:.1f},{(-lat - y0) * scale:.1f}" for lon, lat in ring]
            parts.append("M" + "L".join(pts) + "Z")
        out[f["properties"]["gss_code"]] = "".join(parts)
    return out, round((max(ys) - y0) * scale)


MAP_WIDTH = 600


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    coords: list[Any] = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        return list(coords)
    return [ring for polygon in coords for ring in polygon]


@dataclass(frozen=True)
class MapArea:
    gss_code: str
    name: str
    href: str
    key: str  # grade key, "not_judged" or "not_inspected"
    label: str  # what the tooltip and description say of it


def england_map(areas: Sequence[MapArea], title: str, links: bool = True) -> Markup:
    """England's councils coloured by grade, each a link to its council page (without
    `links`, for a file to keep, plain shapes). London's boroughs, too small here to point
    at, are framed and left to london_map: mouse users may still click them here, but
    keyboards and screen readers meet them once, there."""
    shapes, height = council_shapes()
    out: list[str] = []
    for a in areas:
        d = shapes.get(a.gss_code)
        if d is None:
            continue
        hidden = ' tabindex="-1" aria-hidden="true"' if a.gss_code.startswith(LONDON) else ""
        out.append(_area(a, d, hidden, links))
    out.insert(0, '<g stroke-width="0.4">')  # the site's stylesheet sets it on the page
    out.append("</g>")
    x0, y0, x1, y1 = london_bounds()
    if x1 > x0:  # the frame the London map enlarges
        out.append(
            f'<rect class="app-map__frame" x="{x0 - 3:.1f}" y="{y0 - 3:.1f}" '
            f'width="{x1 - x0 + 6:.1f}" height="{y1 - y0 + 6:.1f}"/>'
        )
    counts: dict[str, int] = {}
    for a in areas:
        counts[a.label] = counts.get(a.label, 0) + 1
    desc = "Councils by grade: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "."
    role = "group" if links else "img"
    return _svg(MAP_WIDTH, height, title, desc, "".join(out), cls="app-map", role=role)


def london_map(areas: Sequence[MapArea], title: str, links: bool = True) -> Markup:
    """London's boroughs and the City of London, enlarged from england_map to
    LONDON_WIDTH wide: each a link to its council page. Empty if there are none."""
    shapes, _ = council_shapes()
    x0, y0, x1, y1 = london_bounds()
    shown = [a for a in areas if a.gss_code.startswith(LONDON) and a.gss_code in shapes]
    if not shown or x1 <= x0:
        return Markup("")
    pad = 2.0
    scale = LONDON_WIDTH / (x1 - x0 + 2 * pad)
    height = round((y1 - y0 + 2 * pad) * scale)
    body = "".join(_area(a, shapes[a.gss_code], "", links) for a in shown)
    counts: dict[str, int] = {}
    for a in shown:
        counts[a.label] = counts.get(a.label, 0) + 1
    desc = "London's councils by grade: " + ", ".join(f"{k} {v}" for k, v in counts.items())
    return _svg(
        LONDON_WIDTH,
        height,
        title,
        desc + ".",
        f'<g transform="scale({scale:.4f}) translate({pad - x0:.2f} {pad - y0:.2f})" '
        f'stroke-width="{1 / scale:.3f}">{body}</g>',
        cls="app-map app-map--london",
        role="group" if links else "img",
    )


def _area(a: MapArea, d: str, attributes: str, links: bool = True) -> str:
    if not links:
        return (
            f'<path d="{d}" fill="{GRADE_COLOURS.get(a.key, "#b1b4b6")}">'
            f"<title>{escape(a.name)}: {escape(a.label)}</title></path>"
        )
    return (
        f'<a href="{escape(a.href)}" aria-label="{escape(a.name)}: {escape(a.label)}"'
        f'{attributes} data-gss="{escape(a.gss_code)}">'
        f'<path d="{d}" fill="{GRADE_COLOURS.get(a.key, "#b1b4b6")}">'
        f"<title>{escape(a.name)}: {escape(a.label)}</title></path></a>"
    )


# ONS codes of London's councils (the boroughs and the City of London) begin so; they are
# shown again, enlarged, LONDON_WIDTH wide
LONDON = "E09"
LONDON_WIDTH = 300


@lru_cache(maxsize=1)
def london_bounds() -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) of London's councils on england_map."""
    shapes, _ = council_shapes()
    xs: list[float] = []
    ys: list[float] = []
    for code, d in shapes.items():
        if code.startswith(LONDON):
            numbers = [float(n) for n in re.findall(r"-?[0-9.]+", d)]
            xs += numbers[0::2]
            ys += numbers[1::2]
    if not xs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(xs), min(ys), max(xs), max(ys))


# a region's share good or better at a date: the date, the share (%; None if none judged),
# the councils good or better and the councils judged
SharePoint = tuple[date, float | None, int, int]


def region_lines(series: Sequence[tuple[str, Sequence[SharePoint]]], title: str) -> Markup:
    """One small line per region of its share good or better (%) at each date, on a common
    0-100% scale, with the latest share at its end ("50% (2 of 4)" when few are judged,
    domain.shares): regions one under another, so that no line hides another and no colour
    is needed to tell them apart."""
    rows = [(name, [pt for pt in points if pt[1] is not None]) for name, points in series]
    rows = [(name, pts) for name, pts in rows if pts]
    days = sorted({pt[0] for _, pts in rows for pt in pts})
    if len(days) < 2:
        return _svg(640, 40, title, "Not enough dates for a line.", "")
    small = any(is_small(pts[-1][3]) for _, pts in rows)
    row_h, left, right, top, axis = 34, 200, 110 if small else 60, 8, 22
    width, height = 640, top + row_h * len(rows) + axis
    plot_w = width - left - right
    t0, t1 = days[0].toordinal(), days[-1].toordinal()

    def x(d: date) -> float:
        return left + plot_w * (d.toordinal() - t0) / max(1, t1 - t0)

    out: list[str] = []
    words: list[str] = []
    for i, (name, pts) in enumerate(rows):
        base = top + row_h * (i + 1) - 6
        high = base - (row_h - 12)

        def y(p: float, base: float = base, high: float = high) -> float:
            return base - (base - high) * p / 100

        out.append(
            f'<text x="{left - 8}" y="{base - 6:.1f}" text-anchor="end" font-size="13" {FONT} '
            f'fill="#0b0c0c">{escape(name)}</text>'
            f'<line x1="{left}" x2="{width - right}" y1="{base:.1f}" y2="{base:.1f}" '
            f'stroke="#dddddd"/>'
        )
        path = " ".join(f"{x(d):.1f},{y(p or 0):.1f}" for d, p, _, _ in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="2"/>')
        d_last, p_last, n_last, base_last = pts[-1]
        first = share(pts[0][1] or 0, pts[0][2], pts[0][3])
        last = share(p_last or 0, n_last, base_last)
        out.append(
            f'<circle cx="{x(d_last):.1f}" cy="{y(p_last or 0):.1f}" r="3" fill="#1d70b8"/>'
            f'<text x="{x(d_last) + 8:.1f}" y="{y(p_last or 0) + 4:.1f}" font-size="12" {FONT} '
            f'fill="#0b0c0c">{escape(last)}</text>'
        )
        words.append(f"{name} {first} to {last}")
    bottom = top + row_h * len(rows)
    step = max(1, math.ceil(len(days) / 8))
    for d in days[::step]:
        out.append(
            f'<text x="{x(d):.1f}" y="{bottom + 16}" text-anchor="middle" font-size="12" '
            f'{FONT} fill="#0b0c0c">{d.year}</text>'
        )
    desc = (
        f"Share of councils good or better in each region, from {days[0]:%-d %B %Y} to "
        f"{days[-1]:%-d %B %Y}: " + "; ".join(words) + "."
    )
    return _svg(width, height, title, desc, "".join(out))


# -- a chart as a file of its own --

SOURCE = "Source: Ofsted inspection reports and official statistics, via ofsted-csc"

# what the site's stylesheet gives the maps, written into a chart's file (which has no
# stylesheet of its own)
# (its strokes' widths are set on the maps' groups)
FILE_STYLE = (
    ".app-map path{stroke:#ffffff}.app-map__frame{fill:none;stroke:#0b0c0c;stroke-width:1px}"
)


def chart_title(chart: Markup) -> str:
    """The title a chart of this module was drawn with (its first <title>)."""
    found = re.search(r"<title[^>]*>(.*?)</title>", str(chart), re.S)
    return unescape(found.group(1)) if found else ""


def chart_file(
    chart: Markup | str,
    as_at: date,
    made: date,
    key: Sequence[tuple[str, str]] = (),
    title: str | None = None,
    draw_title: bool = True,
) -> str:
    """A chart as a standalone SVG file to publish: its title above (unless the chart draws
    its own: `draw_title` False), the key to its colours (grade key, label) if it has one,
    and below it the source and the date its figures stand at (and the day the file was
    made, if later). White behind, no links and no stylesheet needed. `chart` is one of this
    module's, or any SVG document (a brief's matplotlib chart, sized in pt or px)."""
    drawn, width, height = _sized(str(chart))
    title = title if title is not None else chart_title(Markup(drawn))
    pad = 20
    total_w = round(max(width, 560) + 2 * pad)
    out: list[str] = [f'<rect width="{total_w}" height="HEIGHT" fill="#ffffff"/>']
    y = pad
    for line in wrap(title, total_w - 2 * pad, 21) if draw_title else []:
        y += 22  # bold: wider than its size says, so wrapped as if larger
        out.append(
            f'<text x="{pad}" y="{y}" font-size="19" font-weight="bold" {FONT} '
            f'fill="#0b0c0c">{escape(line)}</text>'
        )
    y += 12
    if key:
        x = float(pad)
        y += 4
        for k, label in key:
            item_w = 16 + 6 + text_width(label, 14) + 18
            if x > pad and x + item_w > total_w - pad:
                x, y = float(pad), y + 24
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="16" height="16" '
                f'fill="{GRADE_COLOURS.get(k, "#b1b4b6")}" stroke="#0b0c0c"/>'
                f'<text x="{x + 22:.1f}" y="{y + 13}" font-size="14" {FONT} '
                f'fill="#0b0c0c">{escape(label)}</text>'
            )
            x += item_w
        y += 30
    inner = drawn.replace("<svg ", f'<svg x="{pad}" y="{y}" ', 1)
    out.append(inner)
    y += round(height) + 12
    dated = f"Figures as at {as_at:%-d %B %Y}."
    if made != as_at:
        dated += f" Made {made:%-d %B %Y}."
    for line in (SOURCE, dated):
        y += 18
        out.append(
            f'<text x="{pad}" y="{y}" font-size="13" {FONT} fill="#0b0c0c">{escape(line)}</text>'
        )
    total_h = y + pad
    body = "".join(out).replace('height="HEIGHT"', f'height="{total_h}"', 1)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w} {total_h}" '
        f'width="{total_w}" height="{total_h}" role="img" aria-labelledby="file-t file-d">'
        f'<title id="file-t">{escape(title)}</title>'
        f'<desc id="file-d">{escape(SOURCE)}. {escape(dated)}</desc>'
        f"<style>{FILE_STYLE}</style>{body}</svg>\n"
    )


PX_PER = {"": 1.0, "px": 1.0, "pt": 4 / 3}


def _sized(svg: str) -> tuple[str, float, float]:
    """An SVG document from its <svg> element on (no XML declaration, doctype or comment
    before it), its width and height in px (written so, for a file of px), and those."""
    start = svg.find("<svg")
    drawn = svg[start:] if start >= 0 else svg
    tag_end = drawn.find(">")
    tag = drawn[:tag_end]
    sizes: list[float] = []
    for name, default in (("width", 640.0), ("height", 300.0)):
        found = re.search(rf'\s{name}="([0-9.]+)(px|pt|)"', tag)
        value = float(found.group(1)) * PX_PER[found.group(2)] if found else default
        sizes.append(value)
        if found:
            tag = tag.replace(found.group(0), f' {name}="{value:g}"', 1)
    return tag + drawn[tag_end:], sizes[0], sizes[1]


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` in lines of about `width` px at `size` px (words kept whole)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        longer = f"{line} {word}" if line else word
        if line and text_width(longer, size) > width:
            lines.append(line)
            line = word
        else:
            line = longer
    return [*lines, line] if line else lines
