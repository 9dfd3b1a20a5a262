"""Reading Ofsted's pages: the search results (councils) and a council's page (its
publications). Each reader checks the structure it relies on and raises SiteChanged,
naming the page and what it expected, rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from ofsted_csc.domain.errors import SiteChanged
from ofsted_csc.domain.publications import (
    FILE_PATH,
    LEGACY_FILE_HOSTS,
    LISTING_TEXT,
    PROVIDER_PATH,
    RESULT_COUNT,
    PublicationKind,
    SiteLayout,
    kind_of_label,
)

EXAMPLE_LISTING = '"Children\'s services inspection, pdf - 09 May 2025"'


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
class ProviderPage:
    urn: str
    name: str
    url: str
    listings: tuple[Listing, ...]


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def read_search_page(html: str, url: str) -> SearchPage:
    """The councils a search results page links to, and the total it reports."""
    soup = _soup(html)
    found: dict[str, ProviderLink] = {}
    for a in soup.find_all("a", href=True):
        href = urljoin(url, str(a["href"]))
        m = PROVIDER_PATH.search(urlsplit(href).path)
        if m is None:
            continue
        name = _text(a)
        if m["urn"] not in found and name:
            found[m["urn"]] = ProviderLink(m["urn"], m["type"], name, href)
    total = _total(soup)
    if not found and total != 0:
        raise SiteChanged(url, "search results linking to council pages at /provider/<type>/<URN>")
    return SearchPage(tuple(found.values()), total)


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
    """A council's name and the publications its page lists."""
    soup = _soup(html)
    heading = soup.find("h1")
    name = _text(heading) if isinstance(heading, Tag) else ""
    if not name:
        raise SiteChanged(url, "a heading (h1) naming the council")
    listings: dict[str, Listing] = {}
    for a in soup.select("a.publication-link"):
        hidden = a.select_one(".nonvisual")
        if hidden is None:
            raise SiteChanged(
                url, "a hidden description (span.nonvisual) inside each publication link"
            )
        described = _text(hidden)
        m = LISTING_TEXT.match(described)
        published = _date(m["date"]) if m else None
        if m is None or published is None:
            raise SiteChanged(
                url, f'publication descriptions like {EXAMPLE_LISTING}, not "{described}"'
            )
        href = a.get("href")
        target = file_url(str(href), url, layout) if href else ""
        fm = FILE_PATH.search(urlsplit(target).path) if target else None
        if fm is None:
            raise SiteChanged(
                url, f'publication links to documents at {layout.files}<id>, not "{href}"'
            )
        label = m["label"].strip()
        listings.setdefault(
            fm["id"],
            Listing(fm["id"], target, label, m["format"].lower(), published, kind_of_label(label)),
        )
    return ProviderPage(urn, name, url, tuple(listings.values()))


def _date(text: str) -> date | None:
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(" ".join(text.split()), fmt).date()
        except ValueError:
            continue
    return None
