"""Writes to boards: the boards a plan reports to (improvement board, scrutiny, cabinet) and
the dates they meet (each meeting has its progress report)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.domain.limits import MAX_BOARD_MEETINGS, MAX_PLAN_BOARDS
from ofsted_csc.domain.values import is_id
from ofsted_csc.plans.common import (
    User,
    audit,
    check_count,
    check_text,
    count_of,
    plan_council,
    plan_row,
    require,
)
from ofsted_csc.plans.rules import BoardKind, Permission
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import BoardRow, MeetingRow


def board_create(store: Store, actor: User, plan_id: int, name: str, kind: BoardKind) -> int:
    name = name.strip()
    if not name:
        raise InvalidInput("a board needs a name")
    check_text("name", name, 200)
    with store.transaction() as s:
        plan = plan_row(s, plan_id)
        require(s, actor, Permission.EDIT, plan.council_urn)
        boards = select(func.count(BoardRow.id)).where(BoardRow.plan_id == plan.id)
        check_count(count_of(s, boards) + 1, MAX_PLAN_BOARDS, "boards", "a plan")
        row = BoardRow(plan_id=plan.id, name=name, kind=kind.value)
        s.add(row)
        s.flush()
        audit(s, actor.id, plan.id, "board", row.id, name, "created", None, kind.label)
        return row.id


def meeting_add(store: Store, actor: User, board_id: int, on: date) -> int:
    with store.transaction() as s:
        board = s.get(BoardRow, board_id) if is_id(board_id) else None
        if board is None:
            raise NotFound(f"no board has id {board_id}")
        require(s, actor, Permission.EDIT, plan_council(s, board.plan_id))
        check_count(len(board.meetings) + 1, MAX_BOARD_MEETINGS, "meetings", "a board")
        if any(m.on == on for m in board.meetings):
            raise InvalidInput(f"{board.name} already meets on {on:%-d %B %Y}")
        row = MeetingRow(board_id=board.id, on=on)
        s.add(row)
        s.flush()
        audit(
            s,
            actor.id,
            board.plan_id,
            "meeting",
            row.id,
            board.name,
            "created",
            None,
            on.isoformat(),
        )
        return row.id
