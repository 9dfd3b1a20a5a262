"""The pages. Each takes the current snapshot of the store (web_context().snapshot()), asks
the API for its figures with it (the functions the CLI calls: ofsted_csc.api) and renders a
template; tables' values come as rows of ofsted_csc.api.rows."""

from __future__ import annotations

import dataclasses
import io
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from markupsafe import Markup, escape
from werkzeug.utils import secure_filename
from wtforms import SubmitField

from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.domain import shares
from ofsted_csc.domain.councils import OFSTED_REGIONS, ONS_REGIONS, Council, check_region_kind
from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.domain.frameworks import Framework, Kind, check_judgement
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.values import short_file_name
from ofsted_csc.web import charts, tables
from ofsted_csc.web.access import check_upload_form, may_upload, token_user
from ofsted_csc.web.auth import me
from ofsted_csc.web.context import web_context
from ofsted_csc.web.data import (
    JUDGEMENT_NAMES,
    JUDGEMENTS,
    Filters,
    councils_by_name,
)
from ofsted_csc.web.downloads import XLSX, attachment
from ofsted_csc.web.filters import framework_label, grade_label, kind_label, long_date

pages = Blueprint("pages", __name__)

PAGE_SIZE = 100
COMPARE_SLOTS = 4


def site() -> api.Snapshot:
    """The current snapshot of the store (rebuilt when its data changes)."""
    return web_context().snapshot()


slug = tables.slug


REGION_SLUGS: dict[str, str] = {slug(n): n for n in dict.fromkeys((*ONS_REGIONS, *OFSTED_REGIONS))}

pages.add_app_template_global(tables.council_href, "council_href")
pages.add_app_template_global(tables.document_href, "document_href")
pages.add_app_template_global(tables.pdf_href, "pdf_href")
pages.add_app_template_global(tables.region_href, "region_href")
pages.add_app_template_global(tables.choices, "choices")


# -- the date picker --


@dataclass
class DateField:
    """A GOV.UK date input's values and, if they are wrong, the message."""

    name: str
    day: str = ""
    month: str = ""
    year: str = ""
    error: str = ""
    value: date | None = None


def date_field(name: str, default: date) -> DateField:
    """Read `name-day`, `name-month`, `name-year` from the query; all empty gives `default`."""
    f = DateField(
        name,
        request.args.get(f"{name}-day", "").strip(),
        request.args.get(f"{name}-month", "").strip(),
        request.args.get(f"{name}-year", "").strip(),
    )
    if not (f.day or f.month or f.year):
        f.value = default
        return f
    missing = [part for part in ("day", "month", "year") if not getattr(f, part)]
    if missing:
        f.error = f"The date must include a {' and a '.join(missing)}"
        return f
    if not (f.day.isdigit() and f.month.isdigit() and f.year.isdigit() and len(f.year) == 4):
        f.error = "The date must be a real date, like 31 3 2024"
        return f
    try:
        f.value = date(int(f.year), int(f.month), int(f.day))
    except ValueError:
        f.error = "The date must be a real date, like 31 3 2024"
        return f
    if f.value.year < 2009:
        f.error = "The date must be 2009 or later"
        f.value = None
    elif f.value > date.today():
        f.error = "The date must be today or in the past"
        f.value = None
    return f


def judgement_arg(default: str = "overall_effectiveness") -> str:
    j = request.args.get("judgement", "").strip() or default
    return check_judgement(j)


def _total(rows: list[dict[str, Any]], judgement: str) -> int:
    """How many councils a picture's rows (api.rows.picture_rows) count as judged."""
    return next((int(r["total"]) for r in rows if r["judgement"] == judgement), 0)


def bars(picture: api.Picture) -> list[charts.Bar]:
    """A picture's bars: for each judgement made, the councils with each grade."""
    table = api.rows.picture_rows(picture)
    out = []
    for j in JUDGEMENTS:
        rows = [r for r in table if r["judgement"] == j and r["percent"] is not None]
        if _total(table, j) == 0:
            continue
        out.append(
            charts.Bar(
                JUDGEMENT_NAMES[j],
                [(r["grade"], grade_label(r["grade"]), r["count"]) for r in rows],
            )
        )
    return out


def picture_table(picture: api.Picture) -> tuple[list[str], list[dict[str, Any]]]:
    """Grades as columns, judgements as rows: count and percent of those judged (from the
    picture's rows, api.rows.picture_rows)."""
    table = api.rows.picture_rows(picture)
    grades = [g.value for g in api.GRADE_ORDER if any(r["grade"] == g.value for r in table)]
    rows = []
    for j in JUDGEMENTS:
        mine = {r["grade"]: r for r in table if r["judgement"] == j}
        if not mine:
            continue
        rows.append(
            {
                "judgement": j,
                "cells": [_count_cell(mine.get(g)) for g in grades],
                "total": _total(table, j),
                "not_judged": mine["not_judged"]["count"] if "not_judged" in mine else 0,
                "not_inspected": mine["not_inspected"]["count"] if "not_inspected" in mine else 0,
            }
        )
    return grades, rows


def _count_cell(row: dict[str, Any] | None) -> Markup:
    """A table cell's count, with its share of those judged where there is one."""
    if row is None:
        return Markup("0")
    if row["percent"] is None:
        return Markup(row["count"])
    return _count_share(row["percent"], row["count"], row["total"])


def _count_share(percent: Any, count: Any, base: Any) -> Markup:
    """ "62 (43.7%)", or "2 (50% of 4)" when few are judged (domain.shares), the share in
    small type."""
    words = shares.count_share(float(percent), int(count), int(base))
    number, rest = words.split(" ", 1)
    return Markup(f'{escape(number)} <span class="govuk-body-s">{escape(rest)}</span>')


def trend_table(
    series: list[dict[str, object]], grades: list[tuple[str, str]]
) -> list[dict[str, object]]:
    """The last 12 quarters of `series`, newest first: each quarter's end, its cells (count
    and share of each grade) and how many councils were judged."""
    out = []
    for row in reversed(series[-12:]):
        cells = []
        for key, _name in grades:
            share = row.get(f"{key}_percent")
            count = row.get(key, 0)
            cells.append(
                _count_share(share, count, row["total"])
                if share is not None
                else Markup(escape(count))
            )
        out.append({"quarter_end": row["quarter_end"], "cells": cells, "total": row["total"]})
    return out


def legend_for(grades: list[str]) -> Any:
    return charts.legend([(g, grade_label(g)) for g in grades])


# -- national picture --

TREND_GRADES = [(g.value, grade_label(g)) for g in api.GRADE_ORDER if g is not Grade.ADEQUATE]


@pages.get("/")
def national() -> Any:
    data = site()
    today = date.today()
    as_at = date_field("as_at", today)
    judgement = judgement_arg()
    status = 200
    if as_at.error:
        status = 400
    day = as_at.value or today
    picture = api.national(data, day)
    grades, rows = data.memo(("picture-table", day), lambda: picture_table(picture))
    chart, _ = national_chart(data, day)
    series = api.trajectories(data, "series", judgement, end=today)
    trend_grades = TREND_GRADES
    rounds = data.memo(("round-table", day), lambda: round_table(data, day))
    return (
        render_template(
            "national.html",
            as_at=as_at,
            day=day,
            picture=picture,
            grades=grades,
            rows=rows,
            chart=chart,
            legend=legend_for(grades),
            judgement=judgement,
            series=data.memo(
                ("trend-table", judgement, today), lambda: trend_table(series, trend_grades)
            ),
            trend=trend_chart(data, judgement, today),
            trend_grades=trend_grades,
            trend_legend=charts.legend(trend_grades),
            rounds=rounds,
            round_grades=ROUND_GRADES,
            status=status,
        ),
        status,
    )


def national_chart(data: api.Snapshot, day: date) -> tuple[Markup, list[str]]:
    """The national picture's bars at `day` and the grades of their key."""
    picture = api.national(data, day)
    grades, _ = data.memo(("picture-table", day), lambda: picture_table(picture))
    chart = data.memo(
        ("national-chart", day),
        lambda: charts.stacked_bars(bars(picture), f"National picture at {long_date(day)}"),
    )
    return chart, grades


def trend_chart(data: api.Snapshot, judgement: str, today: date) -> Markup:
    """Each grade's share of councils at the end of each quarter (its key: TREND_GRADES)."""

    def draw() -> Markup:
        series = api.trajectories(data, "series", judgement, end=today)
        title = f"{JUDGEMENT_NAMES[judgement]}: share of councils by grade over time"
        return charts.trend(series, TREND_GRADES, title)

    return data.memo(("trend-chart", judgement, today), draw)


ROUND_GRADES = ("outstanding", "good", "requires_improvement", "inadequate")


def round_table(data: Any, day: date) -> list[dict[str, object]]:
    """Each framework round as Ofsted's tables count it on `day`: the inspections published
    in it (re-inspections included), the councils, and overall effectiveness by grade."""
    out: list[dict[str, object]] = []
    for name in api.ROUND_KINDS:
        p = api.national(data, day, day, round=name)
        if not p.inspections:
            continue
        counts = {r.grade: r.count for r in p.rows if r.judgement == "overall_effectiveness"}
        out.append(
            {
                "round": name.upper(),
                "inspections": p.inspections,
                "councils": p.inspected,
                "reinspections": p.inspections - p.inspected,
                **{g: counts.get(g, 0) for g in ROUND_GRADES},
                "not_judged": counts.get("not_judged", 0),
            }
        )
    return out


# -- regions --


@pages.get("/regions")
def regions() -> Any:
    data = site()
    judgement = judgement_arg()
    by = check_region_kind(request.args.get("by", "ons"))
    today = date.today()
    as_at = date_field("as_at", today)
    day = as_at.value or today
    table = api.regions(data, day, judgement=judgement, by=by)
    chart, grades = regions_chart(data, day, judgement, by)
    over = data.memo(
        ("regions-over-time", today, judgement, by),
        lambda: regions_over_time(data, judgement, by),
    )
    return (
        render_template(
            "regions.html",
            table=table,
            grades=grades,
            judgement=judgement,
            by=by,
            chart=chart,
            legend=legend_for(grades),
            rows=tables.regions_rows(table, grades),
            today=today,
            day=day,
            as_at=as_at,
            over=over,
        ),
        400 if as_at.error else 200,
    )


def regions_chart(
    data: api.Snapshot, day: date, judgement: str, by: str
) -> tuple[Markup, list[str]]:
    """A bar a region of its councils by grade for `judgement` at `day`, and the grades of
    its key."""
    table = api.regions(data, day, judgement=judgement, by=by)
    grades = [g.value for g in api.GRADE_ORDER if any(g.value in r for r in table)]

    def draw() -> Markup:
        bars = [
            charts.Bar(str(r["region"]), [(g, grade_label(g), int(r.get(g, 0))) for g in grades])  # type: ignore[call-overload]
            for r in table
        ]
        return charts.stacked_bars(
            bars, f"{JUDGEMENT_NAMES[judgement]} by region at {long_date(day)}"
        )

    return data.memo(("regions-chart", day, judgement, by), draw), grades


def regions_over_time(data: api.Snapshot, judgement: str, by: str) -> dict[str, Any]:
    """The share good or better in each region at each 31 March, as a table and a chart."""
    rows = api.regions_over_time(data, None, judgement, by)
    regions_seen = list(dict.fromkeys(str(r["region"]) for r in rows))
    points: dict[tuple[str, date], charts.SharePoint] = {}
    for r in rows:
        day: date = r["as_at"]  # type: ignore[assignment]
        good = int(r.get("outstanding", 0)) + int(r.get("good", 0))  # type: ignore[call-overload]
        percent = r["percent_good_or_better"]
        points[(str(r["region"]), day)] = (
            day,
            None if percent is None else float(percent),  # type: ignore[arg-type]
            good,
            int(r["total"]),  # type: ignore[call-overload]
        )
    days = sorted({d for _, d in points})
    series = [
        (name, [points.get((name, d), (d, None, 0, 0)) for d in days]) for name in regions_seen
    ]
    title = f"{JUDGEMENT_NAMES[judgement]}: share good or better by region, each 31 March"

    def cell(pt: charts.SharePoint) -> str:
        return "–" if pt[1] is None else shares.share(pt[1], pt[2], pt[3])

    return {
        "days": days,
        "rows": [(name, [cell(pt) for pt in pts]) for name, pts in series],
        "chart": charts.region_lines(series, title),
        "title": title,
    }


def region_of(name: str) -> str:
    """The region whose slug is `name`."""
    region_name = REGION_SLUGS.get(name)
    if region_name is None:
        raise NotFound(f"There is no region called “{name}”.")
    return region_name


def region_chart(data: api.Snapshot, region_name: str, day: date) -> tuple[Markup, list[str]]:
    """A region's councils by grade for each judgement at `day`, and the grades of its key."""
    picture = api.national(data, day, region=region_name)
    grades, _ = picture_table(picture)
    return charts.stacked_bars(bars(picture), f"{region_name} at {long_date(day)}"), grades


@pages.get("/regions/<name>")
def region(name: str) -> Any:
    region_name = region_of(name)
    data = site()
    today = date.today()
    picture = api.national(data, today, region=region_name)
    grades, rows = picture_table(picture)
    councils = [
        r for r in api.councils(data, today) if region_name in (r["ons_region"], r["ofsted_region"])
    ]
    return render_template(
        "region.html",
        region=region_name,
        picture=picture,
        grades=grades,
        rows=rows,
        chart=region_chart(data, region_name, today)[0],
        legend=legend_for(grades),
        councils=councils,
        today=today,
        slug=name,
    )


# -- councils --


def council_from(code: str) -> Council:
    data = site()
    council = data.registry.by_code(code) or data.registry.by_urn(code)
    if council is None:
        raise NotFound(f"There is no council with the code “{code}”.")
    return council


@pages.get("/councils")
def councils() -> Any:
    data = site()
    today = date.today()
    listed = api.councils(data, today)
    rows = data.memo(
        ("councils-rows", today, request.script_root), lambda: tables.councils_rows(listed)
    )
    return render_template("councils.html", count=len(listed), rows=rows, today=today)


@pages.get("/councils/<code>")
def council(code: str) -> Any:
    c = council_from(code)
    if code != c.la_code:
        return redirect(url_for("pages.council", code=c.la_code), 301)
    data = site()
    today = date.today()
    profile, profile_rows, parts = council_page(data, c, today)
    return render_template(
        "council.html",
        council=c,
        profile=profile,
        history=profile_rows["inspections"],
        neighbours=profile.neighbours,
        today=today,
        predecessors=data.registry.predecessors_of(c),
        successors=data.registry.successors_of(c),
        forecast=council_forecast(data, c, today),
        **parts,
    )


def council_page(
    data: api.Snapshot, c: Council, today: date
) -> tuple[Any, Mapping[str, list[dict[str, object]]], dict[str, Markup]]:
    """A council's profile, its tables' rows and its page's parts (council_parts)."""
    profile, visits = api.council_profile(data, c, today)
    profile_rows = data.memo(
        ("profile-tables", c.urn, today), lambda: api.profile_tables(profile, visits)
    )
    parts = data.memo(
        ("council-page", c.urn, today, request.script_root),
        lambda: council_parts(data, c, profile_rows),
    )
    return profile, profile_rows, parts


def council_forecast(data: api.Snapshot, c: Council, today: date) -> api.ForecastWords | None:
    """The council's forecast in words, if it exists today (an abolished council has none)."""
    if not c.exists_on(today):
        return None
    (made,) = api.council_forecasts(data, today, c)
    return api.forecast_words(made)


# -- the forecast --


@pages.get("/forecast")
def forecasts() -> Any:
    """Every council's forecast, the most likely to be inspected in the next 12 months first
    (`?format=csv` or `xlsx`: the forecast command's rows)."""
    data = site()
    today = date.today()
    fmt = request.args.get("format")
    if fmt is not None:
        table = api.rows.TableData("forecast", api.FORECAST_COLUMNS, api.forecast(data, today))
        return download(table, fmt, "forecast")
    made = api.likeliest_inspected(data, today)
    rows = data.memo(("forecast-rows", today), lambda: forecast_rows(made))
    leadership = any(f.judgement != "overall_effectiveness" for f in made)
    return render_template(
        "forecasts.html", rows=rows, today=today, note=api.ESTIMATE_NOTE, leadership=leadership
    )


def forecast_rows(made: list[api.CouncilForecast]) -> list[dict[str, object]]:
    """The forecast page's rows, in words."""
    out: list[dict[str, object]] = []
    for f in made:
        last = "None on record"
        if f.last is not None:
            grade = f" ({f.last_grade.short_label.lower()})" if f.last_grade else ""
            last = f"{long_date(f.last.start)}{grade}"
        top, p_top = max(f.probabilities.items(), key=lambda kv: kv[1])
        out.append(
            {
                "council": f.council,
                "last": last,
                "chance": f"{round(100 * f.p_inspection)}%",
                "kind": kind_label(f.expected_kind.value),
                "window": f"{f.window_start:%b %Y} to {f.window_end:%b %Y}",
                "grade": f"{top.short_label.lower()} ({round(100 * p_top)}%)",
            }
        )
    return out


# -- change over time --

CHANGE_VIEW_LABELS = {
    "pairs": "Inspections in pairs",
    "episodes": "Improvement episodes",
    "transitions": "Transition table",
}


@pages.get("/changes")
def changes() -> Any:
    """Change over time (api.changes_table): pairs of a council's inspections, improvement
    episodes or the transition table, filtered; `?format=csv|xlsx` downloads the rows."""
    data = site()
    args = {k: v for k, v in request.args.items() if v and k != "format"}
    view = args.get("view", "pairs")
    wanted = {k: args.get(k) for k in ("from_grade", "to_grade", "region", "framework")}
    if view == "episodes":  # those filters are the pairs'
        wanted.update(from_grade=None, to_grade=None, framework=None)
    table = api.changes_table(
        data,
        view,
        judgement="overall_effectiveness",
        from_grade=wanted["from_grade"],
        to_grade=wanted["to_grade"],
        region=wanted["region"],
        framework=wanted["framework"],
    )
    fmt = request.args.get("format")
    if fmt is not None:
        return download(table, fmt, table.name)

    def items(values: list[tuple[str, str]], chosen: str | None) -> list[dict[str, object]]:
        return [{"value": v, "text": t, "selected": v == (chosen or "")} for v, t in values]

    grades = [("", "Any")] + [(g.value, grade_label(g.value)) for g in Grade]
    options = {
        "view": items(list(CHANGE_VIEW_LABELS.items()), view),
        "from_grade": items(grades, wanted["from_grade"]),
        "to_grade": items(grades, wanted["to_grade"]),
        "region": items([("", "England")] + [(r, r) for r in ONS_REGIONS], wanted["region"]),
        "framework": items(
            [("", "Any")] + [(f.value, framework_label(f.value)) for f in Framework],
            wanted["framework"],
        ),
    }
    closed = sum(1 for r in table.rows if r.get("status") == "closed")
    return render_template(
        "changes.html",
        view=view,
        view_label=CHANGE_VIEW_LABELS[view],
        table=table,
        closed=closed,
        options=options,
        args=args,
        today=date.today(),
    )


def council_parts(
    data: api.Snapshot, c: Council, profile_rows: Mapping[str, list[dict[str, object]]]
) -> dict[str, Markup]:
    """A council page's tables, timeline and documents, derived from the snapshot (so
    remembered with it, by council and day)."""
    docs = data.documents_of(c)
    history = profile_rows["inspections"]
    points = [
        (start, str(r["overall_effectiveness"]), str(r["framework"]).upper())
        for r in history
        if r["overall_effectiveness"] is not None
        and isinstance(start := r["inspection_start"], date)
    ]
    graded = [r for r in history if r["kind"] != Kind.LSCB_REVIEW.value]  # as profile.latest
    return {
        "history_rows": tables.history_rows(history, {d.file_name: d for d in docs}),
        "reports": tables.council_reports(docs),
        "visits": tables.council_visits(docs),
        "timeline": charts.timeline(points, f"{c.name}: overall effectiveness at each inspection"),
        "neighbour_rows": tables.neighbour_rows(
            c, graded[-1] if graded else None, profile_rows["neighbours"]
        ),
    }


# -- inspections and visits --


def listing_filters() -> Filters:
    return Filters.parse(
        {
            k: request.args.get(k, "")
            for k in ("framework", "kind", "year", "judgement", "grade", "region")
        }
    )


@pages.get("/inspections")
def inspections() -> Any:
    data = site()
    filters = listing_filters()
    listing = api.documents_table(data, filters)
    docs = listing.rows
    fmt = request.args.get("format", "")
    if fmt:
        return download(listing, fmt, "inspections")
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        raise InvalidInput(f"page: “{request.args.get('page')}” is not a page number") from None
    pages_count = max(1, -(-len(docs) // PAGE_SIZE))
    page = min(page, pages_count)
    shown = docs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    args = filters.query()
    base = url_for("pages.inspections")
    return render_template(
        "inspections.html",
        rows=tables.listing_rows(data, shown, filters.judgement),
        total=len(docs),
        page=page,
        pages_count=pages_count,
        filters=filters,
        options={
            "framework": tables.options(
                [f.value for f in Framework] + ["visit"], filters.framework, framework_label
            ),
            "kind": tables.options([k.value for k in Kind], filters.kind, kind_label),
            "year": tables.options(data.years(), filters.year or ""),
            "region": tables.options(ONS_REGIONS, filters.region),
            "grade": tables.options([g.value for g in Grade], filters.grade, grade_label),
            "judgement": tables.choices(JUDGEMENT_NAMES, filters.judgement),
        },
        pagination=tables.pagination(base, args, page, pages_count),
        args=args,
    )


@pages.get("/exports/<what>")
def export_download(what: str) -> Any:
    """An export table, with the same columns as `ofsted-csc export <what>` writes
    (`?format=csv|xlsx`, default csv; `?layout=d2i|d2i-history` for the inspections)."""
    table = api.table(site(), what, request.args.get("layout", "contract"))
    return download(table, request.args.get("format", "csv"), what)


def download(table: api.rows.TableData, fmt: str, stem: str) -> Response:
    """A page's rows as CSV or XLSX (`stem`-YYYY-MM-DD.csv), with the table's columns."""
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"format: “{fmt}” is not a download format (csv, xlsx)")
    mimetype = "text/csv" if fmt == "csv" else XLSX
    name = f"{stem}-{date.today().isoformat()}.{fmt}"
    return attachment(api.table_bytes(table, fmt), name, mimetype)


@pages.get("/inspections/<sha256>")
def document(sha256: str) -> Any:
    data = site()
    doc = data.document(sha256)
    if doc is None:
        raise NotFound(f"No stored report or letter has the sha256 “{sha256}”.")
    return render_template("document.html", doc=doc)


@pages.get("/documents/<sha256>.pdf")
def pdf(sha256: str) -> Any:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        abort(404)
    name, content = api.pdf(web_context().store, sha256)
    return send_file(
        io.BytesIO(content),
        mimetype="application/pdf",
        download_name=name,
        as_attachment=False,
        max_age=86400,
    )


# -- compare --


@pages.get("/compare")
def compare() -> Any:
    data = site()
    today = date.today()
    chosen_codes = [c for c in request.args.getlist("council") if c.strip()][:COMPARE_SLOTS]
    chosen = [council_from(c) for c in chosen_codes]
    positions = api.positions(data, today)
    columns = []
    for c in chosen:
        profile, _visits = api.council_profile(data, c, today)
        columns.append({"council": c, "position": positions.get(c.urn), "profile": profile})
    options = councils_by_name(data.registry, today)
    slots = [chosen_codes[i] if i < len(chosen_codes) else "" for i in range(COMPARE_SLOTS)]
    return render_template(
        "compare.html",
        columns=columns,
        options=options,
        slots=slots,
        today=today,
    )


# -- map --


@pages.get("/map")
def england() -> Any:
    data = site()
    today = date.today()
    judgement = judgement_arg()
    svg, london, keys, rows = data.memo(
        ("map", today, judgement, request.script_root), lambda: england_map(data, today, judgement)
    )
    return render_template(
        "map.html",
        svg=svg,
        london=london,
        legend=legend_for(keys),
        judgement=judgement,
        rows=rows,
        today=today,
    )


def england_map(
    data: api.Snapshot, today: date, judgement: str, links: bool = True
) -> tuple[Markup, Markup, list[str], Markup]:
    """The map of councils coloured by their latest grade for `judgement`, London's enlarged,
    the keys of their legend and the table's rows (derived from the snapshot, so remembered
    with it); without `links`, maps of plain shapes, for a file."""
    areas = []
    for row in api.councils(data, today):
        g = row[judgement]
        key = str(g) if g else ("not_judged" if row["latest_inspection"] else "not_inspected")
        areas.append(
            charts.MapArea(
                str(row["gss_code"]),
                str(row["name"]),
                tables.council_href(str(row["la_code"])),
                key,
                grade_label(key),
            )
        )
    keys = [g.value for g in api.GRADE_ORDER if any(a.key == g.value for a in areas)]
    keys += [k for k in ("not_judged", "not_inspected") if any(a.key == k for a in areas)]
    title = f"{JUDGEMENT_NAMES[judgement]}: latest grade of each council"
    london = charts.london_map(areas, f"London (enlarged). {title}", links)
    return charts.england_map(areas, title, links), london, keys, tables.map_rows(areas)


# -- upload --


class UploadForm(FlaskForm):  # type: ignore[misc]
    report = FileField(
        "Upload an Ofsted report or letter (PDF)",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a PDF file to upload")],
    )
    submit = SubmitField("Upload and read", widget=GovSubmitInput())


@pages.route("/upload", methods=["GET", "POST"])
def upload() -> Any:
    """The upload form, for those who may upload (web.access); others are told to sign in
    (or that their role does not allow it), and their POST is refused before it is read."""
    if not web_context().settings.allow_upload:
        abort(404)
    if not may_upload(me()):
        if request.method == "POST":
            check_upload_form()
        return render_template("upload.html", form=None, outcome=None)
    form = UploadForm()
    outcome = None
    status = 200
    if form.validate_on_submit():
        outcome = ingest_upload(form.report.data)
        if outcome.outcome == "refused":
            status = 400
    elif request.method == "POST":
        status = 400
    return render_template("upload.html", form=form, outcome=outcome), status


def ingest_upload(storage: Any) -> api.FileOutcome:
    """Ingest one uploaded file under its own (made safe) name; the store is changed only if
    the file is read (api.ingest: one transaction per file). A file stored is then recorded in
    the audit trail: who uploaded it (an API token's owner, else the signed-in user, else
    nobody, when uploading is open to anyone) and the council of the report."""
    context = web_context()
    name = short_file_name(secure_filename(storage.filename or "")) or "upload.pdf"
    with tempfile.TemporaryDirectory(prefix="ofsted-csc-upload-") as tmp:
        path = Path(tmp) / name
        storage.save(path)
        summary = api.ingest(context.store, [path], jobs=1)
    context.data.invalidate()
    outcome = dataclasses.replace(summary.files[0], path=name)
    token = token_user()
    plans_api.upload_audit(
        context.store,
        token.user if token is not None else me(),
        name,
        outcome.outcome,
        outcome.sha256,
        outcome.council,
        outcome.kind,
    )
    return outcome


@pages.get("/about")
def about() -> Any:
    data = site()
    held = api.about(data)  # remembered with the snapshot
    return render_template("about.html", about=held, facts=len(data.facts))
