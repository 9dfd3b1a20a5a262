"""Themes stored, not recomputed: each inspection and letter is stored with its items' themes
(table document_themes, with the taxonomy version); the themes pages read them instead of
classifying; a taxonomy change rethemes exactly the documents whose themes are of another
version; a document read again, or deleted, drops its old themes. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from tests.conftest import FIXTURES, REPORTS

from ofsted_csc import api
from ofsted_csc.domain.records import InspectionRecord, LetterRecord
from ofsted_csc.services import ingest as ingest_service
from ofsted_csc.services import themes as themes_service
from ofsted_csc.storage import Store, StoredThemes
from ofsted_csc.storage.models import DocumentThemesRow, SourceFileRow
from ofsted_csc.themes import Classifier, analysis, current_classifier, load_taxonomy
from ofsted_csc.web import Settings, create_app, server
from ofsted_csc.web.context import context_of

LETTERS = FIXTURES / "letters"
# two reports with recommendations and one with none (an outstanding short inspection);
# letters with areas for priority action and for improvement, and one with neither
SAMPLE = [
    REPORTS / "50276975.pdf",
    REPORTS / "50004394.pdf",
    REPORTS / "50260250.pdf",
    LETTERS / "fv-055339ac91a3.pdf",
    LETTERS / "fv-1c5c92b26a0d.pdf",
    LETTERS / "fv-7182cce3f62d.pdf",
]
OLD = "2000.1.1"  # a taxonomy version before any


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "in"
    out.mkdir()
    for path in SAMPLE:
        shutil.copy(path, out / path.name)
    return out


@pytest.fixture
def store(db_url: str, folder: Path) -> Iterator[Store]:
    with api.open_store(db_url) as s:
        summary = api.ingest(s, [folder])
        assert len(summary.stored) == len(SAMPLE), summary.files
        yield s


def expected(store: Store, classifier: Classifier | None = None) -> dict[str, StoredThemes]:
    """Every stored inspection's and letter's themes as the classifier gives them now."""
    clf = classifier or current_classifier()
    return {
        item.result.source.sha256: StoredThemes(
            clf.version, tuple(analysis.item_themes(item.result.record, clf))
        )
        for item in (*store.inspections(), *store.letters())
    }


def count_classify(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the classifier is asked about from now on."""
    asked: list[str] = []
    original = Classifier.classify

    def counting(self: Classifier, text: str) -> list[Any]:
        asked.append(text)
        return original(self, text)

    monkeypatch.setattr(Classifier, "classify", counting)
    return asked


def refuse_classify(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Classifier, text: str) -> list[Any]:
        raise AssertionError(f"classified again: {text[:60]}")

    monkeypatch.setattr(Classifier, "classify", refuse)


def new_taxonomy(monkeypatch: pytest.MonkeyPatch, version: str = "9999.1.1") -> None:
    """The packaged taxonomy with another version, as an upgrade would bring."""
    changed = dataclasses.replace(load_taxonomy(), version=version)
    # (the module by name: the package's `classify` is the function)
    module = sys.modules["ofsted_csc.themes.classify"]
    monkeypatch.setattr(module, "load_taxonomy", lambda: changed)
    assert current_classifier().version == version


def rows(store: Store) -> dict[str, tuple[str, str]]:
    """document_themes as stored: sha256 -> (taxonomy version, the items' JSON)."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(
                SourceFileRow.sha256, DocumentThemesRow.taxonomy_version, DocumentThemesRow.items
            ).join(SourceFileRow, SourceFileRow.id == DocumentThemesRow.source_id)
        )
        return {sha: (version, items) for sha, version, items in found}


def sha_of(store: Store, name: str) -> str:
    return store.find(name).result.source.sha256


def test_ingest_stores_each_documents_themes_as_the_classifier_gives_them(store: Store) -> None:
    want = expected(store)
    assert len(want) == len(SAMPLE)  # three reports and three letters, none in review
    assert store.stored_themes() == want
    assert store.stale_themes(current_classifier().version) == []
    # the items are the record's: recommendations, then priority actions and improvements
    buckinghamshire = want[sha_of(store, "50276975.pdf")]
    assert [(s, p) for s, p, _ in buckinghamshire.items] == [
        ("recommendation", n) for n in range(1, 8)
    ]
    assert any(hits for _, _, hits in buckinghamshire.items)
    letter = want[sha_of(store, "fv-1c5c92b26a0d.pdf")]
    assert [(s, p) for s, p, _ in letter.items] == [
        ("priority_action", 1),
        ("priority_action", 2),
        *(("area_for_improvement", n) for n in range(1, 7)),
    ]
    # a document without items has its (empty) row: it is themed, not stale
    assert want[sha_of(store, "50260250.pdf")].items == ()
    assert want[sha_of(store, "fv-7182cce3f62d.pdf")].items == ()
    # the snapshot carries them, read with the rest
    assert dict(api.snapshot(store).themes) == want


def test_each_file_is_stored_with_its_themes(
    db_url: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By the save itself (save_read), not by the retheme at the end of the ingest."""
    monkeypatch.setattr(ingest_service, "retheme", lambda store: 0)
    with api.open_store(db_url) as store:
        api.ingest(store, [folder])
        assert store.stored_themes() == expected(store) and len(rows(store)) == len(SAMPLE)


def test_themed_items_read_the_stored_themes_without_classifying(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    clf = current_classifier()
    want = {
        (i.source.sha256, i.section, i.position): tuple(clf.classify(i.text))
        for i in api.themed_items(api.snapshot(store))
    }
    assert len(want) == 7 + 4 + 3 + 8  # the sample's items
    refuse_classify(monkeypatch)
    snap = api.snapshot(store)
    found = api.themed_items(snap)
    assert {(i.source.sha256, i.section, i.position): i.matches for i in found} == want
    items, sources, counts = api.theme_counts(snap)
    assert (items, sources) == (len(want), 4) and counts  # the four documents with items


def test_only_documents_without_current_themes_are_classified(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = current_classifier().version
    old, missing = sha_of(store, "50004394.pdf"), sha_of(store, "fv-055339ac91a3.pdf")
    store.save_themes(old, OLD, [])  # themed by an older taxonomy
    with store.engine.begin() as conn:
        source_id = select(SourceFileRow.id).where(SourceFileRow.sha256 == missing)
        conn.execute(delete(DocumentThemesRow).where(DocumentThemesRow.source_id.in_(source_id)))
    assert set(store.stale_themes(version)) == {old, missing}
    asked = count_classify(monkeypatch)
    found = api.themed_items(api.snapshot(store))
    # the four recommendations of the one and the three items of the other, no more
    assert len(asked) == 4 + 3
    assert {i.text for i in found if i.source.sha256 in (old, missing)} == set(asked)
    assert {(i.source.sha256, i.section, i.position): i.matches for i in found} == {
        (sha, section, position): tuple(analysis.ThemeMatch(*hit) for hit in hits)
        for sha, themes in expected(store).items()
        for section, position, hits in themes.items
    }


def test_retheme_rewrites_exactly_the_stale_documents(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, missing = sha_of(store, "50004394.pdf"), sha_of(store, "fv-055339ac91a3.pdf")
    store.save_themes(old, OLD, [])
    with store.engine.begin() as conn:
        source_id = select(SourceFileRow.id).where(SourceFileRow.sha256 == missing)
        conn.execute(delete(DocumentThemesRow).where(DocumentThemesRow.source_id.in_(source_id)))
    before = rows(store)
    asked = count_classify(monkeypatch)
    assert api.retheme(store) == 2
    assert len(asked) == 4 + 3  # only the stale documents' items were classified
    after = rows(store)
    assert {sha: r for sha, r in after.items() if sha not in (old, missing)} == {
        sha: r for sha, r in before.items() if sha not in (old, missing)
    }
    assert store.stored_themes() == expected(store)
    # nothing stale: nothing classified, nothing written
    asked.clear()
    assert api.retheme(store) == 0 and asked == [] and rows(store) == after


def test_a_retheme_never_overwrites_themes_of_the_current_version(store: Store) -> None:
    """What a save of the same document wrote while a retheme classified stays."""
    version = current_classifier().version
    sha, other = sha_of(store, "50276975.pdf"), sha_of(store, "50004394.pdf")
    store.save_themes(other, OLD, [])
    before = rows(store)
    assert store.save_stale_themes([(sha, []), (other, [])], version) == 1
    after = rows(store)
    assert after[sha] == before[sha] and after[other] == (version, "[]")


def test_a_taxonomy_change_rethemes_every_document(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = rows(store)
    new_taxonomy(monkeypatch)
    assert set(store.stale_themes("9999.1.1")) == set(before)
    # before the retheme, the themes pages classify (the stored themes are another version's)
    asked = count_classify(monkeypatch)
    api.themed_items(api.snapshot(store))
    assert len(asked) == 7 + 4 + 3 + 8
    asked.clear()
    assert api.retheme(store) == len(SAMPLE)
    assert len(asked) == 7 + 4 + 3 + 8
    assert {version for version, _ in rows(store).values()} == {"9999.1.1"}
    assert store.stored_themes() == expected(store)
    refuse_classify(monkeypatch)
    assert len(api.themed_items(api.snapshot(store))) == 7 + 4 + 3 + 8


def test_a_document_read_again_gets_fresh_themes_and_a_deleted_one_none(
    store: Store, folder: Path, tmp_path: Path
) -> None:
    sha = sha_of(store, "50276975.pdf")
    version = current_classifier().version
    store.save_themes(sha, version, [("recommendation", 1, (("made_up", 0.5, ("x",), True),))])
    assert store.stored_themes()[sha] != expected(store)[sha]
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(f"sha256,field,value,note\n{sha},lead_inspector,Pat Corrected,\n")
    summary = api.ingest(store, [folder / "50276975.pdf"], corrections=fixes)
    assert [f.outcome for f in summary.files] == ["replaced"]
    assert store.stored_themes()[sha] == expected(store)[sha]
    store.delete(sha)
    assert sha not in rows(store) and len(rows(store)) == len(SAMPLE) - 1


def test_an_unchanged_document_without_themes_gets_them(store: Store, folder: Path) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(DocumentThemesRow))
    version = current_classifier().version
    assert len(store.stale_themes(version)) == len(SAMPLE)
    # saved again as read (unchanged): its themes are written
    path = folder / "fv-1c5c92b26a0d.pdf"
    result = ingest_service.parse_data(path.read_bytes(), path)
    assert not isinstance(result, Exception)
    assert ingest_service.save_read(store, path, result).outcome == "unchanged"
    sha = result.source.sha256
    assert sha not in store.stale_themes(version)
    assert store.stored_themes()[sha] == expected(store)[sha]
    # an ingest of files it holds unchanged (not read again) themes the rest at its end
    summary = api.ingest(store, [folder])
    assert len(summary.unchanged) == len(SAMPLE)
    assert store.stale_themes(version) == [] and store.stored_themes() == expected(store)


def test_reindex_and_the_web_server_retheme(
    db_url: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(DocumentThemesRow))
    assert api.reindex(store).themed == len(SAMPLE)
    assert api.reindex(store).themed == 0
    new_taxonomy(monkeypatch)
    app = create_app(Settings(db_url=db_url, secret_key="test"))
    try:
        assert server.retheme(app) == len(SAMPLE)
        assert server.retheme(app) == 0
    finally:
        context_of(app).store.close()
    assert store.stored_themes() == expected(store)


def test_themes_are_kept_for_inspections_and_letters_only(store: Store) -> None:
    assert store.save_themes("0" * 64, current_classifier().version, []) is False
    with store.engine.connect() as conn:
        themed = conn.execute(select(func.count()).select_from(DocumentThemesRow)).scalar_one()
    assert themed == len(SAMPLE) == sum(store.counts()[k] for k in ("inspection", "letter"))
    records = [i.result.record for i in (*store.inspections(), *store.letters())]
    assert all(isinstance(r, InspectionRecord | LetterRecord) for r in records)


def test_saving_themes_leaves_the_rest_of_the_store_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retheme writes only themes: the data version (what the web app's snapshot is
    rebuilt by) is unchanged, so a running server keeps its snapshot (and classifies what
    it lacks)."""
    version = store.data_version()
    new_taxonomy(monkeypatch)
    assert themes_service.retheme(store) == len(SAMPLE)
    assert store.data_version() == version


def test_a_theme_only_the_model_gave_is_stored_and_read_back_as_the_models(store: Store) -> None:
    # fv-1c5c92b26a0d.pdf's first priority action: the rules find assessments; the model adds
    # the quality of practice overall, with no phrase of it matched
    stored = store.contents().themes[sha_of(store, "fv-1c5c92b26a0d.pdf")]
    hits = {h[0]: h for h in dict(((s, p), t) for s, p, t in stored.items)[("priority_action", 1)]}
    assert hits["assessments"][3] is True
    assert hits["practice_quality"][3] is False and hits["practice_quality"][2]
    version, text = rows(store)[sha_of(store, "fv-1c5c92b26a0d.pdf")]
    assert '"practice_quality"' in text and version == current_classifier().version


def test_stored_themes_of_the_old_form_read_as_the_rules_and_damaged_ones_are_refused() -> None:
    from ofsted_csc.domain.errors import StoreError
    from ofsted_csc.storage.document_themes import decode, encode

    items = (
        ("recommendation", 1, (("assessments", 0.75, ("assessments",), True),)),
        ("recommendation", 2, (("plans", 0.7, ("plans", "the plan"), False),)),
    )
    assert decode(encode(items)) == items
    # written before the model's themes were marked: every theme read as the rules'
    old = '[["recommendation",1,[["assessments",0.75,["assessments"]]]]]'
    assert decode(old) == (items[0],)
    for damaged in (
        '[["recommendation",1,[["assessments",0.75]]]]',
        '[["recommendation",1,[["assessments",0.75,["a"],1]]]]',
        '[["recommendation",1,[["assessments",0.75,"assessments"]]]]',
    ):
        with pytest.raises(StoreError):
            decode(damaged)
