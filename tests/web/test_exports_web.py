"""The web app's export downloads (/exports/<table>): the same columns and rows as the
command's CSV, and every XLSX with the data dictionary sheet."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from ofsted_csc.cli.app import cli
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

TABLES = ("inspections", "recommendations", "letters", "judgements")


@pytest.fixture
def client(db_copy: str) -> Any:
    application = create_app(Settings(db_url=db_copy, secret_key="test"))
    yield application.test_client()
    context_of(application).store.close()


def _cli_csv(db_url: str, what: str) -> str:
    result = CliRunner().invoke(cli, ["--db", db_url, "export", what, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("what", TABLES)
def test_the_web_csv_is_the_command_s_csv(client: Any, db_copy: str, what: str) -> None:
    r = client.get(f"/exports/{what}?format=csv")
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    web = r.get_data().decode("utf-8-sig")
    mine = _cli_csv(db_copy, what)
    web_rows = list(csv.reader(io.StringIO(web)))
    cli_rows = list(csv.reader(io.StringIO(mine)))
    assert web_rows[0] == cli_rows[0]  # the same columns, in the same order
    assert "link" in web_rows[0]
    assert web_rows == cli_rows
    assert len(web_rows) > 1


def test_the_web_xlsx_has_the_data_dictionary(client: Any) -> None:
    r = client.get("/exports/judgements?format=xlsx")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.get_data()))
    assert book.sheetnames == ["judgements", "Data dictionary"]
    header = [c.value for c in next(book["judgements"].iter_rows())]
    described = [row[0].value for row in book["Data dictionary"].iter_rows(min_row=2)]
    assert described == header
    listing = client.get("/inspections?format=xlsx")
    assert "Data dictionary" in openpyxl.load_workbook(io.BytesIO(listing.get_data())).sheetnames


def test_a_table_that_is_not_an_export_is_refused_in_words(client: Any) -> None:
    r = client.get("/exports/nothing?format=csv")
    assert r.status_code == 400
    assert "is not an export" in r.get_data(as_text=True)
