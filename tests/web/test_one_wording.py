"""Each rule and each wording said once: the judgement error reads the same from the pages,
the JSON API, the Python API and the CLI; the plan page states the action plan deadline from
the deadlines module, not from its own copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import click
import pytest
from support import FIXTURES

from ofsted_csc import api
from ofsted_csc.api import users as users_api
from ofsted_csc.domain.councils import check_region_kind
from ofsted_csc.domain.errors import InvalidInput, not_a_date
from ofsted_csc.domain.frameworks import check_judgement
from ofsted_csc.parsing.document import sha256_of
from ofsted_csc.plans import deadlines
from ofsted_csc.plans.rules import Role
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

REPORT = "50276975.pdf"
HULL = "810"  # Kingston upon Hull (a report of the sample store)


@pytest.fixture
def app(db_copy: str) -> Iterator[Any]:
    application = create_app(Settings(db_url=db_copy, secret_key="test"))
    yield application
    context_of(application).store.close()


def _not_a_judgement(value: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        check_judgement(value)
    return caught.value.message


def test_the_judgement_error_is_worded_once_for_pages_api_and_cli(
    app: Any, db_copy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    words = _not_a_judgement("happiness")
    assert words.startswith("judgement: “happiness” is not a judgement (overall_effectiveness")
    client = app.test_client()
    for page in ("/map?judgement=happiness", "/regions?judgement=happiness"):
        r = client.get(page)
        assert r.status_code == 400 and words in r.get_data(as_text=True), page
    for url in (
        "/api/regions?judgement=happiness",
        "/api/trajectories/transitions?judgement=happiness",
        "/api/inspections?judgement=happiness",
    ):
        r = client.get(url)
        assert r.status_code in (400, 422) and r.get_json()["message"] == words, url
    with api.open_store(db_copy) as store, pytest.raises(InvalidInput) as caught:
        api.trajectories(store, "transitions", judgement="happiness")
    assert caught.value.message == words

    from ofsted_csc.cli.app import main

    with pytest.raises(SystemExit):
        main(["--db", db_copy, "trajectories", "transitions", "--judgement", "happiness"])
    assert capsys.readouterr().err == f"ofsted-csc: {words}\n"


def test_a_kind_of_region_and_a_date_are_worded_once(app: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_region_kind("county")
    words = caught.value.message
    client = app.test_client()
    page = client.get("/regions?by=county")
    assert page.status_code == 400 and words in page.get_data(as_text=True)
    r = client.get("/api/regions?by=county")
    assert r.status_code in (400, 422) and r.get_json()["message"] == words

    from ofsted_csc.cli.common import DATE

    with pytest.raises(click.BadParameter) as bad:
        DATE.convert("31/02/2026", None, None)
    assert bad.value.message == not_a_date("31/02/2026")
    page = client.get(f"/councils/{HULL}/brief?as_at=yesterday")
    assert page.status_code == 400 and not_a_date("yesterday") in page.get_data(as_text=True)


@pytest.fixture
def editor(db_copy: str) -> tuple[str, str]:
    password = "editor passphrase 2"
    with api.open_store(db_copy) as store:
        admin = users_api.user_create(store, None, "ada", role=Role.ADMIN, password="admin pass 11")
        users_api.user_create(store, admin, "ed", role=Role.EDITOR, password=password)
    return "ed", password


def _signed_in(app: Any, editor: tuple[str, str]) -> Any:
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    name, password = editor
    r = client.post(
        "/sign-in", data={"csrf_token": token.group(1), "username": name, "password": password}
    )
    assert r.status_code == 302
    return client


def test_the_new_plan_page_states_the_deadline_from_the_deadlines_module(
    app: Any, editor: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _signed_in(app, editor)
    sha = sha256_of((FIXTURES / "reports" / REPORT).read_bytes())
    days = deadlines.ACTION_PLAN_WORKING_DAYS
    page = client.get(f"/plans/new?source={sha}").get_data(as_text=True)
    assert f"The action plan is due {days} working days later" in page
    # the page follows the constant: change it and the page says the new number
    monkeypatch.setattr(deadlines, "ACTION_PLAN_WORKING_DAYS", days + 1)
    page = client.get(f"/plans/new?source={sha}").get_data(as_text=True)
    assert f"The action plan is due {days + 1} working days later" in page
