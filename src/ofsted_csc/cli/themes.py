"""CLI commands for themes (`ofsted-csc themes ...`): the taxonomy, classifying text, counts,
each council's recurring themes, similar councils and search."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ofsted_csc.cli.common import DATE, Context, emit, format_option, pass_context
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.grades import Grade

if TYPE_CHECKING:
    from ofsted_csc.themes import analysis


FRAMEWORKS = ["pre_sif", "sif", "ilacs", "letter"]
GRADES = {g.name.lower(): g for g in Grade}


@click.group()
def themes() -> None:
    """What Ofsted asks councils to improve, by theme."""


@themes.command("list")
@format_option
def themes_list(fmt: str | None, output: Path | None) -> None:
    """The taxonomy: groups, themes and their definitions."""
    from ofsted_csc.themes import load_taxonomy

    rows = [
        {"group": t.group_name, "theme": t.id, "name": t.name, "definition": t.definition}
        for t in load_taxonomy().themes
    ]
    emit("themes", rows, None, fmt, output)


@themes.command("classify")
@click.argument("text", nargs=-1, required=True)
def themes_classify(text: tuple[str, ...]) -> None:
    """The themes of a piece of text, with the phrases that matched (or, for a theme only the
    trained model gave, the words that weighed most for it)."""
    from ofsted_csc.themes import Classifier, load_taxonomy

    taxonomy = load_taxonomy()
    found = Classifier(taxonomy).classify(" ".join(text))
    if not found:
        click.echo("No theme matched.")
    for m in found:
        words = ", ".join(m.reasons)
        why = words if m.by_rules else f"no rule matched; the model, most for the words {words}"
        click.echo(f"{taxonomy.get(m.theme).name} ({m.theme}) {m.score:.2f}: {why}")


def _filters(
    framework: str | None,
    region: str | None,
    start: date | None,
    end: date | None,
    grade: str | None,
    council: str | None,
) -> analysis.Filters:
    from ofsted_csc.analytics.benchmarking import match_region
    from ofsted_csc.domain.councils import load_registry
    from ofsted_csc.themes import analysis

    if start and end and end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    return analysis.Filters(
        framework=framework,
        region=match_region(region) if region else None,
        start=start,
        end=end,
        grade=GRADES[grade] if grade else None,
        council_urn=load_registry().lookup(council).urn if council else None,
    )


def _filter_options(f: Any) -> Any:
    for option in reversed(
        [
            click.option("--framework", type=click.Choice(FRAMEWORKS)),
            click.option("--region", help="An ONS or Ofsted region."),
            click.option("--from", "start", type=DATE, help="Inspections begun on or after."),
            click.option("--to", "end", type=DATE, help="Inspections begun on or before."),
            click.option("--grade", type=click.Choice(list(GRADES)), help="Overall effectiveness."),
            click.option("--council", help="One council."),
        ]
    ):
        f = option(f)
    return f


@themes.command("counts")
@_filter_options
@format_option
@pass_context
def themes_counts(obj: Context, /, fmt: str | None, output: Path | None, **options: Any) -> None:
    """How many inspections and visits (and items) had each theme, most common first."""
    from ofsted_csc import api
    from ofsted_csc.themes import load_taxonomy

    n_items, n_sources, counts = api.theme_counts(obj.store, _filters(**options))
    rows = api.rows.theme_count_rows(counts, load_taxonomy())
    emit(
        "theme_counts",
        rows,
        None,
        fmt,
        output,
        title=f"{n_sources} inspections and visits, {n_items} items",
    )


COMPARE_GROUPS = ["reports", "pre_sif", "sif", "ilacs", "letter"]  # analysis.GROUPS


@themes.command("compare")
@click.argument("periods", nargs=-1, required=True, metavar="PERIOD PERIOD...")
@click.option(
    "--group",
    "groups",
    type=click.Choice(COMPARE_GROUPS),
    multiple=True,
    help="Inspection reports (all frameworks, or one) or visit letters; repeat for more "
    "(default: reports and letters, apart).",
)
@click.option("--region", help="An ONS or Ofsted region.")
@format_option
@pass_context
def themes_compare(
    obj: Context,
    periods: tuple[str, ...],
    groups: tuple[str, ...],
    region: str | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Themes over time, fairly: for each period (years, e.g. 2014-2017 2022-2026), the share
    of inspections whose recommendations had each theme, with the count and the base,
    periods side by side; reports and letters apart."""
    from ofsted_csc import api
    from ofsted_csc.themes import analysis, load_taxonomy

    taxonomy = load_taxonomy()
    made = [
        api.compare_themes(obj.store, periods, group, region)
        for group in (groups or ("reports", "letter"))
    ]
    if fmt in (None, "table") and output is None:
        for n, comparison in enumerate(made):
            title, rows = api.rows.theme_comparison_screen(comparison, taxonomy)
            if n:
                click.echo()
            emit("theme_comparison", rows, None, "table", None, title=title)
        click.echo(f"\n{analysis.COMPARE_NOTE}")
        return
    table = api.rows.theme_comparison_table(made, taxonomy)
    api.write_table(table, fmt if fmt not in (None, "table") else _suffix(output), output)
    if output is not None:
        click.echo(f"{len(table.rows)} rows written to {output}", err=True)


def _suffix(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in ("csv", "json", "xlsx") else "csv"


@themes.command("council")
@click.argument("council")
@pass_context
def themes_council(obj: Context, council: str) -> None:
    """A council's inspections and visits with their themes; * marks a theme found again at
    the next one."""
    from ofsted_csc import api
    from ofsted_csc.domain.councils import load_registry
    from ofsted_csc.themes import analysis, load_taxonomy

    found = load_registry().lookup(council)
    taxonomy = load_taxonomy()
    chain = analysis.council_themes(api.themed_items(obj.store), found.urn)
    if not chain:
        click.echo(f"No stored inspection or visit of {found.name} has recommendations.")
    for c in chain:
        s = c.source
        click.echo(f"\n{s.start:%B %Y}  {s.framework} {s.kind.replace('_', ' ')}  {s.file_name}")
        for theme, its in sorted(c.themes.items(), key=lambda kv: -len(kv[1])):
            mark = "*" if theme in c.recurring else " "
            click.echo(f"  {mark} {taxonomy.get(theme).name} ({len(its)})")


@themes.command("recurring")
@click.option("--visits", is_flag=True, help="Count focused and monitoring visits too.")
@format_option
@pass_context
def themes_recurring(obj: Context, visits: bool, fmt: str | None, output: Path | None) -> None:
    """For every council with two or more graded inspections: the themes found at one and
    again at the next."""
    from ofsted_csc import api
    from ofsted_csc.themes import analysis

    recurring = analysis.recurring_themes(api.themed_items(obj.store), graded_only=not visits)
    rows = api.rows.recurring_rows(recurring)
    emit("recurring_themes", rows, None, fmt, output)


@themes.command("similar")
@click.argument("report")
@click.option("--limit", type=click.IntRange(1, 50), default=5, show_default=True)
@pass_context
def themes_similar(obj: Context, report: str, limit: int) -> None:
    """Other councils' inspections whose recommendations had the most similar themes, and
    what happened at their next inspection."""
    from ofsted_csc import api
    from ofsted_csc.themes import analysis

    sha = obj.store.find(report).result.source.sha256
    found = analysis.similar_councils(api.themed_items(obj.store), sha, limit)
    if not found:
        click.echo("No similar inspection (the report has no graded recommendations).")
    for s in found:
        then = s.source.overall.label if s.source.overall else "not graded"
        nxt = s.next_source
        after = (
            f"next: {nxt.start:%B %Y}, {nxt.overall.label if nxt.overall else 'not graded'}"
            if nxt
            else "no later inspection stored"
        )
        click.echo(
            f"{s.score:.2f}  {s.source.council_name}, {s.source.start:%B %Y} ({then}); {after}"
        )
        click.echo(f"      shared: {', '.join(s.shared)}")


@themes.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--meaning", is_flag=True, help="Also find items on the same themes in other words.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@pass_context
def themes_search(obj: Context, query: tuple[str, ...], meaning: bool, limit: int) -> None:
    """Search recommendations and letter items: every word (default), or by meaning."""
    from ofsted_csc import api
    from ofsted_csc.themes import analysis, current_classifier

    index = analysis.Index(api.themed_items(obj.store))
    results = index.search(" ".join(query), current_classifier(), meaning=meaning, limit=limit)
    if not results:
        click.echo("Nothing found.")
    for score, item in results:
        s = item.source
        click.echo(
            f"{score:.2f}  {s.council_name}, {s.start:%B %Y} ({s.file_name} {analysis.SECTIONS[item.section].lower()} {item.position})"
        )
        click.echo(f"      {item.text[:220]}")
