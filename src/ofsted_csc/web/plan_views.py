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
    abort,
    redirect,
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
from ofsted_csc.domain.values import parse_id, parse_number
from ofsted_csc.plans.rules import OWN_ROLES, BoardKind, Permission, PlanStatus, Rag, Role, Status
from ofsted_csc.web.auth import NO_ROLE_YET, requires
from ofsted_csc.web.downloads import XLSX, attachment
from ofsted_csc.web.forms import (
    acting,
    form_text,
    private_blueprint,
    render,
    web_store,
)

if TYPE_CHECKING:
    from ofsted_csc.api.plans import MeetingReport

plans = private_blueprint("plans", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(name: str, label: str, errors: dict[str, str]) -> date | None:
    text = form_text(name)
    if not text:
        return None
    try:
        return plans_api.parse_date(text)
    except ValueError:
        errors[name] = f"{label} must be a real date, like 31/3/2027"
        return None


def _number(name: str, label: str, errors: dict[str, str]) -> float | None:
    text = form_text(name)
    if not text:
        errors[name] = f"Enter {label.lower()}"
        return None
    try:
        return parse_number(label.lower().removeprefix("the "), text)
    except InvalidInput:
        errors[name] = f"{label} must be a number, like 12 or 3.5"
        return None


# -- plans --


@plans.get("/plans")
@requires(None)  # the plans the user has a role for, and those shared with their groups
def plan_list() -> Any:
    actor = acting()
    shared = plans_api.plan_list(web_store(), actor=actor, shared=True)
    if actor.role is Role.NONE and not actor.memberships and not shared:
        abort(403, NO_ROLE_YET)  # nothing here for them until an admin gives them a role
    return render(
        "plans.html",
        title="Improvement plans",
        plans=plans_api.plan_list(web_store(), actor=actor),
        shared=shared,
    )


@plans.route("/plans/new", methods=["GET", "POST"])
@requires(Permission.EDIT)
def plan_new() -> Any:
    store = web_store()
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
                    acting(),
                    [found.result.source.sha256],
                    title=form_text("title") or None,
                    received=received,
                )
            except InvalidInput as exc:
                errors["title"] = exc.message
            else:
                return redirect(url_for("plans.plan_page", plan_id=plan_id))
    status = 400 if errors and request.method == "POST" else 200
    items = plans_api.report_items(found.result.record) if found is not None else []
    return render(
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
    store = web_store()
    plan = plans_api.plan_get(store, plan_id, actor=acting())
    items = []
    for src in plan.sources:
        try:
            record = plans_api.find_report(store, src.sha256).result.record
        except NotFound:  # the report has since been deleted from the store
            continue
        for section, position, text, _page_no in plans_api.report_items(record):
            label = f"{plans_api.SECTION_LABELS[section]} {position}: {text}"
            items.append((f"{src.sha256}|{section}|{position}", label))
    return render(
        "plan.html",
        400 if errors else 200,
        title=plan.title,
        plan=plan,
        kinds=list(BoardKind),
        statuses=list(PlanStatus),
        users=users_api.lead_candidates(store, plan.council_urn),
        items=items,
        errors=errors or {},
        form=request.form if errors else {},
    )


@plans.post("/plans/<int:plan_id>")
@requires(Permission.EDIT)
def plan_save(plan_id: int) -> Any:
    store = web_store()
    errors: dict[str, str] = {}
    received = _date("received", "The date the report was received", errors)
    try:
        status = PlanStatus(form_text("status"))
    except ValueError:
        errors["status"] = "Choose the plan's status"
        status = None
    try:
        version = int(form_text("version"))
    except ValueError:
        abort(400)
    if not errors:
        try:
            plans_api.plan_update(
                store,
                acting(),
                plan_id,
                version,
                title=form_text("title"),
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
    plan = plans_api.plan_get(web_store(), plan_id, actor=acting())
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
                    data, upload.filename, council=form_text("council") or None
                )
                plan_id = plans_api.plan_create_from(web_store(), acting(), draft)
                return redirect(url_for("plans.plan_page", plan_id=plan_id))
            except (InvalidInput, NotFound) as exc:
                errors["workbook"] = exc.message
    status = 400 if errors else 200
    return render(
        "plan_import.html", status, title="Import a plan", errors=errors, form=request.form
    )


@plans.get("/plans/<int:plan_id>/history")
@requires(Permission.VIEW)
def plan_history(plan_id: int) -> Any:
    plan = plans_api.plan_get(web_store(), plan_id, actor=acting())
    events = plans_api.history(web_store(), plan_id, actor=acting())
    return render(
        "plan_history.html",
        title=f"History of {plan.title}",
        plan=plan,
        events=list(reversed(events)),
    )


# -- actions --


def _action_page(plan_id: int, action_id: int, status: int = 200, **extra: Any) -> Any:
    plan, action = plans_api.action_get(web_store(), action_id, actor=acting())
    if plan.id != plan_id:
        abort(404)
    # a board member reads the action, not its history of changes (nor its evidence files)
    events = (
        plans_api.history(
            web_store(), plan_id, entity="action", entity_id=action_id, actor=acting()
        )
        if acting().can_in(plan.council_urn, Permission.VIEW)
        else []
    )
    return render(
        "action.html",
        status,
        title=f"Action {action.ref}",
        plan=plan,
        action=action,
        statuses=list(Status),
        rags=list(Rag),
        users=users_api.lead_candidates(
            web_store(), plan.council_urn, action.lead.username if action.lead else None
        ),
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
    store, actor = web_store(), acting()
    change = form_text("change")
    errors: dict[str, str] = {}
    stale = False  # refused because someone saved the action since this form was loaded
    try:
        if change == "fields":
            start = _date("start", "The start date", errors)
            due = _date("due", "The due date", errors)
            try:
                percent = int(form_text("percent") or "0")
            except ValueError:
                errors["percent"] = "Percent complete must be a whole number from 0 to 100"
                percent = 0
            try:
                status = Status(form_text("status"))
            except ValueError:
                errors["status"] = "Choose a status"
                status = Status.NOT_STARTED
            if not errors:
                changes = {
                    "description": form_text("description"),
                    "lead": form_text("lead") or None,
                    "partner": form_text("partner") or None,
                    "start_date": start,
                    "due_date": due,
                    "status": status,
                    "percent": percent,
                }
                plans_api.action_update(store, actor, action_id, int(form_text("version")), changes)
        elif change == "override":
            rag = form_text("rag")
            plans_api.rag_override_set(
                store,
                actor,
                action_id,
                int(form_text("version")),
                Rag.parse(rag) if rag else None,
                form_text("reason"),
            )
        elif change == "update":
            on = _date("on", "The date of the update", errors) or date.today()
            if not errors:
                plans_api.progress_add(store, actor, action_id, on, form_text("text"))
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
                    form_text("name"),
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
                measure_id = parse_id("success measure", form_text("measure"))
                plans_api.measure_record(store, actor, measure_id, value, on)
        elif change == "evidence":
            upload = request.files.get("file")
            if isinstance(upload, FileStorage) and upload.filename:
                data = upload.read(MAX_EVIDENCE_BYTES + 1)
                plans_api.evidence_add(
                    store,
                    actor,
                    action_id,
                    form_text("title"),
                    file_name=upload.filename,
                    data=data,
                    content_type=upload.mimetype,
                )
            else:
                plans_api.evidence_add(
                    store, actor, action_id, form_text("title"), url=form_text("url") or None
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
    _, name, content_type, data = plans_api.evidence_file(web_store(), evidence_id, actor=acting())
    mimetype = "application/octet-stream" if content_type.startswith("text/html") else content_type
    return attachment(data, name, mimetype)


# -- boards, meetings and their reports --


@plans.post("/plans/<int:plan_id>/boards")
@requires(Permission.EDIT)
def board_add(plan_id: int) -> Any:
    try:
        kind = BoardKind(form_text("kind"))
        plans_api.board_create(web_store(), acting(), plan_id, form_text("name"), kind)
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
        plans_api.meeting_add(web_store(), acting(), board_id, on)
    except InvalidInput as exc:
        return _plan_page(plan_id, {"meeting": exc.message})
    return redirect(url_for("plans.plan_page", plan_id=plan_id) + "#boards")


@plans.post("/plans/<int:plan_id>/workstreams")
@requires(Permission.EDIT)
def workstream_add(plan_id: int) -> Any:
    try:
        plans_api.workstream_add(web_store(), acting(), plan_id, form_text("workstream_title"))
    except InvalidInput as exc:
        return _plan_page(plan_id, {"workstream_title": exc.message})
    return redirect(url_for("plans.plan_page", plan_id=plan_id) + "#add-action")


@plans.post("/plans/<int:plan_id>/actions")
@requires(Permission.EDIT)
def action_add(plan_id: int) -> Any:
    errors: dict[str, str] = {}
    start = _date("new_start", "The start date", errors)
    due = _date("new_due", "The due date", errors)
    plan = plans_api.plan_get(web_store(), plan_id, actor=acting())
    try:
        workstream_id = int(form_text("workstream"))
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
                web_store(),
                acting(),
                workstream_id,
                form_text("new_description"),
                lead=form_text("new_lead") or None,
                partner=form_text("new_partner") or None,
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
    report = plans_api.meeting_report(web_store(), meeting_id, actor=acting())
    if report.plan.id != plan_id:
        abort(404)
    return report


@plans.get("/plans/<int:plan_id>/meetings/<int:meeting_id>")
@requires(Permission.BOARD)
def meeting_report(plan_id: int, meeting_id: int) -> Any:
    report = _meeting_report(plan_id, meeting_id)
    return render(
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
    store = web_store()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            role = Role(form_text("role"))
        except ValueError:
            errors["role"] = "Choose a role"
        password = request.form.get("password", "")
        if not errors:
            try:
                users_api.user_create(
                    store,
                    acting(),
                    form_text("username"),
                    display_name=form_text("display_name") or None,
                    role=role,
                    password=password or None,
                    email=form_text("email") or None,
                )
                return redirect(url_for("plans.users"))
            except InvalidInput as exc:
                errors["username"] = exc.message
    status = 400 if errors else 200
    return render(
        "users.html",
        status,
        title="Users",
        users=users_api.user_list(store),
        roles=list(OWN_ROLES),
        errors=errors,
        form=request.form,
    )


@plans.post("/users/<username>")
@requires(Permission.ADMIN)
def user_save(username: str) -> Any:
    store = web_store()
    try:
        role = Role(form_text("role"))
    except ValueError:
        abort(400)
    try:
        users_api.user_update(
            store, acting(), username, role=role, active=form_text("active") == "yes"
        )
    except InvalidInput as exc:
        users_list = users_api.user_list(store)
        return render(
            "users.html",
            400,
            title="Users",
            users=users_list,
            roles=list(OWN_ROLES),
            errors={"username": exc.message},
            form={},
        )
    return redirect(url_for("plans.users"))
