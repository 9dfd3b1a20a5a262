"""Checks that flag a surprising record (domain.md section 3). They never rewrite a record:
each returns warnings, which are stored with it and shown to users.

Each rule is data: a code, the framework it applies to, a message, and its check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ofsted_csc.domain.frameworks import (
    FRAMEWORK_SHORT,
    ILACS_CARE_LEAVERS_SPLIT,
    ILACS_NO_OVERALL_FROM,
    WORDING,
    Area,
    Framework,
    ilacs_edition_for_start,
)
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.records import InspectionRecord, JudgementStatus, LetterRecord


@dataclass(frozen=True)
class Rule:
    code: str
    frameworks: tuple[Framework, ...]
    description: str
    check: Callable[[InspectionRecord], str | None]


_SIF = FRAMEWORK_SHORT[Framework.SIF]
_ILACS = FRAMEWORK_SHORT[Framework.ILACS]
_SIF_LEADERSHIP = WORDING["leadership:sif"].label.lower()


def _rank(record: InspectionRecord, area: Area) -> int | None:
    g = record.grade(area)
    return g.rank if g is not None else None


def _sif_key_inadequate_limits_overall(r: InspectionRecord) -> str | None:
    overall = r.grade(Area.OVERALL)
    if overall is None or overall is Grade.INADEQUATE:
        return None
    keys = [
        a
        for a in (Area.HELP_AND_PROTECTION, Area.IN_CARE, Area.LEADERSHIP)
        if r.grade(a) is Grade.INADEQUATE
    ]
    if keys:
        names = ", ".join(a.value for a in keys)
        return (
            f"{names} inadequate but overall effectiveness {overall.value}: "
            f"{_SIF} limits overall to inadequate"
        )
    return None


def _sif_overall_not_better_than_leadership(r: InspectionRecord) -> str | None:
    o, lead = _rank(r, Area.OVERALL), _rank(r, Area.LEADERSHIP)
    if o is not None and lead is not None and o < lead:
        return f"overall effectiveness is better than {_SIF_LEADERSHIP}"
    return None


def _overall_within_subjudgements(r: InspectionRecord) -> str | None:
    o = _rank(r, Area.OVERALL)
    if o is None:
        return None
    subs = [
        _rank(r, a)
        for a in (Area.LEADERSHIP, Area.HELP_AND_PROTECTION, Area.IN_CARE, Area.CARE_LEAVERS)
    ]
    ranks = [s for s in subs if s is not None]
    if not ranks:
        return None
    if o < min(ranks):
        return "overall effectiveness is better than every other judgement"
    if o > max(ranks):
        return "overall effectiveness is worse than every other judgement"
    return None


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _edition_matches_dates(r: InspectionRecord) -> str | None:
    """The record's edition against the one in force when the inspection started: each
    difference is one of the changes the editions make (frameworks.py)."""
    e, start = r.edition, r.inspection_start
    if e is None or start is None or r.framework is not Framework.ILACS or not e.areas:
        return None
    due = ilacs_edition_for_start(start)
    split, no_overall = _day(ILACS_CARE_LEAVERS_SPLIT), _day(ILACS_NO_OVERALL_FROM)
    if e.in_care_includes_care_leavers and not due.in_care_includes_care_leavers:
        return (
            "the report judges children in care and care leavers together, but the inspection "
            f"started on or after {split}"
        )
    if due.in_care_includes_care_leavers and e.has(Area.CARE_LEAVERS):
        return (
            f"the report judges care leavers separately, but the inspection started before {split}"
        )
    if not e.has(Area.OVERALL) and due.has(Area.OVERALL):
        return (
            "the report has no overall effectiveness, but the inspection started before "
            f"{no_overall}"
        )
    overall = r.judgements.get(Area.OVERALL)
    if (
        not due.has(Area.OVERALL)
        and overall is not None
        and overall.status is JudgementStatus.GRADED
    ):
        return (
            "the report grades overall effectiveness, but the inspection started on or after "
            f"{no_overall}"
        )
    return None


def _grades_on_scale(r: InspectionRecord) -> str | None:
    if r.edition is None:
        return None
    off = [
        j.area.value
        for j in r.judgements.values()
        if j.grade is not None and j.grade not in r.edition.scale
    ]
    if off:
        return f"grades outside the {r.edition.title} scale: {', '.join(off)}"
    return None


def _dates_in_order(r: InspectionRecord) -> str | None:
    if r.inspection_start and r.inspection_end and r.inspection_end < r.inspection_start:
        return "the inspection ends before it starts"
    if r.published and r.inspection_end and r.published < r.inspection_end:
        return "the report is dated as published before the inspection ended"
    if r.published and r.inspection_end and (r.published - r.inspection_end).days > 270:
        return "the report was published more than nine months after the inspection ended"
    return None


def _dates_in_framework(r: InspectionRecord) -> str | None:
    e = r.edition
    if e is None or r.inspection_start is None:
        return None
    if e.from_date and r.inspection_start < e.from_date - timedelta(days=60):
        return f"the inspection started before the {e.title} was in force"
    if e.to_date and r.inspection_start > e.to_date:
        return f"the inspection started after the {e.title} ended"
    return None


RULES: tuple[Rule, ...] = (
    Rule(
        "sif_key_inadequate",
        (Framework.SIF,),
        f"An inadequate key judgement limits {_SIF} overall effectiveness to inadequate.",
        _sif_key_inadequate_limits_overall,
    ),
    Rule(
        "sif_overall_vs_leadership",
        (Framework.SIF,),
        f"{_SIF} overall effectiveness has never been better than leadership.",
        _sif_overall_not_better_than_leadership,
    ),
    Rule(
        "ilacs_overall_within_range",
        (Framework.ILACS,),
        f"{_ILACS} overall effectiveness has never been better than the best or worse than the "
        "worst judgement.",
        _overall_within_subjudgements,
    ),
    Rule(
        "ilacs_edition_dates",
        (Framework.ILACS,),
        f"The {_ILACS} judgements follow the inspection's start date (care leavers judged "
        f"separately from {ILACS_CARE_LEAVERS_SPLIT:%B %Y}, no overall effectiveness from "
        f"{ILACS_NO_OVERALL_FROM:%B %Y}).",
        _edition_matches_dates,
    ),
    Rule(
        "grade_scale",
        (Framework.PRE_SIF, Framework.SIF, Framework.ILACS),
        "Grades belong to the framework's scale (adequate only before 2013).",
        _grades_on_scale,
    ),
    Rule(
        "dates_order",
        (Framework.PRE_SIF, Framework.SIF, Framework.ILACS),
        "Inspection dates and publication are in order and plausible.",
        _dates_in_order,
    ),
    Rule(
        "dates_in_framework",
        (Framework.PRE_SIF, Framework.SIF, Framework.ILACS),
        "The inspection took place while its framework was in force.",
        _dates_in_framework,
    ),
)


def check(record: InspectionRecord) -> list[str]:
    """Warnings for a record: '<code>: <what is surprising>'."""
    out: list[str] = []
    for rule in RULES:
        if record.framework is None or record.framework not in rule.frameworks:
            continue
        message = rule.check(record)
        if message:
            out.append(f"{rule.code}: {message}")
    return out


# -- doubts: what makes a reading untrustworthy, so that it goes to review --

# Warnings "<code>: <detail>" with one of these codes are review reasons, not only warnings:
# each code's words lead the reason. Parsing adds them (a damaged file, text that is not
# text); they stay with the record, so a correction does not clear them.
DAMAGED = "damaged"
IMPLAUSIBLE = "implausible"
DOUBTS: dict[str, str] = {
    DAMAGED: "the PDF is damaged and was read only as repaired, so what was read may not be "
    "what the document says",
    IMPLAUSIBLE: "a value read is not plausible",
}


def doubt(code: str, detail: str) -> str:
    """A warning that sends its record to review (`code` one of DOUBTS)."""
    if code not in DOUBTS:
        raise ValueError(f"not a doubt code: {code}")
    return f"{code}: {detail}"


def _doubts(warnings: list[str]) -> list[str]:
    out: list[str] = []
    for w in warnings:
        code, _, detail = w.partition(": ")
        if code in DOUBTS and detail:
            out.append(f"{DOUBTS[code]}: {detail}")
    return out


# A lead inspector is a person: two to four capitalised names (hyphens, apostrophes and
# accents as names have them), several joined by "and", "&", "," or ";". Table headings
# and Ofsted's furniture read in their place are caught by the words below.
_NAME = re.compile(
    r"(?:Mr|Mrs|Ms|Miss|Dr)?\.? ?[A-Z][\w'’.-]*(?: (?:(?:de|van|von|der|da|le|la|du) )?"
    r"(?:Mc|Mac|O['’])?[A-Z][\w'’.-]*){1,3}"
)
_NAMES_JOIN = re.compile(r"\s*(?:;|,| and | & )\s*")
_NOT_NAMES = frozenset(
    [
        "judgement",
        "judgements",
        "grade",
        "grades",
        "inspection",
        "inspector",
        "inspectors",
        "majesty",
        "majesty's",
        "ofsted",
        "report",
        "summary",
        "overall",
        "effectiveness",
        "children",
        "services",
        "council",
        "authority",
        "local",
        "outstanding",
        "inadequate",
        "requires",
        "improvement",
        "date",
        "dates",
        "lead",
        "team",
        "page",
        "recommendations",
    ]
)
_LONGEST_RECOMMENDATION = 1200  # characters; the corpus's longest is about 800
_LETTER_LATEST = 270  # days from a visit's end to its letter; the corpus: 22 to 78


def _not_a_name(name: str | None) -> str | None:
    if not name:
        return None
    for part in _NAMES_JOIN.split(name.strip()):
        words = {w.lower().strip(".,") for w in part.split()}
        if not _NAME.fullmatch(part) or words & _NOT_NAMES:
            return f"the lead inspector “{name}” is not a person's name"
    return None


def _plausible_inspection(r: InspectionRecord) -> list[str]:
    out = [m for m in (_not_a_name(r.lead_inspector), _dates_in_order(r)) if m]
    if r.framework is not None and (m := _dates_in_framework(r)):
        out.append(m)
    long = [x.position for x in r.recommendations if len(x.text) > _LONGEST_RECOMMENDATION]
    if long:
        out.append(
            f"recommendation {long[0]} is {len(r.recommendations[long[0] - 1].text)} characters "
            "long: the list may run on into the report's prose"
        )
    return out


def _plausible_letter(r: LetterRecord) -> list[str]:
    out = [m for m in (_not_a_name(r.lead_inspector),) if m]
    if r.visit_start and r.visit_end and r.visit_end < r.visit_start:
        out.append("the visit ends before it starts")
    end = r.visit_end or r.visit_start
    if r.letter_date and end and r.letter_date < end:
        out.append("the letter is dated before the visit ended")
    elif r.letter_date and end and (r.letter_date - end).days > _LETTER_LATEST:
        out.append("the letter is dated more than nine months after the visit")
    return out


# -- when a reading cannot be stored as read --


def review_reasons(record: InspectionRecord | LetterRecord) -> list[str]:
    """Why a record cannot be stored as read (empty when it can): after corrections too."""
    if isinstance(record, LetterRecord):
        return _review_reasons_letter(record)
    return _review_reasons_inspection(record)


def _review_reasons_inspection(record: InspectionRecord) -> list[str]:
    reasons: list[str] = []
    if record.council_urn is None:
        named = (
            f" (the report names “{record.council_name_in_report}”)"
            if record.council_name_in_report
            else ""
        )
        reasons.append(f"could not match the council to the reference data{named}")
    if record.framework is None or record.kind is None:
        reasons.append("could not tell the framework and kind of inspection")
    if record.inspection_start is None:
        reasons.append("could not read the inspection dates")
    for area, j in record.judgements.items():
        if j.status is JudgementStatus.NOT_READ:
            why = f": {j.note}" if j.note else ""
            reasons.append(f"could not read the {area.value} judgement{why}")
    reasons.extend(f"{DOUBTS[IMPLAUSIBLE]}: {m}" for m in _plausible_inspection(record))
    return reasons + _doubts(record.warnings)


def _review_reasons_letter(record: LetterRecord) -> list[str]:
    reasons: list[str] = []
    if record.council_urn is None:
        named = (
            f" (the letter names “{record.council_name_in_report}”)"
            if record.council_name_in_report
            else ""
        )
        reasons.append(f"could not match the council to the reference data{named}")
    if record.visit_start is None:
        reasons.append("could not read the visit dates")
    reasons.extend(f"{DOUBTS[IMPLAUSIBLE]}: {m}" for m in _plausible_letter(record))
    return reasons + _doubts(record.warnings)
