"""Dates as Ofsted writes them: "23 May to 16 June 2016", "24 – 28 June 2013",
"7 to 11 March and 21 to 25 March 2022", "06/10/2016", "26 February 2024 to 8 March 2024"."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
# "to", "and" and every dash seen between two dates, U+2500 (box drawing) among them.
_SEP = r"\s*(?:to|until|–|—|-|‒|−|─|―|and)\s*"

# A written date with optional month and year: "23", "23 May", "23 May 2016".
_PART = rf"(?P<{{n}}d>{_DAY})(?:\s+(?P<{{n}}m>{_MONTH}))?(?:,?\s+(?P<{{n}}y>{_YEAR}))?"
RANGE_RE = re.compile(
    r"(?<![\d/])" + _PART.format(n="a") + _SEP + _PART.format(n="b") + r"(?![\d/])",
    re.IGNORECASE,
)
DATE_RE = re.compile(
    rf"(?<!\d)(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s*,?\s+(?P<y>{_YEAR})\b", re.IGNORECASE
)
NUMERIC_RE = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>(?:19|20)?\d\d)(?!\d)")


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _month(text: str) -> int:
    low = text.lower()
    return MONTHS.get(low) or MONTHS[low[:3]]


def make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """The first full date ("5 August 2016", "06/10/2016") in `text`, else None."""
    m = DATE_RE.search(text)
    n = NUMERIC_RE.search(text)
    if m and (not n or m.start() <= n.start()):
        return make_date(int(m.group("y")), _month(m.group("m")), _day(m.group("d")))
    if n:
        year = int(n.group("y"))
        if year < 100:
            year += 2000
        return make_date(year, int(n.group("m")), int(n.group("d")))
    return None


def parse_periods(text: str) -> list[tuple[date, date]]:
    """Every date range in `text`, in order: ["7 to 11 March", "21 to 25 March 2022"].

    Missing months and years are taken from the next part that has them
    ("24 – 28 June 2013", "7 to 11 March and 21 to 25 March 2022"); a range whose
    end month comes before its start month crosses a year end
    ("30 November to 4 December 2020" is fine; "14 December 2020 to 15 January 2021"
    carries its own years).
    """
    text = " ".join(text.split())
    numeric = [
        (parse_date(a), parse_date(b))
        for a, b in re.findall(
            r"(\d{1,2}/\d{1,2}/\d{2,4})\s*(?:to|–|-|—)\s*(\d{1,2}/\d{1,2}/\d{2,4})", text
        )
    ]
    if numeric:
        return [(a, b) for a, b in numeric if a and b and a <= b]

    raw: list[dict[str, str | None]] = []
    for m in RANGE_RE.finditer(text):
        raw.append(
            {
                "ad": m.group("ad"),
                "am": m.group("am"),
                "ay": m.group("ay"),
                "bd": m.group("bd"),
                "bm": m.group("bm"),
                "by": m.group("by"),
            }
        )
    # Carry months and years backwards from later parts ("7 to 11 March and 21 to 25 March 2022").
    next_month: str | None = None
    next_year: str | None = None
    for part in reversed(raw):
        if part["bm"] is None:
            part["bm"] = next_month
        if part["by"] is None:
            part["by"] = next_year
        if part["am"] is None:
            part["am"] = part["bm"]
        if part["ay"] is None:
            part["ay"] = part["by"]
        next_month, next_year = part["am"], part["ay"]

    periods: list[tuple[date, date]] = []
    for part in raw:
        if not (part["am"] and part["bm"] and part["ay"] and part["by"]):
            continue
        ay, by = int(part["ay"]), int(part["by"])
        am, bm = _month(part["am"]), _month(part["bm"])
        if part["ay"] == part["by"] and am > bm and by == ay:
            ay -= 1  # "30 December to 3 January 2020"
        start = make_date(ay, am, _day(part["ad"] or ""))
        end = make_date(by, bm, _day(part["bd"] or ""))
        if start and end and start <= end and (end - start).days < 200:
            periods.append((start, end))
    if not periods:
        single = parse_date(text)
        if single:
            periods.append((single, single))
    return periods
