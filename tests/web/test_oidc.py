"""Single sign-on by OpenID Connect against a real provider on loopback (oidc_provider.py: a
small Flask app in a thread serving discovery, a JWKS, authorize and token endpoints and signed
ID tokens). The flow is driven by Flask's test client, following the redirect to the provider
by hand."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from joserfc.jwk import RSAKey
from oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, serve_provider
from sqlalchemy import select

from ofsted_csc import api
from ofsted_csc.api import users as users_api
from ofsted_csc.plans.rules import Role
from ofsted_csc.storage.plan_models import UserRow
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

PASSWORD = "editor passphrase 2"


@pytest.fixture(scope="module")
def provider_server() -> Iterator[Provider]:
    yield from serve_provider()


@pytest.fixture
def provider(provider_server: Provider, monkeypatch: pytest.MonkeyPatch) -> Provider:
    """The provider with its default answers (each test changes them as it needs)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    provider_server.sign_with = None
    provider_server.raw_id_token = None
    provider_server.claims = {}
    provider_server.email = "ed.itor@council.example"
    provider_server.end_session = True
    return provider_server


def make_app(sqlite_url: str, provider: Provider, **settings: Any) -> Flask:
    with api.open_store(sqlite_url) as store:
        if not users_api.user_list(store):
            admin = users_api.user_create(
                store, None, "ada", role=Role.ADMIN, password="admin passphrase 1"
            )
            users_api.user_create(
                store,
                admin,
                "ed",
                role=Role.EDITOR,
                password=PASSWORD,
                email="Ed.Itor@Council.example",  # matched without regard to case
            )
            users_api.user_create(
                store, admin, "gone", role=Role.EDITOR, email="gone@council.example"
            )
            users_api.user_update(store, admin, "gone", active=False)
    values: dict[str, Any] = {
        "db_url": sqlite_url,
        "secret_key": "test",
        "oidc_issuer": provider.issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        "oidc_name": "Council Login",
    }
    values.update(settings)
    return create_app(Settings(**values))


@pytest.fixture
def app(sqlite_url: str, provider: Provider) -> Iterator[Flask]:
    application = make_app(sqlite_url, provider)
    yield application
    context_of(application).store.close()


def start(client: Any, next_page: str | None = None) -> str:
    """Sign in with the provider up to its answer: the callback path and query it sends the
    browser to."""
    r = client.get("/sign-in/oidc" + (f"?next={next_page}" if next_page else ""))
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    at_provider = requests.get(r.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/sign-in/oidc/callback"
    return f"{back.path}?{back.query}"


def signed_in(client: Any) -> bool:
    r = client.get("/plans")
    return r.status_code != 302


def refused(r: Any, status: int, words: str) -> str:
    page = r.get_data(as_text=True)
    assert r.status_code == status, page[:2000]
    assert "govuk-error-summary" in page and words in page, page[:3000]
    assert CLIENT_SECRET not in page
    return page


def test_sign_in_page_offers_the_provider_and_passwords(app: Flask) -> None:
    page = app.test_client().get("/sign-in?next=/plans").get_data(as_text=True)
    assert "Sign in with Council Login" in page
    assert 'href="/sign-in/oidc?next=/plans"' in page or "/sign-in/oidc?next=%2Fplans" in page
    assert 'name="password"' in page
    assert CLIENT_SECRET not in page


def test_good_sign_in_matches_the_user_by_email_and_the_session_works(
    app: Flask, provider: Provider
) -> None:
    c = app.test_client()
    assert not signed_in(c)
    callback = start(c, "/plans?page=2")
    before = c.get_cookie("ofsted_csc_session")
    r = c.get(callback)
    assert r.status_code == 302 and r.headers["Location"] == "/plans?page=2"
    after = c.get_cookie("ofsted_csc_session")
    assert before is not None and after is not None and after.value != before.value
    assert signed_in(c)
    assert "ed" in c.get("/plans").get_data(as_text=True)
    # the code is spent: the same answer again signs nobody in
    c2 = app.test_client()
    refused(c2.get(callback), 400, "did not work")
    assert not signed_in(c2)


def test_next_page_off_the_site_goes_to_the_plans(app: Flask) -> None:
    c = app.test_client()
    r = c.get(start(c, "//evil.example/"))
    assert r.status_code == 302 and r.headers["Location"] == "/plans"


def test_state_mismatch_is_refused(app: Flask, provider: Provider) -> None:
    c = app.test_client()
    callback = start(c)
    forged = re.sub(r"state=[^&]+", "state=not-the-state", callback)
    refused(c.get(forged), 400, "does not belong to a sign-in started in this browser")
    assert provider.token_requests >= 0 and not signed_in(c)
    # an answer for another browser's sign-in
    other = app.test_client()
    refused(other.get(callback), 400, "does not belong to a sign-in started in this browser")
    assert not signed_in(other)


@pytest.mark.parametrize(
    ("claims", "words"),
    [
        ({"nonce": "another-sign-in"}, "the ID token does not belong to this sign-in"),
        ({"nonce": None}, "the ID token does not belong to this sign-in"),
        (
            {"exp": int(time.time()) - 600, "iat": int(time.time()) - 900},
            "the ID token has expired",
        ),
        ({"aud": "another-service"}, "the ID token is for another service"),
        ({"aud": ["another-service"], "azp": CLIENT_ID}, "the ID token is for another service"),
        ({"iss": "https://login.example.com"}, "the ID token is from another issuer"),
    ],
    ids=["nonce-mismatch", "nonce-missing", "expired", "audience", "audience-azp", "issuer"],
)
def test_a_token_failing_a_check_is_refused(
    app: Flask, provider: Provider, claims: dict[str, Any], words: str
) -> None:
    provider.claims = claims
    c = app.test_client()
    refused(c.get(start(c)), 400, words)
    assert not signed_in(c)


@pytest.mark.parametrize("kid", ["k1", "k2"])
def test_a_token_signed_by_another_key_is_refused(app: Flask, provider: Provider, kid: str) -> None:
    provider.sign_with = RSAKey.generate_key(2048, parameters={"kid": kid})
    c = app.test_client()
    refused(c.get(start(c)), 400, "the ID token was not signed by the provider")
    assert not signed_in(c)


@pytest.mark.parametrize("raw", ["not-a-token", "e30.e30.", "a.b.c"])
def test_a_token_that_cannot_be_read_is_refused(app: Flask, provider: Provider, raw: str) -> None:
    provider.raw_id_token = raw
    c = app.test_client()
    refused(c.get(start(c)), 400, "did not work")
    assert not signed_in(c)


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_unverified_email_is_refused(app: Flask, provider: Provider, verified: object) -> None:
    provider.claims = {"email_verified": verified}
    c = app.test_client()
    refused(c.get(start(c)), 403, "has not verified this email address")
    assert not signed_in(c)


def test_a_token_silent_on_verification_is_trusted_only_when_the_deployment_says(
    sqlite_url: str, provider: Provider
) -> None:
    """Microsoft Entra ID sends no `email_verified`: a single-tenant deployment that trusts its
    own directory's addresses says so (OFSTED_CSC_OIDC_TRUST_EMAIL); Entra's `xms_edov` counts
    as verified; a token that says false is refused even then."""
    trusting = make_app(sqlite_url, provider, oidc_trust_email=True)
    strict = make_app(sqlite_url, provider)
    try:
        provider.claims = {"email_verified": None}
        c = strict.test_client()
        refused(c.get(start(c)), 403, "has not verified this email address")
        c = trusting.test_client()
        assert c.get(start(c)).status_code == 302 and signed_in(c)
        provider.claims = {"email_verified": None, "xms_edov": True}
        c = strict.test_client()
        assert c.get(start(c)).status_code == 302 and signed_in(c)
        for said in (False, "false"):
            provider.claims = {"email_verified": said, "xms_edov": True}
            c = trusting.test_client()
            refused(c.get(start(c)), 403, "has not verified this email address")
            assert not signed_in(c)
    finally:
        context_of(trusting).store.close()
        context_of(strict).store.close()


def test_an_unknown_email_is_refused_when_users_are_not_made(
    app: Flask, provider: Provider
) -> None:
    provider.email = "new.person@council.example"
    c = app.test_client()
    refused(c.get(start(c)), 403, "no account of this service has this email address")
    assert not signed_in(c)
    with context_of(app).store.session() as s:
        assert s.scalar(select(UserRow).where(UserRow.email == provider.email)) is None


def test_a_deactivated_user_is_refused(app: Flask, provider: Provider) -> None:
    provider.email = "GONE@council.example"
    c = app.test_client()
    refused(c.get(start(c)), 403, "deactivated")
    assert not signed_in(c)


def test_an_unknown_email_gets_a_user_with_no_role_when_allowed(
    sqlite_url: str, provider: Provider
) -> None:
    app = make_app(sqlite_url, provider, oidc_create_users=True)
    try:
        provider.email = "New.Person@Council.example"
        c = app.test_client()
        r = c.get(start(c))
        assert r.status_code == 302
        store = context_of(app).store
        user = users_api.user_get(store, "new.person")
        assert user.role is Role.NONE and user.email == "New.Person@Council.example"
        assert user.display_name == "Ed Itor" and not user.can_sign_in  # no password
        # signed in, but allowed nothing private until an admin gives a role
        r = c.get("/plans")
        assert r.status_code == 403 and "has not given you a role yet" in r.get_data(as_text=True)
        assert c.get("/sign-in").status_code == 200
        # the same person again is the same user
        c2 = app.test_client()
        assert c2.get(start(c2)).status_code == 302
        assert sum(u.email == provider.email for u in users_api.user_list(store)) == 1
    finally:
        context_of(app).store.close()


def test_the_provider_reporting_an_error_signs_nobody_in(app: Flask) -> None:
    c = app.test_client()
    start(c)
    refused(c.get("/sign-in/oidc/callback?error=access_denied&state=x"), 400, "access_denied")
    assert not signed_in(c)


def test_local_passwords_off_refuses_a_password_sign_in(
    sqlite_url: str, provider: Provider
) -> None:
    app = make_app(sqlite_url, provider, local_passwords=False)
    try:
        app.config["WTF_CSRF_ENABLED"] = False  # the refusal itself, not the missing token
        c = app.test_client()
        page = c.get("/sign-in").get_data(as_text=True)
        assert "Sign in with Council Login" in page and 'name="password"' not in page
        r = c.post("/sign-in", data={"username": "ed", "password": PASSWORD})
        refused(r, 403, "Signing in with a password is turned off")
        assert not signed_in(c)
        # single sign-on still works
        assert c.get(start(c)).status_code == 302 and signed_in(c)
    finally:
        context_of(app).store.close()


def test_no_provider_configured_means_no_button_and_no_route(sqlite_url: str) -> None:
    app = create_app(Settings(db_url=sqlite_url, secret_key="test"))
    try:
        c = app.test_client()
        assert "Sign in with" not in c.get("/sign-in").get_data(as_text=True)
        assert c.get("/sign-in/oidc").status_code == 404
        assert c.get("/sign-in/oidc/callback?code=x&state=y").status_code == 404
    finally:
        context_of(app).store.close()


def test_an_unreachable_provider_is_said_plainly(sqlite_url: str, provider: Provider) -> None:
    with socket_closed_port() as port:
        app = make_app(sqlite_url, provider, oidc_issuer=f"http://127.0.0.1:{port}")
    try:
        c = app.test_client()
        page = refused(c.get("/sign-in/oidc"), 502, "is not working at the moment")
        assert "Sign in with Council Login" in page
        assert not signed_in(c)
    finally:
        context_of(app).store.close()


class socket_closed_port:
    """A loopback port nothing listens on."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        return None


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from ofsted_csc import config

    env = {
        "OFSTED_CSC_OIDC_ISSUER": "https://login.microsoftonline.com/tenant/v2.0/",
        "OFSTED_CSC_OIDC_CLIENT_ID": "id",
        "OFSTED_CSC_OIDC_CLIENT_SECRET": "s3cr3t-value",
        "OFSTED_CSC_OIDC_CREATE_USERS": "1",
        "OFSTED_CSC_OIDC_TRUST_EMAIL": "1",
        "OFSTED_CSC_OIDC_SIGN_OUT": "1",
        "OFSTED_CSC_LOCAL_PASSWORDS": "0",
    }
    found = config.Config.from_env(env)
    assert found.oidc_trust_email and found.oidc_sign_out
    assert not config.Config.from_env({}).oidc_sign_out
    assert found.oidc_issuer == "https://login.microsoftonline.com/tenant/v2.0"
    assert found.oidc_create_users and not found.local_passwords
    assert "s3cr3t-value" not in repr(found)
    config.use(found)
    try:
        settings = Settings.from_env()
        assert settings.single_sign_on and settings.provider_name == "Microsoft"
        assert settings.oidc_trust_email and settings.oidc_sign_out
        assert "s3cr3t-value" not in repr(settings)
    finally:
        config.use(None)
    for bad in (
        {**env, "OFSTED_CSC_OIDC_ISSUER": "http://login.example.com"},
        {k: v for k, v in env.items() if k != "OFSTED_CSC_OIDC_CLIENT_SECRET"},
        {"OFSTED_CSC_LOCAL_PASSWORDS": "0"},
    ):
        with pytest.raises(config.ConfigError) as e:
            config.Config.from_env(bad)
        assert "s3cr3t-value" not in str(e.value)


def test_parse_qs_of_the_callback_holds_no_secret(app: Flask) -> None:
    c = app.test_client()
    query = parse_qs(urlsplit(start(c)).query)
    assert set(query) == {"code", "state"}


def test_behind_https_the_callback_registered_is_https(sqlite_url: str, provider: Provider) -> None:
    app = make_app(sqlite_url, provider, secure_cookies=True)
    try:
        r = app.test_client().get("/sign-in/oidc")
        asked = parse_qs(urlsplit(r.headers["Location"]).query)
        assert asked["redirect_uri"] == ["https://localhost/sign-in/oidc/callback"]
    finally:
        context_of(app).store.close()


def _sign_out(client: Any) -> Any:
    page = client.get("/plans").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return client.post("/sign-out", data={"csrf_token": token.group(1)} if token else {})


def test_signing_out_ends_the_providers_session_too_when_the_deployment_says(
    sqlite_url: str, provider: Provider
) -> None:
    app = make_app(sqlite_url, provider, oidc_sign_out=True)
    c = app.test_client()
    c.get(start(c))
    assert signed_in(c)
    r = _sign_out(c)
    assert r.status_code == 302
    to = urlsplit(r.headers["Location"])
    assert f"{to.scheme}://{to.netloc}" == provider.issuer and to.path == "/logout"
    asked = parse_qs(to.query)
    # the provider's own query kept; the ID token it gave as the hint; back to the national picture
    assert asked["ui"] == ["plain"] and asked["client_id"] == [CLIENT_ID]
    assert asked["id_token_hint"] == [provider.id_tokens[-1]]
    assert asked["post_logout_redirect_uri"] == ["http://localhost/"]
    assert not signed_in(c)  # ended here first, whatever the provider does
    # a session begun with the setting on, ended after the deployment turned it off: here only
    c.get(start(c))
    off = make_app(sqlite_url, provider)
    moved = off.test_client()
    cookie = c.get_cookie("ofsted_csc_session")
    assert cookie is not None
    moved.set_cookie("ofsted_csc_session", cookie.value)
    assert signed_in(moved)
    r = _sign_out(moved)
    assert r.status_code == 302 and r.headers["Location"] == "/" and not signed_in(moved)
    context_of(off).store.close()
    context_of(app).store.close()


def test_signing_out_stays_here_without_the_setting_a_provider_end_session_or_sso(
    sqlite_url: str, provider: Provider
) -> None:
    off = make_app(sqlite_url, provider)
    c = off.test_client()
    c.get(start(c))
    r = _sign_out(c)
    assert r.status_code == 302 and r.headers["Location"] == "/" and not signed_in(c)
    context_of(off).store.close()
    provider.end_session = False
    on = make_app(sqlite_url, provider, oidc_sign_out=True)
    c = on.test_client()
    c.get(start(c))
    r = _sign_out(c)
    assert r.status_code == 302 and r.headers["Location"] == "/" and not signed_in(c)
    # signed in by password: nothing to end at the provider
    provider.end_session = True
    c = on.test_client()
    page = c.get("/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    c.post(
        "/sign-in",
        data={
            "username": "ed",
            "password": PASSWORD,
            **({"csrf_token": csrf.group(1)} if csrf else {}),
        },
    )
    assert signed_in(c)
    r = _sign_out(c)
    assert r.status_code == 302 and r.headers["Location"] == "/" and not signed_in(c)
    context_of(on).store.close()
