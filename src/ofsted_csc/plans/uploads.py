"""Reports added through the web app (the /upload form and POST /api/ingest), in the audit
trail: who added which file, what became of it, and the council it is about."""

from __future__ import annotations

from sqlalchemy import select

from ofsted_csc.plans.common import User, audit
from ofsted_csc.storage import Store
from ofsted_csc.storage.models import SourceFileRow

# what ingest did with a file that changed the store (refused and unchanged change nothing)
AUDITED = ("stored", "replaced", "review")


def upload_audit(
    store: Store,
    actor: User | None,
    file_name: str,
    outcome: str,
    sha256: str | None,
    council_urn: str | None,
    kind: str | None = None,
) -> bool:
    """Record one uploaded report in the audit trail (entity "document", the stored file's
    id, field the outcome, new value its kind), under the council it is about; `actor` None:
    nobody signed in (the deployment opened uploading to anyone). Whether a row was written:
    a refused or unchanged file changed nothing and is not recorded. Who may upload is
    checked before the file is read (ofsted_csc.web.access), not here."""
    if outcome not in AUDITED or sha256 is None:
        return False
    with store.transaction() as s:
        file_id = s.scalar(select(SourceFileRow.id).where(SourceFileRow.sha256 == sha256))
        audit(
            s,
            None if actor is None else actor.id,
            None,
            "document",
            int(file_id or 0),
            f"{file_name} ({sha256[:12]})",
            outcome,
            None,
            kind or "document",
            council_urn=council_urn,
        )
    return True
