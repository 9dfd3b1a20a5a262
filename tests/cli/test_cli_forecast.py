"""`ofsted-csc forecast`: one row per council with the contract's columns, in CSV, JSON, XLSX
or on screen with the reasons; --horizon, --council and --as-at; errors in one line, exit 2.
Run on the official outcomes built into the package."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ofsted_csc import api
from ofsted_csc.cli.app import EXIT_ERROR, cli, main
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.storage.store import Store

AS_AT = "2023-03-31"
BUNDLED = {"OFSTED_CSC_BUNDLED": "1"}


@pytest.fixture(scope="module")
def built_in(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('forecast') / 'built-in.sqlite'}"
    with Store.open(url, bundled=True):
        pass
    return url


def run(url: str, *args: str) -> tuple[int, str]:
    got = CliRunner().invoke(cli, ["--db", url, "forecast", *args], env=BUNDLED)
    assert got.exception is None or isinstance(got.exception, SystemExit), got.output
    return got.exit_code, got.output


def as_json(url: str, *args: str) -> list[dict[str, object]]:
    code, out = run(url, "--as-at", AS_AT, "--format", "json", *args)
    assert code == 0, out
    rows = json.loads(out)
    assert isinstance(rows, list)
    return rows


def test_csv_has_the_columns_and_a_row_per_council_existing_then(built_in: str) -> None:
    code, out = run(built_in, "--as-at", AS_AT, "--format", "csv")
    assert code == 0, out
    table = list(csv.reader(io.StringIO(out)))
    assert tuple(table[0]) == api.FORECAST_COLUMNS
    for needed in ("la_code", "gss_code", "council", "last_inspection_start", "last_grade"):
        assert needed in table[0]
    existing = load_registry().existing_on(date.fromisoformat(AS_AT))
    assert sorted(r[table[0].index("la_code")] for r in table[1:]) == sorted(
        c.la_code for c in existing
    )


def test_json_rows_are_probabilities_windows_and_reasons(built_in: str) -> None:
    rows = as_json(built_in)
    assert {r["judgement"] for r in rows} == {"overall_effectiveness", "leadership"}
    for row in rows:
        grades = [
            row[f"p_{g}"] for g in ("outstanding", "good", "requires_improvement", "inadequate")
        ]
        assert sum(grades) == pytest.approx(1, abs=0.003)  # type: ignore[arg-type]
        assert 0 <= row["p_graded_inspection"] <= 1  # type: ignore[operator]
        assert AS_AT < row["window_start"] <= row["median_start"] <= row["window_end"]  # type: ignore[operator]
        # the headline judgement of an inspection expected (by the median) before April 2026
        before_reform = str(row["median_start"]) < "2026-04-01"
        assert row["judgement"] == ("overall_effectiveness" if before_reform else "leadership")
        assert row["expected_kind"] in ("short", "standard")
        assert row["reasons"]
    leeds = as_json(built_in, "--council", "Leeds", "--council", "E08000035")  # twice: once
    assert [r["council"] for r in leeds] == ["Leeds"]
    assert leeds[0]["la_code"] == "383" and leeds[0]["gss_code"] == "E08000035"


def test_the_same_rows_as_the_python_api(built_in: str) -> None:
    with Store.open(built_in, bundled=True) as store:
        rows = api.forecast(store, date.fromisoformat(AS_AT), "Leeds")
    assert json.loads(json.dumps(rows, default=str)) == as_json(built_in, "--council", "Leeds")


def test_a_longer_horizon_raises_the_chances(built_in: str) -> None:
    year = {r["la_code"]: r for r in as_json(built_in)}
    three = {r["la_code"]: r for r in as_json(built_in, "--horizon", "1095")}
    assert {r["horizon_days"] for r in three.values()} == {1095}
    pairs = [(year[k]["p_graded_inspection"], three[k]["p_graded_inspection"]) for k in year]
    assert all(a <= b for a, b in pairs)  # type: ignore[operator]
    assert sum(1 for a, b in pairs if a < b) > len(pairs) / 2  # type: ignore[operator]
    # the window and the grades do not depend on the horizon
    assert all(year[k]["window_end"] == three[k]["window_end"] for k in year)


def test_on_screen_with_a_council_the_reasons_and_the_caveat(built_in: str) -> None:
    code, out = run(built_in, "--as-at", AS_AT, "--council", "Leeds")
    assert code == 0, out
    assert "not Ofsted's schedule" in out
    assert "Leeds:\n  - its ILACS" in out
    assert "inspected within the next 12 months" in out


def test_help_says_it_is_an_estimate_not_the_schedule() -> None:
    got = CliRunner().invoke(cli, ["forecast", "--help"])
    assert "statistical estimate from past inspections" in got.output
    assert "not\n  Ofsted's schedule" in got.output or "not Ofsted's schedule" in got.output


def test_xlsx_is_written(built_in: str, tmp_path: Path) -> None:
    target = tmp_path / "forecast.xlsx"
    code, out = run(built_in, "--as-at", AS_AT, "-o", str(target))
    assert code == 0, out
    assert target.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--council", "Narnia"], "ofsted-csc: No council matches 'Narnia'."),
        (["--as-at", "2999-01-01"], "ofsted-csc: as at 2999-01-01: that date is in the future"),
        (["--council", "Cumbria"], "ofsted-csc: Cumbria did not exist on"),
        (["--as-at", "2024-02-30"], "“2024-02-30” is not a date"),
        (["--horizon", "0"], "Invalid value for '--horizon'"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    built_in: str,
    args: list[str],
    said: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OFSTED_CSC_BUNDLED", "1")
    with pytest.raises(SystemExit) as stopped:
        main(["--db", built_in, "forecast", *args])
    _out, err = capsys.readouterr()
    assert stopped.value.code == EXIT_ERROR
    assert said in err
    assert "Traceback" not in err
    if err.startswith("ofsted-csc:"):
        assert len(err.strip().splitlines()) == 1
