"""Ofsted's inspection frameworks as data: kinds, judgement areas, their wording, scales.

This module is the one place that knows which judgements each framework makes and how
reports word them. Parsing, rules, storage and exports all read from here.

Each framework *edition* is the previous one plus a delta (the 2023 care leavers split,
the April 2026 removal of overall effectiveness), as Ofsted changed them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ofsted_csc.domain.errors import InvalidInput, not_one_of, one_of_error
from ofsted_csc.domain.grades import SCALE_PRE_2013, SCALE_SINCE_2013, Grade
from ofsted_csc.domain.workdays import working_days_in


class Framework(StrEnum):
    PRE_SIF = "pre_sif"
    SIF = "sif"
    ILACS = "ilacs"


class Kind(StrEnum):
    # 2012-13 inspections (pre-SIF)
    LOOKED_AFTER = "looked_after"
    PROTECTION = "protection"
    # SIF
    FULL = "full"
    REINSPECTION = "reinspection"
    LSCB_REVIEW = "lscb_review"
    # ILACS
    STANDARD = "standard"
    SHORT = "short"
    # letters (ungraded)
    FOCUSED_VISIT = "focused_visit"
    MONITORING_VISIT = "monitoring_visit"

    @property
    def is_letter(self) -> bool:
        return self in (Kind.FOCUSED_VISIT, Kind.MONITORING_VISIT)


class Area(StrEnum):
    """A judgement area. The value is the column name of `export inspections`."""

    OVERALL = "overall_effectiveness"
    LEADERSHIP = "leadership"
    HELP_AND_PROTECTION = "help_and_protection"
    IN_CARE = "in_care"
    CARE_LEAVERS = "care_leavers"
    ADOPTION = "adoption"
    LSCB = "lscb"
    # pre-2013 areas, kept in the store; only overall effectiveness is exported
    CAPACITY_TO_IMPROVE = "capacity_to_improve"
    OUTCOMES = "outcomes"
    QUALITY_OF_PROVISION = "quality_of_provision"
    LEADERSHIP_AND_MANAGEMENT = "leadership_and_management"


# The judgement columns of `export inspections`, in contract order.
EXPORTED_AREAS: tuple[Area, ...] = (
    Area.OVERALL,
    Area.LEADERSHIP,
    Area.HELP_AND_PROTECTION,
    Area.IN_CARE,
    Area.CARE_LEAVERS,
    Area.ADOPTION,
    Area.LSCB,
)

# The same columns by name: what users give as a judgement (--judgement, ?judgement=).
JUDGEMENTS: tuple[str, ...] = tuple(a.value for a in EXPORTED_AREAS)

# The one wording for a judgement that is not one, as a marshmallow OneOf error: the JSON
# API's argument check says it in the same words as check_judgement.
NOT_A_JUDGEMENT = one_of_error("a judgement")


def check_judgement(value: str) -> Area:
    """The judgement column named `value`, else InvalidInput worded the same for the CLI, the
    pages and the API: 'judgement: “x” is not a judgement (overall_effectiveness, ...)'."""
    if value in JUDGEMENTS:
        return Area(value)
    raise InvalidInput(f"judgement: {not_one_of(value, 'a judgement', JUDGEMENTS)}")


def not_a_framework(value: str, also: Sequence[str] = ()) -> str:
    """The one wording for a framework that is not one (with `also`, other values taken)."""
    return not_one_of(value, "a framework", [*Framework, *also])


def not_a_kind(value: str) -> str:
    """The one wording for a kind of inspection or visit that is not one."""
    return not_one_of(value, "a kind of inspection or visit", Kind)


@dataclass(frozen=True)
class AreaWording:
    """How reports name one judgement area: a label pattern (whitespace-folded, any case)."""

    area: Area
    label: str  # the plain name users see
    patterns: tuple[str, ...]

    def regex(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.patterns), re.IGNORECASE)


# Label patterns. They match the label as it stands in a judgement table after line
# breaks are folded into spaces. Numbering ("1.", "2.1") is stripped by the parser.
WORDING: dict[str, AreaWording] = {
    w.area.value + ("" if not suffix else ":" + suffix): w
    for suffix, w in (
        (
            "",
            AreaWording(
                Area.OVERALL,
                "Overall effectiveness",
                (
                    r"overall effectiveness(?: of services for looked after children(?: and young people)?)?",
                ),
            ),
        ),
        (
            "ilacs",
            AreaWording(
                Area.LEADERSHIP,
                "Impact of leaders on social work practice",
                (
                    r"(?:the )?impact of leaders on (?:social work )?practice with children and families",
                    r"(?:the )?impact of leaders on social work practice(?: with children)?",
                ),
            ),
        ),
        (
            "sif",
            AreaWording(
                Area.LEADERSHIP,
                "Leadership, management and governance",
                (r"leadership,? management and governance",),
            ),
        ),
        (
            "ilacs",
            AreaWording(
                Area.HELP_AND_PROTECTION,
                "Experiences and progress of children who need help and protection",
                (r"(?:the )?experiences? and progress of children who need help and protection",),
            ),
        ),
        (
            "sif",
            AreaWording(
                Area.HELP_AND_PROTECTION,
                "Children who need help and protection",
                (r"children who need help and protection",),
            ),
        ),
        (
            "ilacs2018",
            AreaWording(
                Area.IN_CARE,
                "Experiences and progress of children in care and care leavers",
                (r"(?:the )?experiences? and progress of children in care and care leavers",),
            ),
        ),
        (
            "ilacs",
            AreaWording(
                Area.IN_CARE,
                "Experiences and progress of children in care",
                (r"(?:the )?experiences? and progress of children in care",),
            ),
        ),
        (
            "sif",
            AreaWording(
                Area.IN_CARE,
                "Children looked after and achieving permanence",
                (r"children looked after and achieving permanence",),
            ),
        ),
        (
            "",
            AreaWording(
                Area.CARE_LEAVERS,
                "Experiences and progress of care leavers",
                (r"(?:the )?experiences? and progress of (?:children )?care leavers",),
            ),
        ),
        (
            "",
            AreaWording(Area.ADOPTION, "Adoption performance", (r"adoption performance",)),
        ),
        (
            "",
            AreaWording(
                Area.LSCB,
                "Local Safeguarding Children Board",
                (
                    r"(?:the )?effectiveness of the local safeguarding children(?:'s|’s)? board(?: \(LSCB\))?",
                    r"(?:the )?local safeguarding children(?:'s|’s)? board(?: \(LSCB\))?",
                ),
            ),
        ),
        (
            "",
            AreaWording(Area.CAPACITY_TO_IMPROVE, "Capacity to improve", (r"capacity to improve",)),
        ),
        (
            "",
            AreaWording(
                Area.OUTCOMES,
                "Outcomes for looked after children and young people",
                (r"outcomes for (?:looked after )?children and young people",),
            ),
        ),
        (
            "",
            AreaWording(
                Area.QUALITY_OF_PROVISION, "Quality of provision", (r"quality of provision",)
            ),
        ),
        (
            "",
            AreaWording(
                Area.LEADERSHIP_AND_MANAGEMENT,
                "Leadership and management",
                (r"leadership and management",),
            ),
        ),
    )
}


@dataclass(frozen=True)
class Edition:
    """One version of a framework: which judgements it makes, worded how, on what scale."""

    key: str
    framework: Framework
    title: str
    kinds: tuple[Kind, ...]
    areas: tuple[Area, ...]
    wording: tuple[AreaWording, ...]
    scale: tuple[Grade, ...]
    from_date: date | None  # first inspection start date the edition applies to
    to_date: date | None  # last inspection start date (inclusive), None if current
    in_care_includes_care_leavers: bool = False

    def has(self, area: Area) -> bool:
        return area in self.areas

    def wording_for(self, area: Area) -> AreaWording | None:
        for w in self.wording:
            if w.area == area:
                return w
        return None


_PRE_AREAS = (
    Area.OVERALL,
    Area.CAPACITY_TO_IMPROVE,
    Area.OUTCOMES,
    Area.QUALITY_OF_PROVISION,
    Area.LEADERSHIP_AND_MANAGEMENT,
)

PRE_SIF_LOOKED_AFTER = Edition(
    key="pre_sif_looked_after",
    framework=Framework.PRE_SIF,
    title="Inspection of looked after children services (2012-13)",
    kinds=(Kind.LOOKED_AFTER,),
    areas=_PRE_AREAS,
    wording=tuple(
        WORDING[k]
        for k in (
            "overall_effectiveness",
            "capacity_to_improve",
            "outcomes",
            "quality_of_provision",
            "leadership_and_management",
        )
    ),
    scale=SCALE_PRE_2013,
    from_date=None,
    to_date=date(2013, 11, 30),
)

PRE_SIF_PROTECTION = Edition(
    key="pre_sif_protection",
    framework=Framework.PRE_SIF,
    title="Inspection of local authority arrangements for the protection of children (2012-13)",
    kinds=(Kind.PROTECTION,),
    areas=(Area.OVERALL, Area.CAPACITY_TO_IMPROVE, Area.LEADERSHIP_AND_MANAGEMENT),
    wording=tuple(
        WORDING[k]
        for k in ("overall_effectiveness", "capacity_to_improve", "leadership_and_management")
    ),
    scale=SCALE_PRE_2013,
    from_date=None,
    to_date=date(2013, 11, 30),
)

SIF = Edition(
    key="sif",
    framework=Framework.SIF,
    title="Single inspection framework (SIF) and review of the LSCB",
    kinds=(Kind.FULL, Kind.REINSPECTION),
    areas=(
        Area.OVERALL,
        Area.HELP_AND_PROTECTION,
        Area.IN_CARE,
        Area.ADOPTION,
        Area.CARE_LEAVERS,
        Area.LEADERSHIP,
        Area.LSCB,
    ),
    wording=tuple(
        WORDING[k]
        for k in (
            "overall_effectiveness",
            "help_and_protection:sif",
            "in_care:sif",
            "adoption",
            "care_leavers",
            "leadership:sif",
            "lscb",
        )
    ),
    scale=SCALE_SINCE_2013,
    from_date=date(2013, 11, 1),
    to_date=date(2018, 12, 31),
)

SIF_LSCB_REVIEW = Edition(
    key="sif_lscb_review",
    framework=Framework.SIF,
    title="Review of the effectiveness of the Local Safeguarding Children Board",
    kinds=(Kind.LSCB_REVIEW,),
    areas=(Area.LSCB,),
    wording=(WORDING["lscb"],),
    scale=SCALE_SINCE_2013,
    from_date=date(2013, 11, 1),
    to_date=date(2018, 12, 31),
)

ILACS_2018 = Edition(
    key="ilacs_2018",
    framework=Framework.ILACS,
    title="ILACS (2018)",
    kinds=(Kind.STANDARD, Kind.SHORT),
    areas=(Area.LEADERSHIP, Area.HELP_AND_PROTECTION, Area.IN_CARE, Area.OVERALL),
    wording=tuple(
        WORDING[k]
        for k in (
            "leadership:ilacs",
            "help_and_protection:ilacs",
            "in_care:ilacs2018",
            "overall_effectiveness",
        )
    ),
    scale=SCALE_SINCE_2013,
    from_date=date(2018, 1, 1),
    to_date=date(2022, 12, 31),
    in_care_includes_care_leavers=True,
)

ILACS_2023 = Edition(
    key="ilacs_2023",
    framework=Framework.ILACS,
    title="ILACS from January 2023 (care leavers judged separately)",
    kinds=(Kind.STANDARD, Kind.SHORT),
    areas=(
        Area.LEADERSHIP,
        Area.HELP_AND_PROTECTION,
        Area.IN_CARE,
        Area.CARE_LEAVERS,
        Area.OVERALL,
    ),
    wording=tuple(
        WORDING[k]
        for k in (
            "leadership:ilacs",
            "help_and_protection:ilacs",
            "in_care:ilacs",
            "care_leavers",
            "overall_effectiveness",
        )
    ),
    scale=SCALE_SINCE_2013,
    from_date=date(2023, 1, 1),
    to_date=date(2026, 3, 31),
)

ILACS_2026 = Edition(
    key="ilacs_2026",
    framework=Framework.ILACS,
    title="ILACS from April 2026 (no overall effectiveness)",
    kinds=(Kind.STANDARD, Kind.SHORT),
    areas=(Area.LEADERSHIP, Area.HELP_AND_PROTECTION, Area.IN_CARE, Area.CARE_LEAVERS),
    wording=tuple(
        WORDING[k]
        for k in (
            "leadership:ilacs",
            "help_and_protection:ilacs",
            "in_care:ilacs",
            "care_leavers",
        )
    ),
    scale=SCALE_SINCE_2013,
    from_date=date(2026, 4, 1),
    to_date=None,
)

# Letters: ungraded.
ILACS_VISIT = Edition(
    key="ilacs_visit",
    framework=Framework.ILACS,
    title="ILACS focused and monitoring visits (letters, ungraded)",
    kinds=(Kind.FOCUSED_VISIT, Kind.MONITORING_VISIT),
    areas=(),
    wording=(),
    scale=(),
    from_date=date(2018, 1, 1),
    to_date=None,
)

EDITIONS: tuple[Edition, ...] = (
    PRE_SIF_LOOKED_AFTER,
    PRE_SIF_PROTECTION,
    SIF,
    SIF_LSCB_REVIEW,
    ILACS_2018,
    ILACS_2023,
    ILACS_2026,
    ILACS_VISIT,
)

EDITIONS_BY_KEY: dict[str, Edition] = {e.key: e for e in EDITIONS}

# The graded ILACS editions, oldest first: each starts where the one before ends.
ILACS_GRADED: tuple[Edition, ...] = (ILACS_2018, ILACS_2023, ILACS_2026)


def _ilacs_from(change: str, test: Callable[[Edition], bool]) -> date:
    """The first inspection start date of the ILACS edition that made `change`."""
    for e in ILACS_GRADED:
        if test(e) and e.from_date is not None:
            return e.from_date
    raise AssertionError(f"no ILACS edition made the change: {change}")  # pragma: no cover


# The two changes to ILACS, dated from the editions above (rules and pages say them from
# here): care leavers judged apart from children in care, and overall effectiveness removed.
ILACS_CARE_LEAVERS_SPLIT: date = _ilacs_from(
    "care leavers judged separately", lambda e: not e.in_care_includes_care_leavers
)
ILACS_NO_OVERALL_FROM: date = _ilacs_from(
    "no overall effectiveness", lambda e: not e.has(Area.OVERALL)
)


# The first day of ILACS inspections: a graded inspection that started before it was a SIF one
# (or, before November 2013, one of the frameworks before the SIF).
ILACS_FROM: date = _ilacs_from("ILACS begins", lambda e: e is ILACS_GRADED[0])


def headline_area(start: date) -> Area:
    """The judgement that sums up a graded inspection starting on `start`: overall
    effectiveness, or the impact of leaders for inspections from April 2026, which have no
    overall effectiveness (the cut-over follows the inspection dates)."""
    return Area.OVERALL if ilacs_edition_for_start(start).has(Area.OVERALL) else Area.LEADERSHIP


def next_graded_kind(last_framework: Framework | None, last_grade: Grade | None, on: date) -> Kind:
    """The kind of graded inspection a council can expect if its next one starts on `on`
    (domain.md, section 2). Under ILACS: a short inspection after good or outstanding, a
    standard one after requires improvement, inadequate, a grade of the scale before 2013, or
    no graded inspection yet. Under the SIF (before ILACS began): a re-inspection of a council
    already inspected under the SIF, else its full inspection."""
    if on < ILACS_FROM:
        return Kind.REINSPECTION if last_framework is Framework.SIF else Kind.FULL
    if last_grade in (Grade.OUTSTANDING, Grade.GOOD):
        return Kind.SHORT
    return Kind.STANDARD


def edition(key: str) -> Edition:
    return EDITIONS_BY_KEY[key]


def ilacs_edition_for_start(start: date) -> Edition:
    """The ILACS edition in force for an inspection that started on `start`.

    The cut-overs follow the inspection dates, not the publication date.
    """
    for e in reversed(ILACS_GRADED):
        if e.from_date is None or start >= e.from_date:
            return e
    return ILACS_GRADED[0]


def fold(text: str) -> str:
    """Whitespace folded to single spaces, curly apostrophes straightened."""
    if (  # most text needs nothing (isprintable is False for every space but " ")
        text.isprintable()
        and "  " not in text
        and "’" not in text
        and "‘" not in text
        and text[:1] != " "
        and text[-1:] != " "
    ):
        return text
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


# ILACS reports do not say whether an inspection was short or standard. A short inspection
# is 5 working days on site and a standard one 10 (the dev corpus: 107 of 5 days, 151 of 10,
# one of 3, and three held in two periods, two of 7 days, short by Ofsted's own statistics,
# and one of 14). Inspections of this many working days or fewer are taken to be short.
ILACS_SHORT_MAX_WORKING_DAYS = 7


def ilacs_kind_for_periods(periods: Iterable[tuple[date, date]]) -> Kind:
    """Short or standard, from the days on site (first and last day of each period).

    Working days are counted as everywhere else (`workdays`): a bank holiday in the week
    is not a day on site."""
    short = working_days_in(periods) <= ILACS_SHORT_MAX_WORKING_DAYS
    return Kind.SHORT if short else Kind.STANDARD


# -- what users read: short labels for tables, charts and filters --

FRAMEWORK_LABELS: dict[Framework, str] = {
    # reports read from PDFs are the 2012-13 inspections; Ofsted's statistics add 2009-12's
    Framework.PRE_SIF: "Before the SIF (2009-2013)",
    Framework.SIF: "SIF (2013-2018)",
    Framework.ILACS: "ILACS (from 2018)",
}

# The framework's name inside a sentence or a table cell ("SIF full inspection").
FRAMEWORK_SHORT: dict[Framework, str] = {
    Framework.PRE_SIF: "Pre-2013",
    Framework.SIF: "SIF",
    Framework.ILACS: "ILACS",
}

# Letters of visits, where users choose among frameworks ("visit" in the listing's filter).
VISITS_LABEL = "Visits (letters)"

KIND_LABELS: dict[Kind, str] = {
    Kind.LOOKED_AFTER: "Looked after children",
    Kind.PROTECTION: "Safeguarding and child protection",
    Kind.FULL: "Full inspection",
    Kind.REINSPECTION: "Re-inspection",
    Kind.LSCB_REVIEW: "LSCB review",
    Kind.STANDARD: "Standard inspection",
    Kind.SHORT: "Short inspection",
    Kind.FOCUSED_VISIT: "Focused visit",
    Kind.MONITORING_VISIT: "Monitoring visit",
}

# One short name per exported judgement column, whatever the framework calls it.
JUDGEMENT_LABELS: dict[Area, str] = {
    Area.OVERALL: "Overall effectiveness",
    Area.LEADERSHIP: "Leaders",
    Area.HELP_AND_PROTECTION: "Help and protection",
    Area.IN_CARE: "Children in care",
    Area.CARE_LEAVERS: "Care leavers",
    Area.ADOPTION: "Adoption",
    Area.LSCB: "LSCB",
}
