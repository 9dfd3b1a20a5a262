"""Sync over the whole fake archive (tests/sync/archive.py: 158 council pages, about 1,080
publications), meeting what a whole-archive sync meets on Ofsted's real site: a listing it
cannot read, documents gone at the source, an address that answers "not found" with 200, a
search whose stated total is wrong, a site that refuses before it answers, a label no pattern
knows.

The first sync of the archive, with all of these at once, is run once for the module (about
ten seconds); each test then asserts its part of it, or copies its store and syncs again.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from archive import (
    CUMBRIA_OLD_URN,
    GONE_2012,
    HULL,
    INSPECTION,
    NORFOLK,
    VISIT,
    build_archive,
    fetched_kinds,
)
from sqlalchemy import select

from ofsted_csc import api
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import SiteRefused
from ofsted_csc.domain.publications import GONE_RECHECK_DAYS, PublicationKind
from ofsted_csc.services.sync import SyncOptions, SyncReport, UnreadableListing, run_sync
from ofsted_csc.sources.fakesite import FakeDoc, FakeSite
from ofsted_csc.sources.http import Fetcher, Politeness
from ofsted_csc.storage.models import WebProviderRow, WebPublicationRow

DAY = date(2026, 11, 22)
LEEDS, OLDHAM = load_registry().lookup("Leeds").urn, load_registry().lookup("Oldham").urn
ROTHERHAM_2012 = "50004183"
# INVENTED: a listing whose hidden text has no date, on Leeds's page
UNREADABLE = FakeDoc(
    "51999902", INSPECTION, date(2016, 3, 1), data=b"", described=f"{INSPECTION}, pdf"
)


def refused_doc(site: FakeSite) -> str:
    """A focused visit of Leeds's that the site refuses once (429), then gives."""
    return next(d.file_id for d in site.councils[LEEDS].docs if d.label == VISIT)


def archive() -> FakeSite:
    """The archive with this module's oddities: those archive.py gives it, and an unreadable
    listing; Rotherham's 2012 report answers 404 (INVENTED: on the real site all four answer
    200); the search, a council page and a document are refused before they are given."""
    site = build_archive()
    site.councils[LEEDS].docs.append(UNREADABLE)
    site.gone[ROTHERHAM_2012] = 404
    site.fail("/search", 403, "403:1")
    site.fail(f"/provider/44/{OLDHAM}", 403)
    site.fail(f"/v1/file/{refused_doc(site)}", "429:2")
    return site


def sync(db: Path, site: FakeSite, cache: Path, *, today: date = DAY, **options: Any) -> SyncReport:
    with (
        api.open_store(f"sqlite:///{db}") as store,
        Fetcher(
            Politeness(delay=0, backoff=0), site.client(), sleep=lambda seconds: None
        ) as fetcher,
    ):
        opts = SyncOptions(layout=site.layout, cache=cache, **options)
        return run_sync(store, fetcher, opts, today=today)


@dataclass
class First:
    site: FakeSite
    report: SyncReport
    db: Path


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> First:
    folder = tmp_path_factory.mktemp("archive")
    site = archive()
    report = sync(folder / "first.sqlite", site, folder / "cache")
    return First(site, report, folder / "first.sqlite")


@pytest.fixture
def again(first: First, tmp_path: Path) -> Iterator[tuple[Path, FakeSite]]:
    """A copy of the store after the first sync, and the archive as it was then (without the
    unreadable listing, so that what a later sync reports is the test's own)."""
    db = tmp_path / "again.sqlite"
    shutil.copy(first.db, db)
    site = archive()
    site.faults.clear()
    site.councils[LEEDS].docs.remove(UNREADABLE)
    yield db, site


def rows(db: Path, table: Any) -> list[Any]:
    with api.open_store(f"sqlite:///{db}") as store, store.session() as s:
        return list(s.scalars(select(table)))


def test_the_first_sync_of_the_whole_archive_stores_all_it_can_read(first: First) -> None:
    report, site = first.report, first.site
    current = [c for c in load_registry().all() if c.abolished is None]
    assert report.search_found == report.search_total == len(current) == 153
    assert report.pages_read == 158  # and the five abolished councils, by their URNs
    wanted = sum(len(docs) for docs in fetched_kinds(site).values()) - 1  # less the unreadable
    assert report.wanted == wanted and 850 < wanted < 950
    assert len(report.new) == wanted - len(GONE_2012)  # all else: stored
    assert report.refused == [] and report.failed == [] and report.unreadable_pages == []
    with api.open_store(f"sqlite:///{first.db}") as store:
        stored = len(store.inspections()) + len(store.letters())
    assert stored == len(report.new)


def test_one_unreadable_listing_is_reported_with_its_page_and_text_and_nothing_else_lost(
    first: First,
) -> None:
    leeds = first.site.layout.provider_url(LEEDS)
    assert first.report.unreadable_listings == [
        UnreadableListing(
            "Leeds",
            leeds,
            "Children's services inspection, pdf",
            f"{first.site.layout.files}51999902",
            'a description not of the form "Children\'s services inspection, pdf - 09 May 2025"',
        )
    ]
    assert first.report.needs_attention
    # Leeds's other publications are stored like everyone's
    leeds_rows = [r for r in rows(first.db, WebPublicationRow) if r.provider_urn == LEEDS]
    assert leeds_rows and {r.status for r in leeds_rows if r.kind != "send"} <= {"stored"}


def test_the_label_shapes_seen_on_the_real_site_are_read(first: First) -> None:
    """Hull's " as pdf" listing and Norfolk's two spaces after the comma (archive.py)."""
    odd = {
        d.file_id: d
        for urn in (HULL, NORFOLK)
        for d in first.site.councils[urn].docs
        if d.described is not None
    }
    assert len(odd) == 2
    by_id = {r.file_id: r for r in rows(first.db, WebPublicationRow)}
    for file_id, doc in odd.items():
        row = by_id[file_id]
        assert (row.label, row.published, row.status) == (doc.label, doc.published, "stored")
    assert by_id[next(iter(odd))].label in (
        INSPECTION,
        "Single inspection of LA children's services",
    )


def test_documents_gone_at_the_source_are_said_once_and_fail_no_later_sync(
    first: First, again: tuple[Path, FakeSite], tmp_path: Path
) -> None:
    said = {o.publication.file_id: o.reasons for o in first.report.gone}
    page_200 = ("Ofsted's “Report not found” page, served with HTTP 200",)
    assert said == {
        "50004178": page_200,
        "50004190": page_200,
        "50004185": page_200,
        ROTHERHAM_2012: ("HTTP 404 Not Found",),
    }
    gone = {r.file_id: r for r in rows(first.db, WebPublicationRow) if r.status == "gone"}
    assert {f: (r.gone_on, r.gone_status) for f, r in gone.items()} == {
        "50004178": (DAY, 200),
        "50004190": (DAY, 200),
        "50004185": (DAY, 200),
        ROTHERHAM_2012: (DAY, 404),
    }
    db, site = again
    later = sync(db, site, tmp_path / "cache", today=DAY + timedelta(days=7))
    assert not set(site.documents_served()) & set(GONE_2012)  # not asked for again
    assert later.gone == [] and later.outcomes == [] and not later.needs_attention
    # after the interval they are asked for once more: still gone, and no failure
    site.log.clear()
    much_later = DAY + timedelta(days=GONE_RECHECK_DAYS)
    checked = sync(db, site, tmp_path / "cache", today=much_later)
    assert sorted(site.documents_served()) == sorted(GONE_2012)
    assert len(checked.still_gone) == 4 and checked.gone == [] and not checked.needs_attention
    assert {r.gone_on for r in rows(db, WebPublicationRow) if r.status == "gone"} == {much_later}


def test_a_gone_document_is_asked_for_again_on_request_and_stored_if_it_is_back(
    again: tuple[Path, FakeSite], tmp_path: Path
) -> None:
    db, site = again
    blackpool = site.doc("50004178")
    # INVENTED: the document is back (with another document's content, held already)
    blackpool.data = next(d for d in site.councils[OLDHAM].docs if d.data).content()
    del site.gone["50004178"]
    quiet = sync(db, site, tmp_path / "cache", today=DAY + timedelta(days=1))
    assert quiet.outcomes == []
    asked = sync(db, site, tmp_path / "cache", today=DAY + timedelta(days=1), recheck_gone=True)
    assert sorted(site.documents_served()) == sorted(GONE_2012)
    outcomes = {o.publication.file_id: o.outcome for o in asked.outcomes}
    assert outcomes.pop("50004178") == "held"  # its content is another council's, held
    assert set(outcomes.values()) == {"still_gone"}


def test_an_address_that_answers_not_found_with_200_is_never_a_council(
    first: First, again: tuple[Path, FakeSite], tmp_path: Path
) -> None:
    # an abolished council's other URN: passed over, not stored, not a problem
    providers = {r.urn: r for r in rows(first.db, WebProviderRow)}
    assert CUMBRIA_OLD_URN not in providers
    assert "Report not found" not in {r.name for r in providers.values()}
    # a current council's page answering so: reported; its publications are not taken for
    # gone from the page, nor the council for renamed
    db, site = again
    site.soft_missing.add(OLDHAM)
    later = sync(db, site, tmp_path / "cache")
    assert later.unreadable_pages == [
        (
            "Oldham",
            f"Ofsted's site answers “Report not found” at {site.layout.provider_url(OLDHAM)} (HTTP 200)",
        )
    ]
    assert later.vanished == [] and later.renamed == [] and later.needs_attention
    assert {r.urn: r.name for r in rows(db, WebProviderRow)}[OLDHAM] == "Oldham Council"
    oldham = [r for r in rows(db, WebPublicationRow) if r.provider_urn == OLDHAM]
    assert oldham and all(r.vanished_on is None for r in oldham)


def test_a_site_that_refuses_then_answers_is_asked_again_and_nothing_fails(first: First) -> None:
    report, site = first.report, first.site
    assert report.retries == 4  # the search twice, Oldham's page, a document
    assert report.refusal is None and report.failed == []
    assert any(o.publication.file_id == refused_doc(site) for o in report.new)
    assert all(agent.startswith("ofsted-csc/") for agent in site.agents)  # the honest one


def test_a_site_that_keeps_refusing_is_named_and_stops_nothing_it_had_read(
    again: tuple[Path, FakeSite], tmp_path: Path
) -> None:
    db, site = again
    with pytest.raises(SiteRefused) as caught:
        site.fail("/search", *[403] * 4)
        sync(db, site, tmp_path / "cache")
    message = caught.value.message
    assert (
        "Ofsted's site refused ofsted-csc's requests (HTTP 403 Forbidden (4 attempts))" in message
    )
    assert "Nothing was stored" in message and "OFSTED_CSC_CONTACT" in message
    assert "identity sent was “ofsted-csc/" in message


def test_a_label_no_pattern_knows_is_listed_reported_once_and_not_fetched(
    first: First, again: tuple[Path, FakeSite], tmp_path: Path
) -> None:
    [unknown] = first.report.unknown_labels
    assert (unknown.label, unknown.council, unknown.kind) == (
        "Children's services assurance visit",
        "Kingston upon Hull",
        PublicationKind.UNKNOWN.value,
    )
    assert unknown.file_id not in first.site.documents_served()
    row = next(r for r in rows(first.db, WebPublicationRow) if r.file_id == unknown.file_id)
    assert (row.status, row.kind) == ("listed", "unknown")
    db, site = again
    assert sync(db, site, tmp_path / "cache").unknown_labels == []  # said once
    fetched = sync(db, site, tmp_path / "cache", kinds=(PublicationKind.UNKNOWN,))
    assert site.documents_served()[-1] == unknown.file_id  # asked for: fetched
    assert [o.publication.file_id for o in fetched.refused] == [unknown.file_id]


@pytest.mark.parametrize(
    ("stated", "note"),
    [
        (40, "the search said it holds 40 results; it listed 153 councils (all of them read)"),
        (400, "the search said it holds 400 results; it listed 153 councils (all of them read)"),
        (None, None),  # no count at all
    ],
)
def test_a_wrong_search_total_either_way_loses_no_council_and_stops_nothing(
    tmp_path: Path, stated: int | None, note: str | None
) -> None:
    site = build_archive()
    if stated is None:
        site.states_total = False
    site.stated_total = stated
    report = sync(tmp_path / "x.sqlite", site, tmp_path / "cache", dry_run=True)
    assert report.search_found == 153 and report.search_note == note
    assert report.search_total == stated
    assert report.not_in_search == ["Bournemouth", "Cumbria", "Dorset", "Northamptonshire", "Poole"]
    assert report.search_pages == 3  # 100, 53, then a page with none new


def test_a_search_that_shows_fewer_rows_than_asked_is_paged_to_the_end(tmp_path: Path) -> None:
    site = build_archive()
    site.max_rows = 50  # INVENTED: a site that caps its pages lower than sync asks
    report = sync(tmp_path / "x.sqlite", site, tmp_path / "cache", dry_run=True)
    assert (report.search_found, report.search_pages, report.search_note) == (153, 5, None)
