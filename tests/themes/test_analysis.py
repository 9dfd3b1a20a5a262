"""Counting themes, recurrence, similar councils and search, on small made-up sets of items
whose answers can be worked out by hand; and on the real sample reports through the API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ofsted_csc import api
from ofsted_csc.domain.grades import Grade
from ofsted_csc.themes import Classifier
from ofsted_csc.themes import analysis as a

CLF = Classifier()


def src(
    sha: str,
    council: str,
    start: date,
    framework: str = "ilacs",
    kind: str = "standard",
    overall: Grade | None = Grade.REQUIRES_IMPROVEMENT,
    region: str = "London",
) -> a.Source:
    return a.Source(
        sha,
        f"{sha}.pdf",
        council,
        council.title(),
        "000",
        region,
        region,
        framework,
        kind,
        start,
        overall,
    )


def items(source: a.Source, *texts: str) -> list[a.ThemedItem]:
    return a.themed(source, [("recommendation", n, t) for n, t in enumerate(texts, 1)], CLF)


SUPERVISION = "The quality and frequency of supervision."
MISSING = "The quality of return home interviews for children who go missing."
PF = "The response to children living in private fostering arrangements."

ITEMS = (
    items(src("a1", "ash", date(2019, 1, 7)), SUPERVISION, MISSING)
    + items(src("a2", "ash", date(2023, 5, 8), overall=Grade.GOOD), SUPERVISION, PF)
    + items(src("b1", "birch", date(2019, 3, 4), region="North West"), MISSING, PF)
    + items(
        src(
            "b2",
            "birch",
            date(2020, 2, 3),
            framework="letter",
            kind="focused_visit",
            overall=None,
            region="North West",
        ),
        SUPERVISION,
    )
    + items(
        src("c1", "cedar", date(2016, 1, 4), framework="sif", overall=Grade.INADEQUATE),
        SUPERVISION,
        MISSING,
    )
    + items(src("c2", "cedar", date(2018, 6, 4), framework="sif", overall=Grade.GOOD), PF)
)


def test_counts_are_of_inspections_and_visits_with_the_theme() -> None:
    n_items, n_sources, counts = a.theme_counts(ITEMS)
    assert (n_items, n_sources) == (10, 6)
    by = {c.theme: c for c in counts}
    assert (by["management_oversight"].sources, by["management_oversight"].councils) == (4, 3)
    assert by["missing"].sources == 3 and round(by["missing"].share, 3) == 0.5
    assert counts[0].theme == "management_oversight"  # most sources first


def test_counts_filter_by_framework_region_period_and_grade() -> None:
    _, n, counts = a.theme_counts(
        ITEMS, a.Filters(framework="ilacs", grade=Grade.REQUIRES_IMPROVEMENT)
    )
    assert n == 2 and {c.theme: c.sources for c in counts} == {
        "management_oversight": 1,
        "missing": 2,
        "private_fostering": 1,
    }
    _, n, _ = a.theme_counts(ITEMS, a.Filters(region="North West"))
    assert n == 2
    _, n, _ = a.theme_counts(ITEMS, a.Filters(start=date(2019, 1, 1), end=date(2019, 12, 31)))
    assert n == 2


def test_recurring_themes_are_those_found_again_at_the_next_inspection() -> None:
    chain = a.council_themes(ITEMS, "ash")
    assert [c.source.sha256 for c in chain] == ["a1", "a2"]
    assert chain[0].recurring == ("management_oversight",) and chain[1].recurring == ()
    # birch's focused visit counts with visits, not among graded inspections
    graded = {r.council_urn: r for r in a.recurring_themes(ITEMS)}
    assert set(graded) == {"ash", "cedar"} and graded["cedar"].pairs[0][2] == ()
    with_visits = {r.council_urn: r for r in a.recurring_themes(ITEMS, graded_only=False)}
    assert with_visits["birch"].pairs[0][2] == ()


def test_similar_councils_and_what_happened_next() -> None:
    (best, *_) = a.similar_councils(ITEMS, "a1")
    assert best.source.sha256 == "c1" and best.score == 1.0  # the same two themes
    assert best.next_source is not None and best.next_source.overall is Grade.GOOD
    assert set(best.shared) == {"management_oversight", "missing"}


def test_search_by_words_and_by_meaning() -> None:
    index = a.Index(ITEMS)
    found = index.search("private fostering", CLF)
    assert {i.source.sha256 for _, i in found} == {"a2", "b1", "c2"}
    # no item says "absconding", but its theme (missing) is found by meaning only
    assert index.search("children missing from care", CLF) == []
    by_meaning = index.search("children missing from care", CLF, meaning=True)
    assert {i.source.sha256 for _, i in by_meaning} >= {"a1", "b1", "c1"}
    assert all("missing" in i.themes for _, i in by_meaning[:3])


def test_themed_items_of_stored_reports(tmp_path: Path, fixtures_dir: Path) -> None:
    with api.open_store(f"sqlite:///{tmp_path / 't.sqlite'}") as store:
        api.ingest(store, [fixtures_dir / "reports" / "50276975.pdf"])
        found = api.themed_items(store)
    assert len(found) == 7 and all(i.source.council_name == "Buckinghamshire" for i in found)
    # "The quality of service and support to care leavers aged 21+."
    last = {i.position: i for i in found}[6]
    assert "care_leavers_entitlements" in last.themes
