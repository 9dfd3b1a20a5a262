"""Links on every record, `export judgements` (tidy data) and the data dictionary."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from tests.conftest import FIXTURES, REPORTS, SHARED

from ofsted_csc import api
from ofsted_csc.analytics.snapshot import Snapshot
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.frameworks import EXPORTED_AREAS
from ofsted_csc.domain.publications import OFSTED, file_id_of_name
from ofsted_csc.domain.records import InspectionRecord, JudgementStatus
from ofsted_csc.reports import dictionary, exports, rows
from ofsted_csc.storage.web import KnownPublication
from ofsted_csc.themes import load_taxonomy

LETTERS = FIXTURES / "letters"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The committed report fixtures and letters."""
    url = f"sqlite:///{tmp_path_factory.mktemp('links') / 'links.sqlite'}"
    with api.open_store(url) as store:
        summary = api.ingest(store, [REPORTS, LETTERS])
        assert summary.stored
    return url


@pytest.fixture(scope="module")
def snap(db: str) -> Snapshot:
    with api.open_store(db) as store:
        return api.snapshot(store)


def _all_tables(snap: Snapshot) -> list[rows.TableData]:
    """Every table the package exports (`export`, the web's downloads, `forecast`, `changes`,
    a council profile's workbook), made from the fixtures."""
    tables = [api.table(snap, t.value) for t in exports.Table]
    tables += [api.table(snap, "inspections", lay.value) for lay in exports.Layout]
    tables.append(api.documents_table(snap))
    tables.append(rows.TableData("forecast", api.FORECAST_COLUMNS, api.forecast(snap)))
    councils = api.councils(snap)
    assert councils and all(tuple(r) == rows.COUNCIL_COLUMNS for r in councils)
    tables.append(rows.TableData("councils", rows.COUNCIL_COLUMNS, councils))
    between = api.inspections_between(snap, date(2000, 1, 1), date(2100, 1, 1))
    assert between and all(tuple(r) == rows.COMPARISON_COLUMNS for r in between)
    tables.append(rows.TableData("inspections", rows.COMPARISON_COLUMNS, between))
    tables += [api.changes_table(snap, view) for view in api.CHANGE_VIEWS]
    counts = api.theme_counts(snap)[2]
    tables.append(rows.theme_download_rows(counts, load_taxonomy()))
    visited = {d.council.urn for d in snap.documents if d.is_letter and d.council}
    inspected = Counter(f.council_urn for f in snap.facts if f.council_urn in visited)
    council = snap.registry.by_urn(inspected.most_common(1)[0][0])
    assert council is not None
    profile, visits = api.council_profile(snap, council)
    for name, got in api.profile_tables(profile, visits).items():
        assert got, name  # a council with inspections and visits: every sheet has rows
        columns = tuple(dict.fromkeys(k for row in got for k in row))
        tables.append(rows.TableData(name, columns, got))
    return tables


# -- links --


def test_links_are_ofsted_s_file_address_where_the_file_name_is_its_id(snap: Snapshot) -> None:
    table = api.table(snap, "inspections")
    assert table.rows
    for row in table.rows:
        file_id = file_id_of_name(row["source_file"])
        assert file_id is not None  # every report fixture is named by its Ofsted file id
        assert row["link"] == f"https://files.ofsted.gov.uk/v1/file/{file_id}"
        assert row["council_page"] == f"https://reports.ofsted.gov.uk/provider/44/{row['urn']}"
    recs = api.table(snap, "recommendations").rows
    assert recs and all(r["link"] and r["link"].endswith(r["source_file"][:-4]) for r in recs)


def test_links_are_empty_when_the_file_id_is_unknown(snap: Snapshot) -> None:
    renamed = [
        replace(s, result=replace(s.result, source=replace(s.result.source, file_name="x.pdf")))
        for s in snap.inspections
    ]
    rows_ = exports.build_table(exports.Table.INSPECTIONS, renamed, snap.registry).rows
    assert rows_ and all(r["link"] is None for r in rows_)
    assert all(r["council_page"] for r in rows_ if r["urn"])
    assert rows.document_link("0" * 64, "report 2019.pdf", None) is None
    assert rows.council_page(None) is None
    # what sync saw on Ofsted's site gives the file id whatever the file is called
    sha = renamed[0].result.source.sha256

    def listing(sha256: str) -> KnownPublication | None:
        if sha256 != sha:
            return None
        return KnownPublication(
            "12345678", "80468", "Children's services inspection", "inspections",
            date(2023, 8, 10), "https://example.org/mirror/12345678", "stored", sha, None,
            None, None,
        )  # fmt: skip

    listed = exports.build_table(exports.Table.INSPECTIONS, renamed, snap.registry, listing=listing)
    links = {r["sha256"]: r["link"] for r in listed.rows}
    assert links.pop(sha) == "https://files.ofsted.gov.uk/v1/file/12345678"
    assert set(links.values()) == {None}


def test_letters_export_carries_link_and_council_page(snap: Snapshot) -> None:
    table = api.table(snap, "letters")
    assert "link" in table.columns and "council_page" in table.columns
    assert table.rows
    for row in table.rows:
        # letter fixtures are named by a hash of their content, not Ofsted's id: no link
        assert row["source_file"].startswith("fv-") and row["link"] is None
        assert row["council_page"] == (OFSTED.provider_url(row["urn"]) if row["urn"] else None)
    # the same letter stored under its Ofsted file id, or listed by sync, has one
    item = snap.letters[0]
    named = replace(item, result=replace(item.result, source=replace(item.result.source, file_name="50200024.pdf")))  # fmt: skip
    [row] = rows.letter_rows([named], snap.registry)
    assert row["link"] == "https://files.ofsted.gov.uk/v1/file/50200024"


def test_listing_download_and_api_carry_links(snap: Snapshot) -> None:
    listing = api.documents_table(snap)
    for row in listing.rows:
        fid = file_id_of_name(row["file_name"])
        assert row["link"] == (OFSTED.file_url(fid) if fid else None)
    assert any(r["link"] is None for r in listing.rows)  # the letters
    assert any(r["link"] for r in listing.rows)


def test_a_council_profile_and_show_carry_links(db: str, snap: Snapshot) -> None:
    report = next(f for f in snap.facts if file_id_of_name(f.source))
    council = snap.registry.by_urn(report.council_urn)
    assert council is not None
    profile, visits = api.council_profile(snap, council)
    history = api.profile_tables(profile, visits)["inspections"]
    assert history
    for row in history:
        fid = file_id_of_name(row["source"])
        assert row["link"] == (OFSTED.file_url(fid) if fid else None)
    sha = snap.inspections[0].result.source.sha256
    with api.open_store(db) as store:
        shown = api.stored_json(api.show(store, sha), store)
    name = snap.inspections[0].result.source.file_name
    assert shown["link"] == OFSTED.file_url(name.removesuffix(".pdf"))
    assert str(shown["council_page"]).startswith("https://reports.ofsted.gov.uk/provider/44/")


# -- judgements --


def test_judgements_columns_and_rows_on_the_fixtures(snap: Snapshot) -> None:
    table = api.table(snap, "judgements")
    assert table.columns == rows.JUDGEMENT_COLUMNS
    assert {"la_code", "gss_code", "judgement", "grade", "source", "sha256", "link"} <= set(
        table.columns
    )
    made = 0
    for item in snap.inspections:
        r = item.result.record
        assert isinstance(r, InspectionRecord)
        made += sum(
            1
            for a in EXPORTED_AREAS
            if (j := r.judgements.get(a)) and j.status is not JudgementStatus.NOT_IN_FRAMEWORK
        )
    assert len(table.rows) == made  # no official statistics in this store
    assert {r["source"] for r in table.rows} == {"document"}
    by_sha = Counter(r["sha256"] for r in table.rows)
    assert set(by_sha) == {i.result.source.sha256 for i in snap.inspections}
    grades = {r["grade"] for r in table.rows}
    assert grades <= {"outstanding", "good", "requires_improvement", "adequate", "inadequate", "not_judged", None}  # fmt: skip
    # the tidy table agrees with the wide one, cell by cell
    wide = {r["sha256"]: r for r in api.table(snap, "inspections").rows}
    for r in table.rows:
        assert wide[r["sha256"]][r["judgement"]] == r["grade"]
        assert wide[r["sha256"]]["link"] == r["link"]


def test_the_judgements_csv_writes_not_judged_as_the_other_exports(db: str) -> None:
    with api.open_store(db) as store:
        buf = io.StringIO()
        n = api.export(store, "judgements", "csv", stdout=buf)
    got = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(got) == n
    assert list(got[0]) == list(rows.JUDGEMENT_COLUMNS)
    # a report's "Not judged" is `not_judged`, as in `export inspections`
    with api.open_store(db) as store:
        wide = io.StringIO()
        api.export(store, "inspections", "csv", stdout=wide)
    not_judged = {
        (r["sha256"], j)
        for r in csv.DictReader(io.StringIO(wide.getvalue()))
        for j in rows.JUDGEMENTS
        if r[j] == "not_judged"
    }
    assert not_judged  # the fixtures hold SIF reports of small councils that print it
    assert {(r["sha256"], r["judgement"]) for r in got if r["grade"] == "not_judged"} == not_judged
    with api.open_store(db) as store, pytest.raises(InvalidInput, match="layout"):
        api.table(store, "judgements", "d2i")


# -- the dictionary --


def test_the_docs_file_is_the_package_s_dictionary() -> None:
    assert DOCS.read_text(encoding="utf-8") == dictionary.markdown(), (
        "docs/data-dictionary.md is out of date: python -m ofsted_csc.reports.dictionary "
        "> docs/data-dictionary.md"
    )
    readme = (DOCS.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/data-dictionary.md" in readme


def test_every_column_of_every_export_is_in_the_dictionary(snap: Snapshot) -> None:
    for table in _all_tables(snap):
        entry = dictionary.export_of(table)
        assert entry is not None, table.name
        for column, described in dictionary.describe(table):
            assert described is not None and described.meaning, (table.name, column)
            assert f"| `{column}` |" in dictionary.markdown()
    # and every export the dictionary describes is one the package writes
    found = {e.name for t in _all_tables(snap) if (e := dictionary.export_of(t))}
    assert found == {e.name for e in dictionary.EXPORTS}


def test_every_xlsx_export_has_the_dictionary_sheet(db: str, tmp_path: Path) -> None:
    for what in ("inspections", "letters", "judgements"):
        out = tmp_path / f"{what}.xlsx"
        with api.open_store(db) as store:
            api.export(store, what, "xlsx", out)
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == [what, "Data dictionary"]
        sheet = [[c.value for c in r] for r in book["Data dictionary"].iter_rows()]
        assert sheet[0] == ["column", "meaning", "values"]
        header = [c.value for c in next(book[what].iter_rows())]
        assert [r[0] for r in sheet[1:]] == header
        assert all(r[1] for r in sheet[1:])
        link = next(r for r in sheet if r[0] == "link")
        assert "files.ofsted.gov.uk/v1/file/" in link[2]


# -- the corpus, with the official statistics imported --

CORPUS = SHARED / "corpus"
OFFICIAL = SHARED / "official"
# Councils whose reports the corpus test reads (URNs): a few, to keep it quick.
CORPUS_COUNCILS = ("2637539", "80419", "80426")


@pytest.mark.corpus
@pytest.mark.skipif(
    not (CORPUS / "manifest.csv").is_file() or not list(OFFICIAL.glob("*.ods")),
    reason="the development corpus and official statistics (../shared) are not here",
)
def test_judgements_on_the_corpus_with_official_statistics(tmp_path: Path) -> None:
    with (CORPUS / "manifest.csv").open(encoding="utf-8") as f:
        chosen = [
            CORPUS / "reports" / f"{r['file_id']}.pdf"
            for r in csv.DictReader(f)
            if r["urn"] in CORPUS_COUNCILS
        ]
    chosen = [p for p in chosen if p.is_file()]
    assert chosen
    url = f"sqlite:///{tmp_path / 'corpus.sqlite'}"
    with api.open_store(url) as store:
        api.ingest(store, chosen)
        for ods in sorted(OFFICIAL.glob("*.ods")):
            api.import_official(store, ods)
        snap = api.snapshot(store)
        buf = io.StringIO()
        n = api.export(snap, "judgements", "csv", stdout=buf)
    got = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(got[0]) == list(rows.JUDGEMENT_COLUMNS) and len(got) == n
    # one row per inspection and judgement made: the reports' judgements (and the official
    # LSCB grade of a SIF report that prints none), then the official-only inspections'
    expected = sum(len(f.grades) for f in snap.official_facts)
    for item in snap.inspections:
        r = item.result.record
        assert isinstance(r, InspectionRecord)
        facts = snap.dated_facts_of(item.result.source.sha256)
        for a in EXPORTED_AREAS:
            j = r.judgements.get(a)
            if (j is not None and j.status is not JudgementStatus.NOT_IN_FRAMEWORK) or (
                facts is not None and a.value in facts.grades
            ):
                expected += 1
    assert n == expected
    official = [r for r in got if r["source"] == "official statistics" and not r["sha256"]]
    assert official, "inspections known only from the official statistics are included"
    assert all(r["link"] == "" and r["council_page"] for r in official)
    docs = [r for r in got if r["source"] == "document"]
    assert docs and all(
        r["link"] == OFSTED.file_url(r["source_file"].removesuffix(".pdf")) for r in docs
    )
    # each inspection's judgement once (a spreadsheet row may hold several inspections)
    key = ("sha256", "source_file", "framework", "kind", "published", "judgement")
    assert len({tuple(r[k] for k in key) for r in got}) == n
