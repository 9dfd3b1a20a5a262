"""The forecast of the next graded inspection, pinned on small hand-made histories whose
answers are worked out by hand: the survival of waits and the chance of an inspection given
a wait, the smoothed grade probabilities, the kind expected, the April 2026 judgement, and
that nothing published after the as-at date changes a forecast."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import pytest

from ofsted_csc.analytics.benchmarking import Facts
from ofsted_csc.analytics.forecast import (
    Curve,
    Settings,
    Wait,
    forecast,
    history_at,
    horizon_words,
    outcomes,
    smoothed,
    timing,
    waits,
)
from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.frameworks import (
    Area,
    Framework,
    Kind,
    headline_area,
    next_graded_kind,
)
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.records import LetterRecord
from ofsted_csc.reports.rows import FORECAST_COLUMNS, forecast_row

OUT, G, RI, INAD = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
OVERALL, LEADERS = Area.OVERALL.value, Area.LEADERSHIP.value
DAY0 = date(2010, 1, 4)


def day(n: int) -> date:
    """The day n days after DAY0: the hand-made histories count in days."""
    return DAY0 + timedelta(days=n)


def council(urn: str, name: str, **kw: object) -> Council:
    return Council(
        urn=urn,
        la_code=f"9{urn:0>2}",
        gss_code=f"E0600{urn:0>4}",
        name=name,
        ons_name=name,
        ons_region="North East",
        ofsted_region="North East, Yorkshire and the Humber",
        **kw,  # type: ignore[arg-type]
    )


def ilacs(
    urn: str, start: date, grade: Grade, leaders: Grade | None = None, published: int = 50
) -> Facts:
    """An ILACS inspection published `published` days after it began."""
    grades = {LEADERS: leaders or grade}
    if headline_area(start) is Area.OVERALL:
        grades[OVERALL] = grade
    kind = Kind.SHORT if grade in (OUT, G) else Kind.STANDARD
    return Facts(
        urn,
        Framework.ILACS,
        kind,
        start,
        start + timedelta(days=published),
        grades,
        source=f"{urn}-{start}",
    )


# -- timing: the survival of waits, worked by hand --

# Four councils' waits: three ended by the next inspection after 1000, 1500 and 2000 days,
# one still running after 1200 days.
FOUR = [Wait(None, 0, 1000, True), Wait(None, 0, 1500, True), Wait(None, 0, 2000, True)]
FOUR.append(Wait(None, 0, 1200, False))


def test_kaplan_meier_survival_of_four_waits_one_censored() -> None:
    curve = Curve(FOUR)
    # day 1000: 1 of 4 ends (S = 3/4); day 1200: one leaves uncounted (censored);
    # day 1500: 1 of the 2 left ends (S = 3/8); day 2000: the last ends (S = 0)
    assert [curve.survival(t) for t in (0, 999, 1000, 1499, 1500, 1999, 2000)] == [
        1.0,
        1.0,
        0.75,
        0.75,
        0.375,
        0.375,
        0.0,
    ]
    assert curve.waiting(1100) == 3  # B, C and the censored D


def test_chance_of_an_inspection_given_the_wait_is_the_conditional_survival() -> None:
    curve = Curve(FOUR)
    # P(within h | waited t) = (S(t) - S(t+h)) / S(t)
    assert curve.within(1100, 365) == 0.0  # S(1100) = S(1465) = 3/4
    assert curve.within(1100, 500) == pytest.approx(0.5)  # (3/4 - 3/8) / (3/4)
    assert curve.within(1100, 1000) == pytest.approx(1.0)  # S(2100) = 0
    assert curve.within(0, 1000) == pytest.approx(0.25)


def test_the_80_percent_window_is_the_conditional_percentiles() -> None:
    t = timing(Curve(FOUR), None, 1100, 365, Settings(pool_weight=10))
    # after 1100 days half the waits end on day 1500 and the rest on day 2000: the 10th and
    # 50th percentiles are 400 days on, the 90th 900 days on
    assert t.after == (400, 400, 900)
    assert (t.probability, t.weight) == (0.0, 0.0)


def test_a_grade_curve_weighs_n_councils_against_the_pooled_weight() -> None:
    pooled = Curve(FOUR)
    # two councils of this grade, both inspected 1300 days after their last inspection
    mine = Curve([Wait(RI, 0, 1300, True), Wait(RI, 0, 1300, True)])
    t = timing(pooled, mine, 1100, 365, Settings(pool_weight=2))
    # 2 councils of the grade waiting at 1100: weight 2 / (2 + 2); theirs 1, pooled 0
    assert t.weight == pytest.approx(0.5)
    assert t.waited_as_long == 2
    assert t.probability == pytest.approx(0.5 * 1.0 + 0.5 * 0.0)


def test_past_the_longest_wait_the_curve_falls_at_its_last_rate() -> None:
    # one wait ended at 400 days, one still running at 1000: in the last two years of waits
    # (from day 270) one inspection in 130 + 730 days of waiting
    curve = Curve([Wait(None, 0, 400, True), Wait(None, 0, 1000, False)])
    assert curve.tail_rate == pytest.approx(1 / 860)
    assert curve.survival(1000) == pytest.approx(0.5)
    assert curve.survival(1860) == pytest.approx(0.5 * math.exp(-1))
    assert curve.within(1100, 365) == pytest.approx(1 - math.exp(-365 / 860))


def test_a_wait_from_before_the_look_back_window_enters_the_curve_late() -> None:
    # Ashton inspected on days 0 and 1000, then waiting; Brigg on day 0, then waiting (and
    # abolished on day 2500)
    registry = CouncilRegistry([council("1", "Ashton"), council("2", "Brigg", abolished=day(2500))])
    facts = [ilacs("1", day(0), G), ilacs("1", day(1000), G), ilacs("2", day(0), RI)]
    history = history_at(facts, registry, day(3000))
    every = sorted(waits(history, registry, None), key=lambda w: (w.exit, w.ended))
    assert every == [
        Wait(G, 0, 1000, True),  # Ashton's first wait, ended by its next inspection
        Wait(G, 0, 2000, False),  # Ashton waiting since day 1000
        Wait(RI, 0, 2500, False),  # Brigg: censored when it was abolished
    ]
    # a window of two years (730 days) opens on day 2270: Ashton's first wait ended before it
    window = sorted(waits(history, registry, 2.0), key=lambda w: w.exit)
    assert window == [Wait(G, 1270, 2000, False), Wait(RI, 2270, 2500, False)]


def test_inspections_of_one_visit_count_once_for_timing() -> None:
    registry = CouncilRegistry([council("1", "Ashton")])
    one_visit = [ilacs("1", day(0), G), ilacs("1", day(30), RI), ilacs("1", day(1000), G)]
    history = history_at(one_visit, registry, day(1500))
    assert [i.start for i in history.inspections["1"]] == [day(30), day(1000)]


# -- outcome: transitions smoothed toward the base rates, worked by hand --


def test_transitions_are_smoothed_toward_the_base_rates() -> None:
    base = {OUT: 0.1, G: 0.4, RI: 0.3, INAD: 0.2}
    got = smoothed({G: 3, RI: 1}, base, 5)
    # (n_k + 5 base_k) / (4 + 5)
    assert got == pytest.approx({OUT: 0.5 / 9, G: 5 / 9, RI: 2.5 / 9, INAD: 1 / 9})
    assert smoothed({}, base, 5) == pytest.approx(base)


def test_outcome_model_from_a_history() -> None:
    registry = CouncilRegistry([council(str(n), f"C{n}") for n in range(1, 6)])
    y = date(2019, 1, 7)
    facts = [
        # three councils from requires improvement: two to good, one stayed
        ilacs("1", y, RI),
        ilacs("1", date(2022, 5, 2), G),
        ilacs("2", y, RI),
        ilacs("2", date(2022, 6, 6), G),
        ilacs("3", y, RI),
        ilacs("3", date(2022, 9, 5), RI),
        # one from good to inadequate, long before the transition window
        ilacs("4", date(2012, 1, 9), G),
        ilacs("4", date(2018, 1, 8), INAD),
        ilacs("5", date(2022, 10, 3), OUT),
    ]
    history = history_at(facts, registry, date(2023, 3, 31))
    # fewer than MIN_BASE (20) inspections in the two years: the base rates are of all 9,
    # one added to each grade's count
    assert outcomes(history, OVERALL, 2.0).base == pytest.approx(
        {OUT: 2 / 13, G: 4 / 13, RI: 5 / 13, INAD: 2 / 13}
    )
    every = outcomes(history, OVERALL, base_rate_years=2.0, min_base=1)
    # base rates: the 4 inspections begun in the two years to 31 March 2023 (1 outstanding,
    # 2 good, 1 requires improvement), one added to each grade
    assert every.base == pytest.approx({OUT: 2 / 8, G: 3 / 8, RI: 2 / 8, INAD: 1 / 8})
    assert every.after[RI] == {G: 2, RI: 1}
    assert every.after[G] == {INAD: 1}
    # smoothing 4: P(good | RI) = (2 + 4 * 3/8) / (3 + 4), P(RI | RI) = (1 + 4 * 2/8) / 7
    p = every.probabilities(RI, 4)
    assert p[G] == pytest.approx(3.5 / 7) and p[RI] == pytest.approx(2 / 7)
    assert p[OUT] == pytest.approx(1 / 7) and p[INAD] == pytest.approx(0.5 / 7)
    assert sum(p.values()) == pytest.approx(1)
    # the pairs of the last two years only: good to inadequate (2018) drops out
    recent = outcomes(history, OVERALL, 2.0, transition_years=2.0, min_base=1)
    assert G not in recent.after and recent.after[RI] == {G: 2, RI: 1}
    assert recent.probabilities(G, 5) == pytest.approx(recent.base)


def test_an_inspection_before_2013_is_a_previous_grade_never_a_next_one() -> None:
    registry = CouncilRegistry([council("1", "Ashton")])
    old = Facts(
        "1", Framework.PRE_SIF, Kind.PROTECTION, date(2011, 1, 3), date(2011, 3, 1), {OVERALL: RI}
    )
    older = replace(old, start=date(2009, 6, 1), published=date(2009, 8, 1), grades={OVERALL: G})
    sif = Facts("1", Framework.SIF, Kind.FULL, date(2014, 5, 5), date(2014, 8, 1), {OVERALL: INAD})
    history = history_at([older, old, sif], registry, date(2015, 3, 31))
    model = outcomes(history, OVERALL, 3.0)
    assert model.after == {RI: {INAD: 1}}  # not good to requires improvement (2009 to 2011)
    assert model.base_inspections == 1


# -- the forecast --

REGISTRY = CouncilRegistry(
    [
        council("1", "Ashton"),
        council("2", "Brigg"),
        council("3", "Crewe"),
        council("4", "Dunmow"),
        council("5", "New Shire", created=date(2021, 4, 1)),
        council("6", "Old Shire", abolished=date(2021, 4, 1)),
    ]
)
HISTORY = [
    ilacs("1", date(2018, 3, 5), G),
    ilacs("1", date(2022, 1, 10), G),
    ilacs("2", date(2018, 6, 4), RI),
    ilacs("2", date(2021, 11, 1), G),
    ilacs("3", date(2018, 9, 3), INAD),
    ilacs("3", date(2020, 2, 3), RI),
    ilacs("4", date(2019, 1, 7), OUT),
    ilacs("4", date(2023, 2, 6), G),
    ilacs("6", date(2018, 10, 1), RI),
]
LETTERS = [
    LetterRecord(
        "3",
        "Crewe",
        Kind.FOCUSED_VISIT,
        letter_date=date(2022, 7, 1),
        visit_start=date(2022, 5, 10),
        priority_actions=["Do this at once."],
    )
]


def test_every_council_existing_on_the_date_has_a_row_with_every_column() -> None:
    made = forecast(HISTORY, REGISTRY, date(2023, 6, 30), LETTERS)
    assert [f.council.name for f in made] == ["Ashton", "Brigg", "Crewe", "Dunmow", "New Shire"]
    for f in made:
        row = forecast_row(f)
        assert tuple(row) == FORECAST_COLUMNS
        assert 0 <= f.p_inspection <= 1
        assert f.as_at < f.window_start <= f.median_start <= f.window_end
        assert sum(f.probabilities.values()) == pytest.approx(1)
        assert f.reasons
    crewe = made[2]
    assert crewe.last_grade is RI and len(crewe.visits_since) == 1
    assert "a focused visit in May 2022 with 1 area for priority action" in crewe.reasons
    new = made[4]
    assert (
        new.last is None
        and new.reasons[0] == "no graded inspection since it was created in April 2021"
    )


@pytest.mark.parametrize(
    ("last", "on", "kind"),
    [
        (G, date(2024, 1, 1), Kind.SHORT),
        (OUT, date(2024, 1, 1), Kind.SHORT),
        (RI, date(2024, 1, 1), Kind.STANDARD),
        (INAD, date(2027, 1, 1), Kind.STANDARD),
        (None, date(2024, 1, 1), Kind.STANDARD),  # no graded inspection yet
        (Grade.ADEQUATE, date(2019, 1, 1), Kind.STANDARD),
    ],
)
def test_expected_kind_after_each_grade_under_ilacs(
    last: Grade | None, on: date, kind: Kind
) -> None:
    assert next_graded_kind(Framework.ILACS, last, on) is kind


def test_expected_kind_under_the_sif() -> None:
    before_ilacs = date(2017, 6, 1)
    assert next_graded_kind(Framework.SIF, INAD, before_ilacs) is Kind.REINSPECTION
    assert next_graded_kind(Framework.PRE_SIF, G, before_ilacs) is Kind.FULL
    assert next_graded_kind(Framework.SIF, G, date(2018, 1, 1)) is Kind.SHORT


def test_the_forecast_says_the_kind_by_the_last_grade() -> None:
    made = {f.council.name: f for f in forecast(HISTORY, REGISTRY, date(2023, 6, 30))}
    assert made["Ashton"].expected_kind is Kind.SHORT  # good
    assert made["Crewe"].expected_kind is Kind.STANDARD  # requires improvement


def test_after_the_april_2026_reform_the_forecast_is_of_the_leaders_judgement() -> None:
    assert headline_area(date(2026, 3, 31)) is Area.OVERALL
    assert headline_area(date(2026, 4, 1)) is Area.LEADERSHIP
    # Brigg: good overall in 2021 with leaders judged requires improvement
    facts = [*HISTORY[:3], ilacs("2", date(2021, 11, 1), G, leaders=RI), *HISTORY[4:]]
    before = {f.council.name: f for f in forecast(facts, REGISTRY, date(2022, 3, 31))}
    after = {f.council.name: f for f in forecast(facts, REGISTRY, date(2026, 5, 1))}
    assert before["Brigg"].median_start < date(2026, 4, 1)
    assert (before["Brigg"].judgement, before["Brigg"].last_grade) == (OVERALL, G)
    assert (after["Brigg"].judgement, after["Brigg"].last_grade) == (LEADERS, RI)
    assert all(f.judgement == LEADERS for f in after.values())
    assert "the impact of leaders" in after["Brigg"].reasons[2]


def test_a_longer_horizon_never_lowers_the_chance() -> None:
    short = forecast(HISTORY, REGISTRY, date(2023, 6, 30), settings=Settings(horizon_days=180))
    long = forecast(HISTORY, REGISTRY, date(2023, 6, 30), settings=Settings(horizon_days=1500))
    pairs = [(a.p_inspection, b.p_inspection) for a, b in zip(short, long, strict=True)]
    assert all(a <= b for a, b in pairs) and any(a < b for a, b in pairs)
    assert "within the next 180 days" in short[0].reasons[1]
    assert horizon_words(730) == "the next 2 years"


def test_a_horizon_out_of_range_is_refused() -> None:
    with pytest.raises(InvalidInput, match="horizon"):
        forecast(HISTORY, REGISTRY, date(2023, 6, 30), settings=Settings(horizon_days=0))


# -- honesty: nothing published after the date --


def _rows(facts: list[Facts], as_at: date, letters: list[LetterRecord]) -> list[dict[str, object]]:
    return [forecast_row(f) for f in forecast(facts, REGISTRY, as_at, letters)]


def test_nothing_published_after_the_date_changes_the_forecast() -> None:
    as_at = date(2022, 3, 31)
    before = _rows(HISTORY, as_at, LETTERS)
    later = [
        ilacs("2", date(2022, 3, 14), INAD, published=60),  # begun before, published after
        ilacs("4", date(2022, 4, 4), INAD),  # begun after
        ilacs("1", date(2022, 9, 5), OUT),
    ]
    later_letters = [
        LetterRecord(
            "1",
            "Ashton",
            Kind.FOCUSED_VISIT,
            letter_date=date(2022, 5, 1),
            visit_start=date(2022, 3, 29),
            priority_actions=["Now."],
        )
    ]
    assert _rows(HISTORY + later, as_at, LETTERS + later_letters) == before
    # and what was published by then does change it
    assert _rows([*HISTORY, ilacs("4", date(2021, 11, 1), INAD)], as_at, LETTERS) != before


def test_allowing_for_unpublished_inspections_lowers_the_chance_by_hand() -> None:
    curve = Curve(FOUR)
    # waited 1020 days; every report took 50 days: an inspection that began in the last 50
    # days (between day 970 and 1020: a quarter of the waits ended on day 1000) would not be
    # known yet, so D = S(970) = 1 and P = (S(1020) - S(1520)) / 1
    assert curve.within(1020, 500) == pytest.approx(0.5)  # (3/4 - 3/8) / (3/4)
    assert curve.within(1020, 500, lags=[50] * 10) == pytest.approx(0.375)
    registry = CouncilRegistry([council("1", "Ashton")])
    history = history_at([ilacs("1", day(0), G)], registry, day(1000))
    assert waits(history, registry, None, unpublished=True) == [Wait(G, 0, 940, False)]
