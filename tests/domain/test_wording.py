"""The briefs' English: possessives with council and judgement names, plurals, "so far"."""

from __future__ import annotations

from datetime import date

from ofsted_csc.analytics.benchmarking import (
    Facts,
    council_judgement,
    headline,
    year_of,
)
from ofsted_csc.domain.frameworks import Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.wording import plural, possessive


def test_possessives() -> None:
    assert possessive("Hackney") == "Hackney's"
    assert possessive("St Helens") == "St Helens'"
    assert possessive("Stockton-on-Tees") == "Stockton-on-Tees'"
    assert council_judgement("St Helens", "overall_effectiveness") == (
        "St Helens' overall effectiveness"
    )
    # a judgement name is not made possessive: "the impact of leaders in X"
    assert council_judgement("Hackney", "leadership") == "the impact of leaders in Hackney"


def test_plurals() -> None:
    assert plural(1, "council") == "1 council"
    assert plural(0, "council") == "0 councils"
    assert plural(2, "area for improvement", "areas for improvement") == ("2 areas for improvement")


def test_headline_after_the_2026_reform_names_the_impact_of_leaders() -> None:
    f = Facts(
        "1",
        Framework.ILACS,
        Kind.STANDARD,
        date(2026, 5, 4),
        date(2026, 7, 1),
        {"leadership": Grade.GOOD},
    )
    assert headline("St Helens", f, None) == [
        "The impact of leaders in St Helens was judged good at its ILACS inspection of May 2026."
    ]
    with_overall = Facts(
        "1",
        Framework.ILACS,
        Kind.STANDARD,
        date(2024, 5, 4),
        None,
        {"overall_effectiveness": Grade.GOOD},
    )
    assert headline("St Helens", with_overall, None)[0].startswith(
        "St Helens' overall effectiveness was judged good"
    )


def test_so_far_only_while_the_year_runs() -> None:
    year = year_of(date(2016, 9, 20))
    assert year.words(date(2016, 9, 28)) == "in 2016 so far"
    assert year.words(date(2016, 12, 31)) == "in 2016"
    assert year.words(date(2026, 12, 3)) == "in 2016"
    fy = year_of(date(2016, 2, 3), "financial")
    assert (fy.start, fy.end, fy.label) == (date(2015, 4, 1), date(2016, 3, 31), "2015-16")
    assert fy.words(date(2016, 3, 1)) == "in the financial year 2015-16 so far"
