"""The progress report for a board meeting: RAG counts, what changed since the board last
met, overdue actions, measures against target and actions completed with their evidence,
as data, as a Word document (python-docx) and as a standalone HTML page."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from html import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from ofsted_csc.plans.common import User
from ofsted_csc.plans.rules import NO_OVERDUE, MeasureInput, Rag, Status, compute_rag
from ofsted_csc.plans.selectors import (
    ActionView,
    AuditEvent,
    BoardView,
    MeasureView,
    MeetingView,
    PlanView,
    UpdateView,
    history,
    meeting_get,
    plan_get,
)
from ofsted_csc.storage import Store

RAG_COLOURS = {Rag.RED: "D4351C", Rag.AMBER: "F47738", Rag.GREEN: "00703C", Rag.BLUE: "1D70B8"}


@dataclass(frozen=True)
class RagChange:
    action: ActionView
    before: Rag | None  # None: the action did not exist at the last meeting


@dataclass(frozen=True)
class MeetingReport:
    plan: PlanView  # as at the meeting date
    board: BoardView
    meeting: MeetingView
    previous: MeetingView | None
    changes: tuple[AuditEvent, ...]  # since the previous meeting (or the plan's start)
    rag_changes: tuple[RagChange, ...]
    overdue: tuple[ActionView, ...]
    measures: tuple[tuple[ActionView, MeasureView], ...]
    completed: tuple[ActionView, ...]

    @property
    def title(self) -> str:
        return (
            f"{self.plan.title}: progress report to {self.board.name}, {self.meeting.on:%-d %B %Y}"
        )

    @property
    def progress(self) -> list[tuple[ActionView, list[UpdateView]]]:
        """The actions with progress updates in the period the report covers (after the
        board's previous meeting, up to this one; up to this one for its first), each with
        those updates, oldest first."""
        since = self.previous.on if self.previous is not None else None
        out: list[tuple[ActionView, list[UpdateView]]] = []
        for action in self.plan.actions:
            updates = sorted(
                (
                    u
                    for u in action.updates
                    if u.on <= self.meeting.on and (since is None or u.on > since)
                ),
                key=lambda u: (u.on, u.created_at),
            )
            if updates:
                out.append((action, updates))
        return out


def meeting_report(store: Store, meeting_id: int, *, actor: User) -> MeetingReport:
    """A board meeting's progress report, for a user with a role in the plan's council (board
    members included)."""
    plan_id, board, meeting = meeting_get(store, meeting_id, actor=actor)
    plan = plan_get(store, plan_id, on=meeting.on, actor=actor)
    earlier = [m for m in board.meetings if m.on < meeting.on]
    previous = earlier[-1] if earlier else None
    since = datetime.combine(previous.on, time.max) if previous else None
    until = datetime.combine(meeting.on, time.max)
    changes = tuple(
        history(store, plan_id, since=since, until=until, actor=actor, in_board_report=True)
    )
    rag_changes: list[RagChange] = []
    if previous is not None and since is not None:
        later = history(store, plan_id, since=since, actor=actor, in_board_report=True)
        for a in plan.actions:
            before = rag_as_at(a, later, previous.on)
            if before != a.rag:
                rag_changes.append(RagChange(a, before))
    return MeetingReport(
        plan=plan,
        board=board,
        meeting=meeting,
        previous=previous,
        changes=changes,
        rag_changes=tuple(rag_changes),
        overdue=tuple(a for a in plan.actions if a.overdue),
        measures=tuple((a, m) for a in plan.actions for m in a.measures),
        completed=tuple(a for a in plan.actions if a.status.done),
    )


def rag_as_at(action: ActionView, later: list[AuditEvent], on: date) -> Rag | None:
    """The action's RAG as it stood on `on`: its fields as they were then (the audit trail's
    later changes undone, newest first) under the rule as at that date. None if the action
    did not exist yet."""
    fields: dict[str, str | None] = {
        "status": action.status.value,
        "start_date": action.start.isoformat() if action.start else None,
        "due_date": action.due.isoformat() if action.due else None,
        "percent": str(action.percent),
        "lead": action.lead.username if action.lead else None,
        "rag_override": action.override.name.lower() if action.override is not None else None,
    }
    for e in reversed(later):
        if e.entity != "action" or e.entity_id != action.id:
            continue
        if e.field == "created":
            return None
        if e.field in fields:
            fields[e.field] = e.old
    if fields["rag_override"]:
        return Rag.parse(fields["rag_override"])
    outcome = compute_rag(
        status=Status(fields["status"] or Status.NOT_STARTED.value),
        start=date.fromisoformat(fields["start_date"]) if fields["start_date"] else None,
        due=date.fromisoformat(fields["due_date"]) if fields["due_date"] else None,
        percent=int(fields["percent"] or 0),
        has_lead=fields["lead"] is not None,
        measures=[
            MeasureInput(
                m.name,
                m.baseline,
                m.baseline_date,
                m.target,
                m.target_date,
                [(d, v) for d, v, _ in m.readings],
            )
            for m in action.measures
        ],
        on=on,
    )
    return outcome.rag


def _num(value: float) -> str:
    return f"{value:g}"


def measure_line(m: MeasureView) -> str:
    s = m.state
    current = f"{_num(s.current)} on {s.current_on:%-d %b %Y}" if s.current_on else "no reading yet"
    return (
        f"baseline {_num(m.baseline)} ({m.baseline_date:%-d %b %Y}), target {_num(m.target)} by "
        f"{m.target_date:%-d %b %Y}; now {current}: {round(s.progress * 100)}% of the way, "
        f"{round(s.expected * 100)}% expected"
    )


def change_line(e: AuditEvent) -> str:
    what = f"{e.entity} {e.ref}" if e.entity != "plan" else "plan"
    if e.field in ("created", "added", "update", "source", "imported"):
        return f"{e.at:%-d %b %Y} {e.user}: {what} {e.field}: {e.new or ''}"
    return f"{e.at:%-d %b %Y} {e.user}: {what} {e.field.replace('_', ' ')}: {e.old or '(none)'} → {e.new or '(none)'}"


# -- the report's tables, one definition for Word and HTML --

Table = tuple[list[str], list[list[str]]]


def rag_change_table(report: MeetingReport) -> Table:
    return ["Ref", "Action", "RAG then", "RAG now"], [
        [
            c.action.ref,
            c.action.description,
            c.before.label if c.before is not None else "new",
            c.action.rag.label,
        ]
        for c in report.rag_changes
    ]


def overdue_table(report: MeetingReport) -> Table:
    return ["Ref", "Action", "Lead", "Due", "Status", "RAG"], [
        [
            a.ref,
            _short(a.description),
            a.lead.display_name if a.lead else "",
            f"{a.due:%-d %b %Y}" if a.due else "",
            a.status.label,
            a.rag.label,
        ]
        for a in report.overdue
    ]


def measure_table(report: MeetingReport) -> Table:
    return ["Ref", "Measure", "Position"], [
        [a.ref, m.name, measure_line(m)] for a, m in report.measures
    ]


NO_RAG_CHANGE = "No action's RAG status changed."
FIRST_REPORT = "This is the board's first report on the plan."
NO_MEASURES = "No success measures are set."
NO_COMPLETED = "No action has been completed."
NO_PROGRESS = "No progress update was recorded in the period."


def progress_heading(report: MeetingReport) -> str:
    return (
        "Progress updates since the last meeting"
        if report.previous is not None
        else "Progress updates to this meeting"
    )


def update_line(u: UpdateView) -> str:
    return f"{u.on:%-d %b %Y}, {u.author}: {u.text}"


# -- Word --


def report_docx(report: MeetingReport) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    doc.add_heading(report.title, level=0)
    p = report.plan
    doc.add_paragraph(
        f"{p.council_name}. Plan status: {p.status.label}. "
        + (f"Report received {p.received:%-d %B %Y}. " if p.received else "")
        + f"Position as at {report.meeting.on:%-d %B %Y}"
        + (
            f"; changes since {report.board.name} met on {report.previous.on:%-d %B %Y}."
            if report.previous
            else "."
        )
    )
    doc.add_heading("Actions by RAG status", level=1)
    counts = p.rag_counts()
    table = doc.add_table(rows=2, cols=len(counts) + 1)
    table.style = "Table Grid"
    for i, (rag, n) in enumerate(counts.items()):
        table.cell(0, i).text = rag.label
        table.cell(1, i).text = str(n)
        run = table.cell(0, i).paragraphs[0].runs[0]
        run.font.bold = True
        run.font.color.rgb = RGBColor.from_string(RAG_COLOURS[rag])
    table.cell(0, len(counts)).text = "Total"
    table.cell(1, len(counts)).text = str(len(p.actions))
    for d in p.deadlines:
        doc.add_paragraph(f"{d.name}: due {d.due:%-d %B %Y} ({d.state}).", style="List Bullet")

    doc.add_heading("What changed since the last meeting", level=1)
    if report.rag_changes:
        _rows(doc, *rag_change_table(report))
    else:
        doc.add_paragraph(NO_RAG_CHANGE if report.previous else FIRST_REPORT)
    if report.changes:
        doc.add_paragraph(f"{len(report.changes)} recorded changes:")
        for e in report.changes[:200]:
            doc.add_paragraph(change_line(e), style="List Bullet")

    doc.add_heading(progress_heading(report), level=1)
    progress = report.progress
    for a, updates in progress:
        doc.add_paragraph(f"{a.ref}: {a.description}", style="Heading 3")
        doc.add_paragraph(f"{a.status.label}, {a.percent}%; RAG {a.rag.label}.")
        for u in updates:
            doc.add_paragraph(update_line(u), style="List Bullet")
    if not progress:
        doc.add_paragraph(NO_PROGRESS)

    doc.add_heading("Overdue actions", level=1)
    if report.overdue:
        _rows(doc, *overdue_table(report))
    else:
        doc.add_paragraph(NO_OVERDUE)

    doc.add_heading("Measures against target", level=1)
    if report.measures:
        _rows(doc, *measure_table(report))
    else:
        doc.add_paragraph(NO_MEASURES)

    doc.add_heading("Actions completed, with their evidence", level=1)
    if report.completed:
        for a in report.completed:
            doc.add_paragraph(
                f"{a.ref} {_short(a.description)} ({a.status.label})", style="List Bullet"
            )
            for ev in a.evidence:
                doc.add_paragraph(
                    f"Evidence: {ev.title} ({ev.url or ev.file_name}), added by {ev.added_by} "
                    f"on {ev.added_at:%-d %b %Y}",
                    style="List Bullet 2",
                )
            if not a.evidence:
                doc.add_paragraph("No evidence recorded.", style="List Bullet 2")
    else:
        doc.add_paragraph(NO_COMPLETED)

    doc.add_heading("All actions", level=1)
    _rows(
        doc,
        ["Ref", "Action", "Lead", "Due", "Status", "%", "RAG", "Why"],
        [
            [
                a.ref,
                _short(a.description),
                a.lead.display_name if a.lead else "",
                f"{a.due:%-d %b %Y}" if a.due else "",
                a.status.label,
                str(a.percent),
                a.rag.label + (" (override)" if a.override is not None else ""),
                "; ".join(a.computed.reasons)
                + (f". Override: {a.override_reason}" if a.override is not None else ""),
            ]
            for a in p.actions
        ],
    )
    footer = doc.add_paragraph(
        f"Produced by ofsted-csc on {date.today():%-d %B %Y}. RAG by the rule in the ofsted-csc documentation (docs/plans.md)."
    )
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _rows(doc: object, heads: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(heads))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for i, h in enumerate(heads):
        table.rows[0].cells[i].text = h
        table.rows[0].cells[i].paragraphs[0].runs[0].font.bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = value


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- HTML --


def report_html(report: MeetingReport) -> str:
    """A standalone page (inline styles, no scripts), for e-mail or committee papers."""
    p = report.plan
    h: list[str] = []
    add = h.append
    add(
        f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>{escape(report.title)}</title>"
    )
    add(
        "<style>body{font-family:Arial,sans-serif;max-width:60em;margin:2em auto;color:#0b0c0c}"
        "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}th,td{border:1px solid #b1b4b6;"
        "padding:.3em .5em;text-align:left;vertical-align:top}th{background:#f3f2f1}.rag{font-weight:bold}"
        + "".join(f".rag-{r.name.lower()}{{color:#{c}}}" for r, c in RAG_COLOURS.items())
        + "</style></head><body>"
    )
    add(f"<h1>{escape(report.title)}</h1>")
    prev = (
        f"; changes since {escape(report.board.name)} met on {report.previous.on:%-d %B %Y}"
        if report.previous
        else ""
    )
    add(
        f"<p>{escape(p.council_name)}. Plan status: {p.status.label}. Position as at {report.meeting.on:%-d %B %Y}{prev}.</p>"
    )
    add("<h2>Actions by RAG status</h2><table><tr>")
    counts = p.rag_counts()
    add(
        "".join(f"<th class='rag rag-{r.name.lower()}'>{r.label}</th>" for r in counts)
        + "<th>Total</th></tr><tr>"
    )
    add(
        "".join(f"<td>{n}</td>" for n in counts.values())
        + f"<td>{len(p.actions)}</td></tr></table>"
    )
    add("<h2>What changed since the last meeting</h2>")
    if report.rag_changes:
        add(_html_table(*rag_change_table(report)))
    else:
        add(f"<p>{NO_RAG_CHANGE if report.previous else FIRST_REPORT}</p>")
    add(
        f"<p>{len(report.changes)} recorded changes.</p><ul>"
        + "".join(f"<li>{escape(change_line(e))}</li>" for e in report.changes[:200])
        + "</ul>"
    )
    add(f"<h2>{progress_heading(report)}</h2>")
    progress = report.progress
    for a, updates in progress:
        add(f"<h3>{escape(a.ref)}: {escape(a.description)}</h3>")
        add(f"<p>{a.status.label}, {a.percent}%; RAG {a.rag.label}.</p><ul>")
        add("".join(f"<li>{escape(update_line(u))}</li>" for u in updates) + "</ul>")
    if not progress:
        add(f"<p>{NO_PROGRESS}</p>")
    add("<h2>Overdue actions</h2>")
    add(_html_table(*overdue_table(report)) if report.overdue else f"<p>{NO_OVERDUE}</p>")
    add("<h2>Measures against target</h2>")
    add(_html_table(*measure_table(report)) if report.measures else f"<p>{NO_MEASURES}</p>")
    add("<h2>Actions completed, with their evidence</h2>")
    if report.completed:
        add("<ul>")
        for a in report.completed:
            ev = (
                "".join(
                    f"<li>{escape(e.title)} ({escape(e.url or e.file_name or '')})</li>"
                    for e in a.evidence
                )
                or "<li>No evidence recorded.</li>"
            )
            add(f"<li>{escape(a.ref)} {escape(_short(a.description))}<ul>{ev}</ul></li>")
        add("</ul>")
    else:
        add(f"<p>{NO_COMPLETED}</p>")
    add("</body></html>")
    return "".join(h)


def _html_table(heads: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(x)}</th>" for x in heads)
    body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
