"""Themes over time, per inspection: each theme's share of a period's inspections (reports and
letters apart), hand-checked on four corpus reports whose recommendations were counted by
reading the PDFs; the CLI's `themes compare` and the web page show the periods side by side."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ofsted_csc import api
from ofsted_csc.cli.app import EXIT_OK, main
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.themes import analysis
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

# Recommendations counted by reading each PDF ("Recommendations" of a SIF report, "What needs
# to improve?" of an ILACS report). 50200023 (outstanding) lists none: its "What needs to
# improve?" is a paragraph of prose.
REPORTS = {
    "50004398.pdf": 3,  # SIF, North Lincolnshire, June 2017: thresholds, connected persons
    #   and special guardianship assessments, bed and breakfast for homeless young people
    "50004394.pdf": 4,  # SIF, Merton, June 2017: plans, return home interviews, staying
    #   put, care leavers' health histories
    "50182665.pdf": 2,  # ILACS standard, February 2022: contingency planning in written
    #   plans, decision-making for strategy discussions
    "50200023.pdf": 0,  # ILACS short, October 2022
}
LETTERS = ("fv-494c8c7a4781.pdf", "fv-4d6dd9509e96.pdf")  # focused visits, 2023 and 2025
PERIODS = ("2014-2017", "2022-2026")


@pytest.fixture(scope="module")
def db(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('compare') / 'store.sqlite'}"
    files = [corpus_dir / "reports" / f for f in REPORTS]
    files += [corpus_dir / "letters" / f for f in LETTERS]
    with api.open_store(url) as store:
        summary = api.ingest(store, files)
        assert len(summary.stored) == len(files), summary.files
    return url


@pytest.fixture(scope="module")
def snap(db: str) -> Iterator[api.Snapshot]:
    with api.open_store(db) as store:
        yield api.snapshot(store)


def _rows(c: analysis.Comparison) -> dict[str, tuple[analysis.PeriodCell, ...]]:
    return {r.theme: r.cells for r in c.rows}


def test_the_recommendations_are_those_counted_by_hand(snap: api.Snapshot) -> None:
    docs = {d.file_name: d for d in snap.documents}
    assert {f: len(docs[f].recommendations) for f in REPORTS} == REPORTS


def test_share_of_inspections_hand_checked(snap: api.Snapshot) -> None:
    c = api.compare_themes(snap, PERIODS, "reports")
    assert [p.label for p in c.periods] == list(PERIODS)
    # the bases: two inspections in each period; 3 + 4 recommendations, then 2 + 0
    assert [(b.sources, b.items) for b in c.bases] == [(2, 7), (2, 2)]
    assert [b.items_per_source for b in c.bases] == [3.5, 1.0]
    rows = _rows(c)
    # plans: Merton's first recommendation ("all plans ... care plans ... pathway plans") and
    # the 2022 report's first ("contingency planning in children's written plans"): one
    # inspection of two in each period. By recommendations it would be 1 of 7 against 1 of 2.
    early, late = rows["plans"]
    assert (early.sources, early.base, early.items) == (1, 2, 1)
    assert (late.sources, late.base, late.items) == (1, 2, 1)
    assert early.text() == late.text() == "50% (1 of 2)"
    assert next(r for r in c.rows if r.theme == "plans").change == 0.0
    # strategy discussions: only the 2022 report's second recommendation
    assert [x.text() for x in rows["strategy_enquiries"]] == ["0% (0 of 2)", "50% (1 of 2)"]
    assert next(r for r in c.rows if r.theme == "strategy_enquiries").change == 50.0
    # thresholds: North Lincolnshire's first recommendation
    assert [x.text() for x in rows["front_door"]] == ["50% (1 of 2)", "0% (0 of 2)"]
    # Merton's two recommendations on care leavers' health and staying put are one inspection
    for theme in ("care_leavers_accommodation", "care_leavers_entitlements"):
        assert (rows[theme][0].sources, rows[theme][0].base) == (1, 2)


def test_an_inspection_without_recommendations_is_in_the_base(snap: api.Snapshot) -> None:
    themed = {i.source.file_name for i in api.themed_items(snap)}
    assert "50200023.pdf" not in themed
    assert "50200023.pdf" in {s.file_name for s in api.themed_sources(snap)}
    assert api.compare_themes(snap, PERIODS, "ilacs").bases[1].sources == 2


def test_reports_and_letters_apart(snap: api.Snapshot) -> None:
    reports = api.compare_themes(snap, PERIODS, "reports")
    letters = api.compare_themes(snap, PERIODS, "letter")
    assert [b.sources for b in letters.bases] == [0, 2]
    assert [b.items for b in letters.bases] == [0, 2]  # one area for improvement each
    assert letters.counted == "visits" and reports.counted == "inspections"
    letter_themes = {t for i in api.themed_items(snap) if i.source.is_letter for t in i.themes}
    assert letter_themes, "the letters' areas for improvement have themes"
    for theme, cells in _rows(letters).items():
        assert cells[0].text("visits") == "no visits"
        assert cells[1].base == 2 and cells[1].sources >= 1
        # no letter is counted among the reports
        if theme in _rows(reports):
            assert _rows(reports)[theme][1].base == 2
    by_framework = api.compare_themes(snap, PERIODS, "sif")
    assert [b.sources for b in by_framework.bases] == [2, 0]


def test_periods() -> None:
    p = analysis.Period.parse("2014-2017")
    assert (p.start, p.end, p.label) == (date(2014, 1, 1), date(2017, 12, 31), "2014-2017")
    assert analysis.Period.parse(" 2019 ").label == "2019"
    assert analysis.Period.parse("2014 to 2017") == p
    for bad in ("2017-2014", "2014-17", "last year", ""):
        with pytest.raises(InvalidInput):
            analysis.Period.parse(bad)


def test_cli_periods_side_by_side(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    def run(*args: str) -> tuple[int, str]:
        code = EXIT_OK
        try:
            main(["--db", db, "themes", "compare", *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        return code, capsys.readouterr().out

    code, out = run(*PERIODS)
    assert code == EXIT_OK
    assert "Inspection reports: 2014-2017: 2 inspections, 3.5 items each" in out
    assert "Visit letters: 2014-2017: 0 visits" in out
    plans = next(line for line in out.splitlines() if line.strip().startswith("Plans and"))
    assert plans.count("50% (1 of 2)") == 2 and plans.rstrip().endswith("+0 points")
    assert "not a count of recommendations" in " ".join(out.split())
    code, out = run(*PERIODS, "--group", "reports", "--format", "csv")
    rows = {r["theme"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["plans"]["2014-2017_with_theme"] == "1"
    assert rows["plans"]["2014-2017_base"] == "2"
    assert rows["plans"]["2022-2026_share"] == "0.5"
    assert rows["strategy_enquiries"]["change_points"] == "50.0"
    code, _ = run("2014-2017")
    assert code != EXIT_OK


@pytest.fixture
def client(db: str) -> Iterator[Any]:
    app = create_app(Settings(db_url=db, secret_key="test"))
    yield app.test_client()
    context_of(app).store.close()


def test_web_page_side_by_side_with_downloads(client: Any) -> None:
    page = client.get("/themes/compare?p1=2014-2017&p2=2022-2026").get_data(as_text=True)
    assert 'id="compare-reports"' in page and 'id="compare-letter"' in page
    row = page[page.index('data-theme="plans"') :]
    row = row[: row.index("</tr>")]
    assert row.count("50% (1 of 2)") == 2
    assert "not a count of recommendations" in page
    download = client.get("/themes/compare?p1=2014-2017&p2=2022-2026&group=reports&format=csv")
    text = download.get_data(as_text=True).lstrip("\ufeff")
    rows = {r["theme"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["front_door"]["2014-2017_share"] == "0.5"
    assert rows["front_door"]["2022-2026_share"] == "0.0"
    xlsx = client.get("/themes/compare?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    bad = client.get("/themes/compare?p1=2017-2014")
    assert bad.status_code == 400 and "ends before it starts" in bad.get_data(as_text=True)


def test_json_api(client: Any) -> None:
    body = client.get(
        "/api/themes/compare?period=2014-2017&period=2022-2026&group=reports"
    ).get_json()
    assert [(b["period"], b["base"], b["items"]) for b in body["bases"]] == [
        ("2014-2017", 2, 7),
        ("2022-2026", 2, 2),
    ]
    plans = next(r for r in body["rows"] if r["theme"] == "plans")
    assert (plans["2014-2017_with_theme"], plans["2014-2017_base"]) == (1, 2)
    assert plans["2022-2026_share"] == 0.5
    assert client.get("/api/themes/compare?period=2014-2017").status_code == 400
    assert client.get("/api/themes/compare?period=2014&period=2020&group=x").status_code in (
        400,
        422,
    )
