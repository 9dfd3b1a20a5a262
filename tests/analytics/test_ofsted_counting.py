"""Figures as Ofsted counts them, pinned on the official outcomes built into the package (and
one real report): a round's inspections with re-inspections, councils only while they exist,
and the official publication date over a report's estimate."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import FIXTURES

from ofsted_csc import api
from ofsted_csc.analytics.benchmarking import national_picture
from ofsted_csc.cli.app import cli
from ofsted_csc.domain.frameworks import Area, Framework
from ofsted_csc.storage.store import Store

SIF_ROUND_2016 = date(2016, 8, 5)
# Ofsted: "104 SIF inspections published as at 5 August 2016", re-inspections included
OFSTED_SIF_2016 = {"outstanding": 2, "good": 25, "requires_improvement": 52, "inadequate": 25}
BOURNEMOUTH = "80434"  # abolished 1 April 2019


def _overall(rows: list[dict[str, object]]) -> dict[str, object]:
    return {
        str(r["grade"]): r["count"]
        for r in rows
        if r["judgement"] == Area.OVERALL.value and r["count"]
    }


@pytest.fixture(scope="module")
def built_in(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('counting') / 'built-in.sqlite'}"
    with Store.open(url, bundled=True):
        pass
    return url


def test_the_sif_round_of_5_august_2016_counts_104_inspections(built_in: str) -> None:
    with Store.open(built_in, bundled=True) as store:
        inspections = api.national(store, published_by=SIF_ROUND_2016, round="sif")
        councils = api.national(store, published_by=SIF_ROUND_2016, round="sif", count="councils")
    assert inspections.as_at == SIF_ROUND_2016  # the table's date is its published-by date
    assert (inspections.counting, inspections.inspections) == ("inspections", 104)
    assert _overall(api.rows.picture_rows(inspections)) == OFSTED_SIF_2016
    # the councils' table: each council once, by its latest inspection in the round
    assert (councils.counting, councils.inspected) == ("councils", 103)
    assert sum(_overall(api.rows.picture_rows(councils)).values()) == 103  # type: ignore[arg-type]


def test_the_cli_offers_both_counts_and_says_which(built_in: str) -> None:
    run = CliRunner().invoke
    base = ["--db", built_in, "national", "--round", "sif", "--published-by", "2016-08-05"]
    table = run(cli, base, env={"OFSTED_CSC_BUNDLED": "1"})
    assert table.exit_code == 0, table.output
    assert "SIF round: 104 inspections published (103 of 152 councils; 1 re-inspection" in (
        table.output
    )
    assert "--count councils" in table.output
    got = run(cli, [*base, "--format", "json"], env={"OFSTED_CSC_BUNDLED": "1"})
    assert _overall(json.loads(got.output)) == OFSTED_SIF_2016
    got = run(cli, [*base, "--count", "councils"], env={"OFSTED_CSC_BUNDLED": "1"})
    assert "103 of 152 councils, each by its latest inspection in the round" in got.output


def test_a_council_counts_only_while_it_exists(built_in: str) -> None:
    with Store.open(built_in, bundled=True) as store:
        snap = api.snapshot(store)
    mine = [f for f in snap.facts if f.council_urn == BOURNEMOUTH]
    assert any(f.framework is Framework.ILACS for f in mine)  # inspected in 2018
    before = national_picture(mine, snap.registry, date(2019, 3, 31), round="ilacs")
    after = national_picture(mine, snap.registry, date(2020, 6, 9), round="ilacs")
    assert (before.inspections, after.inspections) == (1, 0)
    now = national_picture(mine, snap.registry, date(2020, 6, 9))
    assert now.inspected == 0  # nor in the picture of its successor's time
    whole = national_picture(snap.facts, snap.registry, date(2020, 6, 9), round="ilacs")
    assert whole.councils == 151 and whole.inspected <= whole.councils


def test_the_official_date_wins_in_benchmarks_and_the_estimate_stays_in_show(
    tmp_path: Path,
) -> None:
    # North Yorkshire's 2018 ILACS report prints no date: its PDF metadata says 14 August;
    # Ofsted's official statistics say 6 August
    url = f"sqlite:///{tmp_path / 'ny.sqlite'}"
    env = {"OFSTED_CSC_BUNDLED": "1"}
    run = CliRunner().invoke
    assert run(cli, ["--db", url, "ingest", str(FIXTURES / "dated")], env=env).exit_code == 0
    got = run(
        cli,
        [
            "--db",
            url,
            "inspections",
            "--from",
            "2018-08-01",
            "--to",
            "2018-08-10",
            "--format",
            "json",
        ],
        env=env,
    )
    ny = [r for r in json.loads(got.output) if r["council"] == "North Yorkshire"]
    assert [(r["published"], r["published_source"], r["source"]) for r in ny] == [
        ("2018-08-06", "official_statistics", "50010311.pdf")
    ]
    shown = run(cli, ["--db", url, "show", "50010311.pdf"], env=env).output
    assert "2018-08-14 (pdf_metadata)" in shown
    assert "Published 6 August 2018, as Ofsted's official statistics say" in shown
    # without the official statistics, the estimate is all there is
    alone = run(
        cli,
        [
            "--db",
            url,
            "inspections",
            "--from",
            "2018-08-01",
            "--to",
            "2018-08-20",
            "--format",
            "json",
        ],
        env={"OFSTED_CSC_BUNDLED": "0"},
    )
    assert [(r["published"], r["published_source"]) for r in json.loads(alone.output)] == [
        ("2018-08-14", "pdf_metadata")
    ]


def test_the_national_page_shows_the_rounds_as_ofsted_counts_them(built_in: str) -> None:
    import re

    from ofsted_csc import config
    from ofsted_csc.web.app import Settings, create_app

    config.use(config.current().with_(bundled=True))
    try:
        client = create_app(Settings(db_url=built_in)).test_client()
        page = client.get("/?as_at-day=5&as_at-month=8&as_at-year=2016").get_data(True)
    finally:
        config.use(None)
    row = re.search(r'<th scope="row" class="govuk-table__header">SIF</th>(.*?)</tr>', page, re.S)
    assert row is not None
    cells = [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]
    assert cells == ["104 (1 re-inspection)", "103", "2", "25", "52", "25", "0"]
    assert ">ILACS</th>" not in page  # no ILACS inspection was published by then


def test_the_picture_at_31_march_is_ofsteds_own_table_by_default(built_in: str) -> None:
    """Issue 25, item 5: Ofsted's 31 March 2024 table counts inspections up to the date whose
    reports were published by 30 June: 30 outstanding, 61 good, 43 requires improvement, 17
    inadequate of the 151 councils then graded. Any other day counts its own reports, and
    each picture says which it counted."""
    with Store.open(built_in, bundled=True) as store:
        picture = api.national(store, date(2024, 3, 31))
        own = api.national(store, date(2024, 3, 30))
        asked = api.national(store, date(2024, 3, 31), date(2024, 3, 31))
    assert picture.published_by == date(2024, 6, 30)
    counts = {r.grade: r.count for r in picture.rows if r.judgement == "overall_effectiveness"}
    assert [counts[g] for g in ("outstanding", "good", "requires_improvement", "inadequate")] == [
        30,
        61,
        43,
        17,
    ]
    assert "as Ofsted counts" in api.rows.picture_title(picture)
    assert own.published_by == date(2024, 3, 30)
    assert "whose reports were published by then" in api.rows.picture_title(own)
    assert "not Ofsted's rule" in asked.reports_counted
    assert sum(r.count for r in asked.rows if r.judgement == "overall_effectiveness") == sum(
        counts.values()
    )
