"""GET /api/search: the CLI's search over HTTP, with the stored PDF's page to open."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from support import FIXTURES

from ofsted_csc.domain.search import words_of
from ofsted_csc.parsing.pdf import read_pdf
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of


@pytest.fixture
def client(db_copy: str) -> Iterator[Any]:
    application = create_app(Settings(db_url=db_copy, secret_key="test"))
    yield application.test_client()
    context_of(application).store.close()


def test_api_search_gives_each_page_with_its_link_and_stored_page(client: Any) -> None:
    report = FIXTURES / "reports" / "50276975.pdf"
    pages = read_pdf(report.read_bytes(), report.name).pages
    expected = {n for n, page in enumerate(pages, 1) if "neglect" in words_of(page)}
    r = client.get(
        "/api/search?q=neglect&since=2025-05-13&until=2025-05-13&framework=ilacs&limit=1000"
    )
    assert r.status_code == 200
    body = r.get_json()
    assert body["count"] == len(body["rows"]) == len(expected)
    assert {row["page"] for row in body["rows"]} == expected
    row = body["rows"][0]
    assert {r["file_name"] for r in body["rows"]} == {report.name}
    assert row["link"] == "https://files.ofsted.gov.uk/v1/file/50276975"
    assert row["page_url"] == f"/documents/{row['sha256']}.pdf#page={row['page']}"
    assert "[neglect]" in row["passage"].lower()
    assert client.get(row["page_url"].split("#")[0]).status_code == 200


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ('/api/search?q="neglect', "search: a quote is not closed"),
        ("/api/search?q=NOT", "search: NOT needs"),
        ("/api/search?q=neglect&grade=brilliant", "is not a grade"),
        ("/api/search?q=neglect&limit=0", "limit"),
        ("/api/search", "q"),
    ],
)
def test_api_search_bad_query_is_named(client: Any, url: str, words: str) -> None:
    r = client.get(url)
    assert r.status_code in (400, 422)
    assert words in r.get_json()["message"]


def test_search_page_marks_matches_and_opens_the_stored_pdf_at_the_page(client: Any) -> None:
    report = FIXTURES / "reports" / "50276975.pdf"
    pages = read_pdf(report.read_bytes(), report.name).pages
    expected = {n for n, page in enumerate(pages, 1) if "neglect" in words_of(page)}
    r = client.get("/search?q=neglect&since=2025-05-13&until=2025-05-13&framework=ilacs")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    found = {int(n) for n in re.findall(r'href="/documents/[0-9a-f]{64}\.pdf#page=(\d+)"', html)}
    assert found == expected
    assert "<mark>neglect</mark>" in html.lower()
    assert 'href="https://files.ofsted.gov.uk/v1/file/50276975"' in html


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ('/search?q="neglect', "a quote is not closed"),
        ("/search?q=neglect&since=yesterday", "is not a date"),
        ("/search?q=neglect&grade=brilliant", "is not a grade"),
        ("/search?q=neglect&council=Gotham", "Gotham"),
        ("/search?q=<script>alert(1)</script>", "0 pages found"),
    ],
)
def test_search_page_names_the_problem(client: Any, url: str, words: str) -> None:
    r = client.get(url)
    html = r.get_data(as_text=True)
    assert words in html.replace("&#34;", '"').replace("&#39;", "'")
    assert "<script>alert" not in html
