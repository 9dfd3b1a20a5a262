"""Percentages of small numbers say what they stand for: the one rule for every chart and
table that shows a share of councils or inspections.

A share whose base (the councils or inspections it is a share of) is fewer than SMALL_BASE
is shown with its count and base: "50% (2 of 4)" rather than "50%", which read alone would
pass for a share of many. A base of SMALL_BASE or more is shown as the percentage alone.
"""

from __future__ import annotations

# Fewer than this many councils or inspections behind a percentage: it says its count too.
SMALL_BASE = 10


def is_small(base: int | None) -> bool:
    """Whether a share of `base` is a share of so few that it must say its count."""
    return base is not None and 0 < base < SMALL_BASE


def _number(percent: float, places: int | None) -> str:
    return f"{percent:g}" if places is None else f"{percent:.{places}f}"


def share(percent: float, count: int, base: int, places: int | None = None) -> str:
    """A percentage standing alone: "43%", or "50% (2 of 4)" when the base is small.
    `percent` is written as given, or with `places` decimal places."""
    if is_small(base):
        return f"{_number(percent, places)}% ({count} of {base})"
    return f"{_number(percent, places)}%"


def count_share(percent: float, count: int, base: int, places: int | None = None) -> str:
    """A count with its percentage, as a table's cell: "62 (43.7%)", or "2 (50% of 4)"
    when the base is small."""
    if is_small(base):
        return f"{count} ({_number(percent, places)}% of {base})"
    return f"{count} ({_number(percent, places)}%)"
