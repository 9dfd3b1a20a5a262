"""Improvement plans through the API: reading plans (as at a date, with each action's RAG),
every change to them, workbooks in and out and the progress report for a board meeting. The
CLI's `plan` commands and the web app's plan pages call only these.

    from ofsted_csc.api import plans, users
    ed = users.acting_user(store, "ed")
    plan_id = plans.plan_create(store, ed, ["50276975.pdf"])
    view = plans.plan_get(store, plan_id)
    plans.action_update(store, ed, view.actions[0].id, view.actions[0].version, {"percent": 30})

Every change names the acting user (`ofsted_csc.api.users`), checks the role and is audited.
Errors are typed (ofsted_csc.domain.errors): a save of something changed since it was read
raises `StaleEdit`. Workbooks (openpyxl) and board reports (python-docx) are imported when
first used, so a command that only reads or changes a plan does not load them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ofsted_csc.plans.actions import (
    ACTION_FIELDS,
    action_create,
    action_update,
    progress_add,
    rag_override_set,
)
from ofsted_csc.plans.boards import board_create, meeting_add
from ofsted_csc.plans.evidence import evidence_add
from ofsted_csc.plans.findings import SECTION_LABELS, Link, report_items
from ofsted_csc.plans.imports import PlanDraft, plan_create_from
from ofsted_csc.plans.measures import measure_add, measure_record
from ofsted_csc.plans.plan_writes import plan_create, plan_update, workstream_add
from ofsted_csc.plans.selectors import (
    ActionView,
    AuditEvent,
    PlanSummary,
    PlanView,
    action_get,
    evidence_file,
    history,
    plan_get,
    plan_json,
    plan_list,
    plans_version,
)
from ofsted_csc.plans.uploads import upload_audit
from ofsted_csc.storage import Store, StoredResult

if TYPE_CHECKING:
    from ofsted_csc.plans.xlsx import parse_date, plan_from_xlsx, plan_to_xlsx
    from ofsted_csc.reports.board import (
        MeetingReport,
        change_line,
        measure_line,
        meeting_report,
        report_docx,
        report_html,
    )

__all__ = [
    "ACTION_FIELDS",
    "SECTION_LABELS",
    "ActionView",
    "AuditEvent",
    "Link",
    "MeetingReport",
    "PlanDraft",
    "PlanSummary",
    "PlanView",
    "Store",
    "StoredResult",
    "action_create",
    "action_get",
    "action_update",
    "board_create",
    "change_line",
    "evidence_add",
    "evidence_file",
    "find_report",
    "history",
    "measure_add",
    "measure_line",
    "measure_record",
    "meeting_add",
    "meeting_report",
    "parse_date",
    "plan_create",
    "plan_create_from",
    "plan_from_xlsx",
    "plan_get",
    "plan_json",
    "plan_list",
    "plan_to_xlsx",
    "plan_update",
    "plans_version",
    "progress_add",
    "rag_override_set",
    "report_docx",
    "report_html",
    "report_items",
    "upload_audit",
    "workstream_add",
]

# imported when first used (see above): name -> module
_LATER = {
    "parse_date": "ofsted_csc.plans.xlsx",
    "plan_from_xlsx": "ofsted_csc.plans.xlsx",
    "plan_to_xlsx": "ofsted_csc.plans.xlsx",
    "MeetingReport": "ofsted_csc.reports.board",
    "change_line": "ofsted_csc.reports.board",
    "measure_line": "ofsted_csc.reports.board",
    "meeting_report": "ofsted_csc.reports.board",
    "report_docx": "ofsted_csc.reports.board",
    "report_html": "ofsted_csc.reports.board",
}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def find_report(store: Store, file_or_sha256: str) -> StoredResult:
    """A stored inspection or visit a plan can answer, by file name or sha256 (or a unique
    prefix of 8+); NotFound if none."""
    return store.find(file_or_sha256)
