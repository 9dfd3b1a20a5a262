"""The forecast where people see it (issue 19): each council's page, a national page of the
councils most likely to be inspected next, its download, and the member briefs. Every figure
shown is the API's; each says it is a statistical estimate, not Ofsted's schedule."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from ofsted_csc import api, config
from ofsted_csc.api import briefs
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.reports.briefs.content import Bullets, Para, Table
from ofsted_csc.web.app import Settings, create_app
from ofsted_csc.web.context import context_of

HEADING = "Next inspection: a statistical estimate"
HULL = "810"  # a report and letters of the sample store


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A new store: the built-in official outcomes only."""
    monkeypatch.setenv("OFSTED_CSC_BUNDLED", "1")
    monkeypatch.setenv("OFSTED_CSC_PAGE_CACHE", "0")
    config.use(None)
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'new.sqlite'}", secret_key="t"))
    yield app.test_client()
    context_of(app).store.close()


def _text(html: str) -> str:
    main = re.search(r"<main.*?</main>", html, re.S)
    body = re.sub(r"<[^>]+>", " ", main.group(0) if main else html)
    return re.sub(r"\s+", " ", body).replace("&#39;", "'")


def _percent(p: float) -> str:
    return f"{round(100 * p)}%"


def _made(client: Any) -> list[api.CouncilForecast]:
    data = context_of(client.application).data.get()
    return api.likeliest_inspected(data, date.today())


def test_the_national_page_lists_every_council_most_likely_first_with_the_apis_figures(
    client: Any,
) -> None:
    made = _made(client)
    today = date.today()
    assert len(made) == len(load_registry().existing_on(today))
    r = client.get("/forecast")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    text = _text(page)
    assert "not Ofsted's schedule" in text
    shown = re.findall(r'numeric">(\d+)%</td>', page)
    assert [int(p) for p in shown] == [round(100 * f.p_inspection) for f in made]
    assert shown == sorted(shown, key=int, reverse=True)
    first = made[0]
    assert f'href="/councils/{first.council.la_code}">{first.council.name}</a>' in page
    assert "/forecast" in client.get("/").get_data(as_text=True)  # linked from the picture


def test_the_download_is_the_forecast_commands_rows(client: Any) -> None:
    r = client.get("/forecast?format=csv")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert tuple(rows[0]) == api.FORECAST_COLUMNS
    data = context_of(client.application).data.get()
    want = api.forecast(data, date.today())
    assert [row["la_code"] for row in rows] == [str(w["la_code"]) for w in want]
    assert [float(row["p_good"]) for row in rows] == [w["p_good"] for w in want]
    assert client.get("/forecast?format=pdf").status_code == 400


def test_a_council_page_gives_its_forecast_in_words_with_every_grades_chance(
    client: Any,
) -> None:
    made = {f.council.la_code: f for f in _made(client)}
    f = made["202"]  # Camden
    page = client.get("/councils/202").get_data(as_text=True)
    text = _text(page)
    assert HEADING in text and "not Ofsted's schedule" in text
    assert f"A {_percent(f.p_inspection)} chance of a graded inspection starting" in text
    table = page[page.index('id="forecast-grades"') :]
    table = table[: table.index("</table>")]
    chances = [int(p) for p in re.findall(r'numeric">(\d+)%</td>', table)]
    assert chances == [
        round(100 * p) for _, p in sorted(f.probabilities.items(), key=lambda kv: kv[0].rank)
    ]
    assert 98 <= sum(chances) <= 102
    for reason in f.reasons:
        assert reason[1:] in text  # each reason, as a sentence


def test_a_council_that_no_longer_exists_has_no_forecast(client: Any) -> None:
    gone = next(c for c in load_registry().all() if c.abolished and c.abolished < date.today())
    r = client.get(f"/councils/{gone.la_code}")
    assert r.status_code == 200
    assert HEADING not in _text(r.get_data(as_text=True))


def _forecast_section(b: briefs.Brief) -> Any:
    return next(s for s in b.sections if s.heading == HEADING)


def test_the_member_brief_gives_the_forecast_as_at_its_own_date(db_copy: str) -> None:
    with api.open_store(db_copy) as store:
        snap = api.Snapshot.build(store)
        for as_at in (date(2026, 11, 1), date(2026, 6, 1)):
            b = briefs.build_brief(store, HULL, "2026-03-02", as_at, include_plan=False)
            section = _forecast_section(b)
            (want,) = api.council_forecasts(snap, as_at, HULL)
            paras = [blk.text for blk in section.blocks if isinstance(blk, Para)]
            assert "not Ofsted's schedule" in paras[0]
            end = as_at + timedelta(days=365)
            assert f"A {_percent(want.p_inspection)} chance" in paras[1]
            assert f"to {end.day} {end:%B %Y}" in paras[1]
            (grades,) = [blk for blk in section.blocks if isinstance(blk, Table)]
            assert [row[1] for row in grades.rows] == [
                _percent(p)
                for _, p in sorted(want.probabilities.items(), key=lambda kv: kv[0].rank)
            ]
            reasons = [i for blk in section.blocks if isinstance(blk, Bullets) for i in blk.items]
            assert len(reasons) == len(want.reasons)
            assert f"{as_at.day} {as_at:%B %Y}" in " ".join(reasons)


def test_a_visit_brief_gives_the_forecast_too(db_copy: str) -> None:
    with api.open_store(db_copy) as store:
        letters = [i for i in store.letters() if i.result.record.council_urn]
        item = letters[-1]
        council = load_registry().by_urn(item.result.record.council_urn)
        assert council is not None
        b = briefs.build_brief(
            store, council.la_code, item.result.source.sha256, date(2026, 11, 1), False
        )
        assert b.is_visit
        assert "chance of a graded inspection" in " ".join(
            blk.text for blk in _forecast_section(b).blocks if isinstance(blk, Para)
        )
