"""The pages' fast paths write what the slow ones did: the GOV.UK components written in
Python (web/govuk.py) and the header (web/chrome.py) give govuk-frontend-jinja's markup, links
built without url_for follow the script root, listing rows follow the chosen judgement, and
`ofsted-csc serve` with several worker processes serves pages and stops them all when
stopped."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup
from werkzeug.test import EnvironBuilder, run_wsgi_app

from ofsted_csc.web import Settings, create_app, govuk
from ofsted_csc.web.context import context_of


@pytest.fixture
def app(db_copy: str) -> Any:
    application = create_app(Settings(db_url=db_copy, secret_key="test"))
    yield application
    context_of(application).store.close()


def same_html(html: str) -> str:
    """Markup with whitespace that does not change the page taken out: runs of whitespace
    are one space, and none is kept beside a tag's angle brackets."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


def macro(app: Any, component: str, name: str, params: Any) -> str:
    """govuk-frontend-jinja's own rendering of a component."""
    source = (
        f'{{% from "govuk_frontend_jinja/components/{component}/macro.html" import {name} %}}'
        f"{{{{ {name}(params) }}}}"
    )
    return str(app.jinja_env.from_string(source).render(params=params))


CASES = [
    (
        "select",
        "govukSelect",
        govuk.select,
        {
            "id": "kind",
            "name": "kind",
            "label": {"text": "Kind"},
            "classes": "govuk-!-width-full",
            "items": [
                {"value": "", "text": "Any"},
                {"value": "full", "text": "Full <inspection>", "selected": True},
                {"value": 2024, "text": "2024", "selected": False},
            ],
        },
    ),
    ("button", "govukButton", govuk.button, {"text": "Show", "classes": "govuk-button--secondary"}),
    ("button", "govukButton", govuk.button, {"text": "Apply filters"}),
    *[
        (
            "date-input",
            "govukDateInput",
            govuk.date_input,
            {
                "id": "as_at",
                "namePrefix": "as_at",
                "fieldset": {"legend": {"text": "Date", "classes": "govuk-fieldset__legend--s"}},
                "hint": {"text": "For example, 31 3 2024."},
                "errorMessage": {"text": error} if error else None,
                "items": [
                    {
                        "name": "day",
                        "label": "Day",
                        "classes": "govuk-input--width-2",
                        "value": "31",
                    },
                    {"name": "month", "label": "Month", "classes": "govuk-input--width-2"},
                    {
                        "name": "year",
                        "label": "Year",
                        "classes": "govuk-input--width-4",
                        "value": "",
                    },
                ],
            },
        )
        for error in ("", "The date must include a year")
    ],
    (
        "radios",
        "govukRadios",
        govuk.radios,
        {
            "name": "by",
            "classes": "govuk-radios--small govuk-radios--inline",
            "fieldset": {"legend": {"text": "Regions", "classes": "govuk-fieldset__legend--s"}},
            "items": [
                {"value": "ons", "text": "ONS regions", "checked": True},
                {"value": "ofsted", "text": "Ofsted regions", "checked": False},
            ],
        },
    ),
    (
        "details",
        "govukDetails",
        govuk.details,
        {"summaryText": "The map's grades as a table", "html": Markup("<table></table>")},
    ),
    (
        "error-summary",
        "govukErrorSummary",
        govuk.error_summary,
        {"titleText": "There is a problem", "errorList": [{"text": "Bad & wrong", "href": "#a"}]},
    ),
    (
        "summary-list",
        "govukSummaryList",
        govuk.summary_list,
        {
            "classes": "govuk-summary-list--no-border",
            "rows": [
                {"key": {"text": "Code"}, "value": {"text": 810}},
                {"key": {"text": "Name"}, "value": {"text": "Hull & East"}},
            ],
        },
    ),
    *[
        (
            "pagination",
            "govukPagination",
            govuk.pagination,
            {
                "previous": {"href": f"/inspections?page={page - 1}"} if page > 1 else None,
                "next": {"href": f"/inspections?page={page + 1}"} if page < 3 else None,
                "items": [
                    {"number": n, "href": f"/inspections?a=1&page={n}", "current": n == page}
                    for n in (1, 2, 3)
                ],
            },
        )
        for page in (1, 2, 3)
    ],
]


@pytest.mark.parametrize(("component", "name", "fast", "params"), CASES)
def test_components_write_govuk_frontend_jinjas_markup(
    app: Any, component: str, name: str, fast: Any, params: Any
) -> None:
    assert same_html(fast(params)) == same_html(macro(app, component, name, params))


def test_breadcrumbs_write_govuk_frontend_jinjas_markup(app: Any) -> None:
    items = [{"text": "Councils", "href": "/councils"}, {"text": "Hull & East"}]
    assert same_html(govuk.breadcrumbs(items)) == same_html(
        macro(app, "breadcrumbs", "govukBreadcrumbs", {"items": items})
    )


@pytest.mark.parametrize("path", ["/", "/regions/london", "/inspections", "/about"])
def test_the_header_is_govuk_service_navigation(app: Any, path: str) -> None:
    with app.test_request_context(path):
        html = app.jinja_env.globals["page_header"](path, None)
        items = [
            {"href": href, "text": text, "active": active}
            for href, text, active in [
                ("/", "National picture", path == "/"),
                ("/regions", "Regions", path.startswith("/regions")),
                ("/councils", "Councils", False),
                ("/inspections", "Inspections", path.startswith("/inspections")),
                ("/themes", "Themes", False),
                ("/compare", "Compare", False),
                ("/map", "Map", False),
                ("/upload", "Upload", False),
            ]
        ]
        expected = macro(
            app,
            "service-navigation",
            "govukServiceNavigation",
            {
                "serviceName": "Ofsted children's services inspections",
                "serviceUrl": "/",
                "navigation": items,
                "navigationClasses": "",
            },
        )
    assert same_html(expected) in same_html(html)
    assert 'href="/sign-in">Sign in</a> to improvement plans' in html


def _page(app: Any, path: str, root: str = "") -> str:
    """A page as a WSGI server mounted at `root` would serve it."""
    environ = EnvironBuilder(path=path, base_url=f"http://localhost{root}").get_environ()
    body, _status, _headers = run_wsgi_app(app, environ, buffered=True)
    return b"".join(body).decode()


def test_pages_under_a_script_root_link_within_it(app: Any) -> None:
    for _ in range(2):  # built once per root and remembered: neither gets the other's
        assert 'href="/ofsted/' not in _page(app, "/inspections")
        page = _page(app, "/inspections", "/ofsted")
        assert 'href="/ofsted/councils/' in page and 'href="/ofsted/inspections/' in page
        assert 'href="/ofsted/documents/' in page and 'href="/ofsted/static/app.css"' in page
        assert 'href="/councils/' not in page
        assert 'href="/ofsted/councils/' in _page(app, "/councils", "/ofsted")
        assert 'href="/councils/' in _page(app, "/councils")


def test_listing_rows_follow_the_chosen_judgement(app: Any) -> None:
    client = app.test_client()
    overall = client.get("/inspections?framework=ilacs").text
    leaders = client.get("/inspections?framework=ilacs&judgement=leadership").text
    rows = re.findall(r'<tr class="govuk-table__row" data-sha256="([0-9a-f]{64})">', overall)
    assert rows and rows == re.findall(r'data-sha256="([0-9a-f]{64})"', leaders)
    assert overall.count('class="govuk-tag ') >= len(rows) - overall.count("Not judged")
    visits = client.get("/inspections?framework=visit").text
    assert "Not graded" in visits and "govuk-tag " not in visits.split("</thead>")[1]


# -- the server --


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs fork and /proc")
def test_serve_with_two_workers_serves_and_stops_them_all(db_copy: str, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, OFSTED_CSC_PAGE_CACHE="0")
    command = [sys.executable, "-m", "ofsted_csc", "--db", db_copy, "serve"]
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*command, "--port", str(port), "--workers", "2", "--threads", "4"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", "/")
                assert conn.getresponse().status == 200
                break
            except (OSError, http.client.HTTPException):
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            finally:
                conn.close()
        workers = _children(server.pid)
        assert len(workers) == 2, log.read_text()

        statuses: list[int] = []

        def client() -> None:  # 12 clients at once, on 4 + 4 threads
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                for path in ("/inspections?page=2", "/councils", "/map", "/regions"):
                    c.request("GET", path)
                    response = c.getresponse()
                    response.read()
                    statuses.append(response.status)
            finally:
                c.close()

        threads = [threading.Thread(target=client) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [200] * 48
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    for pid in workers:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )
    with socket.socket() as s:  # the port is free again
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
