"""Fixtures for the web app: a store of the sample reports, the app on a real socket
(waitress, as `ofsted-csc serve` runs it) and Debian's chromium driven by Playwright.

Browser tests skip when chromium or Playwright is missing, unless OFSTED_CSC_REQUIRE_BROWSER=1
(set by .ci/run), when they fail instead. Every page the browser tests open is saved as a
screenshot in $OFSTED_CSC_SCREENSHOTS (default out/screenshots)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from support import CHROMIUM, FIXTURES, HELD_BACK, REQUIRE_BROWSER, LiveServer

from ofsted_csc import api, config
from ofsted_csc.storage.store import Store
from ofsted_csc.web.app import Settings, create_app
from ofsted_csc.web.context import context_of


def sample_files() -> list[Path]:
    reports = [p for p in sorted((FIXTURES / "reports").glob("*.pdf")) if p.name != HELD_BACK]
    return reports + sorted((FIXTURES / "letters").glob("*.pdf"))


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the sample reports and letters (one report held back)."""
    folder = tmp_path_factory.mktemp("webdb")
    path = folder / "sample.sqlite"
    with api.open_store(f"sqlite:///{path}") as store:
        summary = api.ingest(store, sample_files())
        assert not summary.refused and not summary.review, summary.files
    return path


@pytest.fixture
def db_copy(sample_db: Path, tmp_path: Path) -> str:
    """A private copy of the sample store, for tests that change it."""
    target = tmp_path / "store.sqlite"
    shutil.copy(sample_db, target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def built_in(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store of the built-in official statistics only: every council's grades since 2009
    (read, never written, by the tests that take it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('built-in') / 'built-in.sqlite'}"
    with Store.open(url, bundled=True):
        pass
    return url


@pytest.fixture
def built_in_client(built_in: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The app on the `built_in` store, with the built-in statistics and no page cache."""
    monkeypatch.setenv("OFSTED_CSC_BUNDLED", "1")
    monkeypatch.setenv("OFSTED_CSC_PAGE_CACHE", "0")
    config.use(None)
    return create_app(Settings(db_url=built_in, secret_key="t")).test_client()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db_url: str, **settings: Any) -> Iterator[LiveServer]:
    """The app over `db_url` (with any other `Settings` given) served on a free loopback port."""
    import waitress.server
    from waitress import wasyncore

    from ofsted_csc.web import Settings, create_app

    app = create_app(Settings(db_url=db_url, **settings))
    port = _free_port()
    server = waitress.server.create_server(app, host="127.0.0.1", port=port, threads=4)
    stop = threading.Event()

    def serve() -> None:
        # waitress's own run() loops until its sockets are closed, so closing them from
        # this thread races its select() (EBADF at teardown). Loop in short turns instead
        # and close the sockets only after the loop has stopped.
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app, db_url)
    finally:
        stop.set()
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)
        context_of(app).store.close()


@pytest.fixture
def live_server(db_copy: str) -> Iterator[LiveServer]:
    """The web app over a private copy of the sample store, on a free loopback port."""
    yield from start_server(db_copy)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = ""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright is not installed"
    if not reason and not Path(CHROMIUM).exists():
        reason = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(f"OFSTED_CSC_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


class Offline:
    """Every request the page makes that leaves loopback is blocked and remembered."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.console_errors: list[str] = []

    def route(self, route: Any) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab with no network beyond loopback; fails the test if the page
    tried to reach anything else or logged a script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    offline = Offline()
    context.route("**/*", offline.route)
    tab = context.new_page()

    # A page answered with 400 (a form with errors) logs "Failed to load resource" for the
    # document itself; failed subresources are caught by the response handler instead.
    def on_console(m: Any) -> None:
        if m.type == "error" and not m.text.startswith("Failed to load resource"):
            offline.console_errors.append(m.text)

    def on_response(r: Any) -> None:
        if r.status >= 400 and r.request.resource_type != "document":
            offline.console_errors.append(f"{r.status} {r.url}")

    tab.on("console", on_console)
    tab.on("response", on_response)
    tab.on("pageerror", lambda e: offline.console_errors.append(str(e)))
    yield tab
    context.close()
    assert not offline.blocked, f"pages tried to reach the network: {offline.blocked}"
    assert not offline.console_errors, f"script errors: {offline.console_errors}"
