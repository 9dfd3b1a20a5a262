"""Change over time (issue 25, item 3): pairs of a council's inspections in a row, improvement
episodes and the transition table, on hand-made histories worked out by hand; and the
`changes` command on the built-in official outcomes."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from ofsted_csc import api
from ofsted_csc.analytics.benchmarking import Facts
from ofsted_csc.analytics.changes import (
    DECLINED,
    IMPROVED,
    changes,
    episodes,
    months_between,
    transition_table,
)
from ofsted_csc.cli.app import EXIT_ERROR, cli, main
from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.frameworks import Area, Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.reports.rows import CHANGE_COLUMNS, EPISODE_COLUMNS
from ofsted_csc.storage.store import Store

OUT, G, RI, INAD = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
OVERALL = Area.OVERALL.value


def council(urn: str, name: str) -> Council:
    return Council(
        urn=urn,
        la_code=f"9{urn:0>2}",
        gss_code=f"E0600{urn:0>4}",
        name=name,
        ons_name=name,
        ons_region="North East",
        ofsted_region="North East, Yorkshire and the Humber",
    )


def inspection(urn: str, start: date, grade: Grade, fw: Framework = Framework.ILACS) -> Facts:
    kind = Kind.FULL if fw is Framework.SIF else Kind.STANDARD
    return Facts(
        urn, fw, kind, start, start + timedelta(days=60), {OVERALL: grade}, f"{urn}-{start}"
    )


REGISTRY = CouncilRegistry([council("1", "Ayton"), council("2", "Beeston")])
# Ayton: inadequate (SIF), requires improvement, inadequate again, then good: one episode of
# two inspections between, 2015-01 to 2022-01. Beeston: inadequate, then requires improvement:
# an episode still open. A later inspection of Beeston, published after the date, unseen.
HISTORY = [
    inspection("1", date(2015, 1, 5), INAD, Framework.SIF),
    inspection("1", date(2017, 1, 9), RI, Framework.SIF),
    inspection("1", date(2019, 1, 7), INAD),
    inspection("1", date(2022, 1, 10), G),
    inspection("2", date(2018, 6, 4), INAD, Framework.SIF),
    inspection("2", date(2021, 6, 7), RI),
    inspection("2", date(2024, 5, 6), G),  # published 5 July 2024
]
AS_AT = date(2024, 6, 1)


def test_pairs_are_consecutive_inspections_with_the_change_and_months_between() -> None:
    pairs = changes(HISTORY, REGISTRY, AS_AT)
    seen = [(c.council.name, c.grade_before, c.grade_after, c.direction) for c in pairs]
    assert seen == [
        ("Ayton", INAD, RI, IMPROVED),
        ("Ayton", RI, INAD, DECLINED),
        ("Ayton", INAD, G, IMPROVED),
        ("Beeston", INAD, RI, IMPROVED),  # its 2024 inspection was not published by the date
    ]
    assert pairs[0].months == months_between(date(2015, 1, 5), date(2017, 1, 9)) == 24.1
    later = changes(HISTORY, REGISTRY, date(2024, 8, 1))
    assert [(c.council.name, c.grade_after) for c in later][-1] == ("Beeston", G)


def test_an_episode_runs_from_the_first_inadequate_to_the_first_good_or_better() -> None:
    spells = episodes(HISTORY, REGISTRY, AS_AT)
    ayton, beeston = spells
    assert (ayton.inadequate.start, ayton.reached and ayton.reached.start) == (
        date(2015, 1, 5),
        date(2022, 1, 10),
    )
    assert ayton.inspections_between == 2 and ayton.grade_reached is G
    assert ayton.months == months_between(date(2015, 1, 5), date(2022, 1, 10))
    assert beeston.reached is None and beeston.grade_reached is None  # still open
    assert beeston.inspections_between == 1
    assert beeston.months == months_between(date(2018, 6, 4), AS_AT)
    # inadequate again after reaching good: a second episode
    again = [*HISTORY, inspection("1", date(2023, 3, 6), INAD)]
    assert [e.inadequate.start for e in episodes(again, REGISTRY, AS_AT)][:2] == [
        date(2015, 1, 5),
        date(2023, 3, 6),
    ]


def test_the_transition_table_counts_pairs_by_the_later_inspections_framework() -> None:
    table = transition_table(changes(HISTORY, REGISTRY, AS_AT))
    by = {(r["framework"], r["previous"]): r for r in table}
    assert by[("sif", "inadequate")]["requires_improvement"] == 1  # Ayton 2015 -> 2017
    assert by[("ilacs", "inadequate")]["good"] == 1 and by[("ilacs", "inadequate")]["total"] == 2
    assert by[("ilacs", "requires_improvement")]["inadequate"] == 1
    assert sum(int(r["total"]) for r in table) == 4  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def built_in(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('changes') / 'built-in.sqlite'}"
    with Store.open(url, bundled=True):
        pass
    return url


def test_the_filters_keep_exactly_the_pairs_they_name(built_in: str) -> None:
    with Store.open(built_in, bundled=True) as store:
        every = api.changes(store)
        up = api.changes(store, from_grade="inadequate", to_grade="good")
        london = api.changes(store, region="London", framework="ilacs", since=date(2019, 1, 1))
        with pytest.raises(InvalidInput, match="not a grade"):
            api.changes(store, from_grade="excellent")
        with pytest.raises(InvalidInput, match="after --until"):
            api.changes(store, since=date(2020, 1, 1), until=date(2019, 1, 1))
    assert up == [c for c in every if (c.grade_before, c.grade_after) == (INAD, G)] and up
    assert london == [
        c
        for c in every
        if c.council.ons_region == "London"
        and c.after.framework is Framework.ILACS
        and c.after.start >= date(2019, 1, 1)
    ]
    assert london


def test_the_command_writes_each_view_with_its_columns(
    built_in: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = CliRunner().invoke
    env = {"OFSTED_CSC_BUNDLED": "1"}
    out = run(cli, ["--db", built_in, "changes", "--format", "csv"], env=env)
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output.lstrip("\ufeff"))))
    assert tuple(rows[0]) == CHANGE_COLUMNS
    with Store.open(built_in, bundled=True) as store:
        assert len(rows) == len(api.changes(store))
        spells = api.episodes(store)
    out = run(cli, ["--db", built_in, "changes", "--view", "episodes", "--format", "csv"], env=env)
    rows = list(csv.DictReader(io.StringIO(out.output.lstrip("\ufeff"))))
    assert tuple(rows[0]) == EPISODE_COLUMNS and len(rows) == len(spells)
    assert {r["status"] for r in rows} == {"open", "closed"}
    monkeypatch.setenv("OFSTED_CSC_BUNDLED", "1")
    with pytest.raises(SystemExit) as stopped:
        main(["--db", built_in, "changes", "--view", "episodes", "--from", "good"])
    err = capsys.readouterr().err
    assert stopped.value.code == EXIT_ERROR and "apply to pairs and transitions" in err
    assert len(err.strip().splitlines()) == 1


def test_the_web_page_shows_the_apis_rows_and_downloads_them(
    built_in: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ofsted_csc import config
    from ofsted_csc.web.app import Settings, create_app

    monkeypatch.setenv("OFSTED_CSC_BUNDLED", "1")
    monkeypatch.setenv("OFSTED_CSC_PAGE_CACHE", "0")
    config.use(None)
    client = create_app(Settings(db_url=built_in, secret_key="t")).test_client()
    with Store.open(built_in, bundled=True) as store:
        up = api.changes(store, from_grade="inadequate", to_grade="good")
        london = api.episodes(store, region="London")
    page = client.get("/changes?from_grade=inadequate&to_grade=good").get_data(as_text=True)
    assert f"<strong>{len(up)}</strong>" in page
    assert all(f">{c.council.name}</a>" in page for c in up)
    page = client.get("/changes?view=episodes&region=London").get_data(as_text=True)
    still = sum(1 for e in london if e.reached is None)
    assert f"({len(london) - still} reached good or better, {still} still open)" in page
    got = client.get("/changes?view=episodes&region=London&format=csv")
    rows = list(csv.DictReader(io.StringIO(got.get_data(as_text=True).lstrip("\ufeff"))))
    assert tuple(rows[0]) == EPISODE_COLUMNS and len(rows) == len(london)
    assert client.get("/changes?from_grade=excellent").status_code == 400
    assert "/changes" in client.get("/").get_data(as_text=True)
