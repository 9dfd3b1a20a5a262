"""Improvement plans in a real browser (Debian's chromium, headless; no network beyond
loopback): an editor signs in, starts a plan from a corpus inspection's page, updates an
action, adds a board meeting, opens its progress report and downloads the Word document,
which python-docx then reads. Every plan page is screenshotted and checked with axe-core."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from support import LiveServer, axe_violations, screenshot

from conftest import start_server
from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.plans.common import OPERATOR
from ofsted_csc.plans.rules import Role, Status

REPORT = "50276975.pdf"  # Buckinghamshire, ILACS standard inspection of January 2025
PASSWORD = "editor passphrase 42"


@pytest.fixture
def plan_server(db_copy: str) -> Iterator[LiveServer]:
    with api.open_store(db_copy) as store:
        admin = users_api.user_create(
            store, None, "ada", display_name="Ada Admin", role=Role.ADMIN, password=PASSWORD + "a"
        )
        users_api.user_create(
            store, admin, "ed", display_name="Ed Itor", role=Role.EDITOR, password=PASSWORD
        )
        users_api.user_create(store, admin, "lee", display_name="Lee Officer", role=Role.VIEWER)
    yield from start_server(db_copy)


def _sign_in(page: Any, server: LiveServer, name: str, password: str) -> None:
    page.goto(server.url + "/sign-in")
    page.fill("#username", name)
    page.fill("#password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _check(page: Any, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["nodes"][0]["target"]) for v in violations]


def test_from_an_inspection_to_a_meeting_report_in_word(page: Any, plan_server: LiveServer) -> None:
    store = plan_server.store()
    sha = store.find(REPORT).result.source.sha256
    recommendations = store.find(REPORT).result.record.recommendations  # type: ignore[union-attr]

    # signed out, the plans are not there and the sign-in page is
    page.goto(plan_server.url + "/plans")
    assert page.url.startswith(plan_server.url + "/sign-in")
    _check(page, "plans-sign-in")
    page.fill("#username", "ed")
    page.fill("#password", "not the password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert (
        "The user name or password is not right"
        in page.locator(".govuk-error-summary").inner_text()
    )

    _sign_in(page, plan_server, "ed", PASSWORD)
    assert "Signed in as Ed Itor" in page.locator("header").inner_text()

    # one step from the inspection's page to a draft plan
    page.goto(f"{plan_server.url}/inspections/{sha}")
    with page.expect_navigation():
        page.get_by_role("link", name="Start an improvement plan from this").click()
    _check(page, "plan-new")
    assert len(page.locator("main ol li").all()) == len(recommendations)
    with page.expect_navigation():
        page.get_by_role("button", name="Create the draft plan").click()
    assert "Buckinghamshire: improvement plan" in page.locator("h1").inner_text()
    deadline = page.locator("#deadlines tr", has_text="Action plan to Ofsted")
    assert "20 Aug 2025" in deadline.inner_text()
    _check(page, "plan")
    plan_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert len(plans_api.plan_get(store, plan_id, actor=OPERATOR).actions) == len(recommendations)

    # update the first action: its words link back to the report
    with page.expect_navigation():
        page.get_by_role("link", name="1.1", exact=True).click()
    assert recommendations[0].text in page.locator("blockquote").inner_text()
    page.select_option("#lead", "lee")
    page.fill("#start", "1/6/2025")
    page.fill("#due", "30/9/2026")
    page.select_option("#status", "on_track")
    page.fill("#percent", "60")
    with page.expect_navigation():
        page.get_by_role("button", name="Save changes").click()
    page.fill("#text", "Supervision audit completed; policy relaunched.")
    page.fill("#on", "1/9/2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Add update").click()
    page.fill("#name", "Supervision on time (%)")
    page.fill("#baseline", "48")
    page.fill("#baseline_date", "1/6/2025")
    page.fill("#target", "85")
    page.fill("#target_date", "30/9/2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Add measure").click()
    page.fill("#value", "79")
    page.fill("#reading_on", "31/8/2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Record value").click()
    _check(page, "plan-action")
    action = plans_api.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    assert (
        action.lead.username if action.lead else None,
        action.due,
        action.status,
        action.percent,
    ) == ("lee", date(2026, 9, 30), Status.ON_TRACK, 60)
    assert [u.text for u in action.updates] == ["Supervision audit completed; policy relaunched."]
    assert "Supervision audit completed" in page.locator("main").inner_text()

    # a board, a meeting, its report
    page.goto(f"{plan_server.url}/plans/{plan_id}")
    page.locator("summary", has_text="Add a board").click()
    page.fill("#name", "Improvement board")
    page.select_option("#kind", "improvement_board")
    with page.expect_navigation():
        page.get_by_role("button", name="Add board").click()
    page.fill("#on", "15/9/2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Add meeting").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Progress report for 15 Sep 2026").click()
    _check(page, "plan-meeting-report")
    counts = page.locator("#rag-counts tbody td").all_inner_texts()
    assert counts[-1] == str(len(recommendations))
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as Word (DOCX)").click()
    data = Path(info.value.path()).read_bytes()
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert (
        paragraphs[0]
        == "Buckinghamshire: improvement plan: progress report to Improvement board, 15 September 2026"
    )
    assert "Measures against target" in paragraphs
    # the table of RAG counts equals the page's
    assert [c.text for c in document.tables[0].rows[1].cells] == counts
    measures = next(t for t in document.tables if t.rows[0].cells[1].text == "Measure")
    assert measures.rows[1].cells[0].text == "1.1"
    assert "now 79 on 31 Aug 2026" in measures.rows[1].cells[2].text

    # history shows who changed what
    page.goto(f"{plan_server.url}/plans/{plan_id}/history")
    _check(page, "plan-history")
    history = page.locator("main table").inner_text()
    assert "Ed Itor" in history and "on_track" in history

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "Sign in" in page.locator("header").inner_text()

    # an admin's users page
    _sign_in(page, plan_server, "ada", PASSWORD + "a")
    page.goto(plan_server.url + "/users")
    assert "Lee Officer" in page.locator("main table").inner_text()
    _check(page, "plan-users")
