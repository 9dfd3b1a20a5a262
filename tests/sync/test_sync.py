"""Sync against an Ofsted-like site (ofsted_csc.sources.fakesite) serving fixture PDFs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from syncsite import HULL, INSPECTION, NORTHANTS, OLDHAM, REPORTS, fetcher_for

from ofsted_csc import api
from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.errors import SiteChanged, SiteRefused, SiteUnavailable, SyncBusy
from ofsted_csc.domain.publications import PublicationKind
from ofsted_csc.domain.records import PublishedSource
from ofsted_csc.parsing.document import sha256_of
from ofsted_csc.services.sync import SyncOptions, SyncReport, run_sync
from ofsted_csc.sources.fakesite import FakeDoc, FakeSite, Interrupted
from ofsted_csc.sources.http import Fetcher, Politeness
from ofsted_csc.storage import Store, StoredThemes
from ofsted_csc.storage.models import Base, WebPublicationRow

WANTED = {"50000289", "50301678", "50004301", "50059651", "50260001", "50100009"}


@pytest.fixture
def store(db_url: str) -> Any:
    with api.open_store(db_url) as s:
        yield s


def sync(
    store: Store,
    site: FakeSite,
    registry: CouncilRegistry,
    tmp_path: Path,
    **options: Any,
) -> SyncReport:
    opts = SyncOptions(layout=site.layout, cache=tmp_path / "cache", **options)
    with fetcher_for(site) as fetcher:
        return run_sync(store, fetcher, opts, registry=registry, today=date(2026, 11, 22))


def snapshot(store: Store) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, for 'the store is exactly as it was'."""
    with store.engine.connect() as conn:
        return {
            table.name: sorted(tuple(map(str, row)) for row in conn.execute(select(table)))
            for table in Base.metadata.sorted_tables
        }


def listing(store: Store, file_id: str) -> WebPublicationRow:
    with store.session() as s:
        row = s.get(WebPublicationRow, file_id)
        assert row is not None
        return row


def test_first_sync_discovers_councils_and_stores_what_it_reads(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    result = sync(store, site, registry, tmp_path)
    assert result.pages_read == 4
    assert result.not_in_search == ["Northamptonshire"]  # abolished: reached by its URN
    assert result.listed == 7 and result.wanted == 6
    assert set(site.documents_served()) == WANTED  # the JTAI was not asked for
    assert {o.publication.file_id for o in result.new} == WANTED - {"50100009"}
    assert result.refused == [] and result.failed == []
    # the site's "Report not found" page in place of the document: gone, not the user's fault
    assert [(o.publication.file_id, o.reasons) for o in result.gone] == [
        ("50100009", ("Ofsted's “Report not found” page, served with HTTP 200",))
    ]
    inspections = {r.result.source.file_name: r.result.record for r in store.inspections()}
    assert set(inspections) == {"50000289.pdf", "50301678.pdf", "50004301.pdf", "50059651.pdf"}
    assert [r.result.source.file_name for r in store.letters()] == ["50260001.pdf"]
    # the listing's date replaces the PDF metadata's estimate; the report's own date stays
    hull_2026 = inspections["50301678.pdf"]
    assert (hull_2026.published, hull_2026.published_source) == (
        date(2026, 5, 18),
        PublishedSource.WEB_LISTING,
    )
    assert inspections["50000289.pdf"].published_source is PublishedSource.REPORT
    # the listing and link are kept with the document; the JTAI is remembered as listed
    kept = listing(store, "50301678")
    assert kept.url == f"{site.base}/v1/file/50301678"
    assert (kept.status, kept.label, kept.provider_urn) == ("stored", INSPECTION, HULL)
    assert kept.sha256 == store.find("50301678.pdf").result.source.sha256
    assert listing(store, "50000289").label == "Single inspection of LA children's services"
    assert listing(store, "50180002").status == "listed"
    gone = listing(store, "50100009")
    assert (gone.status, gone.gone_on, gone.gone_status) == ("gone", date(2026, 11, 22), 200)
    # cache emptied once stored
    assert list((tmp_path / "cache").glob("*")) == []


def test_sync_stores_each_documents_themes_in_its_transaction(
    store: Store,
    site: FakeSite,
    registry: CouncilRegistry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ofsted_csc.services import sync as sync_service
    from ofsted_csc.themes import analysis, current_classifier

    monkeypatch.setattr(sync_service, "retheme", lambda store: 0)  # the writer's own
    sync(store, site, registry, tmp_path)
    clf = current_classifier()
    held = [*store.inspections(), *store.letters()]
    assert len(held) == 5
    assert store.stored_themes() == {
        i.result.source.sha256: StoredThemes(
            clf.version, tuple(analysis.item_themes(i.result.record, clf))
        )
        for i in held
    }
    assert any(t.items for t in store.stored_themes().values())


def test_search_is_read_page_by_page(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    site.rows_per_page = 2
    result = sync(store, site, registry, tmp_path, dry_run=True)
    searches = [p for p in site.log if p == "/search"]
    # 2 councils, 1, then a page that brings none: the end
    assert result.search_pages == 3 and len(searches) == 3
    assert (result.search_total, result.search_found, result.search_note) == (3, 3, None)
    assert result.pages_read == 4


def test_second_sync_downloads_nothing(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    sync(store, site, registry, tmp_path)
    before = snapshot(store)
    served = len(site.documents_served())
    again = sync(store, site, registry, tmp_path)
    assert len(site.documents_served()) == served
    assert again.to_fetch == [] and again.outcomes == [] and again.vanished == []
    after = snapshot(store)
    # only the bookkeeping of the visit changes (last seen, one more run)
    for table in ("source_files", "inspections", "letters", "judgements", "recommendations"):
        assert after[table] == before[table]
    assert len(after["sync_runs"]) == 2


def test_a_new_publication_is_fetched_alone(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    oldham = site.councils[OLDHAM]
    added = oldham.docs.pop()  # 50059651 appears later
    sync(store, site, registry, tmp_path)
    oldham.docs.append(added)
    site.log.clear()
    result = sync(store, site, registry, tmp_path)
    assert site.documents_served() == ["50059651"]
    assert [(o.publication.file_id, o.outcome, o.publication.council) for o in result.new] == [
        ("50059651", "stored", "Oldham")
    ]
    assert store.find("50059651.pdf").result.record.published == date(2019, 3, 4)


def test_a_vanished_publication_is_reported_and_its_record_kept(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    sync(store, site, registry, tmp_path)
    hull = site.councils[HULL]
    gone = next(d for d in hull.docs if d.file_id == "50301678")
    hull.docs.remove(gone)
    result = sync(store, site, registry, tmp_path)
    assert [(p.file_id, p.council, p.published) for p in result.vanished] == [
        ("50301678", "Kingston upon Hull", date(2026, 5, 18))
    ]
    assert listing(store, "50301678").vanished_on == date(2026, 11, 22)
    assert store.find("50301678.pdf").result.record.council_urn == HULL
    # reported once, and back when it reappears
    assert sync(store, site, registry, tmp_path).vanished == []
    hull.docs.append(gone)
    back = sync(store, site, registry, tmp_path)
    assert [p.file_id for p in back.reappeared] == ["50301678"]
    assert listing(store, "50301678").vanished_on is None


def test_a_renamed_council_is_reported(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    sync(store, site, registry, tmp_path)
    site.councils[OLDHAM].name = "Oldham Council"
    result = sync(store, site, registry, tmp_path)
    assert result.renamed == [(OLDHAM, "Oldham Metropolitan Borough Council", "Oldham Council")]


def test_timeouts_and_5xx_are_retried(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    site.fail("/search", 503)
    site.fail(f"/provider/44/{OLDHAM}", "timeout", 502)
    site.fail("/v1/file/50004301", 500, "drop")
    result = sync(store, site, registry, tmp_path)
    assert result.retries == 5
    assert result.failed == [] and len(result.new) == 5


def test_a_document_the_server_cannot_give_is_failed_and_asked_for_at_the_next_sync(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    site.fail("/v1/file/50004301", 503, 503, 503, 503)
    result = sync(store, site, registry, tmp_path)
    assert [(o.publication.file_id, o.reasons) for o in result.failed] == [
        ("50004301", ("HTTP 503 Service Unavailable (4 attempts)",))
    ]
    assert len(result.new) == 4  # the others are stored
    assert listing(store, "50004301").status == "failed"
    site.log.clear()
    again = sync(store, site, registry, tmp_path)
    assert site.documents_served() == ["50004301"]
    assert [o.outcome for o in again.outcomes] == ["stored"]


def test_a_changed_page_stops_the_sync_and_leaves_the_store_untouched(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    site.councils[OLDHAM].docs.pop()
    sync(store, site, registry, tmp_path)
    before = snapshot(store)
    site.councils[OLDHAM].docs.append(
        FakeDoc("50059651", INSPECTION, date(2019, 3, 4), path=REPORTS / "50059651.pdf")
    )
    site.broken.add(HULL)
    site.log.clear()
    with pytest.raises(SiteChanged) as caught:
        sync(store, site, registry, tmp_path)
    assert caught.value.url == f"{site.base}/provider/44/{HULL}"
    assert "span.nonvisual" in caught.value.message and "Nothing was stored" in caught.value.message
    assert site.documents_served() == []  # nothing fetched either
    assert snapshot(store) == before


def test_a_page_that_suddenly_lists_nothing_is_a_change_not_a_mass_vanishing(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    sync(store, site, registry, tmp_path)
    before = snapshot(store)
    site.councils[OLDHAM].docs.clear()
    with pytest.raises(SiteChanged, match="listed 2 before and lists none now"):
        sync(store, site, registry, tmp_path)
    assert snapshot(store) == before


def test_search_that_cannot_be_read_stops_with_the_store_untouched(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    site.fail("/search", 503, 503, 503, 503)
    before = snapshot(store)
    with pytest.raises(SiteUnavailable, match="HTTP 503"):
        sync(store, site, registry, tmp_path)
    assert snapshot(store) == before


def test_an_interrupted_sync_stores_nothing_and_resumes_without_duplicates(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    site.interrupt_after = 3
    with pytest.raises(Interrupted):
        sync(store, site, registry, tmp_path)
    assert store.inspections() == [] and store.letters() == []
    assert store.sync_state().publications == {}
    first = site.documents_served()
    kept = {p.stem for p in (tmp_path / "cache").glob("*.pdf")}
    assert 1 <= len(kept) <= 3 and not list((tmp_path / "cache").glob("*.part"))
    site.interrupt_after = None
    result = sync(store, site, registry, tmp_path)
    second = site.documents_served()[len(first) :]
    assert result.resumed == len(kept)
    assert set(second) == WANTED - kept  # what was downloaded is not fetched again
    with store.engine.connect() as conn:
        shas = [r[0] for r in conn.exec_driver_sql("SELECT sha256 FROM source_files")]
    assert len(shas) == len(set(shas)) == 5
    assert len(store.inspections()) == 4 and len(store.letters()) == 1


def test_dry_run_reports_and_changes_nothing(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    before = snapshot(store)
    result = sync(store, site, registry, tmp_path, dry_run=True)
    assert {p.file_id for p in result.to_fetch} == WANTED
    assert site.documents_served() == [] and result.outcomes == []
    assert snapshot(store) == before


def test_council_since_and_kinds_narrow_the_sync(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    result = sync(
        store,
        site,
        registry,
        tmp_path,
        councils=("Hull",),
        since=date(2020, 1, 1),
        kinds=(PublicationKind.INSPECTIONS, PublicationKind.JTAI),
    )
    assert "/search" not in site.log  # a named council's page is read directly
    # Hull's 2015 report is older than --since; the JTAI was asked for
    assert sorted(site.documents_served()) == ["50180002", "50301678"]
    # the JTAI is fetched but is not a report ofsted-csc reads: refused with the reason
    assert [o.publication.file_id for o in result.refused] == ["50180002"]
    assert [o.publication.file_id for o in result.new] == ["50301678"]


def test_documents_already_held_are_not_downloaded_again(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path, fixtures_dir: Path
) -> None:
    # the user ingested the fixture folders before (reports named by Ofsted file id)
    api.ingest(store, [fixtures_dir / "reports", fixtures_dir / "letters"])
    result = sync(store, site, registry, tmp_path)
    # reports held by file id are not fetched; the letter (named by hash) is fetched,
    # found held by content and not stored twice
    assert set(site.documents_served()) == {"50260001", "50100009"}
    assert sorted(o.publication.file_id for o in result.held) == [
        "50000289",
        "50004301",
        "50059651",
        "50260001",
        "50301678",
    ]
    assert result.new == []
    assert store.find("50301678.pdf").result.record.published == date(2026, 5, 18)
    assert (
        listing(store, "50260001").sha256 == store.find("fv-6de9795973c9.pdf").result.source.sha256
    )


def test_a_second_sync_at_once_is_refused(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    with store.sync_lock(), pytest.raises(SyncBusy, match="another sync is running"):
        sync(store, site, registry, tmp_path)
    assert site.log == []
    sync(store, site, registry, tmp_path)  # free again afterwards
    assert site.log


def test_an_abolished_councils_missing_page_is_no_problem(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    del site.councils[NORTHANTS]  # its page is gone: a 404 for an abolished council
    result = sync(store, site, registry, tmp_path, dry_run=True)
    assert result.unreadable_pages == [] and result.not_in_search == []


def test_a_document_naming_another_council_than_its_page_is_noted(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    moved = site.councils[OLDHAM].docs.pop()  # Oldham's 2019 report, listed on Hull's page
    site.councils[HULL].docs.append(moved)
    result = sync(store, site, registry, tmp_path, councils=("Hull",))
    notes = {o.publication.file_id: o.note for o in result.new}
    assert notes == {
        "50059651": "listed on Kingston upon Hull's page, but it names Oldham",
        "50301678": None,
        "50000289": None,
    }


def test_a_report_read_again_by_sync_keeps_the_users_corrections(
    store: Store,
    site: FakeSite,
    registry: CouncilRegistry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    read_in_process: None,
) -> None:
    """The user corrected a report at ingest (under their own file name); a newer parser then
    comes, and sync downloads the same file from the site and reads it again: the new reading
    is stored with the correction, as ingest would store it (one store path:
    services/ingest.py and Store.save)."""
    # ingested under the council's own file name, so sync does not know it by Ofsted's id
    report_pdf = tmp_path / "oldham-ilacs-2019.pdf"
    report_pdf.write_bytes((REPORTS / "50059651.pdf").read_bytes())
    sha = sha256_of(report_pdf.read_bytes())
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(
        "sha256,field,value,note\n"
        f"{sha},lead_inspector,Pat Corrected,name as in the council's records\n"
    )
    api.ingest(store, [report_pdf], corrections=fixes)
    assert store.find(sha).result.record.lead_inspector == "Pat Corrected"

    newer = "9999.1.1"  # a newer parser: sync reads every held file again
    monkeypatch.setattr("ofsted_csc.parsing.document.PARSER_VERSION", newer)
    monkeypatch.setattr("ofsted_csc.services.sync.PARSER_VERSION", newer)
    result = sync(store, site, registry, tmp_path)
    assert "50059651" in site.documents_served()
    [again] = [o for o in result.outcomes if o.sha256 == sha and o.outcome != "held"]
    assert again.outcome == "replaced"

    shown = api.show(store, sha)
    assert shown.result.parser_version == newer
    assert shown.result.record.lead_inspector == "Pat Corrected"
    assert [(c.field, c.value) for c in shown.result.corrections] == [
        ("lead_inspector", "Pat Corrected")
    ]
    assert [(c.field, c.value) for c in store.stored_corrections(sha)] == [
        ("lead_inspector", "Pat Corrected")
    ]


def test_a_search_without_council_links_stops_the_sync(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    for council in site.councils.values():
        council.in_search = False
    site.states_total = False
    with pytest.raises(SiteChanged) as caught:
        sync(store, site, registry, tmp_path)
    assert "/provider/<type>/<URN>" in caught.value.expected
    assert store.sync_state().publications == {}


def test_a_search_address_answering_not_found_stops_the_sync(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    site.fail("/search", 404)
    with pytest.raises(SiteUnavailable, match="HTTP 404"):
        sync(store, site, registry, tmp_path)
    original = site.search_page
    site.search_page = lambda query: site.not_found_html  # type: ignore[method-assign]
    with pytest.raises(SiteChanged, match="not Ofsted's “Report not found” page"):
        sync(store, site, registry, tmp_path)
    site.search_page = original  # type: ignore[method-assign]
    assert store.sync_state().publications == {}


def test_a_later_search_page_that_fails_ends_the_paging_and_is_reported(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    site.rows_per_page = 2
    original = site.search_page

    def second_fails(query: dict[str, list[str]]) -> str:
        if query.get("start") == ["2"]:
            return site.not_found_html
        return original(query)

    site.search_page = second_fails  # type: ignore[method-assign]
    result = sync(store, site, registry, tmp_path, dry_run=True)
    assert result.search_found == 2 and result.search_pages == 1
    assert result.unreadable_pages == [
        ("search results from 3 on", "Ofsted's “Report not found” page")
    ]
    assert (
        result.search_note is not None and "read by the URNs ofsted-csc knows" in result.search_note
    )
    # the council the search did not show is read all the same, by its URN
    assert result.pages_read == 4 and result.not_in_search == ["Northamptonshire", "Oldham"]


def test_a_listing_that_cannot_be_read_any_more_is_not_taken_for_gone_from_the_page(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    sync(store, site, registry, tmp_path)
    oldham = site.councils[OLDHAM].docs[0]
    oldham.described = "Children's services inspection, pdf - sometime in 2015"  # INVENTED
    result = sync(store, site, registry, tmp_path)
    assert [(u.council, u.text) for u in result.unreadable_listings] == [
        ("Oldham", "Children's services inspection, pdf - sometime in 2015")
    ]
    assert result.vanished == [] and listing(store, oldham.file_id).vanished_on is None


def test_a_site_that_keeps_refusing_documents_is_not_hammered_and_the_rest_comes_next_time(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    for file_id in WANTED:
        site.fail(f"/v1/file/{file_id}", *[403] * 4)
    opts = SyncOptions(layout=site.layout, cache=tmp_path / "cache")
    politeness = Politeness(delay=0, backoff=0, concurrency=1, refusals=2)
    with Fetcher(politeness, site.client(), sleep=lambda s: None) as fetcher:
        result = run_sync(store, fetcher, opts, registry=registry, today=date(2026, 11, 22))
    assert len(site.documents_served()) == 2 * 4  # two documents asked 4 times, then no more
    assert result.refusal is not None and result.refusal.stopped and result.needs_attention
    assert len(result.failed) == 6 and result.new == []
    assert (
        sum(
            "not asked: the site refused 2 requests in a row" in o.reasons[0] for o in result.failed
        )
        == 4
    )
    # the pages were read and stored; the documents are asked for at the next sync
    site.faults.clear()
    again = sync(store, site, registry, tmp_path)
    assert len(again.new) == 5 and len(again.gone) == 1 and again.refusal is None


def test_council_pages_that_are_all_refused_stop_the_sync_saying_so(
    store: Store, site: FakeSite, registry: CouncilRegistry, tmp_path: Path
) -> None:
    site.fail(f"/provider/44/{HULL}", *[429] * 4)
    with pytest.raises(SiteRefused, match="HTTP 429 Too Many Requests"):
        sync(store, site, registry, tmp_path, councils=("Hull",))
    assert store.sync_state().publications == {}
