"""Reading Ofsted's pages: the search results (councils) and a council's page (its
publications).

Each reader reads what it can and says what it could not: a publication link whose hidden
description or address is not of the form sync knows is an `UnreadableLink` of the page
(reported by sync, the page's other listings read). A page is a `SiteChanged` only when what
sync relies on is gone as a whole: a council page with publication links of which none can
be read, or no heading naming the council. Ofsted's "not found" page, wherever it comes back
with status 200, is `PageNotFound`, never a council called "Report not found".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from ofsted_csc.domain.dates import parse_date
from ofsted_csc.domain.errors import SiteChanged
from ofsted_csc.domain.publications import (
    FILE_PATH,
    LEGACY_FILE_HOSTS,
    LISTING_TEXT,
    NOT_FOUND_HEADINGS,
    NOT_FOUND_TEXT,
    PROVIDER_PATH,
    RESULT_COUNT,
    PublicationKind,
    SiteLayout,
    kind_of_label,
    listing_text,
)

EXAMPLE_LISTING = '"Children\'s services inspection, pdf - 09 May 2025"'


class PageNotFound(Exception):
    """A page that is Ofsted's "not found" page (whatever its HTTP status): `title` is what
    it says ("Report not found")."""

    def __init__(self, url: str, title: str) -> None:
        self.url = url
        self.title = title
        super().__init__(f"{url}: Ofsted's site answers “{title}”")


@dataclass(frozen=True)
class ProviderLink:
    """A council found in the search results."""

    urn: str
    provider_type: str
    name: str
    url: str


@dataclass(frozen=True)
class SearchPage:
    providers: tuple[ProviderLink, ...]
    total: int | None  # the number of results the page says there are, if it says


@dataclass(frozen=True)
class Listing:
    """One publication on a council's page."""

    file_id: str
    url: str
    label: str  # "Children's services inspection"
    format: str  # "pdf"
    published: date
    kind: PublicationKind


@dataclass(frozen=True)
class UnreadableLink:
    """A publication link sync could not read: its hidden text (or address) as the page
    has it, and what is wrong. `file_id` is the document's id when its address could be read
    (so that sync does not take the publication for one gone from the page)."""

    text: str
    href: str
    problem: str
    file_id: str | None = None


@dataclass(frozen=True)
class ProviderPage:
    urn: str
    name: str
    url: str
    listings: tuple[Listing, ...]
    unreadable: tuple[UnreadableLink, ...] = ()


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def not_found_title(html: str | BeautifulSoup) -> str | None:
    """What Ofsted's "not found" page says ("Report not found"), if `html` is that page."""
    soup = _soup(html) if isinstance(html, str) else html
    for tag in (soup.find("h1"), soup.find("title")):
        if isinstance(tag, Tag):
            text = _text(tag)
            m = NOT_FOUND_HEADINGS.match(text)
            if m:
                return text.split(" - ")[0].strip()
    if NOT_FOUND_TEXT in " ".join(soup.get_text(" ").split()):
        return NOT_FOUND_TEXT
    return None


def _refuse_not_found(soup: BeautifulSoup, url: str) -> None:
    title = not_found_title(soup)
    if title is not None:
        raise PageNotFound(url, title)


def read_search_page(html: str, url: str) -> SearchPage:
    """The councils a search results page links to, and the total it reports (none found is
    not an error here: whether it is depends on which page this is, so sync decides)."""
    soup = _soup(html)
    _refuse_not_found(soup, url)
    found: dict[str, ProviderLink] = {}
    for a in soup.find_all("a", href=True):
        href = urljoin(url, str(a["href"]))
        m = PROVIDER_PATH.search(urlsplit(href).path)
        if m is None:
            continue
        name = _text(a)
        if m["urn"] not in found and name:
            found[m["urn"]] = ProviderLink(m["urn"], m["type"], name, href)
    return SearchPage(tuple(found.values()), _total(soup))


def _total(soup: BeautifulSoup) -> int | None:
    for node in soup.find_all(string=re.compile(r"\bresults?\b", re.I)):
        # the count may sit in its own element: "<strong>153</strong> results"
        text = _text(node.parent) if isinstance(node.parent, Tag) else str(node)
        m = RESULT_COUNT.search(text)
        if m:
            return int((m["n"] or m["m"]).replace(",", ""))
    return None


def file_url(href: str, page_url: str, layout: SiteLayout) -> str:
    """A document link made absolute, with Ofsted's old file host replaced by the new."""
    absolute = urljoin(page_url, href)
    parts = urlsplit(absolute)
    if parts.hostname in LEGACY_FILE_HOSTS:
        m = FILE_PATH.search(parts.path)
        if m:
            return layout.files + m["id"]
        return urlunsplit(parts._replace(netloc=urlsplit(layout.files).netloc))
    return absolute


def read_provider_page(html: str, url: str, urn: str, layout: SiteLayout) -> ProviderPage:
    """A council's name and the publications its page lists, with the links it could not
    read. Raises PageNotFound for Ofsted's not-found page, SiteChanged when the page has no
    heading or has publication links and none can be read."""
    soup = _soup(html)
    _refuse_not_found(soup, url)
    heading = soup.find("h1")
    name = _text(heading) if isinstance(heading, Tag) else ""
    if not name:
        raise SiteChanged(url, "a heading (h1) naming the council")
    listings: dict[str, Listing] = {}
    unreadable: list[UnreadableLink] = []
    links = soup.select("a.publication-link")
    for a in links:
        got = _listing(a, url, layout)
        if isinstance(got, Listing):
            listings.setdefault(got.file_id, got)
        else:
            unreadable.append(got)
    if links and not listings:
        first = unreadable[0]
        raise SiteChanged(url, f"{_expected(first)}; none of its {len(links)} links could be read")
    # a document listed twice, once in a form that can be read, is read
    unread = tuple(u for u in unreadable if u.file_id is None or u.file_id not in listings)
    return ProviderPage(urn, name, url, tuple(listings.values()), unread)


# what a listing is expected to be, by the problem found with it
NO_DESCRIPTION = "no hidden description (span.nonvisual)"
NOT_A_DESCRIPTION = "a description not of the form"
NOT_A_FILE = "a link that is not to a document"


def _expected(problem: UnreadableLink) -> str:
    if problem.problem == NO_DESCRIPTION:
        return "a hidden description (span.nonvisual) inside each publication link"
    if problem.problem.startswith(NOT_A_DESCRIPTION):
        return f'publication descriptions like {EXAMPLE_LISTING}, not "{problem.text}"'
    return f'publication links to documents at <files host>/v1/file/<id>, not "{problem.href}"'


def _listing(a: Tag, page_url: str, layout: SiteLayout) -> Listing | UnreadableLink:
    href = str(a.get("href") or "")
    target = file_url(href, page_url, layout) if href else ""
    fm = FILE_PATH.search(urlsplit(target).path) if target else None
    file_id = fm["id"] if fm else None
    hidden = a.select_one(".nonvisual")
    if hidden is None:
        return UnreadableLink(_text(a), href, NO_DESCRIPTION, file_id)
    described = listing_text(hidden.get_text(" "))
    m = LISTING_TEXT.match(described)
    published = parse_date(m["date"]) if m else None
    if m is None or published is None:
        return UnreadableLink(described, href, f"{NOT_A_DESCRIPTION} {EXAMPLE_LISTING}", file_id)
    if file_id is None:
        return UnreadableLink(described, href, f"{NOT_A_FILE} (…/v1/file/<id>)")
    label = m["label"].strip()
    return Listing(file_id, target, label, m["format"].lower(), published, kind_of_label(label))


@dataclass(frozen=True)
class WebPage:
    """A web page where a document was expected: its title, and whether it is Ofsted's
    "not found" page (the document is gone)."""

    title: str
    not_found: bool


def sniff_web_page(data: bytes) -> WebPage | None:
    """If `data` (the start of a download) is a web page (HTML) rather than a document, what
    page it is; None for anything else (a PDF, or a file the PDF reader will refuse)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    html = head.startswith(b"<!doctype html") or (head.startswith(b"<") and b"<html" in head)
    if not html:
        return None
    soup = _soup(data.decode("utf-8", errors="replace"))
    gone = not_found_title(soup)
    if gone is not None:
        return WebPage(gone, True)
    title = soup.find("title")
    return WebPage((_text(title) if isinstance(title, Tag) else "") or "untitled", False)
