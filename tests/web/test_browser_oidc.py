"""Single sign-on in chromium: the sign-in page with the provider's button passes axe, the
button goes to the provider on loopback (oidc_provider.py) and back signed in, and a refusal
is shown on a page that passes axe too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, serve_provider
from support import LiveServer, axe_violations, screenshot

from conftest import start_server
from ofsted_csc import api
from ofsted_csc.api import users as users_api
from ofsted_csc.plans.rules import Role


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    yield from serve_provider()


@pytest.fixture
def sso_server(tmp_path: Path, provider: Provider) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path / 'sso.sqlite'}"
    with api.open_store(url) as store:
        admin = users_api.user_create(
            store, None, "ada", role=Role.ADMIN, password="admin passphrase 1"
        )
        users_api.user_create(store, admin, "ed", role=Role.EDITOR, email="ed.itor@council.example")
    yield from start_server(
        url,
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_name="Council Login",
    )


def test_sign_in_with_the_provider_in_a_browser(
    page: Any, sso_server: LiveServer, provider: Provider
) -> None:
    page.goto(sso_server.url + "/sign-in?next=/plans")
    button = page.get_by_role("button", name="Sign in with Council Login")
    assert button.count() == 1
    screenshot(page, "sign-in-single-sign-on")
    assert not axe_violations(page)
    with page.expect_navigation():
        button.click()  # to the provider, and straight back (it asks nothing in tests)
    assert page.url == sso_server.url + "/plans"
    assert page.get_by_role("button", name="Sign out").count() == 1

    # a refusal: the provider says the address is not verified
    provider.claims = {"email_verified": False}
    page.context.clear_cookies()
    page.goto(sso_server.url + "/sign-in")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in with Council Login").click()
    assert (
        "has not verified this email address" in page.locator(".govuk-error-summary").inner_text()
    )
    screenshot(page, "sign-in-single-sign-on-refused")
    assert not axe_violations(page)
