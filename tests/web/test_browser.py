"""The web app in a real browser (Debian's chromium, headless, driven by Playwright), with no
network beyond loopback: every page loads with data and passes axe-core's serious and
critical checks, filters work, downloads hold the rows shown, uploads add a report or are
refused leaving the store as it was. Each page is saved as a screenshot."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import FIXTURES, HELD_BACK, LiveServer, axe_violations, screenshot

from conftest import start_server
from ofsted_csc import api
from ofsted_csc.api import users as users_api
from ofsted_csc.plans.rules import Role

# (name, path, text the page must show, a selector that matches only when the page shows
# something read from the store: bars drawn, grade tags, listing rows, coloured map areas)
GRADED_AREA = 'svg.app-map a:not([aria-label$=": No inspection held"])'
# the sample store: every fixture report but the one held back for uploads, every letter
REPORTS_HELD = len(list((FIXTURES / "reports").glob("*.pdf"))) - 1
LETTERS_HELD = len(list((FIXTURES / "letters").glob("*.pdf")))
PASSWORD = "editor passphrase 42"
PAGES = [
    ("national", "/", "Grades by judgement", "svg.app-chart rect"),
    (
        "national-2016",
        "/?as_at-day=31&as_at-month=12&as_at-year=2016",
        "National picture at 31 December 2016",
        "svg.app-chart rect",
    ),
    ("regions", "/regions", "North East", "svg.app-chart rect"),
    ("region", "/regions/north-west", "North West", "table .govuk-tag"),
    ("councils", "/councils", "Westminster", "table .govuk-tag"),
    ("council-sif-and-ilacs", "/councils/810", "Kingston upon Hull", "table .govuk-tag"),
    ("inspections", "/inspections", "inspections and visits", "#listing tr[data-sha256]"),
    ("inspection-record", None, "Recommendations", "table .govuk-tag"),
    (
        "compare",
        "/compare?council=810&council=353&council=895",
        "Latest inspections at",
        "#comparison .govuk-tag",
    ),
    ("map", "/map", "Map of England", GRADED_AREA),
    ("map-care-leavers", "/map?judgement=care_leavers", "care leavers", GRADED_AREA),
    ("themes", "/themes", "What Ofsted asks councils to improve", "#theme-counts tr[data-theme]"),
    (
        "themes-ilacs-ri",
        "/themes?framework=ilacs&grade=requires_improvement",
        "inspections and visits",
        "#theme-counts tr[data-theme]",
    ),
    (
        "theme",
        "/themes/management_oversight",
        "Management oversight and supervision",
        ".app-items li",
    ),
    (
        "theme-search",
        "/themes/search?q=children+who+go+missing&meaning=1",
        "found",
        ".app-items li",
    ),
    ("council-themes", "/councils/810/themes", "Kingston upon Hull", "table td a"),
    ("search", '/search?q="care+leavers"+OR+neglect*&framework=ilacs', "pages found", "#hits mark"),
    ("upload", "/upload", "Upload a report", None),
    (
        "about",
        "/about",
        f"{REPORTS_HELD} inspection reports and {LETTERS_HELD} visit letters",
        None,
    ),
    ("api-docs", "/api/docs", "GET /api/national", None),
]


def _open(page: Any, server: LiveServer, path: str) -> Any:
    response = page.goto(server.url + path)
    assert response is not None and response.status == 200, (path, response and response.status)
    return response


@pytest.mark.parametrize(("name", "path", "expected", "data"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_loads_with_data_and_passes_axe(
    page: Any, live_server: LiveServer, name: str, path: str | None, expected: str, data: str | None
) -> None:
    if path is None:  # the first inspection in the listing
        _open(page, live_server, "/inspections?framework=ilacs")
        page.locator("#listing tbody tr a", has_text="Record").first.click()
        page.wait_for_load_state()
    else:
        _open(page, live_server, path)
    body = page.locator("main").inner_text()
    assert expected.lower() in body.lower(), (name, body[:500])
    if data is not None:  # data from the store, not an empty frame
        assert page.locator(data).count() > 0, (name, data)
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, f"{name}: {violations}"


def test_a_bad_search_names_the_problem_and_passes_axe(page: Any, live_server: LiveServer) -> None:
    response = page.goto(live_server.url + '/search?q="care+leavers')
    assert response is not None and response.status == 400
    assert "quote is not closed" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "search-error")
    assert not axe_violations(page)


def test_national_picture_figures_match_the_table(page: Any, live_server: LiveServer) -> None:
    _open(page, live_server, "/?as_at-day=31&as_at-month=12&as_at-year=2019")
    # the chart's description and the table carry the same counts
    desc = page.locator("svg.app-chart desc").first.text_content() or ""
    row = page.locator("table tbody tr", has_text="Overall effectiveness").first
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert desc.startswith("Overall effectiveness:")
    judged = int(cells[-3])
    assert judged > 0
    counts = [int(c.split()[0]) for c in cells[:-3]]
    assert sum(counts) == judged


def test_date_picker_rejects_a_date_that_does_not_exist(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.fill("#as_at-day", "30")
    page.fill("#as_at-month", "2")
    page.fill("#as_at-year", "2024")
    with page.expect_navigation():
        page.get_by_role("button", name="Show picture").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "real date" in summary.inner_text()
    assert page.title().startswith("Error:")
    screenshot(page, "national-date-error")


def _listing_shas(page: Any) -> list[str]:
    return page.locator("#listing tbody tr[data-sha256]").evaluate_all(
        "rows => rows.map(r => r.dataset.sha256)"
    )


def test_filters_narrow_the_listing(page: Any, live_server: LiveServer) -> None:
    _open(page, live_server, "/inspections")
    everything = _listing_shas(page)
    page.select_option("#framework", "ilacs")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    ilacs = _listing_shas(page)
    assert 0 < len(ilacs) < len(everything)
    assert set(ilacs) <= set(everything)
    for kind in page.locator("#listing tbody tr td:nth-child(2)").all_inner_texts():
        assert kind.startswith("ILACS")
    # then a grade of a judgement
    page.select_option("#grade", "requires_improvement")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    ri = _listing_shas(page)
    assert 0 < len(ri) < len(ilacs)
    assert set(page.locator("#listing .govuk-tag").all_inner_texts()) == {"Requires improvement"}
    assert f"{len(ri)} inspection" in page.locator("#count").inner_text()
    screenshot(page, "inspections-filtered")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_download_holds_exactly_the_rows_shown(
    page: Any, live_server: LiveServer, tmp_path: Path, fmt: str
) -> None:
    _open(page, live_server, "/inspections?framework=sif")
    shown = _listing_shas(page)
    assert shown
    with page.expect_download() as info:
        page.click(f"#download-{fmt}")
    target = tmp_path / f"download.{fmt}"
    info.value.save_as(target)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    else:
        book = openpyxl.load_workbook(target, read_only=True)
        values = list(book.active.iter_rows(values_only=True))
        book.close()
        rows = [dict(zip(values[0], r, strict=True)) for r in values[1:]]
    assert [r["sha256"] for r in rows] == shown
    assert {r["framework"] for r in rows} == {"sif"}


@pytest.fixture
def upload_server(db_copy: str) -> Iterator[LiveServer]:
    """The live server over a store with an admin and an editor (uploading needs one)."""
    with api.open_store(db_copy) as store:
        admin = users_api.user_create(store, None, "ada", role=Role.ADMIN, password=PASSWORD)
        users_api.user_create(store, admin, "ed", role=Role.EDITOR, password=PASSWORD)
    yield from start_server(db_copy)


def _sign_in(page: Any, server: LiveServer, path: str = "/sign-in?next=/upload") -> None:
    page.goto(server.url + path)
    page.fill("#username", "ed")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_uploading_needs_an_editor_signed_in(page: Any, upload_server: LiveServer) -> None:
    _open(page, upload_server, "/upload")
    assert page.locator("#report").count() == 0  # no form for a visitor
    screenshot(page, "upload-sign-in")
    assert not axe_violations(page)
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Sign in").click()
    page.fill("#username", "ed")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url == upload_server.url + "/upload"  # back to the form, signed in
    assert page.locator("#report").count() == 1


def test_uploading_a_real_report_adds_it(page: Any, upload_server: LiveServer) -> None:
    live_server = upload_server
    before = live_server.store().counts()["inspection"]
    _open(page, live_server, "/inspections?year=2025")
    shown_before = len(_listing_shas(page))
    _sign_in(page, live_server)
    page.set_input_files("#report", str(FIXTURES / "reports" / HELD_BACK))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and read").click()
    banner = page.locator(".govuk-notification-banner--success")
    assert banner.is_visible(), page.locator("main").inner_text()[:500]
    screenshot(page, "upload-stored")
    assert live_server.store().counts()["inspection"] == before + 1
    _open(page, live_server, "/inspections?year=2025")
    assert len(_listing_shas(page)) == shown_before + 1
    # and its record page shows what was read
    page.goto(live_server.url + "/upload")
    page.set_input_files("#report", str(FIXTURES / "reports" / HELD_BACK))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and read").click()
    assert "already stored" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("link", name="See what was read").click()
    page.wait_for_load_state()
    assert "Recommendations" in page.locator("main").inner_text()


@pytest.mark.parametrize("bad", ["html_saved_as.pdf", "truncated.pdf", "other_subject.pdf"])
def test_uploading_a_bad_file_shows_why_and_changes_nothing(
    page: Any, upload_server: LiveServer, bad: str
) -> None:
    live_server = upload_server
    version = live_server.store().data_version()
    _sign_in(page, live_server)
    page.set_input_files("#report", str(FIXTURES / "bad" / bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and read").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert bad in text  # the message names the file
    assert "was not stored" in text
    assert live_server.store().data_version() == version
    screenshot(page, f"upload-refused-{Path(bad).stem}")
    assert not axe_violations(page)


def test_upload_with_no_file_asks_for_one(page: Any, upload_server: LiveServer) -> None:
    _sign_in(page, upload_server)
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and read").click()
    assert "Select a PDF file to upload" in page.locator(".govuk-error-summary").inner_text()


def test_map_links_each_council_to_its_page(page: Any, live_server: LiveServer) -> None:
    _open(page, live_server, "/map")
    areas = page.locator("svg.app-map:not(.app-map--london) a")  # London's again, enlarged
    assert areas.count() == 153
    link = page.locator('svg.app-map a[aria-label^="Kingston upon Hull:"]')
    assert (link.get_attribute("aria-label") or "").endswith(": Good")  # ILACS 2026 sample
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Kingston upon Hull"


def test_council_page_links_to_the_source_pdf(page: Any, live_server: LiveServer) -> None:
    _open(page, live_server, "/councils/810")
    href = page.locator("a", has_text="PDF").first.get_attribute("href")
    assert href and href.endswith(".pdf")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


def test_scripts_run_under_a_policy_that_refuses_inline_scripts(
    browser: Any, live_server: LiveServer
) -> None:
    context = browser.new_context()
    tab = context.new_page()
    messages: list[str] = []
    tab.on("console", lambda m: messages.append(m.text))
    try:
        for path in ("/", "/inspections", "/sign-in"):
            response = tab.goto(live_server.url + path)
            assert response is not None and response.status == 200
            policy = response.headers["content-security-policy"].split(";")
            scripts = next(p for p in policy if p.strip().startswith("script-src"))
            assert "'unsafe-inline'" not in scripts
            # GOV.UK Frontend's inline snippet ran (allowed by its hash), and initAll from
            # /static/init.js started the components
            classes = tab.evaluate("document.body.className").split()
            assert {"js-enabled", "govuk-frontend-supported"} <= set(classes), path
            assert tab.locator(".govuk-skip-link[data-govuk-skip-link-init]").count() == 1
            assert not [m for m in messages if "Content Security Policy" in m], messages
        # a script slipped into the page is refused
        violated = tab.evaluate(
            """() => new Promise(resolve => {
                document.addEventListener('securitypolicyviolation',
                    e => resolve(e.effectiveDirective));
                const s = document.createElement('script');
                s.textContent = 'window.injected = 1';
                document.body.appendChild(s);
            })"""
        )
        assert violated == "script-src-elem"
        assert tab.evaluate("window.injected") is None
    finally:
        context.close()
