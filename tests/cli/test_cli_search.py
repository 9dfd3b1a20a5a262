"""`ofsted-csc search` and `reindex`: the hits as a table, CSV, JSON or XLSX; a bad query is
one line and exit 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.conftest import REPORTS

from ofsted_csc import api
from ofsted_csc.cli.app import EXIT_ATTENTION, EXIT_ERROR, EXIT_OK, main
from ofsted_csc.domain.search import words_of
from ofsted_csc.parsing.pdf import read_pdf

REPORT = REPORTS / "50282103.pdf"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code: int = EXIT_OK
    try:
        main(list(args))
    except SystemExit as exc:
        assert isinstance(exc.code, int)
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(sqlite_url: str, read_in_process: None) -> str:
    with api.open_store(sqlite_url) as store:
        api.ingest(store, [REPORT])
    return sqlite_url


def _pages_with(word: str) -> set[int]:
    pages = read_pdf(REPORT.read_bytes(), REPORT.name).pages
    return {n for n, page in enumerate(pages, 1) if word in words_of(page)}


def test_csv_has_every_column_and_a_row_a_page(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", db, "search", "neglect", "--format", "csv")
    assert code == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == api.SEARCH_COLUMNS
    assert {int(r["page"]) for r in rows} == _pages_with("neglect")
    assert {r["link"] for r in rows} == {"https://files.ofsted.gov.uk/v1/file/50282103"}
    assert all("[neglect]" in r["passage"].lower() for r in rows)


def test_json_gives_the_marked_passage(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(
        capsys,
        "--db",
        db,
        "search",
        '"neglect strategy"',
        "--council",
        "Stockport",
        "--format",
        "json",
    )
    assert code == EXIT_OK
    rows = json.loads(out)
    assert rows and set(rows[0]) == set(api.SEARCH_COLUMNS)
    assert all("[neglect strategy]" in r["passage"].lower() for r in rows)
    assert rows[0]["council"] == "Stockport" and rows[0]["la_code"] == "356"


def test_xlsx_to_a_file(db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "hits.xlsx"
    code, _out, err = run(capsys, "--db", db, "search", "neglect", "-o", str(out))
    assert code == EXIT_OK and out.stat().st_size > 0 and "written to" in err


def test_the_table_marks_matches(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--db", db, "search", "neglect", "--limit", "2")
    assert code == EXIT_OK
    assert "2 pages matching neglect" in out and "[neglect]" in out.lower()


@pytest.mark.parametrize(
    ("query", "said"),
    [('"neglect', "quote is not closed"), ("NOT", "NOT needs"), ("NOT neglect", "only leaves")],
)
def test_a_bad_query_is_one_line_and_exit_2(
    db: str, capsys: pytest.CaptureFixture[str], query: str, said: str
) -> None:
    code, out, err = run(capsys, "--db", db, "search", query)
    assert code == EXIT_ERROR and out == ""
    assert len(err.strip().splitlines()) == 1 and said in err and err.startswith("ofsted-csc: ")


def test_a_bad_filter_is_one_line_and_exit_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--db", db, "search", "neglect", "--grade", "brilliant")
    assert code == EXIT_ERROR and len(err.strip().splitlines()) == 1


def test_reindex_then_search(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with api.open_store(db) as store, store.engine.begin() as conn:
        conn.execute(text("DELETE FROM document_pages"))
    code, out, err = run(capsys, "--db", db, "search", "neglect", "--format", "csv")
    assert code == EXIT_OK and "reindex" in err and out.strip() == ",".join(api.SEARCH_COLUMNS)
    code, out, _err = run(capsys, "--db", db, "reindex")
    assert code == EXIT_OK and "1 file indexed" in out
    code, out, err = run(capsys, "--db", db, "search", "neglect", "--format", "csv")
    assert {int(r["page"]) for r in csv.DictReader(io.StringIO(out))} == _pages_with("neglect")
    assert "reindex" not in err


def test_reindex_stores_the_themes_of_documents_without_them(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with api.open_store(db) as store, store.engine.begin() as conn:
        conn.execute(text("DELETE FROM document_themes"))
    code, out, _err = run(capsys, "--db", db, "reindex")
    assert code == EXIT_OK and "1 document themed" in out
    with api.open_store(db) as store:
        assert len(store.stored_themes()) == 1
    code, out, _err = run(capsys, "--db", db, "reindex")
    assert code == EXIT_OK and "themed" not in out


def test_reindex_exits_1_for_a_file_without_its_pdf(
    sqlite_url: str, read_in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with api.open_store(sqlite_url) as store:
        api.ingest(store, [REPORT], keep_pdf=False)
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM document_pages"))
    code, out, _err = run(capsys, "--db", sqlite_url, "reindex")
    assert code == EXIT_ATTENTION and REPORT.name in out
