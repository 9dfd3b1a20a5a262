"""Councils as tenants in chromium: a user's account page with their councils and API tokens
(a new token shown once), a council admin's members page (with a refused form), the service
admin's groups page, a group member's plans list of shared summaries, and a refusal. Each page
is screenshotted and checked with axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support import LiveServer, axe_violations, screenshot

from conftest import start_server
from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.plans.rules import Role

REPORT = "50276975.pdf"  # Buckinghamshire
OTHER = "50306547.pdf"  # another council
PASSWORD = "tenant passphrase 42"


@pytest.fixture
def tenant_server(db_copy: str) -> Iterator[LiveServer]:
    with api.open_store(db_copy) as store:
        ada = users_api.user_create(
            store, None, "ada", display_name="Ada Admin", role=Role.ADMIN, password=PASSWORD
        )
        for name, full in (("chief", "Chi Ef"), ("grp", "Gee Roup"), ("ed", "Ed Itor")):
            users_api.user_create(
                store, ada, name, display_name=full, role=Role.NONE, password=PASSWORD
            )
        urn = str(store.find(REPORT).result.record.council_urn)  # type: ignore[union-attr]
        users_api.membership_set(store, ada, "chief", urn, "admin")
        users_api.membership_set(store, ada, "ed", urn, "editor")
        plans_api.plan_create(store, ada, [REPORT])
        users_api.sharing_set(store, ada, urn, True)
        users_api.group_create(store, ada, "South East alliance")
        users_api.group_add(store, ada, "South East alliance", councils=(urn,), users=("grp",))
    yield from start_server(db_copy)


def _sign_in(page: Any, server: LiveServer, name: str) -> None:
    page.context.clear_cookies()
    page.goto(server.url + "/sign-in")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _check(page: Any, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["nodes"]) for v in violations]


def test_account_members_groups_and_shared_summaries_in_a_browser(
    page: Any, tenant_server: LiveServer
) -> None:
    url = tenant_server.url
    store = tenant_server.store()
    urn = str(store.find(REPORT).result.record.council_urn)  # type: ignore[union-attr]
    other_urn = str(store.find(OTHER).result.record.council_urn)  # type: ignore[union-attr]

    # an editor's account: their council, a token made and shown once
    _sign_in(page, tenant_server, "ed")
    with page.expect_navigation():
        page.locator(".app-account").get_by_role("link", name="Ed Itor").click()
    assert page.url == url + "/account"
    assert "Buckinghamshire" in page.locator("#your-councils").inner_text()
    _check(page, "account")
    page.fill("#name", "Nightly dashboard")
    page.check("#scope-write")
    with page.expect_navigation():
        page.get_by_role("button", name="Make token").click()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("ocsc_")
    assert "Nightly dashboard" in page.locator("#token-list").inner_text()
    _check(page, "account-new-token")
    page.goto(url + "/account")
    assert secret not in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke Nightly dashboard").click()
    assert "Revoked" in page.locator("#token-list").inner_text()
    _check(page, "account-token-revoked")

    # a council admin's members page, with a refused form
    _sign_in(page, tenant_server, "chief")
    with page.expect_navigation():
        page.locator(".app-account").get_by_role("link", name="Members").click()
    assert page.url == f"{url}/members/{urn}"
    assert "ed" in page.locator("#members").inner_text()
    page.fill("#username", "nobody")
    with page.expect_navigation():
        page.get_by_role("button", name="Give role").click()
    assert "nobody" in page.locator(".govuk-error-summary").inner_text()
    _check(page, "members-refused")
    page.fill("#username", "grp")
    page.select_option("#role", "board")
    with page.expect_navigation():
        page.get_by_role("button", name="Give role").click()
    assert "Board member" in page.locator("#members").inner_text()
    _check(page, "members")
    # another council's members: refused, on a page that passes axe
    response = page.goto(f"{url}/members/{other_urn}")
    assert response is not None and response.status == 403
    _check(page, "members-other-council-refused")

    # the service admin's groups, and other people's tokens on the admin's own page
    _sign_in(page, tenant_server, "ada")
    page.goto(url + "/groups")
    assert "Buckinghamshire" in page.locator("main").inner_text()
    _check(page, "groups")
    users_api.token_create(store, users_api.user_get(store, "chief"), name="Board pack")
    page.goto(url + "/account")
    assert "Board pack" in page.locator("#other-tokens").inner_text()
    _check(page, "account-other-tokens")
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke Board pack of chief").click()
    assert page.url.endswith("#others")
    assert "Nobody else has a token that still works" in page.locator("main").inner_text()

    # a group member who is not on the council's board... any more: the shared summary only
    users_api.membership_remove(store, users_api.user_get(store, "ada"), "grp", urn)
    _sign_in(page, tenant_server, "grp")
    page.goto(url + "/plans")
    shared = page.locator("#shared-plans")
    assert "Buckinghamshire" in shared.inner_text()
    assert "no role in a council’s plans" in page.locator("main").inner_text()
    assert page.locator("#shared-plans a[href^='/plans/']").count() == 0  # no way into it
    _check(page, "plans-shared-summaries")
