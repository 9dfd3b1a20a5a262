"""A forecast of each council's next graded inspection: when it is likely to start, and the
grade its headline judgement is likely to get. A statistical estimate from past inspections,
not Ofsted's schedule.

Everything is made from what was published by the as-at date (`benchmarking.visible`): an
inspection that started later, or whose report was published later, and a visit letter dated
later, change nothing (tests/analytics/test_forecast.py pins it).

Timing. The waits between a council's graded inspections (start to start) give a survival
curve (Kaplan-Meier): S(t), the share of waits still running t days after an inspection; a
wait still running on the as-at date (or ended by the council's abolition) counts until then
(censored). Only the last `lookback_years` count: a wait enters the curve on the day that
window first sees it (delayed entry), so the curve says how long councils have waited lately.
A council that has waited t days is inspected within the horizon h with probability
(S(t) - S(t+h)) / S(t), and its 80% interval runs from the 10th to the 90th percentile of the
same curve after t. There is a curve for each grade of the last inspection and one for every
grade together; a council's forecast weighs its grade's curve by the number n of councils of
that grade seen waiting as long, against `pool_weight` for every grade's: n / (n +
pool_weight). Past the longest wait seen, a curve falls at the rate of inspection seen in its
last two years of waits.

Outcome. The next headline grade's probabilities are the grades that followed the same
previous grade at the inspections of the last `transition_years`, smoothed toward the
national base rates (the grades of the graded inspections of the last `base_rate_years`, one
added to each grade's count so that none is ever given no chance):
(n_k + smoothing * base_k) / (n + smoothing). The headline judgement is overall
effectiveness, or the impact of leaders for inspections from April 2026, which have none
(`frameworks.headline_area`, by the interval's median date); the row says which. Visits since
the last inspection and their areas for priority action are said in the reasons; neither they
nor the trajectory (whether the last inspection improved on the one before) move the
probabilities: benchmarks/forecast.py --factors found they did not help.

In two sentences, for a councillor: "Councils that had waited as long as yours since a
similar judgement were inspected within a year in about this share of cases, lately. Of
councils with your last grade inspected again lately, this share got each grade, pulled
toward the national mix where they were few."
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from statistics import median

from ofsted_csc.analytics.benchmarking import Facts, headline_judgement, headline_words, visible
from ofsted_csc.analytics.snapshot import Snapshot
from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.frameworks import (
    FRAMEWORK_SHORT,
    ILACS_FROM,
    KIND_LABELS,
    Area,
    Framework,
    Kind,
    headline_area,
    next_graded_kind,
)
from ofsted_csc.domain.grades import SCALE_SINCE_2013, Grade
from ofsted_csc.domain.records import LetterRecord

YEAR = 365.25  # days
# How far ahead a wait's percentiles are looked for: past it, a council is not expected.
LONGEST_WAIT = 40 * 365
# Days from the first day on site to publication, where the data give too few inspections of
# a framework to measure it (official rows give only the publication date of many
# inspections: their start is estimated as the publication date less the median of the
# framework's inspections that give both, as at the forecast's date).
DEFAULT_PUBLICATION_LAG = 60
MIN_LAGS = 5
# Fewer graded inspections than this in the base-rate years: every earlier one counts too.
MIN_BASE = 20


@dataclass(frozen=True)
class Settings:
    """How the forecast is made. The defaults were chosen on the backtest's early years (as at
    31 March 2015 to 2019, benchmarks/forecast.py --tune) and then scored on every year."""

    horizon_days: int = 365
    lookback_years: float | None = 3.0  # of waits; None: every wait since the data begin
    pool_weight: float = 10.0  # councils' worth of the every-grade curve in a grade's forecast
    smoothing: float = 10.0  # inspections' worth of the base rates in a grade's transitions
    base_rate_years: float = 2.0
    transition_years: float | None = 2.0  # of next inspections; None: every one
    coverage: float = 0.8  # of the interval for the start date
    # A council's graded inspections this close together are one visit for timing (the 2009-12
    # inspections judged safeguarding and looked after children apart, often at one visit).
    together_days: int = 90
    # Allow for an inspection begun but not yet published at the date (`waits`, `Curve.within`):
    # the tuning years did not gain from it (the later years did), so it is off.
    unpublished: bool = False

    def check(self) -> Settings:
        if not 1 <= self.horizon_days <= 10 * 365:
            raise InvalidInput(
                f"horizon: {self.horizon_days} days is not from 1 to {10 * 365} days"
            )
        if not 0 < self.coverage < 1:
            raise InvalidInput(f"coverage: {self.coverage} is not between 0 and 1")
        return self


# -- the history known at a date --


@dataclass(frozen=True)
class Inspection:
    """One graded inspection in a council's history, with the start date the forecast counts
    from (the first day on site, or where the data give only the publication date, an
    estimate of it)."""

    facts: Facts
    start: date
    start_estimated: bool

    @property
    def headline(self) -> tuple[str, Grade | None]:
        return headline_judgement(self.facts)


@dataclass(frozen=True)
class Visit:
    """A focused or monitoring visit known at the date (its letter dated by then)."""

    kind: Kind
    start: date
    priority_actions: int


def publication_lags(facts: Iterable[Facts]) -> dict[Framework, tuple[int, ...]]:
    """Days from the first day on site to publication, per framework, of the inspections that
    give both (sorted)."""
    found: dict[Framework, list[int]] = defaultdict(list)
    for f in facts:
        if f.start_known and f.published is not None and f.published >= f.start:
            found[f.framework].append((f.published - f.start).days)
    return {fw: tuple(sorted(days)) for fw, days in found.items() if len(days) >= MIN_LAGS}


def start_of(f: Facts, lags: Mapping[Framework, Sequence[int]]) -> tuple[date, bool]:
    """An inspection's first day on site, or (official rows that give only the publication
    date) its publication date less the framework's median lag; and whether it is estimated."""
    if f.start_known or f.published is None:
        return f.start, False
    days = lags.get(f.framework)
    lag = int(median(days)) if days else DEFAULT_PUBLICATION_LAG
    return f.published - timedelta(days=lag), True


@dataclass(frozen=True)
class History:
    """What was known at `as_at`: each council's graded inspections (oldest first, those of
    one visit taken as the later one) and its visits by letter, by the council's URN."""

    as_at: date
    inspections: Mapping[str, tuple[Inspection, ...]]
    visits: Mapping[str, tuple[Visit, ...]]
    first_day: date | None  # the earliest graded inspection known
    # Days from the first day on site to publication of the inspections of the framework in
    # force at the date (sorted): an inspection may have begun and not be published yet.
    lags: tuple[int, ...] = (DEFAULT_PUBLICATION_LAG,)

    @property
    def lag(self) -> int:
        """The median of `lags`."""
        return int(median(self.lags))


def history_at(
    facts: Iterable[Facts],
    registry: CouncilRegistry,
    as_at: date,
    letters: Iterable[LetterRecord] = (),
    together_days: int = Settings.together_days,
) -> History:
    """The history known at `as_at`: inspections that started by then and were published by
    then (where the publication date is known), letters of visits begun and dated by then."""
    known = [f for f in facts if not f.is_lscb_only and visible(f, as_at)]
    lags = publication_lags(known)
    by_council: dict[str, list[Inspection]] = defaultdict(list)
    for f in known:
        council = registry.by_urn(f.council_urn)
        if council is not None:
            start, estimated = start_of(f, lags)
            by_council[council.urn].append(Inspection(f, start, estimated))
    inspections: dict[str, tuple[Inspection, ...]] = {}
    for urn, items in by_council.items():
        items.sort(key=lambda i: (i.start, i.facts.published or i.start, i.facts.source))
        kept = [
            a for a, b in itertools.pairwise(items) if (b.start - a.start).days >= together_days
        ]
        inspections[urn] = (*kept, items[-1])
    visits: dict[str, list[Visit]] = defaultdict(list)
    for letter in letters:
        if letter.kind is None or letter.visit_start is None or letter.council_urn is None:
            continue
        if letter.visit_start > as_at or (letter.letter_date and letter.letter_date > as_at):
            continue
        council = registry.by_urn(letter.council_urn)
        if council is not None:
            visits[council.urn].append(
                Visit(letter.kind, letter.visit_start, len(letter.priority_actions))
            )
    first = min((i.start for items in inspections.values() for i in items), default=None)
    in_force = Framework.ILACS if as_at >= ILACS_FROM else Framework.SIF
    return History(
        as_at,
        inspections,
        {urn: tuple(sorted(v, key=lambda x: x.start)) for urn, v in visits.items()},
        first,
        lags.get(in_force, (DEFAULT_PUBLICATION_LAG,)),
    )


# -- timing: survival of waits --


@dataclass(frozen=True)
class Wait:
    """One wait after a graded inspection, as the look-back window sees it: from `entry` days
    after the inspection (0, or when the window opens) to `exit` days after it, ended by the
    council's next graded inspection (`ended`) or still running then (censored)."""

    grade: Grade | None
    entry: int
    exit: int
    ended: bool


def waits(
    history: History,
    registry: CouncilRegistry,
    lookback_years: float | None,
    unpublished: bool = False,
) -> list[Wait]:
    """Every wait in the history, seen through the look-back window (None: all of it). With
    `unpublished`, what is known stops `history.lag` days before the date: an inspection that
    started later is, as a rule, not published yet, so the waits run (censored) to then and
    an inspection that started later, published early, does not end one."""
    known_to = history.as_at - timedelta(days=history.lag if unpublished else 0)
    opens = (
        history.as_at - timedelta(days=round(lookback_years * YEAR))
        if lookback_years is not None
        else None
    )
    out: list[Wait] = []
    for urn, items in history.inspections.items():
        council = registry.by_urn(urn)
        last_day = known_to
        if council is not None and council.abolished is not None:
            last_day = min(last_day, council.abolished)
        nexts: list[Inspection | None] = [*items[1:], None]
        for a, b in zip(items, nexts, strict=True):
            if b is not None and b.start <= last_day:
                end, ended = b.start, True
            else:
                end, ended = last_day, False
            entry = max(0, (opens - a.start).days) if opens is not None else 0
            exit = (end - a.start).days
            if exit > entry:
                out.append(Wait(a.headline[1], entry, exit, ended))
    return out


class Curve:
    """The Kaplan-Meier survival curve of waits (with delayed entry): `survival(t)` is the
    share of waits still running t days after an inspection. Past the longest wait seen, the
    curve falls at the rate of inspection seen in its last two years of waits."""

    TAIL_DAYS = 730

    def __init__(self, waits: Sequence[Wait]) -> None:
        self.waits = tuple(waits)
        self._entries = sorted(w.entry for w in waits)
        self._exits = sorted(w.exit for w in waits)
        ends = Counter(w.exit for w in waits if w.ended)
        self._times: list[int] = sorted(ends)
        self._survival: list[float] = []
        s = 1.0
        for u in self._times:
            s *= 1 - ends[u] / self._risk_set(u)
            self._survival.append(s)
        self.longest = self._exits[-1] if self._exits else 0
        self.tail_rate = self._tail_rate()

    def _risk_set(self, u: int) -> int:
        """Waits running just before day u: entered before it, not ended or censored before."""
        return bisect_left(self._entries, u) - bisect_left(self._exits, u)

    def _tail_rate(self) -> float:
        """Inspections a day, per council waiting, in the last TAIL_DAYS of the longest waits
        seen (else over all the waits; else one in a nominal three-year cycle)."""
        for since in (self.longest - self.TAIL_DAYS, 0):
            ended = exposure = 0
            for w in self.waits:
                lo = max(w.entry, since)
                if w.exit > lo:
                    exposure += w.exit - lo
                    ended += w.ended
            if ended and exposure:
                return ended / exposure
        return 1 / (3 * 365)

    def waiting(self, t: int) -> int:
        """Councils seen still waiting t days after an inspection (in the window)."""
        return bisect_right(self._entries, t) - bisect_right(self._exits, t)

    def survival(self, t: float) -> float:
        """S(t): the share of waits still running t days after an inspection."""
        if t > self.longest:
            return self.survival(self.longest) * math.exp(-self.tail_rate * (t - self.longest))
        i = bisect_right(self._times, t)
        return self._survival[i - 1] if i else 1.0

    def remaining(self, t: int, u: float) -> float:
        """Of waits still running at day t, the share still running at t + u."""
        s = self.survival(t)
        if s <= 0:  # every wait this long ended: go on at the tail's rate
            return math.exp(-self.tail_rate * u)
        return self.survival(t + u) / s

    def within(self, t: int, h: int, lags: Sequence[int] = ()) -> float:
        """P(inspected within h days | waited t days) = (S(t) - S(t+h)) / S(t).

        With `lags` (days from the start of past inspections to their publication, sorted), the
        wait of t days is what was published: the next inspection may have begun in the last
        days and not be published yet. The probability is then of one beginning in the next h
        days, given that none was published: (S(t) - S(t+h)) / D, where D = S(t) + the sum
        over x of P(an inspection began x days ago) * P(its report takes longer than x days)."""
        known = self.survival(t)
        if lags:
            n = len(lags)
            for x in range(min(lags[-1], t)):
                later = n - bisect_right(lags, x)
                if later:
                    known += (self.survival(t - x - 1) - self.survival(t - x)) * later / n
        if known <= 0:  # every wait this long ended: go on at the tail's rate
            return 1 - math.exp(-self.tail_rate * h)
        return (self.survival(t) - self.survival(t + h)) / known


@dataclass(frozen=True)
class Timing:
    """When a council that has waited `waited` days is likely to be inspected."""

    probability: float  # of a graded inspection starting within the horizon
    after: tuple[int, int, int]  # days from the as-at date: low, median, high of the interval
    weight: float  # of its grade's curve (the rest is every grade's)
    waited_as_long: int  # councils of its grade seen waiting as long


def timing(
    pooled: Curve,
    by_grade: Curve | None,
    waited: int,
    horizon: int,
    settings: Settings,
    lags: Sequence[int] = (),
) -> Timing:
    """The blended timing forecast: its grade's curve weighed n / (n + pool_weight) against
    every grade's, n the councils of its grade seen waiting as long. With `lags`, an inspection
    may have begun without being published yet (`Curve.within`)."""
    n = by_grade.waiting(waited) if by_grade is not None else 0
    if by_grade is not None and by_grade.survival(waited) <= 0:
        n = 0
    w = n / (n + settings.pool_weight) if n else 0.0

    def remaining(u: float) -> float:
        mine = by_grade.remaining(waited, u) if by_grade is not None and w else 0.0
        return w * mine + (1 - w) * pooled.remaining(waited, u)

    def quantile(q: float) -> int:
        """The fewest days u after which the share of such waits ended reaches q."""
        lo, hi = 0, LONGEST_WAIT
        if 1 - remaining(hi) < q:
            return hi
        while lo < hi:
            mid = (lo + hi) // 2
            if 1 - remaining(mid) >= q:
                hi = mid
            else:
                lo = mid + 1
        return lo

    p = (1 - w) * pooled.within(waited, horizon, lags)
    if by_grade is not None and w:
        p += w * by_grade.within(waited, horizon, lags)
    tail = (1 - settings.coverage) / 2
    after = (max(quantile(tail), 1), max(quantile(0.5), 1), max(quantile(1 - tail), 1))
    return Timing(p, after, w, n)


# -- outcome: the next headline grade --


OUTCOME_GRADES: tuple[Grade, ...] = SCALE_SINCE_2013  # the next inspection's scale


@dataclass(frozen=True)
class Outcomes:
    """What the next headline grade followed, on one judgement: the base rates, and the
    counts of next grades after each previous grade."""

    judgement: str
    base: dict[Grade, float]
    base_inspections: int
    after: dict[Grade, Counter[Grade]]

    def probabilities(self, previous: Grade | None, smoothing: float) -> dict[Grade, float]:
        """(n_k + smoothing * base_k) / (n + smoothing); the base rates with no previous."""
        counts = self.after.get(previous, Counter()) if previous is not None else Counter()
        return smoothed(counts, self.base, smoothing)


def smoothed(
    counts: Mapping[Grade, int], base: Mapping[Grade, float], smoothing: float
) -> dict[Grade, float]:
    """Counts of next grades smoothed toward base rates: (n_k + s * base_k) / (n + s)."""
    n = sum(counts.get(g, 0) for g in OUTCOME_GRADES)
    if n + smoothing <= 0:
        return {g: base.get(g, 0.0) for g in OUTCOME_GRADES}
    return {
        g: (counts.get(g, 0) + smoothing * base.get(g, 0.0)) / (n + smoothing)
        for g in OUTCOME_GRADES
    }


def on_todays_scale(i: Inspection) -> bool:
    """Whether an inspection was graded on the scale since November 2013 (SIF, ILACS): the
    inspections before it used another scale (Ofsted's statistics give its "adequate" as
    requires improvement) and another framework, so neither base rates nor transitions take
    them as the next grade (they can be the previous one)."""
    return i.facts.framework is not Framework.PRE_SIF and all(
        g in OUTCOME_GRADES for g in i.facts.grades.values()
    )


def outcomes(
    history: History,
    judgement: str,
    base_rate_years: float,
    transition_years: float | None = None,
    min_base: int = MIN_BASE,
) -> Outcomes:
    """Base rates and transitions on `judgement` from the history: base rates from the grades
    of the graded inspections that started in the last `base_rate_years` (every one, when
    there are fewer than `min_base`), one added to each grade's count; transitions from each council's consecutive inspections
    that judge it, the next one on today's scale (`on_todays_scale`)."""
    since = history.as_at - timedelta(days=round(base_rate_years * YEAR))
    pairs_since = (
        history.as_at - timedelta(days=round(transition_years * YEAR))
        if transition_years is not None
        else date.min
    )
    recent: list[Grade] = []
    every: list[Grade] = []
    after: dict[Grade, Counter[Grade]] = defaultdict(Counter)
    for items in history.inspections.values():
        judged = [i for i in items if judgement in i.facts.grades]
        for i in judged:
            if on_todays_scale(i):
                every.append(i.facts.grades[judgement])
                if i.start >= since:
                    recent.append(i.facts.grades[judgement])
        for a, b in itertools.pairwise(judged):
            if on_todays_scale(b) and b.start >= pairs_since:
                after[a.facts.grades[judgement]][b.facts.grades[judgement]] += 1
    chosen = recent if len(recent) >= min_base else every
    counts = Counter(chosen)
    total = len(chosen)
    # one added to each grade's count: no grade is ever given no chance at all
    grades = len(OUTCOME_GRADES)
    base = {g: (counts[g] + 1) / (total + grades) for g in OUTCOME_GRADES}
    return Outcomes(judgement, base, total, dict(after))


# -- the forecast --


@dataclass(frozen=True)
class CouncilForecast:
    """One council's forecast at one date."""

    council: Council
    as_at: date
    horizon_days: int
    last: Inspection | None
    waited_days: int  # since the last graded inspection started (or the council began)
    p_inspection: float
    expected_kind: Kind
    window_start: date
    median_start: date
    window_end: date
    judgement: str  # the headline judgement forecast: overall_effectiveness or leadership
    last_grade: Grade | None  # the last inspection's grade on that judgement
    probabilities: dict[Grade, float]
    visits_since: tuple[Visit, ...]
    reasons: tuple[str, ...] = field(default=())

    @property
    def last_start(self) -> date | None:
        return self.last.start if self.last else None


def _grade_words(grade: Grade) -> str:
    """ "good", "requires improvement"."""
    return grade.short_label.lower()


def _span(days: int) -> str:
    """ "4 years 2 months", "11 months", "3 weeks"."""
    months = round(days / (YEAR / 12))
    if months < 1:
        weeks = max(days // 7, 0)
        return f"{weeks} week{'' if weeks == 1 else 's'}" if weeks else f"{days} days"
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'' if years == 1 else 's'}")
    if months:
        parts.append(f"{months} month{'' if months == 1 else 's'}")
    return " ".join(parts)


def horizon_words(days: int) -> str:
    """ "the next 12 months", "the next 2 years", "the next 90 days"."""
    if days % 365 == 0:
        years = days // 365
        return "the next 12 months" if years == 1 else f"the next {years} years"
    return f"the next {days} days"


def _percent(p: float) -> str:
    return f"{round(100 * p)}%"


def _kind_words(i: Inspection) -> str:
    """ "ILACS short inspection", "SIF full inspection", "looked after children inspection
    (before 2013)"."""
    f = i.facts
    if f.framework is Framework.PRE_SIF:
        return f"{KIND_LABELS[f.kind].lower()} inspection (before 2013)"
    return f"{FRAMEWORK_SHORT[f.framework]} {KIND_LABELS[f.kind].lower()}"


def _lately(years: float | None) -> str:
    """ " in the last 3 years", or nothing (every year)."""
    if years is None:
        return ""
    return f" in the last {years:g} year{'' if years == 1 else 's'}"


def _reasons(
    c: CouncilForecast,
    timing: Timing,
    model: Outcomes,
    timing_grade: Grade | None,
    settings: Settings,
) -> tuple[str, ...]:
    out: list[str] = []
    horizon = horizon_words(c.horizon_days)
    waits_lately = _lately(settings.lookback_years)
    pairs_lately = _lately(settings.transition_years)
    if c.last is None:
        began = (
            f"since it was created in {c.council.created:%B %Y}"
            if c.council.created
            else "on record"
        )
        out.append(f"no graded inspection {began}")
        out.append(
            f"of councils that had waited as long after any inspection{waits_lately}, "
            f"{_percent(c.p_inspection)} were inspected within {horizon}"
        )
    else:
        start = "began" if not c.last.start_estimated else "was published"
        when = c.last.start if not c.last.start_estimated else c.last.facts.published
        assert when is not None
        headline = headline_words(c.last.headline[0])
        judged = f" judged {headline} {_grade_words(timing_grade)}" if timing_grade else ""
        what = f"its {_kind_words(c.last)} that {start} in {when:%B %Y}{judged}"
        after = (
            f"after {_grade_words(timing_grade)}"
            if timing_grade is not None and timing.weight >= 0.5
            else "after any grade"
        )
        out.append(f"{what}, {_span(c.waited_days)} before {c.as_at:%-d %B %Y}")
        out.append(
            f"of councils that had waited as long {after}{waits_lately}, "
            f"{_percent(c.p_inspection)} were inspected within {horizon}"
        )
    what = headline_words(c.judgement)
    counts = model.after.get(c.last_grade) if c.last_grade is not None else None
    if c.last_grade is not None and counts:
        n = sum(counts.values())
        rank = c.last_grade.rank
        shares = (
            ("improved", sum(v for g, v in counts.items() if g.rank < rank)),
            ("stayed the same", sum(v for g, v in counts.items() if g.rank == rank)),
            ("declined", sum(v for g, v in counts.items() if g.rank > rank)),
        )
        said = ", ".join(f"{_percent(k / n)} {word}" for word, k in shares if k)
        out.append(
            f"of {n} council{'' if n == 1 else 's'} with {what} judged "
            f"{_grade_words(c.last_grade)} and inspected again{pairs_lately}, {said} at that "
            "inspection"
        )
    elif c.last_grade is not None:
        out.append(
            f"no council with {what} judged {_grade_words(c.last_grade)} was inspected "
            f"again{pairs_lately}: the grades are the national rates"
        )
    else:
        out.append(f"no grade for {what} to go on: the grades are the national rates")
    for v in c.visits_since:
        actions = (
            "no areas for priority action"
            if v.priority_actions == 0
            else f"{v.priority_actions} area{'' if v.priority_actions == 1 else 's'} for priority action"
        )
        label = KIND_LABELS[v.kind].lower()
        out.append(
            f"a {label} in {v.start:%B %Y} with {actions}"
            if v.kind is Kind.FOCUSED_VISIT
            else f"a {label} in {v.start:%B %Y}"
        )
    return tuple(out)


def of_snapshot(snap: Snapshot, as_at: date, settings: Settings) -> list[CouncilForecast]:
    """Every council's forecast at `as_at` from a snapshot's facts and letters, remembered
    with the snapshot (the API, the pages and the briefs share it): read it, never change it."""

    def made() -> list[CouncilForecast]:
        letters = [
            i.result.record for i in snap.letters if isinstance(i.result.record, LetterRecord)
        ]
        return forecast(snap.facts, snap.registry, as_at, letters, settings)

    return snap.memo(("forecast", as_at, settings), made)


def council_section_words(snap: Snapshot, council: Council, as_at: date) -> ForecastWords | None:
    """A council's forecast in words at `as_at` (12 months ahead), or None when the council
    did not exist then."""
    if not council.exists_on(as_at):
        return None
    made = [f for f in of_snapshot(snap, as_at, Settings()) if f.council.urn == council.urn]
    return describe(made[0]) if made else None


@dataclass(frozen=True)
class ForecastWords:
    """One council's forecast in words for a page or a brief (each figure from the forecast,
    rounded to a whole percent)."""

    chance: str  # "A 32% chance of a graded inspection starting in the next 12 months."
    kind: str  # "If one comes, it is most likely to be a short inspection."
    window: str  # "8 in 10 such inspections would start between ... and ...; ..."
    grades_heading: str  # "The chances of each grade for overall effectiveness"
    grades: tuple[tuple[str, str], ...]  # (grade, "46%"), best grade first
    likeliest: str  # "Most likely: good (46%)."
    reasons: tuple[str, ...]  # the forecast's reasons, each a sentence
    note: str  # that it is an estimate, not Ofsted's schedule


ESTIMATE_NOTE = (
    "This is a statistical estimate from past inspections (what Ofsted had published by the "
    "date), not Ofsted's schedule: Ofsted does not say when it will inspect."
)


def describe(c: CouncilForecast) -> ForecastWords:
    """`c` in words a councillor can read: the chance of a graded inspection within the
    horizon, its likely kind and start, the chance of each grade and why."""
    horizon = horizon_words(c.horizon_days)
    chance = (
        f"A {_percent(c.p_inspection)} chance of a graded inspection starting in {horizon} "
        f"(to {c.as_at + timedelta(days=c.horizon_days):%-d %B %Y})."
    )
    kind = f"If one comes, it is most likely to be a {KIND_LABELS[c.expected_kind].lower()}."
    window = (
        f"Its start: 8 chances in 10 between {c.window_start:%B %Y} and {c.window_end:%B %Y}, "
        f"even odds before or after {c.median_start:%B %Y}."
    )
    what = headline_words(c.judgement)
    heading = f"The chances of each grade for {what} at that inspection"
    if c.judgement != Area.OVERALL.value:
        heading += " (since April 2026 Ofsted gives no overall effectiveness grade)"
    ranked = sorted(c.probabilities.items(), key=lambda kv: kv[0].rank)
    grades = tuple((g.short_label.lower(), _percent(p)) for g, p in ranked)
    top, p_top = max(c.probabilities.items(), key=lambda kv: kv[1])
    likeliest = f"Most likely: {top.short_label.lower()} ({_percent(p_top)})."
    reasons = tuple(r[:1].upper() + r[1:] + "." for r in c.reasons)
    return ForecastWords(chance, kind, window, heading, grades, likeliest, reasons, ESTIMATE_NOTE)


def forecast(
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    as_at: date,
    letters: Sequence[LetterRecord] = (),
    settings: Settings | None = None,
    councils: Sequence[Council] | None = None,
) -> list[CouncilForecast]:
    """The forecast as at `as_at` of every council existing then (or those given), by name."""
    settings = (settings or Settings()).check()
    history = history_at(facts, registry, as_at, letters, settings.together_days)
    return forecast_from(history, registry, settings, councils)


def forecast_from(
    history: History,
    registry: CouncilRegistry,
    settings: Settings,
    councils: Sequence[Council] | None = None,
) -> list[CouncilForecast]:
    """The forecast from a history already read (the backtest reads one per date)."""
    as_at = history.as_at
    all_waits = waits(history, registry, settings.lookback_years, settings.unpublished)
    pooled = Curve(all_waits)
    grouped: dict[Grade | None, list[Wait]] = defaultdict(list)
    for w in all_waits:
        grouped[w.grade].append(w)
    curves = {g: Curve(ws) for g, ws in grouped.items() if g is not None}
    models: dict[str, Outcomes] = {}
    chosen = councils if councils is not None else registry.existing_on(as_at)
    out: list[CouncilForecast] = []
    for council in chosen:
        items = history.inspections.get(council.urn, ())
        last = items[-1] if items else None
        since = last.start if last is not None else council.created or history.first_day or as_at
        waited = max((as_at - since).days, 0)
        horizon = settings.horizon_days
        if council.abolished is not None:
            horizon = max(min(horizon, (council.abolished - as_at).days), 0)
        timing_grade = last.headline[1] if last is not None else None
        t = timing(
            pooled,
            curves.get(timing_grade) if timing_grade else None,
            waited,
            horizon,
            settings,
            history.lags if settings.unpublished else (),
        )
        low, middle, high = (as_at + timedelta(days=d) for d in t.after)
        judgement = headline_area(middle).value
        if judgement not in models:
            models[judgement] = outcomes(
                history, judgement, settings.base_rate_years, settings.transition_years
            )
        model = models[judgement]
        previous = last.facts.grades.get(judgement) if last is not None else None
        probabilities = model.probabilities(previous, settings.smoothing)
        visits = tuple(
            v for v in history.visits.get(council.urn, ()) if last is None or v.start > last.start
        )
        kind = next_graded_kind(last.facts.framework if last else None, timing_grade, middle)
        c = CouncilForecast(
            council=council,
            as_at=as_at,
            horizon_days=settings.horizon_days,
            last=last,
            waited_days=waited,
            p_inspection=t.probability if horizon > 0 else 0.0,
            expected_kind=kind,
            window_start=low,
            median_start=middle,
            window_end=high,
            judgement=judgement,
            last_grade=previous,
            probabilities=probabilities,
            visits_since=visits,
        )
        out.append(replace(c, reasons=_reasons(c, t, model, timing_grade, settings)))
    out.sort(key=lambda c: c.council.name)
    return out


def check_as_at(as_at: date, today: date) -> date:
    """`as_at` if a forecast can be made as at it (not after today), else InvalidInput."""
    if as_at > today:
        raise InvalidInput(
            f"as at {as_at.isoformat()}: that date is in the future; a forecast is made from "
            "what was published by a date that has come"
        )
    return as_at
