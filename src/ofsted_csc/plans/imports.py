"""Making a whole plan at once, from a draft (a workbook read by `plans.xlsx`): every person
named must be a user and every action valid, or nothing is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.limits import (
    MAX_ACTION_EVIDENCE,
    MAX_ACTION_LINKS,
    MAX_ACTION_MEASURES,
    MAX_ACTION_UPDATES,
    MAX_BOARD_MEETINGS,
    MAX_MEASURE_READINGS,
    MAX_PLAN_ACTIONS,
    MAX_PLAN_BOARDS,
    MAX_PLAN_EVIDENCE,
    MAX_PLAN_MEASURES,
    MAX_PLAN_READINGS,
    MAX_PLAN_SOURCES,
    MAX_PLAN_UPDATES,
    MAX_PLAN_WORKSTREAMS,
)
from ofsted_csc.domain.values import check_number, check_whole
from ofsted_csc.plans.actions import new_action
from ofsted_csc.plans.common import (
    MAX_TEXT,
    User,
    audit,
    check_count,
    check_text,
    now,
    require,
    works_for,
)
from ofsted_csc.plans.rules import BoardKind, Permission, PlanStatus, Rag, Status
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import (
    ActionLinkRow,
    BoardRow,
    EvidenceRow,
    MeasureReadingRow,
    MeasureRow,
    MeetingRow,
    PlanRow,
    PlanSourceRow,
    ProgressUpdateRow,
    UserRow,
    WorkstreamRow,
)

SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class MeasureDraft:
    name: str
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    readings: list[tuple[date, float, str]]  # (on, value, recorded by user name)


@dataclass
class EvidenceDraft:
    title: str
    url: str | None
    file_name: str | None
    sha256: str | None
    size: int | None


@dataclass
class LinkDraft:
    sha256: str
    section: str
    position: int
    page: int | None
    text: str


@dataclass
class ActionDraft:
    ref: str  # as given, for messages
    description: str
    lead: str | None
    partner: str | None
    start: date | None
    due: date | None
    status: Status
    percent: int
    override: Rag | None
    override_reason: str | None
    links: list[LinkDraft]
    measures: list[MeasureDraft]
    updates: list[tuple[date, str, str | None]]  # (on, text, author; None: the importer)
    evidence: list[EvidenceDraft]
    row: str | None = None  # where a workbook has it ("plan.xlsx, Actions row 7"), for messages


@dataclass
class WorkstreamDraft:
    title: str
    actions: list[ActionDraft]


@dataclass
class SourceDraft:
    sha256: str
    kind: str
    label: str
    file_name: str


@dataclass
class BoardDraft:
    name: str
    kind: BoardKind
    meetings: list[date]  # the dates it meets (each meeting's progress report is made from
    # the plan and its audit trail when asked for: nothing of it is stored to carry)


@dataclass
class PlanDraft:
    council_urn: str
    title: str
    received: date | None
    status: PlanStatus
    sources: list[SourceDraft]
    workstreams: list[WorkstreamDraft]
    boards: list[BoardDraft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the workbook was read, for the user


def check_draft(draft: PlanDraft) -> None:
    """Every count of the draft within the limits of a plan (domain.limits) and every value
    one the database can hold, before anything is written: the message names the action."""
    actions = [a for w in draft.workstreams for a in w.actions]
    check_count(len(draft.sources), MAX_PLAN_SOURCES, "inspections and visits", "a plan")
    check_count(len(draft.workstreams), MAX_PLAN_WORKSTREAMS, "workstreams", "a plan")
    check_count(len(actions), MAX_PLAN_ACTIONS, "actions", "a plan")
    measures = [m for a in actions for m in a.measures]
    totals = (
        (len(measures), MAX_PLAN_MEASURES, "success measures"),
        (sum(len(m.readings) for m in measures), MAX_PLAN_READINGS, "readings of its measures"),
        (sum(len(a.updates) for a in actions), MAX_PLAN_UPDATES, "progress updates"),
        (sum(len(a.evidence) for a in actions), MAX_PLAN_EVIDENCE, "items of evidence"),
    )
    for count, limit, what in totals:
        check_count(count, limit, what, "a plan")
    for src in draft.sources:
        _one_line("source", src.label, 300)
        _one_line("source file", src.file_name, 500)
        _one_line("source kind", src.kind, 20)
        _sha256(f"source {src.label[:60]!r}", src.sha256)
    for w in draft.workstreams:
        _one_line("workstream title", w.title, 300)
    check_count(len(draft.boards), MAX_PLAN_BOARDS, "boards", "a plan")
    names: set[str] = set()
    for b in draft.boards:
        _one_line("board name", b.name, 200)
        if not b.name.strip():
            raise InvalidInput("a board needs a name")
        if b.name.strip().lower() in names:
            raise InvalidInput(f"board {b.name!r} is listed twice")
        names.add(b.name.strip().lower())
        check_count(len(b.meetings), MAX_BOARD_MEETINGS, "meetings", "a board")
        if len(set(b.meetings)) < len(b.meetings):
            twice = next(on for on in b.meetings if b.meetings.count(on) > 1)
            raise InvalidInput(f"{b.name} meets on {twice:%-d %B %Y} twice")
    for a in actions:
        try:
            _check_action(a)
        except InvalidInput as exc:
            raise InvalidInput(f"{_what(a)}: {exc}") from None


def _what(a: ActionDraft) -> str:
    """An action as messages name it: by its ref, and its row when read from a workbook."""
    return f"action {a.ref} ({a.row})" if a.row else f"action {a.ref}"


def _one_line(what: str, text: str | None, limit: int) -> None:
    if text is not None:
        check_text(what, text, limit)


def _check_action(a: ActionDraft) -> None:
    check_count(len(a.links), MAX_ACTION_LINKS, "findings answered", "an action")
    check_count(len(a.measures), MAX_ACTION_MEASURES, "success measures", "an action")
    check_count(len(a.updates), MAX_ACTION_UPDATES, "progress updates", "an action")
    check_count(len(a.evidence), MAX_ACTION_EVIDENCE, "items of evidence", "an action")
    _one_line("lead officer", a.lead, 80)
    check_text("override reason", a.override_reason or "", MAX_TEXT, multiline=True)
    for link in a.links:
        check_whole("finding number", link.position, 1)
        if link.page is not None:
            check_whole("page", link.page, 1)
        check_text("report's words", link.text, MAX_TEXT, multiline=True)
    for m in a.measures:
        _one_line("measure name", m.name, 300)
        check_number(f"baseline of {m.name!r}", m.baseline)
        check_number(f"target of {m.name!r}", m.target)
        check_count(len(m.readings), MAX_MEASURE_READINGS, "readings", "a success measure")
        for on, value, by in m.readings:
            check_number(f"reading of {m.name!r} on {on:%-d %B %Y}", value)
            _one_line("recorded by", by, 80)
    for on, text, author in a.updates:
        check_text(f"update of {on:%-d %B %Y}", text, MAX_TEXT, multiline=True)
        _one_line("author", author, 80)
    for e in a.evidence:
        _one_line("evidence title", e.title, 300)
        _one_line("evidence file", e.file_name, 300)
        if e.size is not None:
            check_whole("evidence size", e.size)
        if e.sha256 is not None:
            _sha256(f"evidence {e.title[:60]!r}", e.sha256)


def _sha256(what: str, text: str) -> None:
    if not SHA256.fullmatch(text):
        raise InvalidInput(f"{what}: {text[:80]!r} is not a file's SHA-256")


def plan_create_from(store: Store, actor: User, draft: PlanDraft) -> int:
    """Write a whole plan (an imported workbook) in one transaction: every person named must
    be a user, every action valid, or nothing is written."""
    check_text("title", draft.title, 300)
    if not draft.title.strip():
        raise InvalidInput("the plan has no title")
    check_draft(draft)
    with store.transaction() as s:
        require(s, actor, Permission.EDIT, draft.council_urn)
        users: dict[str, int] = {}

        def user_id(name: str, what: str) -> int:
            """A person as a workbook names them: a user name, else a full name or an email
            address that only one user has (the export writes updates' authors by full
            name, so that people can read them)."""
            key = name.strip().lower()
            if key not in users:
                row = s.scalar(select(UserRow).where(UserRow.username == key))
                if row is None:
                    found = s.scalars(
                        select(UserRow).where(
                            (func.lower(UserRow.display_name) == key)
                            | (func.lower(UserRow.email) == key)
                        )
                    ).all()
                    if len(found) > 1:
                        raise InvalidInput(
                            f"{what}: {len(found)} users are named {name.strip()!r}: give "
                            "their user name instead"
                        )
                    row = found[0] if found else None
                if row is None:
                    raise InvalidInput(
                        f"{what}: no user is named {key!r} (add them with `ofsted-csc user add`)"
                    )
                users[key] = row.id
            return users[key]

        problems = []
        for ad in (a for w in draft.workstreams for a in w.actions):
            if ad.lead:
                try:
                    lead = s.get_one(UserRow, user_id(ad.lead, f"{_what(ad)}, lead officer"))
                    if not works_for(s, lead, draft.council_urn):
                        raise InvalidInput(
                            f"{_what(ad)}, lead officer: {lead.username} has no role in this "
                            "council's plans"
                        )
                except InvalidInput as exc:
                    problems.append(exc.message)
        if len(problems) == 1:
            raise InvalidInput(problems[0])
        if problems:
            raise InvalidInput(
                f"{len(problems)} actions name a lead officer who is not a user, or has no "
                f"role in this council's plans, so nothing was imported: "
                f"{'; '.join(problems[:20])}"
                + (f"; and {len(problems) - 20} more" if len(problems) > 20 else "")
            )
        plan = PlanRow(
            council_urn=draft.council_urn,
            title=draft.title.strip(),
            received=draft.received,
            status=draft.status.value,
            created_at=now(),
            created_by_id=actor.id,
        )
        s.add(plan)
        s.flush()
        audit(s, actor.id, plan.id, "plan", plan.id, "plan", "created", None, plan.title)
        for src in draft.sources:
            s.add(
                PlanSourceRow(
                    plan_id=plan.id,
                    sha256=src.sha256,
                    kind=src.kind,
                    label=src.label,
                    file_name=src.file_name,
                )
            )
            audit(s, actor.id, plan.id, "plan", plan.id, "plan", "source", None, src.label)
        for position, wd in enumerate(draft.workstreams, 1):
            check_text("workstream title", wd.title, 300)
            ws = WorkstreamRow(plan_id=plan.id, position=position, title=wd.title.strip())
            s.add(ws)
            s.flush()
            audit(
                s, actor.id, plan.id, "workstream", ws.id, str(position), "created", None, ws.title
            )
            for n, ad in enumerate(wd.actions, 1):
                what = _what(ad)
                lead_id = user_id(ad.lead, f"{what}, lead officer") if ad.lead else None
                try:
                    action = new_action(
                        s,
                        actor,
                        plan.id,
                        ws,
                        n,
                        description=ad.description,
                        lead_id=lead_id,
                        partner=ad.partner,
                        start=ad.start,
                        due=ad.due,
                        percent=ad.percent,
                        status=Status.NOT_STARTED
                        if ad.status is Status.CLOSED_WITH_EVIDENCE
                        else ad.status,
                    )
                except InvalidInput as exc:
                    raise InvalidInput(f"{what} (imported as {ws.position}.{n}): {exc}") from exc
                if ad.status is Status.CLOSED_WITH_EVIDENCE:
                    if not ad.evidence:
                        raise InvalidInput(
                            f"{what}: closed with evidence, but no evidence is listed"
                        )
                    action.status = ad.status.value
                if ad.override is not None:
                    if not (ad.override_reason or "").strip():
                        raise InvalidInput(f"{what}: a RAG override needs a reason")
                    action.rag_override = ad.override.name.lower()
                    action.rag_override_reason = (ad.override_reason or "").strip()
                    action.rag_override_by_id = actor.id
                    action.rag_override_at = now()
                for link in ad.links:
                    s.add(
                        ActionLinkRow(
                            action_id=action.id,
                            sha256=link.sha256,
                            section=link.section,
                            position=link.position,
                            text=link.text,
                            page=link.page,
                        )
                    )
                for md in ad.measures:
                    if md.target_date <= md.baseline_date:
                        raise InvalidInput(
                            f"{what}, measure {md.name!r}: the target date is not after the baseline date"
                        )
                    m = MeasureRow(
                        action_id=action.id,
                        name=md.name,
                        baseline=md.baseline,
                        baseline_date=md.baseline_date,
                        target=md.target,
                        target_date=md.target_date,
                    )
                    s.add(m)
                    s.flush()
                    for on, value, by in md.readings:
                        s.add(
                            MeasureReadingRow(
                                measure_id=m.id,
                                value=value,
                                on=on,
                                recorded_by_id=user_id(by, f"{what}, reading of {md.name!r}"),
                                recorded_at=now(),
                            )
                        )
                for on, text, author in ad.updates:
                    s.add(
                        ProgressUpdateRow(
                            action_id=action.id,
                            on=on,
                            text=text,
                            author_id=actor.id
                            if author is None
                            else user_id(author, f"{what}, update of {on:%-d %B %Y}"),
                            created_at=now(),
                        )
                    )
                for ed in ad.evidence:
                    data = None
                    if ed.sha256:
                        data = s.scalar(
                            select(EvidenceRow.data)
                            .where(EvidenceRow.sha256 == ed.sha256, EvidenceRow.data.is_not(None))
                            .limit(1)
                        )
                    s.add(
                        EvidenceRow(
                            action_id=action.id,
                            title=ed.title,
                            url=ed.url,
                            file_name=ed.file_name,
                            content_type=None,
                            size=ed.size,
                            sha256=ed.sha256,
                            data=data,
                            added_by_id=actor.id,
                            added_at=now(),
                        )
                    )
        for bd in draft.boards:
            board = BoardRow(plan_id=plan.id, name=bd.name.strip(), kind=bd.kind.value)
            s.add(board)
            s.flush()
            audit(
                s, actor.id, plan.id, "board", board.id, board.name, "created", None, bd.kind.label
            )
            for on in sorted(bd.meetings):
                meeting = MeetingRow(board_id=board.id, on=on)
                s.add(meeting)
                s.flush()
                audit(
                    s,
                    actor.id,
                    plan.id,
                    "meeting",
                    meeting.id,
                    board.name,
                    "created",
                    None,
                    on.isoformat(),
                )
        audit(
            s,
            actor.id,
            plan.id,
            "plan",
            plan.id,
            "plan",
            "imported",
            None,
            f"{sum(len(w.actions) for w in draft.workstreams)} actions",
        )
        for note in draft.notes:  # how the workbook was read stays with the plan
            audit(s, actor.id, plan.id, "plan", plan.id, "plan", "import note", None, note)
        return plan.id
