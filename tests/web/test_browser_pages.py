"""The pages of issue 18 (item 13) measured in a real browser (Debian's chromium, headless):
tables fit their containers, tags stay on one line, charts fit and use the site's palette,
the header keeps to one line, the map's London inset is clickable. Each page is saved as a
screenshot and checked with axe-core."""

from __future__ import annotations

from datetime import date
from typing import Any

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex
from support import LiveServer, axe_violations, screenshot

from ofsted_csc.analytics.benchmarking import Facts
from ofsted_csc.domain.frameworks import Area, Framework, Kind
from ofsted_csc.domain.grades import GRADE_PALETTE, Grade
from ofsted_csc.reports.briefs.charts import history_figure

HULL = "810"  # Kingston upon Hull: SIF and ILACS reports in the sample store


def _check(page: Any, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["nodes"]) for v in violations]


def _overflow(page: Any, selector: str) -> list[tuple[int, int]]:
    """(scrollWidth, clientWidth) of each element `selector` matches."""
    return [
        (int(w), int(c))
        for w, c in page.evaluate(
            "s => [...document.querySelectorAll(s)].map(e => [e.scrollWidth, e.clientWidth])",
            selector,
        )
    ]


def _page_fits(page: Any) -> None:
    """Nothing pushes the page sideways: the document is no wider than the window."""
    wide, window = _overflow(page, "html")[0]
    assert wide <= window, (wide, window)


@pytest.mark.parametrize("width", [1280, 375])
def test_council_judgements_table_shows_every_column(
    page: Any, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/councils/{HULL}")
    for table in ("#history", "#neighbours"):
        box = page.locator(table).bounding_box()
        container = page.locator(f"{table} >> xpath=..").bounding_box()
        assert box["x"] + box["width"] <= container["x"] + container["width"] + 0.5, table
    # nothing scrolls out of sight: not the tables' containers, not the page
    for wide, shown in _overflow(page, ".app-scroll"):
        assert wide <= shown, (width, wide, shown)
    _page_fits(page)
    # every judgement's grade is on screen, LSCB (the last) included
    main = page.locator("main").bounding_box()
    lscb = page.locator("#history tbody td[data-label='LSCB']")
    assert lscb.count() > 0
    for i in range(lscb.count()):
        cell = lscb.nth(i).bounding_box()
        assert main["x"] <= cell["x"] and cell["x"] + cell["width"] <= main["x"] + main["width"]
    if width == 1280:  # a table with its header row, every column side by side
        header = page.locator("#history thead th", has_text="LSCB").bounding_box()
        assert header["x"] + header["width"] <= main["x"] + main["width"]
    # the publication date is words, not markup shown as text
    assert "<span" not in page.locator("#history").inner_text()
    _check(page, f"council-judgements-{width}")


# every colour a chart may fill with: the grades' (the one palette)
PALETTE = {p.colour.lower() for p in GRADE_PALETTE.values()}

# the colours of an image, counted, leaving out greys (text, axes, grid lines): chroma 60+
IMAGE_COLOURS = """img => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const x = c.getContext('2d'); x.drawImage(img, 0, 0);
    const d = x.getImageData(0, 0, c.width, c.height).data, counts = {};
    for (let i = 0; i < d.length; i += 4) {
        const r = d[i], g = d[i + 1], b = d[i + 2];
        if (Math.max(r, g, b) - Math.min(r, g, b) < 60) continue;
        const k = '#' + ((r << 16) | (g << 8) | b).toString(16).padStart(6, '0');
        counts[k] = (counts[k] || 0) + 1;
    }
    return counts;
}"""


def _near(colour: str, palette: set[str], within: int = 3) -> bool:
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return any(
        all(abs(a - int(p[i : i + 2], 16)) <= within for a, i in zip(rgb, (1, 3, 5), strict=True))
        for p in palette
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_brief_tables_are_govuk_tables_and_charts_fit_in_the_sites_colours(
    page: Any, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/councils/{HULL}/brief?inspection=2026-03-02&as_at=2026-11-01")
    tables = page.locator(".app-brief table")
    assert tables.count() >= 3
    assert page.locator(".app-brief table.govuk-table").count() == tables.count()
    # styled as the site's tables: a rule under each cell, bold headers
    cell = page.locator(".app-brief table td").first
    assert cell.evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"
    assert page.locator(".app-brief table th").first.evaluate(
        "e => getComputedStyle(e).fontWeight"
    ) in ("700", "bold")
    for wide, shown in _overflow(page, ".app-brief .app-scroll"):
        if width >= 1280:  # on a narrow screen the widest scroll, in a region keys can reach
            assert wide <= shown
    charts = page.locator(".app-brief figure img")
    assert charts.count() == 2  # the council's history and the national picture
    main = page.locator("main").bounding_box()
    for i in range(charts.count()):
        img = charts.nth(i)
        box = img.bounding_box()
        figure = img.locator("xpath=..").bounding_box()
        assert box["width"] <= figure["width"] + 0.5 and box["width"] <= main["width"]
        assert box["x"] + box["width"] <= main["x"] + main["width"] + 0.5
        counts = img.evaluate(IMAGE_COLOURS)
        total = sum(counts.values())
        main_colours = {c for c, n in counts.items() if n >= total / 100}
        assert main_colours, "no colour in the chart"
        assert all(_near(c, PALETTE) for c in main_colours), (i, sorted(main_colours))
    _page_fits(page)
    _check(page, f"brief-{width}")


def _facts(*grades: tuple[date, Grade, Grade]) -> list[Facts]:
    """Inspections of one council: start, overall effectiveness and leaders' grades."""
    return [
        Facts(
            "80477",
            Framework.ILACS,
            Kind.STANDARD,
            start,
            None,
            {Area.OVERALL.value: o, Area.LEADERSHIP.value: g},
        )
        for start, o, g in grades
    ]


@pytest.mark.parametrize(
    "history",
    [
        # three inspections in fifteen months: a date axis labelled by year repeated years
        _facts(
            (date(2024, 1, 15), Grade.GOOD, Grade.GOOD),
            (date(2024, 9, 2), Grade.REQUIRES_IMPROVEMENT, Grade.REQUIRES_IMPROVEMENT),
            (date(2025, 4, 7), Grade.GOOD, Grade.OUTSTANDING),
        ),
        _facts(
            (date(2011, 8, 1), Grade.ADEQUATE, Grade.ADEQUATE),
            (date(2014, 11, 18), Grade.REQUIRES_IMPROVEMENT, Grade.REQUIRES_IMPROVEMENT),
            (date(2019, 1, 14), Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT),
            (date(2026, 3, 2), Grade.GOOD, Grade.OUTSTANDING),
        ),
    ],
)
def test_brief_history_chart_years_once_and_overall_on_top(history: list[Facts]) -> None:
    """The HTML and Word brief's history chart (the page above draws it in the browser)."""
    figure = history_figure(history, "Somewhere")
    ax = figure.axes[0]
    figure.canvas.draw()
    years = [t.get_text() for t in ax.get_xticklabels()]
    assert len(years) >= 2 and len(set(years)) == len(years), years
    assert all(y.isdigit() for y in years), years
    low, high = ax.get_xlim()
    # every tick shown, and every inspection's year, within the axis
    assert all(low <= t <= high for t in ax.get_xticks())
    starts = [f.start.year for f in history]
    assert low <= min(starts) and max(starts) + 1 <= high
    lines = {line.get_label(): line for line in ax.get_legend().get_lines()}
    overall, leaders = lines["Overall effectiveness"], lines["Leaders"]
    # told apart without colour: line style and marker differ
    assert overall.get_linestyle() != leaders.get_linestyle()
    assert overall.get_marker() != leaders.get_marker()
    # overall drawn above the leaders' line and points wherever they meet
    drawn = [(a.get_zorder(), a) for a in [*ax.lines, *ax.collections]]
    lowest_overall = min(z for z, a in drawn if _draws(a, overall))
    assert all(z < lowest_overall for z, a in drawn if _draws(a, leaders))
    plt.close(figure)


def _draws(artist: Any, legend_line: Any) -> bool:
    """Whether a line or marker collection of the axes draws the legend entry's series
    (lines by their colour, markers by their edge colour)."""
    want = to_hex(legend_line.get_color())
    if hasattr(artist, "get_xdata"):
        return bool(to_hex(artist.get_color()) == want)
    return any(to_hex(c) == want for c in artist.get_edgecolor())
