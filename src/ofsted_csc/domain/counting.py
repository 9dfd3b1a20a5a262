"""How Ofsted counts its official national picture: which reports a snapshot "as at" a date
takes in, as data.

Ofsted's official statistics give each council's most recent judgements "as at" 31 March:
inspections up to 31 March whose reports were published by 30 June (Ofsted's file
LA_Inspection_Outcomes_as_at_31_March_2024, whose notes say so; domain.md, section 3). A
report published after the date about an inspection held before it is counted. Asked for
the picture at one of these official dates without a published-by date, ofsted-csc counts as
Ofsted does and says so; at any other date it counts reports published by the date itself,
and says that too.

31 August, Ofsted's other snapshot date, is given the same three months (to 30 November):
no edition of that snapshot is held here to confirm its cut-off, so it is marked assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class OfficialSnapshot:
    """An official snapshot date (month, day) and the last publication day it counts."""

    month: int
    day: int
    published_month: int
    published_day: int
    confirmed: bool  # the cut-off is stated in an official file held here


OFFICIAL_SNAPSHOTS: tuple[OfficialSnapshot, ...] = (
    OfficialSnapshot(3, 31, 6, 30, confirmed=True),
    OfficialSnapshot(8, 31, 11, 30, confirmed=False),
)


def official_snapshot(as_at: date) -> OfficialSnapshot | None:
    """The official snapshot `as_at` is the date of, if any."""
    for s in OFFICIAL_SNAPSHOTS:
        if (as_at.month, as_at.day) == (s.month, s.day):
            return s
    return None


def official_published_by(as_at: date) -> date | None:
    """The last publication day Ofsted counts in its snapshot as at `as_at` (30 June for 31
    March), or None when `as_at` is not an official snapshot date."""
    s = official_snapshot(as_at)
    return None if s is None else date(as_at.year, s.published_month, s.published_day)


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def counting_words(as_at: date, published_by: date) -> str:
    """Which reports a picture as at `as_at` counts, in words: Ofsted's rule for an official
    date, the date itself, or a published-by date chosen by the user."""
    official = official_published_by(as_at)
    if official is not None and published_by == official:
        s = official_snapshot(as_at)
        assumed = "" if s is not None and s.confirmed else " (a cut-off assumed, not confirmed)"
        return (
            f"as Ofsted counts its official figures: inspections up to {_day(as_at)} whose "
            f"reports were published by {_day(published_by)}{assumed}"
        )
    if official is not None:
        return (
            f"inspections up to {_day(as_at)} whose reports were published by "
            f"{_day(published_by)} (not Ofsted's rule for its official figures, which counts "
            f"reports published by {_day(official)})"
        )
    if published_by == as_at:
        return f"inspections up to {_day(as_at)} whose reports were published by then"
    return (
        f"inspections up to {_day(as_at)} whose reports were published by {_day(published_by)} "
        "(a published-by date chosen, not Ofsted's rule)"
    )
