"""Improvement plans in the library, on SQLite and PostgreSQL: drafting from a real report,
roles, the audit trail's immutability, the optimistic lock, evidence, the meeting report and
bad inputs that leave nothing half-saved."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from ofsted_csc import api
from ofsted_csc.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ofsted_csc.plans import selectors, services
from ofsted_csc.plans.rules import BoardKind, Rag, Role, Status
from ofsted_csc.reports import board as plan_report
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import AuditEventRow, EvidenceRow

REPORT = (
    "50276975.pdf"  # Buckinghamshire, ILACS standard inspection, January 2025 (7 recommendations)
)
LETTER = "fv-055339ac91a3.pdf"


@pytest.fixture
def store(db_url: str, fixtures_dir: Path) -> Iterator[Store]:
    st = api.open_store(db_url)
    api.ingest(st, [fixtures_dir / "reports" / REPORT])
    yield st
    st.close()


@pytest.fixture
def people(store: Store) -> dict[str, services.User]:
    admin = services.user_create(store, None, "ada", role=Role.ADMIN, password="a long passphrase")
    editor = services.user_create(store, admin, "ed", display_name="Ed Itor", role=Role.EDITOR)
    viewer = services.user_create(store, admin, "vi", role=Role.VIEWER)
    return {"admin": admin, "editor": editor, "viewer": viewer}


def _audit_count(store: Store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count(AuditEventRow.id))) or 0


def test_a_draft_plan_has_one_action_per_recommendation_with_the_reports_words(
    store: Store, people: dict[str, services.User]
) -> None:
    record = store.find(REPORT).result.record
    plan_id = services.plan_create(store, people["editor"], [REPORT])
    plan = selectors.plan_get(store, plan_id, on=date(2025, 6, 1))
    recs = record.recommendations  # type: ignore[union-attr]
    assert len(plan.actions) == len(recs) == 7
    for action, rec in zip(plan.actions, recs, strict=True):
        assert action.description == rec.text
        (link,) = action.links
        assert (link.section, link.position, link.text, link.file_name) == (
            "recommendation",
            rec.position,
            rec.text,
            REPORT,
        )
    assert plan.council_name == "Buckinghamshire"
    assert plan.received == record.published  # type: ignore[union-attr]
    # the action plan is due 70 working days after the report was received
    (deadline,) = plan.deadlines
    assert deadline.due == date(2025, 8, 20)


def test_a_viewer_cannot_change_anything_and_nothing_is_written(
    store: Store, people: dict[str, services.User]
) -> None:
    plan_id = services.plan_create(store, people["editor"], [REPORT])
    action = selectors.plan_get(store, plan_id).actions[0]
    before = _audit_count(store)
    with pytest.raises(PermissionDenied, match="viewer"):
        services.action_update(store, people["viewer"], action.id, action.version, {"percent": 10})
    with pytest.raises(PermissionDenied):
        services.plan_create(store, people["viewer"], [REPORT])
    with pytest.raises(PermissionDenied, match="admin"):
        services.user_create(store, people["editor"], "zed")
    assert _audit_count(store) == before
    assert selectors.plan_get(store, plan_id).actions[0].percent == 0


def test_every_change_is_in_the_audit_trail_which_the_database_will_not_let_change(
    store: Store, people: dict[str, services.User]
) -> None:
    plan_id = services.plan_create(store, people["editor"], [REPORT])
    action = selectors.plan_get(store, plan_id).actions[0]
    services.action_update(
        store,
        people["editor"],
        action.id,
        action.version,
        {"lead": "ed", "due_date": date(2026, 3, 31), "status": Status.ON_TRACK},
    )
    events = selectors.history(store, plan_id, entity="action", entity_id=action.id)
    changed = {(e.field, e.old, e.new, e.user) for e in events if e.field != "created"}
    # the lead was already Ed (who drafted the plan): no event for an unchanged field
    assert changed == {
        ("due_date", None, "2026-03-31", "Ed Itor"),
        ("status", "not_started", "on_track", "Ed Itor"),
    }
    count = _audit_count(store)
    # raw SQL, bypassing the library, is refused by the database itself
    for statement in ("UPDATE audit_events SET new = 'forged'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="never changed"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert _audit_count(store) == count
    assert all(e.new != "forged" for e in selectors.history(store, plan_id))


def test_the_second_of_two_saves_of_one_action_is_refused_and_the_first_kept(
    store: Store, people: dict[str, services.User]
) -> None:
    plan_id = services.plan_create(store, people["editor"], [REPORT])
    opened = selectors.plan_get(store, plan_id).actions[0]  # both people open version 1
    services.action_update(store, people["editor"], opened.id, opened.version, {"percent": 30})
    with pytest.raises(Conflict, match=r"changed by Ed Itor .* not saved"):
        services.action_update(store, people["admin"], opened.id, opened.version, {"percent": 90})
    now = selectors.action_get(store, opened.id)[1]
    assert now.percent == 30 and now.version == opened.version + 1


def test_bad_inputs_are_refused_by_name_and_nothing_is_half_saved(
    store: Store, people: dict[str, services.User]
) -> None:
    plan_id = services.plan_create(store, people["editor"], [REPORT])
    action = selectors.plan_get(store, plan_id).actions[0]
    before = _audit_count(store)
    with pytest.raises(InvalidInput, match="no user is named 'nobody'"):
        services.action_update(
            store, people["editor"], action.id, action.version, {"lead": "nobody", "percent": 50}
        )
    with pytest.raises(InvalidInput, match=r"action 1\.1: the due date 1 March 2026 is before"):
        services.action_update(
            store,
            people["editor"],
            action.id,
            action.version,
            {"start_date": date(2026, 4, 1), "due_date": date(2026, 3, 1)},
        )
    with pytest.raises(InvalidInput, match="add evidence before closing"):
        services.action_update(
            store,
            people["editor"],
            action.id,
            action.version,
            {"status": Status.CLOSED_WITH_EVIDENCE},
        )
    with pytest.raises(InvalidInput, match="up to 10 MB"):
        services.evidence_add(
            store,
            people["editor"],
            action.id,
            "Huge",
            file_name="huge.pdf",
            data=b"x" * (services.MAX_EVIDENCE_BYTES + 1),
        )
    with pytest.raises(InvalidInput, match="needs a reason"):
        services.rag_override_set(
            store, people["editor"], action.id, action.version, Rag.GREEN, " "
        )
    with pytest.raises(NotFound):
        services.action_update(store, people["editor"], 99999, 1, {"percent": 1})
    assert _audit_count(store) == before
    unchanged = selectors.action_get(store, action.id)[1]
    assert (unchanged.percent, unchanged.lead.username if unchanged.lead else None) == (0, "ed")
    assert unchanged.version == action.version
    with store.session() as s:
        assert s.scalar(select(func.count(EvidenceRow.id))) == 0


def test_an_override_keeps_its_reason_and_the_rule_still_shows(
    store: Store, people: dict[str, services.User]
) -> None:
    plan_id = services.plan_create(store, people["editor"], [REPORT])
    a = selectors.plan_get(store, plan_id).actions[0]
    services.action_update(
        store,
        people["editor"],
        a.id,
        a.version,
        {"due_date": date(2025, 6, 30), "start_date": date(2025, 5, 13)},
    )
    a = selectors.action_get(store, a.id, on=date(2025, 9, 1))[1]
    assert a.computed.rag is Rag.RED and a.overdue
    services.rag_override_set(
        store, people["editor"], a.id, a.version, Rag.AMBER, "Deadline agreed with DfE adviser"
    )
    a = selectors.action_get(store, a.id, on=date(2025, 9, 1))[1]
    assert (a.rag, a.computed.rag) == (Rag.AMBER, Rag.RED)
    assert (a.override_reason, a.override_by) == ("Deadline agreed with DfE adviser", "Ed Itor")
    fields = [e.field for e in selectors.history(store, plan_id, entity_id=a.id, entity="action")]
    assert fields[-2:] == ["rag_override", "rag_override_reason"]


def test_the_meeting_report_counts_rags_lists_overdue_measures_and_completed_with_evidence(
    store: Store, people: dict[str, services.User], monkeypatch: pytest.MonkeyPatch
) -> None:
    ed = people["editor"]
    monkeypatch.setattr(services, "utc_now", lambda: datetime(2025, 12, 1, 10, 0))
    plan_id = services.plan_create(store, ed, [REPORT])
    first, second, third = selectors.plan_get(store, plan_id).actions[:3]
    # after the board's January meeting, 1.1 is given a due date that then passes
    monkeypatch.setattr(services, "utc_now", lambda: datetime(2026, 1, 12, 10, 0))
    services.action_update(store, ed, first.id, first.version, {"due_date": date(2026, 1, 30)})
    services.evidence_add(store, ed, second.id, "Audit summary", url="https://example.org/audit")
    second = selectors.action_get(store, second.id)[1]
    services.action_update(
        store,
        ed,
        second.id,
        second.version,
        {"status": Status.CLOSED_WITH_EVIDENCE, "percent": 100},
    )
    m = services.measure_add(
        store,
        ed,
        third.id,
        "Assessments on time (%)",
        baseline=60,
        baseline_date=date(2025, 6, 1),
        target=90,
        target_date=date(2026, 6, 1),
    )
    services.measure_record(store, ed, m, 66, date(2026, 1, 31))
    board = services.board_create(
        store, ed, plan_id, "Improvement board", BoardKind.IMPROVEMENT_BOARD
    )
    services.meeting_add(store, ed, board, date(2026, 1, 5))
    meeting = services.meeting_add(store, ed, board, date(2026, 2, 16))
    report = plan_report.meeting_report(store, meeting)
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


def test_a_plan_from_a_visit_letter_has_the_priority_action_draft_deadline(
    store: Store, people: dict[str, services.User], fixtures_dir: Path
) -> None:
    found = LETTER  # a focused visit letter with two areas for priority action
    api.ingest(store, [fixtures_dir / "letters" / found])
    record = store.find(found).result.record
    assert len(record.priority_actions) == 2  # type: ignore[union-attr]
    plan_id = services.plan_create(store, people["editor"], [found], received=date(2025, 12, 19))
    plan = selectors.plan_get(store, plan_id)
    names = [d.name for d in plan.deadlines]
    assert names[0].startswith("Draft plan") and plan.deadlines[0].due == date(2026, 1, 21)
    sections = [a.links[0].section for a in plan.actions]
    assert sections[:2] == ["priority_action", "priority_action"]
    assert sections[2:] == ["area_for_improvement"] * (len(sections) - 2)


def test_the_last_admin_cannot_be_demoted_and_passwords_are_hashed(
    store: Store, people: dict[str, services.User]
) -> None:
    with pytest.raises(InvalidInput, match="last admin"):
        services.user_update(store, people["admin"], "ada", role=Role.VIEWER)
    assert services.authenticate(store, "ADA", "a long passphrase").username == "ada"
    with store.session() as s:
        stored = s.execute(text("SELECT password_hash FROM users WHERE username = 'ada'")).scalar()
    assert stored is not None and stored.startswith("$argon2id$") and "passphrase" not in stored
    with pytest.raises(InvalidInput, match="at least 12"):
        services.user_update(store, people["admin"], "ed", password="short")
