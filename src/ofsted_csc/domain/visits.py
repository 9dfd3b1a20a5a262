"""Ofsted's visit letters (focused and monitoring visits, ungraded): what a visit looked at,
in a few kinds, so that visits on the same theme can be found across councils (domain.md,
sections 2 and 5).

A focused visit looks at one part of a council's services, named in the letter's own words
("Inspectors looked at the local authority's arrangements for care leavers aged 18 to 25").
The wording varies from letter to letter; `visit_theme` puts it in one of the kinds Ofsted's
focused visits have looked at, the first that matches in the order below (a visit to "the
'front door' ..., including decision-making for children in need" is a front door visit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ofsted_csc.domain.frameworks import Kind, fold


@dataclass(frozen=True)
class VisitTheme:
    key: str
    label: str
    pattern: str  # a regular expression, matched without regard to case


VISIT_THEMES: tuple[VisitTheme, ...] = (
    # 2020-21: one national programme, not a theme of the visit's own
    VisitTheme(
        "pandemic",
        "Child-centred practice during the COVID-19 pandemic (2020-21)",
        r"\bcovid|coronavirus|\bpandemic",
    ),
    VisitTheme("decision_making", "Key decision-making (2020-21)", r"\bkey decision-making"),
    VisitTheme(
        "care_leavers",
        "Care leavers",
        r"\bcare leavers?\b|\bleaving care\b|care[- ]experienced|moving into adulthood",
    ),
    VisitTheme(
        "front_door",
        "The ‘front door’: contacts and referrals",
        r"\bfront[- ]door|first point of contact|contacts? and referrals?|contact, referral|\bMASH\b"
        r"|multi-agency safeguarding hub",
    ),
    VisitTheme(
        "adolescents",
        "Vulnerable adolescents and extra-familial harm",
        r"\badolescen|extra[- ]familial|\bexploitation",
    ),
    VisitTheme(
        "children_in_care",
        "Children in care and permanence",
        r"\bchildren in care\b|looked[- ]after|\bpermanen|\bplacement|\bmatching\b",
    ),
    VisitTheme(
        "need_and_protection",
        "Children in need and child protection",
        r"\bin need\b|child protection|protection plan|help and protection|need help"
        r"|\bprotection of\b|pre-proceedings|before proceedings",
    ),
    # a visit about disabled children that names no wider theme
    VisitTheme("disabled_children", "Disabled children", r"\bdisab"),
)

_COMPILED = tuple((t, re.compile(t.pattern, re.IGNORECASE)) for t in VISIT_THEMES)


def visit_theme(text: str | None) -> VisitTheme | None:
    """The kind of theme a letter's words for what the visit looked at belong to (None when
    none fits, or the letter does not say)."""
    if not text:
        return None
    clean = fold(text)
    for theme, pattern in _COMPILED:
        if pattern.search(clean):
            return theme
    return None


def same_theme(a: str | None, b: str | None) -> bool:
    """Whether two letters' themes are the same kind (or, where neither fits a kind, the
    same words)."""
    ta, tb = visit_theme(a), visit_theme(b)
    if ta is not None or tb is not None:
        return ta == tb
    return bool(a and b and fold(a).lower() == fold(b).lower())


# What each kind of visit is, for readers of a brief (domain.md, section 2).
VISIT_NOTES: dict[Kind, str] = {
    Kind.FOCUSED_VISIT: (
        "A focused visit looks at one part of a council's children's services, between its "
        "graded inspections, over two days. It is not graded: Ofsted writes to the council with "
        "what inspectors found, what needs to improve and, where it finds serious weaknesses, "
        "areas for priority action."
    ),
    Kind.MONITORING_VISIT: (
        "Monitoring visits follow an inadequate judgement, until the council's next graded "
        "inspection. They are not graded: Ofsted writes to the council with the progress "
        "inspectors found."
    ),
}
