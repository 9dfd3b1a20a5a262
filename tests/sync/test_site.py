"""Reading Ofsted's pages: recorded-style fixture pages (tests/fixtures/site)."""

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
from ofsted_csc.sources.site import read_provider_page, read_search_page

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
SEARCH_URL = OFSTED.search_url(0)
HULL_URL = OFSTED.provider_url("80477")


def page(name: str) -> str:
    return (SITE / name).read_text(encoding="utf-8")


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


def test_search_page_without_council_links_is_a_site_change_naming_the_page() -> None:
    with pytest.raises(SiteChanged) as caught:
        read_search_page(page("search_broken.html"), SEARCH_URL)
    assert caught.value.url == SEARCH_URL
    assert "/provider/<type>/<URN>" in caught.value.message
    assert "Nothing was stored" in caught.value.message


def test_empty_search_page_that_says_zero_results_is_not_a_change() -> None:
    html = "<html><body><h1>Search</h1><p>0 results</p></body></html>"
    assert read_search_page(html, SEARCH_URL).providers == ()


def test_provider_page_lists_every_publication_with_kind_date_and_link() -> None:
    hull = read_provider_page(page("provider.html"), HULL_URL, "80477", OFSTED)
    assert hull.name == "Kingston upon Hull City Council"
    got = {(p.file_id, p.kind, p.published, p.format) for p in hull.listings}
    assert got == {
        ("50301678", PublicationKind.INSPECTIONS, date(2026, 5, 11), "pdf"),
        ("50298800", PublicationKind.SEND, date(2026, 2, 20), "pdf"),
        ("50240011", PublicationKind.LETTERS, date(2023, 11, 9), "pdf"),  # "9 Nov" and ’
        ("50180002", PublicationKind.JTAI, date(2022, 3, 2), "pdf"),
        ("50120003", PublicationKind.LETTERS, date(2019, 6, 14), "pdf"),
        ("50000289", PublicationKind.INSPECTIONS, date(2015, 2, 3), "pdf"),  # listed twice
        ("2760004", PublicationKind.OTHER, date(2013, 1, 30), "pdf"),
    }
    by_id = {p.file_id: p for p in hull.listings}
    assert by_id["50301678"].label == "Children's services inspection"
    assert by_id["50301678"].url == "https://files.ofsted.gov.uk/v1/file/50301678"
    # the old file host is rewritten to the current one
    assert by_id["50000289"].url == "https://files.ofsted.gov.uk/v1/file/50000289"
    # a relative link is made absolute on the page's host
    assert by_id["2760004"].url == "https://reports.ofsted.gov.uk/v1/file/2760004"


def test_provider_page_without_hidden_descriptions_is_a_site_change() -> None:
    with pytest.raises(SiteChanged) as caught:
        read_provider_page(page("provider_broken.html"), HULL_URL, "80477", OFSTED)
    assert caught.value.url == HULL_URL
    assert "span.nonvisual" in caught.value.expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<h1>X</h1><a class='publication-link' href='/v1/file/1'>"
            "<span class='nonvisual'>Children's services inspection, pdf</span></a>",
            "publication descriptions like",
        ),
        (
            "<h1>X</h1><a class='publication-link' href='/v1/file/1'>"
            "<span class='nonvisual'>Children's services inspection, pdf - 31 Febtember 2025</span></a>",
            "publication descriptions like",
        ),
        (
            "<h1>X</h1><a class='publication-link' href='/reports/1.pdf'>"
            "<span class='nonvisual'>Children's services inspection, pdf - 01 May 2025</span></a>",
            "publication links to documents at",
        ),
        ("<p>no heading</p>", "a heading (h1)"),
    ],
)
def test_each_broken_expectation_is_named(html: str, expected: str) -> None:
    with pytest.raises(SiteChanged) as caught:
        read_provider_page(html, HULL_URL, "80477", OFSTED)
    assert expected in caught.value.expected


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Children's services inspection", PublicationKind.INSPECTIONS),
        ("Inspection of local authority children's services", PublicationKind.INSPECTIONS),
        ("Review of the Local Safeguarding Children Board", PublicationKind.INSPECTIONS),
        ("Children’s services focused visit", PublicationKind.LETTERS),
        ("Children's services monitoring visit", PublicationKind.LETTERS),
        ("Joint targeted area inspection", PublicationKind.JTAI),
        ("Joint area child protection inspection", PublicationKind.JTAI),
        ("Area SEND full inspection", PublicationKind.SEND),
        ("Local area SEND revisit", PublicationKind.SEND),
        ("Inspection of youth offending work", PublicationKind.OTHER),
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
    with pytest.raises(ValueError, match="unknown kind reports"):
        parse_kinds("inspections,reports")
