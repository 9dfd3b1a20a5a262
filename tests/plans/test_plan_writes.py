"""Writes to plans (ofsted_csc.plans.plan_writes), on SQLite and PostgreSQL: a plan drafted from a
real report or a visit letter, one action per finding, linked to the report's words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ofsted_csc import api
from ofsted_csc.plans import plan_writes, selectors
from ofsted_csc.plans.common import OPERATOR, User
from ofsted_csc.storage import Store

from .helpers import LETTER, REPORT


def test_a_draft_plan_has_one_action_per_recommendation_with_the_reports_words(
    store: Store, people: dict[str, User]
) -> None:
    record = store.find(REPORT).result.record
    plan_id = plan_writes.plan_create(store, people["editor"], [REPORT])
    plan = selectors.plan_get(store, plan_id, on=date(2025, 6, 1), actor=OPERATOR)
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
    # the report is published by the council within 30 working days of receipt and the
    # action plan is due 70 working days after it
    publication, deadline = plan.deadlines
    assert publication.name == "Report published by the council"
    assert (plan.received, publication.due) == (date(2025, 5, 13), date(2025, 6, 25))
    assert deadline.due == date(2025, 8, 20)


def test_a_plan_from_a_visit_letter_has_the_priority_action_draft_deadline(
    store: Store, people: dict[str, User], fixtures_dir: Path
) -> None:
    found = LETTER  # a focused visit letter with two areas for priority action
    api.ingest(store, [fixtures_dir / "letters" / found])
    record = store.find(found).result.record
    assert len(record.priority_actions) == 2  # type: ignore[union-attr]
    plan_id = plan_writes.plan_create(store, people["editor"], [found], received=date(2025, 12, 19))
    plan = selectors.plan_get(store, plan_id, actor=OPERATOR)
    names = [d.name for d in plan.deadlines]
    assert names[0].startswith("Draft plan") and plan.deadlines[0].due == date(2026, 1, 21)
    sections = [a.links[0].section for a in plan.actions]
    assert sections[:2] == ["priority_action", "priority_action"]
    assert sections[2:] == ["area_for_improvement"] * (len(sections) - 2)
