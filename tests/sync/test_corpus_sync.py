"""The whole development corpus served as Ofsted's site: a sync gives the same store as
ingesting the folder directly (skipped when ../shared/corpus is absent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ofsted_csc import api
from ofsted_csc.domain.records import InspectionRecord, PublishedSource
from ofsted_csc.services.sync import SyncOptions, run_sync
from ofsted_csc.sources.fakesite import serve, site_from_folder
from ofsted_csc.sources.http import Fetcher, Politeness
from ofsted_csc.storage import Store
from ofsted_csc.storage.convert import record_to_json

pytestmark = pytest.mark.corpus

UNDATED = date(2013, 1, 1)  # the listing date given to files with no date read from them


def fingerprint(store: Store) -> dict[str, Any]:
    """Everything read from the files, by sha256, less the publication date (compared
    apart: the listing's date is meant to replace the estimate)."""
    out: dict[str, Any] = {}
    for stored in [*store.inspections(passages=True), *store.letters(), *store.review_items()]:
        source = stored.result.source
        record = record_to_json(stored.result.record)
        record.pop("published", None)
        record.pop("published_source", None)
        out[source.sha256] = (
            source.file_name,
            source.size,
            source.page_count,
            stored.outcome,
            stored.result.parser_version,
            tuple(stored.result.review_reasons),
            record,
        )
    return out


def listing_dates(store: Store) -> dict[str, date]:
    """A publication date for each file name: what was read from it, else UNDATED."""
    dates: dict[str, date] = {}
    for stored in store.inspections():
        record = stored.result.record
        assert isinstance(record, InspectionRecord)
        dates[stored.result.source.file_name] = record.published or UNDATED
    for stored in store.letters():
        record = stored.result.record
        dates[stored.result.source.file_name] = record.letter_date or record.visit_start
    return dates


def test_sync_of_the_served_corpus_equals_ingesting_the_folder(
    corpus_dir: Path, tmp_path: Path
) -> None:
    with api.open_store(f"sqlite:///{tmp_path / 'direct.sqlite'}") as direct:
        api.ingest(direct, [corpus_dir], jobs=2)
        dates = listing_dates(direct)
        expected = fingerprint(direct)
        direct_inspections = {s.result.source.sha256: s.result.record for s in direct.inspections()}

    site = site_from_folder(corpus_dir, lambda p: dates.get(p.name, UNDATED))
    served = serve(site)
    try:
        with (
            api.open_store(f"sqlite:///{tmp_path / 'synced.sqlite'}") as synced,
            Fetcher(Politeness(delay=0, concurrency=2)) as fetcher,
        ):
            options = SyncOptions(layout=site.layout, cache=tmp_path / "cache", jobs=2)
            report = run_sync(synced, fetcher, options)
            assert report.failed == [] and report.unreadable_pages == []
            in_folder = len(list(corpus_dir.glob("*/*.pdf")))  # reports, letters, web pages
            assert len(site.documents_served()) == in_folder
            # the corpus's four 2012 "reports" are the site's "Report not found" page: gone
            assert len(report.gone) == 4 and report.refused == []
            assert report.downloaded == in_folder - 4
            assert fingerprint(synced) == expected

            # publication dates: the report's own stays; otherwise the listing's, marked so
            for stored in synced.inspections():
                sha = stored.result.source.sha256
                got, was = stored.result.record, direct_inspections[sha]
                assert isinstance(got, InspectionRecord) and isinstance(was, InspectionRecord)
                if was.published_source is PublishedSource.REPORT:
                    assert (got.published, got.published_source) == (
                        was.published,
                        was.published_source,
                    )
                else:
                    assert got.published == dates[stored.result.source.file_name]
                    assert got.published_source is PublishedSource.WEB_LISTING

            # and again: nothing downloaded, nothing changed
            before = len(site.documents_served())
            again = run_sync(synced, fetcher, options)
            assert len(site.documents_served()) == before and again.outcomes == []
            assert fingerprint(synced) == expected
    finally:
        served.stop()
