"""Values and sizes of plans (ofsted_csc.domain.values and limits, as the library applies
them), on SQLite and PostgreSQL: NaN, infinity, ids past the database's integer and control
characters are refused by name with nothing written; a plan may not grow past its limits; and
text stored before these checks cannot break a workbook or a board's report."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import docx
import openpyxl
import pytest
from sqlalchemy import func, select, update

from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.domain.limits import MAX_PLAN_ACTIONS
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
from ofsted_csc.plans.rules import BoardKind, PlanStatus, Rag, Status
from ofsted_csc.reports import board
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import (
    ActionRow,
    EvidenceRow,
    MeasureReadingRow,
    MeasureRow,
    ProgressUpdateRow,
    UserRow,
    WorkstreamRow,
)

from .helpers import REPORT, audit_count

HUGE = 2**63  # past PostgreSQL's bigint, let alone the integer ids are kept in
ROWS = (ActionRow, WorkstreamRow, MeasureRow, MeasureReadingRow, ProgressUpdateRow, EvidenceRow)


def _state(store: Store) -> tuple[int, ...]:
    """The audit trail's length and the number of rows of each kind: equal before and after a
    refused write, so nothing was written."""
    with store.session() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(row)) or 0 for row in ROWS)
    return (audit_count(store), *counts)


def _refused(store: Store, call: Callable[[], Any], match: str, error: type = InvalidInput) -> None:
    before = _state(store)
    with pytest.raises(error, match=match):
        call()
    assert _state(store) == before


def test_nan_infinity_huge_ids_and_control_characters_are_refused_by_name(
    store: Store, people: dict[str, User]
) -> None:
    ed = people["editor"]
    plan_id = plan_writes.plan_create(store, ed, [REPORT])
    plan = selectors.plan_get(store, plan_id, actor=OPERATOR)
    action, ws = plan.actions[0], plan.workstreams[0]
    mid = measures.measure_add(
        store,
        ed,
        action.id,
        "Visits on time",
        baseline=40,
        baseline_date=date(2025, 1, 1),
        target=90,
        target_date=date(2026, 1, 1),
    )

    def measure(baseline: float, target: float = 90) -> Callable[[], int]:
        return lambda: measures.measure_add(
            store,
            ed,
            action.id,
            "M",
            baseline=baseline,
            baseline_date=date(2025, 1, 1),
            target=target,
            target_date=date(2026, 1, 1),
        )

    # numbers: finite and within range, for a measure and a reading
    _refused(store, measure(float("nan")), r"the baseline must be a number, not nan")
    _refused(store, measure(40, float("inf")), r"the target must be a number, not inf")
    _refused(store, measure(-1e300), r"the baseline is -1e\+300; give a number within")
    for value in (float("nan"), float("-inf")):
        _refused(
            store,
            lambda v=value: measures.measure_record(store, ed, mid, v, date(2025, 6, 1)),
            "the value must be a number",
        )
    # ids past the database's integer are no record's: NotFound, the database never asked
    for call, what in (
        (lambda: plan_writes.plan_update(store, ed, HUGE, 1, title="x"), "plan"),
        (lambda: actions.progress_add(store, ed, HUGE, date(2025, 6, 1), "x"), "action"),
        (lambda: actions.action_create(store, ed, HUGE, "x"), "workstream"),
        (lambda: measures.measure_record(store, ed, HUGE, 1.0, date(2025, 6, 1)), "measure"),
        (lambda: boards.meeting_add(store, ed, HUGE, date(2025, 6, 1)), "board"),
        (lambda: boards.board_create(store, ed, -HUGE, "B", BoardKind.OTHER), "plan"),
    ):
        _refused(
            store, call, f"no {'success ' if what == 'measure' else ''}{what} has id", NotFound
        )
    # control characters: NUL and the rest refused in every kind of text, named
    board_id = boards.board_create(store, ed, plan_id, "Board", BoardKind.OTHER)
    for bad in ("\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\uffff"):
        for call, field in (
            (
                lambda b=bad: plan_writes.plan_update(
                    store, ed, plan_id, plan.version, title=f"T{b}x"
                ),
                "title",
            ),
            (lambda b=bad: plan_writes.workstream_add(store, ed, plan_id, f"W{b}x"), "title"),
            (lambda b=bad: actions.action_create(store, ed, ws.id, f"do{b}x"), "description"),
            (
                lambda b=bad: actions.action_update(
                    store, ed, action.id, action.version, {"partner": f"NHS{b}x"}
                ),
                "partner agency",
            ),
            (
                lambda b=bad: actions.progress_add(
                    store, ed, action.id, date(2025, 6, 1), f"a{b}b"
                ),
                "update",
            ),
            (
                lambda b=bad: actions.rag_override_set(
                    store, ed, action.id, action.version, None, f"why{b}x"
                ),
                "reason",
            ),
            (measure_named(store, ed, action.id, bad), "measure name"),
            (
                lambda b=bad: evidence.evidence_add(
                    store, ed, action.id, f"E{b}x", url="https://x.org"
                ),
                "title",
            ),
            (
                lambda b=bad: boards.board_create(store, ed, plan_id, f"B{b}x", BoardKind.OTHER),
                "name",
            ),
            (
                lambda b=bad: accounts.user_update(
                    store, people["admin"], "vi", display_name=f"V{b}x"
                ),
                "full name",
            ),
        ):
            _refused(store, call, rf"the {field} holds a (line break or )?control character")
    # line breaks: fine in long text, not in a one-line field
    _refused(
        store,
        lambda: plan_writes.workstream_add(store, ed, plan_id, "two\nlines"),
        r"the title holds a line break or control character \(U\+000A\)",
    )
    actions.progress_add(store, ed, action.id, date(2025, 6, 1), "line one\n\tline two")
    _refused(
        store,
        lambda: evidence.evidence_add(store, ed, action.id, "E", url="https://x.org/\x00"),
        "give a web address",
    )
    assert board_id  # the one board made above; the refused ones added none
    assert [b.name for b in selectors.plan_get(store, plan_id, actor=OPERATOR).boards] == ["Board"]


def measure_named(store: Store, ed: User, action_id: int, bad: str) -> Callable[[], int]:
    return lambda: measures.measure_add(
        store,
        ed,
        action_id,
        f"M{bad}x",
        baseline=1,
        baseline_date=date(2025, 1, 1),
        target=2,
        target_date=date(2026, 1, 1),
    )


def test_an_evidence_file_name_of_5000_characters_is_cut_keeping_its_extension(
    store: Store, people: dict[str, User]
) -> None:
    plan_id = plan_writes.plan_create(store, people["editor"], [REPORT])
    action = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    evidence.evidence_add(
        store,
        people["editor"],
        action.id,
        "Audit",
        file_name="a" * 5000 + ".pdf",
        data=b"%PDF-1.4 audit",
        content_type="application/pdf\x00",
    )
    kept = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0].evidence[0]
    assert kept.file_name == "a" * 196 + ".pdf"
    assert selectors.evidence_file(store, kept.id, actor=OPERATOR)[2] == "application/octet-stream"


def test_a_plan_may_not_grow_past_its_limits(
    store: Store, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    ed = people["editor"]
    plan_id = plan_writes.plan_create(store, ed, [REPORT])
    plan = selectors.plan_get(store, plan_id, actor=OPERATOR)
    action = plan.actions[0]
    # the limits are far past a real plan: lowered here to the plan's own size to reach them
    monkeypatch.setattr(actions, "MAX_PLAN_ACTIONS", len(plan.actions))
    _refused(
        store,
        lambda: actions.action_create(store, ed, plan.workstreams[0].id, "One more"),
        "a plan may have at most 7 actions, and this would make 8",
    )
    monkeypatch.setattr(actions, "MAX_ACTION_UPDATES", 2)
    for n in range(2):
        actions.progress_add(store, ed, action.id, date(2025, 6, 1), f"update {n}")
    _refused(
        store,
        lambda: actions.progress_add(store, ed, action.id, date(2025, 6, 1), "third"),
        "an action may have at most 2 progress updates",
    )
    monkeypatch.setattr(evidence, "MAX_PLAN_EVIDENCE", 1)
    evidence.evidence_add(store, ed, action.id, "One", url="https://example.org/1")
    _refused(
        store,
        lambda: evidence.evidence_add(store, ed, plan.actions[1].id, "Two", url="https://x.org/2"),
        "a plan may have at most 1 items of evidence",
    )
    monkeypatch.setattr(measures, "MAX_MEASURE_READINGS", 1)
    mid = measure_named(store, ed, action.id, "")()
    measures.measure_record(store, ed, mid, 1.5, date(2025, 3, 1))
    _refused(
        store,
        lambda: measures.measure_record(store, ed, mid, 1.7, date(2025, 4, 1)),
        "a success measure may have at most 1 readings",
    )
    monkeypatch.setattr(boards, "MAX_PLAN_BOARDS", 0)
    _refused(
        store,
        lambda: boards.board_create(store, ed, plan_id, "B", BoardKind.OTHER),
        "a plan may have at most 0 boards",
    )


def _draft(urn: str, n: int) -> imports.PlanDraft:
    rows = [
        imports.ActionDraft(
            str(i),
            f"Action {i}",
            None,
            None,
            None,
            None,
            Status.NOT_STARTED,
            0,
            None,
            None,
            [],
            [],
            [],
            [],
        )
        for i in range(n)
    ]
    return imports.PlanDraft(
        urn, "Imported", None, PlanStatus.DRAFT, [], [imports.WorkstreamDraft("W", rows)]
    )


def test_an_import_past_the_limits_or_with_bad_values_writes_nothing(
    store: Store, people: dict[str, User]
) -> None:
    ed = people["editor"]
    urn = selectors.plan_get(
        store, plan_writes.plan_create(store, ed, [REPORT]), actor=OPERATOR
    ).council_urn
    too_big = _draft(urn, MAX_PLAN_ACTIONS + 1)
    _refused(
        store,
        lambda: imports.plan_create_from(store, ed, too_big),
        f"a plan may have at most {MAX_PLAN_ACTIONS:,} actions, and this would make "
        f"{MAX_PLAN_ACTIONS + 1:,}",
    )
    bad = _draft(urn, 2)
    bad.workstreams[0].actions[1].measures.append(
        imports.MeasureDraft("M", float("nan"), date(2025, 1, 1), 1, date(2026, 1, 1), [])
    )
    _refused(
        store, lambda: imports.plan_create_from(store, ed, bad), r"action 1: the baseline of 'M'"
    )
    bad = _draft(urn, 1)
    bad.workstreams[0].actions[0].updates.append((date(2025, 2, 1), "x\x00y", "ed"))
    _refused(
        store,
        lambda: imports.plan_create_from(store, ed, bad),
        r"action 0: the update of 1 February 2025 holds",
    )
    bad = _draft(urn, 1)
    bad.workstreams[0].actions[0].links.append(
        imports.LinkDraft("a" * 64, "recommendation", HUGE, None, "w")
    )
    _refused(
        store,
        lambda: imports.plan_create_from(store, ed, bad),
        "the finding number must be a whole number",
    )
    bad = _draft(urn, 1)
    bad.sources.append(imports.SourceDraft("f" * 100, "inspection", "Report", "r.pdf"))
    _refused(store, lambda: imports.plan_create_from(store, ed, bad), "is not a file's SHA-256")
    # a workbook of more actions than a plan may have is refused as it is read
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "Actions"
    sheet.append(["Action"])
    for i in range(MAX_PLAN_ACTIONS + 1):
        sheet.append([f"Action {i}"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(
        InvalidInput, match=f"big.xlsx: a plan may have at most {MAX_PLAN_ACTIONS:,}"
    ):
        xlsx.plan_from_xlsx(out.getvalue(), "big.xlsx", council=urn)


def test_text_stored_before_the_checks_cannot_break_workbooks_or_reports(
    store: Store, people: dict[str, User], db_url: str
) -> None:
    ed = people["editor"]
    plan_id = plan_writes.plan_create(store, ed, [REPORT])
    plan = selectors.plan_get(store, plan_id, actor=OPERATOR)
    action = plan.actions[0]
    actions.progress_add(store, ed, action.id, date(2025, 6, 1), "placeholder")
    board_id = boards.board_create(store, ed, plan_id, "Board", BoardKind.IMPROVEMENT_BOARD)
    meeting_id = boards.meeting_add(store, ed, board_id, date(2025, 7, 1))
    # PostgreSQL never keeps NUL in text; every other control character it does
    bad = "\x01\x0b\x1f" + ("\x00" if db_url.startswith("sqlite") else "")
    with store.transaction() as s:
        s.execute(
            update(ActionRow)
            .where(ActionRow.id == action.id)
            .values(description=f"Do{bad}it", due_date=date(2025, 6, 1))
        )
        s.execute(update(ProgressUpdateRow).values(text=f"Said{bad}"))
        s.execute(update(UserRow).where(UserRow.username == "ed").values(display_name=f"Ed{bad}"))
    view = selectors.plan_get(store, plan_id, actor=OPERATOR)
    assert view.actions[0].description == "Do" + "\ufffd" * len(bad) + "it"
    book = xlsx.plan_to_xlsx(view)  # openpyxl refuses control characters in a cell
    assert (
        xlsx.plan_from_xlsx(book, "plan.xlsx")
        .workstreams[0]
        .actions[0]
        .description.startswith("Do\ufffd")
    )
    report = board.meeting_report(store, meeting_id, actor=OPERATOR)
    assert report.overdue and report.overdue[0].description.startswith("Do\ufffd")
    words = "\n".join(
        p.text for p in docx.Document(io.BytesIO(board.report_docx(report))).paragraphs
    )
    assert "Do\ufffd" in words or "Do\ufffd" in board.report_html(report)
    assert "\x01" not in board.report_html(report)


def test_the_plan_list_counts_each_rag_as_the_whole_plan_does(
    store: Store, people: dict[str, User]
) -> None:
    """The list's counts (settled by the database where the rule needs no measures, worked
    out for the rest) equal the whole plan's, on dates before, during and after its work."""
    ed = people["editor"]
    plan_id = plan_writes.plan_create(store, ed, [REPORT])
    plan = selectors.plan_get(store, plan_id, actor=OPERATOR)
    a = plan.actions
    changes: list[dict[str, Any]] = [
        {"status": Status.OFF_TRACK},
        {"status": Status.COMPLETE},
        {"due_date": date(2025, 9, 1), "start_date": date(2025, 3, 1)},
        {"status": Status.AT_RISK, "due_date": date(2026, 9, 1)},
        {"lead": None, "due_date": date(2025, 12, 1), "percent": 90},
        {"status": Status.ON_TRACK, "due_date": date(2026, 1, 1), "percent": 10},
    ]
    for action, change in zip(a, changes, strict=False):
        actions.action_update(store, ed, action.id, action.version, change)
    actions.rag_override_set(store, ed, a[6].id, a[6].version, Rag.GREEN, "agreed by the board")
    mid = measure_named(store, ed, a[5].id, "")()
    measures.measure_record(store, ed, mid, 1.1, date(2025, 9, 1))
    for on in (date(2025, 1, 2), date(2025, 8, 20), date(2025, 11, 25), date(2027, 1, 1)):
        whole = selectors.plan_get(store, plan_id, on, actor=OPERATOR).rag_counts()
        (listed,) = selectors.plan_list(store, on=on, actor=OPERATOR)
        assert listed.rag_counts == whole and listed.actions == len(a), on
    assert (
        len(
            set(
                selectors.plan_get(store, plan_id, date(2025, 11, 25), actor=OPERATOR)
                .rag_counts()
                .values()
            )
        )
        > 1
    )
