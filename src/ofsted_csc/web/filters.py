"""Template filters: how grades, dates and judgements read on the pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask
from markupsafe import Markup, escape

from ofsted_csc.domain.frameworks import (
    FRAMEWORK_LABELS,
    ILACS_CARE_LEAVERS_SPLIT,
    KIND_LABELS,
    VISITS_LABEL,
    Framework,
    Kind,
)
from ofsted_csc.domain.grades import GRADE_PALETTE, Grade
from ofsted_csc.plans import deadlines
from ofsted_csc.web.data import JUDGEMENT_NAMES
from ofsted_csc.web.govuk import Components

# The GOV.UK tag of each grade, from the one palette (domain.grades.GRADE_PALETTE)
TAG_CLASSES: dict[str, str] = {g.value: p.tag_class for g, p in GRADE_PALETTE.items()}
OTHER_LABELS = {"not_judged": "Not judged", "not_inspected": "No inspection held"}


def grade_label(value: object, short: bool = False) -> str:
    """ "good" or Grade.GOOD gives "Good"; None gives "" ."""
    if value is None or value == "":
        return ""
    key = value.value if isinstance(value, Grade) else str(value)
    if key in OTHER_LABELS:
        return OTHER_LABELS[key]
    try:
        grade = Grade(key)
    except ValueError:
        return key
    return grade.short_label if short else grade.label


NO_GRADE_TAG = Markup(
    '<span aria-hidden="true">&ndash;</span><span class="govuk-visually-hidden">not judged</span>'
)
_TAGS: dict[str, Markup] = {}  # by grade key: pages show hundreds of tags


def grade_tag(value: object) -> Markup:
    """A grade as a GOV.UK tag; a dash (read as "not judged") for no grade."""
    if value is None or value == "":
        return NO_GRADE_TAG
    key = value.value if isinstance(value, Grade) else str(value)
    tag = _TAGS.get(key)
    if tag is None:
        cls = TAG_CLASSES.get(key, "govuk-tag govuk-tag--grey")
        label = escape(grade_label(key, short=True))
        tag = Markup(f'<strong class="{cls} app-grade">{label}</strong>')
        if len(_TAGS) < 64:
            _TAGS[key] = tag
    return tag


def long_date(value: object) -> str:
    if isinstance(value, date):
        return _long_date(value)
    return "" if value is None else str(value)


@lru_cache(maxsize=8192)
def _long_date(value: date) -> str:  # pages show hundreds of dates
    return f"{value.day} {value:%B %Y}"


def judgement_name(value: object) -> str:
    return JUDGEMENT_NAMES.get(str(value), str(value).replace("_", " ").capitalize())


def framework_label(value: object) -> str:
    if not value:
        return ""
    if value == "visit":
        return VISITS_LABEL
    try:
        return FRAMEWORK_LABELS[Framework(str(value))]
    except ValueError:
        return str(value)


def kind_label(value: object) -> str:
    if not value:
        return ""
    try:
        return KIND_LABELS[Kind(str(value))]
    except ValueError:
        return str(value)


def query(args: Mapping[str, object], **changes: object) -> str:
    """A query string from `args` with `changes` applied (None removes a key)."""
    merged: dict[str, object] = {k: v for k, v in args.items() if v not in (None, "")}
    for k, v in changes.items():
        if v is None:
            merged.pop(k, None)
        else:
            merged[k] = v
    return "?" + urlencode(merged, doseq=True) if merged else ""


def percent(value: object) -> str:
    return "" if value is None else f"{value}%"


def flatten_messages(messages: object, prefix: str = "") -> list[str]:
    """webargs/marshmallow error messages ({"query": {"as_at": ["Not a valid date."]}})
    as "as_at: Not a valid date." lines."""
    out: list[str] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = prefix if key in ("query", "json", "form", "files", "view_args") else str(key)
            out += flatten_messages(value, name)
    elif isinstance(messages, list | tuple):
        for m in messages:
            out += flatten_messages(m, prefix)
    else:
        out.append(f"{prefix}: {messages}" if prefix else str(messages))
    return out


def documents_held() -> bool:
    """Whether the store holds any report or letter (the built-in official statistics give
    grades and dates only): pages that need documents say how to get them when it holds none."""

    from ofsted_csc.web.context import web_context

    return bool(web_context().snapshot().documents)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        grade_label=grade_label,
        grade_tag=grade_tag,
        long_date=long_date,
        judgement_name=judgement_name,
        framework_label=framework_label,
        kind_label=kind_label,
        percent=percent,
    )
    app.jinja_env.globals.update(
        documents_held=documents_held,
        query=query,
        judgements=JUDGEMENT_NAMES,
        govuk=Components,
        # rules pages state, from the one place each is defined
        deadlines=deadlines,  # deadlines.ACTION_PLAN_WORKING_DAYS, ...
        ilacs_care_leavers_split=ILACS_CARE_LEAVERS_SPLIT,
    )
