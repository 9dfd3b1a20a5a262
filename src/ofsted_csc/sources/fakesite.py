"""An Ofsted-like website for tests, demos and offline trials of sync: the search results,
council pages and document files, built from councils and PDFs you give it, with the page
structure of Ofsted's site (see tests/fixtures/site/ for recorded examples).

    site = FakeSite([FakeCouncil("80486", "Barking and Dagenham", [FakeDoc(...)])])
    fetcher = Fetcher(Politeness(delay=0), httpx.Client(transport=site.transport()))
    run_sync(store, fetcher, SyncOptions(layout=site.layout))

    python -m ofsted_csc.sources.fakesite FOLDER [--port 8765]   # serve a folder of Ofsted PDFs

Faults can be injected per path (HTTP statuses, timeouts, dropped connections), a council's
page can be served with its structure broken, and every request is logged.
"""

from __future__ import annotations

import csv
import html
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx

from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.publications import SiteLayout

Fault = int | str  # an HTTP status, "timeout" or "drop"


class Interrupted(Exception):
    """Raised by the fake site to cut a sync short (as Ctrl-C or a crash would)."""


@dataclass
class FakeDoc:
    file_id: str
    label: str  # "Children's services inspection"
    published: date
    data: bytes | None = None
    path: Path | None = None

    def content(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


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
        self.log: list[str] = []
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

    # -- answering --

    def answer(self, method: str, path: str, query: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for one request; may raise httpx timeouts or
        connection errors for injected faults."""
        with self._lock:
            self.log.append(path)
            queue = self.faults.get(path)
            fault = queue.pop(0) if queue else None
            if (
                path.startswith("/v1/file/")
                and self.interrupt_after is not None
                and len(self.documents_served()) > self.interrupt_after
            ):
                raise Interrupted(path)
        if fault == "timeout":
            raise httpx.ReadTimeout(f"{path}: timed out")
        if fault == "drop":
            raise httpx.RemoteProtocolError(f"{path}: server disconnected")
        if isinstance(fault, int):
            return fault, "text/html", f"<h1>Error {fault}</h1>".encode()
        if method != "GET":
            return 405, "text/plain", b"GET only"
        if path == "/search":
            return 200, "text/html; charset=utf-8", self.search_page(parse_qs(query)).encode()
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "provider":
            council = self.councils.get(parts[2])
            if council is None or council.provider_type != parts[1]:
                return 404, "text/html", b"<h1>Page not found</h1>"
            return 200, "text/html; charset=utf-8", self.provider_page(council).encode()
        if len(parts) == 3 and parts[:2] == ["v1", "file"]:
            for council in self.councils.values():
                for doc in council.docs:
                    if doc.file_id == parts[2]:
                        return 200, "application/pdf", doc.content()
        return 404, "text/html", b"<h1>Page not found</h1>"

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        status, content_type, body = self.answer(
            request.method, url.path, url.query.decode("ascii")
        )
        return httpx.Response(status, headers={"Content-Type": content_type}, content=body)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=self.transport())

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        status, content_type, body = self.answer(
            environ["REQUEST_METHOD"],
            environ.get("PATH_INFO", "/"),
            environ.get("QUERY_STRING", ""),
        )
        reason = {200: "OK", 404: "Not Found"}.get(status, "Error")
        start_response(
            f"{status} {reason}",
            [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        )
        return [body]

    # -- pages, with the structure of Ofsted's --

    def search_page(self, query: dict[str, list[str]]) -> str:
        start = int(query.get("start", ["0"])[0] or 0)
        rows = min(int(query.get("rows", ["10"])[0] or 10), 100)
        listed = sorted((c for c in self.councils.values() if c.in_search), key=lambda c: c.name)
        shown = listed[start : start + rows]
        items = "\n".join(
            f'<li class="search-result"><h3 class="search-result__heading">'
            f'<a href="/provider/{c.provider_type}/{c.urn}">{html.escape(c.name)}</a></h3>'
            f'<ul class="search-result__meta"><li>Local authority children\'s services</li>'
            f"<li>URN: {c.urn}</li></ul></li>"
            for c in shown
        )
        more = (
            f'<a class="pagination__next" href="/search?start={start + rows}&amp;rows={rows}">'
            "Next page</a>"
            if start + rows < len(listed)
            else ""
        )
        return _page(
            "Search results",
            f'<h1 class="heading-xlarge">Find an inspection report</h1>'
            f'<p class="search-results__count"><span>{len(listed)}</span> results</p>'
            f'<ul class="results-list">{items}</ul><nav class="pagination">{more}</nav>',
        )

    def provider_page(self, council: FakeCouncil) -> str:
        docs = sorted(council.docs, key=lambda d: d.published, reverse=True)
        if council.urn in self.broken:  # a redesign: the hidden description is gone
            items = "\n".join(
                f'<li><a class="publication-link" href="{self.layout.files}{d.file_id}">'
                f"{html.escape(d.label)}</a> <time>{d.published.isoformat()}</time></li>"
                for d in docs
            )
        else:
            items = "\n".join(
                f'<li class="publication-list__item"><a class="publication-link" '
                f'href="{self.layout.files}{d.file_id}">{html.escape(d.label)}'
                f'<span class="nonvisual">{html.escape(d.label)}, pdf - '
                f"{d.published.strftime('%d %B %Y')}</span></a>"
                f'<p class="publication-date">Published: {d.published.day} '
                f"{d.published.strftime('%B %Y')}</p></li>"
                for d in docs
            )
        return _page(
            council.name,
            f'<h1 class="heading-xlarge">{html.escape(council.name)}</h1>'
            f'<p class="provider-type">Local authority children\'s services</p>'
            f"<p>Unique reference number: {council.urn}</p>"
            f'<section class="publications"><h2>Reports</h2>'
            f'<ul class="publication-list">{items}</ul></section>',
        )


def _page(title: str, main: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} - Ofsted</title></head><body>"
        '<header><a href="/">Ofsted reports</a></header>'
        f'<main id="main-content">{main}</main>'
        '<footer><a href="/provider/help">Help</a></footer></body></html>'
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
