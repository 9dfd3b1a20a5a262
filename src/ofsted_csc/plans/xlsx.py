"""A plan as an XLSX workbook, in the one-row-per-action layout councils use, and back.

Sheets: "Actions" (one row per action: what councils print and edit), then "Plan",
"Workstreams", "Links", "Measures", "Readings", "Updates", "Evidence", "Boards" and "Meetings",
which carry the rest so that exporting a
plan and importing the file gives the same plan (uploaded evidence files travel by name and
SHA-256; their bytes stay in the database and are reattached when the database has them).

Importing a council's own workbook needs only an "Actions" sheet with an action column;
other columns are found by their usual headings (see ACTION_COLUMNS).

Workbooks are untrusted input: size, zip expansion, sheet size and cell length are capped,
XML is parsed with defusedxml (openpyxl uses it when installed), formulas are refused and
text that a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.limits import MAX_PLAN_ACTIONS, MAX_WORKBOOK_BYTES, too_many
from ofsted_csc.domain.values import MAX_ID, check_number, xml_safe
from ofsted_csc.parsing.ooxml import append_row, check_package
from ofsted_csc.plans.evidence import is_web_address
from ofsted_csc.plans.findings import SECTION_LABELS
from ofsted_csc.plans.imports import (
    ActionDraft,
    BoardDraft,
    EvidenceDraft,
    LinkDraft,
    MeasureDraft,
    PlanDraft,
    SourceDraft,
    WorkstreamDraft,
)
from ofsted_csc.plans.periods import read_period, says_no_date
from ofsted_csc.plans.rules import BoardKind, PlanStatus, Rag, Status
from ofsted_csc.plans.selectors import PlanView

MAX_ROWS = 50_000  # a large plan: 200 actions x 3 measures x 36 monthly readings is 21,600
MAX_COLUMNS = 60
MAX_CELL = 10_000

# Actions sheet: field -> headings that mean it (lower case, as `_heading` makes them; the
# first is what we write). Councils' own workbooks use many of these.
ACTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": (
        "ref",
        "reference",
        "no",
        "number",
        "action no",
        "action number",
        "action ref",
        "ref no",
        "id",
        "#",
    ),
    "workstream": (
        "workstream",
        "priority",
        "theme",
        "area",
        "objective",
        "priority area",
        "improvement priority",
        "improvement area",
        "strand",
    ),
    "description": (
        "action",
        "actions",
        "action description",
        "description",
        "what we will do",
        "what will we do",
        "action required",
        "actions required",
        "planned action",
        "key actions",
        "action to be taken",
    ),
    "answers": ("answers", "recommendation no", "ofsted recommendation no"),
    "words": (
        "report's words",
        "recommendation",
        "ofsted recommendation",
        "finding",
        "area for improvement",
        "area for priority action",
        "what ofsted said",
    ),
    "lead": (
        "lead officer",
        "lead",
        "responsible officer",
        "owner",
        "officer",
        "action owner",
        "lead person",
        "lead manager",
        "responsible",
        "accountable officer",
        "who",
    ),
    "partner": ("partner agency", "partner", "partners"),
    "start": ("start", "start date"),
    "due": (
        "due",
        "due date",
        "deadline",
        "target date",
        "completion date",
        "by when",
        "timescale",
        "timescales",
        "date due",
        "due by",
        "end date",
        "when",
    ),
    "status": ("status", "action status", "current status", "progress status"),
    "percent": ("% complete", "percent complete", "progress %", "% done", "percentage complete"),
    "rag": ("rag", "rag status", "rag rating", "rating", "rag rated", "status (rag)"),
    "rag_computed": ("rag by the rule",),
    "override": ("rag override",),
    "override_reason": ("override reason", "rag override reason"),
    "rag_reasons": ("why",),
    "progress": (
        "progress",
        "progress update",
        "update",
        "latest update",
        "progress to date",
        "progress made",
        "commentary",
        "progress commentary",
        "comments",
        "update on progress",
    ),
    "progress_date": ("update date", "date of update", "last updated", "date updated", "as at"),
}
# the headings we write, in order
ACTION_HEADINGS = {
    "ref": "Ref",
    "workstream": "Workstream",
    "description": "Action",
    "answers": "Answers",
    "words": "Report's words",
    "lead": "Lead officer",
    "partner": "Partner agency",
    "start": "Start",
    "due": "Due",
    "status": "Status",
    "percent": "% complete",
    "rag": "RAG",
    "rag_computed": "RAG by the rule",
    "override": "RAG override",
    "override_reason": "Override reason",
    "rag_reasons": "Why",
}

PLAN_FIELDS = ("Title", "Council", "LA code", "Report received", "Status")
WORKSTREAM_HEADERS = ("Number", "Workstream")
LINK_HEADERS = ("Ref", "File", "SHA-256", "Section", "Number", "Page", "Words")
MEASURE_HEADERS = ("Ref", "Measure", "Baseline", "Baseline date", "Target", "Target date")
READING_HEADERS = ("Ref", "Measure", "Date", "Value", "Recorded by")
UPDATE_HEADERS = ("Ref", "Date", "Author", "Update")
EVIDENCE_HEADERS = ("Ref", "Title", "Link", "File", "SHA-256", "Size")
SOURCE_HEADERS = ("Source", "File", "SHA-256", "Kind")
BOARD_HEADERS = ("Board", "Kind")
MEETING_HEADERS = ("Board", "Date")
SECTIONS_BY_LABEL = {label.lower(): key for key, label in SECTION_LABELS.items()}
BOARD_KINDS = {k.label.lower(): k for k in BoardKind} | {k.value: k for k in BoardKind}


# -- export --


def plan_to_xlsx(plan: PlanView) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Actions"
    heads = list(ACTION_HEADINGS.values())
    rows: list[list[Any]] = []
    for a in plan.actions:
        rows.append(
            [
                a.ref,
                a.workstream,
                a.description,
                "\n".join(f"{link.file_name or link.sha256[:12]} {link.label}" for link in a.links),
                "\n\n".join(link.text for link in a.links),
                a.lead.username if a.lead else None,
                a.partner,
                a.start,
                a.due,
                a.status.label,
                a.percent,
                a.rag.label,
                a.computed.rag.label,
                a.override.label if a.override is not None else None,
                a.override_reason,
                "; ".join(a.computed.reasons),
            ]
        )
    _sheet(ws, heads, rows, wide=(2, 4))
    council = load_registry().by_urn(plan.council_urn)
    plan_sheet = wb.create_sheet("Plan")
    _sheet(
        plan_sheet,
        ["Field", "Value"],
        [
            ["Title", plan.title],
            ["Council", plan.council_name],
            ["LA code", council.la_code if council else plan.council_urn],
            ["Report received", plan.received],
            ["Status", plan.status.label],
        ],
    )
    plan_sheet.append([])
    append_row(plan_sheet, SOURCE_HEADERS)
    for src in plan.sources:
        append_row(plan_sheet, [_safe(v) for v in (src.label, src.file_name, src.sha256, src.kind)])
    _sheet(
        wb.create_sheet("Workstreams"),
        list(WORKSTREAM_HEADERS),
        [[w.position, w.title] for w in plan.workstreams],
        wide=(1,),
    )
    _sheet(
        wb.create_sheet("Links"),
        list(LINK_HEADERS),
        [
            [
                a.ref,
                x.file_name,
                x.sha256,
                SECTION_LABELS.get(x.section, x.section),
                x.position,
                x.page,
                x.text,
            ]
            for a in plan.actions
            for x in a.links
        ],
        wide=(6,),
    )
    _sheet(
        wb.create_sheet("Measures"),
        list(MEASURE_HEADERS),
        [
            [a.ref, m.name, m.baseline, m.baseline_date, m.target, m.target_date]
            for a in plan.actions
            for m in a.measures
        ],
    )
    _sheet(
        wb.create_sheet("Readings"),
        list(READING_HEADERS),
        [
            [a.ref, m.name, on, value, by]
            for a in plan.actions
            for m in a.measures
            for on, value, by in m.readings
        ],
    )
    _sheet(
        wb.create_sheet("Updates"),
        list(UPDATE_HEADERS),
        [[a.ref, u.on, u.author, u.text] for a in plan.actions for u in a.updates],
        wide=(3,),
    )
    _sheet(
        wb.create_sheet("Evidence"),
        list(EVIDENCE_HEADERS),
        [
            [a.ref, e.title, e.url, e.file_name, e.sha256, e.size]
            for a in plan.actions
            for e in a.evidence
        ],
    )
    _sheet(
        wb.create_sheet("Boards"),
        list(BOARD_HEADERS),
        [[b.name, b.kind.label] for b in plan.boards],
        wide=(0,),
    )
    _sheet(
        wb.create_sheet("Meetings"),
        list(MEETING_HEADERS),
        [[b.name, m.on] for b in plan.boards for m in b.meetings],
        wide=(0,),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws: Any, heads: list[str], rows: list[list[Any]], wide: tuple[int, ...] = ()) -> None:
    append_row(ws, heads)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(ws, [_safe(v) for v in row])
    for i, _ in enumerate(heads):
        ws.column_dimensions[get_column_letter(i + 1)].width = 60 if i in wide else 18
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "d mmm yyyy"
            if isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def _safe(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return xml_safe(value)  # a control character stored before values were checked
    return value


# -- import --


def read_workbook(data: bytes, file_name: str) -> dict[str, list[tuple[int, list[Any]]]]:
    """The workbook's sheets as rows of values (row number, values), after the checks for
    hostile files."""
    check_package(
        data,
        file_name,
        what="plan workbook",
        kind="an XLSX workbook",
        part="xl/workbook.xml",
        max_bytes=MAX_WORKBOOK_BYTES,
        hint="save it from Excel as .xlsx; .xls and .csv are not read",
    )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl and defusedxml raise many kinds
        raise InvalidInput(
            f"{file_name}: the workbook cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    sheets: dict[str, list[tuple[int, list[Any]]]] = {}
    try:
        for ws in wb.worksheets:
            rows: list[tuple[int, list[Any]]] = []
            for n, row in enumerate(ws.iter_rows(), 1):
                if n > MAX_ROWS + 1:
                    raise InvalidInput(
                        f"{file_name}: sheet {ws.title!r} has more than {MAX_ROWS} rows"
                    )
                values = []
                for i, cell in enumerate(row):
                    if i >= MAX_COLUMNS:
                        if cell.value not in (None, ""):
                            raise InvalidInput(
                                f"{file_name}: sheet {ws.title!r} has more than {MAX_COLUMNS} columns"
                            )
                        continue
                    values.append(_value(file_name, ws.title, n, i, cell))
                if any(v not in (None, "") for v in values):
                    rows.append((n, values))
            sheets[ws.title] = rows
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(
            f"{file_name}: the workbook cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    finally:
        wb.close()
    return sheets


def _value(file_name: str, sheet: str, row: int, col: int, cell: Cell | Any) -> Any:
    value = getattr(cell, "value", None)
    where = f"{sheet}!{get_column_letter(col + 1)}{row}"
    if getattr(cell, "data_type", None) == "f":
        raise InvalidInput(f"{file_name}: cell {where} holds a formula; paste values only")
    if isinstance(value, str):
        if len(value) > MAX_CELL:
            raise InvalidInput(
                f"{file_name}: cell {where} has {len(value)} characters; at most {MAX_CELL}"
            )
        value = value.strip()
    return value


def plan_from_xlsx(
    data: bytes,
    file_name: str,
    *,
    council: str | None = None,
    title: str | None = None,
    today: date | None = None,
) -> PlanDraft:
    """A plan read from a workbook (ours, or a council's own: see `_read_actions`). Every
    row of actions is read or refused: a refusal names the file, the sheet, the row and the
    reason, and every row refused is listed (nothing is imported then). How a council's cells
    were read ("row 7: 'end of Q2 2019/20' taken as 30 September 2019") is in the draft's
    `notes`. `today`: the date given to progress updates read from a column without dates."""
    sheets = read_workbook(data, file_name)
    notes: list[str] = []
    actions_sheet, header_at, columns = _actions_sheet(file_name, sheets)
    plan_values = _plan_values(sheets.get(_find_sheet(sheets, "plan") or "", []))
    registry = load_registry()
    council_key = council or plan_values.get("la code") or plan_values.get("council")
    if not council_key:
        raise InvalidInput(
            f"{file_name}: say which council the plan is for (--council, or a Plan sheet)"
        )
    found_council = registry.lookup(str(council_key))
    workstreams: dict[str, WorkstreamDraft] = {}
    for n, values in _rows(sheets, "workstreams", WORKSTREAM_HEADERS, file_name):
        title_text = _text(values[1])
        if not title_text:
            raise InvalidInput(f"{file_name}: Workstreams row {n} has no title")
        workstreams.setdefault(title_text, WorkstreamDraft(title_text, []))
    by_ref = _read_actions(
        ActionSheet(file_name, actions_sheet, sheets[actions_sheet], header_at, columns),
        workstreams,
        notes,
        today or date.today(),
    )
    renumbered = [
        f"{a.ref} is {pos}.{k}"
        for pos, w in enumerate(workstreams.values(), 1)
        for k, a in enumerate(w.actions, 1)
        if a.ref != f"{pos}.{k}"
    ]
    if renumbered:
        notes.append(
            f"{actions_sheet}: an action's ref is its workstream's number and its place in it: "
            + ", ".join(renumbered[:30])
            + (f" and {len(renumbered) - 30} more" if len(renumbered) > 30 else "")
        )
    ignored = [
        name
        for name in sheets
        if name != actions_sheet and name.strip().lower() not in OUR_SHEETS and sheets[name]
    ]
    if ignored:
        notes.append(
            f"{_names(ignored)} {'was' if len(ignored) == 1 else 'were'} not read: only "
            f"{actions_sheet!r} holds actions"
        )
    sources = _sources(sheets.get(_find_sheet(sheets, "plan") or "", []))
    _links(file_name, sheets, by_ref)
    _measures(file_name, sheets, by_ref)
    for n, values in _rows(sheets, "updates", UPDATE_HEADERS, file_name):
        at = f"{file_name}: Updates row {n}"
        action = _action_for(by_ref, values[0], at)
        on = _date(values[1], f"{at}, date")
        if on is None or not _text(values[2]) or not _text(values[3]):
            raise InvalidInput(f"{at}: an update needs a date, an author and its text")
        action.updates.append((on, str(_text(values[3])), str(_text(values[2]))))
    for n, values in _rows(sheets, "evidence", EVIDENCE_HEADERS, file_name):
        at = f"{file_name}: Evidence row {n}"
        action = _action_for(by_ref, values[0], at)
        url, name = _text(values[2]), _text(values[3])
        if not _text(values[1]) or not (url or name):
            raise InvalidInput(f"{at}: evidence needs a title and a link or a file")
        if url and not is_web_address(url):
            raise InvalidInput(f"{at}: the link {url!r} is not a web address")
        size = values[5]
        action.evidence.append(
            EvidenceDraft(
                str(_text(values[1])),
                url,
                name,
                _text(values[4]),
                _int(size, f"{at}, size") if isinstance(size, int | float) else None,
            )
        )
    boards = _boards(file_name, sheets)
    received = _date(plan_values.get("report received"), f"{file_name}: Plan, report received")
    status_text = _text(plan_values.get("status"))
    try:
        plan_status = PlanStatus(status_text.lower()) if status_text else PlanStatus.DRAFT
    except ValueError:
        raise InvalidInput(
            f"{file_name}: Plan status {status_text!r} is not one of draft, submitted, active, closed"
        ) from None
    return PlanDraft(
        council_urn=found_council.urn,
        title=title or _text(plan_values.get("title")) or f"{found_council.name}: improvement plan",
        received=received,
        status=plan_status,
        sources=sources,
        workstreams=list(workstreams.values()),
        boards=boards,
        notes=notes,
    )


def _find_sheet(sheets: dict[str, Any], name: str) -> str | None:
    return next((s for s in sheets if s.strip().lower() == name), None)


HEADER_SEARCH = 30  # rows of titles a council may put above its headings
OUR_SHEETS = frozenset(
    [
        "actions",
        "plan",
        "workstreams",
        "links",
        "measures",
        "readings",
        "updates",
        "evidence",
        "boards",
        "meetings",
    ]
)
# a council's RAG, as its workbook writes it (R/A/G, words, "Complete" for done)
RAG_WORDS = {
    "r": Rag.RED,
    "red": Rag.RED,
    "a": Rag.AMBER,
    "amber": Rag.AMBER,
    "g": Rag.GREEN,
    "green": Rag.GREEN,
    "b": Rag.BLUE,
    "blue": Rag.BLUE,
    "complete": Rag.BLUE,
    "completed": Rag.BLUE,
}
# the status a council's RAG stands for when the workbook gives no status (docs/plans.md)
STATUS_OF_RAG = {
    Rag.RED: Status.OFF_TRACK,
    Rag.AMBER: Status.AT_RISK,
    Rag.GREEN: Status.ON_TRACK,
    Rag.BLUE: Status.COMPLETE,
}
RAG_OF_STATUS = {status: rag for rag, status in STATUS_OF_RAG.items()} | {
    Status.CLOSED_WITH_EVIDENCE: Rag.BLUE
}
# statuses in councils' words beside ours ("On track", "on_track")
STATUS_WORDS = {
    "completed": Status.COMPLETE,
    "done": Status.COMPLETE,
    "closed": Status.COMPLETE,
    "in progress": Status.ON_TRACK,
    "ongoing": Status.ON_TRACK,
    "not yet started": Status.NOT_STARTED,
}
DATE_HINT = "use a date cell, 31/03/2027, March 2027 or Q4 2026/27"


def _heading(head: Any) -> str:
    """A heading as ACTION_COLUMNS spells it: lower case, one space, no trailing colon, star,
    question mark or full stop, "(s)" dropped ("Action(s):" is "action")."""
    key = " ".join(str(head or "").replace("\u2019", "'").lower().split())
    key = key.replace("(s)", "").rstrip(" :*?.")
    return " ".join(key.split())


def _columns(heads: list[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, head in enumerate(heads):
        key = _heading(head)
        for field, names in ACTION_COLUMNS.items():
            if key in names and field not in columns:
                columns[field] = i
                break
    return columns


def _actions_sheet(
    file_name: str, sheets: dict[str, list[tuple[int, list[Any]]]]
) -> tuple[str, int, dict[str, int]]:
    """The sheet of actions (one called Actions, else the first with a row of headings that
    has an action column), the index of its headings' row (titles may sit above it: the
    first row within HEADER_SEARCH with an action column and one more known heading, else the
    first with an action column) and its columns."""
    named = _find_sheet(sheets, "actions")
    order = [named] if named else [s for s in sheets if s.strip().lower() not in OUR_SHEETS]
    for sheet in order:
        found = [
            (i, columns)
            for i, (_, values) in enumerate(sheets[sheet][:HEADER_SEARCH])
            if "description" in (columns := _columns(values))
        ]
        # a row with more known headings than the action's beats a title that says "Actions"
        fuller = [(i, columns) for i, columns in found if len(columns) > 1]
        if fuller or found:
            i, columns = (fuller or found)[0]
            return sheet, i, columns
    first = named or next(iter(sheets), None)
    if first is None or not sheets[first]:
        raise InvalidInput(f"{file_name}: the workbook has no rows of actions")
    row, heads = sheets[first][0]
    raise InvalidInput(
        f"{file_name}: {first} row {row} has no action column (headings seen: "
        f"{', '.join(str(h) for h in heads if h)}); call it 'Action' (headings are looked "
        f"for in the first {HEADER_SEARCH} rows)"
    )


@dataclass(frozen=True)
class ActionSheet:
    file_name: str
    name: str
    rows: list[tuple[int, list[Any]]]
    header_at: int  # index in rows of the headings' row
    columns: dict[str, int]

    @property
    def ours(self) -> bool:
        """Written by plan_to_xlsx: RAG, answers and words there are derived, carried by
        the other sheets."""
        return "rag_computed" in self.columns


def _read_actions(
    sheet: ActionSheet,
    workstreams: dict[str, WorkstreamDraft],
    notes: list[str],
    today: date,
) -> dict[str, ActionDraft]:
    """Every row below the headings is an action, or a workstream's heading (a row with one
    cell filled, when the sheet has no workstream column), or it is refused with its row and
    the reason; all the refusals are raised together. A council's workbook may give:

    - dates as periods: a due "March 2019" or "end of Q2 2019/20" is the period's last day, a
      start its first (plans.periods); "Ongoing" or "TBC" is no date; each is noted;
    - a RAG (Red, Amber, Green, Blue or Complete, or R, A, G, B), in a RAG column or in the
      Status column: with no status it stands for one (Red: off track, Amber: at risk, Green:
      on track, Blue: complete); beside a status it does not match, it is kept as an override
      whose reason names the row;
    - a progress column: each action's text becomes a progress update, dated by an update
      date column or `today`, by whoever imports it;
    - a workstream column with blank cells under a filled one (merged cells): the one above.
    """
    file_name, name, columns = sheet.file_name, sheet.name, sheet.columns
    header_row, heads = sheet.rows[sheet.header_at]
    _note_columns(sheet, heads, notes)
    above = sheet.rows[: sheet.header_at]
    if above:
        titles = "; ".join(
            repr(" ".join(str(v) for v in values if v not in (None, ""))[:80])
            for _, values in above
        )
        notes.append(
            f"{name} {_span([n for n, _ in above])} {'is' if len(above) == 1 else 'are'} above "
            f"the headings (row {header_row}) and read as titles: {titles}"
        )
    by_ref: dict[str, ActionDraft] = {}
    errors: list[str] = []
    headings: list[int] = []
    carried: list[int] = []
    as_status: list[int] = []
    overridden: list[int] = []
    dated: list[int] = []
    current: str | None = None
    for n, values in sheet.rows[sheet.header_at + 1 :]:
        at = f"{file_name}: {name} row {n}"

        def get(field: str, values: list[Any] = values) -> Any:
            i = columns.get(field)
            return values[i] if i is not None and i < len(values) else None

        description = _text(get("description"))
        if not description:
            filled = [v for v in values if v not in (None, "")]
            if "workstream" not in columns and len(filled) == 1 and isinstance(filled[0], str):
                current = filled[0]
                workstreams.setdefault(current, WorkstreamDraft(current, []))
                headings.append(n)
                continue
            seen = ", ".join(repr(_text(v)) for v in filled[:3])
            errors.append(f"{at}: the action is empty (the row has {seen})")
            continue
        try:
            action, how = _action_row(sheet, n, get, today, str(len(by_ref) + 1))
        except InvalidInput as exc:
            errors.append(exc.message)
            continue
        if action.ref in by_ref:
            errors.append(f"{at}: the ref {action.ref!r} is used twice")
            continue
        notes.extend(how.notes)
        if how.rag_as_status:
            as_status.append(n)
        if how.overridden:
            overridden.append(n)
        if how.undated_update:
            dated.append(n)
        ws_title = _text(get("workstream"))
        if ws_title is None and current is not None:
            ws_title = current
            if "workstream" in columns:
                carried.append(n)
        elif ws_title is not None:
            current = ws_title  # carried down to the blank cells below it
        ws_title = ws_title or "Actions"
        by_ref[action.ref] = action
        if len(by_ref) > MAX_PLAN_ACTIONS:
            raise InvalidInput(
                f"{file_name}: "
                f"{too_many('actions', MAX_PLAN_ACTIONS, 'a plan', len(sheet.rows) - 1)}"
            )
        workstreams.setdefault(ws_title, WorkstreamDraft(ws_title, [])).actions.append(action)
    if errors:
        if len(errors) == 1:
            raise InvalidInput(errors[0])
        shown = "; ".join(e.removeprefix(f"{file_name}: ") for e in errors[:20])
        more = f"; and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise InvalidInput(
            f"{file_name}: {len(errors)} rows of {name} cannot be read, so nothing was "
            f"imported: {shown}{more}"
        )
    if headings:
        notes.append(f"{name} {_span(headings)}: one cell each, read as workstream headings")
    if carried:
        notes.append(
            f"{name} {_span(carried)}: no workstream given, so each is in the workstream of "
            "the row above (as merged cells read)"
        )
    if as_status:
        notes.append(
            f"{name} {_span(as_status)}: no status given, so the RAG stands for one (Red: "
            "Off track, Amber: At risk, Green: On track, Blue: Complete)"
        )
    if overridden:
        notes.append(
            f"{name} {_span(overridden)}: the RAG given does not match the status, so it is "
            "kept as a RAG override whose reason names the row"
        )
    if dated:
        notes.append(
            f"{name} {_span(dated)}: each progress text is kept as a progress update dated "
            f"{today:%-d %B %Y} (the day of the import), by whoever imports it"
        )
    return by_ref


@dataclass
class _How:
    """How one row of a council's workbook was read, for the import's report."""

    notes: list[str]
    rag_as_status: bool = False
    overridden: bool = False
    undated_update: bool = False


def _action_row(
    sheet: ActionSheet, n: int, get: Any, today: date, next_ref: str
) -> tuple[ActionDraft, _How]:
    at = f"{sheet.file_name}: {sheet.name} row {n}"
    where = f"{sheet.name} row {n}"
    how = _How([])
    ref = _text(get("ref")) or next_ref
    status_text = _text(get("status"))
    rag_text = None if sheet.ours else _text(get("rag"))
    status = None
    if status_text:
        try:
            status = _status(status_text)
        except ValueError:
            if sheet.ours or rag_text or status_text.lower() not in RAG_WORDS:
                raise InvalidInput(
                    f"{at}: status {status_text!r} is not one of "
                    f"{', '.join(s.label for s in Status)}"
                ) from None
            rag_text = status_text  # a RAG in the Status column
    rag = None
    if rag_text:
        rag = RAG_WORDS.get(rag_text.lower())
        if rag is None:
            raise InvalidInput(
                f"{at}: RAG {rag_text!r} is not one of Red, Amber, Green, Blue, Complete "
                "(or R, A, G, B)"
            )
    override_text = _text(get("override"))
    try:
        override = Rag.parse(override_text) if override_text else None
    except ValueError:
        raise InvalidInput(
            f"{at}: RAG override {override_text!r} is not Red, Amber, Green or Blue"
        ) from None
    override_reason = _text(get("override_reason"))
    if rag is not None:
        if status is None:
            status = STATUS_OF_RAG[rag]
            how.rag_as_status = True
        elif RAG_OF_STATUS.get(status) is not rag and override is None:
            override = rag
            override_reason = f"RAG {rag.label} as given in {sheet.file_name}, {where}"
            how.overridden = True
    updates: list[tuple[date, str, str | None]] = []
    progress = get("progress")
    percent_cell = get("percent")
    if progress not in (None, "") and "percent" not in sheet.columns and _is_percent(progress):
        percent_cell = progress
    elif (text := _text(progress)) is not None:
        on = _when(get("progress_date"), at, where, "update date", how.notes)
        if on is None:
            on = today
            how.undated_update = True
        updates.append((on, text, None))
    start = _when(get("start"), at, where, "start", how.notes)
    due = _when(get("due"), at, where, "due", how.notes)
    action = ActionDraft(
        ref=ref,
        description=str(_text(get("description"))),
        lead=_text(get("lead")),
        partner=_text(get("partner")),
        start=start,
        due=due,
        status=status or Status.NOT_STARTED,
        percent=_percent(percent_cell, f"{at}, % complete"),
        override=override,
        override_reason=override_reason,
        links=[],
        measures=[],
        updates=updates,
        evidence=[],
        row=f"{sheet.file_name}, {where}",
    )
    return action, how


def _status(text: str) -> Status:
    key = " ".join(text.lower().split())
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    return Status.parse(text)


def _is_percent(value: Any) -> bool:
    if isinstance(value, int | float):
        return True
    return re.fullmatch(r"\d{1,3}(\.\d+)?\s*%", str(value).strip()) is not None


def _when(value: Any, at: str, where: str, role: str, notes: list[str]) -> date | None:
    """A date cell, a day or a period as councils write them (plans.periods): a period is its
    last day, or its first for a start; "Ongoing" is no date. Each reading that is not a
    plain date goes in `notes`."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = " ".join(str(value).split())
    if says_no_date(text):
        notes.append(f"{where}: {role} {text!r} is not a date, so the action has no {role} date")
        return None
    try:
        period = read_period(text)
    except ValueError as exc:
        reason = str(exc)
        hint = f" ({DATE_HINT})" if reason.endswith("is not a date") else ""
        raise InvalidInput(f"{at}, {role}: {reason}{hint}") from None
    if period.is_day:
        return period.first
    day = period.first if role == "start" else period.last
    edge = "first" if role == "start" else "last"
    notes.append(f"{where}: {text!r} taken as {day:%-d %B %Y}, the {edge} day of {period.what}")
    return day


def _note_columns(sheet: ActionSheet, heads: list[Any], notes: list[str]) -> None:
    """Columns of a council's sheet that are not read, by heading and letter."""
    used = set(sheet.columns.values())
    kept_elsewhere = {"answers", "words", "rag_reasons", "rag_computed"}
    if sheet.ours:
        return
    data = [values for _, values in sheet.rows[sheet.header_at + 1 :]]
    width = max((len(v) for v in data), default=0)
    unread = []
    for i in range(max(width, len(heads))):
        head = heads[i] if i < len(heads) else None
        field = next((f for f, c in sheet.columns.items() if c == i), None)
        filled = any(i < len(v) and v[i] not in (None, "") for v in data)
        if (i not in used or field in kept_elsewhere) and filled:
            label = repr(str(head)) if head not in (None, "") else "with no heading"
            unread.append(f"{get_column_letter(i + 1)} ({label})")
    if unread:
        words = "words" in sheet.columns and sheet.columns["words"] in used
        notes.append(
            f"{sheet.name}: column{'s' if len(unread) > 1 else ''} {', '.join(unread)} not read"
            + (
                " (an action answers a report's words by a link to the stored report: "
                "`plan action --answers`, or its page)"
                if words
                else ""
            )
        )


def _span(rows: list[int]) -> str:
    """Row numbers as people read them: "row 7", "rows 5, 6 and 9"."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    return f"rows {', '.join(str(r) for r in rows[:-1])} and {rows[-1]}"


def _names(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    if len(quoted) == 1:
        return f"sheet {quoted[0]}"
    return f"sheets {', '.join(quoted[:-1])} and {quoted[-1]}"


def _plan_values(rows: list[tuple[int, list[Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for _, values in rows:
        if values and isinstance(values[0], str) and values[0] in PLAN_FIELDS:
            out[values[0].lower()] = values[1] if len(values) > 1 else None
    return out


def _sources(rows: list[tuple[int, list[Any]]]) -> list[SourceDraft]:
    out: list[SourceDraft] = []
    started = False
    for _, values in rows:
        if values[:4] == list(SOURCE_HEADERS):
            started = True
            continue
        if started and len(values) >= 4 and values[2]:
            out.append(SourceDraft(str(values[2]), str(values[3]), str(values[0]), str(values[1])))
    return out


def _rows(
    sheets: dict[str, list[tuple[int, list[Any]]]],
    name: str,
    heads: tuple[str, ...],
    file_name: str,
) -> Iterator[tuple[int, list[Any]]]:
    sheet = _find_sheet(sheets, name)
    if sheet is None or not sheets[sheet]:
        return
    first_row, first = sheets[sheet][0]
    if [str(h or "") for h in first[: len(heads)]] != list(heads):
        raise InvalidInput(
            f"{file_name}: sheet {sheet!r} row {first_row} should have the headings "
            f"{', '.join(heads)}"
        )
    for n, values in sheets[sheet][1:]:
        yield n, values + [None] * (len(heads) - len(values))


def _links(file_name: str, sheets: dict[str, Any], by_ref: dict[str, ActionDraft]) -> None:
    for n, values in _rows(sheets, "links", LINK_HEADERS, file_name):
        at = f"{file_name}: Links row {n}"
        action = _action_for(by_ref, values[0], at)
        sha = _text(values[2]) or ""
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise InvalidInput(f"{at}: {sha!r} is not a file's SHA-256")
        section = SECTIONS_BY_LABEL.get(str(_text(values[3]) or "").lower())
        if section is None:
            raise InvalidInput(
                f"{at}: section {values[3]!r} is not one of {', '.join(SECTION_LABELS.values())}"
            )
        position = _int(values[4], f"{at}, number")
        page = _int(values[5], f"{at}, page") if values[5] not in (None, "") else None
        action.links.append(LinkDraft(sha, section, position, page, str(_text(values[6]) or "")))


def _measures(file_name: str, sheets: dict[str, Any], by_ref: dict[str, ActionDraft]) -> None:
    named: dict[tuple[str, str], MeasureDraft] = {}
    for n, values in _rows(sheets, "measures", MEASURE_HEADERS, file_name):
        at = f"{file_name}: Measures row {n}"
        action = _action_for(by_ref, values[0], at)
        name = _text(values[1])
        baseline_date = _date(values[3], f"{at}, baseline date")
        target_date = _date(values[5], f"{at}, target date")
        if not name or baseline_date is None or target_date is None:
            raise InvalidInput(f"{at}: a measure needs a name, a baseline date and a target date")
        m = MeasureDraft(
            name,
            _float(values[2], f"{at}, baseline"),
            baseline_date,
            _float(values[4], f"{at}, target"),
            target_date,
            [],
        )
        named[(action.ref, name)] = m
        action.measures.append(m)
    for n, values in _rows(sheets, "readings", READING_HEADERS, file_name):
        at = f"{file_name}: Readings row {n}"
        action = _action_for(by_ref, values[0], at)
        measure = named.get((action.ref, str(_text(values[1]))))
        if measure is None:
            raise InvalidInput(
                f"{at}: action {action.ref} has no measure {values[1]!r} in the Measures sheet"
            )
        on = _date(values[2], f"{at}, date")
        if on is None or not _text(values[4]):
            raise InvalidInput(f"{at}: a reading needs a date and who recorded it")
        measure.readings.append((on, _float(values[3], f"{at}, value"), str(_text(values[4]))))


def _boards(file_name: str, sheets: dict[str, Any]) -> list[BoardDraft]:
    """The Boards sheet (name, kind) and the Meetings sheet (board, date)."""
    boards: dict[str, BoardDraft] = {}
    for n, values in _rows(sheets, "boards", BOARD_HEADERS, file_name):
        at = f"{file_name}: Boards row {n}"
        name, kind_text = _text(values[0]), _text(values[1])
        if not name:
            raise InvalidInput(f"{at}: a board needs a name")
        if name.lower() in boards:
            raise InvalidInput(f"{at}: the board {name!r} is listed twice")
        kind = BOARD_KINDS.get((kind_text or "other").lower())
        if kind is None:
            raise InvalidInput(
                f"{at}: kind {kind_text!r} is not one of {', '.join(k.label for k in BoardKind)}"
            )
        boards[name.lower()] = BoardDraft(name, kind, [])
    for n, values in _rows(sheets, "meetings", MEETING_HEADERS, file_name):
        at = f"{file_name}: Meetings row {n}"
        board = boards.get((_text(values[0]) or "").lower())
        if board is None:
            raise InvalidInput(f"{at}: no board {values[0]!r} in the Boards sheet")
        on = _date(values[1], f"{at}, date")
        if on is None:
            raise InvalidInput(f"{at}: a meeting needs a date")
        if on in board.meetings:
            raise InvalidInput(f"{at}: {board.name} already meets on {on:%-d %B %Y}")
        board.meetings.append(on)
    return list(boards.values())


def _action_for(by_ref: dict[str, ActionDraft], ref: Any, at: str) -> ActionDraft:
    key = _text(ref) or ""
    if key not in by_ref:
        raise InvalidInput(f"{at}: no action has the ref {key!r}")
    return by_ref[key]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%d-%m-%Y")


def parse_date(text: str) -> date:
    """A date as people type it: 2027-03-31, 31/03/2027, 31 March 2027 or 31 Mar 2027."""
    text = " ".join(text.split())
    for fmt in _DATE_FORMATS:
        try:
            found = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 2000 <= found.year <= 2100:
            return found
    raise ValueError(text)


def _date(value: Any, at: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return parse_date(text)
    except ValueError:
        raise InvalidInput(
            f"{at}: {text!r} is not a date (use a date cell, or 31/03/2027)"
        ) from None


def _int(value: Any, at: str) -> int:
    try:
        number = float(str(value).strip())
        if not number.is_integer() or not 0 <= number <= MAX_ID:
            raise ValueError
        return int(number)
    except (TypeError, ValueError):
        raise InvalidInput(f"{at}: {value!r} is not a whole number from 0 to {MAX_ID}") from None


def _float(value: Any, at: str) -> float:
    try:
        number = float(str(value).strip().rstrip("%"))
    except (TypeError, ValueError):
        raise InvalidInput(f"{at}: {value!r} is not a number") from None
    try:
        return check_number("value", number)
    except InvalidInput as exc:
        raise InvalidInput(f"{at}: {exc}") from None


def _percent(value: Any, at: str) -> int:
    if value in (None, ""):
        return 0
    text = str(value).strip()
    number = _float(text, at)
    if isinstance(value, float) and 0 < value < 1 and not text.endswith("%"):
        number = value * 100  # a cell formatted as a percentage holds 0.5 for 50%
    if not 0 <= number <= 100:
        raise InvalidInput(f"{at}: {text} is not a percentage from 0 to 100")
    return round(number)
