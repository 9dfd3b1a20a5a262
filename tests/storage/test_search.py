"""Full-text search on SQLite and PostgreSQL: the right pages, the same meaning on both, the
filters, and an index that follows what is stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from tests.conftest import FIXTURES

from ofsted_csc import api
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.records import Correction
from ofsted_csc.domain.search import And, Not, Or, Phrase, Query, parse_query, words_of
from ofsted_csc.parsing.document import parse_document
from ofsted_csc.parsing.pdf import read_pdf
from ofsted_csc.services.ingest import save_read
from ofsted_csc.storage import Store
from ofsted_csc.storage.models import DocumentPageRow

REPORTS = FIXTURES / "reports"
LETTERS = FIXTURES / "letters"
# an ILACS standard report (2025), an ILACS short one (2023), a SIF re-inspection (2017) and
# a focused visit letter (2021): different frameworks, kinds, councils, grades and dates
FILES = (
    REPORTS / "50282103.pdf",
    REPORTS / "50225703.pdf",
    REPORTS / "2760354.pdf",
    LETTERS / "fv-7182cce3f62d.pdf",
)
EXPECTED = {
    **json.loads((REPORTS / "expected.json").read_text()),
    **json.loads((LETTERS / "expected.json").read_text()),
}


def _pages(path: Path) -> list[tuple[str, ...]]:
    """Each page's words, read here from the PDF (not from the store)."""
    return [words_of(page) for page in read_pdf(path.read_bytes(), path.name).pages]


PAGES = {path.name: _pages(path) for path in FILES}


def _phrase_at(words: tuple[str, ...], p: Phrase) -> bool:
    n = len(p.words)
    for i in range(len(words) - n + 1):
        head, last = words[i : i + n - 1], words[i + n - 1]
        if head == p.words[:-1] and (
            last.startswith(p.words[-1]) if p.prefix else last == p.words[-1]
        ):
            return True
    return False


def _matches(q: Query, words: tuple[str, ...]) -> bool:
    """The query language's meaning, evaluated in Python over a page's words."""
    if isinstance(q, Phrase):
        return _phrase_at(words, q)
    if isinstance(q, Not):
        return not _matches(q.child, words)
    if isinstance(q, And):
        return all(_matches(c, words) for c in q.children)
    assert isinstance(q, Or)
    return any(_matches(c, words) for c in q.children)


def _expected(query: str, names: tuple[str, ...] | None = None) -> set[tuple[str, int]]:
    parsed = parse_query(query)
    return {
        (name, n)
        for name, pages in PAGES.items()
        if names is None or name in names
        for n, words in enumerate(pages, 1)
        if _matches(parsed, words)
    }


def _found(hits: list[api.Hit]) -> set[tuple[str, int]]:
    return {(h.file_name, h.page) for h in hits}


@pytest.fixture
def store(db_url: str, read_in_process: None) -> Iterator[Store]:
    with api.open_store(db_url) as opened:
        summary = api.ingest(opened, list(FILES))
        assert len(summary.stored) == len(FILES), summary.files
        yield opened


def test_a_phrase_is_found_on_the_pages_that_hold_it(store: Store) -> None:
    pages = PAGES["50282103.pdf"]
    expected = {
        n for n, words in enumerate(pages, 1) if _phrase_at(words, Phrase(("neglect", "strategy")))
    }
    assert expected  # the report speaks of its neglect strategy
    hits = api.search(store, '"Neglect strategy"', limit=1000)
    assert {h.page for h in hits if h.file_name == "50282103.pdf"} == expected
    assert all(h.file_name == "50282103.pdf" for h in hits)
    hit = hits[0]
    assert hit.council == "Stockport" and hit.la_code == "356"
    assert hit.kind == "standard" and hit.framework == "ilacs"
    assert hit.day == date.fromisoformat(EXPECTED["50282103.pdf"]["published"])
    assert hit.grade == "requires_improvement"
    # Ofsted's file id from the file's name, and the link to Ofsted's copy
    assert hit.file_id == "50282103"
    assert hit.link == "https://files.ofsted.gov.uk/v1/file/50282103"
    # the passage marks the phrase
    assert hit.marks and all(
        words_of(hit.passage[a:b]) in (("neglect", "strategy"), ("neglect",), ("strategy",))
        for a, b in hit.marks
    )
    assert "[" in hit.marked() and "neglect" in hit.marked().lower()


def test_a_letter_has_no_guessed_link(store: Store) -> None:
    hits = [h for h in api.search(store, "children", limit=1000) if h.kind == "focused_visit"]
    assert hits and all(h.file_id is None and h.link == "" for h in hits)
    assert hits[0].day == date.fromisoformat(EXPECTED["fv-7182cce3f62d.pdf"]["letter_date"])


@pytest.mark.parametrize(
    "query",
    [
        "neglect",  # a word
        "neglect strategy",  # AND
        "neglect AND strategy",
        '"neglect strategy"',  # a phrase
        "neglect OR adoption",  # OR
        "neglect -strategy",  # NOT
        "children NOT neglect",
        "negl*",  # a prefix
        '"care leav*"',  # a phrase ending in a prefix
        "(adoption OR fostering) -neglect",
        'neglect -"neglect strategy"',
        "children -(neglect OR adoption)",
        "children NOT (neglect -strategy)",
        "multi-agency",  # punctuation inside a word: a phrase
        "Children's",
    ],
)
def test_each_operator_finds_exactly_the_pages_it_means(store: Store, query: str) -> None:
    expected = _expected(query)
    assert expected, f"{query} should find something in the fixtures"
    assert _found(api.search(store, query, limit=1000)) == expected


def test_and_or_not_differ_as_they_should(store: Store) -> None:
    both = _found(api.search(store, "neglect strategy", limit=1000))
    either = _found(api.search(store, "neglect OR strategy", limit=1000))
    without = _found(api.search(store, "neglect -strategy", limit=1000))
    neglect = _found(api.search(store, "neglect", limit=1000))
    assert both < either and without < neglect
    assert both | without == neglect and not both & without


def test_hits_are_ranked_and_limited(store: Store) -> None:
    hits = api.search(store, "children", limit=3)
    assert len(hits) == 3
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)


@pytest.mark.parametrize(
    "query",
    ['"neglect', "NOT", "neglect NOT", "-neglect", "", "(neglect", "neglect OR", "x\x00y"],
)
def test_a_malformed_query_is_invalid_input_not_a_database_error(store: Store, query: str) -> None:
    with pytest.raises(InvalidInput, match=r"^search: "):
        api.search(store, query)


@pytest.mark.parametrize(
    "hostile",
    [
        "text:neglect",
        "neglect NEAR(care leavers)",
        "{text}: neglect",
        "^neglect",
        "neglect' OR 1=1; --",
        "neglect:* | !care",
        "rank:neglect",
    ],
)
def test_hostile_queries_are_searched_as_words(store: Store, hostile: str) -> None:
    assert _found(api.search(store, hostile, limit=1000)) == _expected(hostile)


# -- filters --

_ALL = tuple(p.name for p in FILES)


def _day(name: str) -> date:
    record = EXPECTED[name]
    return date.fromisoformat(record.get("published") or record["letter_date"])


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        ({"since": date(2021, 1, 1)}, lambda n: _day(n) >= date(2021, 1, 1)),
        ({"until": date(2021, 8, 9)}, lambda n: _day(n) <= date(2021, 8, 9)),
        ({"framework": "sif"}, lambda n: EXPECTED[n].get("framework") == "sif"),
        ({"framework": "ILACS"}, lambda n: EXPECTED[n].get("framework") == "ilacs"),
        ({"kind": "focused_visit"}, lambda n: EXPECTED[n]["kind"] == "focused_visit"),
        ({"kind": "short"}, lambda n: EXPECTED[n]["kind"] == "short"),
        ({"council": "Stockport"}, lambda n: n == "50282103.pdf"),
        ({"council": "356"}, lambda n: n == "50282103.pdf"),
        (
            {"grade": "outstanding"},
            lambda n: (
                EXPECTED[n].get("judgements", {}).get("overall_effectiveness") == "outstanding"
            ),
        ),
    ],
)
def test_each_filter_narrows_to_the_documents_it_names(
    store: Store, filters: dict[str, object], kept: object
) -> None:
    assert callable(kept)
    names = tuple(n for n in _ALL if kept(n))
    assert names and len(names) < len(_ALL)  # the filter does narrow
    hits = api.search(store, "children", limit=1000, **filters)  # type: ignore[arg-type]
    assert _found(hits) == _expected("children", names)


def test_the_region_filter_takes_the_councils_of_the_region(store: Store) -> None:
    registry = load_registry()
    region = registry.by_urn(EXPECTED["50282103.pdf"]["council_urn"])
    assert region is not None
    names = tuple(
        n
        for n in _ALL
        if (c := registry.by_urn(EXPECTED[n]["council_urn"])) and c.ons_region == region.ons_region
    )
    assert "50282103.pdf" in names and len(names) < len(_ALL)
    hits = api.search(store, "children", region=region.ons_region, limit=1000)
    assert _found(hits) == _expected("children", names)


@pytest.mark.parametrize(
    "filters",
    [
        {"kind": "happy"},
        {"grade": "brilliant"},
        {"framework": "x"},
        {"limit": 0},
        {"region": "Mars"},
    ],
)
def test_a_bad_filter_is_invalid_input(store: Store, filters: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        api.search(store, "children", **filters)  # type: ignore[arg-type]


# -- the index follows what is stored --


def _page_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(DocumentPageRow)).scalar_one())


def test_each_page_is_stored_once(store: Store) -> None:
    assert _page_rows(store) == sum(len(p) for p in PAGES.values())


def test_a_new_document_is_searchable_at_once(store: Store) -> None:
    path = REPORTS / "50004256.pdf"
    words = set(w for page in _pages(path) for w in page)
    other = set().union(*(w for pages in PAGES.values() for w in pages))
    only_new = sorted(words - other - {w for w in words if w.isdigit()})[0]
    assert not api.search(store, only_new)
    api.ingest(store, [path])
    hits = api.search(store, only_new, limit=1000)
    assert hits and {h.file_name for h in hits} == {"50004256.pdf"}


def test_a_replaced_document_leaves_no_stale_hits(db_url: str) -> None:
    path = REPORTS / "50282103.pdf"
    result = parse_document(path.read_bytes(), path.name)
    with api.open_store(db_url) as store:
        store.save(result)
        assert api.search(store, '"neglect strategy"')
        again = replace(
            result,
            parser_version="newer",
            pages=("page one says zanzibar", "page two says quixotic"),
        )
        store.save(again)
        assert not api.search(store, '"neglect strategy"')
        assert [h.page for h in api.search(store, "quixotic")] == [2]
        assert _page_rows(store) == 2
        store.delete(result.source.sha256)
        assert not api.search(store, "quixotic OR zanzibar")
        assert _page_rows(store) == 0


def test_a_reading_saved_again_without_pages_keeps_its_pages(db_url: str) -> None:
    path = REPORTS / "50282103.pdf"
    result = parse_document(path.read_bytes(), path.name)
    with api.open_store(db_url) as store:
        store.save(result)
        store.save(replace(result, parser_version="other", pages=()))
        assert _page_rows(store) == len(result.pages)


def test_a_refused_ingest_leaves_no_page_text(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = REPORTS / "50282103.pdf"
    result = parse_document(path.read_bytes(), path.name)
    with api.open_store(db_url) as store:
        # a correction that does not fit: refused before anything is written
        bad = Correction(result.source.sha256, "no_such_field", "x")
        outcome = save_read(store, path, result, [bad])
        assert outcome.outcome == "refused"
        assert _page_rows(store) == 0
        # a failure after the pages were written: the whole file's transaction is undone
        from ofsted_csc.storage import store as store_module

        def boom(*_args: object) -> None:
            raise RuntimeError("the disk went away")

        monkeypatch.setattr(store_module, "apply_listing_dates", boom)
        with pytest.raises(RuntimeError):
            store.save(parse_document(path.read_bytes(), path.name))
        assert _page_rows(store) == 0
        assert not api.search(store, "neglect")


def test_reindex_fills_the_page_text_of_files_stored_before_it(store: Store) -> None:
    before = _found(api.search(store, '"neglect strategy" OR adoption', limit=1000))
    with store.engine.begin() as conn:  # as a store made before migration 0009 holds them
        conn.execute(text("DELETE FROM document_pages"))
    assert api.unindexed_count(store) == len(FILES)
    assert not api.search(store, "children")
    summary = api.reindex(store)
    assert sorted(summary.indexed) == sorted(_ALL) and not summary.no_pdf
    assert api.unindexed_count(store) == 0
    assert _found(api.search(store, '"neglect strategy" OR adoption', limit=1000)) == before


def test_reindex_names_files_kept_without_their_pdf(db_url: str, read_in_process: None) -> None:
    with api.open_store(db_url) as store:
        api.ingest(store, [FILES[0]], keep_pdf=False)
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM document_pages"))
        summary = api.reindex(store)
        assert summary.no_pdf == [FILES[0].name] and not summary.indexed


def test_the_file_id_a_sync_recorded_gives_the_link(store: Store) -> None:
    letter = "fv-7182cce3f62d.pdf"
    hits = [h for h in api.search(store, "children", limit=1000) if h.file_name == letter]
    assert hits and hits[0].link == ""
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO web_publications (file_id, provider_urn, label, kind, format, "
                "published, url, status, sha256, first_seen, last_seen) VALUES ('60012345', "
                "'80000', 'Focused visit', 'letter', 'pdf', '2021-08-09', 'u', 'stored', :sha, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            ),
            {"sha": hits[0].sha256},
        )
    hits = [h for h in api.search(store, "children", limit=1000) if h.file_name == letter]
    assert {h.file_id for h in hits} == {"60012345"}
    assert hits[0].link == "https://files.ofsted.gov.uk/v1/file/60012345"


_PIECES = (
    "neglect", "care", "leav", "children's", "multi-agency", '"', '"', "(", ")", "OR", "NOT",
    "AND", "-", "*", ":", "^", "NEAR", "{", "}", "+", "'", "\\", ";", "&", "|", "!", "<->",
    "text:", "rank", "é", "\t", "1",
)  # fmt: skip


def test_random_queries_are_answered_or_refused_never_a_database_error(store: Store) -> None:
    import random

    rng = random.Random(20261203)
    answered = refused = 0
    for _ in range(300):
        pieces = rng.choices(_PIECES, k=rng.randint(1, 8))
        query = "".join(p + (" " if rng.random() < 0.6 else "") for p in pieces)
        try:
            parsed = parse_query(query)
        except InvalidInput:
            refused += 1
            with pytest.raises(InvalidInput):
                api.search(store, query)
            continue
        answered += 1
        # the engine finds what the query means, whatever was typed
        assert _found(api.search(store, query, limit=1000)) == _expected(query), (query, parsed)
    assert answered > 50 and refused > 50


def test_ingesting_again_indexes_a_file_stored_without_page_text(store: Store) -> None:
    with store.engine.begin() as conn:  # as a store made before migration 0009 holds them
        conn.execute(text("DELETE FROM document_pages"))
    summary = api.ingest(store, [FILES[0]])
    assert [f.outcome for f in summary.files] == ["unchanged"]  # the record is left alone
    assert api.unindexed_count(store) == len(FILES) - 1
    assert _found(api.search(store, "neglect", limit=1000)) == _expected(
        "neglect", (FILES[0].name,)
    )
