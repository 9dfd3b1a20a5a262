"""Official statistics settle what reports leave open: the publication date (Ofsted's
official date wins over a report's stated or estimated one) and a SIF inspection's LSCB grade."""

from __future__ import annotations

from datetime import date

from ofsted_csc.analytics.benchmarking import Facts, inspections_between, national_picture
from ofsted_csc.analytics.reconcile import match, with_official
from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.frameworks import Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.official import OfficialRow

G, RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT

REGISTRY = CouncilRegistry(
    [
        Council(
            urn="9",
            la_code="999",
            gss_code="E06000999",
            name="Northshire",
            ons_name="Northshire",
            ons_region="North East",
            ofsted_region="North East, Yorkshire and the Humber",
        )
    ]
)


def row(published: date, edition: str = "e2023", **grades: Grade) -> OfficialRow:
    framework = Framework.SIF if "lscb" in grades else Framework.ILACS
    return OfficialRow(
        "outcomes.ods", "x", edition, "Sheet1", 7, "block", "Northshire", "9", framework,
        None, 1, published, dict(grades),
    )  # fmt: skip


ESTIMATED = Facts(
    "9", Framework.ILACS, Kind.SHORT, date(2018, 7, 2), date(2018, 8, 14),
    {"overall_effectiveness": G}, "ny.pdf", published_estimated=True,
)  # fmt: skip
SIF_NO_LSCB = Facts(
    "9", Framework.SIF, Kind.FULL, date(2014, 11, 18), date(2015, 2, 3),
    {"overall_effectiveness": RI}, "hull.pdf",
)  # fmt: skip


def test_the_official_publication_date_wins_and_the_estimate_is_kept() -> None:
    rows = [row(date(2018, 8, 6), overall_effectiveness=G)]
    (dated,) = with_official(match(rows, [ESTIMATED]), [ESTIMATED])
    assert dated.published == date(2018, 8, 6)
    assert dated.published_official and dated.published_read == date(2018, 8, 14)
    assert dated.published_source == "official_statistics"
    assert not dated.published_estimated
    # a table published by 10 August counts it now, and the listing of 1-10 August has it
    before = national_picture([ESTIMATED], REGISTRY, date(2018, 8, 10))
    after = national_picture([dated], REGISTRY, date(2018, 8, 10))
    assert (before.inspected, after.inspected) == (0, 1)
    assert inspections_between([dated], date(2018, 8, 1), date(2018, 8, 10)) == [dated]


def test_the_newest_edition_gives_the_date() -> None:
    rows = [row(date(2018, 8, 7), "e2023"), row(date(2018, 8, 6), "e2024")]
    (dated,) = with_official(match(rows, [ESTIMATED]), [ESTIMATED])
    assert dated.published == date(2018, 8, 6)


def test_a_sif_report_without_an_lscb_grade_takes_the_official_one() -> None:
    rows = [row(date(2015, 2, 3), lscb=RI, overall_effectiveness=RI)]
    unmatched = Facts(
        "9", Framework.ILACS, Kind.STANDARD, date(2022, 1, 1), date(2022, 3, 1), {}, "later.pdf"
    )
    dated, same = with_official(match(rows, [SIF_NO_LSCB, unmatched]), [SIF_NO_LSCB, unmatched])
    assert dated.grades["lscb"] is RI and dated.grades["overall_effectiveness"] is RI
    assert not dated.published_official  # the dates agree: nothing to say
    assert same is unmatched
    # a report's own LSCB grade is never replaced
    own = Facts(**{**SIF_NO_LSCB.__dict__, "grades": {"lscb": G}})
    (kept,) = with_official(match(rows, [own]), [own])
    assert kept.grades["lscb"] is G
