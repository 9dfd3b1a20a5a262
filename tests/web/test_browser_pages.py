"""The pages of issue 18 (item 13) measured in a real browser (Debian's chromium, headless):
tables fit their containers, tags stay on one line, charts fit and use the site's palette,
the header keeps to one line, the map's London inset is clickable. Each page is saved as a
screenshot and checked with axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex
from support import LiveServer, axe_violations, screenshot

from conftest import start_server
from ofsted_csc import api
from ofsted_csc.analytics.benchmarking import Facts
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.domain.frameworks import Area, Framework, Kind
from ofsted_csc.domain.grades import GRADE_PALETTE, Grade
from ofsted_csc.plans.common import OPERATOR
from ofsted_csc.plans.rules import BoardKind, Role, Status
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


# -- plan pages, signed in --

REPORT = "50276975.pdf"  # Buckinghamshire, ILACS standard inspection of January 2025
PASSWORD = "admin passphrase 42"
MET = (date(2025, 7, 1), date(2025, 9, 15))  # the board's two meetings


@pytest.fixture
def plan_server(db_copy: str) -> Iterator[LiveServer]:
    """A plan of the sample store, its first actions updated before and between two
    meetings of its board, and an admin with a long name to sign in."""
    with api.open_store(db_copy) as store:
        admin = users_api.user_create(
            store,
            None,
            "ada",
            display_name="Ada Administrator-Longname",
            role=Role.ADMIN,
            password=PASSWORD,
        )
        plan_id = plans_api.plan_create(store, admin, [REPORT])
        actions = plans_api.plan_get(store, plan_id, actor=OPERATOR).actions
        for i, a in enumerate(actions[:3]):
            plans_api.action_update(
                store, admin, a.id, a.version, {"status": Status.ON_TRACK, "percent": 10 * i}
            )
            # one before the first meeting (outside the second's period), one within it
            plans_api.progress_add(store, admin, a.id, date(2025, 6, 2 + i), f"Earlier note {i}")
            plans_api.progress_add(
                store, admin, a.id, date(2025, 8, 4 + i), f"Audit {i} done; policy relaunched."
            )
        board = plans_api.board_create(
            store, admin, plan_id, "Improvement board", BoardKind.IMPROVEMENT_BOARD
        )
        for on in MET:
            plans_api.meeting_add(store, admin, board, on)
    yield from start_server(db_copy)


def _sign_in(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/sign-in")
    page.fill("#username", "ada")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _lines(locator: Any) -> int:
    """How many lines an inline element's text takes (its client rectangles' rows)."""
    return int(
        locator.evaluate("e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size")
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_plan_deadline_tags_keep_to_one_line_beside_their_deadline(
    page: Any, plan_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, plan_server)
    plan = plans_api.plan_list(plan_server.store(), actor=OPERATOR)[0]
    page.goto(f"{plan_server.url}/plans/{plan.id}")
    rows = page.locator("#deadlines tbody tr")
    assert (
        rows.count()
        == len(plans_api.plan_get(plan_server.store(), plan.id, actor=OPERATOR).deadlines)
        > 0
    )
    for i in range(rows.count()):
        tag = rows.nth(i).locator(".govuk-tag")
        height = tag.bounding_box()["height"]
        line = float(tag.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        assert _lines(tag) == 1 and height < 2 * line, (width, height, line)
        main = page.locator("main").bounding_box()
        box = tag.bounding_box()
        assert box["x"] + box["width"] <= main["x"] + main["width"]
        if width >= 1280:  # side by side: the tag's middle level with the due date's words
            words = (
                rows.nth(i)
                .locator("td")
                .first.evaluate(
                    """e => { const r = document.createRange(); r.selectNodeContents(e);
                          const b = r.getClientRects()[0]; return (b.top + b.bottom) / 2; }"""
                )
            )
            assert abs(box["y"] + box["height"] / 2 - words) <= 4, (box, words)
    _page_fits(page)
    _check(page, f"plan-deadlines-{width}")


def test_plans_list_names_each_plans_council(page: Any, plan_server: LiveServer) -> None:
    _sign_in(page, plan_server)
    page.goto(plan_server.url + "/plans")
    headers = page.locator("#plans thead th").all_inner_texts()
    assert "Council" in headers
    column = headers.index("Council")
    plans = plans_api.plan_list(plan_server.store(), actor=OPERATOR)
    rows = page.locator("#plans tbody tr")
    assert rows.count() == len(plans)
    for i, plan in enumerate(plans):
        cell = rows.nth(i).locator("th, td").nth(column)
        assert cell.inner_text().strip() == plan.council_name
        with page.expect_navigation():
            cell.locator("a").click()
        assert page.locator("h1").inner_text() == plan.council_name
        page.go_back()
    _check(page, "plans-list")


@pytest.mark.parametrize("width", [1280, 1024, 375])
def test_signed_in_menu_keeps_to_one_line(page: Any, plan_server: LiveServer, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, plan_server)
    page.goto(plan_server.url + "/plans")
    items = page.locator(".govuk-service-navigation__item")
    assert "Plans" in items.all_inner_texts()
    if width >= 1024:  # desktop: every item on the menu's one line
        tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
        assert len(tops) == 1, (width, tops)
        assert _lines(page.locator(".govuk-service-navigation__list")) == 1
    else:  # mobile: GOV.UK's menu button, the items behind it
        toggle = page.locator(".govuk-service-navigation__toggle")
        assert toggle.is_visible() and not items.first.is_visible()
        toggle.click()
        assert items.first.is_visible()
    # who is signed in, the admins' users page and signing out, each on one line
    account = page.locator(".app-account")
    for name in ("Users", "Members", "Groups", "Sign out"):
        control = account.get_by_role("link", name=name).or_(
            account.get_by_role("button", name=name)
        )
        assert _lines(control) == 1
    signed_in = account.locator("span", has_text="Signed in as")
    assert _lines(signed_in) <= (1 if width >= 1024 else 2)
    _page_fits(page)
    _check(page, f"signed-in-menu-{width}")


def test_meeting_report_shows_each_actions_words_and_the_periods_updates(
    page: Any, plan_server: LiveServer
) -> None:
    _sign_in(page, plan_server)
    store = plan_server.store()
    plan = plans_api.plan_list(store, actor=OPERATOR)[0]
    board = plans_api.plan_get(store, plan.id, actor=OPERATOR).boards[0]
    first, second = sorted(board.meetings, key=lambda m: m.on)
    page.goto(f"{plan_server.url}/plans/{plan.id}/meetings/{second.id}")
    report = plans_api.meeting_report(store, second.id, actor=OPERATOR)
    # every action whose RAG changed is named in its own words, with its RAG then and now
    rows = page.locator("#rag-changes tbody tr")
    assert rows.count() == len(report.rag_changes) > 0
    for i, change in enumerate(report.rag_changes):
        text = rows.nth(i).inner_text()
        assert change.action.ref in text and change.action.description in text
        assert change.action.rag.label in text
    # the updates recorded in the period (after the first meeting, up to this one), not others
    progress = page.locator("#progress").inner_text()
    for a in report.plan.actions:
        for u in a.updates:
            inside = first.on < u.on <= second.on
            assert (u.text in progress) == inside, (u.on, u.text)
            if inside:
                assert a.description in progress
    assert "Earlier note" not in progress
    _page_fits(page)
    _check(page, "meeting-report")
    # the first meeting's report: the updates up to it
    page.goto(f"{plan_server.url}/plans/{plan.id}/meetings/{first.id}")
    progress = page.locator("#progress").inner_text()
    assert "Earlier note 0" in progress and "Audit 0" not in progress
    _check(page, "meeting-report-first")


# what a pointer finds at the point inside an area's shape nearest its box's middle
POINTER_FINDS = """a => {
    a.scrollIntoView({block: 'center'});
    const p = a.querySelector('path'), box = p.getBBox(), ctm = p.getScreenCTM();
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    let best = null, nearest = Infinity;
    for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
        const pt = new DOMPoint(box.x + box.width * i / 20, box.y + box.height * j / 20);
        const d = (pt.x - cx) ** 2 + (pt.y - cy) ** 2;
        if (d < nearest && p.isPointInFill(pt)) { nearest = d; best = pt; }
    }
    if (best === null) return 'no point inside';
    const s = best.matrixTransform(ctm), at = document.elementFromPoint(s.x, s.y);
    return at && at.closest('a') ? at.closest('a').dataset.gss : 'nothing';
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_london_is_enlarged_and_each_borough_clickable(
    page: Any, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/map")
    # London's councils: those of the map of England with a London ONS code (E09)
    on_england = page.locator('svg.app-map:not(.app-map--london) a[data-gss^="E09"]')
    enlarged = page.locator('#london svg a[data-gss^="E09"]')
    assert enlarged.count() == on_england.count() > 30
    smallest = min(
        min(b["width"], b["height"])
        for i in range(enlarged.count())
        if (b := enlarged.nth(i).bounding_box()) is not None
    )
    assert smallest >= 8, smallest  # on the map of England the smallest is under 2 pixels
    container = page.locator("#london").bounding_box()
    inset = page.locator("#london svg").bounding_box()
    assert inset["x"] + inset["width"] <= container["x"] + container["width"] + 0.5
    # each borough is what a pointer at its middle finds (nothing drawn over it), and it
    # names the same council and grade as the map of England
    for i in range(enlarged.count()):
        link = enlarged.nth(i)
        gss = link.get_attribute("data-gss")
        found = link.evaluate(POINTER_FINDS)
        assert found == gss, (gss, found)
        same = on_england.and_(page.locator(f'[data-gss="{gss}"]'))
        assert same.get_attribute("aria-label") == link.get_attribute("aria-label")
    # keyboards and screen readers meet each London council once, on the enlarged map
    assert on_england.first.get_attribute("tabindex") == "-1"
    # a click on a borough opens its council's page
    label = enlarged.first.get_attribute("aria-label") or ""
    with page.expect_navigation():
        enlarged.first.click()
    assert page.locator("h1").inner_text() == label.split(":")[0]
    page.go_back()
    _page_fits(page)
    _check(page, f"map-london-{width}")
