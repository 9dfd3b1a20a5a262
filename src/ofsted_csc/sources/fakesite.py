"""An Ofsted-like website for tests, demos and offline trials of sync: the search results,
council pages and document files, built from councils and PDFs you give it.

    site = FakeSite([FakeCouncil("80486", "Barking and Dagenham", [FakeDoc(...)])])
    fetcher = Fetcher(Politeness(delay=0), httpx.Client(transport=site.transport()))
    run_sync(store, fetcher, SyncOptions(layout=site.layout))

    python -m ofsted_csc.sources.fakesite FOLDER [--port 8765]   # serve a folder of Ofsted PDFs

What follows Ofsted's real site, as public evidence shows it (scrapers such as Data to
Insight's read all 153 council pages every day; tests/fixtures/site/README.md has the detail):
the search address with 100 rows a page; council pages at /provider/44/<URN>; each publication
an `a.publication-link` whose hidden `span.nonvisual` reads "<label>, pdf - DD Month YYYY";
documents at <files host>/v1/file/<id>; the page furniture (header, breadcrumbs, `main#main`,
the `h1.heading--title`) of the site's real "Report not found" page, which the site serves
for documents that are gone. INVENTED, and marked so where it is written: the class names of
the publication timeline (a list per day with a `time` element, as schools' pages have),
where and how the search states its count, the pagination links, the provider pages' titles
and sub-headings, and what the search answers past its last result (an empty page).

Faults can be injected per path (HTTP statuses, with Retry-After; timeouts, dropped
connections), a council's page can be served with its structure broken or as the not-found
page, a document as gone (the not-found page with 200 or 404), a listing with any hidden text
or link, the search with any stated total; every request is logged.
"""

from __future__ import annotations

import csv
import html
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx

from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.publications import SiteLayout

Fault = int | str  # an HTTP status, "403:30" (a status with Retry-After: 30), "timeout", "drop"

# The site's "Report not found" page, abridged from the real one (tests/fixtures/bad/
# html_saved_as.pdf is the whole page, as the site served it in place of a 2012 report):
# its title, breadcrumb, heading and sentence are the real page's.
NOT_FOUND_MAIN = (
    '<div class="container"><div class="row"><div class="col two-thirds-sm">'
    '<div class="module title-block title-block--flat title-block--clear title-block--large">'
    '<h1 class="heading--title title-block__heading">Report not found</h1></div>'
    '<div class="flat-content text-large"><p><span>Sorry, the document you requested no '
    "longer exists.</span></p></div></div></div></div>"
)


class Interrupted(Exception):
    """Raised by the fake site to cut a sync short (as Ctrl-C or a crash would)."""


@dataclass
class FakeDoc:
    file_id: str
    label: str  # "Children's services inspection"
    published: date
    data: bytes | None = None
    path: Path | None = None
    described: str | None = None  # the hidden text served; default "<label>, pdf - 09 May 2025"
    href: str | None = None  # the link served; default the files host's /v1/file/<id>

    def content(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()

    def description(self) -> str:
        if self.described is not None:
            return self.described
        return f"{self.label}, pdf - {self.published.strftime('%d %B %Y')}"


@dataclass
class FakeCouncil:
    urn: str
    name: str
    docs: list[FakeDoc] = field(default_factory=list)
    in_search: bool = True
    provider_type: str = "44"


class FakeSite:
    def __init__(self, councils: Iterable[FakeCouncil], base: str = "http://ofsted.test") -> None:
        self.councils = {c.urn: c for c in councils}
        self.base = base
        self.faults: dict[str, list[Fault]] = {}
        self.broken: set[str] = set()  # URNs whose page is served with another structure
        self.soft_missing: set[str] = set()  # URNs whose address answers 200 "not found"
        self.gone: dict[str, int] = {}  # file id -> status served with the not-found page
        self.not_found_html = _page("Report not found", NOT_FOUND_MAIN, "Report not found")
        self.stated_total: int | None = None  # the count the search states (None: the true one)
        self.states_total = True  # whether the search states a count at all
        self.max_rows = 100  # the most results a search page shows, whatever is asked
        self.log: list[str] = []
        self.agents: list[str] = []  # the User-Agent of each request
        self.interrupt_after: int | None = None  # documents served before Interrupted
        self.rows_per_page = 100  # what sync asks the search for
        self._lock = threading.Lock()

    @property
    def layout(self) -> SiteLayout:
        return SiteLayout(
            reports=self.base, files=f"{self.base}/v1/file/", rows_per_page=self.rows_per_page
        )

    def documents_served(self) -> list[str]:
        return [p.rsplit("/", 1)[1] for p in self.log if p.startswith("/v1/file/")]

    def fail(self, path: str, *faults: Fault) -> None:
        """The next requests for `path` meet these faults, in order, then succeed."""
        self.faults.setdefault(path, []).extend(faults)

    def doc(self, file_id: str) -> FakeDoc:
        return next(d for c in self.councils.values() for d in c.docs if d.file_id == file_id)

    # -- answering --

    def answer(
        self, method: str, path: str, query: str, agent: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for one request; may raise httpx timeouts or connection
        errors for injected faults."""
        with self._lock:
            self.log.append(path)
            self.agents.append(agent)
            queue = self.faults.get(path)
            fault = queue.pop(0) if queue else None
            if (
                path.startswith("/v1/file/")
                and self.interrupt_after is not None
                and len(self.documents_served()) > self.interrupt_after
            ):
                raise Interrupted(path)
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        if fault == "timeout":
            raise httpx.ReadTimeout(f"{path}: timed out")
        if fault == "drop":
            raise httpx.RemoteProtocolError(f"{path}: server disconnected")
        if isinstance(fault, str) and ":" in fault:  # "429:30": a status with Retry-After
            status, after = fault.split(":", 1)
            body = f"<h1>Error {status}</h1>".encode()
            return int(status), {**html_type, "Retry-After": after}, body
        if isinstance(fault, int):
            return fault, html_type, f"<h1>Error {fault}</h1>".encode()
        if method != "GET":
            return 405, {"Content-Type": "text/plain"}, b"GET only"
        not_found = (404, html_type, self.not_found_html.encode())
        if path == "/search":
            return 200, html_type, self.search_page(parse_qs(query)).encode()
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "provider":
            council = self.councils.get(parts[2])
            if council is None or council.provider_type != parts[1]:
                return not_found
            if council.urn in self.soft_missing:
                return 200, html_type, self.not_found_html.encode()
            return 200, html_type, self.provider_page(council).encode()
        if len(parts) == 3 and parts[:2] == ["v1", "file"]:
            if parts[2] in self.gone:
                return self.gone[parts[2]], html_type, self.not_found_html.encode()
            for council in self.councils.values():
                for doc in council.docs:
                    if doc.file_id == parts[2]:
                        return 200, {"Content-Type": "application/pdf"}, doc.content()
        return not_found

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        status, headers, body = self.answer(
            request.method,
            url.path,
            url.query.decode("ascii"),
            request.headers.get("User-Agent", ""),
        )
        return httpx.Response(status, headers=headers, content=body)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=self.transport())

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        status, headers, body = self.answer(
            environ["REQUEST_METHOD"],
            environ.get("PATH_INFO", "/"),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_USER_AGENT", ""),
        )
        reason = {200: "OK", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests"}
        start_response(
            f"{status} {reason.get(status, 'Error')}",
            [*headers.items(), ("Content-Length", str(len(body)))],
        )
        return [body]

    # -- pages, with the structure of Ofsted's (INVENTED parts marked) --

    def search_page(self, query: dict[str, list[str]]) -> str:
        start = int(query.get("start", ["0"])[0] or 0)
        rows = min(int(query.get("rows", ["10"])[0] or 10), self.max_rows)
        listed = sorted((c for c in self.councils.values() if c.in_search), key=lambda c: c.name)
        shown = listed[start : start + rows]  # INVENTED: past the end, an empty page
        items = "\n".join(
            f'<li class="search-result"><h3 class="search-result__heading">'
            f'<a href="/provider/{c.provider_type}/{c.urn}">{html.escape(c.name)}</a></h3>'
            f'<ul class="search-result__meta"><li>Local authority children\'s services</li>'
            f"<li>URN: {c.urn}</li></ul></li>"
            for c in shown
        )
        # INVENTED: pagination as an older scraper's reader expects it (ul.pagination li.next)
        more = (
            f'<li class="next"><a href="/search?start={start + rows}&amp;rows={rows}">'
            "Next page</a></li>"
            if start + rows < len(listed)
            else ""
        )
        total = self.stated_total if self.stated_total is not None else len(listed)
        # INVENTED: the count inside the results heading (its real markup is not known)
        count = (
            f'<h2 class="search-results__heading heading--sub">{total} results</h2>'
            if self.states_total
            else '<h2 class="search-results__heading heading--sub">Results</h2>'
        )
        return _page(
            "Search results",
            '<div class="container"><h1 class="heading--title">Find an inspection report</h1>'
            f'<div class="search-results">{count}<ul class="results-list">{items}</ul>'
            f'<ul class="pagination">{more}</ul></div></div>',
            "Search results",
        )

    def provider_page(self, council: FakeCouncil) -> str:
        docs = sorted(council.docs, key=lambda d: d.published, reverse=True)
        if council.urn in self.broken:  # a redesign: the hidden description is gone
            days = "\n".join(
                f'<li><a class="publication-link" href="{self._href(d)}">'
                f"{html.escape(d.label)}</a> <time>{d.published.isoformat()}</time></li>"
                for d in docs
            )
        else:
            # INVENTED class names: a list per day, each with a <time> and its publications,
            # as on schools' provider pages; the link and its hidden text are as evidenced
            days = "\n".join(
                f'<li class="timeline__day"><p class="timeline__date">'
                f'<time datetime="{day.isoformat()}">{day.day} {day.strftime("%B %Y")}</time>'
                '</p><ul class="timeline__events">'
                + "".join(
                    f'<li class="event"><a class="publication-link" href="{self._href(d)}">'
                    f'{html.escape(d.label)} <span class="nonvisual">'
                    f"{html.escape(d.description())}</span></a></li>"
                    for d in group
                )
                + "</ul></li>"
                for day, group in groupby(docs, key=lambda d: d.published)
            )
        return _page(
            council.name,
            '<div class="container"><div class="module title-block title-block--flat '
            'title-block--clear title-block--large">'
            f'<h1 class="heading--title title-block__heading">{html.escape(council.name)}</h1>'
            # INVENTED: the sub-heading and URN line
            '<p class="title-block__subheading">Local authority children\'s services</p></div>'
            f"<p>Unique reference number: {council.urn}</p>"
            f'<div class="timeline"><h2 class="heading--sub">Reports</h2>'
            f'<ol class="timeline__list">{days}</ol></div></div>',
            council.name,
        )

    def _href(self, doc: FakeDoc) -> str:
        return doc.href if doc.href is not None else f"{self.layout.files}{doc.file_id}"


def _page(title: str, main: str, crumb: str) -> str:
    """A page in the furniture of the site's real "Report not found" page (header with its
    hidden "Ofsted homepage", breadcrumbs, main#main, footer); the title's ending is the real
    page's, given to every page (INVENTED for pages other than that one)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"/>'
        f"<title>{html.escape(title)} - Find an Inspection Report - Ofsted</title></head>"
        '<body><div class="main-content"><header class="header"><div class="container">'
        '<a class="header__home-link" href="/"><span class="nonvisual">Ofsted homepage</span>'
        '<img class="header__logo" src="/images/logo.svg" alt="Ofsted Logo" /></a></div>'
        '</header><div class="container"><ol class="breadcrumbs"><li class="crumb">'
        f'<a href="/">Home</a></li><li class="crumb">{html.escape(crumb)}</li></ol></div>'
        f'<main id="main" tabindex="-1">{main}</main></div>'
        '<footer class="footer"><div class="container"><ul class="footer__links list-inline">'
        '<li><a href="/terms-and-conditions">Terms of use</a></li></ul></div></footer>'
        "</body>\n</html>"
    )


# -- serving over HTTP (for the whole-corpus run and demos) --


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@dataclass
class Served:
    site: FakeSite
    server: WSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(site: FakeSite, host: str = "127.0.0.1", port: int = 0) -> Served:
    """Serve the site on a loopback port (in a thread); its base becomes that address."""
    server = make_server(host, port, site.wsgi, server_class=_Threading, handler_class=_Quiet)
    site.base = f"http://{host}:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return Served(site, server, thread)


def folder_documents(folder: Path) -> list[tuple[Path, str]]:
    """(PDF, council URN) for every file its folder's manifest.csv names (columns `file` or
    `file_id`, and `urn`), under `folder`."""
    found: list[tuple[Path, str]] = []
    for manifest in sorted(folder.rglob("manifest.csv")):
        with manifest.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                name = row.get("file") or f"{row['file_id']}.pdf"
                for path in (manifest.parent / name, manifest.parent / "reports" / name):
                    if path.is_file():
                        found.append((path, row["urn"]))
                        break
    return list(dict.fromkeys(found))


def site_from_folder(
    folder: Path,
    published: Callable[[Path], date],
    registry: CouncilRegistry | None = None,
) -> FakeSite:
    """A site with a page for every council ofsted-csc knows (abolished ones left out of the
    search, as on Ofsted's), listing the folder's PDFs on their councils' pages: file id =
    the file's name without .pdf, listed as a focused visit if its name starts "fv-", else
    as an inspection, published on `published(path)`."""
    from ofsted_csc.domain.councils import load_registry

    registry = registry or load_registry()
    councils = {
        urn: FakeCouncil(
            urn, council.name, in_search=council.abolished is None and urn == council.urn
        )
        for council in registry.all()
        for urn in (council.urn, *council.alt_urns)
    }
    for path, urn in folder_documents(folder):
        council = councils.setdefault(urn, FakeCouncil(urn, f"Council {urn}"))
        label = (
            "Children's services focused visit"
            if path.name.startswith("fv-")
            else "Children's services inspection"
        )
        council.docs.append(FakeDoc(path.stem, label, published(path), path=path))
    return FakeSite(councils.values())


def _main(argv: list[str] | None = None) -> None:  # pragma: no cover - a demo server
    import argparse

    parser = argparse.ArgumentParser(description="Serve a folder of Ofsted PDFs as Ofsted's site.")
    parser.add_argument("folder", type=Path, help="a folder with manifest.csv (file/file_id, urn)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    site = site_from_folder(args.folder, lambda p: date.fromtimestamp(p.stat().st_mtime))
    served = serve(site, port=args.port)
    documents = sum(len(c.docs) for c in site.councils.values())
    print(f"{documents} documents on {served.site.base}/search")
    print(f"  ofsted-csc sync --site {served.site.base}")
    try:
        served.thread.join()
    except KeyboardInterrupt:
        served.stop()


if __name__ == "__main__":  # pragma: no cover
    _main()
