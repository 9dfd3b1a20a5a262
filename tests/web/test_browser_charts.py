"""Charts to publish, in a real browser (Debian's chromium, headless): the links under a chart
download its PNG, and the pages with those links stay clean under axe-core."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from support import LiveServer, axe_violations, screenshot

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# an element's text as seen on screen: without what is there for screen readers only
VISIBLE_TEXT = """e => {
    const c = e.cloneNode(true);
    c.querySelectorAll('.govuk-visually-hidden').forEach(h => h.remove());
    return c.textContent.trim();
}"""


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/", "the national picture chart"),
        ("/councils/810", "the chart of inspections"),
        ("/map", "the map of London"),
    ],
)
def test_a_chart_downloads_as_png_from_its_link(
    page: Any, live_server: LiveServer, path: str, what: str
) -> None:
    page.goto(f"{live_server.url}{path}")
    links = page.locator(".app-chart-download")
    assert links.count() == page.locator("svg.app-chart").count()
    seen = links.first.evaluate(VISIBLE_TEXT)
    assert seen == "Download this chart: SVG, PNG", seen
    link = page.get_by_role("link", name=f"PNG of {what}")
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename.endswith(".png")
    data = Path(download.path()).read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 600 and height >= 300, (width, height)
    assert len(data) > 10_000
    # the SVG link's file, fetched as the browser would, is the same chart's SVG
    href = page.get_by_role("link", name=f"SVG of {what}").evaluate("a => a.href")
    svg = page.request.get(href)
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    assert "Source: Ofsted inspection reports and official statistics" in svg.text()
    screenshot(page, f"chart-download{path.replace('/', '-') or '-home'}")
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["nodes"]) for v in violations]
