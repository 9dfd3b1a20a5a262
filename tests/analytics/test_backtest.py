"""The backtest's scores, worked by hand on small cases, and the forecast tested on the
official outcomes built into the package: it beats the climatological rate and both outcome
baselines on the pooled years."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from ofsted_csc.analytics import backtest
from ofsted_csc.analytics.backtest import Scored
from ofsted_csc.analytics.benchmarking import Facts
from ofsted_csc.analytics.forecast import CouncilForecast, Settings, history_at
from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.frameworks import Framework, Kind
from ofsted_csc.domain.grades import Grade

OUT, G, RI, INAD = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE


def test_brier_scores_by_hand() -> None:
    assert backtest.brier(0.8, True) == pytest.approx(0.04)
    assert backtest.brier(0.8, False) == pytest.approx(0.64)
    p = {OUT: 0.1, G: 0.6, RI: 0.2, INAD: 0.1}
    # (0.1)^2 + (0.6 - 1)^2 + (0.2)^2 + (0.1)^2
    assert backtest.multi_brier(p, G) == pytest.approx(0.22)
    assert backtest.multi_brier({G: 1.0}, RI) == 2.0  # sure and wrong


def test_calibration_bins_by_hand() -> None:
    pairs = [(0.05, False), (0.15, True), (0.12, False), (0.95, True), (1.0, True)]
    got = backtest.calibration(pairs, bins=10)
    assert [(b.low, b.forecasts, b.observed) for b in got] == [
        (0.0, 1, 0.0),
        (0.1, 2, 0.5),
        (0.9, 2, 1.0),
    ]
    assert got[1].predicted == pytest.approx(0.135)


def _council(urn: str) -> Council:
    return Council(urn=urn, la_code=urn, gss_code=f"E0600000{urn}", name=f"C{urn}", ons_name="")


def _inspection(urn: str, start: date) -> Facts:
    return Facts(
        urn,
        Framework.ILACS,
        Kind.STANDARD,
        start,
        start + timedelta(days=40),
        {"overall_effectiveness": G},
    )


def test_climatological_rate_is_the_share_inspected_in_each_of_three_years() -> None:
    registry = CouncilRegistry([_council(str(n)) for n in range(1, 5)])
    as_at = date(2023, 3, 31)
    # the windows end 90 days before the date: 31 Dec 2022, 2021 and 2020 (a year each)
    facts = [
        _inspection("1", date(2022, 6, 1)),  # first window
        _inspection("2", date(2022, 2, 1)),  # second
        _inspection("3", date(2021, 3, 1)),  # third
        _inspection("4", date(2020, 6, 1)),  # third
        _inspection("4", date(2023, 2, 1)),  # after the last window ends: not counted
    ]
    history = history_at(facts, registry, as_at)
    # 1 of 4, 1 of 4, 2 of 4
    assert backtest.climatological_rate(history, registry) == pytest.approx((1 + 1 + 2) / 12)


def _scored(f: CouncilForecast, **kw: object) -> Scored:
    values: dict[str, object] = dict(
        forecast=f,
        climate=0.3,
        base={OUT: 0.1, G: 0.4, RI: 0.3, INAD: 0.2},
        inspected=False,
        next_start=None,
        actual=None,
        data_end=date(2099, 1, 1),
    )
    values.update(kw)
    return Scored(**values)  # type: ignore[arg-type]


def test_baselines_and_the_interval_check() -> None:
    from ofsted_csc.analytics.forecast import forecast

    registry = CouncilRegistry([_council("1")])
    f = forecast([_inspection("1", date(2019, 5, 6))], registry, date(2022, 3, 31))[0]
    assert f.last_grade is G
    s = _scored(f, inspected=True, next_start=f.window_start, actual=RI)
    assert s.persistence == {OUT: 0.0, G: 1.0, RI: 0.0, INAD: 0.0}
    assert s.in_interval is True
    # the next inspection after the window, or none by the end of the data: outside
    assert _scored(f, next_start=f.window_end + timedelta(days=1)).in_interval is False
    assert _scored(f, data_end=f.window_end + timedelta(days=1)).in_interval is False
    # the window ends after the data: not known yet
    assert _scored(f, data_end=f.window_end - timedelta(days=1)).in_interval is None
    summary = backtest.summary("x", [s])
    assert summary.outcome == pytest.approx(backtest.multi_brier(f.probabilities, RI))
    assert summary.persistence == 2.0
    assert summary.in_window == 1.0


@pytest.fixture(scope="module")
def built_in(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Facts], CouncilRegistry]:
    from ofsted_csc import api
    from ofsted_csc.storage.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('backtest') / 'built-in.sqlite'}"
    with Store.open(url, bundled=True) as store:
        snap = api.snapshot(store)
    return list(snap.facts), snap.registry


def test_on_the_built_in_official_outcomes_the_forecast_beats_its_baselines(
    built_in: tuple[list[Facts], CouncilRegistry],
) -> None:
    facts, registry = built_in
    everything = history_at(facts, registry, backtest.FAR)
    settings = Settings()
    scored = [
        s
        for d in backtest.march_31(range(2015, 2024))  # the official statistics end March 2024
        for s in backtest.score_history(
            history_at(facts, registry, d), registry, settings, everything
        )
    ]
    pooled = backtest.summary("pooled", scored)
    assert pooled.councils > 1300 and pooled.inspected > 300
    assert pooled.timing < pooled.climate
    assert pooled.outcome is not None and pooled.persistence is not None
    assert pooled.base_rates is not None
    assert pooled.outcome < pooled.base_rates < pooled.persistence
    assert pooled.next_in_window is not None and 0.6 < pooled.next_in_window < 0.95


def test_the_benchmark_prints_the_years_the_pooled_scores_and_calibration(
    built_in: tuple[list[Facts], CouncilRegistry], tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    url = f"sqlite:///{tmp_path / 'built-in.sqlite'}"
    done = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "forecast.py"), "--db", url, "--to", "2020"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "OFSTED_CSC_BUNDLED": "1", "PYTHONPATH": str(root / "src")},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    years = [line.split()[0] for line in lines if line[:3] == "201" or line[:4] == "2020"]
    assert years == [*(f"{y}-03-31" for y in range(2015, 2021)), "2015-2019", "2020"]
    assert any(line.startswith("pooled") for line in lines)
    assert "Calibration, timing" in done.stdout and "Calibration, outcome" in done.stdout


def test_on_the_official_outcomes_a_forecast_is_the_same_without_what_came_later(
    built_in: tuple[list[Facts], CouncilRegistry],
) -> None:
    from ofsted_csc.analytics.benchmarking import visible
    from ofsted_csc.analytics.forecast import forecast
    from ofsted_csc.reports.rows import forecast_row

    facts, registry = built_in
    as_at = date(2019, 3, 31)
    known = [f for f in facts if visible(f, as_at)]
    assert len(known) < len(facts)  # the official rows go on to 2024
    every = [forecast_row(f) for f in forecast(facts, registry, as_at)]
    assert every == [forecast_row(f) for f in forecast(known, registry, as_at)]
    # a row published the day after, of an inspection begun before, changes nothing either
    extra = replace(known[-1], start=as_at, published=as_at + timedelta(days=1), source="later")
    assert every == [forecast_row(f) for f in forecast([*facts, extra], registry, as_at)]
