"""Reading Ofsted's pages: fixture pages that follow the real markup as far as public evidence
shows it (tests/fixtures/site/README.md says what is real and what is invented)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ofsted_csc.domain.errors import SiteChanged
from ofsted_csc.domain.publications import (
    OFSTED,
    PublicationKind,
    kind_of_label,
    parse_kinds,
)
from ofsted_csc.sources.site import (
    PageNotFound,
    read_provider_page,
    read_search_page,
    sniff_web_page,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SITE = FIXTURES / "site"
NOT_FOUND = FIXTURES / "bad" / "html_saved_as.pdf"  # the site's real "Report not found" page
SEARCH_URL = OFSTED.search_url(0)
HULL_URL = OFSTED.provider_url("80477")


def page(name: str) -> str:
    return (SITE / name).read_text(encoding="utf-8")


def listing_page(*links: str) -> str:
    """A council page with these publication links (INVENTED furniture: only the links
    matter)."""
    return "<h1 class='heading--title'>X</h1>" + "".join(links)


def link(described: str, href: str = "https://files.ofsted.gov.uk/v1/file/1") -> str:
    return (
        f"<a class='publication-link' href='{href}'><span class='nonvisual'>{described}</span></a>"
    )


def test_search_page_gives_each_council_with_its_urn_type_and_the_total() -> None:
    found = read_search_page(page("search.html"), SEARCH_URL)
    assert found.total == 3
    assert [(p.urn, p.provider_type, p.name) for p in found.providers] == [
        ("80477", "44", "Kingston upon Hull City Council"),
        ("80535", "44", "Oldham Metropolitan Borough Council"),
        ("2637539", "44", "North Northamptonshire Council"),
    ]
    # relative links are made absolute on the page's host
    assert found.providers[0].url == "https://reports.ofsted.gov.uk/provider/44/80477"


def test_search_page_without_council_links_reads_as_no_councils() -> None:
    """Whether that is a change of the site depends on which page it is: sync decides
    (tests/sync/test_sync.py: a first page without councils stops the sync)."""
    found = read_search_page(page("search_broken.html"), SEARCH_URL)
    assert found.providers == () and found.total is None


def test_search_that_answers_with_the_not_found_page_is_not_read_as_results() -> None:
    with pytest.raises(PageNotFound) as caught:
        read_search_page(NOT_FOUND.read_text(encoding="utf-8"), SEARCH_URL)
    assert caught.value.title == "Report not found"


def test_hull_page_lists_every_publication_with_kind_date_and_link() -> None:
    hull = read_provider_page(page("provider.html"), HULL_URL, "80477", OFSTED)
    assert hull.name == "Kingston upon Hull City Council"
    assert hull.unreadable == ()
    got = {(p.file_id, p.label, p.kind, p.published, p.format) for p in hull.listings}
    inspection = "Children's services inspection"
    assert got == {
        ("50301678", inspection, PublicationKind.INSPECTIONS, date(2026, 5, 18), "pdf"),
        ("50204403", inspection, PublicationKind.INSPECTIONS, date(2023, 1, 13), "pdf"),
        ("50078220", inspection, PublicationKind.INSPECTIONS, date(2019, 5, 17), "pdf"),
        # the real 2015 label: " as pdf", no comma
        (
            "50000289",
            "Single inspection of LA children's services",
            PublicationKind.INSPECTIONS,
            date(2015, 2, 10),
            "pdf",
        ),
        # INVENTED listings, one of each other kind
        (
            "50260011",
            "Children's services focused visit",
            PublicationKind.LETTERS,
            date(2024, 11, 8),
            "pdf",
        ),
        ("50298800", "Area SEND full inspection", PublicationKind.SEND, date(2026, 2, 20), "pdf"),
        (
            "50180002",
            "Joint targeted area inspection",
            PublicationKind.JTAI,
            date(2022, 3, 2),
            "pdf",
        ),
        (
            "50158804",
            "Children's services assurance visit",
            PublicationKind.UNKNOWN,
            date(2020, 12, 4),
            "pdf",
        ),
    }
    by_id = {p.file_id: p for p in hull.listings}
    assert by_id["50301678"].url == "https://files.ofsted.gov.uk/v1/file/50301678"


def test_a_page_without_hidden_descriptions_is_a_site_change() -> None:
    with pytest.raises(SiteChanged) as caught:
        read_provider_page(page("provider_broken.html"), HULL_URL, "80477", OFSTED)
    assert caught.value.url == HULL_URL
    assert "span.nonvisual" in caught.value.expected
    assert "none of its 8 links could be read" in caught.value.expected


@pytest.mark.parametrize(
    "described",
    [
        "Children's services inspection,  pdf - 16 August 2013",  # two spaces (Norfolk 2013)
        "Children's services inspection,\u00a0 pdf - 16 August 2013",  # a no-break space
        "Children's services inspection,\u200b pdf - 16 August 2013",  # a zero-width space
        "Children's services inspection , pdf – 16 August 2013",  # INVENTED: en dash
        "Children's services inspection as pdf - 16 August 2013",  # " as " (Hull 2015)
        "Children's services inspection, PDF - 16 Aug 2013",  # INVENTED: short month, capitals
    ],
)
def test_listing_texts_of_the_shapes_seen_are_read(described: str) -> None:
    read = read_provider_page(listing_page(link(described)), HULL_URL, "80477", OFSTED)
    [one] = read.listings
    assert (one.label, one.format, one.published) == (
        "Children's services inspection",
        "pdf",
        date(2013, 8, 16),
    )


@pytest.mark.parametrize(
    ("bad", "problem", "file_id"),
    [
        (
            link("Children's services inspection, pdf"),  # INVENTED: no date
            "a description not of the form",
            "1",
        ),
        (
            link("Children's services inspection, pdf - 31 Febtember 2025"),  # INVENTED
            "a description not of the form",
            "1",
        ),
        (
            link("Children's services inspection, pdf - 01 May 2025", href="/reports/1.pdf"),
            "a link that is not to a document",
            None,
        ),
        (
            "<a class='publication-link' href='https://files.ofsted.gov.uk/v1/file/1'>X</a>",
            "no hidden description (span.nonvisual)",
            "1",
        ),
    ],
)
def test_an_unreadable_listing_is_set_apart_and_the_others_read(
    bad: str, problem: str, file_id: str | None
) -> None:
    good = link(
        "Children's services focused visit, pdf - 02 May 2025",
        "https://files.ofsted.gov.uk/v1/file/2",
    )
    read = read_provider_page(listing_page(bad, good), HULL_URL, "80477", OFSTED)
    assert [p.file_id for p in read.listings] == ["2"]
    [unread] = read.unreadable
    assert unread.problem.startswith(problem)
    assert unread.file_id == file_id


def test_a_page_whose_links_can_none_be_read_is_a_site_change_naming_what_was_expected() -> None:
    html = listing_page(link("Inspection"), link("Visit", "https://files.ofsted.gov.uk/v1/file/2"))
    with pytest.raises(SiteChanged) as caught:
        read_provider_page(html, HULL_URL, "80477", OFSTED)
    assert 'not "Inspection"' in caught.value.expected
    assert "none of its 2 links could be read" in caught.value.expected


def test_no_heading_is_a_site_change() -> None:
    with pytest.raises(SiteChanged, match=r"a heading \(h1\)"):
        read_provider_page("<p>no heading</p>", HULL_URL, "80477", OFSTED)


def test_a_council_address_that_answers_with_the_not_found_page_is_no_council() -> None:
    with pytest.raises(PageNotFound) as caught:
        read_provider_page(NOT_FOUND.read_text(encoding="utf-8"), HULL_URL, "80477", OFSTED)
    assert caught.value.title == "Report not found" and caught.value.url == HULL_URL


def test_old_file_host_and_relative_links_and_a_document_listed_twice() -> None:
    """INVENTED shapes (not seen on the real site): the old file host is rewritten, a relative
    link made absolute, a document listed twice kept once."""
    described = "Children's services inspection, pdf - 03 February 2015"
    html = listing_page(
        link(described, "https://files.api.ofsted.gov.uk/v1/file/50000289"),
        link(described, "https://files.api.ofsted.gov.uk/v1/file/50000289"),
        link(described, "/v1/file/2760004"),
    )
    read = read_provider_page(html, HULL_URL, "80477", OFSTED)
    assert [p.url for p in read.listings] == [
        "https://files.ofsted.gov.uk/v1/file/50000289",
        "https://reports.ofsted.gov.uk/v1/file/2760004",
    ]


def test_a_download_is_told_apart_as_document_not_found_page_or_other_web_page() -> None:
    gone = sniff_web_page(NOT_FOUND.read_bytes())
    assert gone is not None and gone.not_found and gone.title == "Report not found"
    other = sniff_web_page(b"<!DOCTYPE html><html><title>Service unavailable</title></html>")
    assert other is not None and not other.not_found and other.title == "Service unavailable"
    assert sniff_web_page(b"%PDF-1.7\n...") is None
    assert sniff_web_page(b"PK\x03\x04 a Word file") is None  # the reader refuses it


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        # SEEN on council pages
        ("Children's services inspection", PublicationKind.INSPECTIONS),
        ("Single inspection of LA children's services", PublicationKind.INSPECTIONS),
        # GUESSED from the documents' own titles
        ("Inspection of local authority children's services", PublicationKind.INSPECTIONS),
        ("Review of the Local Safeguarding Children Board", PublicationKind.INSPECTIONS),
        ("Children’s services focused visit", PublicationKind.LETTERS),
        ("Monitoring visit", PublicationKind.LETTERS),
        ("Joint targeted area inspection", PublicationKind.JTAI),
        ("Area SEND full inspection", PublicationKind.SEND),
        ("Inspection of youth offending work", PublicationKind.OTHER),
        # no pattern knows them: not taken for inspections because they say "children's
        # services"
        ("Children's services assurance visit", PublicationKind.UNKNOWN),
        ("Children's services inspection addendum", PublicationKind.UNKNOWN),
        ("Annual conversation", PublicationKind.UNKNOWN),
    ],
)
def test_listing_labels_map_to_the_kinds_users_ask_for(label: str, kind: PublicationKind) -> None:
    assert kind_of_label(label) is kind


def test_kinds_option() -> None:
    assert parse_kinds("letters, inspections,letters") == (
        PublicationKind.LETTERS,
        PublicationKind.INSPECTIONS,
    )
    assert set(parse_kinds("all")) == set(PublicationKind)
    assert parse_kinds("unknown") == (PublicationKind.UNKNOWN,)
    with pytest.raises(ValueError, match="unknown kind reports"):
        parse_kinds("inspections,reports")


def test_a_document_listed_twice_once_readably_is_read_and_not_reported() -> None:
    """INVENTED shape: the same file listed twice, once with an odd description."""
    html = listing_page(
        link("Children's services inspection, pdf"),
        link("Children's services inspection, pdf - 01 May 2025"),
    )
    read = read_provider_page(html, HULL_URL, "80477", OFSTED)
    assert [p.file_id for p in read.listings] == ["1"] and read.unreadable == ()
