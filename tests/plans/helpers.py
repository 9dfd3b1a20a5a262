"""What the tests of plans share beside their fixtures (tests/plans/conftest.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import AuditEventRow

REPORT = (
    "50276975.pdf"  # Buckinghamshire, ILACS standard inspection, January 2025 (7 recommendations)
)
LETTER = "fv-055339ac91a3.pdf"


def audit_count(store: Store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count(AuditEventRow.id))) or 0
