"""Periods of years and what a comparison of themes over time counts, in words: the groups
(inspection reports, of every framework or one, and visit letters, counted apart) and the note
that says why the comparison counts inspections, not recommendations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ofsted_csc.domain.errors import InvalidInput

# What a comparison over time counts, apart: inspection reports (every framework, or one)
# and visit letters. An LSCB review is left out: it is about the board, not the council.
GROUPS = {
    "reports": "Inspection reports",
    "pre_sif": "2012-13 inspection reports",
    "sif": "SIF inspection reports",
    "ilacs": "ILACS inspection reports",
    "letter": "Visit letters",
}
REPORT_FRAMEWORKS = ("pre_sif", "sif", "ilacs")
COMPARE_NOTE = (
    "Each cell is the share of inspections (or visits) in the period whose recommendations "
    "(or areas for improvement) had the theme at least once, with the count and the base: "
    "not a count of recommendations, since reports make far fewer recommendations than they "
    "did (each period says how many its inspections made). Reports and letters are counted "
    "apart."
)
_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:(?:-|–|to|\.\.)\s*(\d{4}))?\s*$")


@dataclass(frozen=True)
class Period:
    """Inspections begun from `start` to `end`, both days counted."""

    start: date
    end: date
    label: str

    @classmethod
    def parse(cls, text: str) -> Period:
        """A period from "2014-2017" (1 January 2014 to 31 December 2017) or "2019"."""
        m = _PERIOD.match(text)
        if m is None:
            raise InvalidInput(f"“{text}” is not a period of years (e.g. 2014-2017, or 2019)")
        first = int(m.group(1))
        last = int(m.group(2) or first)
        if last < first:
            raise InvalidInput(f"the period “{text}” ends before it starts")
        return cls(
            date(first, 1, 1),
            date(last, 12, 31),
            str(first) if first == last else f"{first}-{last}",
        )

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end
