"""Benchmarking rules, pinned on small hand-made datasets."""

from __future__ import annotations

from datetime import date

import pytest

from ofsted_csc.analytics.benchmarking import (
    NOT_INSPECTED,
    NOT_JUDGED,
    Facts,
    inspections_between,
    match_region,
    national_picture,
    positions,
    regions_table,
)
from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.frameworks import Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.reports.rows import comparison_rows, history_rows

G, RI, INAD, OUT = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Grade.OUTSTANDING


def council(urn: str, name: str, region: str = "North East", **kw: object) -> Council:
    return Council(
        urn=urn,
        la_code=urn[-3:],
        gss_code=f"E06{urn}",
        name=name,
        ons_name=name,
        ons_region=region,
        ofsted_region="North East, Yorkshire and the Humber" if region == "North East" else region,
        **kw,  # type: ignore[arg-type]
    )


REGISTRY = CouncilRegistry(
    [
        council("1", "Ashton"),
        council("2", "Brigg"),
        council("3", "Crewe", "North West"),
        council("4", "Old Shire", "North West", abolished=date(2021, 4, 1), successors=("5",)),
        council("5", "New Shire", "North West", created=date(2021, 4, 1), predecessors=("4",)),
    ]
)


def sif(urn: str, start: date, published: date | None, overall: Grade, **grades: Grade) -> Facts:
    g = {"overall_effectiveness": overall, "leadership": overall, **grades}
    return Facts(urn, Framework.SIF, Kind.FULL, start, published, g, source=f"sif-{urn}-{start}")


def ilacs(
    urn: str, start: date, published: date | None, overall: Grade | None, **grades: Grade
) -> Facts:
    g = {"leadership": overall or G, "help_and_protection": overall or G, "in_care": overall or G}
    if overall is not None:
        g["overall_effectiveness"] = overall
    g.update(grades)
    return Facts(
        urn, Framework.ILACS, Kind.STANDARD, start, published, g, source=f"il-{urn}-{start}"
    )


FACTS = [
    sif("1", date(2015, 1, 5), date(2015, 3, 1), RI, lscb=G),
    ilacs("1", date(2019, 6, 3), date(2019, 8, 1), G),
    sif("2", date(2016, 2, 1), date(2016, 4, 1), INAD),
    Facts(
        "2",
        Framework.SIF,
        Kind.REINSPECTION,
        date(2017, 9, 4),
        date(2017, 11, 20),
        {"overall_effectiveness": RI},
        "reinsp-2",
    ),
    sif("3", date(2014, 5, 1), None, G),  # publication date unknown
    sif("4", date(2016, 6, 1), date(2016, 8, 1), INAD),
    ilacs("5", date(2023, 5, 1), date(2023, 7, 1), OUT, care_leavers=G),
]


def cell(picture, judgement: str, grade: str) -> tuple[int, float | None, int]:  # type: ignore[no-untyped-def]
    row = picture.row(judgement, grade)
    assert row is not None, (judgement, grade)
    return row.count, row.percent, row.total


def test_latest_inspection_started_by_as_at_counts() -> None:
    p = national_picture(FACTS, REGISTRY, date(2019, 7, 1))
    # Ashton: ILACS started 3 June 2019 but published 1 August: not yet (published-by = as-at)
    # Ashton (SIF 2015) and Brigg (re-inspection 2017) of four
    assert cell(p, "overall_effectiveness", "requires_improvement") == (2, 50.0, 4)
    assert cell(p, "overall_effectiveness", "good") == (1, 25.0, 4)  # Crewe
    p2 = national_picture(FACTS, REGISTRY, date(2019, 7, 1), published_by=date(2019, 8, 1))
    assert cell(p2, "overall_effectiveness", "good") == (2, 50.0, 4)  # Ashton now, and Crewe


@pytest.mark.parametrize(
    ("as_at", "expected_ri"),
    [(date(2017, 11, 19), 1), (date(2017, 11, 20), 2)],  # the day of publication counts
)
def test_published_by_boundary(as_at: date, expected_ri: int) -> None:
    p = national_picture(FACTS, REGISTRY, as_at)
    assert cell(p, "overall_effectiveness", "requires_improvement")[0] == expected_ri


def test_start_boundary_and_unknown_publication() -> None:
    before = national_picture(FACTS, REGISTRY, date(2014, 4, 30))
    on = national_picture(FACTS, REGISTRY, date(2014, 5, 1))
    assert before.inspected == 0
    assert cell(before, "overall_effectiveness", NOT_INSPECTED)[0] == 4
    # Crewe's publication date is unknown: it counts from its start
    assert on.inspected == 1
    assert cell(on, "overall_effectiveness", "good") == (1, 100.0, 1)


def test_abolished_and_created_councils() -> None:
    before = national_picture(FACTS, REGISTRY, date(2021, 3, 31))
    after = national_picture(FACTS, REGISTRY, date(2021, 4, 1))
    assert before.councils == 4 and after.councils == 4
    assert cell(before, "overall_effectiveness", "inadequate")[0] == 1  # Old Shire
    assert cell(after, "overall_effectiveness", "inadequate")[0] == 0
    assert cell(after, "overall_effectiveness", NOT_INSPECTED)[0] == 1  # New Shire, not yet
    later = national_picture(FACTS, REGISTRY, date(2023, 8, 1))
    assert cell(later, "overall_effectiveness", "outstanding") == (1, 25.0, 4)


def test_judgements_a_framework_lacks_are_not_judged_not_missing() -> None:
    p = national_picture(FACTS, REGISTRY, date(2023, 8, 1))
    # care leavers: only New Shire's 2023 inspection judges it
    assert cell(p, "care_leavers", "good") == (1, 100.0, 1)
    assert cell(p, "care_leavers", NOT_JUDGED)[0] == 3
    # the LSCB grade goes with the SIF: Ashton's latest is ILACS now
    assert cell(p, "lscb", NOT_JUDGED)[0] == 4
    early = national_picture(FACTS, REGISTRY, date(2016, 1, 1))
    assert cell(early, "lscb", "good") == (1, 100.0, 1)


def test_april_2026_inspection_has_no_overall_effectiveness() -> None:
    facts = [*FACTS, ilacs("3", date(2026, 5, 1), date(2026, 6, 1), None)]
    p = national_picture(facts, REGISTRY, date(2026, 7, 1))
    assert cell(p, "overall_effectiveness", NOT_JUDGED)[0] == 1
    assert cell(p, "leadership", "good")[0] == 2  # Ashton 2019, Crewe 2026
    assert cell(p, "leadership", NOT_JUDGED)[0] == 1  # Brigg's re-inspection: overall only


def test_round_counts_inspections_as_ofsted_does_and_councils_by_latest() -> None:
    # Ofsted's counting: every SIF inspection published, Brigg's re-inspection included
    p = national_picture(FACTS, REGISTRY, date(2018, 1, 1), round="sif")
    assert p.counting == "inspections"
    assert (p.inspections, p.inspected) == (5, 4)  # Ashton, Brigg twice, Crewe, Old Shire
    assert cell(p, "overall_effectiveness", "inadequate") == (2, 40.0, 5)
    assert cell(p, "overall_effectiveness", "requires_improvement") == (2, 40.0, 5)
    again = [r for r in p.reinspections if r.judgement == "overall_effectiveness"]
    assert {r.grade: r.count for r in again}["requires_improvement"] == 1
    # each council once, by its latest inspection in the round: Brigg by its re-inspection
    c = national_picture(FACTS, REGISTRY, date(2018, 1, 1), round="sif", count="councils")
    assert (c.counting, c.inspected) == ("councils", 4)
    assert cell(c, "overall_effectiveness", "inadequate") == (1, 25.0, 4)  # Old Shire
    assert cell(c, "overall_effectiveness", "requires_improvement") == (2, 50.0, 4)
    with pytest.raises(InvalidInput, match="first"):
        national_picture(FACTS, REGISTRY, date(2018, 1, 1), round="sif", count="first")


def test_round_counts_only_councils_existing_on_the_date() -> None:
    before = national_picture(FACTS, REGISTRY, date(2021, 3, 31), round="sif")
    after = national_picture(FACTS, REGISTRY, date(2021, 4, 1), round="sif")
    assert before.inspections == 5 and after.inspections == 4  # Old Shire abolished
    assert cell(after, "overall_effectiveness", "inadequate") == (1, 25.0, 4)  # Brigg's first


def test_round_lscb_grade_from_a_standalone_review() -> None:
    review = Facts(
        "3",
        Framework.SIF,
        Kind.LSCB_REVIEW,
        date(2014, 9, 1),
        date(2014, 11, 1),
        {"lscb": RI},
        "lscb-3",
    )
    far = Facts(
        "4", Framework.SIF, Kind.LSCB_REVIEW, date(2019, 1, 1), date(2019, 2, 1), {"lscb": G}, "x"
    )
    p = national_picture([*FACTS, review, far], REGISTRY, date(2018, 1, 1), round="sif")
    # Crewe's SIF report gives no LSCB grade: its review's counts; Old Shire's is years off
    assert cell(p, "lscb", "requires_improvement")[0] == 1
    assert cell(p, "lscb", "good")[0] == 1  # Ashton's own
    assert cell(p, "lscb", NOT_JUDGED)[0] == 3  # Brigg twice, Old Shire


def test_ties_and_percentages_sum() -> None:
    p = national_picture(FACTS, REGISTRY, date(2018, 1, 1))
    rows = [r for r in p.rows if r.judgement == "overall_effectiveness" and r.percent is not None]
    assert sum(r.count for r in rows) == 4
    assert abs(sum(r.percent for r in rows if r.percent) - 100) < 0.2
    assert cell(p, "overall_effectiveness", "good") == cell(
        p, "overall_effectiveness", "inadequate"
    )


def test_empty_store() -> None:
    p = national_picture([], REGISTRY, date(2020, 1, 1))
    assert p.inspected == 0
    assert cell(p, "overall_effectiveness", "good") == (0, None, 0)
    assert cell(p, "overall_effectiveness", NOT_INSPECTED)[0] == 4


def test_region_filter_and_table() -> None:
    p = national_picture(FACTS, REGISTRY, date(2018, 1, 1), region="north west")
    assert p.region == "North West" and p.councils == 2
    table = regions_table(FACTS, REGISTRY, date(2018, 1, 1))
    ne = next(r for r in table if r["region"] == "North East")
    assert (ne["councils"], ne["requires_improvement"], ne["total"]) == (2, 2, 2)
    ofsted = regions_table(FACTS, REGISTRY, date(2018, 1, 1), by="ofsted")
    assert len(ofsted) == 8
    with pytest.raises(InvalidInput, match="not a region"):
        match_region("Atlantis")


def test_positions_pick_latest_by_start() -> None:
    [ashton] = [p for p in positions(FACTS, REGISTRY, date(2020, 1, 1)) if p.council.urn == "1"]
    assert ashton.latest is not None and ashton.latest.framework is Framework.ILACS


def comparison_table(*args: object, **kwargs: object) -> list[dict[str, object]]:
    """Inspections in a period as table rows (what `ofsted-csc inspections` writes)."""
    return comparison_rows(inspections_between(FACTS, *args, **kwargs), REGISTRY)  # type: ignore[arg-type]


def test_comparison_table_by_published_and_start() -> None:
    by_pub = comparison_table(date(2016, 1, 1), date(2016, 12, 31))
    assert [r["council"] for r in by_pub] == ["Brigg", "Old Shire"]
    by_start = comparison_table(date(2014, 1, 1), date(2014, 12, 31), by="start")
    assert [r["council"] for r in by_start] == ["Crewe"]  # unknown publication: only by start
    with pytest.raises(InvalidInput):
        comparison_table(date(2020, 1, 1), date(2019, 1, 1))


def test_council_profile_changes_and_statements() -> None:
    from ofsted_csc.analytics.benchmarking import council_profile

    reg = CouncilRegistry(
        [
            council("1", "Ashton", stat_neighbours=("2", "3")),
            council("2", "Brigg"),
            council("3", "Crewe", "North West"),
        ]
    )
    facts = [
        sif("1", date(2015, 1, 5), date(2015, 3, 1), RI),
        ilacs("1", date(2019, 6, 3), date(2019, 8, 1), G),
        ilacs("2", date(2019, 2, 1), date(2019, 4, 1), OUT),
        ilacs("3", date(2019, 9, 1), date(2019, 11, 1), RI),
    ]
    p = council_profile(facts, reg, reg.lookup("Ashton"), date(2019, 12, 31))
    assert [f.framework for f in p.history] == [Framework.SIF, Framework.ILACS]
    assert p.changes["overall_effectiveness"] == "improved"
    assert p.changes["care_leavers"] is None  # not judged by either
    assert p.days_since_last == (date(2019, 12, 31) - date(2019, 6, 3)).days
    assert [q.council.name for q in p.neighbours] == ["Brigg", "Crewe"]
    assert p.statements[0] == (
        "Ashton's overall effectiveness was judged good at its ILACS inspection of June 2019."
    )
    assert "up from requires improvement to be good" in p.statements[1]
    assert (
        "Of the 2 other councils with inspections published in 2019, only Brigg has equalled "
        "or bettered Ashton's overall effectiveness." in p.statements
    )
    # a financial year, still running on the date: "so far"
    fy = council_profile(facts, reg, reg.lookup("Ashton"), date(2019, 12, 31), "financial")
    assert (
        "Of the 2 other councils with inspections published in the financial year 2019-20 so "
        "far, only Brigg has equalled or bettered Ashton's overall effectiveness." in fy.statements
    )
    # an inspection published after the date is not counted: Crewe's, as at 31 October
    early = council_profile(facts, reg, reg.lookup("Ashton"), date(2019, 10, 31))
    assert (
        "The one other council with an inspection published in 2019 so far, Brigg, has equalled "
        "or bettered Ashton's overall effectiveness." in early.statements
    )
    assert "1 of its 2 inspected statistical neighbours are good or better" in " ".join(
        p.statements
    )
    rows = history_rows(p)
    assert [r["overall_change"] for r in rows] == [None, "improved"]


def test_profile_of_a_council_never_inspected() -> None:
    from ofsted_csc.analytics.benchmarking import council_profile

    p = council_profile(FACTS, REGISTRY, REGISTRY.lookup("New Shire"), date(2022, 1, 1))
    assert p.latest is None and p.days_since_last is None
    assert p.statements == ["New Shire has no graded inspection on record by 1 January 2022."]


def test_transitions_gaps_and_series() -> None:
    from ofsted_csc.analytics.benchmarking import gaps, quarterly_series, transitions

    rows = {r["previous"]: r for r in transitions(FACTS, REGISTRY)}
    assert rows["requires_improvement"]["good"] == 1  # Ashton 2015 -> 2019
    assert rows["inadequate"]["requires_improvement"] == 1  # Brigg 2016 -> 2017
    assert sum(int(r["total"]) for r in rows.values()) == 2  # type: ignore[call-overload]
    gap = {r["previous_grade"]: r for r in gaps(FACTS, REGISTRY)}
    assert gap["inadequate"]["gaps"] == 1
    assert gap["inadequate"]["median_months"] == round(
        (date(2017, 9, 4) - date(2016, 2, 1)).days / 30.44, 1
    )
    series = quarterly_series(FACTS, REGISTRY, date(2015, 1, 1), date(2015, 12, 31))
    assert [r["quarter_end"] for r in series] == [
        date(2015, 3, 31),
        date(2015, 6, 30),
        date(2015, 9, 30),
        date(2015, 12, 31),
    ]
    assert series[0]["requires_improvement"] == 1  # Ashton, published 1 March 2015
    assert series[0]["good"] == 1  # Crewe (publication unknown)
