"""The Python API: what the CLI and the web app do, for notebooks and scripts too.

This module holds the documents: opening the store, ingest's companions (show, review,
accept_official, import_official) and a stored record as JSON. The figures are in
ofsted_csc.api.benchmarks, exports in ofsted_csc.api.exports, the store's health in
ofsted_csc.api.health; each of those reads a Store or a Snapshot (ofsted_csc.api.snapshot).

    from ofsted_csc import api
    store = api.open_store()                       # or api.open_store("postgresql+psycopg://...")
    summary = api.ingest(store, ["reports/"], jobs=2)
    print(summary.stored, summary.refused)
    api.export(store, "inspections", "csv", "inspections.csv")

Errors are typed (ofsted_csc.domain.errors); nothing here prints.
"""

from __future__ import annotations

import copy
import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ofsted_csc.analytics import benchmarking, reconcile
from ofsted_csc.api.benchmarks import (
    report_facts,
)
from ofsted_csc.api.snapshot import Source
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import (
    CorrectionsError,
    DocumentError,
    InvalidInput,
    NotFound,
)
from ofsted_csc.domain.official import OfficialRow
from ofsted_csc.domain.records import Correction, InspectionRecord
from ofsted_csc.domain.rules import review_reasons
from ofsted_csc.parsing.corrections import (
    apply_corrections,
)
from ofsted_csc.reports.rows import council_page, document_link
from ofsted_csc.services.ingest import (
    FileOutcome,
    parse_data,
    save_read,
)
from ofsted_csc.sources import official
from ofsted_csc.storage import Store, StoredResult
from ofsted_csc.storage.convert import record_to_json


def open_store(db: str | None = None) -> Store:
    """The store at `db` (any SQLAlchemy URL), else $OFSTED_CSC_DB, else the user's SQLite."""
    return Store.open(db)


# -- reading back --


def show(store: Store, file_or_sha256: str) -> StoredResult:
    """One stored record, by file name or sha256 (or a unique prefix)."""
    return store.find(file_or_sha256)


def pdf(store: Store, sha256: str) -> tuple[str, bytes]:
    """A stored file's PDF: (file name, bytes); NotFound if the store keeps none."""
    return store.source_pdf(sha256)


def review(store: Store) -> list[StoredResult]:
    """Files kept for review, with the reasons."""
    return store.review_items()


@dataclass(frozen=True)
class ReviewItem:
    """A file kept for review, with the imported official rows of the same inspection
    (matched as `reconcile` matches them) and their values beside what was read."""

    stored: StoredResult
    official: tuple[OfficialRow, ...] = ()
    values: tuple[reconcile.OfficialValue, ...] = ()

    @property
    def fills(self) -> list[reconcile.Fill]:
        """The official values `accept_official` would take."""
        return reconcile.fills(self.values)[0]


def review_items(store: Store, only: str | None = None) -> list[ReviewItem]:
    """Files kept for review (only the one with sha256 `only`, if given), each with the
    official rows of the same inspection and their values beside what was read."""
    stored = [s for s in store.review_items() if only is None or s.result.source.sha256 == only]
    rows = store.official_rows() if stored else []
    candidates: dict[int, benchmarking.Facts] = {}
    for i, item in enumerate(stored):
        record = item.result.record
        if isinstance(record, InspectionRecord):
            f = benchmarking.facts_from_record(record, item.result.source.file_name)
            if f is not None:
                candidates[i] = f
    found: dict[int, list[OfficialRow]] = {}
    if rows and candidates:
        matched = reconcile.rows_for(rows, report_facts(store), list(candidates.values()))
        found = dict(zip(candidates, matched, strict=True))
    out: list[ReviewItem] = []
    for i, item in enumerate(stored):
        record = item.result.record
        official = found.get(i, [])
        values = (
            reconcile.official_values(record, official)
            if official and isinstance(record, InspectionRecord)
            else []
        )
        out.append(ReviewItem(item, tuple(official), tuple(values)))
    return out


@dataclass(frozen=True)
class AcceptedOfficial:
    """What `accept_official` did: the file stored again, and the corrections it took."""

    outcome: FileOutcome  # "replaced" (left review) or "review" (still needs it)
    corrections: tuple[Correction, ...]
    conflicts: tuple[str, ...]  # fields the official rows disagree on (left alone)


def accept_official(store: Store, file_or_sha256: str) -> AcceptedOfficial:
    """Take the official statistics' values for what a report in review could not read.

    Each value becomes a correction (its note names the edition, file, sheet and row), and
    the stored PDF is read again with all its corrections and stored in one transaction,
    as `ingest --corrections` would. Raises reconcile.NoOfficialMatch, with nothing
    changed, when no imported official row of the same inspection gives such a value.
    """
    stored = store.find(file_or_sha256)
    src = stored.result.source
    if stored.outcome != "review":
        raise InvalidInput(
            f"{src.file_name}: not in review (stored as {stored.outcome}); `ofsted-csc "
            "reconcile` lists where stored reports and official statistics differ"
        )
    [item] = review_items(store, only=src.sha256)
    if not item.official:
        imported = (
            "" if store.official_rows() else " (none are imported: `ofsted-csc import-official`)"
        )
        raise reconcile.NoOfficialMatch(
            f"{src.file_name}: no official statistics row is of the same inspection (same "
            f"council and framework, published within {reconcile.MATCH_DAYS} days){imported}; "
            "nothing changed"
        )
    try:
        name, data = store.source_pdf(src.sha256)
    except NotFound:
        name, data = src.file_name, None
    existing = store.stored_corrections(src.sha256)
    # What is unread now: the file read again by this parser with its corrections (a newer
    # parser may read what the stored record lacks: that is never overridden).
    record = stored.result.record
    path = Path(name)
    fresh = parse_data(data, path) if data is not None else None
    if isinstance(fresh, DocumentError):
        raise InvalidInput(f"{fresh.message}; nothing changed")
    if fresh is not None:
        now = copy.deepcopy(fresh)
        try:
            apply_corrections(now, existing, load_registry())
        except CorrectionsError as exc:
            raise InvalidInput(f"{exc.message}; nothing changed") from None
        record = now.record
    values = (
        reconcile.official_values(record, item.official)
        if isinstance(record, InspectionRecord)
        else []
    )
    fills, conflicts = reconcile.fills(values)
    already = {c.field for c in existing}
    fills = [f for f in fills if f.field not in already]
    if not fills and (fresh is None or review_reasons(record)):
        unread = sorted({v.field for v in values if v.not_read}) or ["none"]
        raise reconcile.NoOfficialMatch(
            f"{src.file_name}: the official rows of this inspection "
            f"({'; '.join(reconcile.row_place(r) for r in item.official)}) give no value for "
            f"what could not be read ({', '.join(unread)})"
            + (f"; {'; '.join(conflicts)}" if conflicts else "")
            + "; nothing changed"
        )
    taken = [Correction(src.sha256, f.field, f.value, f.note) for f in fills]
    if fresh is None:
        lines = io.StringIO()
        csv.writer(lines, lineterminator="\n").writerows(
            [("sha256", "field", "value", "note")]
            + [(c.sha256, c.field, c.value, c.note) for c in taken]
        )
        raise InvalidInput(
            f"{src.file_name}: the store does not keep this file's PDF (it was ingested with "
            "--no-pdf), so it cannot be read again here; save these lines as a corrections "
            f"CSV and run `ofsted-csc ingest FILE --corrections FILE.csv`:\n{lines.getvalue()}"
        )
    outcome = save_read(store, path, fresh, [*existing, *taken], data)
    if outcome.outcome == "refused":
        raise InvalidInput("; ".join(outcome.reasons) + "; nothing changed")
    return AcceptedOfficial(outcome, tuple(taken), tuple(conflicts))


def default_jobs() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))


def stored_json(stored: StoredResult, source: Source | None = None) -> dict[str, object]:
    """One stored file's record as JSON-able data (what `show --json` prints), with its
    listing on Ofsted's site when `source` (a Store or a Snapshot) is given and a sync has
    seen it, Ofsted's address of its file where the file id is known (`link`) and the
    council's page on Ofsted's site."""
    result = stored.result
    listed = source.listing(result.source.sha256) if source is not None else None
    return {
        "source_file": result.source.file_name,
        "sha256": result.source.sha256,
        "page_count": result.source.page_count,
        "parser_version": result.parser_version,
        "stored_as": stored.outcome,
        "review_reasons": result.review_reasons,
        "corrections": [
            {"field": c.field, "value": c.value, "note": c.note} for c in result.corrections
        ],
        "record": record_to_json(result.record),
        "link": document_link(
            result.source.sha256,
            result.source.file_name,
            source.listing if source is not None else None,
        ),
        "council_page": council_page(result.record.council_urn),
        "ofsted_listing": None
        if listed is None
        else {
            "label": listed.label,
            "published": listed.published.isoformat(),
            "url": listed.url,
            "file_id": listed.file_id,
        },
    }


# -- official statistics --


def import_official(store: Store, path: str | Path) -> tuple[str, int]:
    """Import an official Ofsted spreadsheet: (edition key, rows stored). The rows of an
    earlier import of the same edition are replaced; reports are never changed."""
    edition, rows = official.read_edition(path, load_registry())
    return edition.key, store.replace_official(rows, edition.key)
