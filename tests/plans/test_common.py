"""What every write shares (ofsted_csc.plans.common), on SQLite and PostgreSQL: the role checked
inside the transaction, the audit trail's immutability and the optimistic lock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ofsted_csc.domain.errors import Conflict, PermissionDenied, StaleEdit
from ofsted_csc.plans import accounts, actions, plan_writes, selectors
from ofsted_csc.plans.common import OPERATOR, User
from ofsted_csc.plans.rules import Status
from ofsted_csc.storage import Store

from .helpers import REPORT, audit_count


def test_a_viewer_cannot_change_anything_and_nothing_is_written(
    store: Store, people: dict[str, User]
) -> None:
    plan_id = plan_writes.plan_create(store, people["editor"], [REPORT])
    action = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    before = audit_count(store)
    with pytest.raises(PermissionDenied, match="viewer"):
        actions.action_update(store, people["viewer"], action.id, action.version, {"percent": 10})
    with pytest.raises(PermissionDenied):
        plan_writes.plan_create(store, people["viewer"], [REPORT])
    with pytest.raises(PermissionDenied, match="admin"):
        accounts.user_create(store, people["editor"], "zed")
    assert audit_count(store) == before
    assert selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0].percent == 0


def test_every_change_is_in_the_audit_trail_which_the_database_will_not_let_change(
    store: Store, people: dict[str, User]
) -> None:
    plan_id = plan_writes.plan_create(store, people["editor"], [REPORT])
    action = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[0]
    actions.action_update(
        store,
        people["editor"],
        action.id,
        action.version,
        {"lead": "ed", "due_date": date(2026, 3, 31), "status": Status.ON_TRACK},
    )
    events = selectors.history(store, plan_id, entity="action", entity_id=action.id, actor=OPERATOR)
    changed = {(e.field, e.old, e.new, e.user) for e in events if e.field != "created"}
    # the lead was already Ed (who drafted the plan): no event for an unchanged field
    assert changed == {
        ("due_date", None, "2026-03-31", "Ed Itor"),
        ("status", "not_started", "on_track", "Ed Itor"),
    }
    count = audit_count(store)
    # raw SQL, bypassing the library, is refused by the database itself
    for statement in ("UPDATE audit_events SET new = 'forged'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="never changed"), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert audit_count(store) == count
    assert all(e.new != "forged" for e in selectors.history(store, plan_id, actor=OPERATOR))


def test_the_second_of_two_saves_of_one_action_is_refused_and_the_first_kept(
    store: Store, people: dict[str, User]
) -> None:
    plan_id = plan_writes.plan_create(store, people["editor"], [REPORT])
    opened = selectors.plan_get(store, plan_id, actor=OPERATOR).actions[
        0
    ]  # both people open version 1
    actions.action_update(store, people["editor"], opened.id, opened.version, {"percent": 30})
    with pytest.raises(Conflict, match=r"changed by Ed Itor .* not saved") as refused:
        actions.action_update(store, people["admin"], opened.id, opened.version, {"percent": 90})
    # the refusal is typed (the web app answers 409 by its type, not its words)
    assert isinstance(refused.value, StaleEdit)
    now = selectors.action_get(store, opened.id, actor=OPERATOR)[1]
    assert now.percent == 30 and now.version == opened.version + 1


def test_a_plan_saved_at_an_old_version_is_refused_as_a_stale_edit(
    store: Store, people: dict[str, User]
) -> None:
    plan_id = plan_writes.plan_create(store, people["editor"], [REPORT])
    opened = selectors.plan_get(store, plan_id, actor=OPERATOR)
    plan_writes.plan_update(store, people["editor"], plan_id, opened.version, title="First")
    with pytest.raises(StaleEdit, match="the plan was changed since you opened it"):
        plan_writes.plan_update(store, people["admin"], plan_id, opened.version, title="Second")
    assert selectors.plan_get(store, plan_id, actor=OPERATOR).title == "First"
