"""Reads of improvement plans: whole plans with each action's RAG as at a date, the history
(audit trail), deadlines and evidence files. Nothing here writes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, overload

from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.orm import Session, selectinload, undefer

from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import NotFound
from ofsted_csc.domain.values import is_id, xml_safe
from ofsted_csc.domain.workdays import working_days_between
from ofsted_csc.plans import deadlines
from ofsted_csc.plans.common import User, plan_council, readable_councils, require, user_view
from ofsted_csc.plans.findings import PRIORITY_ACTION, SECTION_LABELS
from ofsted_csc.plans.memberships import shared_councils
from ofsted_csc.plans.rules import (
    BoardKind,
    MeasureInput,
    MeasureState,
    Permission,
    PlanStatus,
    Rag,
    RagOutcome,
    Status,
    compute_rag,
    measure_state,
)
from ofsted_csc.storage import Store
from ofsted_csc.storage.models import LetterItemRow, LetterRow, SourceFileRow
from ofsted_csc.storage.plan_models import (
    ActionLinkRow,
    ActionRow,
    AuditEventRow,
    BoardRow,
    EvidenceRow,
    MeasureReadingRow,
    MeasureRow,
    PlanRow,
    PlanSourceRow,
    ProgressUpdateRow,
    UserRow,
    WorkstreamRow,
)


@dataclass(frozen=True)
class LinkView:
    sha256: str
    file_name: str | None
    section: str
    position: int
    text: str
    page: int | None

    @property
    def label(self) -> str:
        return f"{SECTION_LABELS.get(self.section, self.section)} {self.position}"


@dataclass(frozen=True)
class MeasureView:
    id: int
    name: str
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    readings: tuple[tuple[date, float, str], ...]  # (on, value, recorded by)
    state: MeasureState


@dataclass(frozen=True)
class EvidenceView:
    id: int
    title: str
    url: str | None
    file_name: str | None
    size: int | None
    sha256: str | None
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class UpdateView:
    on: date
    text: str
    author: str
    created_at: datetime


@dataclass(frozen=True)
class ActionView:
    id: int
    ref: str
    version: int
    workstream_id: int
    workstream: str
    description: str
    lead: User | None
    partner: str | None
    start: date | None
    due: date | None
    status: Status
    percent: int
    computed: RagOutcome
    override: Rag | None
    override_reason: str | None
    override_by: str | None
    override_at: datetime | None
    links: tuple[LinkView, ...]
    measures: tuple[MeasureView, ...]
    evidence: tuple[EvidenceView, ...]
    updates: tuple[UpdateView, ...]
    updated_at: datetime
    updated_by: str
    overdue: bool

    @property
    def rag(self) -> Rag:
        return self.override if self.override is not None else self.computed.rag


@dataclass(frozen=True)
class WorkstreamView:
    id: int
    position: int
    title: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class SourceView:
    sha256: str
    kind: str
    label: str
    file_name: str


@dataclass(frozen=True)
class MeetingView:
    id: int
    on: date


@dataclass(frozen=True)
class BoardView:
    id: int
    name: str
    kind: BoardKind
    meetings: tuple[MeetingView, ...]


@dataclass(frozen=True)
class Deadline:
    name: str
    due: date
    met: bool  # the plan has moved past the step (submitted or later)
    working_days_left: int  # negative: overdue by that many

    @property
    def state(self) -> str:
        if self.met:
            return "met"
        if self.working_days_left >= 0:
            return f"{self.working_days_left} working days left"
        return f"overdue by {-self.working_days_left} working days"


@dataclass(frozen=True)
class PlanView:
    id: int
    version: int
    council_urn: str
    council_name: str
    title: str
    status: PlanStatus
    received: date | None
    created_at: datetime
    created_by: str
    on: date
    sources: tuple[SourceView, ...]
    workstreams: tuple[WorkstreamView, ...]
    boards: tuple[BoardView, ...]
    deadlines: tuple[Deadline, ...]

    @property
    def actions(self) -> list[ActionView]:
        return [a for ws in self.workstreams for a in ws.actions]

    def rag_counts(self) -> dict[Rag, int]:
        counts = Counter(a.rag for a in self.actions)
        return {rag: counts.get(rag, 0) for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)}


@dataclass(frozen=True)
class PlanSummary:
    id: int
    council_urn: str
    council_name: str
    title: str
    status: PlanStatus
    received: date | None
    actions: int
    rag_counts: dict[Rag, int] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # the sha256 of each inspection or visit it answers
    deadlines: tuple[Deadline, ...] = ()


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: datetime
    user: str
    entity: str
    entity_id: int
    ref: str
    field: str
    old: str | None
    new: str | None


def plan_get(store: Store, plan_id: int, on: date | None = None, *, actor: User) -> PlanView:
    """A whole plan, each action's RAG computed as at `on` (default today), for a user with a
    role in its council (PermissionDenied otherwise)."""
    on = on or date.today()
    if not is_id(plan_id):  # no plan's: the database is not asked
        raise NotFound(f"no plan has id {plan_id}")
    with store.session() as s:
        require(s, actor, Permission.BOARD, plan_council(s, plan_id))
        plan = s.scalar(_plan_query().where(PlanRow.id == plan_id))
        if plan is None:
            raise NotFound(f"no plan has id {plan_id}")
        return _plan_view(s, plan, on)


def plan_list(
    store: Store,
    council_urn: str | None = None,
    on: date | None = None,
    *,
    actor: User,
    shared: bool = False,
) -> list[PlanSummary]:
    """Every plan (or a council's) of the councils where the actor has a role, newest first,
    with its actions counted by RAG as at `on`; with `shared`, instead the plans of the councils
    that share their summaries with a group the actor belongs to (and where the actor has no
    role). Reads only what the RAG rule needs (no text, updates, evidence or links), so the
    list stays quick however much a plan holds."""
    on = on or date.today()
    with store.session() as s:
        readable = readable_councils(s, actor, Permission.BOARD)
        if shared:
            sharing = shared_councils(s, actor.id)
            councils: frozenset[str] | None = (
                frozenset() if readable is None else sharing - readable
            )
        else:
            councils = readable
    if councils is not None and not councils:
        return []
    q = (
        select(PlanRow)
        .options(selectinload(PlanRow.sources))
        .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())
    )
    if council_urn is not None:
        q = q.where(PlanRow.council_urn == council_urn)
    if councils is not None:
        q = q.where(PlanRow.council_urn.in_(sorted(councils)))
    registry = load_registry()
    with store.session() as s:
        plans = list(s.scalars(q))
        counts = _rag_counts(s, [p.id for p in plans], on)
        priority = _with_priority_actions(s, [src for p in plans for src in p.sources])
        out = []
        for plan in plans:
            council = registry.by_urn(plan.council_urn)
            found = counts.get(plan.id, Counter())
            out.append(
                PlanSummary(
                    id=plan.id,
                    council_urn=plan.council_urn,
                    council_name=council.name if council else plan.council_urn,
                    title=_safe(plan.title),
                    status=PlanStatus(plan.status),
                    received=plan.received,
                    actions=sum(found.values()),
                    rag_counts={
                        r: found.get(r, 0) for r in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)
                    },
                    sources=tuple(src.sha256 for src in plan.sources),
                    deadlines=_deadlines(plan, on, priority),
                )
            )
        return out


def _rag_counts(s: Session, plan_ids: list[int], on: date) -> dict[int, Counter[Rag]]:
    """Each plan's actions counted by RAG as at `on`. The database counts those the rule
    settles without measures (an override, done, overdue, off track: one GROUP BY); only the
    rest are read, with their measures' few columns, and the rule applied to them."""
    if not plan_ids:
        return {}
    done = [st.value for st in Status if st.done]
    open_ = ActionRow.rag_override.is_(None) & ActionRow.status.not_in(done)
    settled = case(
        (ActionRow.rag_override.is_not(None), ActionRow.rag_override),
        (ActionRow.status.in_(done), literal(Rag.BLUE.name.lower())),
        (
            (ActionRow.due_date < on) | (ActionRow.status == Status.OFF_TRACK.value),
            literal(Rag.RED.name.lower()),
        ),
        else_=literal(""),
    )
    in_plans = ActionRow.plan_id.in_(plan_ids)
    counts: dict[int, Counter[Rag]] = {}
    for plan_id, rag, n in s.execute(
        select(ActionRow.plan_id, settled, func.count(ActionRow.id))
        .where(in_plans)
        .group_by(ActionRow.plan_id, settled)
    ):
        if rag:
            counts.setdefault(plan_id, Counter())[Rag.parse(rag)] += n
    # the rest: open, not overdue, not off track; their RAG turns on dates and measures
    rest = (
        in_plans
        & open_
        & (ActionRow.due_date.is_(None) | (ActionRow.due_date >= on))
        & (ActionRow.status != Status.OFF_TRACK.value)
    )
    readings: dict[int, list[tuple[date, float]]] = {}
    for measure_id, when, value in s.execute(
        select(MeasureReadingRow.measure_id, MeasureReadingRow.on, MeasureReadingRow.value)
        .join(MeasureRow)
        .join(ActionRow)
        .where(rest)
    ):
        readings.setdefault(measure_id, []).append((when, value))
    measures: dict[int, list[MeasureInput]] = {}
    for m in s.execute(
        select(
            MeasureRow.id,
            MeasureRow.action_id,
            MeasureRow.name,
            MeasureRow.baseline,
            MeasureRow.baseline_date,
            MeasureRow.target,
            MeasureRow.target_date,
        )
        .join(ActionRow)
        .where(rest)
    ):
        measures.setdefault(m.action_id, []).append(
            MeasureInput(
                m.name, m.baseline, m.baseline_date, m.target, m.target_date, readings.get(m.id, [])
            )
        )
    for a in s.execute(
        select(
            ActionRow.id,
            ActionRow.plan_id,
            ActionRow.status,
            ActionRow.start_date,
            ActionRow.due_date,
            ActionRow.percent,
            ActionRow.lead_id,
        ).where(rest)
    ):
        rag = compute_rag(
            status=Status(a.status),
            start=a.start_date,
            due=a.due_date,
            percent=a.percent,
            has_lead=a.lead_id is not None,
            measures=measures.get(a.id, []),
            on=on,
        ).rag
        counts.setdefault(a.plan_id, Counter())[rag] += 1
    return counts


@dataclass(frozen=True)
class OverdueAction:
    ref: str
    description: str
    lead: str | None  # display name
    due: date


def overdue_actions(
    store: Store, plan_id: int, on: date, limit: int, *, actor: User
) -> tuple[list[OverdueAction], int]:
    """Up to `limit` of the plan's overdue actions as at `on` (due before it and not done),
    longest overdue first, and how many there are in all."""
    with store.session() as s:
        require(s, actor, Permission.BOARD, plan_council(s, plan_id))
    done = [st.value for st in Status if st.done]
    late = (
        (ActionRow.plan_id == plan_id) & (ActionRow.due_date < on) & ActionRow.status.not_in(done)
    )
    with store.session() as s:
        total = int(s.scalar(select(func.count(ActionRow.id)).where(late)) or 0)
        rows = s.execute(
            select(
                WorkstreamRow.position,
                ActionRow.position,
                ActionRow.description,
                UserRow.display_name,
                ActionRow.due_date,
            )
            .join(WorkstreamRow, ActionRow.workstream_id == WorkstreamRow.id)
            .outerjoin(UserRow, ActionRow.lead_id == UserRow.id)
            .where(late)
            .order_by(ActionRow.due_date, WorkstreamRow.position, ActionRow.position)
            .limit(limit)
        )
        return [
            OverdueAction(f"{w}.{p}", _safe(text), _safe(lead), due)
            for w, p, text, lead, due in rows
            if due is not None  # always: the query asks for a due date before `on`
        ], total


def action_get(
    store: Store, action_id: int, on: date | None = None, *, actor: User
) -> tuple[PlanView, ActionView]:
    """One action, its RAG as at `on` (default today), and its plan as a PlanView that holds
    only this action (and its workstream), for a user with a role in the plan's council: the
    plan's other actions are not read, so one action costs the same in a plan of any size."""
    on = on or date.today()
    if not is_id(action_id):
        raise NotFound(f"no action has id {action_id}")
    with store.session() as s:
        plan_id = s.scalar(select(ActionRow.plan_id).where(ActionRow.id == action_id))
        if plan_id is None:
            raise NotFound(f"no action has id {action_id}")
        require(s, actor, Permission.BOARD, plan_council(s, plan_id))
        plan = s.scalar(
            select(PlanRow)
            .options(
                selectinload(PlanRow.sources),
                selectinload(PlanRow.boards).selectinload(BoardRow.meetings),
            )
            .where(PlanRow.id == plan_id)
        )
        action = s.scalar(
            select(ActionRow).options(*_ACTION_LOADS).where(ActionRow.id == action_id)
        )
        assert plan is not None and action is not None  # read in this session a moment ago
        ws = s.get_one(WorkstreamRow, action.workstream_id)
        view = _plan_view(s, plan, on, [(ws, [action])])
        return view, view.workstreams[0].actions[0]


def history(
    store: Store,
    plan_id: int,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    actor: User,
    in_board_report: bool = False,
) -> list[AuditEvent]:
    """The plan's audit trail, oldest first: for a viewer, editor or admin of its council, or
    (`in_board_report`, the changes a meeting's report lists) for its board members too."""
    if not is_id(plan_id) or (entity_id is not None and not is_id(entity_id)):
        return []
    with store.session() as s:
        permission = Permission.BOARD if in_board_report else Permission.VIEW
        require(s, actor, permission, plan_council(s, plan_id))
    q = (
        select(AuditEventRow)
        .options(selectinload(AuditEventRow.user))
        .where(AuditEventRow.plan_id == plan_id)
        .order_by(AuditEventRow.at, AuditEventRow.id)
    )
    if entity is not None:
        q = q.where(AuditEventRow.entity == entity)
    if entity_id is not None:
        q = q.where(AuditEventRow.entity_id == entity_id)
    if since is not None:
        q = q.where(AuditEventRow.at > since)
    if until is not None:
        q = q.where(AuditEventRow.at <= until)
    with store.session() as s:
        return [
            AuditEvent(
                e.id,
                e.at,
                _safe(e.user.display_name) if e.user is not None else "nobody signed in",
                e.entity,
                e.entity_id,
                _safe(e.ref),
                e.field,
                _safe(e.old),
                _safe(e.new),
            )
            for e in s.scalars(q)
        ]


def evidence_file(store: Store, evidence_id: int, *, actor: User) -> tuple[int, str, str, bytes]:
    """(plan id, file name, content type, bytes) of an uploaded evidence file (for a viewer,
    editor or admin of its plan's council)."""
    if not is_id(evidence_id):
        raise NotFound(f"no evidence file has id {evidence_id}")
    with store.session() as s:
        row = s.scalar(
            select(EvidenceRow)
            .options(undefer(EvidenceRow.data))
            .where(EvidenceRow.id == evidence_id)
        )
        if row is None or row.data is None or row.file_name is None:
            raise NotFound(f"no evidence file has id {evidence_id}")
        action = s.get(ActionRow, row.action_id)
        assert action is not None
        require(s, actor, Permission.VIEW, plan_council(s, action.plan_id))
        return (
            action.plan_id,
            row.file_name,
            row.content_type or "application/octet-stream",
            row.data,
        )


def plans_version(store: Store) -> int:
    """A number that grows with every change to plans and users (one cheap query), for caches
    to compare: every write to them adds to the audit trail (plans.common.audit), which is
    never changed or deleted, so the trail's last id names the state they are in."""
    with store.session() as s:
        return s.scalar(select(func.max(AuditEventRow.id))) or 0


def meeting_get(
    store: Store, meeting_id: int, *, actor: User
) -> tuple[int, BoardView, MeetingView]:
    """(plan id, board, meeting), for a user with a role in the plan's council."""
    if not is_id(meeting_id):
        raise NotFound(f"no meeting has id {meeting_id}")
    with store.session() as s:
        board = s.scalar(
            select(BoardRow)
            .options(selectinload(BoardRow.meetings))
            .where(BoardRow.meetings.any(id=meeting_id))
        )
        if board is None:
            raise NotFound(f"no meeting has id {meeting_id}")
        require(s, actor, Permission.BOARD, plan_council(s, board.plan_id))
        view = _board_view(board)
        return board.plan_id, view, next(m for m in view.meetings if m.id == meeting_id)


# what an action's view reads beside its own row
_ACTION_LOADS = (
    selectinload(ActionRow.lead),
    selectinload(ActionRow.updated_by),
    selectinload(ActionRow.rag_override_by),
    selectinload(ActionRow.links),
    selectinload(ActionRow.measures).selectinload(MeasureRow.readings),
    selectinload(ActionRow.evidence).selectinload(EvidenceRow.added_by),
    selectinload(ActionRow.updates).selectinload(ProgressUpdateRow.author),
)


def _plan_query() -> Select[PlanRow]:
    return select(PlanRow).options(
        selectinload(PlanRow.sources),
        selectinload(PlanRow.boards).selectinload(BoardRow.meetings),
        selectinload(PlanRow.workstreams)
        .selectinload(WorkstreamRow.actions)
        .options(*_ACTION_LOADS),
    )


def _board_view(b: BoardRow) -> BoardView:
    return BoardView(
        b.id, _safe(b.name), BoardKind(b.kind), tuple(MeetingView(m.id, m.on) for m in b.meetings)
    )


def _plan_view(
    s: Session,
    plan: PlanRow,
    on: date,
    only: Sequence[tuple[WorkstreamRow, Sequence[ActionRow]]] | None = None,
) -> PlanView:
    """The plan as shown, with every workstream and action, or `only` these."""
    council = load_registry().by_urn(plan.council_urn)
    files = {src.sha256: src.file_name for src in plan.sources}
    workstreams = []
    for ws, rows in only if only is not None else ((w, w.actions) for w in plan.workstreams):
        actions = tuple(_action_view(ws, a, files, on) for a in rows)
        workstreams.append(WorkstreamView(ws.id, ws.position, _safe(ws.title), actions))
    creator = s.get_one(UserRow, plan.created_by_id)
    return PlanView(
        id=plan.id,
        version=plan.version,
        council_urn=plan.council_urn,
        council_name=council.name if council else plan.council_urn,
        title=_safe(plan.title),
        status=PlanStatus(plan.status),
        received=plan.received,
        created_at=plan.created_at,
        created_by=_safe(creator.display_name),
        on=on,
        sources=tuple(
            SourceView(x.sha256, x.kind, _safe(x.label), _safe(x.file_name)) for x in plan.sources
        ),
        workstreams=tuple(workstreams),
        boards=tuple(_board_view(b) for b in plan.boards),
        deadlines=_deadlines(plan, on, _with_priority_actions(s, plan.sources)),
    )


def _deadlines(plan: PlanRow, on: date, priority: set[str]) -> tuple[Deadline, ...]:
    """The deadlines that apply to the plan's reports and letters (`deadlines.deadlines_for_
    plan`), from its received date. `priority`: the letters (sha256) with areas for priority
    action."""
    if plan.received is None:
        return ()
    submitted = PlanStatus(plan.status) is not PlanStatus.DRAFT
    due = deadlines.deadlines_for_plan(
        plan.received,
        ((src.kind == "inspection", src.sha256 in priority) for src in plan.sources),
    )
    return tuple(Deadline(d.name, d.due, submitted, working_days_between(on, d.due)) for d in due)


def _with_priority_actions(s: Session, sources: list[PlanSourceRow]) -> set[str]:
    """Which of these letters name areas for priority action: by the stored letter, else (a
    plan imported where its letter is not stored) by an action answering one of them."""
    shas = {src.sha256 for src in sources if src.kind == "letter"}
    if not shas:
        return set()
    stored = s.scalars(
        select(SourceFileRow.sha256)
        .join(LetterRow, LetterRow.source_id == SourceFileRow.id)
        .join(LetterItemRow, LetterItemRow.letter_id == LetterRow.id)
        .where(SourceFileRow.sha256.in_(shas), LetterItemRow.section == PRIORITY_ACTION)
    )
    linked = s.scalars(
        select(ActionLinkRow.sha256).where(
            ActionLinkRow.sha256.in_(shas), ActionLinkRow.section == PRIORITY_ACTION
        )
    )
    return set(stored) | set(linked)


def _action_view(ws: WorkstreamRow, a: ActionRow, files: dict[str, str], on: date) -> ActionView:
    measures = []
    inputs = []
    for m in a.measures:
        readings = [(r.on, r.value) for r in m.readings]
        state = measure_state(m.baseline, m.baseline_date, m.target, m.target_date, readings, on)
        measures.append(
            MeasureView(
                m.id,
                _safe(m.name),
                m.baseline,
                m.baseline_date,
                m.target,
                m.target_date,
                tuple((r.on, r.value, _safe(r.recorded_by.display_name)) for r in m.readings),
                state,
            )
        )
        inputs.append(
            MeasureInput(m.name, m.baseline, m.baseline_date, m.target, m.target_date, readings)
        )
    status = Status(a.status)
    computed = compute_rag(
        status=status,
        start=a.start_date,
        due=a.due_date,
        percent=a.percent,
        has_lead=a.lead_id is not None,
        measures=inputs,
        on=on,
    )
    return ActionView(
        id=a.id,
        ref=f"{ws.position}.{a.position}",
        version=a.version,
        workstream_id=ws.id,
        workstream=_safe(ws.title),
        description=_safe(a.description),
        lead=user_view(a.lead) if a.lead is not None else None,
        partner=_safe(a.partner),
        start=a.start_date,
        due=a.due_date,
        status=status,
        percent=a.percent,
        computed=computed,
        override=Rag.parse(a.rag_override) if a.rag_override else None,
        override_reason=_safe(a.rag_override_reason),
        override_by=_safe(a.rag_override_by.display_name) if a.rag_override_by else None,
        override_at=a.rag_override_at,
        links=tuple(
            LinkView(x.sha256, files.get(x.sha256), x.section, x.position, _safe(x.text), x.page)
            for x in a.links
        ),
        measures=tuple(measures),
        evidence=tuple(
            EvidenceView(
                e.id,
                _safe(e.title),
                e.url,
                _safe(e.file_name),
                e.size,
                e.sha256,
                _safe(e.added_by.display_name),
                e.added_at,
            )
            for e in a.evidence
        ),
        updates=tuple(
            UpdateView(u.on, _safe(u.text), _safe(u.author.display_name), u.created_at)
            for u in a.updates
        ),
        updated_at=a.updated_at,
        updated_by=_safe(a.updated_by.display_name),
        overdue=a.due_date is not None and a.due_date < on and not status.done,
    )


@overload
def _safe(text: str) -> str: ...
@overload
def _safe(text: None) -> None: ...
def _safe(text: str | None) -> str | None:
    """Stored text as every reader may use it: a control character kept before values were
    checked (domain.values) becomes U+FFFD, so no page, workbook or report breaks on it."""
    return None if text is None else xml_safe(text)


def plan_json(view: PlanView) -> dict[str, Any]:
    """A plan as JSON-ready values (dates as dates): what `plan show --json` prints and
    GET /api/plans/<id> returns."""
    return {
        "council_urn": view.council_urn,
        "id": view.id,
        "council": view.council_name,
        "title": view.title,
        "status": view.status.value,
        "received": view.received,
        "as_at": view.on,
        "deadlines": [
            {"name": d.name, "due": d.due, "working_days_left": d.working_days_left, "met": d.met}
            for d in view.deadlines
        ],
        "sources": [
            {"sha256": s.sha256, "file_name": s.file_name, "label": s.label} for s in view.sources
        ],
        "actions": [
            {
                "id": a.id,
                "ref": a.ref,
                "version": a.version,
                "workstream": a.workstream,
                "description": a.description,
                "lead": a.lead.username if a.lead else None,
                "partner": a.partner,
                "start": a.start,
                "due": a.due,
                "status": a.status.value,
                "percent": a.percent,
                "rag": a.rag.name.lower(),
                "rag_by_rule": a.computed.rag.name.lower(),
                "why": list(a.computed.reasons),
                "override_reason": a.override_reason,
                "answers": [
                    {
                        "sha256": x.sha256,
                        "section": x.section,
                        "number": x.position,
                        "page": x.page,
                        "text": x.text,
                    }
                    for x in a.links
                ],
                "updates": [{"on": u.on, "text": u.text, "author": u.author} for u in a.updates],
                "measures": [
                    {
                        "id": m.id,
                        "name": m.name,
                        "baseline": m.baseline,
                        "target": m.target,
                        "current": m.state.current,
                        "target_date": m.target_date,
                    }
                    for m in a.measures
                ],
            }
            for a in view.actions
        ],
    }
