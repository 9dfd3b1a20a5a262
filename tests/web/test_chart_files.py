"""Charts to publish (issue "For researchers and journalists", item 7): every chart the web
app draws can be downloaded as SVG and PNG with its title, source line and date; the brief's
timeline has one tick a year; a percentage of few councils says its count."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import matplotlib.pyplot as plt
import pytest
from defusedxml.ElementTree import fromstring

from ofsted_csc import api
from ofsted_csc.domain.shares import SMALL_BASE, count_share, is_small, share
from ofsted_csc.reports.briefs.charts import history_figure
from ofsted_csc.storage.store import Store
from ofsted_csc.web import charts

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HULL = "810"  # Kingston upon Hull: inspected in 2011, 2015, 2019 and 2022
# every page with a chart, and how many charts it draws
PAGES = {
    "/": 2,  # the national picture and its trend
    "/regions": 2,  # the regions and the regions over time
    "/regions/london": 1,
    f"/councils/{HULL}": 1,  # the inspections' timeline
    "/map": 2,  # England and London enlarged
}
ENDPOINTS = 8  # chart_views' routes: national, trend, regions, over time, region, council, 2 maps


def download_links(page: str) -> list[str]:
    """The hrefs of the "Download this chart" links of a page, in order."""
    paragraphs = re.findall(r'<p class="govuk-body-s app-chart-download">(.*?)</p>', page, re.S)
    return [
        href.replace("&amp;", "&")
        for p in paragraphs
        for href in re.findall(r'href="([^"]+)" download>', p)
    ]


def svg_texts(svg: bytes) -> tuple[str, list[str]]:
    """A well-formed SVG's title and every text drawn in it (parsing fails otherwise)."""
    root = fromstring(svg)
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text
    return title.text, ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height, read from its IHDR chunk."""
    assert data.startswith(PNG_SIGNATURE), data[:16]
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_every_chart_on_every_page_downloads_as_svg_with_title_source_and_date(
    built_in_client: Any,
) -> None:
    endpoints = set()
    for path, drawn in PAGES.items():
        page = built_in_client.get(path).get_data(True)
        assert page.count('<svg class="app-chart') == drawn, path
        links = download_links(page)
        svgs = [u for u in links if ".svg" in u]
        assert len(svgs) == drawn and len(links) == 2 * drawn, (path, links)
        # the page's charts' titles, in order, are the files' titles
        titles = [
            ET.fromstring(m).findtext(f"{SVG}title")
            for m in re.findall(r'<svg class="app-chart.*?</svg>', page, re.S)
        ]
        for url, title in zip(svgs, titles, strict=True):
            endpoints.add(url.split(".svg")[0])
            got = built_in_client.get(url)
            assert got.status_code == 200, url
            assert got.mimetype == "image/svg+xml"
            disposition = got.headers["Content-Disposition"]
            assert disposition.startswith("attachment;"), disposition
            assert re.search(r"filename=[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.svg$", disposition)
            file_title, texts = svg_texts(got.data)
            assert file_title == title
            assert title in " ".join(texts) or title.split()[0] in texts[0]  # drawn on top
            assert charts.SOURCE in texts
            assert any(t.startswith(f"Figures as at {date.today():%-d %B %Y}") for t in texts)
    assert len(endpoints) == ENDPOINTS, sorted(endpoints)


def test_a_chart_file_keeps_the_pages_date_and_query(built_in_client: Any) -> None:
    page = built_in_client.get(
        "/regions?as_at-day=31&as_at-month=3&as_at-year=2016&by=ofsted&judgement=leadership"
    ).get_data(True)
    url = download_links(page)[0]
    assert "as_at-year=2016" in url and "by=ofsted" in url and "judgement=leadership" in url
    got = built_in_client.get(url)
    assert got.headers["Content-Disposition"].endswith("regions-ofsted-leadership-2016-03-31.svg")
    title, texts = svg_texts(got.data)
    assert title == "Leaders by region at 31 March 2016"
    assert f"Figures as at 31 March 2016. Made {date.today():%-d %B %Y}." in texts
    assert "East Midlands" in texts  # an Ofsted region
    bad = built_in_client.get("/charts/regions.svg?as_at-day=31&as_at-month=2&as_at-year=2016")
    assert bad.status_code == 400


@pytest.mark.parametrize("name", ["national", "trend", "map", f"councils/{HULL}"])
def test_png_downloads_are_pngs_of_a_real_size(built_in_client: Any, name: str) -> None:
    got = built_in_client.get(f"/charts/{name}.png")
    assert got.status_code == 200 and got.mimetype == "image/png"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["Content-Disposition"].endswith(f"-{date.today().isoformat()}.png")
    width, height = png_size(got.data)
    svg = fromstring(built_in_client.get(f"/charts/{name}.svg").data)
    # drawn twice the SVG's size (charts.chart_file's own width and height)
    assert (width, height) == (2 * int(svg.get("width")), 2 * int(svg.get("height")))
    assert width >= 1000 and height >= 300
    assert len(got.data) > 20_000  # text, bars, lines: not a blank image


def test_small_bases_say_their_count_on_a_real_case(built_in_client: Any) -> None:
    """On 1 October 2009 two councils had been judged under the 2009 framework, both
    adequate: "100%" says "(2 of 2)" in the chart, its file and the table."""
    query = "as_at-day=1&as_at-month=10&as_at-year=2009"
    page = built_in_client.get(f"/?{query}").get_data(True)
    chart = page[page.index('<svg class="app-chart') :]
    chart = chart[: chart.index("</svg>")]
    assert ">100% (2 of 2)</text>" in chart
    assert ">2 judged</text>" in chart
    assert '2 <span class="govuk-body-s">(100% of 2)</span>' in page  # the table's cell
    _, texts = svg_texts(built_in_client.get(f"/charts/national.svg?{query}").data)
    assert "100% (2 of 2)" in texts
    # today's picture rests on 150 councils: its percentages stand alone
    today = built_in_client.get("/").get_data(True)
    national = today[today.index('<svg class="app-chart') :]
    national = national[: national.index("</svg>")]
    assert re.search(r">\d+%</text>", national) and " of " not in national
    # the trend since 2009 shades its first quarters, which had fewer than 10 judged
    assert f"Shaded: fewer than {SMALL_BASE} councils judged (2 to 9), Sep 2009" in today
    # the regions at 31 March 2014 by Ofsted's regions: 4 of East Midlands' 9 judged were
    # good or better
    regions = built_in_client.get(
        "/regions?as_at-day=31&as_at-month=3&as_at-year=2014&by=ofsted"
    ).get_data(True)
    row = re.search(r">East Midlands</a></th>(.*?)</tr>", regions, re.S)
    assert row is not None and "44.4% (4 of 9)</td>" in row.group(1)
    london = re.search(r">London</a></th>(.*?)</tr>", regions, re.S)
    assert london is not None and "60.6%</td>" in london.group(1)


def test_the_small_base_rule_is_one_rule() -> None:
    assert SMALL_BASE == 10
    assert [is_small(n) for n in (None, 0, 1, 9, 10, 150)] == [False] * 2 + [True] * 2 + [False] * 2
    assert share(50, 2, 4) == "50% (2 of 4)" and share(43.7, 62, 142) == "43.7%"
    assert count_share(50, 2, 4) == "2 (50% of 4)" and count_share(43.7, 62, 142) == "62 (43.7%)"


def test_the_brief_timeline_has_a_tick_each_year_of_a_councils_history(built_in: str) -> None:
    with Store.open(built_in, bundled=True) as store:
        profile, _ = api.council_profile(store, HULL, date.today())
    history = [f for f in profile.history if not f.is_lscb_only]
    first, last = min(f.start for f in history), max(f.start for f in history)
    assert (first.year, last.year) == (2011, 2022)
    figure = history_figure(history, "Kingston upon Hull")
    ax = figure.axes[0]
    figure.canvas.draw()
    ticks = [float(t) for t in ax.get_xticks()]
    years = list(range(first.year, last.year + 2))  # to the end of the last one's year
    assert ticks == years, ticks
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(y) for y in years]
    low, high = ax.get_xlim()
    assert low <= ticks[0] and ticks[-1] <= high
    plt.close(figure)


def test_the_council_pages_timeline_has_a_tick_each_year(built_in_client: Any) -> None:
    page = built_in_client.get(f"/councils/{HULL}").get_data(True)
    chart = page[page.index('<svg class="app-chart') :]
    chart = chart[: chart.index("</svg>")]
    # its axis runs from 200 days before the first inspection (2011) to 200 after the last
    # (November 2022): 1 January 2012 to 1 January 2023
    assert chart.count('class="app-tick"') == 2023 - 2012 + 1


def test_the_briefs_picture_chart_says_its_small_bases(built_in: str) -> None:
    """The brief's bars of the national picture on 1 October 2009 (two councils judged)."""
    from ofsted_csc.analytics import benchmarking
    from ofsted_csc.domain.councils import load_registry
    from ofsted_csc.domain.frameworks import Area
    from ofsted_csc.reports.briefs.charts import picture_chart

    day = date(2009, 10, 1)
    with Store.open(built_in, bundled=True) as store:
        facts = api.facts(store)
    picture = benchmarking.national_picture(facts, load_registry(), day)
    assert picture.total(Area.OVERALL.value) == 2
    chart = picture_chart(picture, [Area.OVERALL], day, "2009 framework")
    assert "100.0% (2 of 2)" in chart.alt
    assert chart.png.startswith(PNG_SIGNATURE)
