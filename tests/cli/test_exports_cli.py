"""Exports (the contract's columns, every format) and the command line, run as users run it."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import pytest
from tests.conftest import BAD, REPORTS

from ofsted_csc import api
from ofsted_csc.reports import exports

EXPECTED = json.loads((REPORTS / "expected.json").read_text())

CONTRACT_INSPECTIONS = (
    "source_file,sha256,urn,la_code,council,framework,kind,inspection_start,inspection_end,"
    "published,published_source,lead_inspector,overall_effectiveness,leadership,"
    "help_and_protection,in_care,in_care_includes_care_leavers,care_leavers,adoption,lscb,"
    "recommendations,parser_version,link,council_page"
)
CONTRACT_RECOMMENDATIONS = (
    "source_file,sha256,urn,council,inspection_start,position,scope,priority,text,"
    "national_framework_outcome,link,council_page"
)
CONTRACT_LETTERS = (
    "source_file,sha256,urn,council,kind,letter_date,visit_start,visit_end,lead_inspector,"
    "theme,priority_actions,areas_for_improvement,link,council_page"
)
GRADES = {"outstanding", "good", "requires_improvement", "adequate", "inadequate", ""}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding every committed report fixture."""
    folder = tmp_path_factory.mktemp("db")
    url = f"sqlite:///{folder / 'exports.sqlite'}"
    with api.open_store(url) as store:
        summary = api.ingest(store, [REPORTS])
        assert len(summary.stored) == len(EXPECTED)
    return url


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx(source: Path | bytes) -> list[list[Any]]:
    """The first sheet's cells, the header row first (as written: no formula evaluated)."""
    book = openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)
    return [[c.value for c in row] for row in book.worksheets[0].iter_rows()]


def test_contract_columns_are_exactly_the_issue_s() -> None:
    assert ",".join(exports.INSPECTION_COLUMNS) == CONTRACT_INSPECTIONS
    assert ",".join(exports.RECOMMENDATION_COLUMNS) == CONTRACT_RECOMMENDATIONS
    assert ",".join(exports.LETTER_COLUMNS) == CONTRACT_LETTERS


def test_inspections_csv_matches_the_expected_records(db: str) -> None:
    with api.open_store(db) as store:
        buf = io.StringIO()
        api.export(store, "inspections", "csv", stdout=buf)
    text = buf.getvalue()
    assert text.splitlines()[0] == CONTRACT_INSPECTIONS
    rows = {r["source_file"]: r for r in _csv(text)}
    assert set(rows) == set(EXPECTED)
    for name, expected in EXPECTED.items():
        row = rows[name]
        assert row["urn"] == expected["council_urn"]
        assert row["framework"] == expected["framework"]
        assert row["kind"] == expected["kind"]
        assert row["inspection_start"] == expected["inspection_start"]
        assert row["inspection_end"] == (expected["inspection_end"] or "")
        assert row["published"] == (expected["published"] or "")
        assert row["published_source"] == (expected["published_source"] or "")
        assert row["recommendations"] == str(len(expected["recommendations"]))
        for area in ("overall_effectiveness", "leadership", "help_and_protection", "in_care"):
            grade = expected["judgements"].get(area)
            want = grade if grade in GRADES or grade == "not_judged" else ""
            assert row[area] == want, (name, area)
        assert row["in_care_includes_care_leavers"] in ("true", "false", "")
        if expected["framework"] == "ilacs" and expected["edition"] == "ilacs_2018":
            assert row["in_care_includes_care_leavers"] == "true"
            assert row["care_leavers"] == ""
        if expected["edition"] in ("ilacs_2023", "ilacs_2026"):
            assert row["in_care_includes_care_leavers"] == "false"
        for area in ("overall_effectiveness", "lscb", "adoption", "care_leavers"):
            assert row[area] in GRADES | {"not_judged"}
            if expected["judgements"][area] == "not_judged":
                assert row[area] == "not_judged"  # Ofsted's "Not judged", not an empty cell


def test_recommendations_csv_is_verbatim_and_in_order(db: str) -> None:
    with api.open_store(db) as store:
        buf = io.StringIO()
        api.export(store, "recommendations", "csv", stdout=buf)
    rows = _csv(buf.getvalue())
    for name, expected in EXPECTED.items():
        mine = [r for r in rows if r["source_file"] == name]
        assert [r["text"] for r in mine] == [e["text"] for e in expected["recommendations"]]
        assert [int(r["position"]) for r in mine] == list(range(1, len(mine) + 1))
        assert [r["scope"] for r in mine] == [e["scope"] for e in expected["recommendations"]]
        assert [r["priority"] for r in mine] == [
            e["priority"] or "" for e in expected["recommendations"]
        ]
        assert [r["national_framework_outcome"] for r in mine] == [
            e["national_framework_outcome"] or "" for e in expected["recommendations"]
        ]


@pytest.mark.parametrize("what", ["inspections", "recommendations", "letters"])
def test_every_format_holds_the_same_rows(db: str, tmp_path: Path, what: str) -> None:
    with api.open_store(db) as store:
        data = api.table(store, what)
        files = {}
        for fmt in ("csv", "xlsx", "parquet", "json"):
            files[fmt] = tmp_path / f"{what}.{fmt}"
            assert api.export(store, what, fmt, files[fmt]) == len(data.rows)
    with files["csv"].open(newline="", encoding="utf-8") as f:
        as_csv = list(csv.reader(f))
    as_xlsx = _xlsx(files["xlsx"])
    parquet = pq.read_table(files["parquet"])
    as_json = json.loads(files["json"].read_text())
    columns = list(data.columns)
    assert as_csv[0] == as_xlsx[0] == parquet.column_names == columns
    assert all(list(item) == columns for item in as_json)
    assert len(as_csv) - 1 == len(as_xlsx) - 1 == parquet.num_rows == len(as_json) == len(data.rows)
    # XLSX holds CSV's cells: the same text, numbers as numbers, empty where CSV is empty
    assert [["" if v is None else str(v) for v in row] for row in as_xlsx] == as_csv
    sha = columns.index("sha256")
    assert [row[sha] for row in as_csv[1:]] == parquet.column("sha256").to_pylist()
    assert [item["sha256"] for item in as_json] == [row[sha] for row in as_xlsx[1:]]
    assert not list(tmp_path.glob("*.part"))


# text a spreadsheet would run if it were stored as a formula, or read as one in a CSV
LOOKS_LIKE_A_FORMULA = ('=HYPERLINK("http://example.org/x","Click")', "+1+2", "-3", "@SUM(A1)")


def test_text_read_from_a_pdf_that_starts_with_a_formula_sign_is_exported_as_text(
    tmp_path: Path,
) -> None:
    """A recommendation reading `=HYPERLINK(...)` (a real report read, its first
    recommendation's text replaced, as a PDF that printed it would be read): the XLSX export
    and download hold it as text, read back a string and not a formula; CSV and JSON hold it
    verbatim (README, "Exports")."""
    import dataclasses

    from ofsted_csc.services.ingest import parse_data

    name = "50304386.pdf"
    data = (REPORTS / name).read_bytes()
    text = LOOKS_LIKE_A_FORMULA[0]
    result = parse_data(data, REPORTS / name)
    assert not isinstance(result, Exception) and result.record.recommendations
    first, *rest = result.record.recommendations
    record = dataclasses.replace(
        result.record, recommendations=[dataclasses.replace(first, text=text), *rest]
    )
    result = dataclasses.replace(result, record=record)
    out = tmp_path / "recommendations.xlsx"
    with api.open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        store.save(result, data)
        found = store.find(name)
        assert found.outcome == "inspection"  # stored, not in review
        assert found.result.record.recommendations[0].text == text
        api.export(store, "recommendations", "xlsx", out)
        table = api.table(store, "recommendations")
        download = api.table_bytes(table, "xlsx")
        as_csv = _csv(api.table_bytes(table, "csv").decode("utf-8-sig"))
        as_json = json.loads(api.table_bytes(table, "json"))
    column = exports.RECOMMENDATION_COLUMNS.index("text") + 1
    for book in (openpyxl.load_workbook(out), openpyxl.load_workbook(io.BytesIO(download))):
        cell = book.worksheets[0].cell(row=2, column=column)
        assert (cell.value, cell.data_type) == (text, "s")
    assert as_csv[0]["text"] == as_json[0]["text"] == text


def test_every_workbook_holds_text_as_text(tmp_path: Path) -> None:
    """Any table (`write_table`, what `national -o x.xlsx` writes) and the council profile's
    workbook (`write_workbook`): text starting with =, +, - or @ reads back as that text, and
    the profile's other values keep their types."""
    rows: list[dict[str, Any]] = [{"text": t, "n": i} for i, t in enumerate(LOOKS_LIKE_A_FORMULA)]
    table = tmp_path / "table.xlsx"
    api.write_table(api.rows.TableData("table", ("text", "n"), rows), "xlsx", table)
    profile = tmp_path / "profile.xlsx"
    typed = {"text": "=1+1", "day": date(2024, 5, 1), "flag": True, "none": None}
    api.write_workbook(
        {"inspections": [typed, {"text": "@x", "extra": 2.5}], "visits": [], "words": rows},
        profile,
    )
    expected = [["text", "n"]] + [[t, i] for i, t in enumerate(LOOKS_LIKE_A_FORMULA)]
    assert _xlsx(table) == expected
    book = openpyxl.load_workbook(profile)
    assert book.sheetnames == ["inspections", "visits", "words", "Data dictionary"]
    assert [[c.value for c in r] for r in book["words"].iter_rows()] == expected
    assert [[c.value for c in r] for r in book["inspections"].iter_rows()] == [
        ["text", "day", "flag", "none", "extra"],
        ["=1+1", datetime(2024, 5, 1), True, None, None],
        ["@x", None, None, None, 2.5],
    ]
    assert book["visits"].max_row == 1 and book["visits"]["A1"].value is None
    for path in (table, profile):
        cells = [c for ws in openpyxl.load_workbook(path) for r in ws.iter_rows() for c in r]
        assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}
    assert not list(tmp_path.glob("*.part"))


def test_parquet_keeps_types(db: str, tmp_path: Path) -> None:
    out = tmp_path / "i.parquet"
    with api.open_store(db) as store:
        api.export(store, "inspections", "parquet", out)
    schema = pq.read_schema(out)
    assert str(schema.field("inspection_start").type) == "date32[day]"
    assert str(schema.field("recommendations").type) == "int64"
    assert str(schema.field("in_care_includes_care_leavers").type) == "bool"


def test_d2i_history_layout_has_ilacs_rows_only(db: str) -> None:
    with api.open_store(db) as store:
        buf = io.StringIO()
        api.export(store, "inspections", "csv", layout="d2i-history", stdout=buf)
    rows = _csv(buf.getvalue())
    ilacs = [n for n, e in EXPECTED.items() if e["framework"] == "ilacs"]
    assert len(rows) == len(ilacs)
    assert list(rows[0]) == list(exports.D2I_COLUMNS)
    for row in rows:
        assert row["inspection_link"].rsplit("/", 1)[1] + ".pdf" in ilacs
        assert date.fromisoformat(row["inspection_start_date"]).year >= 2018


# -- the command line, as a user runs it --


def run(*args: str, db: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("OFSTED_CSC_DB", None)
    cmd = [sys.executable, "-m", "ofsted_csc"]
    if db:
        cmd += ["--db", db]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, env=env, timeout=300)


def test_cli_ingest_show_export_review(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPORTS / "50304386.pdf", folder)
    shutil.copy(REPORTS / "2754178.pdf", folder)
    done = run("ingest", str(folder), db=db)
    assert done.returncode == 0, done.stderr
    assert "2 files: 2 stored" in done.stdout

    again = run("ingest", str(folder), db=db)
    assert again.returncode == 0
    assert "2 unchanged" in again.stdout

    shown = run("show", "50304386", db=db)
    assert shown.returncode == 0, shown.stderr
    assert "Brent" in shown.stdout
    assert "Monique Lindsay" in shown.stdout
    assert "p1" in shown.stdout  # pages each value came from
    as_json = json.loads(run("show", "50304386.pdf", "--json", db=db).stdout)
    assert as_json["record"]["lead_inspector"] == "Monique Lindsay"
    assert as_json["record"]["pages"]["lead_inspector"] == 1

    exported = run("export", "inspections", db=db)
    assert exported.returncode == 0
    assert exported.stdout.splitlines()[0] == CONTRACT_INSPECTIONS
    assert len(exported.stdout.splitlines()) == 3

    out = tmp_path / "recs.xlsx"
    assert run("export", "recommendations", "-o", str(out), db=db).returncode == 0
    assert len(_xlsx(out)) - 1 == len(EXPECTED["50304386.pdf"]["recommendations"]) + len(
        EXPECTED["2754178.pdf"]["recommendations"]
    )

    nothing = run("review", db=db)
    assert nothing.returncode == 0
    assert "Nothing needs review" in nothing.stdout


def test_cli_refusal_exit_code_and_message(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    done = run("ingest", str(BAD / "html_saved_as.pdf"), str(tmp_path / "missing.pdf"), db=db)
    assert done.returncode == 1
    assert "2 refused" in done.stdout
    assert "html_saved_as.pdf: this is a web page (HTML)" in done.stdout
    assert "missing.pdf: no such file or folder" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export", "inspections", "--format", "xlsx"), "--format xlsx needs --output FILE"),
        (("export", "letters", "--layout", "d2i"), "layout of `export inspections` only"),
        (("show", "no-such-file.pdf"), "no-such-file.pdf: no stored file"),
        (("ingest", "--jobs", "0", "x"), "--jobs"),
    ],
)
def test_cli_errors_are_one_plain_message(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    done = run(*args, db=db)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_bad_database_url(tmp_path: Path) -> None:
    done = run("review", db="nosuchdialect://x")
    assert done.returncode == 2
    assert done.stderr.startswith("ofsted-csc: nosuchdialect://x")
    assert "Traceback" not in done.stderr


def test_cli_bad_corrections_file(tmp_path: Path) -> None:
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("sha256,field,value\nnot-a-sha,lscb,good\n")
    done = run(
        "ingest",
        str(REPORTS / "50304386.pdf"),
        "--corrections",
        str(fixes),
        db=f"sqlite:///{tmp_path / 'c.sqlite'}",
    )
    assert done.returncode == 2
    assert f"{fixes}, line 2" in done.stderr


def test_cli_national_regions_inspections(db: str, tmp_path: Path) -> None:
    done = run("national", "--as-at", "2026-12-31", "--format", "csv", db=db)
    assert done.returncode == 0, done.stderr
    rows = _csv(done.stdout)
    assert list(rows[0]) == ["judgement", "grade", "count", "percent", "total"]
    overall = {r["grade"]: r for r in rows if r["judgement"] == "overall_effectiveness"}
    # each council of the fixtures counts once, by its latest inspection (a standalone LSCB
    # review is not an inspection of the council's services)
    councils = {e["council_urn"] for e in EXPECTED.values() if e["kind"] != "lscb_review"}
    graded = sum(int(r["count"]) for g, r in overall.items() if g in GRADES)
    assert graded + int(overall["not_judged"]["count"]) == len(councils)
    assert int(overall["good"]["total"]) == graded
    # councils whose latest inspection makes no overall effectiveness judgement (Brent and
    # West Northamptonshire 2026, after the April reform)
    latest: dict[str, dict[str, Any]] = {}
    for e in EXPECTED.values():
        if e["kind"] != "lscb_review":
            urn = e["council_urn"]
            if urn not in latest or e["inspection_start"] > latest[urn]["inspection_start"]:
                latest[urn] = e
    no_overall = sum(
        1 for e in latest.values() if e["judgements"]["overall_effectiveness"] not in GRADES
    )
    assert no_overall == 2
    assert int(overall["not_judged"]["count"]) == no_overall
    xlsx = tmp_path / "n.xlsx"
    assert run("national", "--round", "sif", "-o", str(xlsx), db=db).returncode == 0
    assert _xlsx(xlsx)[0] == ["judgement", "grade", "count", "percent", "total"]
    regions = run("regions", "--as-at", "2026-12-31", "--by", "ofsted", "--format", "json", db=db)
    assert len(json.loads(regions.stdout)) == 8
    period = run(
        "inspections",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--by",
        "start",
        "--format",
        "json",
        db=db,
    )
    got = json.loads(period.stdout)
    want = [n for n, e in EXPECTED.items() if e["inspection_start"].startswith("2025")]
    assert sorted(r["source"] for r in got) == sorted(want)
    bad = run("national", "--as-at", "31/02/2024", db=db)
    assert bad.returncode == 2 and "is not a date" in bad.stderr
