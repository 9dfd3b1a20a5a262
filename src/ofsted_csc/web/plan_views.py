"""Web pages of improvement plans. Views only read forms and call the API
(`ofsted_csc.api.plans` and `ofsted_csc.api.users`); the library checks roles again inside
each transaction.

Every page here needs a signed-in user; changing anything needs an editor; users are managed
by admins. A refused save (bad field, someone else's newer change) shows the problem above
the form with what was typed still in it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.datastructures import FileStorage

from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleEdit,
)
from ofsted_csc.domain.limits import MAX_EVIDENCE_BYTES, MAX_WORKBOOK_BYTES
from ofsted_csc.domain.values import bad_character, is_id, parse_id, parse_number, xml_safe
from ofsted_csc.plans.rules import BoardKind, Permission, PlanStatus, Rag, Role, Status
from ofsted_csc.web.auth import NO_ROLE_YET, me, requires
from ofsted_csc.web.context import web_context
from ofsted_csc.web.downloads import XLSX, attachment

if TYPE_CHECKING:
    from ofsted_csc.api.plans import MeetingReport, Store
    from ofsted_csc.api.users import User

plans = Blueprint("plans", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _store() -> Store:
    return web_context().store


def _actor() -> User:
    user = me()
    assert user is not None  # every view here is behind `requires`
    return user


def _form(name: str) -> str:
    return request.form.get(name, "").strip()


def _date(name: str, label: str, errors: dict[str, str]) -> date | None:
    text = _form(name)
    if not text:
        return None
    try:
        return plans_api.parse_date(text)
    except ValueError:
        errors[name] = f"{label} must be a real date, like 31/3/2027"
        return None


def _number(name: str, label: str, errors: dict[str, str]) -> float | None:
    text = _form(name)
    if not text:
        errors[name] = f"Enter {label.lower()}"
        return None
    try:
        return parse_number(label.lower().removeprefix("the "), text)
    except InvalidInput:
        errors[name] = f"{label} must be a number, like 12 or 3.5"
        return None


@plans.url_value_preprocessor
def _ids(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """An id in the address beyond any the database holds is no record's: 404 before the
    database sees it."""
    for value in (values or {}).values():
        if isinstance(value, int) and not is_id(value):
            abort(404)


# the labels of the forms' text fields, for messages (other fields are named as sent)
FIELD_LABELS = {
    "description": "Action",
    "new_description": "Action",
    "partner": "Partner agency",
    "new_partner": "Partner agency",
    "lead": "Lead officer",
    "new_lead": "Lead officer",
    "text": "Update",
    "reason": "Reason",
    "name": "Name",
    "title": "Title",
    "workstream_title": "Workstream",
    "url": "Link",
    "username": "User name",
    "display_name": "Full name",
    "email": "Email",
}


@plans.before_request
def _fields() -> None:
    """Every value sent to these pages (form fields and the query) is refused with 400 if it
    holds a control character (NUL and the like; line breaks and tabs are for the library to
    judge by field), naming the field, before any view or the library sees it; the library
    checks every field again (ofsted_csc.domain.values)."""
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            bad = bad_character(value, multiline=True)
            if bad is not None:
                label = FIELD_LABELS.get(name) or xml_safe(name[:40])
                raise InvalidInput(
                    f"“{label}” holds a control character ({bad}); remove it and try again"
                )


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), status


@plans.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # private pages: never kept by a cache
    return response


# -- plans --


@plans.get("/plans")
@requires(None)  # the plans the user has a role for, and those shared with their groups
def plan_list() -> Any:
    actor = _actor()
    shared = plans_api.plan_list(_store(), actor=actor, shared=True)
    if actor.role is Role.NONE and not actor.memberships and not shared:
        abort(403, NO_ROLE_YET)  # nothing here for them until an admin gives them a role
    return _page(
        "plans.html",
        title="Improvement plans",
        plans=plans_api.plan_list(_store(), actor=actor),
        shared=shared,
    )


@plans.route("/plans/new", methods=["GET", "POST"])
@requires(Permission.EDIT)
def plan_new() -> Any:
    store = _store()
    errors: dict[str, str] = {}
    sha = request.values.get("source", "").strip()
    found = None
    if sha:
        try:
            found = plans_api.find_report(store, sha)
        except NotFound:
            errors["source"] = "No stored inspection or visit has this id"
    else:
        errors["source"] = "Choose an inspection or visit to start the plan from"
    if request.method == "POST" and not errors:
        received = _date("received", "The date the report was received", errors)
        if not errors:
            assert found is not None
            try:
                plan_id = plans_api.plan_create(
                    store,
                    _actor(),
                    [found.result.source.sha256],
                    title=_form("title") or None,
                    received=received,
                )
            except InvalidInput as exc:
                errors["title"] = exc.message
            else:
                return redirect(url_for("plans.plan_page", plan_id=plan_id))
    status = 400 if errors and request.method == "POST" else 200
    items = plans_api.report_items(found.result.record) if found is not None else []
    return _page(
        "plan_new.html",
        status,
        title="Start an improvement plan",
        found=found,
        items=items,
        errors=errors,
        form=request.form,
    )


@plans.get("/plans/<int:plan_id>")
@requires(Permission.BOARD)
def plan_page(plan_id: int) -> Any:
    return _plan_page(plan_id)


def _plan_page(plan_id: int, errors: dict[str, str] | None = None) -> Any:
    """The plan's page; with `errors`, a 400 showing them above the forms as typed."""
    store = _store()
    plan = plans_api.plan_get(store, plan_id, actor=_actor())
    items = []
    for src in plan.sources:
        try:
            record = plans_api.find_report(store, src.sha256).result.record
        except NotFound:  # the report has since been deleted from the store
            continue
        for section, position, text, _page_no in plans_api.report_items(record):
            label = f"{plans_api.SECTION_LABELS[section]} {position}: {text}"
            items.append((f"{src.sha256}|{section}|{position}", label))
    return _page(
        "plan.html",
        400 if errors else 200,
        title=plan.title,
        plan=plan,
        kinds=list(BoardKind),
        statuses=list(PlanStatus),
        users=users_api.user_list(store),
        items=items,
        errors=errors or {},
        form=request.form if errors else {},
    )


@plans.post("/plans/<int:plan_id>")
@requires(Permission.EDIT)
def plan_save(plan_id: int) -> Any:
    store = _store()
    errors: dict[str, str] = {}
    received = _date("received", "The date the report was received", errors)
    try:
        status = PlanStatus(_form("status"))
    except ValueError:
        errors["status"] = "Choose the plan's status"
        status = None
    try:
        version = int(_form("version"))
    except ValueError:
        abort(400)
    if not errors:
        try:
            plans_api.plan_update(
                store,
                _actor(),
                plan_id,
                version,
                title=_form("title"),
                received=received,
                status=status,
            )
            return redirect(url_for("plans.plan_page", plan_id=plan_id))
        except (InvalidInput, Conflict) as exc:
            errors["title"] = exc.message
    return _plan_page(plan_id, errors)


@plans.get("/plans/<int:plan_id>/plan.xlsx")
@requires(Permission.BOARD)
def plan_xlsx(plan_id: int) -> Any:
    plan = plans_api.plan_get(_store(), plan_id, actor=_actor())
    return attachment(plans_api.plan_to_xlsx(plan), f"plan-{plan_id}.xlsx", XLSX)


@plans.route("/plans/import", methods=["GET", "POST"])
@requires(Permission.EDIT)
def plan_import() -> Any:
    errors: dict[str, str] = {}
    if request.method == "POST":
        upload = request.files.get("workbook")
        if not isinstance(upload, FileStorage) or not upload.filename:
            errors["workbook"] = "Choose an XLSX workbook"
        else:
            data = upload.read(MAX_WORKBOOK_BYTES + 1)
            try:
                draft = plans_api.plan_from_xlsx(
                    data, upload.filename, council=_form("council") or None
                )
                plan_id = plans_api.plan_create_from(_store(), _actor(), draft)
                return redirect(url_for("plans.plan_page", plan_id=plan_id))
            except (InvalidInput, NotFound) as exc:
                errors["workbook"] = exc.message
    status = 400 if errors else 200
    return _page(
        "plan_import.html", status, title="Import a plan", errors=errors, form=request.form
    )


@plans.get("/plans/<int:plan_id>/history")
@requires(Permission.VIEW)
def plan_history(plan_id: int) -> Any:
    plan = plans_api.plan_get(_store(), plan_id, actor=_actor())
    events = plans_api.history(_store(), plan_id, actor=_actor())
    return _page(
        "plan_history.html",
        title=f"History of {plan.title}",
        plan=plan,
        events=list(reversed(events)),
    )


# -- actions --


def _action_page(plan_id: int, action_id: int, status: int = 200, **extra: Any) -> Any:
    plan, action = plans_api.action_get(_store(), action_id, actor=_actor())
    if plan.id != plan_id:
        abort(404)
    # a board member reads the action, not its history of changes (nor its evidence files)
    events = (
        plans_api.history(_store(), plan_id, entity="action", entity_id=action_id, actor=_actor())
        if _actor().can_in(plan.council_urn, Permission.VIEW)
        else []
    )
    return _page(
        "action.html",
        status,
        title=f"Action {action.ref}",
        plan=plan,
        action=action,
        statuses=list(Status),
        rags=list(Rag),
        users=users_api.user_list(_store()),
        events=list(reversed(events)),
        errors=extra.pop("errors", {}),
        form=extra.pop("form", {}),
        **extra,
    )


@plans.get("/plans/<int:plan_id>/actions/<int:action_id>")
@requires(Permission.BOARD)
def action_page(plan_id: int, action_id: int) -> Any:
    return _action_page(plan_id, action_id)


@plans.post("/plans/<int:plan_id>/actions/<int:action_id>")
@requires(Permission.EDIT)
def action_save(plan_id: int, action_id: int) -> Any:
    """One form, several kinds of change, by its `change` field."""
    store, actor = _store(), _actor()
    change = _form("change")
    errors: dict[str, str] = {}
    stale = False  # refused because someone saved the action since this form was loaded
    try:
        if change == "fields":
            start = _date("start", "The start date", errors)
            due = _date("due", "The due date", errors)
            try:
                percent = int(_form("percent") or "0")
            except ValueError:
                errors["percent"] = "Percent complete must be a whole number from 0 to 100"
                percent = 0
            try:
                status = Status(_form("status"))
            except ValueError:
                errors["status"] = "Choose a status"
                status = Status.NOT_STARTED
            if not errors:
                changes = {
                    "description": _form("description"),
                    "lead": _form("lead") or None,
                    "partner": _form("partner") or None,
                    "start_date": start,
                    "due_date": due,
                    "status": status,
                    "percent": percent,
                }
                plans_api.action_update(store, actor, action_id, int(_form("version")), changes)
        elif change == "override":
            rag = _form("rag")
            plans_api.rag_override_set(
                store,
                actor,
                action_id,
                int(_form("version")),
                Rag.parse(rag) if rag else None,
                _form("reason"),
            )
        elif change == "update":
            on = _date("on", "The date of the update", errors) or date.today()
            if not errors:
                plans_api.progress_add(store, actor, action_id, on, _form("text"))
        elif change == "measure":
            baseline = _number("baseline", "The baseline", errors)
            target = _number("target", "The target", errors)
            baseline_date = _date("baseline_date", "The baseline date", errors)
            target_date = _date("target_date", "The target date", errors)
            if baseline_date is None and "baseline_date" not in errors:
                errors["baseline_date"] = "Enter the baseline date"
            if target_date is None and "target_date" not in errors:
                errors["target_date"] = "Enter the target date"
            if not errors:
                assert baseline is not None and target is not None and baseline_date and target_date
                plans_api.measure_add(
                    store,
                    actor,
                    action_id,
                    _form("name"),
                    baseline=baseline,
                    baseline_date=baseline_date,
                    target=target,
                    target_date=target_date,
                )
        elif change == "reading":
            value = _number("value", "The value", errors)
            on = _date("reading_on", "The date of the value", errors) or date.today()
            if not errors:
                assert value is not None
                measure_id = parse_id("success measure", _form("measure"))
                plans_api.measure_record(store, actor, measure_id, value, on)
        elif change == "evidence":
            upload = request.files.get("file")
            if isinstance(upload, FileStorage) and upload.filename:
                data = upload.read(MAX_EVIDENCE_BYTES + 1)
                plans_api.evidence_add(
                    store,
                    actor,
                    action_id,
                    _form("title"),
                    file_name=upload.filename,
                    data=data,
                    content_type=upload.mimetype,
                )
            else:
                plans_api.evidence_add(
                    store, actor, action_id, _form("title"), url=_form("url") or None
                )
        else:
            abort(400)
    except PermissionDenied:
        abort(403)
    except (InvalidInput, Conflict) as exc:
        errors["form"] = exc.message
        stale = isinstance(exc, StaleEdit)
    except ValueError:
        errors["form"] = "The form was not complete: reload the page and try again"
    if errors:
        return _action_page(
            plan_id,
            action_id,
            409 if stale else 400,
            errors=errors,
            form=request.form,
            change=change,
        )
    return redirect(url_for("plans.action_page", plan_id=plan_id, action_id=action_id) + "#saved")


@plans.get("/evidence/<int:evidence_id>")
@requires(Permission.VIEW)
def evidence_download(evidence_id: int) -> Any:
    _, name, content_type, data = plans_api.evidence_file(_store(), evidence_id, actor=_actor())
    mimetype = "application/octet-stream" if content_type.startswith("text/html") else content_type
    return attachment(data, name, mimetype)


# -- boards, meetings and their reports --


@plans.post("/plans/<int:plan_id>/boards")
@requires(Permission.EDIT)
def board_add(plan_id: int) -> Any:
    try:
        kind = BoardKind(_form("kind"))
        plans_api.board_create(_store(), _actor(), plan_id, _form("name"), kind)
    except ValueError:
        return _plan_page(plan_id, {"board": "Choose the kind of board"})
    except InvalidInput as exc:
        return _plan_page(plan_id, {"board": exc.message})
    return redirect(url_for("plans.plan_page", plan_id=plan_id) + "#boards")


@plans.post("/plans/<int:plan_id>/boards/<int:board_id>/meetings")
@requires(Permission.EDIT)
def meeting_add(plan_id: int, board_id: int) -> Any:
    errors: dict[str, str] = {}
    on = _date("on", "The meeting date", errors)
    if on is None and not errors:
        errors["meeting"] = "Enter the meeting date"
    if errors:
        return _plan_page(plan_id, {"meeting": next(iter(errors.values()))})
    assert on is not None
    try:
        plans_api.meeting_add(_store(), _actor(), board_id, on)
    except InvalidInput as exc:
        return _plan_page(plan_id, {"meeting": exc.message})
    return redirect(url_for("plans.plan_page", plan_id=plan_id) + "#boards")


@plans.post("/plans/<int:plan_id>/workstreams")
@requires(Permission.EDIT)
def workstream_add(plan_id: int) -> Any:
    try:
        plans_api.workstream_add(_store(), _actor(), plan_id, _form("workstream_title"))
    except InvalidInput as exc:
        return _plan_page(plan_id, {"workstream_title": exc.message})
    return redirect(url_for("plans.plan_page", plan_id=plan_id) + "#add-action")


@plans.post("/plans/<int:plan_id>/actions")
@requires(Permission.EDIT)
def action_add(plan_id: int) -> Any:
    errors: dict[str, str] = {}
    start = _date("new_start", "The start date", errors)
    due = _date("new_due", "The due date", errors)
    plan = plans_api.plan_get(_store(), plan_id, actor=_actor())
    try:
        workstream_id = int(_form("workstream"))
    except ValueError:
        workstream_id = -1
    if workstream_id not in {w.id for w in plan.workstreams}:
        errors["workstream"] = "Choose a workstream (add one first if there is none)"
    links = []
    for value in request.form.getlist("answers"):
        sha, _, rest = value.partition("|")
        section, _, position = rest.partition("|")
        if not (position.isascii() and position.isdigit()) or len(position) > 9:
            errors["answers"] = "Choose what the action answers from the list"
            break
        links.append(plans_api.Link(sha, section, int(position)))
    if not errors:
        try:
            action_id = plans_api.action_create(
                _store(),
                _actor(),
                workstream_id,
                _form("new_description"),
                lead=_form("new_lead") or None,
                partner=_form("new_partner") or None,
                start=start,
                due=due,
                links=links,
            )
        except InvalidInput as exc:
            errors["new_description"] = exc.message
        else:
            return redirect(url_for("plans.action_page", plan_id=plan_id, action_id=action_id))
    return _plan_page(plan_id, errors)


def _meeting_report(plan_id: int, meeting_id: int) -> MeetingReport:
    report = plans_api.meeting_report(_store(), meeting_id, actor=_actor())
    if report.plan.id != plan_id:
        abort(404)
    return report


@plans.get("/plans/<int:plan_id>/meetings/<int:meeting_id>")
@requires(Permission.BOARD)
def meeting_report(plan_id: int, meeting_id: int) -> Any:
    report = _meeting_report(plan_id, meeting_id)
    return _page(
        "meeting_report.html",
        title=report.title,
        report=report,
        plan=report.plan,
        progress=report.progress,
        measure_line=plans_api.measure_line,
        change_line=plans_api.change_line,
    )


@plans.get("/plans/<int:plan_id>/meetings/<int:meeting_id>/report.<fmt>")
@requires(Permission.BOARD)
def meeting_report_file(plan_id: int, meeting_id: int, fmt: str) -> Any:
    report = _meeting_report(plan_id, meeting_id)
    name = f"progress-report-{report.meeting.on.isoformat()}"
    if fmt == "docx":
        return attachment(plans_api.report_docx(report), f"{name}.docx", DOCX)
    if fmt == "html":
        return attachment(plans_api.report_html(report), f"{name}.html", "text/html")
    abort(404)


# -- users --


@plans.route("/users", methods=["GET", "POST"])
@requires(Permission.ADMIN)
def users() -> Any:
    store = _store()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            role = Role(_form("role"))
        except ValueError:
            errors["role"] = "Choose a role"
        password = request.form.get("password", "")
        if not errors:
            try:
                users_api.user_create(
                    store,
                    _actor(),
                    _form("username"),
                    display_name=_form("display_name") or None,
                    role=role,
                    password=password or None,
                    email=_form("email") or None,
                )
                return redirect(url_for("plans.users"))
            except InvalidInput as exc:
                errors["username"] = exc.message
    status = 400 if errors else 200
    return _page(
        "users.html",
        status,
        title="Users",
        users=users_api.user_list(store),
        roles=list(Role),
        errors=errors,
        form=request.form,
    )


@plans.post("/users/<username>")
@requires(Permission.ADMIN)
def user_save(username: str) -> Any:
    store = _store()
    try:
        role = Role(_form("role"))
    except ValueError:
        abort(400)
    try:
        users_api.user_update(store, _actor(), username, role=role, active=_form("active") == "yes")
    except InvalidInput as exc:
        users_list = users_api.user_list(store)
        return _page(
            "users.html",
            400,
            title="Users",
            users=users_list,
            roles=list(Role),
            errors={"username": exc.message},
            form={},
        )
    return redirect(url_for("plans.users"))
