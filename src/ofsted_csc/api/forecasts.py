"""The forecast of each council's next graded inspection: when it is likely to start and the
chances of each headline grade, from what was published by a date. A statistical estimate
from past inspections, not Ofsted's schedule (ofsted_csc.analytics.forecast says how it is
made; benchmarks/forecast.py tests it on history).

    rows = api.forecast(snap)                                   # every council, as at today
    rows = api.forecast(snap, date(2024, 3, 31), ["Slough"], horizon_days=730)
    made = api.council_forecasts(snap, council=["Slough"])      # the same, as objects

Each function takes a Store or a Snapshot; given a snapshot it remembers the forecast of every
council at a date and horizon with it, and what it returns is shared: read it, never change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ofsted_csc.analytics import forecast as model
from ofsted_csc.analytics.forecast import ESTIMATE_NOTE, CouncilForecast, ForecastWords, Settings
from ofsted_csc.api.snapshot import Source, read
from ofsted_csc.domain.councils import Council
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.reports import rows

__all__ = [
    "ESTIMATE_NOTE",
    "FORECAST_COLUMNS",
    "FORECAST_NOTE",
    "CouncilForecast",
    "ForecastWords",
    "council_forecasts",
    "forecast",
    "forecast_words",
    "likeliest_inspected",
]

FORECAST_COLUMNS = rows.FORECAST_COLUMNS
# What every forecast must say beside it (the command's help, pages, briefs).
FORECAST_NOTE = (
    "A statistical estimate from past inspections (what was published by the date), "
    "not Ofsted's schedule."
)

Councils = str | Council | Sequence[str | Council] | None


def _councils(source: Source, wanted: Councils, as_at: date) -> list[Council] | None:
    """The councils asked for (names, codes or URNs), each existing on `as_at`."""
    if wanted is None:
        return None
    registry = read(source).registry
    items = [wanted] if isinstance(wanted, str | Council) else list(wanted)
    found: list[Council] = []
    for item in items:
        council = item if isinstance(item, Council) else registry.lookup(item, on=as_at)
        if not council.exists_on(as_at):
            when = (
                f"until {council.abolished:%-d %B %Y}"
                if council.abolished is not None and council.abolished <= as_at
                else f"from {council.created:%-d %B %Y}"
            )
            raise InvalidInput(
                f"{council.name} did not exist on {as_at:%-d %B %Y} (it existed {when}): "
                "a forecast is made for councils existing on its date"
            )
        if council not in found:
            found.append(council)
    return found


def council_forecasts(
    source: Source,
    as_at: date | None = None,
    council: Councils = None,
    horizon_days: int = Settings.horizon_days,
) -> list[CouncilForecast]:
    """The forecast as at `as_at` (default today; never a later day) of every council existing
    then, by name, or of those named (names, LA or GSS codes, URNs). InvalidInput for a date
    after today, a horizon outside 1 to 3650 days or a council not existing then;
    CouncilNotFound (a NotFound) for a name that fits no council."""
    snap = read(source)
    today = date.today()
    as_at = model.check_as_at(as_at or today, today)
    settings = Settings(horizon_days=horizon_days).check()
    chosen = _councils(snap, council, as_at)
    every = model.of_snapshot(snap, as_at, settings)
    if chosen is None:
        return list(every)
    urns = {c.urn for c in chosen}
    return [f for f in every if f.council.urn in urns]


def forecast(
    source: Source,
    as_at: date | None = None,
    council: Councils = None,
    horizon_days: int = Settings.horizon_days,
) -> list[dict[str, object]]:
    """`council_forecasts` as rows (FORECAST_COLUMNS): what `ofsted-csc forecast` writes."""
    return [rows.forecast_row(f) for f in council_forecasts(source, as_at, council, horizon_days)]


def forecast_words(f: CouncilForecast) -> ForecastWords:
    """A council's forecast in words for a page or a brief (ofsted_csc.analytics.forecast)."""
    return model.describe(f)


def likeliest_inspected(
    source: Source, as_at: date | None = None, horizon_days: int = Settings.horizon_days
) -> list[CouncilForecast]:
    """Every council's forecast, the most likely to have a graded inspection start within
    the horizon first (then by name)."""
    every = council_forecasts(source, as_at, None, horizon_days)
    return sorted(every, key=lambda f: (-f.p_inspection, f.council.name))
