"""Two `ofsted-csc serve` processes on one PostgreSQL database behave as one server: a session
begun through one works on the other and signing out through either ends it for both; the
sign-in attempts made through both count towards one limit; and a report uploaded through one
shows in the other's JSON API within about a second (each process asks the database for its
data version at most once a second).

The servers run as users start them (`python -m ofsted_csc serve`, one worker each, on their own
ports, with the same secret key), as several servers behind one address would."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

import httpx
import pytest
from support import FIXTURES

from ofsted_csc import api
from ofsted_csc.api import users as users_api
from ofsted_csc.plans.rules import Role, TokenScope

pytestmark = pytest.mark.postgres

COOKIE = "ofsted_csc_session"
REPORT = FIXTURES / "reports" / "50276975.pdf"
PASSWORD = "editor passphrase 2"
LOGIN_RATE = 10  # Settings.login_rate: "10 per minute"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _serve(db_url: str, folder: Path) -> Iterator[str]:
    """`python -m ofsted_csc serve` on a free port, until the block ends: its base URL."""
    port = _free_port()
    env = dict(os.environ, OFSTED_CSC_DB=db_url, OFSTED_CSC_SECRET_KEY="two processes")
    args = [sys.executable, "-m", "ofsted_csc", "serve", "--port", str(port), "--workers", "1"]
    logged = folder / f"serve-{port}.log"
    with logged.open("w") as log:
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/about", timeout=2).status_code == 200:
                        break
                assert proc.poll() is None, logged.read_text()
                assert time.monotonic() < deadline, f"nothing answered on {port}"
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="module")
def servers(
    module_postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, str]]:
    """Processes A and B on one fresh database holding an editor, "ed", and an API token of
    theirs (read-write): (A's URL, B's URL, the token)."""
    with api.open_store(module_postgres_url) as store:
        admin = users_api.user_create(store, None, "ada", role=Role.ADMIN, password="a" * 20)
        ed = users_api.user_create(store, admin, "ed", role=Role.EDITOR, password=PASSWORD)
        token = users_api.token_create(store, ed, name="uploads", scope=TokenScope.READ_WRITE)
    folder = tmp_path_factory.mktemp("two-processes")
    with _serve(module_postgres_url, folder) as a, _serve(module_postgres_url, folder) as b:
        yield a, b, token.secret


def _client(base: str, address: str = "127.0.0.1") -> httpx.Client:
    """A client of one server that keeps no cookies of its own (each request names its
    session), connecting from `address` (any of 127/8 reaches the server)."""
    transport = httpx.HTTPTransport(local_address=address)
    keeps_none = CookieJar(DefaultCookiePolicy(allowed_domains=[]))
    return httpx.Client(
        base_url=base, transport=transport, cookies=keeps_none, timeout=10, follow_redirects=False
    )


def _session(sid: str | None) -> dict[str, str]:
    return {"Cookie": f"{COOKIE}={sid}"} if sid else {}


def _form(client: httpx.Client, path: str, sid: str | None = None) -> tuple[str, str]:
    """The session id (a new one when `sid` is None) and the CSRF token of the page at `path`."""
    r = client.get(path, headers=_session(sid))
    assert r.status_code == 200, (path, r.status_code)
    m = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert m, f"no CSRF token on {path}"
    return r.cookies.get(COOKIE) or sid or "", m.group(1)


def _sign_in(client: httpx.Client, password: str, sid: str, token: str) -> httpx.Response:
    return client.post(
        "/sign-in",
        data={"csrf_token": token, "username": "ed", "password": password},
        headers=_session(sid),
    )


def test_a_session_begun_through_one_process_works_and_ends_through_the_other(
    servers: tuple[str, str, str],
) -> None:
    a_url, b_url, _ = servers
    with _client(a_url) as a, _client(b_url) as b:
        form_sid, token = _form(a, "/sign-in")
        r = _sign_in(a, PASSWORD, form_sid, token)
        assert r.status_code == 302, r.text[:300]
        sid = r.cookies.get(COOKIE)
        assert sid and sid != form_sid
        assert a.get("/plans", headers=_session(sid)).status_code == 200
        assert b.get("/plans", headers=_session(sid)).status_code == 200  # signed in on B
        assert b.get("/plans").status_code == 302  # (and not without the cookie)
        # sign out through B, with the form token of B's page (the session's, in the store)
        _, token = _form(b, "/plans", sid)
        r = b.post("/sign-out", data={"csrf_token": token}, headers=_session(sid))
        assert r.status_code == 302
        # A's next request with that cookie is anonymous
        r = a.get("/plans", headers=_session(sid))
        assert r.status_code == 302 and "/sign-in" in r.headers["Location"]


def test_sign_in_attempts_through_both_processes_count_towards_one_limit(
    servers: tuple[str, str, str],
) -> None:
    a_url, b_url, _ = servers
    # from an address of its own, so that other tests' sign-ins do not count
    with _client(a_url, "127.0.0.3") as a, _client(b_url, "127.0.0.3") as b:
        sid, token = _form(a, "/sign-in")
        codes = [
            _sign_in((a, b)[n % 2], f"guess {n}", sid, token).status_code for n in range(LOGIN_RATE)
        ]
        assert codes == [400] * LOGIN_RATE  # each process saw only half of them
        assert _sign_in(a, "guess", sid, token).status_code == 429
        assert _sign_in(b, "guess", sid, token).status_code == 429
        # refused even with the right password, through either
        r = _sign_in(b, PASSWORD, sid, token)
        assert r.status_code == 429 and "Too many" in r.text
    # another address is not held back by those
    with _client(b_url, "127.0.0.4") as other:
        sid, token = _form(other, "/sign-in")
        assert _sign_in(other, "guess", sid, token).status_code == 400


def test_a_report_uploaded_through_one_process_shows_in_the_other_within_a_second(
    servers: tuple[str, str, str],
) -> None:
    a_url, b_url, secret = servers
    with _client(a_url) as a, _client(b_url) as b:
        before = b.get("/api/inspections").json()["count"]
        assert a.get("/api/inspections").json()["count"] == before
        r = a.post(
            "/api/ingest",
            files={"file": (REPORT.name, REPORT.read_bytes(), "application/pdf")},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert r.status_code == 200, r.text[:500]
        assert r.json()["outcome"] == "stored"
        stored = time.monotonic()
        sha256 = r.json()["sha256"]
        while True:
            listing = b.get("/api/inspections").json()
            waited = time.monotonic() - stored
            if listing["count"] == before + 1:
                break
            assert waited < 5, "B never showed the upload"
            time.sleep(0.05)
        print(f"B showed the upload through A after {waited:.2f} s")
        assert waited < 1.5  # the version is asked at most once a second, then the rebuild
        assert b.get(f"/api/inspections/{sha256}").status_code == 200
        assert a.get("/api/inspections").json()["count"] == before + 1  # A at once
