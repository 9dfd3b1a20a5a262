"""Web pages of themes: counts with filters, one theme's items with the phrases that matched,
search by words or meaning, and a council's themes by inspection with those that recur."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from flask import Blueprint, render_template, request

from ofsted_csc import api
from ofsted_csc.domain.councils import OFSTED_REGIONS, ONS_REGIONS
from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.domain.frameworks import FRAMEWORK_SHORT, Framework
from ofsted_csc.domain.grades import SCALE_SINCE_2013
from ofsted_csc.themes import analysis, current_classifier, load_taxonomy
from ofsted_csc.web.downloads import attachment
from ofsted_csc.web.views import download, site

themes = Blueprint("themes", __name__)

FRAMEWORKS = {
    "pre_sif": "2012-13 inspections",  # themes come from reports: only these have PDFs
    Framework.SIF.value: FRAMEWORK_SHORT[Framework.SIF],
    Framework.ILACS.value: FRAMEWORK_SHORT[Framework.ILACS],
    "letter": "Visit letters",
}
GRADES = {g.name.lower(): g for g in SCALE_SINCE_2013}
MAX_SHOWN = 200


def _region(given: str, errors: dict[str, str]) -> str | None:
    """The region a form asked for (an ONS or Ofsted region's name), or None; a name that
    is not one goes into `errors`."""
    if not given:
        return None
    try:
        return api.match_region(given)
    except InvalidInput as exc:
        errors["region"] = exc.message
        return None


def _items() -> list[analysis.ThemedItem]:
    return api.themed_items(site())  # remembered with the snapshot


def _index() -> analysis.Index:
    return site().memo(("themes_index",), lambda: analysis.Index(_items()))


def _year(name: str, errors: dict[str, str]) -> int | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    if not (text.isdigit() and 2009 <= int(text) <= date.today().year):
        errors[name] = f"The year must be a number from 2009 to {date.today().year}"
        return None
    return int(text)


def _filters() -> tuple[analysis.Filters, dict[str, str], dict[str, str]]:
    """Filters from the query; (filters, errors by field, the values as given)."""
    errors: dict[str, str] = {}
    given = {
        k: request.args.get(k, "").strip() for k in ("framework", "region", "grade", "from", "to")
    }
    framework = given["framework"] or None
    if framework and framework not in FRAMEWORKS:
        errors["framework"] = "Choose a framework from the list"
        framework = None
    region = _region(given["region"], errors)
    grade = GRADES.get(given["grade"]) if given["grade"] else None
    if given["grade"] and grade is None:
        errors["grade"] = "Choose a grade from the list"
    start, end = _year("from", errors), _year("to", errors)
    if start and end and end < start:
        errors["to"] = "The last year must be the same as or after the first"
    return (
        analysis.Filters(
            framework=framework,
            region=region,
            start=date(start, 1, 1) if start else None,
            end=date(end, 12, 31) if end else None,
            grade=grade,
        ),
        errors,
        given,
    )


def _choices() -> dict[str, Any]:
    return {
        "frameworks": FRAMEWORKS,
        "regions": list(dict.fromkeys((*ONS_REGIONS, *OFSTED_REGIONS))),
        "grades": {k: g.label for k, g in GRADES.items()},
    }


@themes.get("/themes")
def theme_counts() -> Any:
    filters, errors, given = _filters()
    n_items, n_sources, counts = api.theme_counts(site(), filters)
    taxonomy = load_taxonomy()
    if request.args.get("format") == "csv":
        table = api.rows.theme_download_rows(counts, taxonomy)
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(table.columns)
        for row in table.rows:
            w.writerow([row[c] for c in table.columns])
        return attachment(out.getvalue(), "themes.csv", "text/csv")
    return render_template(
        "themes.html",
        title="What Ofsted asks councils to improve",
        counts=counts,
        n_items=n_items,
        n_sources=n_sources,
        taxonomy=taxonomy,
        errors=errors,
        given=given,
        **_choices(),
    ), (400 if errors else 200)


COMPARE_GROUPS = {
    "": "Reports and letters, apart",
    **{k: v for k, v in analysis.GROUPS.items()},
}


@themes.get("/themes/compare")
def theme_compare() -> Any:
    """Themes over time, fairly: two periods side by side, each theme's share of the period's
    inspections (or visits) with the count and the base; `?format=csv|xlsx` downloads."""
    today = date.today()
    given = {
        "p1": request.args.get("p1", "").strip() or "2014-2017",
        "p2": request.args.get("p2", "").strip() or f"2022-{today.year}",
        "group": request.args.get("group", "").strip(),
        "region": request.args.get("region", "").strip(),
    }
    errors: dict[str, str] = {}
    periods: list[analysis.Period] = []
    for key in ("p1", "p2"):
        try:
            periods.append(analysis.Period.parse(given[key]))
        except InvalidInput as exc:
            errors[key] = exc.message
    if given["group"] not in COMPARE_GROUPS:
        errors["group"] = "Choose what to count from the list"
    region = _region(given["region"], errors)
    comparisons: list[analysis.Comparison] = []
    if not errors:
        groups = [given["group"]] if given["group"] else ["reports", "letter"]
        comparisons = [api.compare_themes(site(), periods, g, region) for g in groups]
    taxonomy = load_taxonomy()
    fmt = request.args.get("format")
    if fmt is not None and not errors:
        return download(
            api.rows.theme_comparison_table(comparisons, taxonomy), fmt, "themes-compared"
        )
    return render_template(
        "theme_compare.html",
        title="Themes over time",
        comparisons=comparisons,
        taxonomy=taxonomy,
        errors=errors,
        given=given,
        groups=COMPARE_GROUPS,
        regions=_choices()["regions"],
        note=analysis.COMPARE_NOTE,
        args={k: v for k, v in given.items() if v},
    ), (400 if errors else 200)


@themes.get("/themes/search")
def theme_search() -> Any:
    query = request.args.get("q", "").strip()
    meaning = request.args.get("meaning") == "1"
    errors: dict[str, str] = {}
    results: list[tuple[float, analysis.ThemedItem]] = []
    if len(query) > 200:
        errors["q"] = "The search must be 200 characters or fewer"
    elif query:
        results = _index().search(query, current_classifier(), meaning=meaning, limit=MAX_SHOWN)
    return render_template(
        "theme_search.html",
        title="Search recommendations",
        query=query,
        meaning=meaning,
        results=results,
        errors=errors,
        taxonomy=load_taxonomy(),
        sections=analysis.SECTIONS,
    ), (400 if errors else 200)


@themes.get("/themes/<theme_id>")
def theme_page(theme_id: str) -> Any:
    taxonomy = load_taxonomy()
    try:
        theme = taxonomy.get(theme_id)
    except KeyError:
        raise NotFound(f"There is no theme “{theme_id}”.") from None
    filters, errors, given = _filters()
    matching = [i for i in _items() if theme.id in i.themes and filters.keep(i.source)]
    matching.sort(key=lambda i: (i.source.start, i.source.council_name), reverse=True)
    return render_template(
        "theme.html",
        title=theme.name,
        theme=theme,
        items=matching[:MAX_SHOWN],
        total=len(matching),
        errors=errors,
        given=given,
        sections=analysis.SECTIONS,
        **_choices(),
    ), (400 if errors else 200)


@themes.get("/councils/<code>/themes")
def council_themes(code: str) -> Any:
    registry = site().registry
    council = registry.by_code(code)
    if council is None:
        raise NotFound(f"No council has the LA code “{code}”.")
    items = _items()
    chain = analysis.council_themes(items, council.urn)
    similar = {
        c.source.sha256: analysis.similar_councils(items, c.source.sha256, 3)
        for c in chain
        if not c.source.is_letter
    }
    return render_template(
        "council_themes.html",
        title=f"{council.name}: themes of its inspections and visits",
        council=council,
        chain=chain,
        similar=similar,
        taxonomy=load_taxonomy(),
        sections=analysis.SECTIONS,
    )
