"""A new store with no documents: the built-in official statistics fill the national
picture, the councils, the regions and the map; pages that need report PDFs say so and how
to get them, instead of looking empty."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ofsted_csc import config
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.web.app import Settings, create_app

HOW = "ofsted-csc sync"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OFSTED_CSC_BUNDLED", "1")
    monkeypatch.setenv("OFSTED_CSC_PAGE_CACHE", "0")
    config.use(None)  # read the environment again (tests/conftest.py resets it after the test)
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'new.sqlite'}", secret_key="t"))
    return app.test_client()


def _text(html: str) -> str:
    main = re.search(r"<main.*?</main>", html, re.S)
    body = re.sub(r"<[^>]+>", " ", main.group(0) if main else html)
    return re.sub(r"\s+", " ", body).replace("&#39;", "'")


def test_the_picture_councils_and_map_are_whole_from_the_first_minute(client) -> None:  # type: ignore[no-untyped-def]
    home = _text(client.get("/?as_at-day=31&as_at-month=3&as_at-year=2024").get_data(True))
    assert "151 of 153 councils have a graded inspection held here" in home
    # Ofsted's own table of that date: reports published by 30 June counted, and said
    assert "as Ofsted counts its official figures" in home and "30 June 2024" in home
    councils = client.get("/councils").get_data(True)
    existing = load_registry().existing_on(date.today())
    assert all(c.name.replace("'", "&#39;") in councils for c in existing)
    # the map colours every council with an inspection on record: only the two councils
    # created in April 2023 (Cumberland, Westmorland and Furness) had none by March 2024
    page = client.get("/map").get_data(True)
    desc = re.search(r"<desc[^>]*>Councils by grade: (.*?)\.</desc>", page)
    assert desc is not None
    counts = dict(
        (name.strip(), int(n))
        for name, n in re.findall(r"([A-Za-z ]+?) (\d+)(?:,|$)", desc.group(1))
    )
    assert counts.pop("No inspection held") == 2
    assert sum(counts.values()) == 151
    assert page.count('fill="#dee0e2"') == 2  # grey: the two not inspected
    # a council's history reaches back before the SIF
    barnet = _text(client.get("/councils/302").get_data(True))
    assert "Pre-2013 safeguarding and child protection" in barnet
    assert "SIF full inspection" in barnet and "ILACS standard inspection" in barnet


@pytest.mark.parametrize(
    "path",
    [
        "/councils/302",
        "/councils/302/themes",
        "/inspections",
        "/themes",
        "/themes/management_oversight",
        "/themes/search?q=missing",
        "/themes/compare",
        "/inspectors",
    ],
)
def test_pages_that_need_documents_say_how_to_get_them(client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200
    text = _text(response.get_data(True))
    assert "no report" in text and HOW in text and "ofsted-csc ingest FOLDER" in text


def test_a_brief_without_its_report_explains_itself(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/councils/302/brief")
    assert response.status_code == 404
    text = _text(response.get_data(True))
    assert "no inspection report of this council is held yet" in text and HOW in text
