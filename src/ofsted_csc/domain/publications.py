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
    OTHER = "other"  # anything else listed on a council's page


DEFAULT_KINDS = (PublicationKind.INSPECTIONS, PublicationKind.LETTERS)

# What the listings say, first match wins (lower case, "'" and "’" alike). Seen on council
# pages: "Children's services inspection", "Children's services focused visit",
# "Joint area child protection inspection", "Area SEND full inspection".
LABEL_PATTERNS: tuple[tuple[PublicationKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (PublicationKind.SEND, r"\bsend\b|special educational needs"),
        (PublicationKind.JTAI, r"\bjoint\b|\bjtai\b"),
        (PublicationKind.LETTERS, r"focused visit|monitoring visit"),
        (
            PublicationKind.INSPECTIONS,
            r"children's services inspection|inspection of (local authority )?children's "
            r"services|services for children in need|safeguarding and looked after|"
            r"looked after children|safeguarding children board|\blscb\b|"
            r"children's services|children's social care",
        ),
    )
)


def kind_of_label(label: str) -> PublicationKind:
    """The group a listing's label belongs to ("Children's services inspection" ->
    inspections); labels not known are OTHER."""
    text = label.lower().replace("’", "'")
    for kind, pattern in LABEL_PATTERNS:
        if pattern.search(text):
            return kind
    return PublicationKind.OTHER


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

    def search_url(self, start: int) -> str:
        return f"{self.reports}/search?{self.search_query}&start={start}&rows={self.rows_per_page}"

    def provider_url(self, urn: str, provider_type: str | None = None) -> str:
        return f"{self.reports}/provider/{provider_type or self.provider_type}/{urn}"


OFSTED = SiteLayout()

# Documents were served from this host before files.ofsted.gov.uk; old links are rewritten.
LEGACY_FILE_HOSTS = ("files.api.ofsted.gov.uk",)

# A provider page link: /provider/<type>/<URN> (absolute or relative).
PROVIDER_PATH = re.compile(r"/provider/(?P<type>\d+)/(?P<urn>\d+)/?$")

# A document link's last segment is Ofsted's file id (safe as a file name).
FILE_PATH = re.compile(r"/file/(?P<id>[A-Za-z0-9_-]{1,60})/?$")

# The hidden text of a publication link: "<label>, <format> - <day> <Month> <year>".
LISTING_TEXT = re.compile(
    r"^\s*(?P<label>.+?),\s*(?P<format>[A-Za-z]+)\s*[-–]\s*(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})\s*$"
)

# "153 results" or "Showing 1 to 100 of 153": the search's total.
RESULT_COUNT = re.compile(r"(?:of\s+)?(?P<n>\d[\d,]*)\s+results?\b|\bof\s+(?P<m>\d[\d,]*)\b", re.I)
