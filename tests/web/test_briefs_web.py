"""The member brief on the web: the page and its downloads are the library's brief, a
council template is used, bad input is named and nothing is stored."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest

from ofsted_csc import api
from ofsted_csc.api import briefs
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

HULL = "810"  # Kingston upon Hull's LA code


@pytest.fixture
def client(db_copy: str) -> Any:
    app = create_app(Settings(db_url=db_copy, secret_key="test"))
    yield app.test_client()
    context_of(app).store.close()


def test_the_brief_page_and_its_word_file_are_the_librarys(client: Any, db_copy: str) -> None:
    council_page = client.get(f"/councils/{HULL}").get_data(as_text=True)
    assert f'href="/councils/{HULL}/brief"' in council_page
    r = client.get(f"/councils/{HULL}/brief?inspection=2026-03-02&as_at=2026-11-01")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    with api.open_store(db_copy) as store:
        b = briefs.build_brief(store, HULL, "2026-03-02", date(2026, 11, 1), include_plan=False)
    national = b.tables()["national"]
    for row in national.rows:  # every cell of the national table is on the page
        cells = "".join(f'<td class="govuk-table__cell">{c}</td>' for c in row)
        assert cells in page
    r = client.get(f"/councils/{HULL}/brief.docx?inspection=2026-03-02&as_at=2026-11-01")
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    d = docx.Document(io.BytesIO(r.data))
    cells = [[c.text for c in row.cells] for t in d.tables for row in t.rows]
    for row in national.rows:
        assert list(row) in cells
    # signed out: no plan section
    assert "Improvement plan" not in page


def test_a_template_upload_is_used_and_a_bad_one_named(client: Any, tmp_path: Path) -> None:
    page = client.get(f"/councils/{HULL}/brief").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    t = docx.Document()
    t.sections[0].header.paragraphs[0].text = "Hull City Council"
    buf = io.BytesIO()
    t.save(buf)
    r = client.post(
        f"/councils/{HULL}/brief.docx",
        data={
            "csrf_token": token,
            "as_at": "2026-11-01",
            "template": (io.BytesIO(buf.getvalue()), "hull.docx"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    d = docx.Document(io.BytesIO(r.data))
    assert d.sections[0].header.paragraphs[0].text == "Hull City Council"
    r = client.post(
        f"/councils/{HULL}/brief.docx",
        data={"csrf_token": token, "template": (io.BytesIO(b"<html></html>"), "page.docx")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400
    assert "page.docx: not a Word .docx file" in r.get_data(as_text=True)
    r = client.get(f"/councils/{HULL}/brief?as_at=yesterday")
    assert r.status_code == 400
    assert "is not a date" in r.get_data(as_text=True)
    r = client.post(f"/councils/{HULL}/brief.docx", data={"as_at": "2026-11-01"})
    assert r.status_code == 400  # no CSRF token


def test_the_brief_page_offers_visit_letters_and_the_kind_of_year(client: Any) -> None:
    slough = "871"
    page = client.get(f"/councils/{slough}/brief?as_at=2026-11-01").get_data(as_text=True)
    options = re.findall(r'<option value="([0-9a-f]{64})"[^>]*>([^<]+)</option>', page)
    letters = [(sha, what) for sha, what in options if what.endswith("(letter)")]
    assert letters and any(w.startswith("November 2025: focused visit") for _, w in letters)
    assert any("SIF" in w for _, w in options)  # the inspection reports too
    sha = next(s for s, w in letters if w.startswith("November 2025"))
    visit = client.get(f"/councils/{slough}/brief?inspection={sha}&as_at=2026-11-01")
    assert visit.status_code == 200
    text = visit.get_data(as_text=True)
    assert "Areas for priority action" in text and f'value="{sha}" selected' in text
    # the downloads carry the choice: the Word file is the visit's paper
    link = re.search(r'href="(/councils/871/brief\.docx\?[^"]+)"', text).group(1)  # type: ignore[union-attr]
    d = docx.Document(io.BytesIO(client.get(link.replace("&amp;", "&")).data))
    assert "focused visit" in d.paragraphs[0].text.lower()
    financial = client.get(f"/councils/{slough}/brief?as_at=2026-11-01&year=financial")
    assert "financial year" in financial.get_data(as_text=True)
    assert client.get(f"/councils/{slough}/brief?year=fiscal").status_code == 400


def test_the_briefs_charts_download_as_svg_and_png(client: Any) -> None:
    """Charts to publish: each chart under the brief links its files (the page's query),
    an SVG with its words as text, the source line and the date its figures stand at."""
    from defusedxml.ElementTree import fromstring

    from ofsted_csc.web.charts import SOURCE

    query = "inspection=2026-03-02&as_at=2026-11-01"
    page = client.get(f"/councils/{HULL}/brief?{query}").get_data(as_text=True)
    hrefs = [
        h.replace("&amp;", "&")
        for h in re.findall(rf'href="(/councils/{HULL}/brief/charts/[^"]+)" download', page)
    ]
    keys = sorted({h.split("/charts/")[1].split(".")[0] for h in hrefs})
    assert keys == ["history_chart", "national_chart"] and len(hrefs) == 4, hrefs
    assert all(query in h for h in hrefs)
    svg_ns = "{http://www.w3.org/2000/svg}"
    for href in hrefs:
        got = client.get(href)
        assert got.status_code == 200, href
        assert got.headers["Content-Disposition"].startswith("attachment;")
        if href.split("?")[0].endswith(".png"):
            assert got.mimetype == "image/png" and got.data.startswith(b"\x89PNG\r\n\x1a\n")
            assert len(got.data) > 20_000
            continue
        root = fromstring(got.data)
        texts = ["".join(t.itertext()).strip() for t in root.iter(f"{svg_ns}text")]
        assert root.findtext(f"{svg_ns}title")  # the brief's caption
        assert SOURCE in texts
        if "history_chart" in href:  # the council's history, as at the brief's date
            assert "Kingston upon Hull: grades at each inspection" in texts
            assert "Figures as at 1 November 2026." in " ".join(texts)
        else:  # the framework's picture, as at the report's publication
            assert any(t.startswith("ILACS") and "outcomes as at" in t for t in texts), texts
    assert client.get(f"/councils/{HULL}/brief/charts/nothing.svg?{query}").status_code == 404
