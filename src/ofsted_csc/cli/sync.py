"""`ofsted-csc sync`: fetch what is new on Ofsted's website, read it and store it."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from ofsted_csc.cli.common import DATE, Context, pass_context, plural, progress_bar
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.publications import (
    DEFAULT_KINDS,
    GONE_RECHECK_DAYS,
    OFSTED,
    SiteLayout,
    parse_kinds,
)

if TYPE_CHECKING:
    from ofsted_csc.api import Store
    from ofsted_csc.api.sync import Fetcher, Outcome, Publication, SyncOptions, SyncReport


EXIT_OK, EXIT_ATTENTION = 0, 1

T = TypeVar("T")


@click.command()
@click.option(
    "--council",
    "councils",
    multiple=True,
    metavar="NAME_OR_URN",
    help="Only this council (name, URN or LA code); repeat for more. Default: every council.",
)
@click.option("--since", type=DATE, help="Only publications Ofsted lists as published on or after.")
@click.option(
    "--kinds",
    default=",".join(k.value for k in DEFAULT_KINDS),
    show_default=True,
    help="Which publications: inspections, letters, jtai, send, other, unknown (labels "
    "ofsted-csc does not know) (comma-separated), or all.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read the site and say what it lists and what would be fetched; fetch and store "
    "nothing (a first check against Ofsted's site).",
)
@click.option(
    "--recheck-gone",
    is_flag=True,
    help=f"Ask again for documents the site said are gone (otherwise after {GONE_RECHECK_DAYS} "
    "days).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes reading the downloaded PDFs.",
)
@click.option(
    "--cache",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for downloads until they are stored (default: the user's cache).",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0.0),
    default=1.0,
    show_default=True,
    help="Seconds between the starts of two requests.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 4),
    default=2,
    show_default=True,
    help="Requests in flight at once.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1.0),
    default=30.0,
    show_default=True,
    help="Seconds to wait for an answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Further attempts after a timeout, a server error or a refusal (403, 429).",
)
@click.option(
    "--site",
    metavar="URL",
    help="Another address for Ofsted's reports site (a mirror, or a test server).",
)
@click.option(
    "--user-agent",
    "identity",
    metavar="TEXT",
    help="The identity sent to the site (default: $OFSTED_CSC_USER_AGENT, else ofsted-csc's "
    "own; $OFSTED_CSC_CONTACT is added).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def sync(
    obj: Context,
    councils: tuple[str, ...],
    since: date | None,
    kinds: str,
    dry_run: bool,
    recheck_gone: bool,
    jobs: int,
    cache: Path | None,
    delay: float,
    concurrency: int,
    timeout: float,
    retries: int,
    site: str | None,
    identity: str | None,
    as_json: bool,
) -> None:
    """Fetch new reports and letters from Ofsted's website, read them and store them.

    Reads the search results for every council's page (abolished councils by the URNs
    ofsted-csc knows), downloads the publications the database lacks, and reports what
    was new, refused, gone at the source, no longer listed or renamed, and listings it could
    not read or whose labels it does not know. A second sync downloads nothing new. If
    Ofsted's pages have changed as a whole, or the site cannot be reached or refuses the
    client, nothing is stored.
    """
    from ofsted_csc.api import sync as sync_api

    try:
        wanted = parse_kinds(kinds)
    except ValueError as exc:
        raise InvalidInput(f"--kinds: {exc}") from None
    layout = OFSTED
    if site:
        base = site.rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise InvalidInput(f"--site {site}: give an http:// or https:// address")
        layout = SiteLayout(reports=base, files=f"{base}/v1/file/")
    options = sync_api.SyncOptions(
        councils,
        since,
        wanted,
        dry_run,
        jobs,
        cache or sync_api.default_cache(),
        layout,
        recheck_gone=recheck_gone,
    )
    store = obj.store
    try:
        client = sync_api.fetcher(
            identity=identity,
            delay=delay,
            concurrency=concurrency,
            timeout=timeout,
            retries=retries,
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with client as fetcher:
        try:
            report = _run(store, fetcher, options)
        except KeyboardInterrupt:
            click.echo(
                f"Interrupted: nothing was stored. Files already downloaded wait in "
                f"{options.cache}; the next sync takes them from there.",
                err=True,
            )
            sys.exit(130)
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        _print(report, layout, store.url, delay)
    sys.exit(EXIT_ATTENTION if report.needs_attention else EXIT_OK)


STAGES = {"pages": "Reading council pages", "downloads": "Downloading", "reading": "Reading PDFs"}


def _run(store: Store, fetcher: Fetcher, options: SyncOptions) -> SyncReport:
    from ofsted_csc.api import sync as sync_api

    with progress_bar("Searching Ofsted's site") as update:
        return sync_api.run(
            store,
            fetcher,
            options,
            on_progress=lambda stage, done, total: update(STAGES.get(stage, stage), done, total),
        )


def _line(p: Publication) -> str:
    return f"{p.published.isoformat()}  {p.council}: {p.label} (file {p.file_id})"


def _print(report: SyncReport, layout: SiteLayout, url: str, delay: float) -> None:
    head = "Dry run: nothing fetched or stored. " if report.dry_run else ""
    extra = (
        f" ({len(report.not_in_search)} not in the search: {', '.join(report.not_in_search)})"
        if report.not_in_search
        else ""
    )
    click.echo(
        f"{head}{layout.reports}: {plural(report.pages_read, 'council page')} read{extra}; "
        f"{plural(report.listed, 'publication')} listed, {report.wanted} of the kinds and "
        "dates asked for."
    )
    if report.search_note:
        click.echo(f"Search: {report.search_note}.")
    if report.refusal is not None:
        _refusal(report)
    if report.dry_run:
        _dry_run(report, delay)
    else:
        new = report.new
        click.echo(
            f"{len(new)} new ({sum(o.outcome == 'review' for o in new)} need review), "
            f"{len(report.held)} already held, {len(report.refused)} refused, "
            f"{len(report.failed)} could not be fetched, {len(report.gone)} gone at the "
            f"source  ({url})"
        )
        _section("New", new, lambda o: f"{_line(o.publication)} -> {_what(o)}")
        _section(
            "Already held (listing date and link recorded)",
            report.held,
            lambda o: _line(o.publication),
        )
        _section(
            "Refused (nothing stored)",
            report.refused,
            lambda o: f"{_line(o.publication)}: {'; '.join(o.reasons)}",
        )
        _section(
            "Could not be fetched (tried again at the next sync)",
            report.failed,
            lambda o: f"{_line(o.publication)}: {'; '.join(o.reasons)} {o.publication.url}",
        )
        _section(
            "Gone at the source: Ofsted's site says these documents no longer exist (recorded; "
            f"asked for again after {GONE_RECHECK_DAYS} days, or with --recheck-gone)",
            report.gone,
            lambda o: f"{_line(o.publication)}: {'; '.join(o.reasons)} {o.publication.url}",
        )
        if report.still_gone:
            click.echo(
                f"\n{plural(len(report.still_gone), 'document')} asked for again "
                "still gone at the source."
            )
    _section("No longer listed on Ofsted's site (records kept)", report.vanished, _line)
    _section("Listed again on Ofsted's site", report.reappeared, _line)
    _section(
        "Renamed on Ofsted's site",
        report.renamed,
        lambda r: f"URN {r[0]}: \u201c{r[1]}\u201d is now \u201c{r[2]}\u201d",
    )
    _section(
        "On the site but not known to ofsted-csc (its council list needs updating)",
        report.unknown_councils,
        lambda r: f"{r[1]} (URN {r[0]})",
    )
    _section(
        "Labels ofsted-csc does not know (listed, not fetched: --kinds unknown fetches them; "
        "please report new labels)",
        report.unknown_labels,
        _line,
    )
    _section(
        "Listings that could not be read (the rest of their pages were read; please report these)",
        report.unreadable_listings,
        lambda u: f"{u.council}: \u201c{u.text}\u201d ({u.problem}) on {u.page}",
    )
    _section("Pages that could not be read", report.unreadable_pages, lambda r: f"{r[0]}: {r[1]}")
    click.echo(
        f"\nNetwork: {plural(report.requests, 'request')}, {report.retries} retried, "
        f"{report.bytes / 1e6:.1f} MB, {report.seconds:.0f} s"
        + (
            f"; {report.resumed} taken from an interrupted sync's downloads"
            if report.resumed
            else ""
        )
        + "."
    )


def _refusal(report: SyncReport) -> None:
    refusal = report.refusal
    assert refusal is not None
    stopped = (
        "; ofsted-csc stopped asking (the rest is tried at the next sync)"
        if refusal.stopped
        else ""
    )
    click.echo(
        f"\nOfsted's site refused {plural(refusal.count, 'request')} from this client "
        f"(first {refusal.url}: {refusal.problem}){stopped}. The site may be turning away "
        "automated clients or this network address: try later with a longer --delay, and set "
        "OFSTED_CSC_CONTACT so that Ofsted can see who is asking. Identity sent: "
        f"\u201c{report.identity}\u201d."
    )


def _dry_run(report: SyncReport, delay: float) -> None:
    """What a first run against the site needs to know: what the site lists, by label and
    kind; what would be fetched; how long that would take at this delay."""
    if report.labels:
        click.echo("\nListed on the site, by label (kind; how many):")
        width = max(len(label) for label, _kind in report.labels)
        for (label, kind), n in sorted(
            report.labels.items(), key=lambda item: (item[0][1], item[0][0])
        ):
            click.echo(f"  {label:<{width}}  {kind:<11}  {n}")
    kinds = Counter(p.kind for p in report.to_fetch)
    by_kind = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    requests = len(report.to_fetch) + report.requests
    minutes = requests * delay / 60
    took = f"~{minutes:.0f} min" if minutes >= 1 else "under a minute"
    click.echo(
        f"\nWould fetch {plural(len(report.to_fetch), 'publication')}"
        + (f" ({by_kind})" if by_kind else "")
        + f": with the pages, about {plural(requests, 'request')}, {took} at --delay {delay:g}."
    )
    for p in report.to_fetch:
        click.echo(f"  {_line(p)}")


def _what(o: Outcome) -> str:
    what = o.read_as or "stored"
    if o.outcome == "review":
        what += f" (kept for review: {'; '.join(o.reasons)})"
    elif o.outcome == "replaced":
        what += " (read again)"
    return what + (f"; note: {o.note}" if o.note else "")


def _section(title: str, items: Sequence[T], show: Callable[[T], str]) -> None:
    if not items:
        return
    click.echo(f"\n{title}:")
    for item in items:
        click.echo(f"  {show(item)}")
