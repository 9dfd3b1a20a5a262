"""Grades: the scales Ofsted uses and the spellings its reports use for them.

Ofsted's wording is data: every spelling of every grade seen in a report lives here
and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ofsted_csc.domain.errors import not_one_of


class Grade(StrEnum):
    """A judgement grade. The value is the export spelling of the contract."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    ADEQUATE = "adequate"
    INADEQUATE = "inadequate"

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]

    @property
    def short_label(self) -> str:
        """The label where space is short (tags, axes): "Requires improvement"."""
        return GRADE_SHORT_LABELS.get(self, GRADE_LABELS[self])

    @property
    def rank(self) -> int:
        """1 is best. Adequate (pre-2013) sits where requires improvement sits."""
        return GRADE_RANKS[self]


GRADE_LABELS: dict[Grade, str] = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Grade.ADEQUATE: "Adequate",
    Grade.INADEQUATE: "Inadequate",
}

GRADE_SHORT_LABELS: dict[Grade, str] = {
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement",
}

GRADE_RANKS: dict[Grade, int] = {
    Grade.OUTSTANDING: 1,
    Grade.GOOD: 2,
    Grade.REQUIRES_IMPROVEMENT: 3,
    Grade.ADEQUATE: 3,
    Grade.INADEQUATE: 4,
}

# The order of grades in every table, chart, key and filter: best first, as the enum is
# declared (adequate, pre-2013, sits where requires improvement sits). The one definition:
# the scales below and every other ordering take it from here.
GRADE_ORDER: tuple[Grade, ...] = tuple(Grade)

# The four-point scale since November 2013 (SIF and ILACS) and the pre-2013 scale.
SCALE_SINCE_2013: tuple[Grade, ...] = tuple(g for g in GRADE_ORDER if g is not Grade.ADEQUATE)
SCALE_PRE_2013: tuple[Grade, ...] = tuple(
    g for g in GRADE_ORDER if g is not Grade.REQUIRES_IMPROVEMENT
)


def not_a_grade(value: str, also: Sequence[str] = ()) -> str:
    """The one wording for a grade that is not one: “x” is not a grade (outstanding, ...),
    with `also` any other value the asker takes ("not_judged")."""
    return not_one_of(value, "a grade", [*GRADE_ORDER, *also])


@dataclass(frozen=True)
class GradeColour:
    """How one grade is drawn: a GOV.UK tag on the pages, and the GOV.UK colour that tag is
    tinted from wherever a grade is filled in (web charts and the map, the brief's charts in
    Word and HTML)."""

    tag_class: str  # the classes of a GOV.UK tag (GOV.UK Frontend 6: the plain tag is blue)
    colour: str  # the GOV.UK colour, "#rrggbb"
    text_on: str  # text written on `colour` (contrast 4.5:1 or more)


# One palette for every output. GOV.UK's own meanings, as most council dashboards colour
# Ofsted grades: outstanding green (GOV.UK's "success"), inadequate red (its "error"),
# requires improvement orange (a warning) and good blue (the plain GOV.UK tag): a second hue,
# not a second green, so that good and outstanding stay apart on the map (GOV.UK Frontend 6
# has no light green, and its blue and light blue tags are gone: both drew the plain tag).
# Adequate, used before 2013 where requires improvement is now, is yellow. Colour is never
# the only sign of a grade: tags say it, charts label it and sit beside their tables.
GRADE_PALETTE: dict[Grade, GradeColour] = {
    Grade.OUTSTANDING: GradeColour("govuk-tag govuk-tag--green", "#0f7a52", "#ffffff"),
    Grade.GOOD: GradeColour("govuk-tag", "#1d70b8", "#ffffff"),
    Grade.REQUIRES_IMPROVEMENT: GradeColour("govuk-tag govuk-tag--orange", "#f47738", "#0b0c0c"),
    Grade.ADEQUATE: GradeColour("govuk-tag govuk-tag--yellow", "#ffdd00", "#0b0c0c"),
    Grade.INADEQUATE: GradeColour("govuk-tag govuk-tag--red", "#ca3535", "#ffffff"),
}

# Spellings seen in reports, most specific first. Matching is case-insensitive and
# runs on text whose whitespace has been folded to single spaces. A footnote marker
# ("Good 1", "good1") may follow a grade; the caller strips it.
_GRADE_PATTERNS: tuple[tuple[Grade, str], ...] = (
    (Grade.REQUIRES_IMPROVEMENT, r"requires? improvement(?: to be good)?"),
    (Grade.REQUIRES_IMPROVEMENT, r"require(?:s|d)? improvement"),
    (Grade.INADEQUATE, r"inadequate"),
    (Grade.OUTSTANDING, r"outstanding"),
    (Grade.GOOD, r"good"),
    (Grade.ADEQUATE, r"adequate"),
)

# The alternation of every grade spelling, without a group name, for use in larger patterns.
GRADE_WORDS = "(?:" + "|".join(p for _, p in _GRADE_PATTERNS) + ")"

GRADE_RE = re.compile(r"(?P<grade>" + GRADE_WORDS + r")", re.IGNORECASE)

# A grade standing alone: what the cell of a judgement table holds, with an optional
# footnote marker or "(Grade 3)" style suffix after it.
_ALONE_RE = re.compile(
    r"^\s*(?:grade\s*[1-4]\s*\(\s*)?(?P<grade>"
    + "|".join(p for _, p in _GRADE_PATTERNS)
    + r")\s*\)?\s*(?:\(?grade\s*[1-4]\)?)?\s*[0-9*†]{0,2}\s*\.?\s*$",
    re.IGNORECASE,
)


# Ofsted's own "no grade" for a judgement its framework makes: some SIF reports of very
# small councils (Isles of Scilly, City of London) print "Not judged" for adoption or care
# leavers. The export spelling is NOT_JUDGED; a judgement the framework does not make at
# all is empty instead.
NOT_JUDGED = "not_judged"
NOT_JUDGED_WORDS = r"(?:not (?:judged|graded|assessed)|no judgement(?: (?:made|given))?)"
NOT_JUDGED_RE = re.compile(r"^\s*" + NOT_JUDGED_WORDS + r"\s*[0-9*†]{0,2}\s*\.?\s*$", re.IGNORECASE)


# The lower-case words every spelling above (grades and "not judged") starts with: readers
# look for these with str.find before matching a spelling properly.
VERDICT_STARTS: tuple[str, ...] = (
    "requir",
    "inadequate",
    "outstanding",
    "good",
    "adequate",
    "not judged",
    "not graded",
    "not assessed",
    "no judgement",
)


def is_not_judged(words: str) -> bool:
    """True when `words` are Ofsted's "no grade" phrase ("Not judged", "Not Judged", ...)."""
    return bool(NOT_JUDGED_RE.match(" ".join(words.split())))


def grade_from_words(words: str) -> Grade | None:
    """The grade named by `words` (one grade phrase, any known spelling), else None."""
    folded = " ".join(words.split()).lower()
    for grade, pattern in _GRADE_PATTERNS:
        if re.fullmatch(pattern, folded):
            return grade
    return None


def grade_alone(text: str) -> Grade | None:
    """The grade when `text` is only a grade (a table cell), else None.

    Accepts footnote markers ("Good 1"), "(Grade 3)" suffixes and "Grade 4 (Inadequate)".
    """
    folded = " ".join(text.split())
    m = _ALONE_RE.match(folded)
    if not m:
        return None
    return grade_from_words(m.group("grade"))


def grade_at_start(text: str) -> tuple[Grade, int] | None:
    """The grade that `text` starts with and the length of its spelling, else None."""
    m = re.match(r"\s*" + GRADE_RE.pattern, text, re.IGNORECASE)
    if not m:
        return None
    grade = grade_from_words(m.group("grade"))
    if grade is None:
        return None
    return grade, m.end()
