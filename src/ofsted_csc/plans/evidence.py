"""Writes of evidence: a link (http or https only) or an uploaded file (up to 10 MB, kept in
the store with its sha256) showing what an action has done."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import func, select

from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.limits import (
    MAX_ACTION_EVIDENCE,
    MAX_EVIDENCE_BYTES,
    MAX_PLAN_EVIDENCE,
    too_large,
)
from ofsted_csc.domain.values import bad_character, short_file_name
from ofsted_csc.plans.common import (
    User,
    action_row,
    add_for_action,
    check_count,
    check_text,
    count_of,
    now,
    plan_council,
    require,
)
from ofsted_csc.plans.rules import Permission
from ofsted_csc.storage import Store
from ofsted_csc.storage.plan_models import ActionRow, EvidenceRow

WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def is_web_address(text: str) -> bool:
    """An http or https address (evidence links: no javascript:, file: or data: URLs)."""
    return len(text) <= 2000 and WEB_ADDRESS.match(text) is not None and bad_character(text) is None


def evidence_add(
    store: Store,
    actor: User,
    action_id: int,
    title: str,
    *,
    url: str | None = None,
    file_name: str | None = None,
    data: bytes | None = None,
    content_type: str | None = None,
) -> int:
    """Evidence for an action: a link (http or https) or an uploaded file (up to 10 MB)."""
    title = title.strip()
    if not title:
        raise InvalidInput("evidence needs a title")
    check_text("title", title, 300)
    if (url is None) == (data is None):
        raise InvalidInput("evidence is a link or a file: give one of them")
    if url is not None:
        url = url.strip()
        if not is_web_address(url):
            raise InvalidInput(f"evidence link {url[:200]!r}: give a web address starting https://")
    digest = None
    if data is not None:
        name = (file_name or "").strip().replace("\\", "/").rsplit("/", 1)[-1]
        name = re.sub(r'[\x00-\x1f\x7f"]', "_", name)
        if not name:
            raise InvalidInput("an evidence file needs a name")
        if len(data) > MAX_EVIDENCE_BYTES:
            raise InvalidInput(
                f"{name}: {too_large(len(data), MAX_EVIDENCE_BYTES, 'evidence files')}"
            )
        if not data:
            raise InvalidInput(f"{name}: the file is empty")
        file_name = short_file_name(name)
        digest = hashlib.sha256(data).hexdigest()
    with store.transaction() as s:
        action = action_row(s, action_id)
        require(s, actor, Permission.EDIT, plan_council(s, action.plan_id))
        evidence = select(func.count(EvidenceRow.id)).join(ActionRow)
        check_count(
            count_of(s, evidence.where(ActionRow.id == action.id)) + 1,
            MAX_ACTION_EVIDENCE,
            "items of evidence",
            "an action",
        )
        check_count(
            count_of(s, evidence.where(ActionRow.plan_id == action.plan_id)) + 1,
            MAX_PLAN_EVIDENCE,
            "items of evidence",
            "a plan",
        )
        row = EvidenceRow(
            action_id=action.id,
            title=title,
            url=url,
            file_name=file_name if data is not None else None,
            content_type=_content_type(content_type) if data is not None else None,
            size=len(data) if data is not None else None,
            sha256=digest,
            data=data,
            added_by_id=actor.id,
            added_at=now(),
        )
        return add_for_action(
            s, actor, action, row, "evidence", "added", f"{title} ({url or file_name})"
        )


def _content_type(given: str | None) -> str:
    """The uploaded file's type as the browser said it, if it looks like one."""
    text = (given or "").strip()
    if not text or len(text) > 100 or bad_character(text) is not None:
        return "application/octet-stream"
    return text
