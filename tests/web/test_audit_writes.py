"""Every write the web app takes (each form and API write route once, and the token admin
the CLI does through the same library) lands in the audit trail with the council it touched:
the plan's for plan writes, the uploaded report's for uploads, none for user and token admin;
on SQLite and PostgreSQL. And migration 0014 fills the council of events already there."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from support import FIXTURES, HELD_BACK

from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.plans.common import OPERATOR
from ofsted_csc.plans.rules import BoardKind, Role, TokenScope
from ofsted_csc.storage.plan_models import AuditEventRow
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

REPORT = "50276975.pdf"  # the plan's report, stored before
UPLOAD = FIXTURES / "reports" / HELD_BACK  # a report the tests upload
PASSWORDS = {"ada": "admin passphrase 1", "ed": "editor passphrase 2", "vi": "viewer passphrase 3"}
PLAN = "plan"  # the expected council is the plan's
UPLOADED = "uploaded"  # the expected council is the uploaded report's


@dataclass
class World:
    app: Any
    plan_id: int
    action_id: int
    measure_id: int
    board_id: int
    workstream_id: int
    plan_council: str
    sha: str

    @property
    def store(self) -> Any:
        return context_of(self.app).store


@pytest.fixture
def world(db_url: str, tmp_path: Any) -> Iterator[World]:
    with api.open_store(db_url) as store:
        api.ingest(store, [FIXTURES / "reports" / REPORT])
        admin = users_api.user_create(
            store, None, "ada", role=Role.ADMIN, password=PASSWORDS["ada"]
        )
        ed = users_api.user_create(
            store, admin, "ed", display_name="Ed Itor", role=Role.EDITOR, password=PASSWORDS["ed"]
        )
        users_api.user_create(store, admin, "vi", role=Role.VIEWER, password=PASSWORDS["vi"])
        plan_id = plans_api.plan_create(store, admin, [REPORT])
        plan = plans_api.plan_get(store, plan_id, actor=OPERATOR)
        action = plan.actions[0]
        measure_id = plans_api.measure_add(
            store,
            ed,
            action.id,
            "Visits on time",
            baseline=50,
            baseline_date=_day(),
            target=90,
            target_date=_day(1),
        )
        board_id = plans_api.board_create(store, ed, plan_id, "Board", BoardKind.IMPROVEMENT_BOARD)
        plan = plans_api.plan_get(store, plan_id, actor=OPERATOR)
    app = create_app(Settings(db_url=db_url, secret_key="test", page_cache=False))
    yield World(
        app,
        plan_id,
        action.id,
        measure_id,
        board_id,
        plan.workstreams[0].id,
        plan.council_urn,
        plan.sources[0].sha256,
    )
    context_of(app).store.close()


def _day(years: int = 0) -> date:
    return date(2026 + years, 1, 1)


def _csrf(client: Any, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def _signed_in(w: World, name: str) -> Any:
    c = w.app.test_client()
    data = {"csrf_token": _csrf(c, "/sign-in"), "username": name, "password": PASSWORDS[name]}
    assert c.post("/sign-in", data=data).status_code == 302
    return c


def _ok(r: Any) -> None:
    assert r.status_code in (200, 302), (r.status_code, r.get_data(as_text=True)[:800])


def _action_form(change: str, **fields: Any) -> Callable[[World], None]:
    def write(w: World) -> None:
        c = _signed_in(w, "ed")
        url = f"/plans/{w.plan_id}/actions/{w.action_id}"
        _, action = plans_api.action_get(w.store, w.action_id, actor=OPERATOR)
        data = {"csrf_token": _csrf(c, url), "change": change, "version": str(action.version)}
        data.update({k: (v(w) if callable(v) else v) for k, v in fields.items()})
        _ok(c.post(url, data=data, content_type="multipart/form-data"))

    return write


def _plan_new(w: World) -> None:
    c = _signed_in(w, "ed")
    url = f"/plans/new?source={w.sha}"
    _ok(c.post(url, data={"csrf_token": _csrf(c, url), "title": "Second plan", "received": ""}))


def _plan_save(w: World) -> None:
    c = _signed_in(w, "ed")
    plan = plans_api.plan_get(w.store, w.plan_id, actor=OPERATOR)
    url = f"/plans/{w.plan_id}"
    data = {
        "csrf_token": _csrf(c, url),
        "version": str(plan.version),
        "title": "A new title",
        "status": plan.status.value,
        "received": plan.received.strftime("%d/%m/%Y") if plan.received else "",
    }
    _ok(c.post(url, data=data))


def _plan_import(w: World) -> None:
    c = _signed_in(w, "ed")
    book = plans_api.plan_to_xlsx(plans_api.plan_get(w.store, w.plan_id, actor=OPERATOR))
    data = {"csrf_token": _csrf(c, "/plans/import"), "workbook": (io.BytesIO(book), "p.xlsx")}
    _ok(c.post("/plans/import", data=data, content_type="multipart/form-data"))


def _plan_form(path: str, fields: Callable[[World], dict[str, str]]) -> Callable[[World], None]:
    def write(w: World) -> None:
        c = _signed_in(w, "ed")
        token = _csrf(c, f"/plans/{w.plan_id}")
        _ok(c.post(path.format(w=w), data={"csrf_token": token, **fields(w)}))

    return write


def _user_add(w: World) -> None:
    c = _signed_in(w, "ada")
    data = {"csrf_token": _csrf(c, "/users"), "username": "newbie", "role": "viewer"}
    _ok(c.post("/users", data=data))


def _user_save(w: World) -> None:
    c = _signed_in(w, "ada")
    data = {"csrf_token": _csrf(c, "/users"), "role": "editor", "active": "yes"}
    _ok(c.post("/users/vi", data=data))


def _token_create(w: World) -> None:
    ed = users_api.acting_user(w.store, "ed")
    users_api.token_create(w.store, ed, name="script", scope=TokenScope.READ_WRITE)


def _token_revoke(w: World) -> None:
    ed = users_api.acting_user(w.store, "ed")
    made = users_api.token_create(w.store, ed, name="script", scope=TokenScope.READ)
    w.app.config["BEFORE"] = _rows(w)  # only the revoking is this write
    users_api.token_revoke(w.store, ed, made.token.id)


def _upload_form(w: World) -> None:
    c = _signed_in(w, "ed")
    with UPLOAD.open("rb") as fh:
        data = {"csrf_token": _csrf(c, "/upload"), "report": (fh, HELD_BACK)}
        _ok(c.post("/upload", data=data, content_type="multipart/form-data"))


def _upload_api_session(w: World) -> None:
    c = _signed_in(w, "ed")
    with UPLOAD.open("rb") as fh:
        r = c.post(
            "/api/ingest",
            data={"file": (fh, HELD_BACK)},
            content_type="multipart/form-data",
            headers={"X-CSRFToken": _csrf(c, "/upload")},
        )
    _ok(r)
    w.app.config["UPLOADED_COUNCIL"] = r.get_json()["council_urn"]


def _upload_api_token(w: World) -> None:
    ed = users_api.acting_user(w.store, "ed")
    made = users_api.token_create(w.store, ed, name="uploads", scope=TokenScope.READ_WRITE)
    w.app.config["BEFORE"] = _rows(w)
    with UPLOAD.open("rb") as fh:
        r = w.app.test_client().post(
            "/api/ingest",
            data={"file": (fh, HELD_BACK)},
            content_type="multipart/form-data",
            headers={"Authorization": f"Bearer {made.secret}"},
        )
    _ok(r)
    w.app.config["UPLOADED_COUNCIL"] = r.get_json()["council_urn"]


# (write, the council expected, how many audit rows it makes: None for "one or more")
WRITES: dict[str, tuple[Callable[[World], None], str | None, int | None]] = {
    "POST /plans/new": (_plan_new, PLAN, None),
    "POST /plans/<id>": (_plan_save, PLAN, 1),
    "POST /plans/import": (_plan_import, PLAN, None),
    "POST action fields": (
        _action_form(
            "fields",
            description=lambda w: (
                plans_api.action_get(w.store, w.action_id, actor=OPERATOR)[1].description
            ),
            status="not_started",
            percent="40",
            start="",
            due="",
            lead="",
            partner="",
        ),
        PLAN,
        None,
    ),
    "POST action override": (
        _action_form("override", rag="green", reason="Board said"),
        PLAN,
        None,
    ),
    "POST action update": (_action_form("update", on="1/12/2026", text="Went well"), PLAN, 1),
    "POST action measure": (
        _action_form(
            "measure",
            name="Audits done",
            baseline="1",
            baseline_date="1/1/2026",
            target="10",
            target_date="1/1/2027",
        ),
        PLAN,
        1,
    ),
    "POST action reading": (
        _action_form("reading", measure=lambda w: str(w.measure_id), value="60", reading_on=""),
        PLAN,
        1,
    ),
    "POST action evidence link": (
        _action_form("evidence", title="Minutes", url="https://example.org/minutes"),
        PLAN,
        1,
    ),
    "POST action evidence file": (
        _action_form("evidence", title="Minutes", file=lambda w: (io.BytesIO(b"notes"), "m.txt")),
        PLAN,
        1,
    ),
    "POST /plans/<id>/boards": (
        _plan_form("/plans/{w.plan_id}/boards", lambda w: {"name": "Panel", "kind": "scrutiny"}),
        PLAN,
        1,
    ),
    "POST /plans/<id>/boards/<id>/meetings": (
        _plan_form("/plans/{w.plan_id}/boards/{w.board_id}/meetings", lambda w: {"on": "1/3/2027"}),
        PLAN,
        1,
    ),
    "POST /plans/<id>/workstreams": (
        _plan_form("/plans/{w.plan_id}/workstreams", lambda w: {"workstream_title": "More"}),
        PLAN,
        1,
    ),
    "POST /plans/<id>/actions": (
        _plan_form(
            "/plans/{w.plan_id}/actions",
            lambda w: {
                "workstream": str(w.workstream_id),
                "new_description": "Do more",
                "new_start": "",
                "new_due": "",
            },
        ),
        PLAN,
        None,
    ),
    "POST /users": (_user_add, None, 1),
    "POST /users/<name>": (_user_save, None, 1),
    "token create (CLI)": (_token_create, None, 1),
    "token revoke (CLI)": (_token_revoke, None, 1),
    "POST /upload": (_upload_form, UPLOADED, 1),
    "POST /api/ingest (session)": (_upload_api_session, UPLOADED, 1),
    "POST /api/ingest (token)": (_upload_api_token, UPLOADED, 1),
}


def _rows(w: World) -> int:
    with w.store.session() as s:
        return int(s.scalar(select(AuditEventRow.id).order_by(AuditEventRow.id.desc())) or 0)


def _uploaded_council() -> str:
    (result,) = list(api.read_files([UPLOAD]))
    assert not isinstance(result, Exception)
    urn = result.record.council_urn
    assert urn
    return str(urn)


@pytest.mark.parametrize("name", list(WRITES))
def test_each_write_is_audited_with_its_council(world: World, name: str) -> None:
    write, council, count = WRITES[name]
    world.app.config["BEFORE"] = _rows(world)
    write(world)
    with world.store.session() as s:
        new = list(
            s.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.id > world.app.config["BEFORE"])
                .order_by(AuditEventRow.id)
            )
        )
    assert new, f"{name} wrote no audit row"
    if count is not None:
        assert len(new) == count, [(e.entity, e.field, e.new) for e in new]
    if council == PLAN:
        want: str | None = world.plan_council
    elif council == UPLOADED:
        want = world.app.config.get("UPLOADED_COUNCIL") or _uploaded_council()
        assert want != world.plan_council  # a different council from the plan's
    else:
        want = None
    assert {e.council_urn for e in new} == {want}, [(e.entity, e.field) for e in new]
    assert all(e.user_id is not None for e in new)


def test_an_open_upload_by_a_visitor_is_audited_with_no_user(db_url: str) -> None:
    app = create_app(Settings(db_url=db_url, secret_key="test", open_upload=True))
    try:
        c = app.test_client()
        with UPLOAD.open("rb") as fh:
            r = c.post("/api/ingest", data={"file": (fh, HELD_BACK)})
        assert r.status_code == 200, r.get_data(as_text=True)
        with context_of(app).store.session() as s:
            (event,) = s.scalars(select(AuditEventRow))
            assert event.user_id is None and event.entity == "document"
            assert event.council_urn == r.get_json()["council_urn"] == _uploaded_council()
            assert event.field == "stored"
        # the same file again changes nothing, and is not recorded again
        with UPLOAD.open("rb") as fh:
            assert c.post("/api/ingest", data={"file": (fh, HELD_BACK)}).status_code == 200
        with context_of(app).store.session() as s:
            assert len(list(s.scalars(select(AuditEventRow)))) == 1
    finally:
        context_of(app).store.close()


def test_migration_0014_fills_the_council_of_events_already_there(sqlite_url: str) -> None:
    from alembic import command

    from ofsted_csc.storage.migrate import _config

    engine = create_engine(sqlite_url)
    try:
        with engine.begin() as conn:
            config = _config()
            config.attributes["connection"] = conn
            command.upgrade(config, "0013")
            conn.execute(
                text(
                    "INSERT INTO users (id, username, display_name, role, active, created_at) "
                    "VALUES (1, 'ada', 'Ada', 'admin', 1, '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO plans (id, council_urn, title, status, version, created_at, "
                    "created_by_id) VALUES (7, '80001', 'P', 'draft', 1, '2026-01-01 00:00:00', 1)"
                )
            )
            for plan_id in ("7", "NULL"):
                conn.execute(
                    text(
                        "INSERT INTO audit_events (at, user_id, plan_id, entity, entity_id, ref, "
                        f"field) VALUES ('2026-01-01 00:00:00', 1, {plan_id}, 'plan', 7, 'plan', "
                        "'created')"
                    )
                )
        with engine.begin() as conn:
            config = _config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT plan_id, council_urn FROM audit_events ORDER BY id")
            ).all()
            assert [tuple(r) for r in rows] == [(7, "80001"), (None, None)]
        with engine.begin() as conn, pytest.raises(Exception, match="never changed"):
            conn.execute(text("UPDATE audit_events SET council_urn = 'x'"))  # still append-only
    finally:
        engine.dispose()
