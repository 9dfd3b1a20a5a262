"""Ofsted's website, as data: what its listings call each kind of publication, where its
pages and files live, and how a listing line is worded.

Sync (`ofsted_csc.sync`) reads the site through these tables only; when Ofsted renames a
kind of publication or moves its files, this is the one place to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class PublicationKind(StrEnum):
    """The groups a user asks sync for (`--kinds`)."""

    INSPECTIONS = "inspections"  # SIF, ILACS, 2012-13 inspections, LSCB reviews
    LETTERS = "letters"  # focused visits and monitoring visits
    JTAI = "jtai"  # joint targeted area inspections (not read by ofsted-csc)
    SEND = "send"  # area SEND inspections (not read by ofsted-csc)
    OTHER = "other"  # recognised as none of the above (youth justice work, ...)
    UNKNOWN = "unknown"  # a label no pattern knows: listed and reported, fetched only if asked


DEFAULT_KINDS = (PublicationKind.INSPECTIONS, PublicationKind.LETTERS)

# What the listings say, first match wins (lower case, "'" and "’" alike, spaces single).
# Each pattern names what it rests on. SEEN: a label read from Ofsted's council pages (Data to
# Insight's daily ILACS scrape saves each report under its listing's hidden text, e.g.
# "children's services inspection - 13 july 2012" for Blackpool's 2012 report, and
# "single inspection of la children's services as pdf - 10 february 2015" for Hull's 2015
# one). GUESSED: a label sync has never seen; the words are those of the documents (letters
# title themselves "Focused visit to ...", "Monitoring visit to ..."; LSCB reviews "Review of
# the effectiveness of the Local Safeguarding Children Board"). A label that matches nothing
# is UNKNOWN: listed, reported, and not fetched unless asked (`--kinds unknown`); there is no
# catch-all, so a label never seen cannot pass for an inspection.
LABEL_PATTERNS: tuple[tuple[PublicationKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (PublicationKind.SEND, r"\bsend\b|special educational needs"),  # GUESSED
        (PublicationKind.JTAI, r"\bjoint\b|\bjtai\b"),  # GUESSED
        (PublicationKind.LETTERS, r"\bfocused visit|\bmonitoring visit"),  # GUESSED
        (
            PublicationKind.INSPECTIONS,
            r"^children's services inspection$"  # SEEN (2012 to 2026)
            r"|^single inspection of (la|local authority) children's services$"  # SEEN (2015)
            r"|inspection of (local authority )?children's services"  # GUESSED (ILACS titles)
            r"|services for children in need of help and protection"  # GUESSED (SIF title)
            r"|safeguarding and looked after children"  # GUESSED (2009-12 SLAC)
            r"|looked after children services"  # GUESSED (2013)
            r"|child protection (re-)?inspection"  # GUESSED (2012-13)
            r"|local safeguarding children board|\blscb\b",  # GUESSED (SIF LSCB reviews)
        ),
        (PublicationKind.OTHER, r"youth offending|youth justice"),  # GUESSED
    )
)


def kind_of_label(label: str) -> PublicationKind:
    """The group a listing's label belongs to ("Children's services inspection" ->
    inspections); a label no pattern knows is UNKNOWN."""
    text = " ".join(label.lower().replace("’", "'").split())
    for kind, pattern in LABEL_PATTERNS:
        if pattern.search(text):
            return kind
    return PublicationKind.UNKNOWN


def parse_kinds(text: str) -> tuple[PublicationKind, ...]:
    """`--kinds inspections,letters` (or `all`) -> the groups; unknown names raise
    ValueError naming the ones allowed."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if names == ["all"]:
        return tuple(PublicationKind)
    allowed = {k.value for k in PublicationKind}
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        raise ValueError(
            f"unknown kind {', '.join(unknown) or '(none given)'}: use a comma-separated list "
            f"of {', '.join(sorted(allowed))}, or all"
        )
    return tuple(PublicationKind(n) for n in dict.fromkeys(names))


@dataclass(frozen=True)
class SiteLayout:
    """Where things are on Ofsted's site; a test or a mirror passes its own."""

    reports: str = "https://reports.ofsted.gov.uk"
    files: str = "https://files.ofsted.gov.uk/v1/file/"
    # local authority children's services providers
    search_query: str = "q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
    rows_per_page: int = 100  # the site's cap since February 2025
    # /provider/<type>/<URN>: 44 is the local authority type seen in Ofsted's statistics
    provider_type: str = "44"

    def file_url(self, file_id: str) -> str:
        """Ofsted's permanent address of a file by its id."""
        return f"{self.files}{file_id}"

    def search_url(self, start: int) -> str:
        return f"{self.reports}/search?{self.search_query}&start={start}&rows={self.rows_per_page}"

    def provider_url(self, urn: str, provider_type: str | None = None) -> str:
        return f"{self.reports}/provider/{provider_type or self.provider_type}/{urn}"


OFSTED = SiteLayout()

# A file named as Ofsted's file store and sync name it: its file id and .pdf (50282103.pdf).
_FILE_ID_NAME = re.compile(r"(?P<id>[0-9]{5,12})\.pdf", re.IGNORECASE)


def file_id_of_name(file_name: str) -> str | None:
    """The Ofsted file id a file's name gives (`50282103.pdf` -> "50282103"), or None: a
    link is never guessed from any other name."""
    m = _FILE_ID_NAME.fullmatch(file_name.replace("\\", "/").rsplit("/", 1)[-1])
    return m["id"] if m else None


def known_file_id(synced: str | None, file_name: str | None) -> str | None:
    """A stored document's Ofsted file id: the one sync recorded from Ofsted's listing,
    else the one its file name gives, else None (never guessed)."""
    if synced:
        return synced
    return file_id_of_name(file_name) if file_name else None


# Documents were served from this host before files.ofsted.gov.uk; old links are rewritten.
LEGACY_FILE_HOSTS = ("files.api.ofsted.gov.uk",)

# A provider page link: /provider/<type>/<URN> (absolute or relative).
PROVIDER_PATH = re.compile(r"/provider/(?P<type>\d+)/(?P<urn>\d+)/?$")

# A document link's last segment is Ofsted's file id (safe as a file name).
FILE_PATH = re.compile(r"/file/(?P<id>[A-Za-z0-9_-]{1,60})/?$")

# The hidden text of a publication link (span.nonvisual, read every day by Data to Insight's
# scrape): "<label>, <format> - <day> <Month> <year>". Variants seen: "9 Nov 2023" (short
# month), an en dash, more than one space after the comma (Norfolk's 2013 listing, saved by
# that scrape as "children's services inspection,  pdf - 16 august 2013"), and " as " for
# the comma (Hull's 2015 "Single inspection of LA children's services as pdf - 10 February
# 2015"). The text is read with its white space made single spaces and zero-width characters
# removed (`listing_text`), so odd spacing of any kind reads alike.
LISTING_TEXT = re.compile(
    r"^\s*(?P<label>.+?)(?:\s*,\s*|\s+as\s+)(?P<format>[A-Za-z]{2,5})\s*[-–—]\s*"
    r"(?P<date>\d{1,2}\s+[A-Za-z]+\.?\s+\d{4})\s*$"
)

# Characters that take no space: removed before a listing's text is read.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def listing_text(text: str) -> str:
    """A listing's hidden text as it is matched: zero-width characters removed, every run of
    white space (non-breaking spaces too) one space."""
    return " ".join(text.translate(ZERO_WIDTH).split())


# "153 results" or "Showing 1 to 100 of 153": the search's total. Where Ofsted puts the count
# has not been seen (a count in the results heading, by one account): sync pages through the
# search until a page brings no council it has not seen, and uses the total only as a
# cross-check that it reports.
RESULT_COUNT = re.compile(r"(?:of\s+)?(?P<n>\d[\d,]*)\s+results?\b|\bof\s+(?P<m>\d[\d,]*)\b", re.I)

# Ofsted's "not found" page, which the site serves, with status 200 as often as 404, for a
# document that no longer exists (SEEN: four 2012 reports, of Blackpool, Birmingham, Bromley
# and Rotherham, answer with it; tests/fixtures/bad/html_saved_as.pdf is one) and, it may be,
# for a provider address that no longer exists. Recognised by its title or main heading.
NOT_FOUND_HEADINGS = re.compile(
    r"^(report not found"  # SEEN: title "Report not found - Find an Inspection Report - Ofsted"
    r"|page not found"  # GUESSED: a generic missing page
    r")\b",
    re.I,
)
NOT_FOUND_TEXT = "Sorry, the document you requested no longer exists."  # SEEN, on that page

# A document Ofsted's site says is gone (its not-found page, or 404 / 410) is recorded as gone
# and not asked for again for this many days, unless a sync is asked to (`--recheck-gone`).
GONE_RECHECK_DAYS = 182
