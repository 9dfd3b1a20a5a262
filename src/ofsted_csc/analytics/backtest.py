"""The forecast tested on history: forecasts made as at past dates from what was published by
then, scored against what happened in the following horizon (benchmarks/forecast.py prints
the tables).

- Timing: the Brier score of the probability of a graded inspection starting in the horizon,
  against the climatological rate (the share of councils inspected in a 12-month window, on
  average over the three windows ending 90 days before the as-at date, from what was
  published by then: the 90 days let the latest inspections' reports come out).
- Outcome: the multi-class Brier score (the sum over the four grades of (p - y)^2, 0 best, 2
  worst) of the headline grade probabilities, for councils inspected in the horizon, against
  the same grade as last time (one-hot; the national base rates where there is none) and the
  national base rates.
- Intervals: of the inspections that started in the horizon, the share inside their 80%
  interval; and, of every forecast whose interval ended by the last inspection in the data,
  the share whose next inspection started inside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ofsted_csc.analytics.benchmarking import Facts
from ofsted_csc.analytics.forecast import (
    OUTCOME_GRADES,
    CouncilForecast,
    History,
    Inspection,
    Settings,
    forecast_from,
    history_at,
    outcomes,
)
from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.records import LetterRecord

# The climatological rate: the share of councils inspected in each of these 12-month
# windows, the last ending this many days before the as-at date.
CLIMATE_WINDOWS = 3
CLIMATE_OFFSET_DAYS = 90


def march_31(years: Iterable[int]) -> list[date]:
    """31 March of each year: the backtest's as-at dates (Ofsted's own year end)."""
    return [date(y, 3, 31) for y in years]


@dataclass(frozen=True)
class Scored:
    """One council's forecast at one date beside what happened."""

    forecast: CouncilForecast
    climate: float  # the climatological rate at the date
    base: dict[Grade, float]  # the national base rates on the forecast's judgement
    inspected: bool  # a graded inspection started in the horizon
    next_start: date | None  # the next graded inspection's start, whenever (if in the data)
    actual: Grade | None  # its grade on the forecast's judgement, if inspected in the horizon
    data_end: date  # the last inspection start in the data

    @property
    def persistence(self) -> dict[Grade, float]:
        """The same grade as last time, one-hot (adequate, before 2013, as requires
        improvement); the base rates with no last grade."""
        last = self.forecast.last_grade
        if last is Grade.ADEQUATE:
            last = Grade.REQUIRES_IMPROVEMENT
        if last is None or last not in OUTCOME_GRADES:
            return dict(self.base)
        return {g: float(g is last) for g in OUTCOME_GRADES}

    @property
    def in_interval(self) -> bool | None:
        """Whether the next inspection started inside the 80% interval; None when the interval
        ends after the last inspection in the data (whether it did is not known yet: leaving
        out only those, and not those whose next inspection is known, keeps late inspections
        in the count)."""
        f = self.forecast
        if f.window_end > self.data_end:
            return None
        return self.next_start is not None and f.window_start <= self.next_start <= f.window_end


def brier(p: float, happened: bool) -> float:
    return (p - float(happened)) ** 2


def multi_brier(p: dict[Grade, float], actual: Grade) -> float:
    """Sum over the grades of (p - y)^2: 0 for a sure right forecast, 2 for a sure wrong one."""
    return sum((p.get(g, 0.0) - float(g is actual)) ** 2 for g in OUTCOME_GRADES)


def climatological_rate(history: History, registry: CouncilRegistry) -> float:
    """The share of councils inspected in a 12-month window, on average over CLIMATE_WINDOWS
    windows, the last ending CLIMATE_OFFSET_DAYS before the history's date."""
    shares: list[float] = []
    end = history.as_at - timedelta(days=CLIMATE_OFFSET_DAYS)
    for _ in range(CLIMATE_WINDOWS):
        start = end - timedelta(days=365)
        councils = registry.existing_on(end)
        inspected = sum(
            1
            for c in councils
            if any(start < i.start <= end for i in history.inspections.get(c.urn, ()))
        )
        if councils:
            shares.append(inspected / len(councils))
        end = start
    return sum(shares) / len(shares) if shares else 0.0


FAR = date(9999, 12, 31)


def score(
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    as_at: date,
    letters: Sequence[LetterRecord] = (),
    settings: Settings | None = None,
    everything: History | None = None,
) -> list[Scored]:
    """Every council's forecast as at `as_at` beside what happened (`everything`: the whole
    history, read once for many dates)."""
    settings = settings or Settings()
    history = history_at(facts, registry, as_at, letters, settings.together_days)
    return score_history(
        history, registry, settings, everything or history_at(facts, registry, FAR)
    )


def score_history(
    history: History, registry: CouncilRegistry, settings: Settings, everything: History
) -> list[Scored]:
    """`score` from the history known at the date and the whole history."""
    as_at = history.as_at
    climate = climatological_rate(history, registry)
    data_end = max(
        (i.start for items in everything.inspections.values() for i in items), default=as_at
    )
    bases = {}
    out: list[Scored] = []
    for f in forecast_from(history, registry, settings):
        if f.judgement not in bases:
            bases[f.judgement] = outcomes(
                history, f.judgement, settings.base_rate_years, settings.transition_years
            ).base
        later: list[Inspection] = [
            i for i in everything.inspections.get(f.council.urn, ()) if i.start > as_at
        ]
        nxt = later[0] if later else None
        inspected = nxt is not None and nxt.start <= as_at + timedelta(days=f.horizon_days)
        actual = nxt.facts.grades.get(f.judgement) if nxt is not None and inspected else None
        out.append(
            Scored(
                forecast=f,
                climate=climate,
                base=bases[f.judgement],
                inspected=inspected,
                next_start=nxt.start if nxt is not None else None,
                actual=actual if actual in OUTCOME_GRADES else None,
                data_end=data_end,
            )
        )
    return out


@dataclass(frozen=True)
class Summary:
    """The scores of a set of forecasts (a year's, or every year's)."""

    label: str
    councils: int
    inspected: int
    timing: float  # Brier of the forecast's timing probability
    climate: float  # Brier of the climatological rate
    graded: int  # councils inspected in the horizon with a grade on the forecast's judgement
    outcome: float | None  # multi-class Brier of the forecast's grade probabilities
    persistence: float | None  # of the same grade as last time
    base_rates: float | None  # of the national base rates
    in_window: float | None  # of inspections in the horizon, the share inside the interval
    known: int  # forecasts whose next inspection is known (inside or outside the interval)
    next_in_window: float | None  # of those, the share inside

    @property
    def timing_skill(self) -> float | None:
        """1 - Brier / climatology's Brier: above 0, better than climatology."""
        return 1 - self.timing / self.climate if self.climate else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summary(label: str, scored: Sequence[Scored]) -> Summary:
    graded = [s for s in scored if s.actual is not None]
    inspected = [s for s in scored if s.inspected]
    known = [s.in_interval for s in scored if s.in_interval is not None]
    return Summary(
        label=label,
        councils=len(scored),
        inspected=len(inspected),
        timing=_mean([brier(s.forecast.p_inspection, s.inspected) for s in scored]) or 0.0,
        climate=_mean([brier(s.climate, s.inspected) for s in scored]) or 0.0,
        graded=len(graded),
        outcome=_mean(
            [multi_brier(s.forecast.probabilities, s.actual) for s in graded if s.actual]
        ),
        persistence=_mean([multi_brier(s.persistence, s.actual) for s in graded if s.actual]),
        base_rates=_mean([multi_brier(s.base, s.actual) for s in graded if s.actual]),
        in_window=_mean(
            [
                float(s.forecast.window_start <= s.next_start <= s.forecast.window_end)
                for s in inspected
                if s.next_start is not None
            ]
        ),
        known=len(known),
        next_in_window=_mean([float(k) for k in known]),
    )


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    forecasts: int
    predicted: float  # mean probability forecast
    observed: float  # share that happened


def calibration(pairs: Iterable[tuple[float, bool]], bins: int = 10) -> list[CalibrationBin]:
    """Forecast probabilities in `bins` equal bins against how often the event happened."""
    grouped: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for p, happened in pairs:
        grouped[min(int(p * bins), bins - 1)].append((p, happened))
    return [
        CalibrationBin(
            i / bins,
            (i + 1) / bins,
            len(items),
            sum(p for p, _ in items) / len(items),
            sum(1 for _, h in items if h) / len(items),
        )
        for i, items in enumerate(grouped)
        if items
    ]


def timing_pairs(scored: Iterable[Scored]) -> list[tuple[float, bool]]:
    return [(s.forecast.p_inspection, s.inspected) for s in scored]


def outcome_pairs(scored: Iterable[Scored]) -> list[tuple[float, bool]]:
    """Each grade's probability, for every council inspected in the horizon, and whether it
    was the grade given."""
    return [
        (s.forecast.probabilities[g], g is s.actual)
        for s in scored
        if s.actual is not None
        for g in OUTCOME_GRADES
    ]
