"""Writes to actions (ofsted_csc.plans.actions, with evidence), on SQLite and PostgreSQL: bad
inputs refused by name with nothing half-saved, and a RAG override that keeps its reason."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.domain.limits import MAX_EVIDENCE_BYTES
from ofsted_csc.plans import actions, evidence, plan_writes, selectors
from ofsted_csc.plans.common import OPERATOR, User
from ofsted_csc.plans.rules import Rag, Status
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import EvidenceRow

from .helpers import REPORT, audit_count


def test_bad_inputs_are_refused_by_name_and_nothing_is_half_saved(
    store: Store, people: dict[str, User]
) -> None:
    plan_id = plan_writes.plan_create(store, people["editor"], [REPORT])
    action = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    before = audit_count(store)
    with pytest.raises(InvalidInput, match="no user is named 'nobody'"):
        actions.action_update(
            store, people["editor"], action.id, action.version, {"lead": "nobody", "percent": 50}
        )
    with pytest.raises(InvalidInput, match=r"action 1\.1: the due date 1 March 2026 is before"):
        actions.action_update(
            store,
            people["editor"],
            action.id,
            action.version,
            {"start_date": date(2026, 4, 1), "due_date": date(2026, 3, 1)},
        )
    with pytest.raises(InvalidInput, match="add evidence before closing"):
        actions.action_update(
            store,
            people["editor"],
            action.id,
            action.version,
            {"status": Status.CLOSED_WITH_EVIDENCE},
        )
    with pytest.raises(InvalidInput, match="up to 10 MB"):
        evidence.evidence_add(
            store,
            people["editor"],
            action.id,
            "Huge",
            file_name="huge.pdf",
            data=b"x" * (MAX_EVIDENCE_BYTES + 1),
        )
    with pytest.raises(InvalidInput, match="needs a reason"):
        actions.rag_override_set(store, people["editor"], action.id, action.version, Rag.GREEN, " ")
    with pytest.raises(NotFound):
        actions.action_update(store, people["editor"], 99999, 1, {"percent": 1})
    assert audit_count(store) == before
    unchanged = selectors.action_get(store, action.id, actor=OPERATOR)[1]
    assert (unchanged.percent, unchanged.lead.username if unchanged.lead else None) == (0, "ed")
    assert unchanged.version == action.version
    with store.session() as s:
        assert s.scalar(select(func.count(EvidenceRow.id))) == 0


def test_an_override_keeps_its_reason_and_the_rule_still_shows(
    store: Store, people: dict[str, User]
) -> None:
    plan_id = plan_writes.plan_create(store, people["editor"], [REPORT])
    a = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    actions.action_update(
        store,
        people["editor"],
        a.id,
        a.version,
        {"due_date": date(2025, 6, 30), "start_date": date(2025, 5, 13)},
    )
    a = selectors.action_get(store, a.id, on=date(2025, 9, 1), actor=OPERATOR)[1]
    assert a.computed.rag is Rag.RED and a.overdue
    actions.rag_override_set(
        store, people["editor"], a.id, a.version, Rag.AMBER, "Deadline agreed with DfE adviser"
    )
    a = selectors.action_get(store, a.id, on=date(2025, 9, 1), actor=OPERATOR)[1]
    assert (a.rag, a.computed.rag) == (Rag.AMBER, Rag.RED)
    assert (a.override_reason, a.override_by) == ("Deadline agreed with DfE adviser", "Ed Itor")
    fields = [
        e.field
        for e in selectors.history(store, plan_id, entity_id=a.id, entity="action", actor=OPERATOR)
    ]
    assert fields[-2:] == ["rag_override", "rag_override_reason"]


def test_one_action_read_alone_is_the_action_as_its_whole_plan_shows_it(
    store: Store, people: dict[str, User]
) -> None:
    """`action_get` reads one action and not the rest of its plan, and gives what the whole
    plan's view gives for it: RAG, measures, updates, evidence, links; its plan view holds it
    alone, with the plan's own title, deadlines and boards."""
    editor = people["editor"]
    plan_id = plan_writes.plan_create(store, editor, [REPORT])
    first = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[1]
    actions.progress_add(store, editor, first.id, date(2025, 9, 1), "Audit done")
    evidence.evidence_add(store, editor, first.id, "Audit", file_name="a.txt", data=b"found")
    whole = selectors.plan_get(store, plan_id, on=date(2025, 10, 1), actor=OPERATOR)
    assert len(whole.actions) > 2
    for expected in whole.actions:
        plan, action = selectors.action_get(
            store, expected.id, on=date(2025, 10, 1), actor=OPERATOR
        )
        assert action == expected
        assert [a.id for a in plan.actions] == [expected.id]
        assert (plan.id, plan.title, plan.deadlines, plan.boards, plan.sources) == (
            whole.id,
            whole.title,
            whole.deadlines,
            whole.boards,
            whole.sources,
        )
    with pytest.raises(NotFound):
        selectors.action_get(store, 99999, actor=OPERATOR)
