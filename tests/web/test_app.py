"""The web app through Flask's test client: the JSON API answers (its figures are the CLI's: both
call the same ofsted_csc.api functions), bad input gets a
clear error naming the problem, forms need their CSRF token, uploads change the store only
when a file is read, and cached pages follow the data."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, HELD_BACK

from ofsted_csc.api import users as users_api
from ofsted_csc.plans.rules import Role, TokenScope
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of


@pytest.fixture
def app(db_copy: str) -> Any:
    application = create_app(Settings(db_url=db_copy, secret_key="test"))
    yield application
    context_of(application).store.close()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


EDITOR_PASSWORD = "editor passphrase 2"


@pytest.fixture
def token(app: Any) -> str:
    """A read-write API token of an editor ("ed", who may also sign in)."""
    store = context_of(app).store
    admin = users_api.user_create(store, None, "ada", role=Role.ADMIN)
    editor = users_api.user_create(store, admin, "ed", role=Role.EDITOR, password=EDITOR_PASSWORD)
    return users_api.token_create(store, editor, scope=TokenScope.READ_WRITE).secret


def _signed_in(client: Any) -> Any:
    page = client.get("/sign-in").get_data(as_text=True)
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m, "no CSRF token on the sign-in form"
    r = client.post(
        "/sign-in", data={"csrf_token": m.group(1), "username": "ed", "password": EDITOR_PASSWORD}
    )
    assert r.status_code == 302
    return client


def test_create_app_opens_nothing_at_import_and_takes_explicit_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    app = create_app(Settings(db_url=url, allow_upload=False))
    try:
        c = app.test_client()
        page = c.get("/")
        assert page.status_code == 200
        assert b"0 of 153 councils have a graded inspection held here" in page.data
        assert c.get("/upload").status_code == 404  # turned off
        assert b'href="/upload"' not in page.data
    finally:
        context_of(app).store.close()


def test_api_national_answers_the_picture_at_the_date(client: Any) -> None:
    r = client.get("/api/national?as_at=2020-03-31")
    assert r.status_code == 200
    body = r.get_json()
    # 31 March is Ofsted's snapshot date: reports published by 30 June count, as Ofsted's do
    assert (body["as_at"], body["published_by"]) == ("2020-03-31", "2020-06-30")
    assert "as Ofsted counts" in body["reports_counted"]
    assert set(body["rows"][0]) == {"judgement", "grade", "count", "percent", "total"}
    overall = [r for r in body["rows"] if r["judgement"] == "overall_effectiveness"]
    assert sum(r["count"] for r in overall if r["percent"] is not None) == overall[0]["total"] > 0


def test_api_council_profile_answers_the_profile(client: Any) -> None:
    r = client.get("/api/councils/810")
    assert r.status_code == 200
    body = r.get_json()
    assert body["council"] == "Kingston upon Hull"
    assert [r["framework"] for r in body["inspections"]] == ["sif", "ilacs"]
    assert {"statistical_neighbours", "visits", "statements"} <= set(body)


def test_api_trajectories_answer_each_kind_and_400_for_any_other(client: Any) -> None:
    for what in ("transitions", "series", "gaps"):
        r = client.get(f"/api/trajectories/{what}")
        assert r.status_code == 200 and isinstance(r.get_json(), list)
    r = client.get("/api/trajectories/orbits")
    assert r.status_code == 400  # as api.trajectories: an invalid parameter, not a missing page
    assert "“orbits” is not a trajectory" in r.get_json()["message"]


def test_api_listing_filters_like_the_page(client: Any) -> None:
    everything = client.get("/api/inspections").get_json()
    sif = client.get("/api/inspections?framework=sif").get_json()
    visits = client.get("/api/inspections?framework=visit").get_json()
    expected = json.loads((FIXTURES / "reports" / "expected.json").read_text())
    reports = {n: e for n, e in expected.items() if n != HELD_BACK}
    letters = len(list((FIXTURES / "letters").glob("*.pdf")))
    n_sif = sum(1 for e in reports.values() if e["framework"] == "sif")
    assert everything["count"] == len(everything["rows"]) == len(reports) + letters
    assert sif["count"] == n_sif and {r["framework"] for r in sif["rows"]} == {"sif"}
    assert visits["count"] == letters and {r["kind"] for r in visits["rows"]} == {"focused_visit"}
    page = client.get("/inspections?framework=sif")
    shas = re.findall(rb'data-sha256="([0-9a-f]{64})"', page.data)
    assert [s.decode() for s in shas] == [r["sha256"] for r in sif["rows"]]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/api/national?as_at=31-03-2024", "as_at: Not a valid date."),
        ("/api/national?as_at=2031-01-01", "as_at: must be today or in the past"),
        ("/api/national?round=lscb", "round: Must be one of"),
        ("/api/regions?judgement=happiness", "judgement: “happiness” is not a judgement ("),
        ("/api/inspections?grade=brilliant", "grade: “brilliant” is not a grade"),
        ("/api/inspections?region=Atlantis", "“Atlantis” is not a region"),
        ("/api/inspections?year=twenty", "year: Not a valid integer."),
    ],
)
def test_api_bad_arguments_are_named(client: Any, url: str, words: str) -> None:
    r = client.get(url)
    assert r.status_code in (400, 422)
    assert words in r.get_json()["message"]


def test_api_unknown_council_and_file_are_404_json(client: Any) -> None:
    r = client.get("/api/councils/Gotham")
    assert r.status_code == 404 and "Gotham" in r.get_json()["message"]
    r = client.get("/api/inspections/" + "0" * 64)
    assert r.status_code == 404 and r.is_json


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/inspections?grade=brilliant", "is not a grade"),
        ("/inspections?format=pdf", "is not a download format"),
        ("/regions?by=county", "is not a kind of region"),
        ("/map?judgement=happiness", "is not a judgement"),
        ("/councils/999", "no council with the code"),
        ("/regions/atlantis", "no region called"),
    ],
)
def test_pages_word_bad_input_once(client: Any, url: str, words: str) -> None:
    r = client.get(url)
    assert r.status_code in (400, 404)
    assert words in r.get_data(as_text=True)
    assert "govuk-template" in r.get_data(as_text=True)  # a page, not a stack trace


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("30", "2", "2024", "must be a real date"),
        ("", "3", "2024", "must include a day"),
        ("1", "1", "2099", "today or in the past"),
        ("1", "1", "1999", "2009 or later"),
        ("x", "1", "2020", "must be a real date"),
    ],
)
def test_date_picker_errors(client: Any, day: str, month: str, year: str, message: str) -> None:
    r = client.get(f"/?as_at-day={day}&as_at-month={month}&as_at-year={year}")
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert message in text and "govuk-error-summary" in text


def test_csv_download_is_the_filtered_rows(client: Any) -> None:
    r = client.get("/inspections?framework=ilacs&format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    listing = client.get("/api/inspections?framework=ilacs").get_json()["rows"]
    assert [row["sha256"] for row in rows] == [row["sha256"] for row in listing]
    assert {row["framework"] for row in rows} == {"ilacs"}


def test_upload_form_needs_its_csrf_token(client: Any, app: Any) -> None:
    version = context_of(app).store.data_version()
    with (FIXTURES / "reports" / HELD_BACK).open("rb") as fh:
        r = client.post(
            "/upload", data={"report": (fh, HELD_BACK)}, content_type="multipart/form-data"
        )
    assert r.status_code == 400
    assert "security token" in r.get_data(as_text=True)
    assert context_of(app).store.data_version() == version


def _token(client: Any) -> str:
    page = client.get("/upload").get_data(as_text=True)
    m = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert m, "no CSRF token on the form"
    return m.group(1)


def test_upload_through_the_form_changes_cached_pages(client: Any, token: str) -> None:
    _signed_in(client)
    before = client.get("/inspections?year=2025")
    assert client.get("/inspections?year=2025").headers.get("X-Cache") == "hit"
    count = before.get_data(as_text=True).count("data-sha256=")
    with (FIXTURES / "reports" / HELD_BACK).open("rb") as fh:
        r = client.post(
            "/upload",
            data={"csrf_token": _token(client), "report": (fh, HELD_BACK)},
            content_type="multipart/form-data",
        )
    assert r.status_code == 200
    assert "was read and stored" in r.get_data(as_text=True)
    after = client.get("/inspections?year=2025")
    assert after.headers.get("X-Cache") is None  # a new data version: rendered again
    assert after.get_data(as_text=True).count("data-sha256=") == count + 1


def test_api_ingest_refuses_a_bad_file_and_stores_nothing(
    client: Any, app: Any, token: str
) -> None:
    store = context_of(app).store
    version = store.data_version()
    with (FIXTURES / "bad" / "html_saved_as.pdf").open("rb") as fh:
        r = client.post(
            "/api/ingest",
            data={"file": (fh, "html_saved_as.pdf")},
            content_type="multipart/form-data",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert r.status_code == 422
    body = r.get_json()
    assert body["outcome"] == "refused"
    assert "html_saved_as.pdf" in body["reasons"][0] and "web page" in body["reasons"][0]
    assert store.data_version() == version


def test_api_ingest_stores_a_real_report(client: Any, app: Any, token: str) -> None:
    with (FIXTURES / "reports" / HELD_BACK).open("rb") as fh:
        r = client.post(
            "/api/ingest",
            data={"file": (fh, HELD_BACK)},
            content_type="multipart/form-data",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert r.status_code == 200
    body = r.get_json()
    assert body["outcome"] == "stored" and body["kind"] == "standard"
    record = client.get(f"/api/inspections/{body['sha256']}").get_json()
    assert record["source_file"] == HELD_BACK
    assert record["record"]["council_urn"] == "80562"  # Stockport


def test_oversized_upload_is_refused_before_reading(db_copy: str) -> None:
    app = create_app(Settings(db_url=db_copy, max_upload_bytes=1024, open_upload=True))
    try:
        c = app.test_client()
        r = c.post(
            "/api/ingest",
            data={"file": (io.BytesIO(b"%PDF-" + b"0" * 200_000), "big.pdf")},
            content_type="multipart/form-data",
        )
        assert r.status_code == 413
        assert r.get_json()["message"] == "The file may be up to 1 KB."
    finally:
        context_of(app).store.close()


def test_openapi_describes_every_api_route(client: Any, app: Any) -> None:
    spec = client.get("/api/openapi.json").get_json()
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(rule))
        for rule in app.url_map.iter_rules()
        if str(rule).startswith("/api/") and rule.endpoint.startswith("api.")
    }
    assert routes and routes <= set(spec["paths"])
    ingest = spec["paths"]["/api/ingest"]["post"]
    assert "requestBody" in ingest
    # writes take a personal access token, described as a bearer scheme
    (name,) = ingest["security"][0]
    scheme = spec["components"]["securitySchemes"][name]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "ofsted-csc user token add" in scheme["description"]
    assert {"401", "403", "422"} <= set(ingest["responses"])
    docs = client.get("/api/docs").get_data(as_text=True)
    for route in routes:
        assert route in docs


def test_pdf_is_served_from_the_store(client: Any) -> None:
    sha = client.get("/api/inspections?framework=sif").get_json()["rows"][0]["sha256"]
    r = client.get(f"/documents/{sha}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data[:5] == b"%PDF-"
    assert client.get("/documents/notasha.pdf").status_code == 404


def test_pages_send_no_third_party_references(client: Any) -> None:
    for url in ("/", "/map", "/councils/810", "/inspections", "/api/docs"):
        html = client.get(url).get_data(as_text=True)
        external = {
            m
            for m in re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
            if not m.startswith("http://localhost")
        }
        assert not external, (url, external)


def test_the_document_page_says_not_judged_only_where_the_report_does(client: Any) -> None:
    # Isles of Scilly 2016 (SIF): adoption, care leavers and the looked-after judgement
    # "Not Judged"; the others are graded.
    from ofsted_csc.parsing.document import sha256_of

    sha = sha256_of((FIXTURES / "reports" / "50004325.pdf").read_bytes())
    html = client.get(f"/inspections/{sha}").get_data(as_text=True)
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th><td class="govuk-table__cell">([^<]*)',
        html,
    )
    shown = {name.strip(): value.strip() for name, value in rows}
    assert shown["Adoption"] == shown["Care leavers"] == shown["Children in care"] == "Not judged"
    assert "Not judged" not in (shown["Help and protection"], shown["LSCB"])
