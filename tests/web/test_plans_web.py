"""Improvement plans over HTTP (Flask's test client), on SQLite and PostgreSQL: signing in,
roles, CSRF, the optimistic lock, bad form fields and uploads, and what a signed-out visitor
can see (nothing private)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import docx
import pytest
from sqlalchemy import func, select, update
from support import FIXTURES
from werkzeug.test import EnvironBuilder

from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.domain.errors import InvalidInput, StaleEdit
from ofsted_csc.domain.limits import MAX_EVIDENCE_BYTES
from ofsted_csc.plans.common import OPERATOR
from ofsted_csc.plans.rules import BoardKind, Role
from ofsted_csc.storage.plan_models import (
    ActionRow,
    AuditEventRow,
    BoardRow,
    EvidenceRow,
    MeasureReadingRow,
    MeasureRow,
    PlanRow,
    ProgressUpdateRow,
    UserRow,
    WebSessionRow,
    WorkstreamRow,
)
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

REPORT = "50276975.pdf"
PLAN_ROWS = (
    PlanRow,
    WorkstreamRow,
    ActionRow,
    MeasureRow,
    MeasureReadingRow,
    ProgressUpdateRow,
    EvidenceRow,
    BoardRow,
    UserRow,
)
PASSWORDS = {"ada": "admin passphrase 1", "ed": "editor passphrase 2", "vi": "viewer passphrase 3"}


@pytest.fixture
def app(db_url: str) -> Iterator[Any]:
    with api.open_store(db_url) as store:
        api.ingest(store, [FIXTURES / "reports" / REPORT])
        admin = users_api.user_create(
            store, None, "ada", role=Role.ADMIN, password=PASSWORDS["ada"]
        )
        users_api.user_create(
            store, admin, "ed", display_name="Ed Itor", role=Role.EDITOR, password=PASSWORDS["ed"]
        )
        users_api.user_create(store, admin, "vi", role=Role.VIEWER, password=PASSWORDS["vi"])
        plan_id = plans_api.plan_create(store, admin, [REPORT])
    application = create_app(Settings(db_url=db_url, secret_key="test", login_rate="5 per minute"))
    application.config["PLAN_ID"] = plan_id
    yield application
    context_of(application).store.close()


def _token(client: Any, path: str = "/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def _sign_in(client: Any, name: str) -> None:
    r = client.post(
        "/sign-in",
        data={"csrf_token": _token(client), "username": name, "password": PASSWORDS[name]},
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:500]


def _audit(app: Any) -> int:
    with context_of(app).store.session() as s:
        return s.scalar(select(func.count(AuditEventRow.id)))


def test_signed_out_visitors_see_nothing_private(app: Any) -> None:
    c = app.test_client()
    plan_id = app.config["PLAN_ID"]
    plan = plans_api.plan_get(context_of(app).store, plan_id, actor=OPERATOR)
    for path in (
        "/plans",
        f"/plans/{plan_id}",
        f"/plans/{plan_id}/plan.xlsx",
        f"/plans/{plan_id}/history",
        f"/plans/{plan_id}/actions/{plan.actions[0].id}",
        "/plans/import",
        "/users",
        "/evidence/1",
        f"/plans/new?source={plan.sources[0].sha256}",
    ):
        r = c.get(path)
        assert r.status_code == 302 and "/sign-in?next=" in r.headers["Location"], path
        assert plan.title.encode() not in r.data
    # public pages do not mention plans either
    page = c.get(f"/inspections/{plan.sources[0].sha256}").get_data(as_text=True)
    assert "Start an improvement plan" not in page and plan.title not in page


def test_sign_in_keeps_the_session_on_the_server_and_sign_out_ends_it(app: Any) -> None:
    c = app.test_client()
    r = c.post(
        "/sign-in", data={"csrf_token": _token(c), "username": "ed", "password": "wrong password!"}
    )
    assert r.status_code == 400 and "The user name or password is not right" in r.get_data(
        as_text=True
    )
    before = c.get_cookie("ofsted_csc_session")
    assert before is not None  # the sign-in form's session (it holds the CSRF token)
    _sign_in(c, "ed")
    cookie = c.get_cookie("ofsted_csc_session")
    assert cookie is not None and cookie.value != before.value  # a new id on signing in
    with context_of(app).store.session() as s:
        assert s.get(WebSessionRow, before.value) is None
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    with context_of(app).store.session() as s:
        assert s.get(WebSessionRow, cookie.value) is not None  # the browser holds only the id
        # only the id: a random token of 43 URL-safe characters, no signed payload in it
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie.value)
    assert c.get("/plans").status_code == 200
    r = c.post("/sign-out", data={"csrf_token": _token(c, "/plans")})
    assert r.status_code == 302
    with context_of(app).store.session() as s:
        assert s.get(WebSessionRow, cookie.value) is None
    assert c.get("/plans").status_code == 302


def test_sign_in_attempts_are_rate_limited(app: Any) -> None:
    c = app.test_client()
    token = _token(c)
    codes = [
        c.post(
            "/sign-in", data={"csrf_token": token, "username": "ed", "password": f"guess {n}"}
        ).status_code
        for n in range(7)
    ]
    assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]
    assert "Too many" in c.post(
        "/sign-in", data={"csrf_token": token, "username": "ed", "password": PASSWORDS["ed"]}
    ).get_data(as_text=True)


def test_two_apps_on_one_store_count_sign_in_attempts_together(app: Any, db_url: str) -> None:
    """The limit's counts are in the store (web_rate_limits), not in one process's memory: two
    apps on one database (as two server processes) share one limit of 5 a minute."""
    other = create_app(Settings(db_url=db_url, secret_key="test", login_rate="5 per minute"))
    try:
        clients = [app.test_client(), other.test_client()]
        tokens = [_token(c) for c in clients]
        codes = [
            clients[n % 2]
            .post(
                "/sign-in",
                data={"csrf_token": tokens[n % 2], "username": "ed", "password": f"guess {n}"},
            )
            .status_code
            for n in range(7)
        ]
        assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]
    finally:
        context_of(other).store.close()


def test_a_viewer_can_read_but_not_edit(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "vi")
    plan_id = app.config["PLAN_ID"]
    action = plans_api.plan_get(context_of(app).store, plan_id, actor=OPERATOR).actions[0]
    page = c.get(f"/plans/{plan_id}/actions/{action.id}")
    assert page.status_code == 200 and action.description in page.get_data(as_text=True)
    assert "Change this action" not in page.get_data(as_text=True)
    before = _audit(app)
    token = _token(c, "/plans")
    r = c.post(
        f"/plans/{plan_id}/actions/{action.id}",
        data={
            "csrf_token": token,
            "change": "fields",
            "version": action.version,
            "description": "Changed",
            "status": "on_track",
            "percent": "50",
        },
    )
    assert r.status_code == 403 and "Your role does not allow it" in r.get_data(as_text=True)
    assert c.get("/users").status_code == 403
    assert (
        c.post(
            "/users", data={"csrf_token": token, "username": "mallory", "role": "admin"}
        ).status_code
        == 403
    )
    assert _audit(app) == before


def test_forms_need_their_csrf_token(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "ed")
    plan_id = app.config["PLAN_ID"]
    action = plans_api.plan_get(context_of(app).store, plan_id, actor=OPERATOR).actions[0]
    before = _audit(app)
    r = c.post(
        f"/plans/{plan_id}/actions/{action.id}", data={"change": "update", "text": "No token"}
    )
    assert r.status_code == 400 and "security token" in r.get_data(as_text=True)
    r = c.post("/sign-in", data={"username": "ed", "password": PASSWORDS["ed"]})
    assert r.status_code == 400
    assert _audit(app) == before


def test_the_second_of_two_editors_is_refused_and_keeps_what_they_typed(app: Any) -> None:
    plan_id = app.config["PLAN_ID"]
    store = context_of(app).store
    action = plans_api.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    first, second = app.test_client(), app.test_client()
    _sign_in(first, "ed")
    _sign_in(second, "ada")
    fields = {
        "change": "fields",
        "version": str(action.version),
        "description": action.description,
        "lead": "ed",
        "status": "on_track",
        "start": "",
        "due": "31/3/2027",
    }
    r = first.post(
        f"/plans/{plan_id}/actions/{action.id}",
        data={**fields, "percent": "30", "csrf_token": _token(first, "/plans")},
    )
    assert r.status_code == 302
    r = second.post(
        f"/plans/{plan_id}/actions/{action.id}",
        data={
            **fields,
            "percent": "95",
            "partner": "NHS trust",
            "csrf_token": _token(second, "/plans"),
        },
    )
    body = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "was changed by Ed Itor" in body and "not saved" in body
    assert 'value="95"' in body and 'value="NHS trust"' in body  # what they typed is still there
    now = plans_api.action_get(store, action.id, actor=OPERATOR)[1]
    assert (now.percent, now.partner) == (30, None)


def test_a_refused_edit_is_409_by_its_type_and_other_bad_input_is_400(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_id = app.config["PLAN_ID"]
    store = context_of(app).store
    action = plans_api.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    c = app.test_client()
    _sign_in(c, "ed")
    fields = {
        "change": "fields",
        "version": str(action.version),
        "description": action.description,
        "status": "on_track",
        "percent": "10",
        "csrf_token": _token(c, "/plans"),
    }
    path = f"/plans/{plan_id}/actions/{action.id}"
    # bad input whose message has the word "changed" in it (a lead of that name) is still 400
    r = c.post(path, data={**fields, "lead": "changed"})
    assert r.status_code == 400
    assert "no user is named &#39;changed&#39;" in r.get_data(as_text=True)

    # a stale edit is 409 whatever its words
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise StaleEdit("someone else saved it first")

    monkeypatch.setattr(plans_api, "action_update", refuse)
    r = c.post(path, data={**fields, "lead": "ed"})
    assert r.status_code == 409 and "someone else saved it first" in r.get_data(as_text=True)

    # and any other refusal of the same save is 400
    def invalid(*args: Any, **kwargs: Any) -> int:
        raise InvalidInput("the record was changed, says this message, but it is not stale")

    monkeypatch.setattr(plans_api, "action_update", invalid)
    r = c.post(path, data={**fields, "lead": "ed"})
    assert r.status_code == 400 and "not stale" in r.get_data(as_text=True)
    assert plans_api.action_get(store, action.id, actor=OPERATOR)[1].version == action.version


def test_bad_form_fields_are_named_and_nothing_is_saved(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "ed")
    plan_id = app.config["PLAN_ID"]
    store = context_of(app).store
    action = plans_api.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    token = _token(c, "/plans")
    url = f"/plans/{plan_id}/actions/{action.id}"
    base = {
        "csrf_token": token,
        "change": "fields",
        "version": str(action.version),
        "description": action.description,
        "status": "on_track",
        "percent": "10",
    }
    before = _audit(app)
    cases = [
        ({**base, "due": "31/02/2027"}, "The due date must be a real date"),
        (
            {**base, "start": "1/4/2027", "due": "1/3/2027"},
            "the due date 1 March 2027 is before the start date 1 April 2027",
        ),
        ({**base, "lead": "nobody"}, "no user is named &#39;nobody&#39;"),
        ({**base, "percent": "lots"}, "Percent complete must be a whole number"),
        (
            {
                "csrf_token": token,
                "change": "override",
                "version": str(action.version),
                "rag": "green",
                "reason": "",
            },
            "overriding the RAG needs a reason",
        ),
        (
            {
                "csrf_token": token,
                "change": "measure",
                "name": "Visits",
                "baseline": "x",
                "baseline_date": "1/1/2026",
                "target": "90",
                "target_date": "1/1/2027",
            },
            "The baseline must be a number",
        ),
        (
            {
                "csrf_token": token,
                "change": "evidence",
                "title": "Link",
                "url": "javascript:alert(1)",
            },
            "give a web address starting https://",
        ),
    ]
    for data, message in cases:
        r = c.post(url, data=data)
        assert r.status_code == 400, message
        assert message in r.get_data(as_text=True), message
    big = {
        "csrf_token": token,
        "change": "evidence",
        "title": "Huge",
        "file": (io.BytesIO(b"x" * (MAX_EVIDENCE_BYTES + 1)), "huge.pdf"),
    }
    builder = EnvironBuilder(path=url, method="POST", data=big)
    environ = builder.get_environ()
    try:
        r = c.open(environ)
    finally:
        builder.close()
        environ["wsgi.input"].close()  # the spooled multipart body the test client leaves open
    assert r.status_code == 400 and "evidence files may be up to 10 MB" in r.get_data(as_text=True)
    assert _audit(app) == before
    assert plans_api.action_get(store, action.id, actor=OPERATOR)[1].version == action.version


def test_an_editor_runs_the_plan_and_gets_the_meeting_report(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "ed")
    plan_id = app.config["PLAN_ID"]
    store = context_of(app).store
    action = plans_api.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    token = _token(c, "/plans")
    url = f"/plans/{plan_id}/actions/{action.id}"
    assert (
        c.post(
            url,
            data={
                "csrf_token": token,
                "change": "evidence",
                "title": "Minutes",
                "file": (io.BytesIO(b"%PDF-1.4 minutes"), "minutes.pdf"),
            },
            content_type="multipart/form-data",
        ).status_code
        == 302
    )
    assert (
        c.post(
            url,
            data={
                "csrf_token": token,
                "change": "update",
                "text": "Policy relaunched",
                "on": "2/11/2026",
            },
        ).status_code
        == 302
    )
    fields = {
        "csrf_token": token,
        "change": "fields",
        "version": str(action.version),
        "description": action.description,
        "lead": "ed",
        "status": "closed_with_evidence",
        "percent": "100",
        "start": "1/6/2026",
        "due": "30/11/2026",
    }
    assert c.post(url, data=fields).status_code == 302
    assert (
        c.post(
            f"/plans/{plan_id}/boards",
            data={"csrf_token": token, "name": "Improvement board", "kind": "improvement_board"},
        ).status_code
        == 302
    )
    board = plans_api.plan_get(store, plan_id, actor=OPERATOR).boards[0]
    assert (
        c.post(
            f"/plans/{plan_id}/boards/{board.id}/meetings",
            data={"csrf_token": token, "on": "14/12/2026"},
        ).status_code
        == 302
    )
    meeting = plans_api.plan_get(store, plan_id, actor=OPERATOR).boards[0].meetings[0]
    page = c.get(f"/plans/{plan_id}/meetings/{meeting.id}").get_data(as_text=True)
    assert "Progress report to Improvement board, 14 Dec 2026" in page
    r = c.get(f"/plans/{plan_id}/meetings/{meeting.id}/report.docx")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    document = docx.Document(io.BytesIO(r.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Evidence: Minutes (minutes.pdf)" in text
    assert [c.text for c in document.tables[0].rows[0].cells][-1] == "Total"
    evidence = plans_api.action_get(store, action.id, actor=OPERATOR)[1].evidence[0]
    download = c.get(f"/evidence/{evidence.id}")
    assert (
        download.data == b"%PDF-1.4 minutes"
        and "attachment" in download.headers["Content-Disposition"]
    )
    history = c.get(f"/plans/{plan_id}/history").get_data(as_text=True)
    assert "closed_with_evidence" in history and "Ed Itor" in history


def test_an_editor_adds_a_workstream_and_an_action_answering_a_recommendation(app: Any) -> None:
    c = app.test_client()
    _sign_in(c, "ed")
    plan_id = app.config["PLAN_ID"]
    store = context_of(app).store
    token = _token(c, "/plans")
    assert (
        c.post(
            f"/plans/{plan_id}/workstreams",
            data={"csrf_token": token, "workstream_title": "Workforce"},
        ).status_code
        == 302
    )
    plan = plans_api.plan_get(store, plan_id, actor=OPERATOR)
    workstream = plan.workstreams[-1]
    sha = plan.sources[0].sha256
    r = c.post(
        f"/plans/{plan_id}/actions",
        data={
            "csrf_token": token,
            "workstream": str(workstream.id),
            "new_description": "Recruit 12 permanent social workers",
            "answers": f"{sha}|recommendation|3",
            "new_lead": "vi",
            "new_due": "31/12/2027",
        },
    )
    assert r.status_code == 302
    action = plans_api.plan_get(store, plan_id, actor=OPERATOR).workstreams[-1].actions[0]
    record = store.find(sha).result.record
    assert action.links[0].text == record.recommendations[2].text
    assert (action.lead.username if action.lead else None, action.ref) == (
        "vi",
        f"{workstream.position}.1",
    )
    # a recommendation the report does not have is refused, nothing added
    r = c.post(
        f"/plans/{plan_id}/actions",
        data={
            "csrf_token": token,
            "workstream": str(workstream.id),
            "new_description": "Another",
            "answers": f"{sha}|recommendation|99",
        },
    )
    assert r.status_code == 400 and "has no recommendation number 99" in r.get_data(as_text=True)
    assert len(plans_api.plan_get(store, plan_id, actor=OPERATOR).workstreams[-1].actions) == 1


def test_an_admin_changes_roles_and_a_deactivated_user_is_signed_out(app: Any) -> None:
    viewer, admin = app.test_client(), app.test_client()
    _sign_in(viewer, "vi")
    _sign_in(admin, "ada")
    token = _token(admin, "/users")
    # a user's own role holds for every council: a board member's is one council's only
    users_page = admin.get("/users").get_data(as_text=True)
    assert 'value="board"' not in users_page and 'value="none"' in users_page
    r = admin.post("/users/vi", data={"csrf_token": token, "role": "board", "active": "yes"})
    assert r.status_code == 400 and "a role in one council" in r.get_data(as_text=True)
    assert (
        admin.post(
            "/users/vi", data={"csrf_token": token, "role": "editor", "active": "yes"}
        ).status_code
        == 302
    )
    plan_id = app.config["PLAN_ID"]
    page = viewer.get(
        f"/plans/{plan_id}/actions/{plans_api.plan_get(context_of(app).store, plan_id, actor=OPERATOR).actions[0].id}"
    )
    assert "Change this action" in page.get_data(as_text=True)  # the new role counts at once
    assert (
        admin.post(
            "/users/vi", data={"csrf_token": token, "role": "editor", "active": "no"}
        ).status_code
        == 302
    )
    assert viewer.get("/plans").status_code == 302
    r = admin.post("/users/ada", data={"csrf_token": token, "role": "viewer", "active": "yes"})
    assert r.status_code == 400 and "the last admin cannot be demoted" in r.get_data(as_text=True)


def _rows(app: Any) -> tuple[int, ...]:
    """The audit trail's length and the rows of each kind a plan's forms add."""
    with context_of(app).store.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(row)) or 0
            for row in (AuditEventRow, *PLAN_ROWS)
        )


def test_nan_huge_ids_control_characters_and_long_names_are_4xx_and_change_nothing(
    app: Any, db_url: str
) -> None:
    c = app.test_client()
    _sign_in(c, "ed")
    plan_id = app.config["PLAN_ID"]
    store = context_of(app).store
    plan = plans_api.plan_get(store, plan_id, actor=OPERATOR)
    action = plan.actions[0]
    ed = users_api.acting_user(store, "ed")
    mid = plans_api.measure_add(
        store,
        ed,
        action.id,
        "Visits",
        baseline=40,
        baseline_date=date(2025, 1, 1),
        target=90,
        target_date=date(2027, 1, 1),
    )
    action = plans_api.action_get(store, action.id, actor=OPERATOR)[1]
    token = _token(c, "/plans")
    url = f"/plans/{plan_id}/actions/{action.id}"
    measure = {
        "csrf_token": token,
        "change": "measure",
        "name": "Visits",
        "baseline": "40",
        "baseline_date": "1/1/2026",
        "target": "90",
        "target_date": "1/1/2027",
    }
    fields = {
        "csrf_token": token,
        "change": "fields",
        "version": str(action.version),
        "description": action.description,
        "status": "on_track",
        "percent": "10",
    }
    huge = "9" * 25  # past any integer the database holds
    before = _rows(app)
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        (url, {**measure, "baseline": "NaN"}, 400, "The baseline must be a number"),
        (url, {**measure, "target": "inf"}, 400, "The target must be a number"),
        (url, {**measure, "target": "-1e400"}, 400, "The target must be a number"),
        (url, {**measure, "baseline": "1e13"}, 400, "The baseline must be a number"),
        (
            url,
            {"csrf_token": token, "change": "reading", "measure": str(mid), "value": "nan"},
            400,
            "The value must be a number",
        ),
        (
            url,
            {"csrf_token": token, "change": "reading", "measure": huge, "value": "1"},
            400,
            "is not an id",
        ),
        (url, {**fields, "percent": huge}, 400, "percent complete must be 0 to 100"),
        (f"/plans/{huge}", {"csrf_token": token, "title": "x"}, 404, "Page not found"),
        (f"/plans/{plan_id}/actions/{huge}", fields, 404, "Page not found"),
        (f"/plans/{huge}/boards/{huge}/meetings", {"csrf_token": token}, 404, "Page not found"),
        (
            f"/plans/{plan_id}/actions",
            {"csrf_token": token, "workstream": huge, "new_description": "x"},
            400,
            "Choose a workstream",
        ),
        (
            f"/plans/{plan_id}/actions",
            {
                "csrf_token": token,
                "workstream": str(plan.workstreams[0].id),
                "new_description": "x",
                "answers": f"{plan.sources[0].sha256}|recommendation|{huge}",
            },
            400,
            "Choose what the action answers",
        ),
    ]
    # a control character in each kind of text field: refused at the edge, the field named
    for bad in ("\x00", "\x01", "\x1b", "\x7f", "\x9b"):
        cases += [
            (url, {**fields, "description": f"Do{bad}it"}, 400, "“Action” holds a control"),
            (url, {**fields, "partner": f"NHS{bad}"}, 400, "“Partner agency” holds a control"),
            (
                url,
                {"csrf_token": token, "change": "update", "text": f"Said{bad}"},
                400,
                "“Update” holds a control",
            ),
            (url, {**measure, "name": f"V{bad}"}, 400, "“Name” holds a control"),
            (
                url,
                {
                    "csrf_token": token,
                    "change": "evidence",
                    "title": "E",
                    "url": f"https://x/{bad}",
                },
                400,
                "“Link” holds a control",
            ),
            (
                f"/plans/{plan_id}/workstreams",
                {"csrf_token": token, "workstream_title": f"W{bad}"},
                400,
                "“Workstream” holds a control",
            ),
            (
                f"/plans/{plan_id}/boards",
                {"csrf_token": token, "name": f"B{bad}", "kind": "other"},
                400,
                "“Name” holds a control",
            ),
            (
                f"/plans/{plan_id}",
                {"csrf_token": token, "title": f"T{bad}", "status": "draft", "version": "1"},
                400,
                "“Title” holds a control",
            ),
        ]
    # a line break is for long text only: the library refuses it in a one-line field
    cases.append(
        (
            f"/plans/{plan_id}/workstreams",
            {"csrf_token": token, "workstream_title": "Two\nlines"},
            400,
            "the title holds a line break or control character (U+000A)",
        )
    )
    for path, data, status, message in cases:
        r = c.post(path, data=data)
        assert r.status_code == status, (path, data, r.status_code)
        assert message in r.get_data(as_text=True), (path, data, message)
    # a query too, and a GET of a huge id
    assert c.get("/plans/new?source=ab%00cd").status_code == 400
    assert c.get(f"/plans/{huge}").status_code == 404
    assert c.get(f"/evidence/{huge}").status_code == 404
    assert _rows(app) == before
    # the admin's user form: a full name with a control character
    admin = app.test_client()
    _sign_in(admin, "ada")
    r = admin.post(
        "/users",
        data={
            "csrf_token": _token(admin, "/users"),
            "username": "newone",
            "display_name": "New\x00One",
            "role": "viewer",
        },
    )
    assert r.status_code == 400 and "“Full name” holds a control" in r.get_data(as_text=True)
    assert _rows(app) == before and "newone" not in {u.username for u in users_api.user_list(store)}
    # a file name of 5,000 characters: evidence keeps a short one, the report upload is read
    r = c.post(
        url,
        data={
            "csrf_token": token,
            "change": "evidence",
            "title": "Audit",
            "file": (io.BytesIO(b"%PDF-1.4 audit"), "a" * 5000 + ".pdf"),
        },
    )
    assert r.status_code == 302
    kept = plans_api.action_get(store, action.id, actor=OPERATOR)[1].evidence[-1]
    assert kept.file_name == "a" * 196 + ".pdf"
    report = (FIXTURES / "reports" / REPORT).read_bytes()
    page = c.get("/upload").get_data(as_text=True)
    upload_token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert upload_token is not None
    r = c.post(
        "/upload",
        data={
            "csrf_token": upload_token.group(1),
            "report": (io.BytesIO(report), "b" * 5000 + ".pdf"),
        },
    )
    assert r.status_code in (200, 400), r.status_code  # read (or a duplicate), never a 500
    assert "b" * 196 + ".pdf" in r.get_data(as_text=True)


def test_a_plan_at_its_limit_refuses_more_with_a_clear_message(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ofsted_csc.plans import actions

    c = app.test_client()
    _sign_in(c, "ed")
    plan_id = app.config["PLAN_ID"]
    store = context_of(app).store
    plan = plans_api.plan_get(store, plan_id, actor=OPERATOR)
    monkeypatch.setattr(actions, "MAX_PLAN_ACTIONS", len(plan.actions))  # reached, not passed
    before = _rows(app)
    r = c.post(
        f"/plans/{plan_id}/actions",
        data={
            "csrf_token": _token(c, "/plans"),
            "workstream": str(plan.workstreams[0].id),
            "new_description": "One more",
        },
    )
    assert r.status_code == 400
    assert "a plan may have at most 7 actions, and this would make 8" in r.get_data(as_text=True)
    assert _rows(app) == before


def test_text_stored_before_the_checks_cannot_break_the_workbook_or_the_meeting_report(
    app: Any, db_url: str
) -> None:
    c = app.test_client()
    _sign_in(c, "vi")
    plan_id = app.config["PLAN_ID"]
    store = context_of(app).store
    admin = users_api.acting_user(store, "ada")
    board = plans_api.board_create(store, admin, plan_id, "Board", BoardKind.IMPROVEMENT_BOARD)
    meeting = plans_api.meeting_add(store, admin, board, date(2025, 7, 1))
    action = plans_api.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    plans_api.progress_add(store, admin, action.id, date(2025, 6, 1), "placeholder")
    bad = "\x01\x0b" + ("\x00" if db_url.startswith("sqlite") else "")  # PostgreSQL keeps no NUL
    with store.transaction() as s:
        s.execute(update(ActionRow).values(description=f"Do{bad}it"))
        s.execute(update(ProgressUpdateRow).values(text=f"Said{bad}"))
    for path in (
        f"/plans/{plan_id}/plan.xlsx",
        f"/plans/{plan_id}/meetings/{meeting}",
        f"/plans/{plan_id}/meetings/{meeting}/report.docx",
        f"/plans/{plan_id}/meetings/{meeting}/report.html",
        f"/plans/{plan_id}",
        "/plans",
    ):
        r = c.get(path)
        assert r.status_code == 200, path
        if r.mimetype == "text/html":  # the files are zipped: openpyxl and python-docx
            assert b"\x01" not in r.data, path
    assert "Do\ufffd\ufffd" in c.get(f"/plans/{plan_id}").get_data(as_text=True)
