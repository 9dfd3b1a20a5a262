"""Theme pages through the test client: the counts are the library's, filters narrow them, bad
filters are named, each item shows why it matched, search works, a council's themes recur."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from ofsted_csc import api
from ofsted_csc.domain.grades import Grade
from ofsted_csc.themes import analysis
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of


@pytest.fixture
def client(db_copy: str) -> Any:
    app = create_app(Settings(db_url=db_copy, secret_key="test"))
    yield app.test_client()
    context_of(app).store.close()


@pytest.fixture
def items(db_copy: str) -> list[analysis.ThemedItem]:
    with api.open_store(db_copy) as store:
        return api.themed_items(store)


def _rows(html: str) -> dict[str, int]:
    return {
        m.group(1): int(m.group(2))
        for m in re.finditer(
            r'data-theme="([a-z_0-9]+)">.*?govuk-table__cell--numeric">(\d+)<', html, re.S
        )
    }


def test_counts_page_shows_the_librarys_counts(
    client: Any, items: list[analysis.ThemedItem]
) -> None:
    page = client.get("/themes").get_data(as_text=True)
    _, n_sources, counts = analysis.theme_counts(items)
    assert f"{n_sources} inspections and visits" in page
    assert _rows(page) == {c.theme: c.sources for c in counts}
    filtered = client.get("/themes?framework=ilacs&grade=requires_improvement").get_data(
        as_text=True
    )
    _, _, ri = analysis.theme_counts(
        items, analysis.Filters(framework="ilacs", grade=Grade.REQUIRES_IMPROVEMENT)
    )
    assert _rows(filtered) == {c.theme: c.sources for c in ri} and len(ri) > 0
    download = client.get("/themes?framework=ilacs&grade=requires_improvement&format=csv")
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert {r["theme"]: int(r["inspections_and_visits"]) for r in rows} == _rows(filtered)


def test_the_counts_page_tells_its_readers_how_far_to_trust_the_themes(client: Any) -> None:
    from ofsted_csc.themes import load_taxonomy

    measured = load_taxonomy().measured
    assert measured is not None
    page = " ".join(client.get("/themes").get_data(as_text=True).split())
    assert (
        f"on {measured.items} items read by hand and never used to build it, it found "
        f"{round(measured.recall * 100)} in 100 of the themes the readers gave, and "
        f"{round(measured.precision * 100)} in 100 of the themes it gave were theirs"
    ) in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=1990", "The year must be a number from 2009"),
        ("from=2022&to=2019", "The last year must be the same as or after the first"),
        ("region=Atlantis", "is not a region"),
        ("grade=brilliant", "Choose a grade from the list"),
        ("framework=2030", "Choose a framework from the list"),
    ],
)
def test_bad_filters_are_named(client: Any, query: str, message: str) -> None:
    r = client.get(f"/themes?{query}")
    assert r.status_code == 400 and message in r.get_data(as_text=True)


def test_a_theme_page_shows_each_item_with_the_phrases_that_matched(
    client: Any, items: list[analysis.ThemedItem]
) -> None:
    page = client.get("/themes/management_oversight").get_data(as_text=True)
    expected = [i for i in items if "management_oversight" in i.themes]
    assert f"{len(expected)} items" in page
    shown = expected[:200]
    by_model = [
        i
        for i in shown
        if not next(m for m in i.matches if m.theme == "management_oversight").by_rules
    ]
    # a theme no rule matched says so, with the words the model weighed most, never "Matched"
    assert page.count("No rule matched; the model gave this theme") == len(by_model)
    assert page.count("Matched: ") == len(shown) - len(by_model)
    assert "Matched: supervision" in page or "Matched: management oversight" in page
    assert client.get("/themes/not_a_theme").status_code == 404


def test_search_by_words_and_by_meaning(client: Any) -> None:
    words = client.get("/themes/search?q=supervision").get_data(as_text=True)
    meaning = client.get("/themes/search?q=supervision&meaning=1").get_data(as_text=True)
    n_words = int(re.search(r"(\d+) found", words).group(1))  # type: ignore[union-attr]
    n_meaning = int(re.search(r"(\d+) found", meaning).group(1))  # type: ignore[union-attr]
    assert 0 < n_words < n_meaning
    assert client.get("/themes/search?q=" + "x" * 201).status_code == 400


def test_a_councils_themes_mark_those_found_again(
    client: Any, items: list[analysis.ThemedItem]
) -> None:
    chain = analysis.council_themes(
        items, next(i.source.council_urn for i in items if i.source.la_code == "810")
    )
    response = client.get("/councils/810/themes")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Kingston upon Hull: themes of its inspections and visits" in page
    graded = [c for c in chain if not c.source.is_letter]
    assert (
        page.count("most similar themes")
        == sum(1 for c in graded if analysis.similar_councils(items, c.source.sha256, 3))
        > 0
    )
    assert page.count('govuk-tag--orange">Again next time') == sum(len(c.recurring) for c in chain)
    assert client.get("/councils/999/themes").status_code == 404
