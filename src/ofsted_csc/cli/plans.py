"""CLI commands for improvement plans and users (`ofsted-csc plan ...`, `ofsted-csc user ...`).

Changes are made as the user named by --as (or $OFSTED_CSC_USER) and recorded in the audit
trail under that name. Access to the database is access to the plans: the CLI does not ask
for a password (the web app does).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ofsted_csc.cli.common import (
    ACTION_STATUSES,
    BOARD_KINDS,
    DATE,
    PLAN_STATUSES,
    USER_ROLES,
    Context,
    pass_context,
)
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.limits import MAX_EVIDENCE_BYTES, MAX_WORKBOOK_BYTES, too_large

if TYPE_CHECKING:
    from ofsted_csc.api.plans import AuditEvent, Link
    from ofsted_csc.api.users import User


def _actor(obj: Context) -> User:
    from ofsted_csc.api import users as users_api

    return users_api.acting_user(obj.store, obj.as_user)


def _reader(obj: Context) -> User:
    """Who plans are read as: the user named by --as, else the store's operator (who may read
    only a store without council memberships)."""
    from ofsted_csc.api import users as users_api

    return users_api.acting_reader(obj.store, obj.as_user)


def _password(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    return sys.stdin.readline().rstrip("\n")


# -- users --


@click.group()
def user() -> None:
    """People: who may sign in to the web app, with which role, and who can lead actions."""


@user.command("add")
@click.argument("username")
@click.option("--name", "display_name", help="Full name as shown in plans and reports.")
@click.option("--email")
@click.option("--role", type=click.Choice(USER_ROLES), default="viewer", show_default=True)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read a password (12+ characters) from stdin; without one the user cannot sign in "
    "(a lead officer who does not use the web app).",
)
@pass_context
def user_add(
    obj: Context,
    username: str,
    display_name: str | None,
    email: str | None,
    role: str,
    password_stdin: bool,
) -> None:
    """Add a user. The first user needs no --as and must be an admin."""
    from ofsted_csc.api import users as users_api
    from ofsted_csc.plans.rules import Role

    store = obj.store
    actor = _actor(obj) if users_api.user_list(store) else None
    made = users_api.user_create(
        store,
        actor,
        username,
        display_name=display_name,
        role=Role(role),
        password=_password(password_stdin),
        email=email,
    )
    click.echo(f"Added {made.username} ({made.display_name}), {made.role.value}.")


@user.command("set")
@click.argument("username")
@click.option("--role", type=click.Choice(USER_ROLES))
@click.option("--name", "display_name")
@click.option("--active/--inactive", default=None, help="Allow or stop signing in.")
@click.option("--password-stdin", is_flag=True, help="Read a new password from stdin.")
@pass_context
def user_set(
    obj: Context,
    username: str,
    role: str | None,
    display_name: str | None,
    active: bool | None,
    password_stdin: bool,
) -> None:
    """Change a user's role, name, password or whether they may sign in."""
    from ofsted_csc.api import users as users_api
    from ofsted_csc.plans.rules import Role

    changed = users_api.user_update(
        obj.store,
        _actor(obj),
        username,
        role=Role(role) if role else None,
        active=active,
        password=_password(password_stdin),
        display_name=display_name,
    )
    click.echo(
        f"{changed.username}: {changed.role.value}, {'active' if changed.active else 'inactive'}."
    )


@user.command("list")
@pass_context
def user_list(obj: Context) -> None:
    """Every user, with role and whether they can sign in."""
    from ofsted_csc.api import users as users_api

    for u in users_api.user_list(obj.store):
        sign_in = "can sign in" if u.can_sign_in else "no password"
        state = "" if u.active else ", inactive"
        click.echo(f"{u.username:<20} {u.role.value:<7} {u.display_name} ({sign_in}{state})")


@user.group("token")
def token() -> None:
    """Personal access tokens for the JSON API (Authorization: Bearer TOKEN), of the user
    named by --as: shown once when made, kept only as a hash, read or read-write, expiring
    and revocable."""


@token.command("add")
@click.option("--name", default="", help="What the token is for, to tell tokens apart.")
@click.option(
    "--scope",
    type=click.Choice(["read", "read-write"]),
    default="read",
    show_default=True,
    help="read-write lets the token add documents (POST /api/ingest); it needs an editor.",
)
@click.option(
    "--days",
    type=int,
    default=90,
    show_default=True,
    help="Days until the token expires (1 to 366).",
)
@pass_context
def token_add(obj: Context, name: str, scope: str, days: int) -> None:
    """Make a token for the acting user and print it: it is not shown again."""
    from ofsted_csc.api import users as users_api

    new = users_api.token_create(
        obj.store, _actor(obj), name=name, scope=users_api.TokenScope(scope), days=days
    )
    t = new.token
    click.echo(new.secret)
    click.echo(
        f"Token {t.id} ({t.name}) for {t.username}, {t.scope.value}, expires "
        f"{t.expires_at:%Y-%m-%d %H:%M} UTC. Keep it now: it is not shown again.",
        err=True,
    )


@token.command("list")
@click.option("--all", "everyone", is_flag=True, help="Every user's tokens (admins only).")
@pass_context
def token_list(obj: Context, everyone: bool) -> None:
    """The acting user's tokens (never the tokens themselves): id, start, scope, state."""
    from ofsted_csc.api import users as users_api

    tokens = users_api.token_list(obj.store, _actor(obj), everyone=everyone)
    if not tokens:
        click.echo("No tokens.")
    for t in tokens:
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
        click.echo(
            f"{t.id:<5} {t.prefix}… {t.username:<12} {t.scope.value:<10} {t.state():<8} "
            f"expires {t.expires_at:%Y-%m-%d}, last used {used}  {t.name}"
        )


@token.command("revoke")
@click.argument("token_id", type=int)
@pass_context
def token_revoke(obj: Context, token_id: int) -> None:
    """Revoke a token by its id (`token list`): your own, or anyone's as an admin."""
    from ofsted_csc.api import users as users_api

    t = users_api.token_revoke(obj.store, _actor(obj), token_id)
    click.echo(f"Token {t.id} ({t.name}) of {t.username} is revoked.")


@user.command("member")
@click.argument("username")
@click.argument("council")
@click.argument("role", type=click.Choice(["board", "viewer", "editor", "admin", "none"]))
@pass_context
def user_member(obj: Context, username: str, council: str, role: str) -> None:
    """Give USERNAME a ROLE in COUNCIL (name, LA code or URN): viewer, editor or admin of that
    council's plans, or board (a board member: reads its plans and board reports only); none
    takes their role there away. A service admin or the council's admin may."""
    from ofsted_csc.api import users as users_api

    if role == "none":
        users_api.membership_remove(obj.store, _actor(obj), username, council)
        click.echo(f"{username} has no role in {council} now.")
        return
    m = users_api.membership_set(obj.store, _actor(obj), username, council, role)
    role_name = m.role.label.lower()
    article = "an" if role_name[:1] in "aeiou" else "a"
    click.echo(f"{m.username} is {article} {role_name} of {m.council_name} ({m.council_urn}).")


@user.command("members")
@click.argument("council", required=False)
@pass_context
def user_members(obj: Context, council: str | None) -> None:
    """The members of COUNCIL (its admins may list them), or every membership (service
    admins)."""
    from ofsted_csc.api import users as users_api

    found = users_api.memberships(obj.store, _actor(obj), council)
    if not found:
        click.echo("No memberships.")
    for m in found:
        click.echo(f"{m.council_name} ({m.council_urn})  {m.username:<16} {m.role.label}")


@user.command("share")
@click.argument("council")
@click.option("--on/--off", "shared", default=True, help="Share (default) or stop sharing.")
@pass_context
def user_share(obj: Context, council: str, shared: bool) -> None:
    """Whether COUNCIL shares its plans' summaries (RAG counts, overdue actions, deadlines)
    with the groups it belongs to: its admin decides."""
    from ofsted_csc.api import users as users_api

    users_api.sharing_set(obj.store, _actor(obj), council, shared)
    click.echo(f"{council} {'shares' if shared else 'does not share'} its plans' summaries.")


@user.command("group")
@click.argument("name")
@click.option("--council", "councils", multiple=True, help="A council to add (repeat).")
@click.option("--member", "members", multiple=True, help="A user to add (repeat).")
@click.option("--remove-council", "gone_councils", multiple=True, help="A council to take out.")
@click.option("--remove-member", "gone_members", multiple=True, help="A user to take out.")
@pass_context
def user_group(
    obj: Context,
    name: str,
    councils: tuple[str, ...],
    members: tuple[str, ...],
    gone_councils: tuple[str, ...],
    gone_members: tuple[str, ...],
) -> None:
    """Make the group NAME (a region or alliance of councils) if there is none, and add
    councils and members to it or take them out (service admins)."""
    from ofsted_csc.api import users as users_api
    from ofsted_csc.domain.errors import NotFound

    actor = _actor(obj)
    try:
        group = users_api.group_add(obj.store, actor, name, councils=councils, users=members)
    except NotFound:
        users_api.group_create(obj.store, actor, name)
        group = users_api.group_add(obj.store, actor, name, councils=councils, users=members)
    if gone_councils or gone_members:
        group = users_api.group_remove(
            obj.store, actor, name, councils=gone_councils, users=gone_members
        )
    click.echo(
        f"{group.name}: councils {', '.join(group.councils) or 'none'}; members "
        f"{', '.join(group.members) or 'none'}."
    )


# -- plans --


@click.group()
def plan() -> None:
    """Improvement plans: actions, measures, evidence, boards, reports and history."""


@plan.command("new")
@click.argument("sources", nargs=-1)
@click.option("--council", help="Council (name, LA code or URN), when no report is given.")
@click.option("--title")
@click.option(
    "--received",
    type=DATE,
    help="When the council received the report (default: its publication or letter date).",
)
@click.option("--empty", is_flag=True, help="Do not draft one action per recommendation.")
@pass_context
def plan_new(
    obj: Context,
    sources: tuple[str, ...],
    council: str | None,
    title: str | None,
    received: date | None,
    empty: bool,
) -> None:
    """A plan answering stored inspections or visits (file names or sha256), drafted with one
    action per recommendation, area for priority action and area for improvement."""
    from ofsted_csc.api import plans as plans_api

    plan_id = plans_api.plan_create(
        obj.store,
        _actor(obj),
        list(sources),
        title=title,
        received=received,
        draft_actions=not empty,
        council=council,
    )
    view = plans_api.plan_get(obj.store, plan_id, actor=_reader(obj))
    click.echo(f"Plan {plan_id}: {view.title}, {len(view.actions)} draft actions.")
    for d in view.deadlines:
        click.echo(f"  {d.name}: due {d.due:%-d %B %Y}")


@plan.command("list")
@click.option("--council", help="Only this council's plans.")
@pass_context
def plan_list(obj: Context, council: str | None) -> None:
    """Plans, newest first, with their actions' RAG counts."""
    from ofsted_csc.api import plans as plans_api
    from ofsted_csc.domain.councils import load_registry

    urn = load_registry().lookup(council).urn if council else None
    for p in plans_api.plan_list(obj.store, urn, actor=_reader(obj)):
        counts = " ".join(f"{r.label[0]}{n}" for r, n in p.rag_counts.items())
        click.echo(f"{p.id:>4}  {p.status.label:<9} {p.title}  ({p.actions} actions: {counts})")


@plan.command("show")
@click.argument("plan_id", type=int)
@click.option("--on", "on", type=DATE, help="RAG as at this date (default today).")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def plan_show(obj: Context, plan_id: int, on: date | None, as_json: bool) -> None:
    """A plan's actions with lead, due date, status and RAG (and why)."""
    from ofsted_csc.api import plans as plans_api

    view = plans_api.plan_get(obj.store, plan_id, on, actor=_reader(obj))
    if as_json:
        click.echo(json.dumps(plans_api.plan_json(view), default=str, indent=2, ensure_ascii=False))
        return
    click.echo(f"Plan {view.id}: {view.title} ({view.status.label}), as at {view.on:%-d %B %Y}")
    for d in view.deadlines:
        click.echo(f"  {d.name}: due {d.due:%-d %B %Y} ({d.state})")
    for ws in view.workstreams:
        click.echo(f"\n{ws.position}. {ws.title}")
        for a in ws.actions:
            lead = a.lead.display_name if a.lead else "no lead"
            due = f"due {a.due:%-d %b %Y}" if a.due else "no due date"
            override = " (override)" if a.override is not None else ""
            click.echo(
                f"  {a.ref} [id {a.id}] {a.rag.label}{override} · {a.status.label} {a.percent}% · {lead} · {due}"
            )
            click.echo(f"      {a.description[:150]}")
            click.echo(f"      why: {'; '.join(a.computed.reasons)}")


@plan.command("workstream")
@click.argument("plan_id", type=int)
@click.argument("title")
@pass_context
def plan_workstream(obj: Context, plan_id: int, title: str) -> None:
    """Add a workstream (a priority) to a plan."""
    from ofsted_csc.api import plans as plans_api

    ws_id = plans_api.workstream_add(obj.store, _actor(obj), plan_id, title)
    click.echo(f"Workstream {ws_id}: {title}.")


def _link(text: str) -> Link:
    from ofsted_csc.api import plans as plans_api

    parts = text.split(":")
    sections = set(plans_api.SECTION_LABELS)
    if len(parts) != 3 or parts[1] not in sections or not parts[2].isdigit():
        raise InvalidInput(
            f"--answers {text!r}: give FILE:SECTION:N, SECTION one of {', '.join(sorted(sections))}"
        )
    return plans_api.Link(parts[0], parts[1], int(parts[2]))


@plan.command("add-action")
@click.argument("workstream_id", type=int)
@click.argument("description")
@click.option("--lead", help="User name of the lead officer.")
@click.option("--partner")
@click.option("--start", type=DATE)
@click.option("--due", type=DATE)
@click.option(
    "--answers",
    multiple=True,
    metavar="FILE:SECTION:N",
    help="What it answers, e.g. 50276975.pdf:recommendation:3 (repeatable).",
)
@pass_context
def plan_add_action(
    obj: Context,
    workstream_id: int,
    description: str,
    lead: str | None,
    partner: str | None,
    start: date | None,
    due: date | None,
    answers: tuple[str, ...],
) -> None:
    """Add an action to a workstream."""
    from ofsted_csc.api import plans as plans_api

    links = []
    for text in answers:
        link = _link(text)
        sha = plans_api.find_report(obj.store, link.sha256).result.source.sha256
        links.append(plans_api.Link(sha, link.section, link.position))
    action_id = plans_api.action_create(
        obj.store,
        _actor(obj),
        workstream_id,
        description,
        lead=lead,
        partner=partner,
        start=start,
        due=due,
        links=links,
    )
    click.echo(f"Action {action_id} added.")


@plan.command("action")
@click.argument("action_id", type=int)
@click.option("--description")
@click.option("--lead", help="User name of the lead officer.")
@click.option("--partner")
@click.option("--start", type=DATE)
@click.option("--due", type=DATE)
@click.option("--status", type=click.Choice(ACTION_STATUSES))
@click.option("--percent", type=click.IntRange(0, 100))
@click.option(
    "--version", "expected", type=int, help="Refuse if the action changed since this version."
)
@pass_context
def plan_action(obj: Context, /, action_id: int, expected: int | None, **fields: Any) -> None:
    """Change an action's fields."""
    from ofsted_csc.api import plans as plans_api
    from ofsted_csc.plans.rules import Status

    names = {"start": "start_date", "due": "due_date"}
    changes: dict[str, Any] = {names.get(k, k): v for k, v in fields.items() if v is not None}
    if "status" in changes:
        changes["status"] = Status(changes["status"])
    if not changes:
        raise InvalidInput("nothing to change: give --lead, --due, --status, ...")
    actor = _actor(obj)
    if expected is None:
        expected = plans_api.action_get(obj.store, action_id, actor=_reader(obj))[1].version
    version = plans_api.action_update(obj.store, actor, action_id, expected, changes)
    _, a = plans_api.action_get(obj.store, action_id, actor=_reader(obj))
    click.echo(f"Action {a.ref} saved (version {version}): {a.status.label}, {a.rag.label}.")


@plan.command("override")
@click.argument("action_id", type=int)
@click.argument("rag", type=click.Choice(["red", "amber", "green", "blue", "none"]))
@click.option("--reason", help="Why the RAG by the rule is not right (required).")
@pass_context
def plan_override(obj: Context, action_id: int, rag: str, reason: str | None) -> None:
    """Override an action's RAG with a reason, or clear the override (none)."""
    from ofsted_csc.api import plans as plans_api
    from ofsted_csc.plans.rules import Rag

    actor = _actor(obj)
    version = plans_api.action_get(obj.store, action_id, actor=_reader(obj))[1].version
    plans_api.rag_override_set(
        obj.store, actor, action_id, version, None if rag == "none" else Rag.parse(rag), reason
    )
    click.echo(f"Action {action_id}: RAG {'override cleared' if rag == 'none' else rag}.")


@plan.command("update")
@click.argument("action_id", type=int)
@click.argument("text")
@click.option("--on", "on", type=DATE, help="Date of the update (default today).")
@pass_context
def plan_update(obj: Context, action_id: int, text: str, on: date | None) -> None:
    """Add a dated progress update to an action."""
    from ofsted_csc.api import plans as plans_api

    plans_api.progress_add(obj.store, _actor(obj), action_id, on or date.today(), text)
    click.echo(f"Update added to action {action_id}.")


@plan.command("measure")
@click.argument("action_id", type=int)
@click.argument("name")
@click.option("--baseline", type=float, required=True)
@click.option("--baseline-date", type=DATE, required=True)
@click.option("--target", type=float, required=True)
@click.option("--target-date", type=DATE, required=True)
@pass_context
def plan_measure(
    obj: Context,
    action_id: int,
    name: str,
    baseline: float,
    baseline_date: date,
    target: float,
    target_date: date,
) -> None:
    """Add a success measure to an action."""
    from ofsted_csc.api import plans as plans_api

    mid = plans_api.measure_add(
        obj.store,
        _actor(obj),
        action_id,
        name,
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        target_date=target_date,
    )
    click.echo(f"Measure {mid} added.")


@plan.command("reading")
@click.argument("measure_id", type=int)
@click.argument("value", type=float)
@click.option("--on", "on", type=DATE, help="Date of the value (default today).")
@pass_context
def plan_reading(obj: Context, measure_id: int, value: float, on: date | None) -> None:
    """Record a measure's current value."""
    from ofsted_csc.api import plans as plans_api

    plans_api.measure_record(obj.store, _actor(obj), measure_id, value, on or date.today())
    click.echo(f"Measure {measure_id}: {value:g} recorded.")


@plan.command("evidence")
@click.argument("action_id", type=int)
@click.argument("title")
@click.option("--url")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def plan_evidence(
    obj: Context, action_id: int, title: str, url: str | None, file: Path | None
) -> None:
    """Add evidence to an action: a link or a file (up to 10 MB)."""
    from ofsted_csc.api import plans as plans_api

    size = file.stat().st_size if file is not None else 0
    if size > MAX_EVIDENCE_BYTES:
        raise InvalidInput(f"{file}: {too_large(size, MAX_EVIDENCE_BYTES, 'evidence files')}")
    data = file.read_bytes() if file is not None else None
    plans_api.evidence_add(
        obj.store,
        _actor(obj),
        action_id,
        title,
        url=url,
        file_name=file.name if file else None,
        data=data,
    )
    click.echo(f"Evidence added to action {action_id}.")


@plan.command("board")
@click.argument("plan_id", type=int)
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(BOARD_KINDS),
    default="improvement_board",
    show_default=True,
)
@pass_context
def plan_board(obj: Context, plan_id: int, name: str, kind: str) -> None:
    """Add a board (improvement board, scrutiny, cabinet) the plan reports to."""
    from ofsted_csc.api import plans as plans_api
    from ofsted_csc.plans.rules import BoardKind

    bid = plans_api.board_create(obj.store, _actor(obj), plan_id, name, BoardKind(kind))
    click.echo(f"Board {bid}: {name}.")


@plan.command("meeting")
@click.argument("board_id", type=int)
@click.argument("on", type=DATE)
@pass_context
def plan_meeting(obj: Context, board_id: int, on: date) -> None:
    """Add a meeting date to a board."""
    from ofsted_csc.api import plans as plans_api

    mid = plans_api.meeting_add(obj.store, _actor(obj), board_id, on)
    click.echo(f"Meeting {mid} on {on:%-d %B %Y}.")


@plan.command("status")
@click.argument("plan_id", type=int)
@click.argument("status", type=click.Choice(PLAN_STATUSES))
@pass_context
def plan_status(obj: Context, plan_id: int, status: str) -> None:
    """Set a plan's status (draft, submitted to Ofsted, active, closed)."""
    from ofsted_csc.api import plans as plans_api
    from ofsted_csc.plans.rules import PlanStatus

    view = plans_api.plan_get(obj.store, plan_id, actor=_reader(obj))
    plans_api.plan_update(obj.store, _actor(obj), plan_id, view.version, status=PlanStatus(status))
    click.echo(f"Plan {plan_id}: {status}.")


@plan.command("report")
@click.argument("meeting_id", type=int)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), required=True, help="A .docx or .html file."
)
@pass_context
def plan_report_cmd(obj: Context, meeting_id: int, output: Path) -> None:
    """The progress report for a board meeting, as Word (.docx) or HTML (.html)."""
    from ofsted_csc.api import plans as plans_api

    suffix = output.suffix.lower()
    if suffix not in (".docx", ".html"):
        raise InvalidInput(f"{output}: give a .docx or .html file name")
    report = plans_api.meeting_report(obj.store, meeting_id, actor=_reader(obj))
    if suffix == ".docx":
        output.write_bytes(plans_api.report_docx(report))
    else:
        output.write_text(plans_api.report_html(report), encoding="utf-8")
    click.echo(f"Wrote {output}: {report.title}.")


@plan.command("export")
@click.argument("plan_id", type=int)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), required=True, help="An .xlsx file."
)
@click.option("--on", "on", type=DATE, help="RAG as at this date (default today).")
@pass_context
def plan_export(obj: Context, plan_id: int, output: Path, on: date | None) -> None:
    """A plan as an XLSX workbook, one row per action."""
    from ofsted_csc.api import plans as plans_api

    output.write_bytes(
        plans_api.plan_to_xlsx(plans_api.plan_get(obj.store, plan_id, on, actor=_reader(obj)))
    )
    click.echo(f"Wrote {output}.")


@plan.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--council", help="Council, if the workbook has no Plan sheet.")
@click.option("--title")
@pass_context
def plan_import(obj: Context, file: Path, council: str | None, title: str | None) -> None:
    """Make a plan from an XLSX workbook (ours, or a council's with an Actions sheet)."""
    from ofsted_csc.api import plans as plans_api

    size = file.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise InvalidInput(f"{file}: {too_large(size, MAX_WORKBOOK_BYTES, 'a plan workbook')}")
    draft = plans_api.plan_from_xlsx(file.read_bytes(), file.name, council=council, title=title)
    plan_id = plans_api.plan_create_from(obj.store, _actor(obj), draft)
    n = sum(len(w.actions) for w in draft.workstreams)
    click.echo(f"Plan {plan_id}: {draft.title}, {n} actions imported from {file.name}.")
    for note in draft.notes:  # how a council's cells were read (also in `plan history`)
        click.echo(f"  {note}")


@plan.command("history")
@click.argument("plan_id", type=int)
@click.option("--action", "action_id", type=int, help="Only this action's changes.")
@pass_context
def plan_history(obj: Context, plan_id: int, action_id: int | None) -> None:
    """Every change to the plan: when, who, what, old and new value."""
    from ofsted_csc.api import plans as plans_api

    plans_api.plan_get(obj.store, plan_id, actor=_reader(obj))  # NotFound for a wrong id
    events = plans_api.history(
        obj.store,
        plan_id,
        entity="action" if action_id else None,
        entity_id=action_id,
        actor=_reader(obj),
    )
    for e in events:
        click.echo(f"{e.at:%Y-%m-%d %H:%M}  {_event(e)}")


def _event(e: AuditEvent) -> str:
    what = "plan" if e.entity == "plan" else f"{e.entity} {e.ref}"
    if e.old is None:
        return f"{e.user}: {what} {e.field}: {e.new or ''}"
    return f"{e.user}: {what} {e.field}: {e.old} -> {e.new if e.new is not None else '(none)'}"
