"""Councils' own plan workbooks, in three shapes (tests/plans/council_workbooks.py), come in
with the expected actions, leads, dates, statuses and RAG, and the import says how it read
each cell that was not a plain date; a workbook with bad rows is refused row by row, with
nothing written."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import openpyxl
import pytest

from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.plans import accounts, imports, memberships, selectors, xlsx
from ofsted_csc.plans.common import OPERATOR, User
from ofsted_csc.plans.rules import Role
from ofsted_csc.storage import Store

from . import council_workbooks as cw
from .helpers import audit_count


@pytest.fixture
def officers(store: Store, people: dict[str, User]) -> dict[str, User]:
    return {
        name: accounts.user_create(
            store,
            people["admin"],
            name,
            display_name=full,
            email=email,
            role=Role.VIEWER,
        )
        for name, full, email in cw.PEOPLE
    }


def _import(
    store: Store, editor: User, make: Callable[[], bytes], name: str
) -> tuple[int, list[str]]:
    draft = xlsx.plan_from_xlsx(make(), name, council="825", today=cw.TODAY)
    return imports.plan_create_from(store, editor, draft), draft.notes


@pytest.mark.parametrize(
    ("make", "expected"),
    [(cw.titled, cw.TITLED), (cw.sections, cw.SECTIONS), (cw.commentary, cw.COMMENTARY)],
    ids=["titled", "sections", "commentary"],
)
def test_each_council_workbook_gives_its_actions(
    store: Store,
    people: dict[str, User],
    officers: dict[str, User],
    make: Callable[[], bytes],
    expected: tuple[cw.Expected, ...],
) -> None:
    plan_id, _ = _import(store, people["editor"], make, "council.xlsx")
    plan = selectors.plan_get(store, plan_id, on=cw.ON, actor=OPERATOR)
    got = [
        (
            ws.title,
            a.lead.username if a.lead else None,
            a.start,
            a.due,
            a.status,
            a.percent,
            a.rag,
        )
        for ws in plan.workstreams
        for a in ws.actions
    ]
    assert got == [
        (e.workstream, e.lead, e.start, e.due, e.status, e.percent, e.rag) for e in expected
    ]
    assert all(
        a.description.startswith(e.description) for a, e in zip(plan.actions, expected, strict=True)
    )


def test_the_titled_workbook_says_how_it_read_it(
    store: Store, people: dict[str, User], officers: dict[str, User]
) -> None:
    plan_id, notes = _import(store, people["editor"], cw.titled, "titled.xlsx")
    sheet = "Improvement Plan"
    for note in (
        f"{sheet} rows 1 and 2 are above the headings (row 4) and read as titles: "
        "'Westshire County Council'; "
        '"Children\'s services improvement plan 2019/20: after the ILACS inspection"',
        f"{sheet} row 5: 'March 2019' taken as 31 March 2019, the last day of March 2019",
        f"{sheet} row 6: 'end of Q2 2019/20' taken as 30 September 2019, the last day of "
        "Q2 2019/20",
        f"{sheet} row 7: 'Q3 2019-20' taken as 31 December 2019, the last day of Q3 2019/20",
        f"{sheet} row 9: due 'Ongoing' is not a date, so the action has no due date",
        f"{sheet} rows 6, 7 and 9: no workstream given, so each is in the workstream of the "
        "row above (as merged cells read)",
        f"{sheet} rows 5, 6, 7, 8 and 9: no status given, so the RAG stands for one (Red: "
        "Off track, Amber: At risk, Green: On track, Blue: Complete)",
        f"{sheet} rows 5, 6 and 8: each progress text is kept as a progress update dated "
        "7 May 2019 (the day of the import), by whoever imports it",
        f"{sheet}: column H ('Risks') not read",
    ):
        assert note in notes
    plan = selectors.plan_get(store, plan_id, on=cw.ON, actor=OPERATOR)
    updates = [(u.on, u.text, u.author) for a in plan.actions for u in a.updates]
    assert updates == [
        (cw.TODAY, "Policy relaunched at practice week", "Ed Itor"),
        (cw.TODAY, "First audit done in April", "Ed Itor"),
        (cw.TODAY, "Recruitment campaign delayed", "Ed Itor"),
    ]
    # the notes stay with the plan, in its history
    kept = [
        e.new for e in selectors.history(store, plan_id, actor=OPERATOR) if e.field == "import note"
    ]
    assert kept == notes


def test_the_sections_workbook_says_how_it_read_it(
    store: Store, people: dict[str, User], officers: dict[str, User]
) -> None:
    _, notes = _import(store, people["editor"], cw.sections, "sections.xlsx")
    sheet = "Action plan"
    for note in (
        f"{sheet} row 1 is above the headings (row 2) and read as titles: "
        "'Westshire Council: action plan after the focused visit of March 2019'",
        f"{sheet} row 4: 'April 2019' taken as 1 April 2019, the first day of April 2019",
        f"{sheet} row 4: 'Jun-19' taken as 30 June 2019, the last day of June 2019",
        f"{sheet} row 7: 'Q2 2019/20' taken as 1 July 2019, the first day of Q2 2019/20",
        f"{sheet} row 7: 'end of Q4 2019/20' taken as 31 March 2020, the last day of Q4 2019/20",
        f"{sheet} rows 3 and 6: one cell each, read as workstream headings",
        f"{sheet} rows 4 and 7: no status given, so the RAG stands for one (Red: Off track, "
        "Amber: At risk, Green: On track, Blue: Complete)",
        f"{sheet}: an action's ref is its workstream's number and its place in it: "
        "1 is 1.1, 2 is 1.2, 3 is 2.1, 4 is 2.2",
        "sheet 'Cover' was not read: only 'Action plan' holds actions",
    ):
        assert note in notes
    (columns,) = [n for n in notes if n.startswith(f"{sheet}: column")]
    assert columns.startswith(f"{sheet}: column B ('Area for improvement') not read")


def test_a_rag_that_does_not_match_the_status_is_kept_as_an_override(
    store: Store, people: dict[str, User], officers: dict[str, User]
) -> None:
    plan_id, notes = _import(store, people["editor"], cw.commentary, "commentary.xlsx")
    plan = selectors.plan_get(store, plan_id, on=cw.ON, actor=OPERATOR)
    a1, a2, a3 = plan.actions
    assert (a1.override, a3.override) == (None, None)
    assert a2.computed.rag.label == "Green" and a2.rag.label == "Amber"
    assert a2.override_reason == "RAG Amber as given in commentary.xlsx, Actions row 3"
    assert [(u.on.isoformat(), u.text) for a in plan.actions for u in a.updates] == [
        ("2019-04-15", "Front door design agreed"),
        ("2019-04-30", "Audit tool drafted"),
        ("2019-04-30", "All care leavers offered a PA"),
    ]
    assert (
        "Actions row 3: the RAG given does not match the status, so it is kept as a RAG "
        "override whose reason names the row" in notes
    )
    assert "Actions row 2: '31.03.2020'" not in " ".join(notes)  # a plain date is not noted


def test_bad_rows_are_refused_each_with_its_row_and_reason(
    store: Store, people: dict[str, User], officers: dict[str, User]
) -> None:
    before = audit_count(store)
    with pytest.raises(InvalidInput) as caught:
        _import(store, people["editor"], cw.bad, "bad.xlsx")
    message = caught.value.message
    assert message.startswith(
        "bad.xlsx: 5 rows of Improvement Plan cannot be read, so nothing was imported: "
    )
    for part in (
        "Improvement Plan row 6, due: 'next spring' is not a date (use a date cell, "
        "31/03/2027, March 2027 or Q4 2026/27)",
        "Improvement Plan row 7: RAG 'Purple' is not one of Red, Amber, Green, Blue, Complete",
        "Improvement Plan row 8: the action is empty (the row has '1.4', 'Sam Okafor', "
        "'Q3 2019-20')",
        "Improvement Plan row 9: the ref '1.1' is used twice",
        "Improvement Plan row 10, due: 'Q2 2019' does not say which financial year: write it "
        "as Q2 2019/20",
    ):
        assert part in message
    assert audit_count(store) == before


def test_leads_who_are_not_users_are_all_named_with_their_rows(
    store: Store, people: dict[str, User]
) -> None:
    """Without the officers as users, every lead is refused, by row, and nothing written."""
    before = audit_count(store)
    with pytest.raises(InvalidInput) as caught:
        _import(store, people["editor"], cw.commentary, "commentary.xlsx")
    message = caught.value.message
    assert message.startswith("3 actions name a lead officer who is not a user")
    for ref, row, name in (("A1", 2, "jane hardy"), ("A2", 3, "jhardy"), ("A3", 4, "priya shah")):
        assert (
            f"action {ref} (commentary.xlsx, Actions row {row}), lead officer: no user is "
            f"named {name!r}"
        ) in message
    assert audit_count(store) == before


def test_a_title_that_says_actions_is_not_taken_for_the_headings(
    store: Store, people: dict[str, User], officers: dict[str, User]
) -> None:
    def make() -> bytes:
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        for row in (
            ["Actions"],
            [],
            ["Action", "Lead", "Due"],
            ["Audit plans", "pshah", "Q1 2020/21"],
        ):
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    plan_id, notes = _import(store, people["editor"], make, "one.xlsx")
    (action,) = selectors.plan_get(store, plan_id, on=cw.ON, actor=OPERATOR).actions
    assert (action.description, action.due) == ("Audit plans", date(2020, 6, 30))
    assert "Sheet row 1 is above the headings (row 3) and read as titles: 'Actions'" in notes


def test_leads_of_another_council_are_refused_where_councils_have_members(
    store: Store, people: dict[str, User]
) -> None:
    """On a store with council memberships, a workbook's lead officers must work for the plan's
    council: staff of another council are refused by row, with nothing written; given a role
    there, they are taken."""
    admin = people["admin"]
    for name, full, email in cw.PEOPLE:
        accounts.user_create(store, admin, name, display_name=full, email=email, role=Role.NONE)
        memberships.membership_set(store, admin, name, "886", "editor")  # Kent's staff
    before = audit_count(store)
    with pytest.raises(InvalidInput) as caught:
        _import(store, people["editor"], cw.commentary, "commentary.xlsx")
    message = caught.value.message
    assert message.startswith("3 actions name a lead officer who is not a user, or has no role")
    assert "action A1 (commentary.xlsx, Actions row 2), lead officer: " in message
    assert message.count("has no role in this council's plans") == 1 + 3  # summary, rows
    assert audit_count(store) == before
    for name, _, _ in cw.PEOPLE:
        memberships.membership_set(store, admin, name, "825", "viewer")
    plan_id, _ = _import(store, people["editor"], cw.commentary, "commentary.xlsx")
    plan = selectors.plan_get(store, plan_id, on=cw.ON, actor=admin)
    assert all(a.lead is not None for a in plan.actions)
