"""Boards and meetings (ofsted_csc.plans.boards), on SQLite and PostgreSQL, and the progress
report for a meeting: RAG counts, overdue actions, measures and completed actions."""

from __future__ import annotations

import io
from datetime import date, datetime

import docx
import pytest

from ofsted_csc.plans import actions, boards, common, evidence, measures, plan_writes, selectors
from ofsted_csc.plans.common import OPERATOR, User
from ofsted_csc.plans.rules import BoardKind, Rag, Status
from ofsted_csc.reports import board as plan_report
from ofsted_csc.storage import Store

from .helpers import REPORT


def test_the_meeting_report_counts_rags_lists_overdue_measures_and_completed_with_evidence(
    store: Store, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    ed = people["editor"]
    monkeypatch.setattr(common, "utc_now", lambda: datetime(2025, 12, 1, 10, 0))
    plan_id = plan_writes.plan_create(store, ed, [REPORT])
    first, second, third = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[:3]
    # after the board's January meeting, 1.1 is given a due date that then passes
    monkeypatch.setattr(common, "utc_now", lambda: datetime(2026, 1, 12, 10, 0))
    actions.action_update(store, ed, first.id, first.version, {"due_date": date(2026, 1, 30)})
    evidence.evidence_add(store, ed, second.id, "Audit summary", url="https://example.org/audit")
    second = selectors.action_get(store, second.id, actor=OPERATOR)[1]
    actions.action_update(
        store,
        ed,
        second.id,
        second.version,
        {"status": Status.CLOSED_WITH_EVIDENCE, "percent": 100},
    )
    m = measures.measure_add(
        store,
        ed,
        third.id,
        "Assessments on time (%)",
        baseline=60,
        baseline_date=date(2025, 6, 1),
        target=90,
        target_date=date(2026, 6, 1),
    )
    measures.measure_record(store, ed, m, 66, date(2026, 1, 31))
    board = boards.board_create(
        store, ed, plan_id, "Improvement board", BoardKind.IMPROVEMENT_BOARD
    )
    boards.meeting_add(store, ed, board, date(2026, 1, 5))
    meeting = boards.meeting_add(store, ed, board, date(2026, 2, 16))
    report = plan_report.meeting_report(store, meeting, actor=OPERATOR)
    counts = report.plan.rag_counts()
    assert counts[Rag.BLUE] == 1 and sum(counts.values()) == 7
    assert [a.ref for a in report.overdue] == ["1.1"]
    assert [a.ref for a in report.completed] == ["1.2"]
    ((_, measure),) = report.measures
    assert measure.state.current == 66 and round(measure.state.progress, 2) == 0.2
    # 1.1 was amber (no due date) at the last meeting and is red (overdue) now
    then_now = {c.action.ref: (c.before, c.action.rag) for c in report.rag_changes}
    assert then_now["1.1"] == (Rag.AMBER, Rag.RED)
    document = docx.Document(io.BytesIO(plan_report.report_docx(report)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == report.title
    assert "Overdue actions" in paragraphs and "Measures against target" in paragraphs
    rag_table = document.tables[0]
    assert [c.text for c in rag_table.rows[0].cells] == ["Red", "Amber", "Green", "Blue", "Total"]
    assert [c.text for c in rag_table.rows[1].cells] == [
        str(counts[Rag.RED]),
        str(counts[Rag.AMBER]),
        str(counts[Rag.GREEN]),
        "1",
        "7",
    ]
    assert any("Audit summary" in p for p in paragraphs)


def test_the_meeting_report_downloads_give_each_action_its_words_and_the_periods_updates(
    store: Store, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    ed = people["editor"]
    monkeypatch.setattr(common, "utc_now", lambda: datetime(2025, 12, 1, 10, 0))
    plan_id = plan_writes.plan_create(store, ed, [REPORT])
    first = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    board = boards.board_create(store, ed, plan_id, "Scrutiny", BoardKind.SCRUTINY)
    boards.meeting_add(store, ed, board, date(2026, 1, 5))
    meeting = boards.meeting_add(store, ed, board, date(2026, 2, 16))
    actions.progress_add(store, ed, first.id, date(2026, 1, 2), "Before the last meeting.")
    actions.progress_add(store, ed, first.id, date(2026, 2, 1), "Audit of supervision done.")
    actions.progress_add(store, ed, first.id, date(2026, 3, 1), "After this meeting.")
    monkeypatch.setattr(common, "utc_now", lambda: datetime(2026, 1, 12, 10, 0))
    actions.action_update(store, ed, first.id, first.version, {"due_date": date(2026, 1, 30)})
    report = plan_report.meeting_report(store, meeting, actor=OPERATOR)
    (action, updates), *_ = report.progress
    assert action.ref == first.ref and [u.text for u in updates] == ["Audit of supervision done."]
    html = plan_report.report_html(report)
    document = docx.Document(io.BytesIO(plan_report.report_docx(report)))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    for text in (html, words):
        assert "Progress updates since the last meeting" in text
        assert "Audit of supervision done." in text
        assert "Before the last meeting." not in text and "After this meeting." not in text
        assert first.description in text  # the action's own words, whole, not "1.1: new"
