"""One sync from Ofsted's website: discover, compare, download, read, store.

1. Discover: the search results (page after page, until one brings no council not seen;
   the total it states is only a cross-check) give the councils' pages; councils the search
   no longer lists (abolished ones) are reached by the URNs ofsted-csc knows. Each page is
   read for what can be read: a publication link that cannot be read is reported with its
   page and text, the others kept; a page that answers with Ofsted's "not found" page is
   reported (or, for an abolished council's old address, passed over), never stored as a
   council. Only a change of the whole (a council page whose publication links can none be
   read, a search with no council links) stops the sync (SiteChanged) before anything is
   written; a site that keeps refusing the client stops it too (SiteRefused).
2. Compare with the store: publications new, vanished or back; councils renamed; labels no
   pattern knows (listed, reported, not fetched unless asked).
3. Download what the store lacks (not held by file id, nor by file name `<id>.pdf`) into a
   cache folder, each file whole or not at all; a file already there is not fetched again,
   so an interrupted sync resumes where it stopped. A document the site says is gone (its
   "Report not found" page, or 404/410) is recorded as gone, said once, and asked for again
   only after GONE_RECHECK_DAYS or when asked (`recheck_gone`).
4. Read the downloads (a file whose content the store holds is not read again) and write
   everything (records, listings with their publication dates and links, the council pages,
   the run) in one transaction: the store holds all of a sync or none of it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from ofsted_csc.domain.councils import Council, CouncilRegistry, load_registry
from ofsted_csc.domain.errors import (
    DocumentError,
    InvalidInput,
    SiteChanged,
    SiteRefused,
    SiteUnavailable,
)
from ofsted_csc.domain.frameworks import FRAMEWORK_LABELS, KIND_LABELS
from ofsted_csc.domain.publications import (
    DEFAULT_KINDS,
    GONE_RECHECK_DAYS,
    OFSTED,
    PublicationKind,
    SiteLayout,
)
from ofsted_csc.domain.records import InspectionRecord, ParseResult
from ofsted_csc.parsing.document import PARSER_VERSION, sha256_of
from ofsted_csc.services.ingest import check_jobs, read_files, save_read
from ofsted_csc.services.themes import retheme
from ofsted_csc.sources.http import Fetcher, FetchFailed, Refusal
from ofsted_csc.sources.site import (
    Listing,
    PageNotFound,
    ProviderLink,
    ProviderPage,
    read_provider_page,
    read_search_page,
    sniff_web_page,
)
from ofsted_csc.storage import Store
from ofsted_csc.storage.store import StoreSyncWriter
from ofsted_csc.storage.web import KnownPublication, SyncState

MAX_SEARCH_PAGES = 50

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class SyncOptions:
    councils: tuple[str, ...] = ()  # names, codes or URNs; none: every council
    since: date | None = None  # only publications listed as published on or after
    kinds: tuple[PublicationKind, ...] = DEFAULT_KINDS
    dry_run: bool = False
    jobs: int = 1  # processes reading PDFs
    cache: Path | None = None  # where downloads wait to be stored
    layout: SiteLayout = OFSTED
    recheck_gone: bool = False  # ask again for documents the site said are gone, however recent

    def described(self) -> dict[str, Any]:
        return {
            "councils": list(self.councils),
            "since": self.since.isoformat() if self.since else None,
            "kinds": [k.value for k in self.kinds],
            "site": self.layout.reports,
            "recheck_gone": self.recheck_gone,
        }


@dataclass(frozen=True)
class Page:
    """A council page to read."""

    urn: str
    url: str
    provider_type: str
    in_search: bool
    council: Council | None
    optional: bool  # a URN tried because ofsted-csc knows it: no page is no problem


@dataclass(frozen=True)
class Publication:
    """One listing, as reported."""

    file_id: str
    council: str
    label: str
    published: date
    url: str
    kind: str = ""  # PublicationKind value


@dataclass(frozen=True)
class UnreadableListing:
    """A publication link on a council's page that sync could not read."""

    council: str
    page: str  # the page's address
    text: str  # its hidden description, as the page has it
    href: str  # its link
    problem: str


@dataclass(frozen=True)
class Outcome:
    """What sync did with one publication it fetched (or found it held)."""

    publication: Publication
    # stored, replaced, review, held, refused, failed; gone (the site says the document no
    # longer exists: said once), still_gone (asked again after the interval: still gone)
    outcome: str
    reasons: tuple[str, ...] = ()
    sha256: str | None = None
    record_kind: str | None = None
    read_as: str | None = None  # what the document was read as: "Standard inspection, ILACS ..."
    note: str | None = None  # e.g. the report names another council than the page


@dataclass
class SyncReport:
    dry_run: bool
    pages_read: int = 0
    search_pages: int = 0
    listed: int = 0  # publications listed on the pages read
    wanted: int = 0  # of the kinds and dates asked for
    to_fetch: list[Publication] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    vanished: list[Publication] = field(default_factory=list)
    reappeared: list[Publication] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # urn, was, now
    unknown_councils: list[tuple[str, str]] = field(default_factory=list)  # urn, name
    not_in_search: list[str] = field(default_factory=list)  # council pages found by URN
    unreadable_pages: list[tuple[str, str]] = field(default_factory=list)  # council, problem
    unreadable_listings: list[UnreadableListing] = field(default_factory=list)
    unknown_labels: list[Publication] = field(default_factory=list)  # first seen this sync
    labels: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, kind) listed
    search_total: int | None = None  # what the search said it holds
    search_found: int = 0  # councils found in it
    search_note: str | None = None  # the search's total disagreed, or paging stopped early
    refusal: Refusal | None = None  # the site refused requests (after retries)
    identity: str = ""  # the User-Agent sent
    downloaded: int = 0
    resumed: int = 0  # taken from the cache of an earlier, interrupted sync
    requests: int = 0
    retries: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def _of(self, *outcomes: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.outcome in outcomes]

    @property
    def new(self) -> list[Outcome]:
        return self._of("stored", "replaced", "review")

    @property
    def held(self) -> list[Outcome]:
        return self._of("held")

    @property
    def refused(self) -> list[Outcome]:
        return self._of("refused")

    @property
    def failed(self) -> list[Outcome]:
        return self._of("failed")

    @property
    def gone(self) -> list[Outcome]:
        """Documents the site said, this time first, no longer exist."""
        return self._of("gone")

    @property
    def still_gone(self) -> list[Outcome]:
        return self._of("still_gone")

    @property
    def needs_attention(self) -> bool:
        """Something a person should look at: refused, for review, not fetched, newly gone,
        a page or listing not read, a label not known, the site refusing the client."""
        return bool(
            self.refused
            or self.failed
            or self.gone
            or self.unreadable_pages
            or self.unreadable_listings
            or self.unknown_labels
            or self.refusal
            or any(o.outcome == "review" for o in self.outcomes)
        )

    def summary(self) -> dict[str, Any]:
        return {
            "pages_read": self.pages_read,
            "listed": self.listed,
            "wanted": self.wanted,
            "new": len(self.new),
            "held": len(self.held),
            "refused": len(self.refused),
            "failed": len(self.failed),
            "gone": len(self.gone),
            "still_gone": len(self.still_gone),
            "vanished": len(self.vanished),
            "reappeared": len(self.reappeared),
            "renamed": len(self.renamed),
            "unreadable_pages": len(self.unreadable_pages),
            "unreadable_listings": len(self.unreadable_listings),
            "unknown_labels": len(self.unknown_labels),
            "search_total": self.search_total,
            "search_found": self.search_found,
            "downloaded": self.downloaded,
            "requests": self.requests,
        }

    def as_json(self) -> dict[str, Any]:
        def pub(p: Publication) -> dict[str, Any]:
            return {**asdict(p), "published": p.published.isoformat()}

        return {
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "to_fetch": [pub(p) for p in self.to_fetch],
            "outcomes": [
                {
                    **pub(o.publication),
                    "outcome": o.outcome,
                    "reasons": list(o.reasons),
                    "sha256": o.sha256,
                    "record_kind": o.record_kind,
                    "read_as": o.read_as,
                    "note": o.note,
                }
                for o in self.outcomes
            ],
            "vanished": [pub(p) for p in self.vanished],
            "reappeared": [pub(p) for p in self.reappeared],
            "renamed": [{"urn": u, "was": a, "now": b} for u, a, b in self.renamed],
            "unknown_councils": [{"urn": u, "name": n} for u, n in self.unknown_councils],
            "not_in_search": self.not_in_search,
            "unreadable_pages": [{"council": c, "problem": p} for c, p in self.unreadable_pages],
            "unreadable_listings": [asdict(u) for u in self.unreadable_listings],
            "unknown_labels": [pub(p) for p in self.unknown_labels],
            "labels": [
                {"label": label, "kind": kind, "listed": n}
                for (label, kind), n in sorted(self.labels.items())
            ],
            "search": {
                "total_stated": self.search_total,
                "councils_found": self.search_found,
                "pages": self.search_pages,
                "note": self.search_note,
            },
            "refusal": asdict(self.refusal) if self.refusal else None,
            "identity": self.identity,
            "network": {
                "requests": self.requests,
                "retries": self.retries,
                "bytes": self.bytes,
                "seconds": round(self.seconds, 1),
            },
        }


def default_cache() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("ofsted-csc", appauthor=False) / "sync"


def run_sync(
    store: Store,
    fetcher: Fetcher,
    options: SyncOptions | None = None,
    *,
    registry: CouncilRegistry | None = None,
    on_progress: Progress | None = None,
    today: date | None = None,
) -> SyncReport:
    """Bring the store up to date with Ofsted's site. Raises SyncError subclasses (the site
    changed, cannot be reached, or refuses the client) with the store untouched; SyncBusy if
    another sync holds the store's lock."""
    options = options or SyncOptions()
    check_jobs(options.jobs)
    registry = registry or load_registry()
    progress = on_progress or (lambda stage, done, total: None)
    day = today or date.today()
    started = datetime.now()
    clock = time.monotonic()
    report = SyncReport(options.dry_run, identity=fetcher.user_agent)
    with store.sync_lock():
        state = store.sync_state()
        pages = _pages_to_read(fetcher, options, registry, state, report)
        read = _read_pages(fetcher, pages, options.layout, report, progress)
        plan = _compare(read, state, options, report, day)
        if not options.dry_run:
            cache = options.cache or default_cache()
            fetched = _download(fetcher, plan.fetch, cache, report, progress)
            _store(
                store,
                read,
                plan,
                fetched,
                state,
                options,
                report,
                started,
                progress,
                day,
                registry,
            )
            for got in fetched.values():
                if isinstance(got, Fetched):
                    got.path.unlink(missing_ok=True)
            retheme(store)  # documents stored before, or themed by another taxonomy version
    counters = fetcher.counters
    report.requests, report.retries, report.bytes = (
        counters.requests,
        counters.retries,
        counters.bytes,
    )
    report.refusal = fetcher.refusal
    report.seconds = time.monotonic() - clock
    return report


def _stopped(url: str, exc: FetchFailed, what: str, fetcher: Fetcher) -> SiteUnavailable:
    """The error that stops a sync when a page it cannot do without could not be fetched."""
    if exc.refused:
        return SiteRefused(url, exc.problem, fetcher.user_agent)
    return SiteUnavailable(f"{url}: {what} could not be read ({exc.problem}); nothing was stored")


# -- 1. discover --


def _pages_to_read(
    fetcher: Fetcher,
    options: SyncOptions,
    registry: CouncilRegistry,
    state: SyncState,
    report: SyncReport,
) -> list[Page]:
    layout = options.layout

    def page(urn: str, council: Council, optional: bool, usual_type: str | None = None) -> Page:
        """A council's page at the address a sync saw before, else where Ofsted puts it."""
        seen = state.providers.get(urn)
        if seen is not None:
            return Page(urn, seen.url, seen.provider_type, seen.in_search, council, optional)
        kind = usual_type or layout.provider_type
        return Page(urn, layout.provider_url(urn, kind), kind, True, council, optional)

    if options.councils:  # the councils asked for, by every URN known for them
        pages = [
            page(urn, council, urn != council.urn)
            for council in (registry.lookup(query) for query in options.councils)
            for urn in (council.urn, *council.alt_urns)
        ]
        return list({p.urn: p for p in pages}.values())

    found = _search(fetcher, layout, report)
    pages = []
    for link in found:
        known = registry.by_urn(link.urn)
        if known is None:
            report.unknown_councils.append((link.urn, link.name))
        pages.append(Page(link.urn, link.url, link.provider_type, True, known, False))
    usual_type = Counter(link.provider_type for link in found).most_common(1)[0][0]
    listed = {link.urn for link in found}
    for council in registry.all():
        for urn in (council.urn, *council.alt_urns):
            if urn in listed:
                continue
            # a current council's own page ought to be in the search: say so if missing
            optional = council.abolished is not None or urn != council.urn
            pages.append(replace(page(urn, council, optional, usual_type), in_search=False))
    return pages


def _search(fetcher: Fetcher, layout: SiteLayout, report: SyncReport) -> list[ProviderLink]:
    """Every council the search lists: page after page (each starting after the results the
    last one showed) until a page brings no council not seen before. The total the first page
    states is a cross-check, reported when it disagrees, never a reason to stop or go on.

    The first page must be read and link to councils (else the sync stops: the search has
    moved or changed); a later page that cannot be read ends the paging, reported (the
    councils ofsted-csc knows are still read by their URNs)."""
    found: dict[str, ProviderLink] = {}
    start = 0
    stated: int | None = None
    for number in range(MAX_SEARCH_PAGES):
        url = layout.search_url(start)
        problem = None
        try:
            page = read_search_page(fetcher.text(url), url)
        except FetchFailed as exc:
            if number == 0:
                raise _stopped(url, exc, "Ofsted's search", fetcher) from None
            problem = exc.problem
        except PageNotFound as exc:
            if number == 0:
                raise SiteChanged(
                    url, f"search results, not Ofsted's “{exc.title}” page at the search address"
                ) from None
            problem = f"Ofsted's “{exc.title}” page"
        if problem is not None:
            report.unreadable_pages.append((f"search results from {start + 1} on", problem))
            report.search_note = (
                f"the search's results from {start + 1} on could not be read ({problem}): "
                "councils listed there were read by the URNs ofsted-csc knows"
            )
            break
        report.search_pages += 1
        if number == 0:
            if not page.providers and page.total != 0:
                raise SiteChanged(
                    url, "search results linking to council pages at /provider/<type>/<URN>"
                )
            stated = page.total
        fresh = [p for p in page.providers if p.urn not in found]
        if not fresh:
            break
        for link in fresh:
            found[link.urn] = link
        start += len(page.providers)
    else:
        report.search_note = (
            f"the search still brought new councils after {MAX_SEARCH_PAGES} pages; "
            "paging stopped there"
        )
    if not found:
        raise SiteChanged(layout.search_url(0), "at least one council in the search results")
    report.search_total, report.search_found = stated, len(found)
    if stated is not None and stated != len(found) and report.search_note is None:
        report.search_note = (
            f"the search said it holds {stated} results; it listed {len(found)} councils "
            "(all of them read)"
        )
    return list(found.values())


def _read_pages(
    fetcher: Fetcher,
    pages: list[Page],
    layout: SiteLayout,
    report: SyncReport,
    progress: Progress,
) -> list[tuple[Page, ProviderPage]]:
    refused: list[FetchFailed] = []

    def read(page: Page) -> tuple[Page, ProviderPage | None]:
        who = page.council.name if page.council else page.urn
        try:
            html = fetcher.text(page.url)
        except FetchFailed as exc:
            if exc.refused:
                refused.append(exc)
            if not (page.optional and exc.not_found):
                report.unreadable_pages.append((who, exc.problem))
            return page, None
        try:
            return page, read_provider_page(html, page.url, page.urn, layout)
        except PageNotFound as exc:
            # an abolished council's old address, or a URN no longer used: no page is no
            # problem; a current council's page that answers "not found" is reported
            if not page.optional:
                report.unreadable_pages.append(
                    (who, f"Ofsted's site answers “{exc.title}” at {page.url} (HTTP 200)")
                )
            return page, None

    results = _parallel(
        read, pages, fetcher.politeness.concurrency, lambda n: progress("pages", n, len(pages))
    )
    read_ok = [(page, found) for page, found in results if found is not None]
    if pages and not read_ok:
        if refused:
            raise SiteRefused(refused[0].url, refused[0].problem, fetcher.user_agent)
        problems = "; ".join(p for _c, p in report.unreadable_pages[:3])
        raise SiteUnavailable(f"no council page could be read ({problems}); nothing was stored")
    report.pages_read = len(read_ok)
    report.not_in_search = sorted(
        {page.council.name for page, _ in read_ok if not page.in_search and page.council}
    )
    return read_ok


# -- 2. compare --


@dataclass
class Plan:
    listings: dict[str, tuple[str, Listing]]  # file id -> (provider URN, listing)
    fetch: dict[str, Publication]  # file id -> publication to download
    held: dict[str, str]  # file id -> sha256 of the stored file with its name
    vanished: list[str]
    council_names: dict[str, str]  # provider URN -> council's name for reports
    councils: dict[str, Council | None]  # provider URN -> the council of the page


def _compare(
    read: list[tuple[Page, ProviderPage]],
    state: SyncState,
    options: SyncOptions,
    report: SyncReport,
    today: date,
) -> Plan:
    plan = Plan({}, {}, {}, [], {}, {})
    by_provider: dict[str, list[KnownPublication]] = {}
    for known in state.publications.values():
        by_provider.setdefault(known.provider_urn, []).append(known)
    for page, provider in read:
        name = page.council.name if page.council else provider.name
        plan.council_names[page.urn] = name
        plan.councils[page.urn] = page.council
        seen = state.providers.get(page.urn)
        if seen is not None and seen.name != provider.name:
            report.renamed.append((page.urn, seen.name, provider.name))
        before = [k for k in by_provider.get(page.urn, []) if k.vanished_on is None]
        if not provider.listings and not provider.unreadable and before:
            raise SiteChanged(
                page.url,
                f"publication links (a.publication-link): the page listed {len(before)} "
                "before and lists none now",
            )
        for bad in provider.unreadable:
            report.unreadable_listings.append(
                UnreadableListing(name, provider.url, bad.text, bad.href, bad.problem)
            )
        # a listing whose text cannot be read is still on the page: not vanished
        on_page = {listing.file_id for listing in provider.listings} | {
            bad.file_id for bad in provider.unreadable if bad.file_id
        }
        for known in by_provider.get(page.urn, []):
            if known.file_id not in on_page and known.vanished_on is None:
                plan.vanished.append(known.file_id)
                report.vanished.append(_publication(known, name))
        for listing in provider.listings:
            if listing.file_id in plan.listings:
                continue  # the same document on two councils' pages: the first keeps it
            plan.listings[listing.file_id] = (page.urn, listing)
            report.listed += 1
            report.labels[(listing.label, listing.kind.value)] += 1
            known_pub = state.publications.get(listing.file_id)
            if known_pub is not None and known_pub.vanished_on is not None:
                report.reappeared.append(_publication(listing, name))
            if listing.kind is PublicationKind.UNKNOWN and known_pub is None:
                report.unknown_labels.append(_publication(listing, name))
            if listing.kind not in options.kinds or (
                options.since is not None and listing.published < options.since
            ):
                continue
            report.wanted += 1
            if not _needs_fetch(known_pub, state, options, today):
                continue
            held = state.files_by_name.get(f"{listing.file_id}.pdf")
            if known_pub is None and held is not None:
                plan.held[listing.file_id] = held.sha256
                continue
            publication = _publication(listing, name)
            plan.fetch[listing.file_id] = publication
            report.to_fetch.append(publication)
    return plan


def _needs_fetch(
    known: KnownPublication | None, state: SyncState, options: SyncOptions, today: date
) -> bool:
    if known is None or known.status in ("listed", "failed"):
        return True
    if known.status == "stored":  # unless the record was deleted since
        return known.sha256 not in state.files_by_sha
    if known.status == "refused":  # a newer parser may read it
        return known.parser_version != PARSER_VERSION
    if known.status == "gone":  # asked again after a long interval, or when asked to
        return (
            options.recheck_gone
            or known.gone_on is None
            or (today - known.gone_on).days >= GONE_RECHECK_DAYS
        )
    return True


def _publication(item: Listing | KnownPublication, council: str) -> Publication:
    return Publication(item.file_id, council, item.label, item.published, item.url, str(item.kind))


# -- 3. download --


@dataclass(frozen=True)
class Fetched:
    path: Path
    sha256: str


@dataclass(frozen=True)
class Gone:
    """The site says the document no longer exists: with this HTTP status (200 for its
    not-found page served as if it were the document)."""

    status: int
    problem: str


# How much of a download is looked at to tell a web page from a document.
SNIFF_BYTES = 256 * 1024


def _what_came(url: str, path: Path) -> Fetched | Gone | FetchFailed:
    """A downloaded file as a document, or Ofsted's not-found page (gone), or another web
    page where the document should be (a failure: asked for again at the next sync)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    page = sniff_web_page(head)
    if page is None:  # a PDF, or something else the reader will refuse with its reason
        return Fetched(path, sha256_of(path.read_bytes()))
    path.unlink(missing_ok=True)
    if page.not_found:
        return Gone(200, f"Ofsted's “{page.title}” page, served with HTTP 200")
    return FetchFailed(
        url, 200, f"the site sent a web page (“{page.title}”) where the document should be"
    )


def _download(
    fetcher: Fetcher,
    fetch: dict[str, Publication],
    cache: Path,
    report: SyncReport,
    progress: Progress,
) -> dict[str, Fetched | Gone | FetchFailed]:
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"{cache}: cannot make the download folder ({exc.strerror})") from exc

    def get(item: tuple[str, Publication]) -> tuple[str, Fetched | Gone | FetchFailed, bool]:
        """(file id, the file or why it could not be fetched, whether it was cached)"""
        file_id, publication = item
        dest = cache / f"{file_id}.pdf"
        if dest.exists():  # downloaded whole by an interrupted sync
            return file_id, _what_came(publication.url, dest), True
        try:
            fetcher.download(publication.url, dest)
        except FetchFailed as exc:
            if exc.not_found:
                return file_id, Gone(exc.status or 404, exc.problem), False
            return file_id, exc, False
        return file_id, _what_came(publication.url, dest), False

    got = _parallel(
        get,
        list(fetch.items()),
        fetcher.politeness.concurrency,
        lambda n: progress("downloads", n, len(fetch)),
    )
    report.resumed = sum(isinstance(result, Fetched) and cached for _id, result, cached in got)
    report.downloaded = sum(
        isinstance(result, Fetched) and not cached for _id, result, cached in got
    )
    return {file_id: result for file_id, result, _cached in got}


# -- 4. read and store --


def _store(
    store: Store,
    read: list[tuple[Page, ProviderPage]],
    plan: Plan,
    fetched: dict[str, Fetched | Gone | FetchFailed],
    state: SyncState,
    options: SyncOptions,
    report: SyncReport,
    started: datetime,
    progress: Progress,
    today: date,
    registry: CouncilRegistry,
) -> None:
    # what each download is: held already (by content), or to be read (once per content)
    to_read: dict[str, Path] = {}
    for got in fetched.values():
        if isinstance(got, Fetched):
            held = state.files_by_sha.get(got.sha256)
            if held is None or held.parser_version != PARSER_VERSION:
                to_read.setdefault(got.sha256, got.path)
    results: dict[str, ParseResult | DocumentError] = {}
    paths = list(to_read.values())
    for n, (sha, result) in enumerate(
        zip(to_read, read_files(paths, options.jobs), strict=True), start=1
    ):
        results[sha] = result
        progress("reading", n, len(paths))

    with store.sync_writer() as writer:
        for page, provider in read:
            writer.provider(page.urn, page.provider_type, provider.name, page.url, page.in_search)
        saved: set[str] = set()  # sha256 of the files stored by this sync
        for file_id, (urn, listing) in plan.listings.items():
            publication = _publication(listing, plan.council_names[urn])
            values: dict[str, Any] = {
                "provider_urn": urn,
                "label": listing.label,
                "kind": listing.kind.value,
                "format": listing.format,
                "published": listing.published,
                "url": listing.url,
            }
            known = state.publications.get(file_id)
            not_gone = {"gone_on": None, "gone_status": None}
            if file_id in plan.held:
                values |= {"status": "stored", "sha256": plan.held[file_id], "problem": None}
                values |= not_gone
                report.outcomes.append(Outcome(publication, "held", sha256=plan.held[file_id]))
            elif file_id in fetched:
                got = fetched[file_id]
                if isinstance(got, Gone):
                    again = known is not None and known.status == "gone"
                    values |= {
                        "status": "gone",
                        "sha256": None,
                        "problem": got.problem,
                        "gone_on": today,
                        "gone_status": got.status,
                    }
                    outcome = "still_gone" if again else "gone"
                    report.outcomes.append(Outcome(publication, outcome, (got.problem,)))
                elif isinstance(got, FetchFailed):
                    values |= {"status": "failed", "sha256": None, "problem": got.problem}
                    values |= not_gone
                    report.outcomes.append(Outcome(publication, "failed", (got.problem,)))
                else:
                    outcome_ = _save_one(
                        writer,
                        publication,
                        got,
                        results.get(got.sha256),
                        saved,
                        plan.councils[urn],
                        registry,
                    )
                    refused = outcome_.outcome == "refused"
                    values |= {
                        "status": "refused" if refused else "stored",
                        "sha256": got.sha256,
                        "problem": "; ".join(outcome_.reasons) if refused else None,
                        "parser_version": PARSER_VERSION,
                    }
                    values |= not_gone
                    report.outcomes.append(outcome_)
            elif known is None:
                values |= {"status": "listed", "sha256": None, "problem": None}
            writer.publication(file_id, **values)
        writer.vanished(plan.vanished, today)
        writer.listing_dates(
            [o.sha256 for o in report.outcomes if o.sha256 and o.outcome != "refused"]
        )
        writer.run(started, options.described(), report.summary())


def _save_one(
    writer: StoreSyncWriter,
    publication: Publication,
    got: Fetched,
    result: ParseResult | DocumentError | None,
    saved: set[str],
    page_council: Council | None,
    registry: CouncilRegistry,
) -> Outcome:
    sha = got.sha256
    if result is None or sha in saved:  # held already, or the same content under two ids
        return Outcome(publication, "held", sha256=sha)
    data = None if isinstance(result, DocumentError) else got.path.read_bytes()
    stored = save_read(writer, got.path, result, None, data)
    if isinstance(result, DocumentError) or stored.outcome == "refused":
        return Outcome(publication, "refused", stored.reasons, sha)
    saved.add(sha)
    return Outcome(
        publication,
        stored.outcome,
        stored.reasons,  # the review reasons, after the stored corrections
        sha,
        stored.kind,
        _read_as(result),
        _council_note(result, page_council, registry),
    )


def _read_as(result: ParseResult) -> str:
    record = result.record
    what = KIND_LABELS[record.kind] if record.kind else "A record"
    if isinstance(record, InspectionRecord):
        if record.framework:
            what += f", {FRAMEWORK_LABELS[record.framework]}"
        start = record.inspection_start
    else:
        start = record.visit_start
    return what + (f", from {start.isoformat()}" if start else "")


def _council_note(
    result: ParseResult, page_council: Council | None, registry: CouncilRegistry
) -> str | None:
    """Say so when a document names another council than the page that lists it (its
    predecessors and successors aside)."""
    urn = result.record.council_urn
    if page_council is None or urn is None:
        return None
    related = {
        page_council.urn,
        *page_council.alt_urns,
        *page_council.predecessors,
        *page_council.successors,
    }
    if urn in related:
        return None
    named = registry.by_urn(urn)
    return f"listed on {page_council.name}'s page, but it names {named.name if named else urn}"


# -- running in threads --


def _parallel(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    tick: Callable[[int], None] | None = None,
) -> list[R]:
    """fn over items on `workers` threads, results in order; `tick(n)` after each of them
    finishes. The first exception (or Ctrl-C) cancels what has not started and is raised."""
    if workers <= 1 or len(items) <= 1:
        results = []
        for n, item in enumerate(items, start=1):
            results.append(fn(item))
            if tick is not None:
                tick(n)
        return results
    pool = ThreadPoolExecutor(max_workers=workers)
    futures: list[Future[R]] = [pool.submit(fn, item) for item in items]
    try:
        for n, future in enumerate(as_completed(futures), start=1):
            future.result()  # raises the first failure
            if tick is not None:
                tick(n)
        return [f.result() for f in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
