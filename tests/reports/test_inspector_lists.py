"""Lead inspectors on real documents: the corpus's Matt and Matthew Reed and Sue and Susan
Myers are one person each, its two Godfreys two people, a report naming two leads counts for
both; D2I's inspector count reads the merged names; the lists carry the note and are in order
of name, never of outcome."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ofsted_csc import api
from ofsted_csc.cli.app import EXIT_OK, main
from ofsted_csc.domain.errors import NotFound
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.inspectors import INSPECTORS_NOTE
from ofsted_csc.web import Settings, create_app
from ofsted_csc.web.context import context_of

# Corpus reports and the lead inspector each names (read from the PDFs)
FILES = {
    "2760270.pdf": "Sue Myers",  # SIF, Wigan, January 2017
    "50004313.pdf": "Sue Myers",  # SIF, Cheshire West and Chester, November 2015
    "2760660.pdf": "Susan Myers",  # SIF, Wakefield, July 2016
    "50010311.pdf": "Matt Reed",  # ILACS short, North Yorkshire, July 2018
    "50045174.pdf": "Matt Reed",  # ILACS short, Leeds, October 2018
    "50200027.pdf": "Rebecca Quested; Matthew Reed",  # ILACS standard, two leads
    "50048227.pdf": "Dawn Godfrey",  # ILACS standard
    "50238913.pdf": "Teresa Godfrey",  # ILACS standard
}


@pytest.fixture(scope="module")
def db(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('inspectors') / 'store.sqlite'}"
    with api.open_store(url) as store:
        summary = api.ingest(store, [corpus_dir / "reports" / name for name in FILES])
        assert len(summary.stored) == len(FILES), summary.files
    return url


@pytest.fixture(scope="module")
def snap(db: str) -> Iterator[api.Snapshot]:
    with api.open_store(db) as store:
        yield api.snapshot(store)


def test_the_reports_name_their_leads_as_written(snap: api.Snapshot) -> None:
    written = {d.file_name: d.lead_inspector for d in snap.documents if d.file_name in FILES}
    assert written == FILES


def test_forms_of_one_name_are_merged_and_different_people_are_not(snap: api.Snapshot) -> None:
    people = snap.inspectors
    assert people.merged == {
        "Matthew Reed": ("Matt Reed", "Matthew Reed"),
        "Susan Myers": ("Sue Myers", "Susan Myers"),
    }
    assert people.leads("Dawn Godfrey") == ("Dawn Godfrey",)
    assert people.leads("Teresa Godfrey") == ("Teresa Godfrey",)
    by_file = {d.file_name: d.leads for d in snap.documents}
    assert by_file["50010311.pdf"] == ("Matthew Reed",)
    assert by_file["2760270.pdf"] == by_file["2760660.pdf"] == ("Susan Myers",)
    assert by_file["50200027.pdf"] == ("Rebecca Quested", "Matthew Reed")


def test_lists_by_inspector(snap: api.Snapshot) -> None:
    lists = {x.name: x for x in api.inspectors(snap)}
    assert set(lists) == {
        "Matthew Reed",
        "Susan Myers",
        "Rebecca Quested",
        "Dawn Godfrey",
        "Teresa Godfrey",
    }
    reed = lists["Matthew Reed"]
    assert [d.file_name for d in reed.documents] == [
        "50010311.pdf",
        "50045174.pdf",
        "50200027.pdf",
    ]  # oldest first, the two-lead report too
    assert (reed.inspections, reed.visits) == (3, 0)
    assert [d.file_name for d in lists["Rebecca Quested"].documents] == ["50200027.pdf"]
    assert lists["Susan Myers"].inspections == 3
    assert api.inspector(snap, "Sue Myers HMI").name == "Susan Myers"
    table = api.inspector_table(snap, "matt reed")
    assert [r["council"] for r in table.rows][:2] == ["North Yorkshire", "Leeds"]
    assert table.rows[2]["led_with"] == ["Rebecca Quested"]
    assert {"council", "start", "kind"} <= set(table.columns)
    with pytest.raises(NotFound):
        api.inspector(snap, "Jane Nobody")


def test_no_ordering_by_outcome(snap: api.Snapshot) -> None:
    table = api.inspectors_table(snap)
    names = [r["inspector"] for r in table.rows]
    surnames = [n.split()[-1] for n in names]
    assert surnames == sorted(surnames)  # Godfrey, Godfrey, Myers, Quested, Reed
    grade_words = {g.value for g in Grade} | set(api.JUDGEMENTS) | {"grade", "outcome", "rank"}
    for t in (table, api.inspector_table(snap, "Matthew Reed")):
        assert not set(t.columns) & grade_words
        assert not any(w in c for c in t.columns for w in ("grade", "rank", "score"))


def test_d2i_counts_the_merged_names(snap: api.Snapshot) -> None:
    rows = api.table(snap, "inspections", "d2i-history").rows
    by_file = {r["inspection_link"].rsplit("/", 1)[-1] + ".pdf": r for r in rows}
    assert by_file["50010311.pdf"]["inspector_name"] == "matthew reed"
    assert by_file["50045174.pdf"]["inspector_name"] == "matthew reed"
    # Matt Reed wrote twice and Matthew Reed once (beside Rebecca Quested): three, not two
    assert by_file["50010311.pdf"]["inspectors_inspections_count"] == 3
    assert by_file["50200027.pdf"]["inspector_name"] == "rebecca quested; matthew reed"
    assert by_file["50200027.pdf"]["inspectors_inspections_count"] == 1  # the first named
    assert by_file["50048227.pdf"]["inspectors_inspections_count"] == 1  # Dawn Godfrey
    assert by_file["50238913.pdf"]["inspectors_inspections_count"] == 1  # Teresa Godfrey
    listing = {r["file_name"]: r["lead_inspector"] for r in api.documents_table(snap).rows}
    assert listing["50010311.pdf"] == "Matthew Reed"
    assert listing["2760270.pdf"] == "Susan Myers"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = EXIT_OK
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_lists_with_the_note(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--db", db, "inspectors")
    assert code == EXIT_OK
    assert "5 lead inspectors" in out and "Matt Reed, Matthew Reed" in out
    assert " ".join(INSPECTORS_NOTE.split()[:8]) in " ".join(out.split())
    code, out, _ = _run(capsys, "--db", db, "inspectors", "--name", "Matt Reed")
    assert code == EXIT_OK
    assert "Matthew Reed: 3 inspections and visits led" in out
    assert "North Yorkshire" in out and "Rebecca Quested" in out
    assert "Ofsted moderates" in " ".join(out.split())
    code, out, err = _run(
        capsys, "--db", db, "inspectors", "--name", "Sue Myers", "--format", "csv"
    )
    assert out.splitlines()[0].startswith("inspector,council,la_code,start")
    assert len(out.splitlines()) == 4
    assert "not league tables" in err  # the note beside the rows, not among them
    code, _, err = _run(capsys, "--db", db, "inspectors", "--name", "Jane Nobody")
    assert code != EXIT_OK and "Jane Nobody" in err


@pytest.fixture
def client(db: str) -> Iterator[Any]:
    app = create_app(Settings(db_url=db, secret_key="test"))
    yield app.test_client()
    context_of(app).store.close()


def test_web_pages_with_the_note(client: Any) -> None:
    page = client.get("/inspectors").get_data(as_text=True)
    assert 'id="inspectors-note"' in page and "not league tables" in page
    assert page.index("Dawn Godfrey") < page.index("Susan Myers") < page.index("Matthew Reed")
    one = client.get("/inspectors?name=Matt+Reed").get_data(as_text=True)
    assert "not league tables" in one and "North Yorkshire" in one
    assert "written as Matt Reed, Matthew Reed" in one
    assert client.get("/inspectors?name=Jane+Nobody").status_code == 404
    csv_text = client.get("/inspectors?format=csv").get_data(as_text=True).lstrip("\ufeff")
    rows = {r["inspector"]: r for r in csv.DictReader(io.StringIO(csv_text))}
    assert rows["Matthew Reed"]["written_as"].split("\n") == ["Matt Reed", "Matthew Reed"]
    assert rows["Matthew Reed"]["inspections"] == "3"
    xlsx = client.get("/inspectors?name=Sue+Myers&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_json_api_carries_the_note(client: Any) -> None:
    body = client.get("/api/inspectors?name=Sue+Myers").get_json()
    assert body["note"] == INSPECTORS_NOTE
    assert body["count"] == 3 and {r["inspector"] for r in body["rows"]} == {"Susan Myers"}
    everyone = client.get("/api/inspectors").get_json()
    assert [r["inspector"] for r in everyone["rows"]][-1] == "Matthew Reed"
    assert client.get("/api/inspectors?name=Jane+Nobody").status_code == 404
