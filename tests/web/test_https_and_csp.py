"""One setting for HTTPS (OFSTED_CSC_HTTPS, old name OFSTED_CSC_SECURE_COOKIES): Secure cookies
and Strict-Transport-Security on every response, or neither; and the Content-Security-Policy
lets no inline script run but GOV.UK Frontend's, whose hash is that of the page's own snippet."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest

from ofsted_csc import api, config
from ofsted_csc.api import users as users_api
from ofsted_csc.plans.rules import Role
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

HSTS = "max-age=31536000; includeSubDomains"
PASSWORD = "editor passphrase 2"
PATHS = ("/", "/sign-in", "/upload", "/api/councils", "/static/init.js", "/no-such-page")


def _user(db_url: str) -> None:
    with api.open_store(db_url) as store:
        if not users_api.user_list(store):
            users_api.user_create(store, None, "ed", role=Role.ADMIN, password=PASSWORD)


def _app(db_url: str, **settings: Any) -> Any:
    _user(db_url)
    return create_app(Settings(db_url=db_url, secret_key="test", **settings))


@pytest.fixture
def made(db_url: str) -> Iterator[list[Any]]:
    apps: list[Any] = []
    yield apps
    for app in apps:
        context_of(app).store.close()


def _sign_in(client: Any) -> Any:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    data = {"csrf_token": token.group(1), "username": "ed", "password": PASSWORD}
    r = client.post("/sign-in", data=data)
    assert r.status_code == 302
    return r


def _session_cookies(response: Any) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if "ofsted_csc_session=" in c]


@pytest.mark.parametrize(
    "how",
    [{"https": True}, {"secure_cookies": True}, "env:HTTPS", "env:SECURE_COOKIES"],
    ids=["https", "old-name", "env-https", "env-old-name"],
)
def test_https_makes_cookies_secure_and_sends_hsts(
    db_url: str, made: list[Any], how: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if isinstance(how, str):
        monkeypatch.setenv("OFSTED_CSC_" + how.removeprefix("env:"), "1")
        config.use(None)
        settings = Settings.from_env(db_url=db_url, secret_key="test")
        assert settings.https and settings.over_https
        _user(db_url)
        app = create_app(settings)
    else:
        app = _app(db_url, **how)
    made.append(app)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    c = app.test_client()
    for path in PATHS:
        r = c.get(path)
        assert r.headers.get("Strict-Transport-Security") == HSTS, path
        r.close()
    signed_in = _sign_in(c)
    assert signed_in.headers.get("Strict-Transport-Security") == HSTS
    cookies = _session_cookies(signed_in)
    assert cookies, "signing in sets the session cookie"
    for cookie in cookies:
        flags = [f.strip().lower() for f in cookie.split(";")]
        assert "secure" in flags and "httponly" in flags, cookie
    # a page served again from the page cache sends it too
    assert c.get("/").headers.get("Strict-Transport-Security") == HSTS


def test_without_https_no_secure_cookie_and_no_hsts(db_url: str, made: list[Any]) -> None:
    app = _app(db_url)
    made.append(app)
    c = app.test_client()
    for path in PATHS:
        r = c.get(path)
        assert "Strict-Transport-Security" not in r.headers, path
        r.close()
    cookies = _session_cookies(_sign_in(c))
    assert cookies
    for cookie in cookies:
        assert "secure" not in [f.strip().lower() for f in cookie.split(";")], cookie


def _script_src(policy: str) -> list[str]:
    directives = {p.split()[0]: p.split()[1:] for p in policy.split(";") if p.strip()}
    return directives["script-src"]


def test_script_src_never_allows_unsafe_inline_and_its_hash_is_the_pages_script(
    db_url: str, made: list[Any]
) -> None:
    app = _app(db_url)
    made.append(app)
    c = app.test_client()
    _sign_in(c)  # signed-in pages too (the header's sign-out form)
    for path in ("/", "/sign-in", "/upload", "/plans", "/about", "/api/councils"):
        r = c.get(path)
        policy = r.headers["Content-Security-Policy"]
        sources = _script_src(policy)
        assert "'unsafe-inline'" not in sources, (path, policy)
        assert "'unsafe-eval'" not in sources and "*" not in sources, (path, policy)
        hashes = [s for s in sources if s.startswith("'sha256-")]
        if r.mimetype != "text/html":
            continue
        page = r.get_data(as_text=True)
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, re.S)
        assert inline, f"{path} has GOV.UK Frontend's inline script"
        for text in inline:
            digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in hashes, (path, text)
