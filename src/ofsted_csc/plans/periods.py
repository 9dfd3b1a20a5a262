"""Dates as councils write them in their plans' workbooks: a day ("31/03/2020", "31 March
2020"), or a period ("March 2019", "end of Q2 2019/20", "Q3 2019-20", "2019/20").

A period is read as its last day when it is a deadline ("by the end of Q2": 30 September) and
its first day when it is a start. Quarters are of the financial year, as councils budget and
report: Q1 is April to June, Q2 July to September, Q3 October to December and Q4 January to
March of the following calendar year, so "Q4 2019/20" ends on 31 March 2020. A quarter must
name its financial year ("Q2 2019" could be either kind of year, and is refused).

Words that say there is no date ("Ongoing", "TBC") read as no date, and the caller says so.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

_DAY_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%A %d %B %Y",
)
# "Ongoing" and its kind: the row is read, with no date, and the import's report says so
NO_DATE = frozenset(
    ("ongoing", "on-going", "tbc", "tba", "tbd", "n/a", "na", "-", "continuous", "to be confirmed")
)

_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.lower(): n for n, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9
_LEAD = r"(?:(?:by\s+)?(?:the\s+)?end\s+(?:of\s+)?|by\s+)?"
_FY = r"(?P<fy>\d{4}|\d{2})\s*[/-]\s*(?P<fy2>\d{4}|\d{2})"
# "March 2019", "Mar 2019", "Mar-19" (as Excel shows mmm-yy); not "March 19", a day to some
_MONTH_YEAR = re.compile(
    _LEAD + r"(?P<month>[a-z]+)\.?(?:[\s,]+(?P<year>\d{4})|\s*-\s*(?P<yy>\d{2}|\d{4}))", re.I
)
_QUARTER = re.compile(
    _LEAD + r"(?:q|quarter\s*)(?P<q>[1-4])\s*(?:of\s+)?(?:(?:fy|financial\s+year)\s*)?" + _FY,
    re.I,
)
_QUARTER_AFTER = re.compile(_LEAD + _FY + r"\s*(?:,\s*)?(?:q|quarter\s*)(?P<q>[1-4])", re.I)
_QUARTER_ONE_YEAR = re.compile(_LEAD + r"(?:q|quarter\s*)[1-4]\s*(?:of\s+)?\d{2,4}", re.I)
_YEAR = re.compile(_LEAD + r"(?:(?:fy|financial\s+year)\s*)?" + _FY, re.I)


@dataclass(frozen=True)
class Period:
    """What a cell said: the first and last day it covers (the same day for a date) and, for
    a period, how it was read ("Q2 2019/20", "March 2019")."""

    first: date
    last: date
    what: str | None = None  # None: the cell named a day

    @property
    def is_day(self) -> bool:
        return self.what is None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _financial_year(match: re.Match[str], text: str) -> int:
    start, end = _year(match["fy"]), _year(match["fy2"])
    if end % 100 != (start + 1) % 100:
        raise ValueError(f"{text!r}: {match['fy']}/{match['fy2']} is not a financial year")
    return start


def read_period(text: str) -> Period:
    """The day or period a cell names. ValueError (with the reason) when it names neither."""
    text = " ".join(str(text).split())
    for fmt in _DAY_FORMATS:
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 2000 <= day.year <= 2100:
            return Period(day, day)
    found = _QUARTER.fullmatch(text) or _QUARTER_AFTER.fullmatch(text)
    if found:
        start = _financial_year(found, text)
        q = int(found["q"])
        year, month = (start, 3 * q + 1) if q < 4 else (start + 1, 1)
        return _checked(
            Period(
                date(year, month, 1),
                date(year, month + 2, calendar.monthrange(year, month + 2)[1]),
                f"Q{q} {start}/{(start + 1) % 100:02d}",
            )
        )
    if _QUARTER_ONE_YEAR.fullmatch(text):
        raise ValueError(
            f"{text!r} does not say which financial year: write it as Q2 2019/20 (July to "
            "September 2019)"
        )
    found = _YEAR.fullmatch(text)
    if found:
        start = _financial_year(found, text)
        return _checked(
            Period(date(start, 4, 1), date(start + 1, 3, 31), f"{start}/{(start + 1) % 100:02d}")
        )
    found = _MONTH_YEAR.fullmatch(text)
    if found and found["month"].lower() in _MONTHS:
        month, year = _MONTHS[found["month"].lower()], _year(found["year"] or found["yy"])
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        return _checked(Period(first, last, f"{first:%B %Y}"))
    raise ValueError(f"{text!r} is not a date")


def _checked(period: Period) -> Period:
    if not 2000 <= period.first.year <= 2100:
        raise ValueError(f"{period.what} is not a year of a plan")
    return period


def says_no_date(text: str) -> bool:
    """A cell that says there is no date yet ("Ongoing", "TBC")."""
    return " ".join(text.split()).lower().rstrip(".") in NO_DATE
