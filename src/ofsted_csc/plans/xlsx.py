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
from ofsted_csc.plans.rules import BoardKind, PlanStatus, Rag, Status
from ofsted_csc.plans.selectors import PlanView

MAX_ROWS = 50_000  # a large plan: 200 actions x 3 measures x 36 monthly readings is 21,600
MAX_COLUMNS = 60
MAX_CELL = 10_000

# Actions sheet: field -> headings that mean it (lower case; the first is what we write)
ACTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "ref.", "reference", "no.", "number", "action no", "action number"),
    "workstream": ("workstream", "priority", "theme", "area", "objective"),
    "description": ("action", "actions", "action description", "description", "what we will do"),
    "answers": ("answers", "recommendation no", "ofsted recommendation no"),
    "words": ("report's words", "recommendation", "ofsted recommendation", "finding"),
    "lead": ("lead officer", "lead", "responsible officer", "owner", "officer"),
    "partner": ("partner agency", "partner", "partners"),
    "start": ("start", "start date"),
    "due": ("due", "due date", "deadline", "target date", "completion date", "by when"),
    "status": ("status",),
    "percent": ("% complete", "percent complete", "progress %", "% done"),
    "rag": ("rag",),
    "rag_computed": ("rag by the rule",),
    "override": ("rag override",),
    "override_reason": ("override reason", "rag override reason"),
    "rag_reasons": ("why",),
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
) -> PlanDraft:
    """A plan read from a workbook (ours, or a council's with an Actions sheet). Every problem
    names the file, the sheet and the row."""
    sheets = read_workbook(data, file_name)
    actions_sheet = _find_sheet(sheets, "actions") or (
        next(iter(sheets.items()))[0] if sheets else None
    )
    if actions_sheet is None or not sheets[actions_sheet]:
        raise InvalidInput(f"{file_name}: the workbook has no rows of actions")
    plan_values = _plan_values(sheets.get(_find_sheet(sheets, "plan") or "", []))
    registry = load_registry()
    council_key = council or plan_values.get("la code") or plan_values.get("council")
    if not council_key:
        raise InvalidInput(
            f"{file_name}: say which council the plan is for (--council, or a Plan sheet)"
        )
    found_council = registry.lookup(str(council_key))
    rows = sheets[actions_sheet]
    header_row, heads = rows[0]
    columns = _columns(file_name, actions_sheet, header_row, heads)
    workstreams: dict[str, WorkstreamDraft] = {}
    for n, values in _rows(sheets, "workstreams", WORKSTREAM_HEADERS, file_name):
        title_text = _text(values[1])
        if not title_text:
            raise InvalidInput(f"{file_name}: Workstreams row {n} has no title")
        workstreams.setdefault(title_text, WorkstreamDraft(title_text, []))
    by_ref: dict[str, ActionDraft] = {}
    for n, values in rows[1:]:
        at = f"{file_name}: {actions_sheet} row {n}"

        def get(field: str, values: list[Any] = values) -> Any:
            i = columns.get(field)
            return values[i] if i is not None and i < len(values) else None

        description = _text(get("description"))
        if not description:
            raise InvalidInput(f"{at}: the action is empty")
        ref = _text(get("ref")) or str(len(by_ref) + 1)
        if ref in by_ref:
            raise InvalidInput(f"{at}: the ref {ref!r} is used twice")
        ws_title = _text(get("workstream")) or "Actions"
        status_text = _text(get("status"))
        try:
            status = Status.parse(status_text) if status_text else Status.NOT_STARTED
        except ValueError:
            raise InvalidInput(
                f"{at}: status {status_text!r} is not one of {', '.join(s.label for s in Status)}"
            ) from None
        override_text = _text(get("override"))
        try:
            override = Rag.parse(override_text) if override_text else None
        except ValueError:
            raise InvalidInput(
                f"{at}: RAG override {override_text!r} is not Red, Amber, Green or Blue"
            ) from None
        action = ActionDraft(
            ref=ref,
            description=description,
            lead=_text(get("lead")),
            partner=_text(get("partner")),
            start=_date(get("start"), f"{at}, start"),
            due=_date(get("due"), f"{at}, due"),
            status=status,
            percent=_percent(get("percent"), f"{at}, % complete"),
            override=override,
            override_reason=_text(get("override_reason")),
            links=[],
            measures=[],
            updates=[],
            evidence=[],
        )
        by_ref[ref] = action
        if len(by_ref) > MAX_PLAN_ACTIONS:
            raise InvalidInput(
                f"{file_name}: {too_many('actions', MAX_PLAN_ACTIONS, 'a plan', len(rows) - 1)}"
            )
        workstreams.setdefault(ws_title, WorkstreamDraft(ws_title, [])).actions.append(action)
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
    )


def _find_sheet(sheets: dict[str, Any], name: str) -> str | None:
    return next((s for s in sheets if s.strip().lower() == name), None)


def _columns(file_name: str, sheet: str, row: int, heads: list[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, head in enumerate(heads):
        key = " ".join(str(head or "").lower().split())
        for field, names in ACTION_COLUMNS.items():
            if key in names and field not in columns:
                columns[field] = i
                break
    if "description" not in columns:
        raise InvalidInput(
            f"{file_name}: {sheet} row {row} has no action column (headings seen: "
            f"{', '.join(str(h) for h in heads if h)}); call it 'Action'"
        )
    return columns


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
