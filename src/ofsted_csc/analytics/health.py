"""The health check's counts: stored documents by framework and year (stored, in review,
refused by sync, judgements not read or not judged)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ofsted_csc.domain.frameworks import Framework
from ofsted_csc.storage.store import HeldDocument, RefusedListing

UNKNOWN = "unknown"
GROUP_ORDER = (*(f.value for f in Framework), "letters", UNKNOWN)
COUNTS = ("stored", "review", "refused", "not_read", "not_judged")


@dataclass(frozen=True)
class CheckRow:
    """Documents of one framework (or "letters") and year: inspections by the year they
    started, letters by the year of the visit."""

    framework: str
    year: int | None
    stored: int = 0
    review: int = 0
    refused: int = 0
    not_read: int = 0  # judgements that could not be read (all in files in review)
    not_judged: int = 0  # judgements Ofsted printed as "Not judged"


def document_counts(
    held: Iterable[HeldDocument], refused: Iterable[RefusedListing]
) -> list[CheckRow]:
    """Documents by framework (letters apart, unknown last) and year (unknown last)."""
    counts: dict[tuple[str, int | None], dict[str, int]] = {}

    def add(framework: str, day: date | None, **more: int) -> None:
        bucket = counts.setdefault((framework, day.year if day else None), dict.fromkeys(COUNTS, 0))
        for k, v in more.items():
            bucket[k] += v

    for doc in held:
        group = "letters" if doc.letter else (doc.framework or UNKNOWN)
        stored = 0 if doc.outcome == "review" else 1
        add(
            group,
            doc.day,
            stored=stored,
            review=1 - stored,
            not_read=doc.unread,
            not_judged=doc.not_judged,
        )
    for r in refused:
        add("letters" if r.kind == "letters" else UNKNOWN, r.published, refused=1)
    return [
        CheckRow(framework, year, **values)
        for (framework, year), values in sorted(
            counts.items(),
            key=lambda kv: (GROUP_ORDER.index(kv[0][0]), kv[0][1] is None, kv[0][1] or 0),
        )
    ]
