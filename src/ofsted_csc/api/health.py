"""Where the figures come from (`about`), the store's health (`check`) and official
statistics against the reports (`reconciliation`). Each takes a Store or a Snapshot."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ofsted_csc.analytics import reconcile
from ofsted_csc.analytics.health import COUNTS, UNKNOWN, CheckRow, document_counts
from ofsted_csc.analytics.snapshot import Snapshot
from ofsted_csc.api.snapshot import Source, read
from ofsted_csc.reports import rows
from ofsted_csc.sources import official

__all__ = [
    "REFUSED_COUNTED_FROM",
    "UNKNOWN",
    "About",
    "Check",
    "CheckRow",
    "EditionHeld",
    "about",
    "check",
    "reconciliation",
]


@dataclass(frozen=True)
class EditionHeld:
    """An edition of the official statistics a store reads: built in or imported."""

    key: str
    title: str
    source_file: str
    rows: int
    built_in: bool


@dataclass(frozen=True)
class About:
    """Where a store's figures come from."""

    bundled: bool  # opened with the built-in official outcomes
    editions: tuple[EditionHeld, ...]  # the editions in use (an import replaces a built-in one)
    inspections: int  # reports stored
    letters: int
    review: int
    from_documents: int  # graded inspections in the benchmarks, read from reports
    from_built_in: int  # ... taken from the built-in statistics (no report stored)
    from_imports: int  # ... taken from imported statistics (no report stored)

    @property
    def built_in_editions(self) -> tuple[EditionHeld, ...]:
        return tuple(e for e in self.editions if e.built_in)

    def as_dict(self) -> dict[str, object]:
        return {
            "bundled": self.bundled,
            "editions": [dataclasses.asdict(e) for e in self.editions],
            "documents": {
                "inspections": self.inspections,
                "letters": self.letters,
                "review": self.review,
            },
            "benchmark_inspections": {
                "from_documents": self.from_documents,
                "from_built_in_statistics": self.from_built_in,
                "from_imported_statistics": self.from_imports,
            },
        }


def about(source: Source) -> About:
    """Which editions of the official statistics the store reads, and how many of the
    benchmarks' inspections come from documents, built-in statistics and imports."""
    snap = read(source)
    return snap.memo(("about",), lambda: _about(snap))


def _about(s: Snapshot) -> About:
    rows_ = s.official_rows
    filled = s.official_facts
    built_in_sources = {f"official:{r.source_file} row {r.row}" for r in rows_ if r.built_in}
    from_built_in = sum(1 for f in filled if f.source in built_in_sources)
    editions: dict[str, EditionHeld] = {}
    for r in rows_:
        held = editions.get(r.edition)
        editions[r.edition] = EditionHeld(
            r.edition,
            official.edition_title(r.edition),
            r.source_file,
            (held.rows if held else 0) + 1,
            r.built_in,
        )
    return About(
        bundled=s.bundled,
        editions=tuple(editions[k] for k in sorted(editions)),
        inspections=s.counts["inspection"],
        letters=s.counts["letter"],
        review=s.counts["review"],
        from_documents=len(s.report_facts),
        from_built_in=from_built_in,
        from_imports=len(filled) - from_built_in,
    )


def reconciliation(
    source: Source,
) -> tuple[list[reconcile.Match], list[reconcile.Disagreement]]:
    """Official rows matched to stored reports, and every field on which they disagree."""
    snap = read(source)
    matches = list(snap.matches)
    found = snap.memo(
        ("disagreements",),
        lambda: reconcile.disagreements(snap.matches, snap.registry, snap.report_facts),
    )
    return matches, list(found)


# -- the health check --

# How refusals are counted: the store keeps no record of a file `ingest` refuses.
REFUSED_COUNTED_FROM = (
    "refused: publications a sync fetched from Ofsted's site and refused (web_publications, "
    "status refused), by the listing's kind (letters; anything else as unknown framework) and "
    "publication year; files refused by `ingest` are not stored, so not counted"
)


@dataclass
class Check:
    """The store's health: documents by framework and year, and where stored reports
    disagree with the imported official statistics."""

    store: str
    rows: list[CheckRow]
    official_rows: int
    matched: int  # official rows matched to a stored report
    disagreements: list[reconcile.Disagreement]

    @property
    def total(self) -> CheckRow:
        return CheckRow(
            "total",
            None,
            *(sum(getattr(r, f) for r in self.rows) for f in COUNTS),
        )

    @property
    def in_review(self) -> int:
        return sum(r.review for r in self.rows)

    @property
    def by_field(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d in self.disagreements:
            counts[d.field] = counts.get(d.field, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def as_json(self) -> dict[str, object]:
        return {
            "store": self.store,
            "documents": [rows.check_row(r) for r in self.rows],
            "total": {
                k: v
                for k, v in rows.check_row(self.total).items()
                if k not in ("framework", "year")
            },
            "in_review": self.in_review,
            "refused_counted_from": REFUSED_COUNTED_FROM,
            "official": {
                "rows": self.official_rows,
                "matched_to_reports": self.matched,
                "disagreements_by_field": self.by_field,
                "disagreements": [rows.disagreement_row(d) for d in self.disagreements],
            },
        }


def check(source: Source) -> Check:
    """Counts of the store by framework and year, and every field on which a stored report
    disagrees with an imported official row (reconcile's comparison)."""
    snap = read(source)
    matches, found = reconciliation(snap)
    return Check(
        snap.store_url,
        document_counts(snap.held_documents, snap.refused),
        official_rows=len(matches),
        matched=sum(1 for m in matches if m.facts is not None),
        disagreements=found,
    )
