"""Three edges of the web app: a cached page changes when anything it shows changes (a plan,
the signed-in user, the session's form token); signing in never sends the browser to another
site, whatever `next=` says; and every download names its file through Flask's `send_file`,
so a name outside ASCII (an en dash) downloads under that name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from support import FIXTURES

from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.plans.common import OPERATOR
from ofsted_csc.plans.rules import Rag, Role
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

REPORT = "50276975.pdf"
PASSWORDS = {"ed": "editor passphrase 2", "vi": "viewer passphrase 3"}


@pytest.fixture
def app(db_url: str) -> Iterator[Any]:
    with api.open_store(db_url) as store:
        api.ingest(store, [FIXTURES / "reports" / REPORT])
        admin = users_api.user_create(store, None, "ada", role=Role.ADMIN, password="admin pass 1")
        users_api.user_create(
            store, admin, "ed", display_name="Ed Itor", role=Role.EDITOR, password=PASSWORDS["ed"]
        )
        users_api.user_create(
            store, admin, "vi", display_name="Vi Ewer", role=Role.VIEWER, password=PASSWORDS["vi"]
        )
        plan_id = plans_api.plan_create(store, admin, [REPORT])
    application = create_app(Settings(db_url=db_url, secret_key="test"))
    application.config["PLAN_ID"] = plan_id
    yield application
    context_of(application).store.close()


def _token(client: Any, path: str = "/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def _sign_in(client: Any, name: str, next_: str | None = None) -> Any:
    url = "/sign-in" if next_ is None else f"/sign-in?next={next_}"
    r = client.post(
        url, data={"csrf_token": _token(client), "username": name, "password": PASSWORDS[name]}
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return r


def _user(app: Any, name: str) -> Any:
    return users_api.user_get(context_of(app).store, name)


# -- 7: every cached page's key covers everything it shows --


def _rag_table(page: str) -> dict[str, str]:
    m = re.search(r"Actions by RAG status.*?</table>", page, re.S)
    assert m, "no RAG table in the brief"
    return dict(re.findall(r"<td[^>]*>(Red|Amber|Green|Blue)</td><td[^>]*>(\d+)</td>", m.group(0)))


def test_a_plan_change_reaches_a_signed_in_viewers_cached_brief(app: Any) -> None:
    store = context_of(app).store
    plan = plans_api.plan_get(store, app.config["PLAN_ID"], actor=OPERATOR)
    url = f"/councils/{plan.council_urn}/brief"
    c = app.test_client()
    _sign_in(c, "vi")
    first = c.get(url)
    assert first.status_code == 200
    again = c.get(url)
    assert again.headers.get("X-Cache") == "hit"  # the page is cached for this viewer
    before = _rag_table(first.get_data(as_text=True))
    action = plan.actions[0]
    old_rag = action.rag
    new_rag = Rag.RED if old_rag != Rag.RED else Rag.GREEN
    plans_api.rag_override_set(
        store, _user(app, "ed"), action.id, action.version, new_rag, "board asked"
    )
    after = c.get(url)
    assert after.headers.get("X-Cache") is None  # rendered again
    counts = _rag_table(after.get_data(as_text=True))
    assert counts[new_rag.label] == str(int(before[new_rag.label]) + 1)
    assert counts[old_rag.label] == str(int(before[old_rag.label]) - 1)
    assert c.get(url).headers.get("X-Cache") == "hit"  # and cached again


def test_a_users_new_name_and_a_new_session_reach_cached_pages(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "vi")
    c.get("/regions")
    assert c.get("/regions").headers.get("X-Cache") == "hit"
    assert '/account">Vi Ewer</a>' in c.get("/regions").get_data(as_text=True)
    store = context_of(app).store
    admin = _user(app, "ada")
    users_api.user_update(store, admin, "vi", display_name="Viola Ewer")
    assert '/account">Viola Ewer</a>' in c.get("/regions").get_data(as_text=True)
    # signed out and in again: a new session, whose form token the cached page must carry
    assert c.post("/sign-out", data={"csrf_token": _token(c, "/regions")}).status_code == 302
    _sign_in(c, "vi")
    token = _token(c, "/regions")
    assert c.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert c.get("/plans").status_code == 302  # signed out indeed


def test_a_signed_out_visitor_gets_their_own_form_token_on_a_cached_brief(app: Any) -> None:
    plan = plans_api.plan_get(context_of(app).store, app.config["PLAN_ID"], actor=OPERATOR)
    url = f"/councils/{plan.council_urn}/brief"
    first, second = app.test_client(), app.test_client()
    for _ in range(2):
        first.get(url)
    assert first.get(url).headers.get("X-Cache") == "hit"
    second.get(url)
    token = _token(second, url)  # the second visitor's (maybe cached) page
    r = second.post(f"/councils/{plan.council_urn}/brief.docx", data={"csrf_token": token})
    # the token is the second visitor's: the form is refused for its missing template, not
    # as expired
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert "The form has expired" not in text and "Choose the council" in text
    # and signed-out pages show no plan
    assert "Improvement plan" not in second.get(url).get_data(as_text=True)


# -- 10: sign-in goes only to pages of this site --


@pytest.mark.parametrize(
    "target",
    [
        "/%5Cevil.com",
        "/%5C%5Cevil.com",
        "//evil.com",
        "/\\evil.com",
        "https://evil.com",
        "javascript:alert(1)",
        "/%09/evil.com",
        "/%252F%252Fevil.com%5C",
        "evil.com",
    ],
)
def test_sign_in_never_sends_the_browser_to_another_site(app: Any, target: str) -> None:
    c = app.test_client()
    r = _sign_in(c, "vi", target if "%" in target else quote(target, safe=""))
    location = r.headers["Location"]
    assert location == "/plans", location


def test_sign_in_goes_back_to_the_page_asked_for(app: Any) -> None:
    c = app.test_client()
    plan_id = app.config["PLAN_ID"]
    asked = c.get(f"/plans/{plan_id}/history?x=1")
    assert asked.status_code == 302
    login = asked.headers["Location"]
    r = c.post(
        login,
        data={"csrf_token": _token(c), "username": "vi", "password": PASSWORDS["vi"]},
    )
    assert r.status_code == 302 and r.headers["Location"] == f"/plans/{plan_id}/history?x=1"


# -- 10: downloads name their files through send_file --


def test_an_evidence_file_with_an_en_dash_downloads_under_its_name(app: Any) -> None:
    store = context_of(app).store
    action = plans_api.plan_get(store, app.config["PLAN_ID"], actor=OPERATOR).actions[0]
    name = "Plan – v2.pdf"
    evidence_id = plans_api.evidence_add(
        store,
        _user(app, "ed"),
        action.id,
        "Plan v2",
        file_name=name,
        data=b"%PDF-1.4 plan",
        content_type="application/pdf",
    )
    c = app.test_client()
    _sign_in(c, "vi")
    r = c.get(f"/evidence/{evidence_id}")
    assert r.status_code == 200 and r.data == b"%PDF-1.4 plan"
    assert r.mimetype == "application/pdf"
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Plan%20%E2%80%93%20v2.pdf" in disposition
    assert r.headers["Cache-Control"] == "no-store"  # a private file


def test_downloads_keep_their_names(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "vi")
    plan = plans_api.plan_get(context_of(app).store, app.config["PLAN_ID"], actor=OPERATOR)
    cases = {
        f"/plans/{plan.id}/plan.xlsx": f"plan-{plan.id}.xlsx",
        "/themes?format=csv": "themes.csv",
    }
    for url, name in cases.items():
        r = c.get(url)
        assert r.status_code == 200, url
        assert r.headers["Content-Disposition"] == f"attachment; filename={name}", url
    r = c.get("/inspections?format=csv")
    assert re.fullmatch(
        r"attachment; filename=inspections-\d{4}-\d\d-\d\d\.csv", r.headers["Content-Disposition"]
    )
    brief = c.get(f"/councils/{plan.council_urn}/brief.docx")
    assert brief.status_code == 200 and brief.data.startswith(b"PK")
    assert re.fullmatch(
        r"attachment; filename=[a-z-]+-inspection-\d{4}-\d\d-\d\d-brief\.docx",
        brief.headers["Content-Disposition"],
    )
    # a cached download keeps its name and body
    again = c.get("/inspections?format=csv")
    assert again.headers.get("X-Cache") == "hit"
    assert again.headers["Content-Disposition"] == r.headers["Content-Disposition"]
    assert again.data == r.data
