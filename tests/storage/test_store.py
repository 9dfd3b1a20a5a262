"""Ingest into the store: stored once, unchanged when read again, replaced by a newer
parser, atomic per file, review and corrections. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select
from tests.conftest import BAD, REPORTS

from ofsted_csc import api
from ofsted_csc.domain.councils import CouncilRegistry, load_registry
from ofsted_csc.domain.errors import CorrectionsError, NotFound, StoreError
from ofsted_csc.domain.frameworks import Area
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.records import InspectionRecord, PublishedSource
from ofsted_csc.parsing import document
from ofsted_csc.parsing.corrections import load_corrections
from ofsted_csc.parsing.document import sha256_of
from ofsted_csc.services import ingest as ingest_service
from ofsted_csc.services import reader
from ofsted_csc.storage import Store, migrate

EXPECTED = json.loads((REPORTS / "expected.json").read_text())
# a SIF report with an LSCB review, an ILACS 2018 report, a 2026 ILACS report, pre-2013
SAMPLE = ["2754178.pdf", "50141243.pdf", "50304386.pdf", "2761820.pdf"]


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show a database is exactly as it was (the FTS5 index's
    own shadow tables left out: their segments record deletions as well as rows, and
    `document_pages`, which they index, is compared)."""
    meta = MetaData()
    meta.reflect(store.engine, only=lambda name, _meta: not name.startswith("document_pages_fts"))
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            rows = conn.execute(select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in SAMPLE:
        shutil.copy(REPORTS / name, folder / name)
    return folder


def test_ingest_stores_each_report_once(db_url: str, sample: Path) -> None:
    with api.open_store(db_url) as store:
        summary = api.ingest(store, [sample])
        assert sorted(Path(f.path).name for f in summary.stored) == sorted(SAMPLE)
        assert summary.ok
        stored = {s.result.source.file_name: s for s in store.inspections()}
        assert set(stored) == set(SAMPLE)
        for name in SAMPLE:
            expected = EXPECTED[name]
            record = stored[name].result.record
            assert isinstance(record, InspectionRecord)
            assert record.council_urn == expected["council_urn"]
            assert record.kind is not None and record.kind.value == expected["kind"]
            assert str(record.inspection_start) == expected["inspection_start"]
            assert record.lead_inspector == expected["lead_inspector"]
            for area, grade in expected["judgements"].items():
                j = record.judgements[Area(area)]
                assert (j.grade.value if j.grade else j.status.value) == grade, (name, area)
            assert [r.text for r in record.recommendations] == [
                r["text"] for r in expected["recommendations"]
            ]
            src = stored[name].result.source
            assert src.sha256 == sha256_of((sample / name).read_bytes())
            assert src.page_count > 0
            assert stored[name].result.parser_version == document.PARSER_VERSION
        # the PDF itself is kept, byte for byte
        sha = stored[SAMPLE[0]].result.source.sha256
        assert store.source_pdf(sha) == (SAMPLE[0], (sample / SAMPLE[0]).read_bytes())


def test_same_files_again_change_nothing(db_url: str, sample: Path) -> None:
    with api.open_store(db_url) as store:
        api.ingest(store, [sample])
        before = snapshot(store)
        again = api.ingest(store, [sample, sample / SAMPLE[0]])
        assert len(again.unchanged) == len(SAMPLE)
        assert not again.stored and not again.replaced
        assert snapshot(store) == before


def test_same_content_under_another_name_is_not_stored_twice(db_url: str, sample: Path) -> None:
    copy = sample / "renamed copy.pdf"
    shutil.copy(sample / SAMPLE[0], copy)
    with api.open_store(db_url) as store:
        summary = api.ingest(store, [sample])
        assert len(summary.stored) == len(SAMPLE)
        assert len(summary.unchanged) == 1
        assert len(store.inspections()) == len(SAMPLE)


def test_newer_parser_reads_again_and_replaces(
    db_url: str, sample: Path, monkeypatch: pytest.MonkeyPatch, read_in_process: None
) -> None:
    with api.open_store(db_url) as store:
        api.ingest(store, [sample])
        counts = {k: len(v) for k, v in snapshot(store).items()}
        monkeypatch.setattr(document, "PARSER_VERSION", "2999.1.1")
        monkeypatch.setattr(ingest_service, "PARSER_VERSION", "2999.1.1")
        summary = api.ingest(store, [sample])
        assert len(summary.replaced) == len(SAMPLE)
        assert {s.result.parser_version for s in store.inspections()} == {"2999.1.1"}
        # replaced, not duplicated
        assert {k: len(v) for k, v in snapshot(store).items()} == counts


@pytest.mark.parametrize(
    "bad", ["html_saved_as.pdf", "empty.pdf", "truncated.pdf", "image_renamed.pdf"]
)
def test_refused_file_leaves_database_exactly_as_it_was(
    db_url: str, sample: Path, bad: str, tmp_path: Path
) -> None:
    path = BAD / bad
    if not path.exists():
        pytest.skip(f"fixture {bad} not made yet")
    with api.open_store(db_url) as store:
        api.ingest(store, [sample])
        before = snapshot(store)
        summary = api.ingest(store, [path])
        assert [Path(f.path).name for f in summary.refused] == [bad]
        assert bad in summary.refused[0].reasons[0]
        assert not summary.ok
        assert snapshot(store) == before


def test_a_failure_while_saving_leaves_no_partial_record(
    db_url: str, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ofsted_csc.storage import store as store_module

    with api.open_store(db_url) as store:
        api.ingest(store, [sample / SAMPLE[0]])
        before = snapshot(store)

        def boom(*args: object) -> None:
            raise RuntimeError("disk full")

        # the source file row is written before the recommendations: the failure comes
        # half way through the file's transaction
        monkeypatch.setattr(store_module, "_insert_inspection", boom)
        with pytest.raises(RuntimeError):
            api.ingest(store, [sample / SAMPLE[1]])
        assert snapshot(store) == before


def _registry_without(urn: str) -> CouncilRegistry:
    return CouncilRegistry(c for c in load_registry().all() if c.urn != urn)


def test_unreadable_required_field_goes_to_review_then_a_correction_stores_it(
    db_url: str,
    sample: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    read_in_process: None,
) -> None:
    name = SAMPLE[1]
    urn = EXPECTED[name]["council_urn"]
    restricted = _registry_without(urn)
    monkeypatch.setattr(ingest_service, "load_registry", lambda: restricted)
    monkeypatch.setattr(reader, "load_registry", lambda: restricted)
    with api.open_store(db_url) as store:
        summary = api.ingest(store, [sample / name])
        assert [Path(f.path).name for f in summary.review] == [name]
        assert "could not match the council" in summary.review[0].reasons[0]
        assert store.inspections() == []
        items = api.review(store)
        assert [i.result.source.file_name for i in items] == [name]
        # the review item keeps what was read, for `show`
        assert items[0].result.record.lead_inspector == EXPECTED[name]["lead_inspector"]

        # again without corrections: still needs review, nothing changes
        before = snapshot(store)
        again = api.ingest(store, [sample / name])
        assert [f.outcome for f in again.files] == ["review"]
        assert snapshot(store) == before

        monkeypatch.setattr(ingest_service, "load_registry", load_registry)
        monkeypatch.setattr(reader, "load_registry", load_registry)
        sha = sha256_of((sample / name).read_bytes())
        fixes = tmp_path / "fixes.csv"
        fixes.write_text(
            "sha256,field,value,note\n"
            f"{sha},council,{urn},name on page 1 not matched\n"
            f"{sha},published,2020-01-09,from the Ofsted website\n"
        )
        done = api.ingest(store, [sample / name], corrections=fixes)
        assert [f.outcome for f in done.files] == ["replaced"]
        assert api.review(store) == []
        [stored] = store.inspections()
        record = stored.result.record
        assert isinstance(record, InspectionRecord)
        assert record.council_urn == urn
        assert str(record.published) == "2020-01-09"
        assert record.published_source is PublishedSource.CORRECTION
        assert [(c.field, c.value) for c in stored.result.corrections] == [
            ("council", urn),
            ("published", "2020-01-09"),
        ]
        # ingesting again without the corrections file keeps the corrections
        kept = api.ingest(store, [sample / name])
        assert [f.outcome for f in kept.files] == ["unchanged"]
        assert store.inspections()[0].result.record.council_urn == urn


def test_correction_of_a_grade_is_applied_and_recorded(
    db_url: str, sample: Path, tmp_path: Path
) -> None:
    name = SAMPLE[0]
    sha = sha256_of((sample / name).read_bytes())
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(f"sha256,field,value\n{sha},lscb,Good\n{sha},lead_inspector,A. N. Other\n")
    with api.open_store(db_url) as store:
        api.ingest(store, [sample / name], corrections=fixes)
        stored = store.find(name)
        record = stored.result.record
        assert isinstance(record, InspectionRecord)
        assert record.grade(Area.LSCB) is Grade.GOOD
        assert record.lead_inspector == "A. N. Other"
        assert {c.field for c in stored.result.corrections} == {"lscb", "lead_inspector"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("sha,field,value\n", "missing: sha256"),
        ("sha256,field,value\nabc,lscb,good\n", "line 2: “abc” is not a sha256"),
        (f"sha256,field,value\n{'a' * 64},colour,red\n", "line 2: “colour” is not a field"),
        (f"sha256,field,value\n{'a' * 64},published,31/02/2020\n", "is not a date"),
        (f"sha256,field,value\n{'a' * 64},leadership,splendid\n", "“splendid” is not a grade"),
        (f"sha256,field,value\n{'a' * 64},council,Atlantis\n", "line 2: council"),
        (f"sha256,field,value\n{'a' * 64},kind,1,2\n", "more values than columns"),
        (
            f"sha256,field,value\n{'a' * 64},lscb,good\n{'a' * 64},lscb,inadequate\n",
            "line 3: a second correction of lscb",
        ),
    ],
)
def test_bad_corrections_file_names_file_and_line(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "fixes.csv"
    path.write_text(content)
    with pytest.raises(CorrectionsError) as info:
        load_corrections(path, load_registry())
    assert str(path) in info.value.message
    assert problem in info.value.message


def test_corrections_file_missing_or_binary(tmp_path: Path) -> None:
    with pytest.raises(CorrectionsError, match="no such corrections file"):
        load_corrections(tmp_path / "nope.csv")
    binary = tmp_path / "fixes.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81binary")
    with pytest.raises(CorrectionsError, match="not a text"):
        load_corrections(binary)


def test_find_by_name_stem_sha_and_prefix(sqlite_url: str, sample: Path) -> None:
    with api.open_store(sqlite_url) as store:
        api.ingest(store, [sample])
        sha = sha256_of((sample / SAMPLE[2]).read_bytes())
        for key in (SAMPLE[2], SAMPLE[2][:-4], sha, sha[:10].upper(), str(sample / SAMPLE[2])):
            assert store.find(key).result.source.sha256 == sha
        with pytest.raises(NotFound, match="no stored file"):
            store.find("nothing-like-this.pdf")


def test_jobs_two_gives_the_same_records_as_one(tmp_path: Path, sample: Path) -> None:
    rows = []
    for jobs in (1, 2):
        with api.open_store(f"sqlite:///{tmp_path / f'j{jobs}.sqlite'}") as store:
            summary = api.ingest(store, [sample, BAD / "html_saved_as.pdf"], jobs=jobs)
            assert len(summary.refused) == 1
            assert "html_saved_as.pdf" in summary.refused[0].reasons[0]
            rows.append(api.table(store, "inspections").rows)
    assert rows[0] == rows[1]
    assert len(rows[0]) == len(SAMPLE)


def test_missing_path_is_refused_by_name(sqlite_url: str, tmp_path: Path) -> None:
    with api.open_store(sqlite_url) as store:
        summary = api.ingest(store, [tmp_path / "no-such-folder"])
        assert summary.refused[0].reasons == (
            f"{tmp_path / 'no-such-folder'}: no such file or folder",
        )


def test_schema_is_at_the_newest_migration(db_url: str) -> None:
    with api.open_store(db_url) as store:
        assert migrate.current(store.engine) == migrate.head()


@pytest.mark.parametrize(
    "url",
    ["not a url", "nosuchdialect://x/y", "sqlite:////proc/no/such/place/x.sqlite"],
)
def test_unusable_database_url_is_a_store_error(url: str) -> None:
    with pytest.raises(StoreError):
        Store.open(url)


def test_migrations_build_exactly_the_models_schema(db_url: str) -> None:
    """A model changed without its migration (or the reverse) shows up here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from ofsted_csc.storage.models import (
        SEARCH_FTS_TABLE,
        SEARCH_TSV_COLUMN,
        SEARCH_TSV_INDEX,
        Base,
    )

    def ours(
        obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
    ) -> bool:
        """The search index is the database's own, beside the model (migration 0009)."""
        if type_ == "table" and name and name.startswith(SEARCH_FTS_TABLE):
            return False
        return not (type_ in ("column", "index") and name in (SEARCH_TSV_COLUMN, SEARCH_TSV_INDEX))

    with api.open_store(db_url) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
