"""Regions over time (issue 25, item 4): the regional picture at each 31 March as one table and
one chart, the /regions page at any date, and `regions --over-time`."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ofsted_csc import api
from ofsted_csc.cli.app import cli
from ofsted_csc.domain.councils import ONS_REGIONS
from ofsted_csc.storage.store import Store

MARCH_2020 = date(2020, 3, 31)


def test_the_regions_page_shows_the_picture_at_the_date_asked(
    built_in_client: Any, built_in: str
) -> None:
    with Store.open(built_in, bundled=True) as store:
        then = api.regions(store, MARCH_2020)
        now = api.regions(store)
    assert [r["good"] for r in then] != [r["good"] for r in now]  # the date matters
    page = built_in_client.get("/regions?as_at-day=31&as_at-month=3&as_at-year=2020").get_data(True)
    assert "at 31 March 2020" in page
    for r in then:  # each region's good count at that date is in its row
        row = re.search(rf">{re.escape(str(r['region']))}</a></th>(.*?)</tr>", page, re.S)
        assert row is not None
        cells = re.findall(r'numeric">([^<]*)</td>', row.group(1))
        assert cells[0] == str(r["councils"]) and cells[2] == str(r["good"])
    bad = built_in_client.get("/regions?as_at-day=31&as_at-month=2&as_at-year=2020")
    assert bad.status_code == 400 and "real date" in bad.get_data(True)


def test_the_page_and_the_command_give_every_31_march_in_one_table(
    built_in_client: Any, built_in: str
) -> None:
    days = api.each_31_march()
    assert days[0] == date(2014, 3, 31) and days[-1] <= date.today()
    page = built_in_client.get("/regions").get_data(True)
    table = page[page.index('id="regions-over-time"') :]
    table = table[: table.index("</table>")]
    assert re.findall(r"header--numeric\">(\d{4})</th>", table) == [str(d.year) for d in days]
    assert "share good or better by region" in page and "<svg" in page[page.index("Over time") :]
    with Store.open(built_in, bundled=True) as store:
        rows = api.regions_over_time(store)
        march = {r["region"]: r for r in api.regions(store, MARCH_2020)}
    assert len(rows) == len(days) * len(ONS_REGIONS)
    london = next(r for r in rows if r["as_at"] == MARCH_2020 and r["region"] == "London")
    assert london == {"as_at": MARCH_2020, **march["London"]}
    got = CliRunner().invoke(
        cli,
        [
            "--db",
            built_in,
            "regions",
            "--at",
            "2020-03-31",
            "--at",
            "2024-03-31",
            "--format",
            "csv",
        ],
        env={"OFSTED_CSC_BUNDLED": "1"},
    )
    assert got.exit_code == 0, got.output
    out = list(csv.DictReader(io.StringIO(got.output.lstrip("\ufeff"))))
    assert {r["as_at"] for r in out} == {"2020-03-31", "2024-03-31"}
    assert len(out) == 2 * len(ONS_REGIONS)


def test_over_time_dates_must_be_past(built_in: str, tmp_path: Path) -> None:
    from ofsted_csc.domain.errors import InvalidInput

    with (
        Store.open(built_in, bundled=True) as store,
        pytest.raises(InvalidInput, match="after today"),
    ):
        api.regions_over_time(store, [date(date.today().year + 1, 3, 31)])
