"""Benchmark: the forecast of each council's next graded inspection, tested on history.

    python benchmarks/forecast.py [--db URL] [--from 2015] [--to 2024] [--tune] [--factors]

Makes the forecast as at 31 March of each year from what was published by then (the
package's default settings, or --tune's), scores it against what happened in the following
12 months (ofsted_csc.analytics.backtest) and prints the scores per year and pooled, and a
calibration table of the timing and the outcome probabilities.

--tune chooses the settings on the early years (as at 31 March 2015 to 2019, --tune-to) from
a small grid, then scores them on every year: the default settings in the package are the
ones it chose. --factors tries, on the same years, what the model leaves out: the trajectory
(whether the last inspection improved on the one before) and areas for priority action at
visits since the last inspection, each as a further smoothing of the outcome probabilities.

The store (default: the configured one, with the official outcomes built in) should hold the
reports and letters (`ofsted-csc ingest ../shared/corpus`): the built-in official statistics
end at 31 March 2024, so the last year's outcomes come from the stored reports alone.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from ofsted_csc import api
from ofsted_csc.analytics import backtest
from ofsted_csc.analytics.backtest import Scored, Summary
from ofsted_csc.analytics.benchmarking import change
from ofsted_csc.analytics.forecast import (
    OUTCOME_GRADES,
    History,
    Settings,
    history_at,
    smoothed,
)
from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.grades import Grade

# The settings tried by --tune: the timing's and the outcome's apart (each changes only its own
# scores), each chosen by its pooled Brier score on the tuning years.
TIMING_GRID = {
    "lookback_years": [None, 2.0, 3.0, 5.0],
    "pool_weight": [3.0, 10.0, 30.0],
    "unpublished": [False, True],
}
OUTCOME_GRID = {
    "transition_years": [None, 2.0, 3.0, 5.0],
    "smoothing": [2.0, 4.0, 10.0, 25.0],
    "base_rate_years": [2.0, 3.0],
}


def _f(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def print_table(rows: Sequence[Summary]) -> None:
    head = (
        f"{'as at':<11} {'councils':>8} {'insp':>5} {'timing':>7} {'climate':>7} {'skill':>6}"
        f" {'graded':>6} {'outcome':>7} {'same':>6} {'base':>6} {'in 80%':>6} {'known':>5}"
        f" {'next in 80%':>11}"
    )
    print(head)
    print("-" * len(head))
    for s in rows:
        print(
            f"{s.label:<11} {s.councils:>8} {s.inspected:>5} {_f(s.timing):>7} {_f(s.climate):>7}"
            f" {_f(s.timing_skill, 2):>6} {s.graded:>6} {_f(s.outcome):>7} {_f(s.persistence):>6}"
            f" {_f(s.base_rates):>6} {_pct(s.in_window):>6} {s.known:>5} {_pct(s.next_in_window):>11}"
        )


def print_calibration(title: str, pairs: list[tuple[float, bool]]) -> None:
    print(f"\n{title}")
    print(f"{'predicted':<11} {'forecasts':>9} {'mean p':>7} {'observed':>8}")
    for b in backtest.calibration(pairs):
        print(
            f"{b.low:.1f}-{b.high:.1f}    {b.forecasts:>9} {b.predicted:>7.3f} {b.observed:>8.3f}"
        )


def run(
    registry: CouncilRegistry,
    dates: Sequence[date],
    settings: Settings,
    histories: dict[date, History],
    everything: History,
) -> dict[date, list[Scored]]:
    return {d: backtest.score_history(histories[d], registry, settings, everything) for d in dates}


def pooled(label: str, by_year: dict[date, list[Scored]]) -> Summary:
    return backtest.summary(label, [s for items in by_year.values() for s in items])


def _grid(grid: dict[str, list[object]]) -> list[dict[str, object]]:
    return [dict(zip(grid, values, strict=True)) for values in itertools.product(*grid.values())]


def tune(
    registry: CouncilRegistry,
    dates: Sequence[date],
    histories: dict[date, History],
    everything: History,
) -> Settings:
    """The grid's best settings on `dates` (TIMING_GRID, OUTCOME_GRID)."""
    chosen: dict[str, object] = {}
    for name, grid, score in (
        ("timing", TIMING_GRID, lambda s: s.timing),
        ("outcome", OUTCOME_GRID, lambda s: s.outcome),
    ):
        best: tuple[float, dict[str, object]] | None = None
        for values in _grid(grid):
            got = pooled(
                "tune", run(registry, dates, replace(Settings(), **values), histories, everything)
            )  # type: ignore[arg-type]
            value = score(got)
            said = ", ".join(f"{k} {v}" for k, v in values.items())
            print(f"  {name:<7} {said}: Brier {value:.4f}")
            if best is None or value < best[0]:
                best = (value, values)
        assert best is not None
        chosen.update(best[1])
    return replace(Settings(), **chosen)  # type: ignore[arg-type]


# -- factors the model leaves out, tried as a further smoothing of its probabilities --

FACTORS = ("trajectory", "priority_actions")


def _level(history: History, urn: str, upto: int, factor: str) -> str | None:
    """The factor's level for the council's inspection number `upto` (its last, for the
    forecast): the change from the inspection before it (trajectory), or whether a visit
    after it and before the next named areas for priority action (None: the factor does
    not apply)."""
    items = history.inspections.get(urn, ())
    if factor == "trajectory":
        return change(items[upto - 1].headline[1], items[upto].headline[1]) if upto else None
    after = items[upto].start
    before = items[upto + 1].start if upto + 1 < len(items) else history.as_at
    seen = [v for v in history.visits.get(urn, ()) if after < v.start <= before]
    return "priority actions" if any(v.priority_actions for v in seen) else None


def _factor_counts(
    history: History, factor: str, judgement: str, since: date
) -> dict[tuple[Grade, str], Counter[Grade]]:
    """Next grades after (previous grade, factor level), from the history's pairs whose next
    inspection started since `since` (the model's transition window)."""
    out: dict[tuple[Grade, str], Counter[Grade]] = defaultdict(Counter)
    for urn, items in history.inspections.items():
        for i in range(len(items) - 1):
            a, b = items[i], items[i + 1]
            ga, gb = a.facts.grades.get(judgement), b.facts.grades.get(judgement)
            if ga is None or gb not in OUTCOME_GRADES or gb is None or b.start < since:
                continue
            level = _level(history, urn, i, factor)
            if level is not None:
                out[(ga, level)][gb] += 1
    return out


def try_factors(
    by_year: dict[date, list[Scored]],
    histories: dict[date, History],
    settings: Settings,
    strength: float,
) -> None:
    """Each factor as a further smoothing of the forecast of the councils it applies to,
    (n_k + strength * p_k) / (n + strength) over the pairs with the same previous grade and
    level; prints the mean change of the outcome Brier score and its standard error."""
    for factor in FACTORS:
        diffs: list[float] = []
        for d, items in by_year.items():
            history = histories[d]
            years = settings.transition_years
            since = d - timedelta(days=round(years * 365.25)) if years else date.min
            counts: dict[str, dict[tuple[Grade, str], Counter[Grade]]] = {}
            for s in items:
                f = s.forecast
                mine = history.inspections.get(f.council.urn, ())
                if s.actual is None or f.last_grade is None or not mine:
                    continue
                level = _level(history, f.council.urn, len(mine) - 1, factor)
                if level is None:
                    continue
                if f.judgement not in counts:
                    counts[f.judgement] = _factor_counts(history, factor, f.judgement, since)
                found = counts[f.judgement].get((f.last_grade, level), Counter())
                p = smoothed(found, f.probabilities, strength)
                diffs.append(
                    backtest.multi_brier(p, s.actual)
                    - backtest.multi_brier(f.probabilities, s.actual)
                )
        n = len(diffs)
        if n < 2:
            print(
                f"  {factor:<17} strength {strength:>4}: applies to {n} forecasts: nothing to measure"
            )
            continue
        mean = sum(diffs) / n
        se = (sum((x - mean) ** 2 for x in diffs) / (n - 1) / n) ** 0.5
        verdict = (
            "helps"
            if mean < -2 * se
            else "does not help (within two standard errors)"
            if mean < 0
            else "does not help"
        )
        print(
            f"  {factor:<17} strength {strength:>4}: {n} forecasts, Brier change {mean:+.4f} "
            f"(standard error {se:.4f}): {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="Database URL (default: the configured store).")
    parser.add_argument("--from", dest="first", type=int, default=2015)
    parser.add_argument("--to", dest="last", type=int, default=2024)
    parser.add_argument("--tune", action="store_true", help="Choose the settings first.")
    parser.add_argument("--tune-to", type=int, default=2019, help="Last year tuned on.")
    parser.add_argument("--factors", action="store_true", help="Try the left-out factors.")
    args = parser.parse_args()

    started = time.perf_counter()
    store = api.open_store(args.db)
    snap = api.snapshot(store)
    facts = list(snap.facts)
    letters = [i.result.record for i in snap.letters]
    registry = snap.registry
    dates = backtest.march_31(range(args.first, args.last + 1))
    tune_dates = [d for d in dates if d.year <= args.tune_to]
    settings = Settings()
    histories = {
        d: history_at(facts, registry, d, letters, settings.together_days)  # type: ignore[arg-type]
        for d in dates
    }
    everything = history_at(facts, registry, backtest.FAR, letters)  # type: ignore[arg-type]
    official_to = max((r.published for r in snap.official_rows if r.published), default=None)
    official = sum(1 for f in facts if f.source.startswith("official:"))
    print(
        f"{store.url}: {len(facts)} graded inspections ({official} from official statistics "
        f"alone; their rows run to reports published {official_to}: later years' outcomes "
        f"come from the stored reports), {len(letters)} visit letters"
    )
    if args.tune:
        print(f"\nTuning on as at 31 March {tune_dates[0].year}-{tune_dates[-1].year}:")
        settings = tune(registry, tune_dates, histories, everything)
        print(f"chosen: {settings}")
    by_year = run(registry, dates, settings, histories, everything)
    print(
        f"\nForecast as at 31 March, scored on the next {settings.horizon_days} days "
        f"(settings: waits of the last {settings.lookback_years} years, pool weight "
        f"{settings.pool_weight}, allowing for unpublished inspections {settings.unpublished}; "
        f"transitions of the last {settings.transition_years} years, smoothing "
        f"{settings.smoothing}, base rates of the last {settings.base_rate_years} years)\n"
        "timing/climate: Brier of P(graded inspection) and of the climatological rate; skill = "
        "1 - timing/climate\noutcome/same/base: multi-class Brier of the grade probabilities, "
        "of the same grade as last time, of the national base rates\nin 80%: inspections in the "
        "year inside their interval; known: forecasts whose interval ended by the data's last "
        "inspection; next in 80%: of those, the next inspection inside the interval\n"
    )
    summaries = [backtest.summary(str(d), items) for d, items in by_year.items()]
    tuned = {d: v for d, v in by_year.items() if d in tune_dates}
    held = {d: v for d, v in by_year.items() if d not in tune_dates}
    summaries.append(pooled("pooled", by_year))
    if tuned and held:
        for part in (tuned, held):
            years = sorted(d.year for d in part)
            label = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
            summaries.append(pooled(label, part))
    print_table(summaries)
    under_way = sum(
        1
        for d, items in by_year.items()
        for s in items
        if any(
            i.start <= d < (i.facts.published or i.start)
            for i in everything.inspections.get(s.forecast.council.urn, ())
        )
    )
    print(
        f"({under_way} forecasts were of councils whose inspection had begun by the date but "
        "was published after it: the forecast cannot see it, and it did not begin in the year)"
    )
    everyone = [s for items in by_year.values() for s in items]
    print_calibration(
        "Calibration, timing (every council, every year):", backtest.timing_pairs(everyone)
    )
    print_calibration(
        "Calibration, outcome (each grade's probability, councils inspected in the year):",
        backtest.outcome_pairs(everyone),
    )
    if args.factors:
        print("\nLeft-out factors, on the tuning years (a negative change is better):")
        for strength in (5.0, 20.0):
            try_factors(tuned or by_year, histories, settings, strength)
        if held:
            print("and on the other years:")
            for strength in (5.0, 20.0):
                try_factors(held, histories, settings, strength)
    print(f"\n{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
