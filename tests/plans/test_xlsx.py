"""A plan's XLSX round trip loses nothing; council workbooks come in; malformed and hostile
workbooks are refused by name with nothing written."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from ofsted_csc import api
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.limits import MAX_WORKBOOK_BYTES
from ofsted_csc.plans import (
    accounts,
    actions,
    boards,
    evidence,
    imports,
    measures,
    plan_writes,
    selectors,
    xlsx,
)
from ofsted_csc.plans.common import OPERATOR, User
from ofsted_csc.plans.rules import BoardKind, Rag, Role, Status
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import AuditEventRow, PlanRow

REPORT = "50276975.pdf"
ON = date(2026, 11, 2)


@pytest.fixture
def store(db_url: str, fixtures_dir: Path) -> Iterator[Store]:
    st = api.open_store(db_url)
    api.ingest(st, [fixtures_dir / "reports" / REPORT])
    yield st
    st.close()


@pytest.fixture
def editor(store: Store) -> User:
    admin = accounts.user_create(store, None, "ada", role=Role.ADMIN)
    accounts.user_create(store, admin, "lead.one", display_name="Lee Dwon", role=Role.VIEWER)
    return accounts.user_create(store, admin, "ed", role=Role.EDITOR)


def _full_plan(store: Store, ed: User) -> int:
    plan_id = plan_writes.plan_create(store, ed, [REPORT])
    a, b = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[:2]
    actions.action_update(
        store,
        ed,
        a.id,
        a.version,
        {
            "lead": "lead.one",
            "partner": "=cmd|' /C calc'!A0",
            "start_date": date(2026, 4, 1),
            "due_date": date(2027, 3, 31),
            "status": Status.ON_TRACK,
            "percent": 35,
        },
    )
    m = measures.measure_add(
        store,
        ed,
        a.id,
        "Supervision on time (%)",
        baseline=45,
        baseline_date=date(2026, 4, 1),
        target=85,
        target_date=date(2027, 3, 31),
    )
    measures.measure_record(store, ed, m, 51, date(2026, 6, 30))
    measures.measure_record(store, ed, m, 58, date(2026, 9, 30))
    actions.progress_add(
        store, ed, a.id, date(2026, 10, 3), "Practice standards relaunched.\nTwo lines."
    )
    evidence.evidence_add(store, ed, b.id, "Audit report", url="https://example.org/audit")
    evidence.evidence_add(
        store, ed, b.id, "Board minutes", file_name="minutes.pdf", data=b"%PDF-1.7 minutes"
    )
    b = selectors.action_get(store, b.id, actor=OPERATOR)[1]
    actions.action_update(
        store, ed, b.id, b.version, {"status": Status.CLOSED_WITH_EVIDENCE, "percent": 100}
    )
    a = selectors.action_get(store, a.id, actor=OPERATOR)[1]
    actions.rag_override_set(store, ed, a.id, a.version, Rag.AMBER, "Recruitment under way")
    plan_writes.workstream_add(store, ed, plan_id, "Workforce")
    board = boards.board_create(
        store, ed, plan_id, "Improvement board", BoardKind.IMPROVEMENT_BOARD
    )
    boards.meeting_add(store, ed, board, date(2026, 10, 20))
    boards.meeting_add(store, ed, board, date(2026, 7, 14))
    scrutiny = boards.board_create(store, ed, plan_id, "=Children's scrutiny", BoardKind.SCRUTINY)
    boards.meeting_add(store, ed, scrutiny, date(2026, 11, 2))
    return plan_id


def _cells(data: bytes) -> dict[str, list[list[object]]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}


def test_export_then_import_gives_the_same_plan(store: Store, editor: User) -> None:
    plan_id = _full_plan(store, editor)
    first = xlsx.plan_to_xlsx(selectors.plan_get(store, plan_id, on=ON, actor=OPERATOR))
    draft = xlsx.plan_from_xlsx(first, "plan.xlsx")
    assert draft.notes == []  # our own workbook is read as written: nothing to say
    copy_id = imports.plan_create_from(store, editor, draft)
    second = xlsx.plan_to_xlsx(selectors.plan_get(store, copy_id, on=ON, actor=OPERATOR))
    cells = _cells(first)
    assert _cells(first) == _cells(second)  # every sheet, every cell
    assert list(cells) == [
        "Actions",
        "Plan",
        "Workstreams",
        "Links",
        "Measures",
        "Readings",
        "Updates",
        "Evidence",
        "Boards",
        "Meetings",
    ]
    # each sheet carries what the plan holds: nothing is an empty sheet of headings
    assert all(len(rows) > 1 for rows in cells.values())
    assert cells["Boards"][1:] == [
        ["Improvement board", "Improvement board"],
        ["=Children's scrutiny", "Scrutiny committee"],
    ]
    assert [row[0] for row in cells["Meetings"][1:]] == [
        "Improvement board",
        "Improvement board",
        "=Children's scrutiny",
    ]
    assert [row[1].date() for row in cells["Meetings"][1:]] == [
        date(2026, 7, 14),
        date(2026, 10, 20),
        date(2026, 11, 2),
    ]
    original, copy = (
        selectors.plan_get(store, plan_id, on=ON, actor=OPERATOR),
        selectors.plan_get(store, copy_id, on=ON, actor=OPERATOR),
    )
    for a, b in zip(original.actions, copy.actions, strict=True):
        assert (a.ref, a.description, a.lead, a.partner, a.start, a.due, a.status, a.percent) == (
            b.ref,
            b.description,
            b.lead,
            b.partner,
            b.start,
            b.due,
            b.status,
            b.percent,
        )
        assert (a.rag, a.override_reason, a.links) == (b.rag, b.override_reason, b.links)
        assert [m.readings for m in a.measures] == [m.readings for m in b.measures]
        assert [(u.on, u.text, u.author) for u in a.updates] == [
            (u.on, u.text, u.author) for u in b.updates
        ]
        assert [(e.title, e.url, e.file_name, e.sha256) for e in a.evidence] == [
            (e.title, e.url, e.file_name, e.sha256) for e in b.evidence
        ]
    assert [w.title for w in copy.workstreams] == [w.title for w in original.workstreams]
    assert [(b.name, b.kind, [m.on for m in b.meetings]) for b in copy.boards] == [
        (b.name, b.kind, [m.on for m in b.meetings]) for b in original.boards
    ]
    assert copy.workstreams[-1].title == "Workforce" and not copy.workstreams[-1].actions
    # the uploaded file's bytes are found again by its sha256
    evidence = next(e for e in copy.actions[1].evidence if e.file_name)
    assert selectors.evidence_file(store, evidence.id, actor=OPERATOR)[3] == b"%PDF-1.7 minutes"
    assert [c.value for c in openpyxl.load_workbook(io.BytesIO(first))["Actions"][1]][:3] == [
        "Ref",
        "Workstream",
        "Action",
    ]


def test_people_named_by_full_name_come_back_and_an_ambiguous_name_is_refused(
    store: Store, editor: User
) -> None:
    """The export names updates' and readings' authors by full name ("Ann Admin"); importing
    it finds the user of that name (or email); two users of one name are refused by name."""
    admin = accounts.user_get(store, "ada")
    ann = accounts.user_create(store, admin, "ann", display_name="Ann Admin", role=Role.EDITOR)
    plan_id = plan_writes.plan_create(store, ann, [REPORT])
    a = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    actions.progress_add(store, ann, a.id, date(2026, 11, 30), "Audit of plans done")
    first = xlsx.plan_to_xlsx(selectors.plan_get(store, plan_id, on=ON, actor=OPERATOR))
    assert any("Ann Admin" in row for row in _cells(first)["Updates"])
    copy_id = imports.plan_create_from(store, editor, xlsx.plan_from_xlsx(first, "plan.xlsx"))
    copied = selectors.plan_get(store, copy_id, on=ON, actor=OPERATOR).actions[0].updates
    assert [(u.text, u.author) for u in copied] == [("Audit of plans done", "Ann Admin")]
    assert _cells(
        xlsx.plan_to_xlsx(selectors.plan_get(store, copy_id, on=ON, actor=OPERATOR))
    ) == _cells(first)
    accounts.user_create(store, admin, "ann2", display_name="ann admin", role=Role.VIEWER)
    before = _counts(store)
    with pytest.raises(InvalidInput, match="2 users are named 'Ann Admin': give their user name"):
        imports.plan_create_from(store, editor, xlsx.plan_from_xlsx(first, "plan.xlsx"))
    assert _counts(store) == before


def test_text_that_looks_like_a_formula_is_written_as_text(store: Store, editor: User) -> None:
    data = xlsx.plan_to_xlsx(selectors.plan_get(store, _full_plan(store, editor), actor=OPERATOR))
    ws = openpyxl.load_workbook(io.BytesIO(data))["Actions"]
    partner = ws.cell(row=2, column=7)
    assert partner.value == "=cmd|' /C calc'!A0" and partner.data_type == "s"


def test_every_text_cell_of_every_sheet_is_text(
    store: Store, editor: User, fixtures_dir: Path, tmp_path: Path
) -> None:
    """The report's file name (anyone may upload one) heads the Plan sheet's sources, a
    workstream and an update begin with + and @: no sheet holds a formula."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = "=HYPERLINK(1).pdf"
    (folder / name).write_bytes((fixtures_dir / "reports" / "50304386.pdf").read_bytes())
    api.ingest(store, [folder])
    plan_id = plan_writes.plan_create(store, editor, [name])
    plan_writes.workstream_add(store, editor, plan_id, "+ Workforce")
    action = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    actions.progress_add(store, editor, action.id, date(2026, 10, 3), "@lead: -2 vacancies")
    plan = selectors.plan_get(store, plan_id, actor=OPERATOR)
    assert [s.file_name for s in plan.sources] == [name]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.plan_to_xlsx(plan)))
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {name, "+ Workforce", "@lead: -2 vacancies"} <= texts


def _workbook(rows: list[list[object]], sheet: str = "Actions") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_councils_own_workbook_comes_in_by_its_headings(store: Store, editor: User) -> None:
    data = _workbook(
        [
            [
                "No.",
                "Priority",
                "What we will do",
                "Responsible officer",
                "Deadline",
                "Status",
                "% complete",
            ],
            [
                "1a",
                "Practice",
                "Relaunch supervision policy",
                "lead.one",
                date(2027, 1, 29),
                "On track",
                0.5,
            ],
            [
                "1b",
                "Practice",
                "Audit supervision quarterly",
                None,
                "31/03/2027",
                "not started",
                None,
            ],
            [
                "2a",
                "Workforce",
                "Reduce agency staff to 10%",
                "lead.one",
                "30 June 2027",
                "At risk",
                "20%",
            ],
        ]
    )
    plan_id = imports.plan_create_from(
        store, editor, xlsx.plan_from_xlsx(data, "ours.xlsx", council="825")
    )
    plan = selectors.plan_get(store, plan_id, actor=OPERATOR)
    assert plan.council_name == "Buckinghamshire"
    assert [(w.title, [a.ref for a in w.actions]) for w in plan.workstreams] == [
        ("Practice", ["1.1", "1.2"]),
        ("Workforce", ["2.1"]),
    ]
    a, b, c = plan.actions
    assert (a.lead.username if a.lead else None, a.due, a.status, a.percent) == (
        "lead.one",
        date(2027, 1, 29),
        Status.ON_TRACK,
        50,
    )
    assert (b.lead, b.due, b.status) == (None, date(2027, 3, 31), Status.NOT_STARTED)
    assert (c.due, c.percent, c.status) == (date(2027, 6, 30), 20, Status.AT_RISK)


def _counts(store: Store) -> tuple[int, int]:
    with store.session() as s:
        return (
            s.scalar(select(func.count(PlanRow.id))) or 0,
            s.scalar(select(func.count(AuditEventRow.id))) or 0,
        )


HEAD = ["Action", "Lead officer", "Start", "Due", "Status"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [HEAD, ["Do it", "nobody", None, None, "On track"]],
            r"action 1 \(bad.xlsx, Actions row 2\), lead officer: no user is named 'nobody'",
        ),
        (
            [HEAD, ["Do it", None, date(2027, 2, 1), date(2027, 1, 1), None]],
            r"due date 1 January 2027 is before the start date",
        ),
        (
            [HEAD, ["Do it", None, None, "next spring", None]],
            r"Actions row 2, due: 'next spring' is not a date",
        ),
        (
            [HEAD, ["Do it", None, None, None, "Nearly there"]],
            r"Actions row 2: status 'Nearly there' is not one of",
        ),
        ([["Task", "Owner"], ["Do it", "ed"]], r"Actions row 1 has no action column"),
        ([HEAD, ["Do it", None, None, None, "=1+1"]], r"cell Actions!E2 holds a formula"),
    ],
)
def test_malformed_workbooks_are_refused_and_nothing_is_written(
    store: Store, editor: User, rows: list[list[object]], message: str
) -> None:
    before = _counts(store)
    with pytest.raises(InvalidInput, match=message):
        imports.plan_create_from(
            store, editor, xlsx.plan_from_xlsx(_workbook(rows), "bad.xlsx", council="825")
        )
    assert _counts(store) == before


def test_an_import_failing_half_way_writes_nothing(store: Store, editor: User) -> None:
    rows = [HEAD] + [[f"Action {n}", "lead.one", None, None, None] for n in range(20)]
    rows.append(["The last one", "someone.unknown", None, None, None])
    before = _counts(store)
    with pytest.raises(InvalidInput, match=r"someone\.unknown"):
        imports.plan_create_from(
            store, editor, xlsx.plan_from_xlsx(_workbook(rows), "long.xlsx", council="825")
        )
    assert _counts(store) == before


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_hostile_workbooks_are_refused(store: Store, editor: User) -> None:
    good = _workbook([HEAD, ["Do it", None, None, None, None]])
    cases = {
        "not a zip": (b"<html><body>Sign in</body></html>", "not an XLSX workbook"),
        "empty": (b"", "the file is empty"),
        "too big": (good + b"\0" * (MAX_WORKBOOK_BYTES + 1), "a plan workbook may be up to 5 MB"),
        "zip bomb": (
            _zip({"xl/workbook.xml": b"<a/>", "xl/worksheets/sheet1.xml": b"0" * 80_000_000}),
            "refused as unsafe",
        ),
        "a zip but not a workbook": (_zip({"hello.txt": b"hello"}), "no xl/workbook.xml"),
    }
    # an XML entity expansion ("billion laughs") inside a real workbook's sheet
    z = zipfile.ZipFile(io.BytesIO(good))
    members = {n: z.read(n) for n in z.namelist()}
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    members["xl/worksheets/sheet1.xml"] = bomb
    cases["entity expansion"] = (_zip(members), "cannot be read")
    before = _counts(store)
    for name, (data, message) in cases.items():
        with pytest.raises(InvalidInput, match=message) as caught:
            xlsx.plan_from_xlsx(data, f"{name}.xlsx", council="825")
        assert f"{name}.xlsx" in str(caught.value)
    assert _counts(store) == before


def _with_boards(data: bytes, boards: list[list[object]], meetings: list[list[object]]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for name, rows in (("Boards", boards), ("Meetings", meetings)):
        ws = wb[name]
        ws.delete_rows(2, ws.max_row)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("boards", "meetings", "message"),
    [
        (
            [["Improvement board", "Improvement board"]],
            [["Scrutiny", date(2026, 1, 5)]],
            r"plan.xlsx: Meetings row 2: no board 'Scrutiny' in the Boards sheet",
        ),
        (
            [["Improvement board", "Parish council"]],
            [],
            r"plan.xlsx: Boards row 2: kind 'Parish council' is not one of Improvement board, ",
        ),
        (
            [["Cabinet", "Cabinet"], ["cabinet", "Cabinet"]],
            [],
            r"plan.xlsx: Boards row 3: the board 'cabinet' is listed twice",
        ),
        (
            [["Cabinet", "cabinet"]],
            [["Cabinet", date(2026, 1, 5)], ["Cabinet", "5/1/2026"]],
            r"plan.xlsx: Meetings row 3: Cabinet already meets on 5 January 2026",
        ),
        (
            [["Cabinet", "Cabinet"]],
            [["Cabinet", "soon"]],
            r"plan.xlsx: Meetings row 2, date: 'soon' is not a date",
        ),
    ],
)
def test_bad_boards_and_meetings_are_refused_by_row(
    store: Store,
    editor: User,
    boards: list[list[object]],
    meetings: list[list[object]],
    message: str,
) -> None:
    plan_id = plan_writes.plan_create(store, editor, [REPORT])
    data = _with_boards(
        xlsx.plan_to_xlsx(selectors.plan_get(store, plan_id, actor=OPERATOR)), boards, meetings
    )
    before = _counts(store)
    with pytest.raises(InvalidInput, match=message):
        imports.plan_create_from(store, editor, xlsx.plan_from_xlsx(data, "plan.xlsx"))
    assert _counts(store) == before
