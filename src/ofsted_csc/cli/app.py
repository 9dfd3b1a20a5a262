"""The command line: a thin shell over `ofsted_csc.api`.

Library errors are typed; this is the one place (with the web app) that turns them into
messages for people: one line on stderr (`--debug` adds the traceback). Exit codes: 0 all
well, 1 something was refused or needs review, 2 the command could not run (bad option,
database unreachable or full, bad corrections file, or an unexpected error: never 1).
"""

from __future__ import annotations

import errno
import json
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ofsted_csc import config
from ofsted_csc.cli.brief import brief
from ofsted_csc.cli.common import (
    DATE,
    EXPORT_FORMATS,
    EXPORT_LAYOUTS,
    EXPORT_TABLES,
    FRAMEWORK_ROUNDS,
    ROUND_COUNTS,
    TRAJECTORIES,
    Context,
    pass_context,
    progress_bar,
)
from ofsted_csc.cli.common import emit as _emit
from ofsted_csc.cli.common import format_option as _format_option
from ofsted_csc.cli.common import plural as _plural
from ofsted_csc.cli.inspectors import inspectors
from ofsted_csc.cli.plans import plan, user
from ofsted_csc.cli.sync import sync
from ofsted_csc.cli.themes import themes
from ofsted_csc.domain.councils import REGION_KINDS
from ofsted_csc.domain.errors import InvalidInput, OfstedCscError, StoreError
from ofsted_csc.domain.frameworks import VISITS_LABEL

if TYPE_CHECKING:
    from ofsted_csc import api
    from ofsted_csc.api import Store, StoredResult
    from ofsted_csc.domain.records import InspectionRecord, LetterRecord


EXIT_OK = 0
EXIT_ATTENTION = 1
EXIT_ERROR = 2

# Whether this run asked for tracebacks (`--debug`): set by `cli`, read by `main`.
_run = {"debug": False}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL",
    help="SQLAlchemy database URL (default: a SQLite file in your data folder; env OFSTED_CSC_DB).",
)
@click.option(
    "--as",
    "as_user",
    metavar="USER",
    help="The user that changes to plans are recorded as (env OFSTED_CSC_USER).",
)
@click.option(
    "--no-bundled",
    is_flag=True,
    help="Open the store without the built-in official outcomes: what documents and imports "
    "alone say (env OFSTED_CSC_BUNDLED=0).",
)
@click.option(
    "--debug",
    is_flag=True,
    help="On an error, show Python's traceback as well as the one-line message.",
)
@click.version_option(package_name="ofsted-csc")
@click.pass_context
def cli(
    ctx: click.Context, db: str | None, as_user: str | None, no_bundled: bool, debug: bool
) -> None:
    """Read, store and export Ofsted inspections of councils' children's services."""
    _run["debug"] = debug
    # The environment is read here, once per run; the options win over it, and the result is
    # the process's configuration, so that the store and the web server it starts see them.
    found = config.Config.from_env().with_(
        db_url=db, user=as_user, bundled=False if no_bundled else None
    )
    config.use(found)
    ctx.obj = Context(found.db_url, found.user)
    ctx.call_on_close(ctx.obj.close)
    ctx.call_on_close(lambda: config.use(None))


# -- ingest --


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Reading processes [default: one per CPU, up to 4].",
)
@click.option(
    "--corrections",
    type=click.Path(path_type=Path),
    help="CSV of corrections: sha256,field,value[,note].",
)
@click.option("--no-pdf", is_flag=True, help="Do not keep a copy of each PDF in the database.")
@pass_context
def ingest(
    obj: Context, paths: tuple[Path, ...], jobs: int | None, corrections: Path | None, no_pdf: bool
) -> None:
    """Read report PDFs and visit letters (files or folders) into the database."""
    from ofsted_csc import api

    jobs = jobs or api.default_jobs()

    store = obj.store
    fixes = api.load_corrections(corrections) if corrections else None
    done_so_far: dict[api.FileOutcome, None] = {}  # what was stored before a failure

    def progress(outcome: api.FileOutcome, done: int, total: int) -> None:
        done_so_far[outcome] = None
        update(Path(outcome.path).name, done, total)

    try:
        with progress_bar("Reading") as update:
            summary = api.ingest(
                store,
                paths,
                jobs=jobs,
                corrections=fixes,
                keep_pdf=not no_pdf,
                on_progress=progress,
            )
    except StoreError:  # the disk filled, say: tell what is stored, then the error
        _print_summary(api.IngestSummary(list(done_so_far)), store)
        raise
    _print_summary(summary, store)
    sys.exit(EXIT_OK if summary.ok else EXIT_ATTENTION)


def _print_summary(summary: api.IngestSummary, store: Store) -> None:
    parts = [
        f"{len(summary.stored)} stored",
        f"{len(summary.replaced)} read again",
        f"{len(summary.unchanged)} unchanged",
        f"{len(summary.refused)} refused",
        f"{len(summary.review)} need review",
    ]
    click.echo(f"{_plural(len(summary.files), 'file')}: " + ", ".join(parts) + f"  ({store.url})")
    if summary.refused:
        click.echo("\nRefused (nothing stored):")
        for f in summary.refused:
            for reason in f.reasons:
                click.echo(f"  {reason}")
    if summary.review:
        click.echo("\nNeed review (kept apart; see `ofsted-csc review`):")
        for f in summary.review:
            click.echo(f"  {Path(f.path).name}: " + "; ".join(f.reasons))


# -- full-text search --


@cli.command()
@click.argument("query")
@click.option("--since", type=DATE, help="Published (a report) or dated (a letter) on or after.")
@click.option("--until", type=DATE, help="Published (a report) or dated (a letter) on or before.")
@click.option("--framework", help="pre_sif, sif or ilacs (inspection reports only).")
@click.option("--kind", help="standard, short, full, focused_visit, monitoring_visit, ...")
@click.option("--council", help="A council's name or LA code.")
@click.option("--region", help="An ONS or Ofsted region.")
@click.option("--grade", help="The inspection's overall effectiveness (good, inadequate, ...).")
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=50, show_default=True)
@_format_option
@pass_context
def search(
    obj: Context,
    query: str,
    since: date | None,
    until: date | None,
    framework: str | None,
    kind: str | None,
    council: str | None,
    region: str | None,
    grade: str | None,
    limit: int,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Every word of every stored report and letter: the pages that match, best first, with
    the passage ([matches] marked) and Ofsted's link.

    QUERY: words (all must match), "a phrase", OR, NOT word or -word, prefix*, (groups).
    """
    from ofsted_csc import api

    hits = api.search(
        obj.store,
        query,
        since=since,
        until=until,
        framework=framework,
        kind=kind,
        council=council,
        region=region,
        grade=grade,
        limit=limit,
    )
    missing = api.unindexed_count(obj.store)
    if missing:
        click.echo(
            f"({_plural(missing, 'stored file')} not yet searchable: run `ofsted-csc reindex`)",
            err=True,
        )
    title = f"{_plural(len(hits), 'page')} matching {query}"
    on_screen = fmt in (None, "table") and output is None
    columns = api.SEARCH_TABLE_COLUMNS if on_screen else api.SEARCH_COLUMNS
    _emit("search", api.search_rows(hits), list(columns), fmt, output, title)


@cli.command()
@pass_context
def reindex(obj: Context) -> None:
    """Make files stored before search existed searchable: each one's page text, read
    from its stored PDF (exit 1 if some could not be: stored with --no-pdf, or unreadable);
    and store the themes of documents without themes of the current taxonomy."""
    from ofsted_csc import api

    with progress_bar("Indexing") as update:
        summary = api.reindex(obj.store, update)
    click.echo(f"{_plural(len(summary.indexed), 'file')} indexed  ({obj.store.url})")
    if summary.themed:
        click.echo(
            f"{_plural(summary.themed, 'document')} themed (stored themes brought up to date)"
        )
    if summary.no_pdf:
        click.echo("\nNot kept as PDF (ingest them again to index them):")
        for name in summary.no_pdf:
            click.echo(f"  {name}")
    for name, why in summary.unreadable:
        click.echo(f"  {name}: {why}")
    sys.exit(EXIT_OK if not (summary.no_pdf or summary.unreadable) else EXIT_ATTENTION)


# -- export --


@cli.command()
@click.argument("what", type=click.Choice(EXPORT_TABLES))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default=None,
    help="Default: from the output file's extension, else csv.",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="File (default: stdout).")
@click.option(
    "--layout",
    type=click.Choice(EXPORT_LAYOUTS),
    default=EXPORT_LAYOUTS[0],
    show_default=True,
    help="d2i: Data to Insight's ILACS outcomes table, each council's latest ILACS; "
    "d2i-history: the same columns, every ILACS inspection (inspections only).",
)
@pass_context
def export(obj: Context, what: str, fmt: str | None, output: Path | None, layout: str) -> None:
    """Export inspections, recommendations, letters or judgements (one row per inspection
    and judgement, reports and the official statistics together)."""
    from ofsted_csc import api

    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = suffix if suffix in EXPORT_FORMATS else "csv"
    n = api.export(obj.store, what, fmt, output, layout)
    if output is not None:
        click.echo(f"{_plural(n, 'row')} written to {output}", err=True)


# -- show --


def _page(pages: dict[str, int], key: str) -> str:
    page = pages.get(key)
    return f"p{page}" if page else ""


def _show_inspection(record: InspectionRecord) -> list[tuple[str, str, str]]:
    from ofsted_csc.domain.councils import load_registry
    from ofsted_csc.domain.frameworks import EXPORTED_AREAS

    registry = load_registry()
    council = registry.by_urn(record.council_urn) if record.council_urn else None
    p = record.pages
    rows = [
        (
            "council",
            f"{council.name} (URN {council.urn}, {council.la_code})"
            if council
            else "(not matched)",
            "",
        ),
        ("council named in report", record.council_name_in_report or "", _page(p, "council")),
        ("framework", record.framework.value if record.framework else "", ""),
        ("edition", record.edition.title if record.edition else "", ""),
        (
            "kind",
            (record.kind.value if record.kind else "")
            + (f" (from the {record.kind_source.value})" if record.kind_source else ""),
            "",
        ),
        ("inspection start", str(record.inspection_start or ""), _page(p, "inspection_start")),
        ("inspection end", str(record.inspection_end or ""), _page(p, "inspection_end")),
        (
            "published",
            str(record.published or "")
            + (f" ({record.published_source.value})" if record.published_source else ""),
            _page(p, "published"),
        ),
        ("lead inspector", record.lead_inspector or "", _page(p, "lead_inspector")),
    ]
    if len(record.periods) > 1:
        spans = "; ".join(f"{a} to {b}" for a, b in record.periods)
        rows.append(("periods on site", spans, ""))
    edition_areas = record.edition.areas if record.edition else ()
    extra = [a for a in edition_areas if a not in EXPORTED_AREAS]
    for area in (*EXPORTED_AREAS, *extra):
        j = record.judgements.get(area)
        if j is None:
            continue
        value = j.grade.label if j.grade else j.status.value.replace("_", " ")
        rows.append((area.value, value, f"p{j.page}" if j.page else ""))
    return rows


def _show_letter(record: LetterRecord) -> list[tuple[str, str, str]]:
    from ofsted_csc.domain.councils import load_registry

    registry = load_registry()
    council = registry.by_urn(record.council_urn) if record.council_urn else None
    p = record.pages
    return [
        (
            "council",
            f"{council.name} (URN {council.urn}, {council.la_code})"
            if council
            else "(not matched)",
            _page(p, "council_name_in_report"),
        ),
        ("kind", record.kind.value if record.kind else "", _page(p, "kind")),
        ("letter date", str(record.letter_date or ""), _page(p, "letter_date")),
        ("visit start", str(record.visit_start or ""), _page(p, "visit_start")),
        ("visit end", str(record.visit_end or ""), _page(p, "visit_end")),
        ("lead inspector", record.lead_inspector or "", _page(p, "lead_inspector")),
        ("theme", record.theme or "", _page(p, "theme")),
    ]


@cli.command()
@click.argument("file_or_sha256")
@click.option("--json", "as_json", is_flag=True, help="The record as JSON.")
@pass_context
def show(obj: Context, file_or_sha256: str, as_json: bool) -> None:
    """One stored record as read, with the page each value came from."""
    from ofsted_csc import api

    stored = api.show(obj.store, file_or_sha256)
    if as_json:
        out = api.stored_json(stored, obj.store)
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    _print_show(stored, obj.store)


def _print_show(stored: StoredResult, store: Store) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table as RichTable

    from ofsted_csc import api
    from ofsted_csc.domain.records import InspectionRecord, LetterRecord

    result = stored.result
    console = Console(highlight=False, soft_wrap=False)
    src = result.source
    console.print(f"[bold]{escape(src.file_name)}[/bold]")
    console.print(f"sha256 {src.sha256}")
    console.print(
        f"{src.page_count} pages, read by parser {result.parser_version}, "
        f"stored as {stored.outcome}, {stored.ingested_at:%Y-%m-%d %H:%M} UTC"
    )
    listed = store.listing(src.sha256)
    if listed is not None:
        console.print(
            f"On Ofsted's site: {escape(listed.label)}, published "
            f"{listed.published:%-d %B %Y}: {escape(listed.url)}"
        )
    counted = api.official_published(store, stored)
    if counted is not None and counted.published_official and counted.published:
        console.print(
            f"Published {counted.published:%-d %B %Y}, as Ofsted's official statistics say: "
            "benchmarks and briefs use that date, not the report's below"
        )
    if result.review_reasons:
        console.print("[bold red]Needs review:[/bold red] " + "; ".join(result.review_reasons))
    record = result.record
    fields = (
        _show_inspection(record) if isinstance(record, InspectionRecord) else _show_letter(record)
    )
    t = RichTable(show_header=True, header_style="bold", box=None)
    t.add_column("field")
    t.add_column("value", overflow="fold")
    t.add_column("page")
    for name, value, page in fields:
        t.add_row(name, escape(value), page)
    console.print(t)
    if isinstance(record, InspectionRecord) and record.recommendations:
        console.print(f"\n[bold]Recommendations ({len(record.recommendations)})[/bold]")
        for rec in record.recommendations:
            tags = [rec.scope.value]
            if rec.priority:
                tags.append(rec.priority.value)
            if rec.timescale:
                tags.append(rec.timescale)
            line = f"[{', '.join(tags)}] (p{rec.page or '?'}) {rec.text}"
            console.print(f"{rec.position:>3}. " + escape(line))
            if rec.national_framework_outcome:
                console.print(escape(f"     ({rec.national_framework_outcome})"))
    if isinstance(record, LetterRecord):
        for title, items in (
            ("Areas for priority action", record.priority_actions),
            ("Areas for improvement", record.areas_for_improvement),
        ):
            console.print(f"\n[bold]{title} ({len(items)})[/bold]")
            for i, text in enumerate(items, 1):
                console.print(f"{i:>3}. " + escape(text))
    if result.corrections:
        console.print("\n[bold]Corrections applied[/bold]")
        for c in result.corrections:
            console.print(escape(f"  {c.field} = {c.value}" + (f"  ({c.note})" if c.note else "")))
    if record.warnings:
        console.print("\n[bold]Warnings[/bold]")
        for w in record.warnings:
            console.print(escape(f"  {w}"))


# -- benchmarking --


@cli.command()
@click.option("--as-at", type=DATE, help="Date of the picture (default: today).")
@click.option(
    "--published-by",
    type=DATE,
    help="Count only reports published by then (default: --as-at; at 31 March, Ofsted's "
    "rule for its official figures: reports published by 30 June).",
)
@click.option(
    "--round",
    "round_",
    type=click.Choice(FRAMEWORK_ROUNDS),
    help="A framework round: its inspections published by the date.",
)
@click.option(
    "--count",
    type=click.Choice(ROUND_COUNTS),
    default="inspections",
    show_default=True,
    help="How a round is counted: every inspection published in it, re-inspections included "
    "(as Ofsted counts), or councils, each by its latest inspection in the round.",
)
@click.option("--region", help="An ONS or Ofsted region.")
@_format_option
@pass_context
def national(
    obj: Context,
    as_at: date | None,
    published_by: date | None,
    round_: str | None,
    count: str,
    region: str | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """The national picture: councils by grade for each judgement, at any date; or a
    framework round's inspections (--round)."""
    from ofsted_csc import api

    picture = api.national(obj.store, as_at, published_by, round_, region, count=count)
    title = api.rows.picture_title(picture)
    rows = api.rows.picture_rows(picture)
    columns = list(api.rows.PICTURE_COLUMNS)
    if picture.round and fmt in (None, "table") and output is None:
        _emit("national", rows, None, fmt, output, title)
        again = [r for r in api.rows.reinspection_rows(picture) if r["count"]]
        if again and picture.counting == "inspections":
            _emit(
                "reinspections",
                again,
                columns,
                fmt,
                None,
                f"Of which re-inspections ({picture.inspections - picture.inspected}):",
            )
        other = "councils" if picture.counting == "inspections" else "inspections"
        click.echo(f"(--count {other}: {api.ROUND_COUNTS[other]})")
        return
    _emit("national", rows, columns, fmt, output, title)


@cli.command()
@click.option("--as-at", type=DATE, help="Date (default: today).")
@click.option(
    "--published-by", type=DATE, help="Default: --as-at (at 31 March, 30 June: Ofsted's rule)."
)
@click.option("--judgement", default="overall_effectiveness", show_default=True)
@click.option("--by", type=click.Choice(list(REGION_KINDS)), default="ons", show_default=True)
@click.option(
    "--over-time",
    is_flag=True,
    help="The regional picture at each 31 March since 2014 in one table (or at each --at).",
)
@click.option(
    "--at", "at", type=DATE, multiple=True, help="A date of the table over time (repeat it)."
)
@_format_option
@pass_context
def regions(
    obj: Context,
    as_at: date | None,
    published_by: date | None,
    judgement: str,
    by: str,
    over_time: bool,
    at: tuple[date, ...],
    fmt: str | None,
    output: Path | None,
) -> None:
    """Regions by grade for one judgement; with --over-time (or --at), at many dates."""
    from ofsted_csc import api

    kind = "ONS" if by == "ons" else "Ofsted"
    if over_time or at:
        if as_at or published_by:
            raise InvalidInput("--over-time and --at give the dates: leave out --as-at")
        rows = api.regions_over_time(obj.store, list(at) or None, judgement, by)
        days = sorted({r["as_at"] for r in rows})  # type: ignore[type-var]
        title = f"{judgement} by {kind} region at {len(days)} dates, {days[0]} to {days[-1]}"
        _emit("regions", rows, None, fmt, output, title)
        return
    rows = api.regions(obj.store, as_at, published_by, judgement, by)
    title = f"{judgement} by {kind} region as at {as_at or api.picture_date(published_by)}"
    _emit("regions", rows, None, fmt, output, title)


@cli.command("inspections")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option(
    "--by", type=click.Choice(["published", "start"]), default="published", show_default=True
)
@_format_option
@pass_context
def inspections_cmd(
    obj: Context, start: date, end: date, by: str, fmt: str | None, output: Path | None
) -> None:
    """Every graded inspection in a period, council by judgement."""
    from ofsted_csc import api

    rows = api.inspections_between(obj.store, start, end, by)
    title = f"{_plural(len(rows), 'inspection')} {'published' if by == 'published' else 'started'} {start} to {end}"
    _emit("inspections", rows, None, fmt, output, title)


@cli.command()
@click.option(
    "--view",
    type=click.Choice(["pairs", "episodes", "transitions"]),
    default="pairs",
    show_default=True,
    help="pairs: each council's inspections two at a time, the grade before and after and the "
    "months between; episodes: from a council's first inadequate to its first good or better; "
    "transitions: previous grade to next, counted by the later inspection's framework.",
)
@click.option("--as-at", type=DATE, help="What was published by this date (default: today).")
@click.option("--judgement", default="overall_effectiveness", show_default=True)
@click.option("--from", "from_grade", metavar="GRADE", help="Pairs whose earlier grade is this.")
@click.option("--to", "to_grade", metavar="GRADE", help="Pairs whose later grade is this.")
@click.option("--region", help="An ONS or Ofsted region.")
@click.option("--framework", help="Pairs whose later inspection is of this framework.")
@click.option(
    "--since", type=DATE, help="The later inspection (an episode's inadequate one) began then."
)
@click.option("--until", type=DATE, help="... and by then.")
@_format_option
@pass_context
def changes(
    obj: Context,
    view: str,
    as_at: date | None,
    judgement: str,
    from_grade: str | None,
    to_grade: str | None,
    region: str | None,
    framework: str | None,
    since: date | None,
    until: date | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Change over time in one table: every council's graded inspections in pairs, improvement
    episodes, or the transition table by framework."""
    from ofsted_csc import api

    table = api.changes_table(
        obj.store,
        view,
        as_at,
        judgement,
        from_grade,
        to_grade,
        region,
        framework,
        since,
        until,
    )
    found = len(table.rows)
    if view == "pairs":
        title = f"{_plural(found, 'pair')} of a council's inspections in a row ({judgement})"
    elif view == "episodes":
        closed = sum(1 for r in table.rows if r["status"] == "closed")
        title = (
            f"{_plural(found, 'improvement episode')} (first inadequate to first good or "
            f"better): {closed} closed, {found - closed} open"
        )
    else:
        title = f"Previous grade to next ({judgement}), by the later inspection's framework"
    _emit(table.name, table.rows, list(table.columns), fmt, output, title)


@cli.command()
@click.argument("name_or_code")
@click.option("--as-at", type=DATE, help="Date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="The profile as JSON.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Write the profile's tables: .xlsx (a sheet each) or .csv (the inspections).",
)
@pass_context
def council(
    obj: Context, name_or_code: str, as_at: date | None, as_json: bool, output: Path | None
) -> None:
    """A council's profile: inspections, changes, neighbours, region, position."""
    from ofsted_csc import api

    profile, visits = api.council_profile(obj.store, name_or_code, as_at)
    tables = api.profile_tables(profile, visits)
    history, letters, neighbours = tables["inspections"], tables["visits"], tables["neighbours"]
    region = tables["region"]
    c = profile.council
    if output is not None:
        _write_profile(output, tables)
        return
    if as_json:
        click.echo(
            json.dumps(
                api.profile_json(profile, visits),
                default=_json_default,
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    click.echo(f"{c.name} (URN {c.urn}, LA {c.la_code}, {c.ons_region}) as at {profile.as_at}")
    for line in profile.statements:
        click.echo(f"  {line}")
    click.echo()
    _emit("inspections", history, None, "table", None, "Inspections")
    changes = ", ".join(f"{j}: {v}" for j, v in profile.changes.items() if v)
    if changes:
        click.echo(f"Since the previous inspection: {changes}")
    if letters:
        click.echo()
        _emit("visits", letters, None, "table", None, VISITS_LABEL)
    click.echo()
    _emit("neighbours", neighbours, None, "table", None, "Statistical neighbours, latest grades")
    click.echo()
    _emit("region", region, None, "table", None, f"{c.ons_region}: overall effectiveness")


@cli.command()
@click.argument("what", type=click.Choice(TRAJECTORIES))
@click.option("--judgement", default="overall_effectiveness", show_default=True)
@click.option(
    "--from", "start", type=DATE, help="series: first quarter (default: first inspection)."
)
@click.option("--to", "end", type=DATE, help="series: last quarter (default: today).")
@_format_option
@pass_context
def trajectories(
    obj: Context,
    what: str,
    judgement: str,
    start: date | None,
    end: date | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Transitions between grades, the quarterly national series, gaps between inspections."""
    from ofsted_csc import api

    rows = api.trajectories(obj.store, what, judgement, start, end)
    titles = {
        "transitions": f"{judgement}: from the grade at one inspection (rows) to the next (columns)",
        "series": f"{judgement}: councils by grade at the end of each quarter",
        "gaps": f"Months between graded inspections, by the earlier {judgement} grade",
    }
    _emit(what, rows, None, fmt, output, titles[what])


@cli.command("forecast")
@click.option(
    "--as-at", type=DATE, help="Forecast from what was published by this date (default: today)."
)
@click.option(
    "--council",
    "councils",
    multiple=True,
    metavar="NAME",
    help="A council (name, LA code, GSS code or URN); repeat for more (default: every council "
    "existing on the date).",
)
@click.option(
    "--horizon",
    type=click.IntRange(1, 3650),
    default=365,
    show_default=True,
    metavar="DAYS",
    help="How far ahead the chance of a graded inspection looks.",
)
@_format_option
@pass_context
def forecast(
    obj: Context,
    as_at: date | None,
    councils: tuple[str, ...],
    horizon: int,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Forecast each council's next graded inspection: the chance that one starts within the
    horizon, its likely kind, an 80% window for its start, and the chance of each grade for
    its headline judgement (overall effectiveness; the impact of leaders from April 2026), with
    the reasons.

    A statistical estimate from past inspections (what was published by the date), not
    Ofsted's schedule: Ofsted does not publish when it will inspect a council.
    """
    from ofsted_csc import api

    made = api.council_forecasts(obj.store, as_at, list(councils) or None, horizon)
    rows = [api.rows.forecast_row(f) for f in made]
    on_screen = fmt in (None, "table") and output is None
    if not on_screen:
        _emit("forecast", rows, list(api.FORECAST_COLUMNS), fmt, output)
        return
    day = rows[0]["as_at"] if rows else (as_at or date.today())
    title = (
        f"Next graded inspection, as forecast at {day}: the chance of one starting in the next "
        f"{horizon} days, an 80% window for its start, and the chances of each grade. "
        f"{api.FORECAST_NOTE}"
    )
    _emit("forecast", rows, list(api.rows.FORECAST_SCREEN_COLUMNS), "table", None, title)
    if councils:
        for f in made:
            click.echo(f"\n{f.council.name}:")
            for reason in f.reasons:
                click.echo(f"  - {reason}")
    else:
        click.echo("(--council NAME adds the reasons; --format csv, json or xlsx has every column)")


def _write_profile(output: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    from ofsted_csc import api

    suffix = output.suffix.lower()
    if suffix == ".csv":
        rows = tables["inspections"]
        api.write_table(
            api.rows.TableData("inspections", tuple(rows[0]) if rows else (), rows),
            "csv",
            output,
        )
    elif suffix == ".xlsx":
        api.write_workbook(tables, output)
    else:
        raise InvalidInput(f"{output}: the profile is written as .xlsx or .csv")
    click.echo(f"profile written to {output}", err=True)


@cli.command("import-official")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_context
def import_official(obj: Context, files: tuple[Path, ...]) -> None:
    """Import Ofsted's official statistics spreadsheets (.ods/.xlsx)."""
    from ofsted_csc import api

    for path in files:
        edition, n = api.import_official(obj.store, path)
        click.echo(f"{path.name}: {edition}, {_plural(n, 'inspection row')} imported")


@cli.command("reconcile")
@_format_option
@pass_context
def reconcile_cmd(obj: Context, fmt: str | None, output: Path | None) -> None:
    """Every disagreement between official statistics and the reports read."""
    from ofsted_csc import api

    matches, found = api.reconciliation(obj.store)
    matched = sum(1 for m in matches if m.facts is not None)
    missing = sum(1 for m in matches if m.facts is None)
    title = (
        f"{len(matches)} official rows: {matched} matched to a report, {missing} with no report "
        f"in the store (used to fill benchmarking, marked official); "
        f"{_plural(len(found), 'disagreement')}"
    )
    rows = [api.rows.disagreement_row(d) for d in found]
    _emit("reconcile", rows, list(api.rows.DISAGREEMENT_COLUMNS), fmt, output, title)


# -- review --


@cli.command()
@click.option(
    "--accept-official",
    "accept",
    metavar="FILE_OR_SHA256",
    help="Take the official statistics' values for what this file's report could not read "
    "(recorded as corrections) and read it again.",
)
@pass_context
def review(obj: Context, accept: str | None) -> None:
    """What needs review, and why, with the official statistics of the same inspection."""
    from ofsted_csc import api

    if accept is not None:
        _accept_official(obj, accept)
        return
    items = api.review_items(obj.store)
    if not items:
        click.echo("Nothing needs review.")
        return
    click.echo(f"{_plural(len(items), 'file')} need review:")
    for item in items:
        src = item.stored.result.source
        click.echo(f"\n  {src.file_name}  sha256 {src.sha256}")
        for reason in item.stored.result.review_reasons:
            click.echo(f"    - {reason}")
        if item.values:
            _print_official_values(item)
    click.echo(
        "\nTo fix one, add lines to a corrections CSV (sha256,field,value,note) and run "
        "`ofsted-csc ingest FILE --corrections FILE.csv`."
    )
    sys.exit(EXIT_ATTENTION)


def _print_official_values(item: api.ReviewItem) -> None:
    for row in item.official:
        values = [v for v in item.values if v.row is row]
        click.echo(f"    Official statistics of the same inspection: {values[0].place}")
        table = [("field", "report", "official")] + [
            (v.field, "not read" if v.not_read else (v.read_value or ""), v.official_value or "-")
            for v in values
        ]
        widths = [max(len(r[i]) for r in table) for i in range(3)]
        for r in table:
            line = "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
            click.echo(f"      {line}".rstrip())
    fills = item.fills
    if fills:
        sha = item.stored.result.source.sha256
        click.echo(
            f"    `ofsted-csc review --accept-official {sha[:12]}` takes the official "
            f"{', '.join(f.field for f in fills)}"
        )


def _accept_official(obj: Context, key: str) -> None:
    from ofsted_csc import api

    done = api.accept_official(obj.store, key)
    name = Path(done.outcome.path).name
    if done.corrections:
        click.echo(f"{name}: took from the official statistics (recorded as corrections):")
    else:
        click.echo(f"{name}: this version of ofsted-csc reads what was missing; nothing taken.")
    for c in done.corrections:
        click.echo(f"  {c.field} = {c.value}  ({c.note})")
    for conflict in done.conflicts:
        click.echo(f"  left alone: {conflict}")
    if done.outcome.outcome == "review":
        click.echo(f"{name} still needs review: " + "; ".join(done.outcome.reasons))
        sys.exit(EXIT_ATTENTION)
    click.echo(f"{name} read again and stored; it no longer needs review.")


# -- about --


@cli.command("about")
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
@pass_context
def about_cmd(obj: Context, as_json: bool) -> None:
    """Where the figures come from: the official statistics built in or imported, and how
    many inspections come from documents, built-in statistics and imports."""
    from ofsted_csc import api

    found = api.about(obj.store)
    if as_json:
        click.echo(json.dumps(found.as_dict(), ensure_ascii=False, indent=1))
        return
    click.echo(f"Store: {obj.store.url}")
    click.echo(
        f"Documents: {_plural(found.inspections, 'inspection report')}, "
        f"{_plural(found.letters, 'visit letter')}"
        + (f", {found.review} in review" if found.review else "")
    )
    if not found.bundled:
        click.echo(
            "Built-in official statistics: switched off (--no-bundled / OFSTED_CSC_BUNDLED=0)"
        )
    elif not found.built_in_editions:
        click.echo("Built-in official statistics: none in use (imports replace them)")
    for e in found.editions:
        origin = "built in" if e.built_in else "imported"
        click.echo(f"Official statistics, {origin}: {e.title} ({e.source_file}, {e.rows} rows)")
    click.echo(
        "Graded inspections in the benchmarks: "
        f"{found.from_documents} from documents, {found.from_built_in} from the built-in "
        f"statistics, {found.from_imports} from imported statistics "
        "(official rows count only where no stored report is the same inspection)"
    )


# -- check --


@cli.command("check")
@click.option("--json", "as_json", is_flag=True, help="The check as JSON.")
@pass_context
def check_cmd(obj: Context, as_json: bool) -> None:
    """The store's health: documents by framework and year (stored, in review, refused),
    judgements not read or not judged, and every disagreement with the official statistics.
    Exit status 1 if anything is in review."""
    from ofsted_csc import api

    found = api.check(obj.store)
    if as_json:
        click.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=1))
    else:
        _print_check(found)
    sys.exit(EXIT_ATTENTION if found.in_review else EXIT_OK)


def _print_check(found: api.Check) -> None:
    from ofsted_csc import api

    columns = list(api.rows.CHECK_COLUMNS)
    rows = [api.rows.check_row(r) for r in [*found.rows, found.total]]
    for row in rows:
        row["year"] = row["year"] or ("" if row["framework"] == "total" else "unknown")
    _emit(
        "check",
        rows,
        columns,
        "table",
        None,
        f"{found.store}: documents by framework and year (inspections by the year they "
        "started, letters by the year of the visit)",
    )
    click.echo(f"({api.REFUSED_COUNTED_FROM})")
    click.echo(
        f"\n{found.in_review} in review"
        + (": see `ofsted-csc review`" if found.in_review else "")
        + f". Official statistics: {_plural(found.official_rows, 'row')} imported, "
        f"{found.matched} matched to a stored report; "
        f"{_plural(len(found.disagreements), 'disagreement')}."
    )
    if not found.disagreements:
        return
    click.echo()
    by_field = [{"field": f, "disagreements": n} for f, n in found.by_field.items()]
    _emit("fields", by_field, ["field", "disagreements"], "table", None, "Disagreements by field:")
    click.echo()
    listed = [api.rows.check_disagreement_row(d) for d in found.disagreements]
    _emit(
        "disagreements",
        listed,
        None,
        "table",
        None,
        "Every disagreement (`ofsted-csc reconcile` says why):",
    )


# -- the web app --


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--threads",
    type=click.IntRange(1, 256),
    default=64,
    show_default=True,
    help="Threads per worker process: twice the clients it serves at once, so that no "
    "request waits for a thread (waitress counts a thread busy until it is back waiting, "
    "after its client may already have sent the next request).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 32),
    default=None,
    help="Server processes sharing the port [default: 2 with two CPUs or more, else 1].",
)
@click.option("--no-upload", is_flag=True, help="Turn off uploading reports from the browser.")
@click.option(
    "--connection-limit",
    type=click.IntRange(10, 100_000),
    default=None,
    help="Open connections per worker process; beyond it new ones wait "
    "[default: OFSTED_CSC_CONNECTION_LIMIT or 500].",
)
@click.option(
    "--client-connections",
    type=click.IntRange(0, 100_000),
    default=None,
    help="Of them, how many one address may hold (0: no cap, for behind a proxy that caps "
    "them) [default: OFSTED_CSC_CLIENT_CONNECTIONS or 50].",
)
@click.option(
    "--idle-timeout",
    type=click.IntRange(1, 3600),
    default=None,
    help="Seconds before an idle connection is closed [default: OFSTED_CSC_IDLE_TIMEOUT or 30].",
)
@click.option(
    "--header-timeout",
    type=click.IntRange(1, 3600),
    default=None,
    help="Seconds a request's headers may take to arrive "
    "[default: OFSTED_CSC_HEADER_TIMEOUT or 20].",
)
@click.option(
    "--open-upload",
    is_flag=True,
    help="Let anyone upload reports, not only signed-in editors and API tokens "
    "(or OFSTED_CSC_OPEN_UPLOAD=1).",
)
@pass_context
def serve(
    obj: Context,
    host: str,
    port: int,
    threads: int,
    workers: int | None,
    no_upload: bool,
    connection_limit: int | None,
    client_connections: int | None,
    idle_timeout: int | None,
    header_timeout: int | None,
    open_upload: bool,
) -> None:
    """Start the web app (pages and the JSON API at /api) on HOST:PORT."""
    from ofsted_csc.web import Settings, create_app, server
    from ofsted_csc.web.context import context_of

    if no_upload and open_upload:
        raise InvalidInput("--no-upload and --open-upload contradict each other: give one")
    settings = Settings.from_env(
        db_url=obj.db,
        allow_upload=False if no_upload else None,
        open_upload=True if open_upload else None,
        connection_limit=connection_limit,
        client_connections=client_connections,
        idle_timeout=idle_timeout,
        header_timeout=header_timeout,
    )
    app = create_app(settings)
    workers = workers or server.default_workers()
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    url = context_of(app).store.url
    click.echo(f"ofsted-csc web app on http://{shown}:{port}/  (database: {url})")
    if not settings.allow_upload:
        click.echo("Uploads are turned off.")
    elif settings.open_upload:
        click.echo("Anyone may upload reports (open upload).")
    else:
        click.echo("Signed-in editors and admins may upload reports (ofsted-csc user add).")
    click.echo(f"{workers} worker process{'es' if workers > 1 else ''}. Press Ctrl+C to stop.")
    try:
        server.serve(app, host, port, threads=threads, workers=workers, ident="ofsted-csc")
    except OSError as exc:
        raise InvalidInput(f"cannot listen on {host}:{port} ({exc.strerror})") from exc


def _json_default(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


cli.add_command(brief)
cli.add_command(plan)
cli.add_command(user)
cli.add_command(themes)
cli.add_command(inspectors)
cli.add_command(sync)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI, turning every error into one plain line on stderr (with
    the traceback under --debug). An error exits 2, never 1: 1 says that something was
    refused or needs review (a few typed errors that mean that carry exit_code 1)."""
    _run["debug"] = False
    try:
        cli.main(args=argv, prog_name="ofsted-csc", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except OfstedCscError as exc:
        _fail(exc.message, getattr(exc, "exit_code", EXIT_ERROR))
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except OSError as exc:  # a file or folder named that could not be read or written
        _fail(_os_problem(exc), EXIT_ERROR)
    except Exception as exc:  # a bug: still one line, and never exit status 1
        said = str(exc).strip().splitlines()
        what = f"{type(exc).__name__}: {said[0]}" if said else type(exc).__name__
        hint = "" if _run["debug"] else " (run with --debug for the traceback)"
        _fail(f"unexpected error: {what}{hint}", EXIT_ERROR)


def _fail(message: str, code: int) -> None:
    if _run["debug"]:
        traceback.print_exc()
    click.echo(f"ofsted-csc: {message}", err=True)
    sys.exit(code)


def _os_problem(exc: OSError) -> str:
    """An OSError in words: the file, then what the system said (a full disk said so)."""
    where = f"{exc.filename}: " if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return f"{where}the disk is full: could not write ({exc.strerror})"
    return f"{where}{exc.strerror or exc}"
