"""Who may add documents, on SQLite and PostgreSQL: the /upload form and POST /api/ingest
store nothing for a visitor or a viewer, and do for a signed-in editor or an editor's
read-write API token; a read token, an expired, revoked or unknown token, or a session's
API write without its CSRF token is refused; a deployment may open uploading to anyone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from support import FIXTURES, HELD_BACK

from ofsted_csc import api, config
from ofsted_csc.api import users as users_api
from ofsted_csc.plans import tokens
from ofsted_csc.plans.rules import Role, TokenScope
from ofsted_csc.storage.models import SourceFileRow
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

PASSWORDS = {"ada": "admin passphrase 1", "ed": "editor passphrase 2", "vi": "viewer passphrase 3"}
REPORT = FIXTURES / "reports" / HELD_BACK


def _make(db_url: str, **settings: Any) -> Any:
    with api.open_store(db_url) as store:
        if not users_api.user_list(store):
            admin = users_api.user_create(
                store, None, "ada", role=Role.ADMIN, password=PASSWORDS["ada"]
            )
            users_api.user_create(store, admin, "ed", role=Role.EDITOR, password=PASSWORDS["ed"])
            users_api.user_create(store, admin, "vi", role=Role.VIEWER, password=PASSWORDS["vi"])
    return create_app(Settings(db_url=db_url, secret_key="test", **settings))


@pytest.fixture
def app(db_url: str) -> Iterator[Any]:
    application = _make(db_url)
    yield application
    context_of(application).store.close()


def _files(app: Any) -> int:
    with context_of(app).store.session() as s:
        return s.scalar(select(func.count(SourceFileRow.id))) or 0


def _csrf(client: Any, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def _sign_in(client: Any, name: str) -> None:
    data = {"csrf_token": _csrf(client, "/sign-in"), "username": name, "password": PASSWORDS[name]}
    assert client.post("/sign-in", data=data).status_code == 302


def _form_upload(client: Any, csrf: str) -> Any:
    with REPORT.open("rb") as fh:
        return client.post(
            "/upload",
            data={"csrf_token": csrf, "report": (fh, HELD_BACK)},
            content_type="multipart/form-data",
        )


def _api_upload(client: Any, headers: dict[str, str] | None = None) -> Any:
    with REPORT.open("rb") as fh:
        return client.post(
            "/api/ingest",
            data={"file": (fh, HELD_BACK)},
            content_type="multipart/form-data",
            headers=headers or {},
        )


def _token(app: Any, name: str, scope: TokenScope, days: int = 30) -> str:
    store = context_of(app).store
    user = users_api.user_get(store, name)
    return users_api.token_create(store, user, scope=scope, days=days).secret


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_visitor_cannot_upload_by_form_or_api(app: Any) -> None:
    c = app.test_client()
    page = c.get("/upload")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'type="file"' not in text  # no form: a link to sign in instead
    assert 'href="/sign-in?next=/upload">Sign in</a> to upload a report' in text
    # with a CSRF token of its own session (from the sign-in form), the form's POST is
    # refused before the file is read
    r = _form_upload(c, _csrf(c, "/sign-in"))
    assert r.status_code == 401
    assert "needs a signed-in editor or admin" in r.get_data(as_text=True)
    r = _api_upload(c)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer TOKEN" in r.get_json()["message"]
    assert _files(app) == 0


def test_a_viewer_cannot_upload(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "vi")
    text = c.get("/upload").get_data(as_text=True)
    assert 'type="file"' not in text and "signed in as a viewer" in text
    r = _form_upload(c, _csrf(c, "/plans"))
    assert r.status_code == 403
    r = _api_upload(c, {"X-CSRFToken": _csrf(c, "/plans")})
    assert r.status_code == 403 and "needs an editor or admin" in r.get_json()["message"]
    # a viewer's token may read, never write
    r = _api_upload(c.application.test_client(), _bearer(_token(app, "vi", TokenScope.READ)))
    assert r.status_code == 403
    assert _files(app) == 0


def test_a_signed_in_editor_uploads_by_form(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "ed")
    r = _form_upload(c, _csrf(c, "/upload"))
    assert r.status_code == 200 and "was read and stored" in r.get_data(as_text=True)
    assert _files(app) == 1


def test_a_sessions_api_write_needs_its_csrf_token(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "ed")
    r = _api_upload(c)
    assert r.status_code == 400 and "X-CSRFToken" in r.get_json()["message"]
    assert _files(app) == 0
    r = _api_upload(c, {"X-CSRFToken": _csrf(c, "/upload")})
    assert r.status_code == 200 and r.get_json()["outcome"] == "stored"
    assert _files(app) == 1


def test_a_read_write_token_stores_without_a_session_or_csrf(app: Any) -> None:
    secret = _token(app, "ed", TokenScope.READ_WRITE)
    r = _api_upload(app.test_client(), _bearer(secret))
    assert r.status_code == 200 and r.get_json()["outcome"] == "stored"
    assert _files(app) == 1
    store = app_store(app)
    listed = users_api.token_list(store, users_api.user_get(store, "ed"))
    assert listed[0].last_used_at is not None


def app_store(app: Any) -> Any:
    return context_of(app).store


def test_a_read_token_cannot_write_but_can_read(app: Any) -> None:
    secret = _token(app, "ed", TokenScope.READ)
    c = app.test_client()
    r = _api_upload(c, _bearer(secret))
    assert r.status_code == 403 and "scope is read" in r.get_json()["message"]
    assert c.get("/api/councils", headers=_bearer(secret)).status_code == 200
    assert _files(app) == 0


def test_expired_revoked_and_unknown_tokens_are_refused(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = app_store(app)
    revoked = _token(app, "ed", TokenScope.READ_WRITE)
    ed = users_api.user_get(store, "ed")
    users_api.token_revoke(store, ed, users_api.token_list(store, ed)[0].id)
    expiring = _token(app, "ed", TokenScope.READ_WRITE, days=1)
    c = app.test_client()
    cases = [
        (revoked, "revoked"),
        ("ocsc_" + "x" * 43, "not valid"),
        (expiring[:-1] + ("A" if expiring[-1] != "A" else "B"), "not valid"),
    ]
    for secret, words in cases:
        r = _api_upload(c, _bearer(secret))
        assert r.status_code == 401 and words in r.get_json()["message"], (secret, r.get_json())
        assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    # a bad token is refused even where no sign-in is needed, and before the page cache
    # answers with a kept copy
    c.get("/api/councils")
    assert c.get("/api/councils").headers.get("X-Cache") == "hit"
    assert c.get("/api/councils", headers=_bearer(revoked)).status_code == 401
    r = c.get("/api/councils", headers={"Authorization": "Basic ZWQ6cGFzc3dvcmQ="})
    assert r.status_code == 401 and "Bearer" in r.get_json()["message"]
    later = tokens.now() + timedelta(days=2)
    monkeypatch.setattr(tokens, "now", lambda: later)
    r = _api_upload(c, _bearer(expiring))
    assert r.status_code == 401 and "expired on" in r.get_json()["message"]
    assert _files(app) == 0


def test_a_deactivated_users_token_and_a_demoted_editors_token_cannot_write(app: Any) -> None:
    store = app_store(app)
    secret = _token(app, "ed", TokenScope.READ_WRITE)
    admin = users_api.user_get(store, "ada")
    users_api.user_update(store, admin, "ed", role=Role.VIEWER)
    assert _api_upload(app.test_client(), _bearer(secret)).status_code == 403
    users_api.user_update(store, admin, "ed", active=False)
    r = _api_upload(app.test_client(), _bearer(secret))
    assert r.status_code == 401 and "deactivated" in r.get_json()["message"]
    assert _files(app) == 0


def test_a_deployment_may_open_uploading_to_anyone(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings.from_env().open_upload is False
    monkeypatch.setenv("OFSTED_CSC_OPEN_UPLOAD", "yes")
    config.use(None)
    assert Settings.from_env().open_upload is True
    app = _make(db_url, open_upload=True)
    try:
        c = app.test_client()
        assert 'type="file"' in c.get("/upload").get_data(as_text=True)
        r = _api_upload(c)
        assert r.status_code == 200 and r.get_json()["outcome"] == "stored"
        r = _form_upload(c, _csrf(c, "/upload"))
        assert r.status_code == 200 and "is already stored" in r.get_data(as_text=True)
        assert _files(app) == 1
    finally:
        app_store(app).close()


def test_the_policy_allows_no_inline_script_but_govuk_frontends_by_hash(app: Any) -> None:
    from ofsted_csc.web import chrome

    c = app.test_client()
    for path in ("/", "/upload", "/api/councils", "/sign-in"):
        policy = c.get(path).headers["Content-Security-Policy"]
        directives = {p.split()[0]: p.split()[1:] for p in policy.split(";") if p.strip()}
        assert directives["script-src"] == [
            "'self'",
            "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='",  # GOV.UK Frontend's docs
        ], path
    assert chrome.SCRIPT_HASH == "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"
    page = c.get("/").get_data(as_text=True)
    # the page's only inline script is the snippet of that hash; the rest are files
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert inline == [chrome.JS_ENABLED]
    assert re.findall(r'<script type="module" src="([^"]+)"></script>', page) == [
        "/static/govuk/govuk-frontend.min.js",
        "/static/init.js",
    ]
    script = c.get("/static/init.js")
    assert script.status_code == 200 and b"initAll()" in script.data
    script.close()


def test_an_editors_form_upload_needs_its_csrf_token(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "ed")
    with REPORT.open("rb") as fh:
        r = c.post("/upload", data={"report": (fh, HELD_BACK)}, content_type="multipart/form-data")
    assert r.status_code == 400 and "The form has expired" in r.get_data(as_text=True)
    assert _files(app) == 0


def test_uploads_turned_off_refuse_the_form_and_the_api_even_to_an_editor(db_url: str) -> None:
    app = _make(db_url, allow_upload=False, open_upload=True)  # off wins over open
    try:
        secret = _token(app, "ed", TokenScope.READ_WRITE)
        c = app.test_client()
        _sign_in(c, "ed")
        assert c.get("/upload").status_code == 404
        assert _form_upload(c, _csrf(c, "/plans")).status_code == 404
        assert _api_upload(c, {"X-CSRFToken": _csrf(c, "/plans")}).status_code == 404
        assert _api_upload(app.test_client(), _bearer(secret)).status_code == 404
        assert _api_upload(app.test_client()).status_code == 404
        assert _files(app) == 0
    finally:
        app_store(app).close()
