"""Councils as tenants (issue 21): a user's role in one council gives nothing in another. Every
plan page and every plan form is tried as an editor of another council and as a board member,
on SQLite and PostgreSQL; each read is refused (board members read plans, actions and board
reports only) and each write is refused with nothing changed. The same checks, in the library,
hold for the CLI and the API."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from support import FIXTURES

from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.domain.errors import InvalidInput, PermissionDenied
from ofsted_csc.plans.common import OPERATOR
from ofsted_csc.plans.rules import BoardKind, Role, TokenScope
from ofsted_csc.storage.plan_models import AuditEventRow, EvidenceRow, PlanRow
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

REPORT = "50276975.pdf"  # the plan's council (Buckinghamshire)
OTHER = "50306547.pdf"  # another council's report
PASSWORD = "a long enough passphrase"


def _urn(store: Any, file_name: str) -> str:
    return str(plans_api.find_report(store, file_name).result.record.council_urn)  # type: ignore[union-attr]


@pytest.fixture
def tenants(db_url: str) -> Iterator[dict[str, Any]]:
    with api.open_store(db_url) as store:
        api.ingest(store, [FIXTURES / "reports" / REPORT, FIXTURES / "reports" / OTHER])
        ada = users_api.user_create(store, None, "ada", role=Role.ADMIN, password=PASSWORD)
        for name in ("mine", "other", "board", "group"):
            users_api.user_create(store, ada, name, role=Role.NONE, password=PASSWORD)
        urn, other_urn = _urn(store, REPORT), _urn(store, OTHER)
        assert urn != other_urn
        users_api.membership_set(store, ada, "mine", urn, "editor")
        users_api.membership_set(store, ada, "other", other_urn, "editor")
        users_api.membership_set(store, ada, "board", urn, "board")
        plan_id = plans_api.plan_create(store, ada, [REPORT])
        other_plan = plans_api.plan_create(store, ada, [OTHER])
        view = plans_api.plan_get(store, plan_id, actor=ada)
        action = view.actions[0]
        plans_api.evidence_add(
            store,
            ada,
            action.id,
            "Audit",
            file_name="audit.txt",
            data=b"findings",
            content_type="text/plain",
        )
        board = plans_api.board_create(
            store, ada, plan_id, "Improvement board", BoardKind.IMPROVEMENT_BOARD
        )
        meeting = plans_api.meeting_add(store, ada, board, date(2026, 12, 1))
        with store.session() as s:
            evidence = s.scalar(select(EvidenceRow.id))
        ws = view.workstreams[0].id
        yield {
            "db_url": db_url,
            "urn": urn,
            "other_urn": other_urn,
            "plan": plan_id,
            "other_plan": other_plan,
            "action": action.id,
            "version": action.version,
            "plan_version": view.version,
            "evidence": evidence,
            "board": board,
            "meeting": meeting,
            "workstream": ws,
            "sha": view.sources[0].sha256,
            "title": view.title,
            "council_name": view.council_name,
        }


@pytest.fixture
def app(tenants: dict[str, Any]) -> Iterator[Any]:
    application = create_app(
        Settings(db_url=tenants["db_url"], secret_key="test", login_rate="100 per minute")
    )
    yield application
    context_of(application).store.close()


def _client(app: Any, name: str) -> tuple[Any, str]:
    c = app.test_client()
    page = c.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    r = c.post(
        "/sign-in", data={"csrf_token": token.group(1), "username": name, "password": PASSWORD}
    )
    assert r.status_code == 302
    page = c.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return c, token.group(1)


def _state(app: Any) -> tuple[int, int]:
    with context_of(app).store.session() as s:
        return (
            s.scalar(select(func.count(AuditEventRow.id))) or 0,
            s.scalar(select(func.count(PlanRow.id))) or 0,
        )


def _reads(t: dict[str, Any]) -> dict[str, str]:
    """Every plan page of the plan's council, by what it shows."""
    p = t["plan"]
    return {
        "plan": f"/plans/{p}",
        "plan.xlsx": f"/plans/{p}/plan.xlsx",
        "history": f"/plans/{p}/history",
        "action": f"/plans/{p}/actions/{t['action']}",
        "evidence": f"/evidence/{t['evidence']}",
        "meeting": f"/plans/{p}/meetings/{t['meeting']}",
        "meeting.docx": f"/plans/{p}/meetings/{t['meeting']}/report.docx",
        "meeting.html": f"/plans/{p}/meetings/{t['meeting']}/report.html",
    }


def _writes(t: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every plan form of the plan's council, each with fields that an editor there could
    save (so a refusal is the role's, not the form's)."""
    p, a = t["plan"], t["action"]
    return {
        "new plan": ("/plans/new", {"source": t["sha"], "title": "Another plan"}),
        "plan": (
            f"/plans/{p}",
            {"title": "Renamed", "status": "active", "version": t["plan_version"]},
        ),
        "action fields": (
            f"/plans/{p}/actions/{a}",
            {
                "change": "fields",
                "version": t["version"],
                "description": "Changed",
                "status": "on_track",
                "percent": "50",
            },
        ),
        "action update": (
            f"/plans/{p}/actions/{a}",
            {"change": "update", "version": t["version"], "text": "Done", "on": "1/12/2026"},
        ),
        "board": (f"/plans/{p}/boards", {"name": "Scrutiny", "kind": "scrutiny"}),
        "meeting": (f"/plans/{p}/boards/{t['board']}/meetings", {"on": "2/12/2026"}),
        "workstream": (f"/plans/{p}/workstreams", {"workstream_title": "Front door"}),
        "action": (
            f"/plans/{p}/actions",
            {"workstream": t["workstream"], "new_description": "New action"},
        ),
    }


def test_a_member_of_another_council_is_refused_every_page_and_form(
    app: Any, tenants: dict[str, Any]
) -> None:
    c, token = _client(app, "other")
    for what, path in _reads(tenants).items():
        r = c.get(path)
        assert r.status_code == 403, (what, r.status_code)
        assert tenants["title"].encode() not in r.data  # nothing of the plan is shown
    before = _state(app)
    for what, (path, form) in _writes(tenants).items():
        r = c.post(path, data={"csrf_token": token, **form})
        assert r.status_code == 403, (what, r.status_code, r.get_data(as_text=True)[:300])
    assert _state(app) == before
    # their list holds their own council's plan only
    page = c.get("/plans").get_data(as_text=True)
    assert f"/plans/{tenants['other_plan']}" in page and f'/plans/{tenants["plan"]}"' not in page


def test_a_board_member_reads_plans_and_board_reports_and_nothing_else(
    app: Any, tenants: dict[str, Any]
) -> None:
    c, token = _client(app, "board")
    allowed = {"plan", "action", "meeting", "meeting.docx", "meeting.html", "plan.xlsx"}
    for what, path in _reads(tenants).items():
        r = c.get(path)
        expected = 200 if what in allowed else 403
        assert r.status_code == expected, (what, r.status_code)
    before = _state(app)
    for what, (path, form) in _writes(tenants).items():
        r = c.post(path, data={"csrf_token": token, **form})
        assert r.status_code == 403, (what, r.status_code)
    assert _state(app) == before
    page = c.get("/plans").get_data(as_text=True)
    assert f"/plans/{tenants['plan']}" in page
    assert f"/plans/{tenants['other_plan']}" not in page
    assert "Start a plan" not in page  # no editing offered


def test_a_member_of_the_council_reads_and_changes_its_plan(
    app: Any, tenants: dict[str, Any]
) -> None:
    c, token = _client(app, "mine")
    for what, path in _reads(tenants).items():
        assert c.get(path).status_code == 200, what
    before = _state(app)
    path, form = _writes(tenants)["action update"]
    assert c.post(path, data={"csrf_token": token, **form}).status_code == 302
    assert _state(app)[0] == before[0] + 1
    # but not another council's plan
    assert c.get(f"/plans/{tenants['other_plan']}").status_code == 403


def test_the_library_refuses_the_same_for_the_cli_and_the_api(tenants: dict[str, Any]) -> None:
    with api.open_store(tenants["db_url"]) as store:
        other = users_api.acting_user(store, "other")
        board = users_api.acting_user(store, "board")
        with pytest.raises(PermissionDenied):
            plans_api.plan_get(store, tenants["plan"], actor=other)
        with pytest.raises(PermissionDenied):
            plans_api.history(store, tenants["plan"], actor=board)
        with pytest.raises(PermissionDenied):
            plans_api.evidence_file(store, tenants["evidence"], actor=board)
        with pytest.raises(PermissionDenied):
            plans_api.progress_add(store, board, tenants["action"], date(2026, 12, 1), "No")
        assert [p.id for p in plans_api.plan_list(store, actor=other)] == [tenants["other_plan"]]
        # the store's operator reads only while no council has members
        with pytest.raises(PermissionDenied, match="--as"):
            plans_api.plan_list(store, actor=OPERATOR)
        # tokens: a board member's token reads, never writes
        with pytest.raises(PermissionDenied):
            users_api.token_create(store, board, scope=TokenScope.READ_WRITE)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("OFSTED_CSC_DB", "OFSTED_CSC_USER")}
        return subprocess.run(
            [sys.executable, "-m", "ofsted_csc", "--db", tenants["db_url"], *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    refused = cli("--as", "other", "plan", "show", str(tenants["plan"]))
    assert refused.returncode == 2 and "council" in refused.stderr and "needs" in refused.stderr
    anonymous = cli("plan", "list")
    assert anonymous.returncode == 2 and "--as" in anonymous.stderr
    mine = cli("--as", "mine", "plan", "list")
    assert mine.returncode == 0, mine.stderr
    # a brief without --as says that it leaves the plan out, rather than leaving it out silently
    with tempfile.TemporaryDirectory() as folder:
        out = f"{folder}/brief.html"
        anonymous = cli("brief", "Buckinghamshire", "-o", out)
        assert anonymous.returncode == 0 and "plan is left out" in anonymous.stderr
        assert "Improvement plan" not in Path(out).read_text(encoding="utf-8")
        named = cli("--as", "mine", "brief", "Buckinghamshire", "-o", out)
        assert named.returncode == 0 and "left out" not in named.stderr
        assert "Improvement plan" in Path(out).read_text(encoding="utf-8")
    # groups on the CLI: made, filled and emptied by a service admin only
    refused = cli("--as", "mine", "user", "group", "Alliance", "--member", "group")
    assert refused.returncode == 2
    made = cli(
        "--as",
        "ada",
        "user",
        "group",
        "Alliance",
        "--council",
        "Buckinghamshire",
        "--member",
        "group",
    )
    assert made.returncode == 0 and f"councils {tenants['urn']}; members group" in made.stdout
    emptied = cli(
        "--as",
        "ada",
        "user",
        "group",
        "Alliance",
        "--remove-council",
        tenants["urn"],
        "--remove-member",
        "group",
    )
    assert emptied.returncode == 0 and "councils none; members none" in emptied.stdout


def test_a_group_sees_the_summaries_its_councils_share_and_never_their_actions(
    app: Any, tenants: dict[str, Any]
) -> None:
    store = context_of(app).store
    ada = users_api.acting_user(store, "ada")
    users_api.group_create(store, ada, "Yorkshire and the Humber alliance")
    # a name that differs only in capitals is the same name, both to make and to find
    with pytest.raises(InvalidInput, match="already called 'Yorkshire and the Humber alliance'"):
        users_api.group_create(store, ada, " YORKSHIRE and the humber Alliance")
    users_api.group_add(
        store,
        ada,
        "yorkshire and the humber alliance",
        councils=(tenants["urn"],),
        users=("group",),
    )
    # a store made before names were compared without capitals may hold two such names:
    # the one spelt exactly is found, another spelling is refused with both names
    from datetime import datetime

    from ofsted_csc.storage.plan_models import CouncilGroupRow

    with store.transaction() as s:
        s.add(
            CouncilGroupRow(
                name="YORKSHIRE AND THE HUMBER ALLIANCE", created_at=datetime(2026, 1, 1)
            )
        )
    exact = users_api.group_add(store, ada, "Yorkshire and the Humber alliance")
    assert exact.councils == (tenants["urn"],)
    with pytest.raises(InvalidInput, match="give the name as it is spelt"):
        users_api.group_add(store, ada, "yorkshire and the humber alliance")
    c, _ = _client(app, "group")
    page = c.get("/plans").get_data(as_text=True)
    assert "Shared with your groups" not in page  # the council has not chosen to share
    mine = users_api.acting_user(store, "mine")
    with pytest.raises(PermissionDenied):  # an editor is not the council's admin
        users_api.sharing_set(store, mine, tenants["urn"], True)
    users_api.sharing_set(store, ada, tenants["urn"], True)
    page = c.get("/plans").get_data(as_text=True)
    assert "Shared with your groups" in page and tenants["council_name"] in page
    assert f"/plans/{tenants['plan']}" not in page  # no link to the plan itself
    assert c.get(f"/plans/{tenants['plan']}").status_code == 403
    assert c.get(f"/plans/{tenants['plan']}/actions/{tenants['action']}").status_code == 403


# -- the JSON API for plans --


def _bearer(store: Any, name: str, scope: TokenScope) -> dict[str, str]:
    user = users_api.acting_user(store, name)
    return {"Authorization": f"Bearer {users_api.token_create(store, user, scope=scope).secret}"}


def test_the_plans_api_reads_and_changes_with_a_token_of_a_member(
    app: Any, tenants: dict[str, Any]
) -> None:
    store = context_of(app).store
    c = app.test_client()
    p, a = tenants["plan"], tenants["action"]
    write = _bearer(store, "mine", TokenScope.READ_WRITE)
    listed = c.get("/api/plans", headers=write).get_json()
    assert [x["id"] for x in listed] == [p]
    plan = c.get(f"/api/plans/{p}", headers=write).get_json()
    action = next(x for x in plan["actions"] if x["id"] == a)
    r = c.patch(
        f"/api/plans/{p}/actions/{a}",
        json={"version": action["version"], "percent": 40, "status": "on_track"},
        headers=write,
    )
    assert r.status_code == 200, r.get_json()
    changed = r.get_json()
    assert changed["percent"] == 40 and changed["status"] == "on_track"
    assert changed["version"] == action["version"] + 1
    # a save over a change made since is refused and changes nothing
    stale = c.patch(
        f"/api/plans/{p}/actions/{a}",
        json={"version": action["version"], "percent": 90},
        headers=write,
    )
    assert stale.status_code == 409
    r = c.post(
        f"/api/plans/{p}/actions/{a}/updates",
        json={"on": "2026-12-01", "text": "Audit of plans done"},
        headers=write,
    )
    assert r.status_code == 201 and r.get_json()["updates"][-1]["text"] == "Audit of plans done"
    history = c.get(f"/api/plans/{p}/history", headers=write).get_json()
    assert {"percent", "status", "update"} <= {e["field"] for e in history}
    assert (
        "/api/plans/{plan_id}/actions/{action_id}" in c.get("/api/openapi.json").get_json()["paths"]
    )


def test_the_plans_api_refuses_other_councils_board_members_and_read_tokens(
    app: Any, tenants: dict[str, Any]
) -> None:
    store = context_of(app).store
    c = app.test_client()
    p, a = tenants["plan"], tenants["action"]
    assert c.get(f"/api/plans/{p}").status_code == 401  # nobody
    other = _bearer(store, "other", TokenScope.READ_WRITE)
    board = _bearer(store, "board", TokenScope.READ)
    read = _bearer(store, "mine", TokenScope.READ)
    before = _state(app)  # (making the tokens is audited)
    change = {"version": tenants["version"], "percent": 10}
    update = {"on": "2026-12-01", "text": "No"}
    for headers, reads in (
        (other, {}),
        (board, {"plan", "action"}),
        (read, {"plan", "action", "history"}),
    ):
        for what, path in (
            ("plan", f"/api/plans/{p}"),
            ("action", f"/api/plans/{p}/actions/{a}"),
            ("history", f"/api/plans/{p}/history"),
        ):
            assert c.get(path, headers=headers).status_code == (200 if what in reads else 403), what
        assert (
            c.patch(f"/api/plans/{p}/actions/{a}", json=change, headers=headers).status_code == 403
        )
        assert (
            c.post(f"/api/plans/{p}/actions/{a}/updates", json=update, headers=headers).status_code
            == 403
        )
    assert c.get("/api/plans", headers=other).get_json()[0]["id"] == tenants["other_plan"]
    assert _state(app) == before


# -- the pages where users manage their tokens, a council's members and the groups --


def _audit_count(app: Any) -> int:
    return _state(app)[0]


def test_a_user_makes_sees_once_and_revokes_a_token_on_their_page(
    app: Any, tenants: dict[str, Any]
) -> None:
    c, csrf = _client(app, "mine")
    page = c.get("/account").get_data(as_text=True)
    assert tenants["council_name"] in page and "Editor" in page  # their role in the council
    assert "You have no tokens" in page
    r = c.post(
        "/account/tokens",
        data={"csrf_token": csrf, "name": "dashboard", "scope": "read-write", "days": "30"},
    )
    assert r.status_code == 201
    found = re.search(r'id="new-token">(ocsc_[A-Za-z0-9_-]+)<', r.get_data(as_text=True))
    assert found, "the new token is shown"
    secret = found.group(1)
    assert r.headers["Cache-Control"] == "no-store"
    # it works on the API, as its owner, and writes
    api_client = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert api_client.get(f"/api/plans/{tenants['plan']}", headers=bearer).status_code == 200
    # listed on the page afterwards, never shown again
    page = c.get("/account").get_data(as_text=True)
    assert secret not in page and secret[:12] in page and "dashboard" in page
    assert "Read and write" in page and "Active" in page
    # another user cannot revoke it; its owner can, and then it is refused
    token_id = users_api.token_list(context_of(app).store, _user(app, "mine"))[0].id
    other, other_csrf = _client(app, "other")
    before = _audit_count(app)
    r = other.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": other_csrf})
    assert r.status_code == 403 and _audit_count(app) == before
    assert api_client.get(f"/api/plans/{tenants['plan']}", headers=bearer).status_code == 200
    r = c.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert r.status_code == 302 and "done=revoked" in r.headers["Location"]
    assert api_client.get(f"/api/plans/{tenants['plan']}", headers=bearer).status_code == 401
    page = c.get("/account?done=revoked").get_data(as_text=True)
    assert "Revoked" in page and "no longer works" in page


def test_a_service_admin_sees_and_revokes_other_peoples_working_tokens(
    app: Any, tenants: dict[str, Any]
) -> None:
    store = context_of(app).store
    mine = users_api.token_create(store, _user(app, "mine"), name="nightly dashboard")
    gone = users_api.token_create(store, _user(app, "other"), name="old script")
    users_api.token_revoke(store, _user(app, "other"), gone.token.id)
    # not for anyone else: the section is not there
    c, _ = _client(app, "mine")
    assert "Other people's API tokens" not in c.get("/account").get_data(as_text=True)
    admin, csrf = _client(app, "ada")
    page = admin.get("/account").get_data(as_text=True)
    listed = page.split('id="other-tokens"')[1].split("</table>")[0]
    assert "nightly dashboard" in listed and ">mine<" in listed
    assert "old script" not in listed  # revoked: nothing to do about it
    assert mine.secret not in page and mine.token.prefix in listed
    bearer = {"Authorization": f"Bearer {mine.secret}"}
    assert app.test_client().get("/api/plans", headers=bearer).status_code == 200
    r = admin.post(f"/account/tokens/{mine.token.id}/revoke", data={"csrf_token": csrf})
    assert r.status_code == 302 and r.headers["Location"].endswith("#others")
    assert app.test_client().get("/api/plans", headers=bearer).status_code == 401
    page = admin.get("/account").get_data(as_text=True)
    assert "Nobody else has a token that still works" in page


def test_a_token_form_refuses_bad_fields_and_a_board_member_gets_read_only(
    app: Any, tenants: dict[str, Any]
) -> None:
    c, csrf = _client(app, "board")
    page = c.get("/account").get_data(as_text=True)
    assert 'value="read-write"' not in page  # not offered to a board member
    before = _audit_count(app)
    r = c.post("/account/tokens", data={"csrf_token": csrf, "name": "x", "scope": "read-write"})
    assert r.status_code == 403 and "read-write token needs an editor" in r.get_data(as_text=True)
    for fields, message in (
        ({"scope": "read", "days": "0"}, "from 1 to 366"),
        ({"scope": "read", "days": "400"}, "from 1 to 366"),
        ({"scope": "read", "days": "ten"}, "from 1 to 366"),
        ({"scope": "admin"}, "Choose what the token may do"),
        ({"scope": "read", "name": "n" * 101}, "token"),
    ):
        r = c.post("/account/tokens", data={"csrf_token": csrf, **fields})
        assert r.status_code == 400, fields
        body = r.get_data(as_text=True)
        assert message in body and "govuk-error-summary" in body and "ocsc_" not in body
    assert _audit_count(app) == before  # nothing made
    r = c.post("/account/tokens", data={"csrf_token": csrf, "name": "board pack", "scope": "read"})
    assert r.status_code == 201 and "ocsc_" in r.get_data(as_text=True)


def _user(app: Any, name: str) -> Any:
    return users_api.user_get(context_of(app).store, name)


def test_a_council_admin_manages_its_members_and_sharing_and_no_other_council(
    app: Any, tenants: dict[str, Any]
) -> None:
    store = context_of(app).store
    ada = _user(app, "ada")
    users_api.user_create(store, ada, "chief", role=Role.NONE, password=PASSWORD)
    users_api.membership_set(store, ada, "chief", tenants["urn"], "admin")
    c, csrf = _client(app, "chief")
    home = c.get("/account").get_data(as_text=True)
    assert (
        'href="/members"' in home and 'href="/groups"' not in home and 'href="/users"' not in home
    )
    r = c.get("/members")  # one council: straight to it
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/members/{tenants['urn']}")
    page = c.get(f"/members/{tenants['urn']}").get_data(as_text=True)
    assert tenants["council_name"] in page and "mine" in page and "board" in page
    # give "group" a role, change it, refuse a user who does not exist, then take it away
    url = f"/members/{tenants['urn']}"
    r = c.post(url, data={"csrf_token": csrf, "username": "group", "role": "viewer"})
    assert r.status_code == 302
    assert (tenants["urn"], Role.VIEWER) in _user(app, "group").memberships
    r = c.post(url, data={"csrf_token": csrf, "username": "group", "role": "editor"})
    assert (tenants["urn"], Role.EDITOR) in _user(app, "group").memberships
    before = _audit_count(app)
    r = c.post(url, data={"csrf_token": csrf, "username": "nobody", "role": "viewer"})
    assert r.status_code == 400 and "nobody" in r.get_data(as_text=True)
    r = c.post(url, data={"csrf_token": csrf, "username": "group", "role": "owner"})
    assert r.status_code == 400 and "Choose a role" in r.get_data(as_text=True)
    assert _audit_count(app) == before
    r = c.post(f"{url}/group/remove", data={"csrf_token": csrf})
    assert r.status_code == 302 and not _user(app, "group").memberships
    # sharing
    r = c.post(f"{url}/sharing", data={"csrf_token": csrf, "shared": "yes"})
    assert r.status_code == 302 and users_api.sharing(store, ada, tenants["urn"]) is True
    assert 'value="yes" checked' in c.get(url).get_data(as_text=True)
    # the other council: every page and form refused, nothing changed
    other = f"/members/{tenants['other_urn']}"
    before = _audit_count(app)
    assert c.get(other).status_code == 403
    for path, form in (
        (other, {"username": "chief", "role": "admin"}),
        (f"{other}/other/remove", {}),
        (f"{other}/sharing", {"shared": "yes"}),
        ("/groups", {"name": "Mine"}),
    ):
        r = c.post(path, data={"csrf_token": csrf, **form})
        assert r.status_code == 403, path
    assert c.get("/groups").status_code == 403
    assert _audit_count(app) == before
    assert users_api.sharing(store, ada, tenants["other_urn"]) is False
    # an editor (not an admin) of the council may not manage its members
    e, _ = _client(app, "mine")
    assert e.get(url).status_code == 403 and e.get("/members").status_code == 403


def test_a_service_admin_makes_groups_on_the_groups_page(app: Any, tenants: dict[str, Any]) -> None:
    c, csrf = _client(app, "ada")
    home = c.get("/account").get_data(as_text=True)
    assert all(f'href="/{p}"' in home for p in ("users", "members", "groups"))
    assert "There are no groups yet" in c.get("/groups").get_data(as_text=True)
    assert c.post("/groups", data={"csrf_token": csrf, "name": " "}).status_code == 400
    assert c.post("/groups", data={"csrf_token": csrf, "name": "South East"}).status_code == 302
    r = c.post("/groups", data={"csrf_token": csrf, "name": "South East"})
    assert r.status_code == 400 and "already called" in r.get_data(as_text=True)
    group = users_api.groups(context_of(app).store, _user(app, "ada"))[0]
    url = f"/groups/{group.id}"
    for change, value in (("add-council", tenants["urn"]), ("add-member", "group")):
        r = c.post(url, data={"csrf_token": csrf, "change": change, "value": value})
        assert r.status_code == 302
    r = c.post(url, data={"csrf_token": csrf, "change": "add-member", "value": "nobody"})
    assert r.status_code == 400 and "nobody" in r.get_data(as_text=True)
    page = c.get("/groups").get_data(as_text=True)
    assert tenants["council_name"] in page and "<span>group</span>" in page
    # the member sees the council's summary once the council shares it
    users_api.sharing_set(context_of(app).store, _user(app, "ada"), tenants["urn"], True)
    g, _ = _client(app, "group")
    assert tenants["title"] in g.get("/plans").get_data(as_text=True)
    r = c.post(url, data={"csrf_token": csrf, "change": "remove-member", "value": "group"})
    assert r.status_code == 302
    assert g.get("/plans").status_code == 403  # nothing left for them
    r = c.post(url, data={"csrf_token": csrf, "change": "remove-council", "value": tenants["urn"]})
    group = users_api.groups(context_of(app).store, _user(app, "ada"))[0]
    assert group.councils == () and group.members == ()
    assert (
        c.post("/groups/999", data={"csrf_token": csrf, "change": "add-member"}).status_code == 404
    )


def test_a_plan_offers_and_takes_as_lead_only_people_who_work_for_its_council(
    app: Any, tenants: dict[str, Any]
) -> None:
    """The lead officer lists of a council's plan name its own staff and service-wide users,
    never another council's staff, a board member or a user with no role there; the library
    refuses such a lead however it is sent."""
    store = context_of(app).store
    ada = _user(app, "ada")
    c, _ = _client(app, "mine")
    for path in (
        f"/plans/{tenants['plan']}",
        f"/plans/{tenants['plan']}/actions/{tenants['action']}",
    ):
        page = c.get(path).get_data(as_text=True)
        offered = set(re.findall(r'<option value="([a-z]+)"[^>]*>[^<]*\(\1\)</option>', page))
        assert offered == {"ada", "mine"}, (path, offered)
    for name in ("other", "board", "group"):
        with pytest.raises(InvalidInput, match="no role in this council"):
            plans_api.action_update(
                store, ada, tenants["action"], tenants["version"], {"lead": name}
            )
    version = plans_api.action_update(
        store, ada, tenants["action"], tenants["version"], {"lead": "mine"}
    )
    # a lead who leaves the council stays on the action, and is still offered on its page
    users_api.membership_remove(store, ada, "mine", tenants["urn"])
    plans_api.action_update(store, ada, tenants["action"], version, {"percent": 10})
    action = plans_api.action_get(store, tenants["action"], actor=ada)[1]
    assert action.lead is not None and action.lead.username == "mine"
    a, _ = _client(app, "ada")
    page = a.get(f"/plans/{tenants['plan']}/actions/{tenants['action']}").get_data(as_text=True)
    assert 'value="mine" selected' in page
    page = a.get(f"/plans/{tenants['plan']}").get_data(as_text=True)
    assert 'value="mine"' not in page  # not offered for a new action
