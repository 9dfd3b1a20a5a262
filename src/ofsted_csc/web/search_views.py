"""The full-text search page: every word of every stored report and letter, with the filters
of `ofsted-csc search`; each hit opens the stored PDF at its page and links to Ofsted's copy."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, request

from ofsted_csc import api
from ofsted_csc.domain.councils import OFSTED_REGIONS, ONS_REGIONS
from ofsted_csc.domain.errors import InvalidInput, NotFound, not_a_date
from ofsted_csc.domain.frameworks import Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.web.context import web_context

search_pages = Blueprint("search", __name__)

FIELDS = ("q", "since", "until", "framework", "kind", "council", "region", "grade")


def _date(name: str, given: dict[str, str], errors: dict[str, str]) -> date | None:
    text = given[name]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = not_a_date(text)
        return None


def segments(hit: api.Hit) -> list[tuple[str, bool]]:
    """The passage in pieces: (text, whether it is a match)."""
    out: list[tuple[str, bool]] = []
    at = 0
    for a, b in hit.marks:
        out += [(hit.passage[at:a], False), (hit.passage[a:b], True)]
        at = b
    out.append((hit.passage[at:], False))
    return [(t, m) for t, m in out if t]


@search_pages.get("/search")
def search() -> Any:
    given = {k: request.args.get(k, "").strip() for k in FIELDS}
    errors: dict[str, str] = {}
    hits: list[api.Hit] = []
    since = _date("since", given, errors)
    until = _date("until", given, errors)
    if given["q"] and not errors:
        try:
            hits = api.search(
                web_context().store,
                given["q"],
                since=since,
                until=until,
                framework=given["framework"] or None,
                kind=given["kind"] or None,
                council=given["council"] or None,
                region=given["region"] or None,
                grade=given["grade"] or None,
            )
        except (InvalidInput, NotFound) as exc:
            field = "q" if exc.message.startswith("search:") else "filters"
            if isinstance(exc, NotFound):
                field = "council"
            errors[field] = exc.message.removeprefix("search: ")
    return render_template(
        "search.html",
        title="Search reports and letters",
        given=given,
        hits=hits,
        errors=errors,
        segments=segments,
        frameworks=[f.value for f in Framework],
        kinds=[k.value for k in Kind],
        grades=[g.value for g in Grade],
        regions=list(dict.fromkeys((*ONS_REGIONS, *OFSTED_REGIONS))),
        unindexed=api.unindexed_count(web_context().store) if given["q"] else 0,
    ), (400 if errors else 200)
