"""The one read model: a snapshot of the store, read in one transaction, that the API's read
functions take in place of a store, with the same answers; it keeps what it read when the
store changes, and remembers each answer once. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from tests.conftest import FIXTURES, REPORTS

from ofsted_csc import api
from ofsted_csc.storage import Store

FILES = [
    REPORTS / "50004325.pdf",  # SIF, then two ILACS, of one council
    REPORTS / "50135438.pdf",
    REPORTS / "50226696.pdf",
    REPORTS / "50004301.pdf",
    REPORTS / "50059651.pdf",
    *sorted((FIXTURES / "letters").glob("*.pdf"))[:3],
]
LATER = REPORTS / "50141243.pdf"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url, bundled=True) as opened:  # official rows too: facts filled
        summary = api.ingest(opened, FILES)
        assert len(summary.stored) == len(FILES)
        yield opened


def plain(value: object) -> object:
    """JSON-able data as JSON reads it back (dates as text)."""
    return json.loads(json.dumps(value, default=str))


def test_every_read_function_answers_a_snapshot_as_it_answers_the_store(store: Store) -> None:
    snap = api.snapshot(store)
    assert snap.version == store.data_version()
    day = date(2024, 3, 31)
    for read in (
        lambda s: api.rows.picture_rows(api.national(s, day)),
        lambda s: api.picture_json(api.national(s, date(2016, 8, 5), round="sif")),
        lambda s: api.regions(s, day, judgement="in_care", by="ofsted"),
        lambda s: api.councils(s, day),
        lambda s: api.inspections_between(s, date(2013, 1, 1), date(2024, 12, 31)),
        lambda s: api.profile_json(*api.council_profile(s, "80455", day)),
        lambda s: [api.trajectories(s, what) for what in ("transitions", "series", "gaps")],
        lambda s: [api.table(s, what).rows for what in ("inspections", "letters")],
        lambda s: api.table(s, "inspections", "d2i-history").rows,
        lambda s: api.documents_table(s, api.DocumentFilters(framework="ilacs")).rows,
        lambda s: api.about(s).as_dict(),
        lambda s: api.check(s).as_json()["official"] | {"store": api.check(s).store},
        lambda s: [len(x) for x in api.reconciliation(s)],
        lambda s: len(api.facts(s)),
        lambda s: len(api.themed_items(s)),
    ):
        assert plain(read(snap)) == plain(read(store))


def test_a_snapshot_keeps_what_it_read_and_remembers_each_answer(store: Store) -> None:
    snap = api.snapshot(store)
    before = api.rows.picture_rows(api.national(snap, date(2024, 3, 31)))
    assert api.national(snap, date(2024, 3, 31)) is api.national(snap, date(2024, 3, 31))
    assert api.council_profile(snap, "80455") is api.council_profile(snap, "80455")
    api.ingest(store, [LATER])
    assert store.data_version() != snap.version
    assert api.rows.picture_rows(api.national(snap, date(2024, 3, 31))) == before
    assert len(snap.inspections) == 5 and len(api.snapshot(store).inspections) == 6
    assert len(api.documents(snap)) == len(FILES)
    assert api.snapshot(store).document(api.documents(snap)[0].sha256) is not None
