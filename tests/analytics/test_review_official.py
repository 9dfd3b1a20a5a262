"""Review with help from the official statistics: a report whose grades cannot be read is
shown beside the official row of the same inspection, and `review --accept-official` takes
the official values as corrections and reads the stored PDF again. SQLite and PostgreSQL.

The report in review is a real report (Cheshire East's 2019 ILACS) rebuilt as a plain PDF
from its own text lines, positions and type, with the grade words of two judgements
replaced: the parser reads the rebuilt file exactly as the original but for those two.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.conftest import REPORTS, SHARED
from tests.odsmake import write_ods
from tests.pdfmake import Item, pdf_from_items
from tests.storage.test_store import snapshot

from ofsted_csc import api
from ofsted_csc.cli.app import main
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.frameworks import Area
from ofsted_csc.domain.records import InspectionRecord, JudgementStatus
from ofsted_csc.parsing.document import sha256_of
from ofsted_csc.parsing.pdf import PdfText, read_pdf
from ofsted_csc.sources.official import EDITIONS, read_edition
from ofsted_csc.storage import Store, StoredThemes
from ofsted_csc.storage.models import CorrectionRow
from ofsted_csc.themes import analysis as themes_analysis
from ofsted_csc.themes import current_classifier

SOURCE = REPORTS / "50141243.pdf"  # Cheshire East, ILACS, 18-29 November 2019
GARBLED = {
    Area.HELP_AND_PROTECTION: "The experiences and progress of children who need help",
    Area.IN_CARE: "The experiences and progress of children in care",
}
GRADE_WORDS = re.compile(r"requires improvement|to be good|outstanding|inadequate|\bgood\b", re.I)
SHEET_2024 = "ILACS_inspections_2018-2024"


# -- a PDF rebuilt from a report's own lines --


def _items(pdf: PdfText) -> list[list[Item]]:
    pages: list[list[Item]] = []
    for page in pdf.lines:
        items: list[Item] = []
        for line in page:
            if line.cells:  # a table row pdfium joined: each cell where it was
                items += [(c.text, c.x, c.y, line.size, line.bold) for c in line.cells]
            else:
                items.append((line.text, line.x, line.y, line.size, line.bold))
        pages.append(items)
    return pages


def garbled_report(source: Path, labels: Iterable[str]) -> bytes:
    """The report rebuilt with the grades of the judgements labelled `labels` (on page 1)
    replaced by a word that is no grade, on page 1 and in every heading."""
    pdf = read_pdf(source.read_bytes(), source.name)
    pages = _items(pdf)
    rows = [y for text, _x, y, _s, _b in pages[0] for label in labels if text.startswith(label)]
    assert len(rows) == len(list(labels)), "the judgement labels are not on page 1"

    def garble(text: str) -> str:
        return GRADE_WORDS.sub("Pending", text)

    first = [
        (garble(t), x, y, s, b) if x > 300 and any(r - 20 < y <= r + 2 for r in rows) else item
        for item in pages[0]
        for t, x, y, s, b in [item]
    ]
    later = [[(garble(t) if b else t, x, y, s, b) for t, x, y, s, b in p] for p in pages[1:]]
    created = pdf.created.strftime("%Y%m%d") if pdf.created else "20200101"
    return pdf_from_items([first, *later], created)


# -- an official spreadsheet (the 2024 edition's layout) --

HEADERS_2024 = [
    "Local authority name",
    "First ILACS publication date",
    "First ILACS inspection type",
    "First ILACS overall effectiveness",
    "First ILACS impact of leaders",
    "First ILACS experiences and progress of children who need help and protection",
    "First ILACS experiences and progress of children in care",
    "First ILACS experiences and progress of care leavers",
    "Second ILACS publication date",
    "Second ILACS inspection type",
    "Second ILACS overall effectiveness",
    "Second ILACS impact of leaders",
    "Second ILACS experiences and progress of children who need help and protection",
    "Second ILACS experiences and progress of children in care",
    "Second ILACS experiences and progress of care leavers",
]
RI = "Requires improvement to be good"


def official_2024(path: Path, council_rows: list[list[object]]) -> Path:
    rows: list[list[object]] = [["ILACS inspections 2018-2024"], HEADERS_2024, *council_rows]
    width = len(HEADERS_2024)
    rows = [list(r) + [None] * (width - len(r)) for r in rows]
    return write_ods(path, {SHEET_2024: rows})


CHESHIRE_EAST = [
    "Cheshire East",
    date(2020, 1, 8),
    "ILACS Standard Inspection",
    RI,
    RI,
    "Good",  # not the report's grade: shows the value comes from here
    "Inadequate",
    None,
]
OLDHAM = ["Oldham", date(2019, 3, 1), "ILACS Short Inspection", "Good", "Good"]


# -- running the command line in this process (main(): the exit codes as users get them) --


def cli(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        main(["--db", db, *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def in_review(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / SOURCE.name
    path.write_bytes(garbled_report(SOURCE, GARBLED.values()))
    return path


def _ingest_for_review(store: Store, path: Path) -> None:
    summary = api.ingest(store, [path])
    [outcome] = summary.files
    assert outcome.outcome == "review"
    assert sorted(outcome.reasons) == sorted(
        f"could not read the {area.value} judgement" for area in GARBLED
    )


def test_review_shows_official_values_and_accepting_takes_them(
    db_url: str, in_review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = sha256_of(in_review.read_bytes())
    sheet = official_2024(tmp_path / "outcomes.ods", [OLDHAM, CHESHIRE_EAST])
    with api.open_store(db_url) as store:
        _ingest_for_review(store, in_review)

        # no official statistics yet: nothing to take, nothing changed, exit 1
        before = snapshot(store)
        code, out, err = cli(capsys, db_url, "review", "--accept-official", sha[:12])
        assert code == 1
        assert "no official statistics row is of the same inspection" in err
        assert "none are imported" in err and SOURCE.name in err
        assert snapshot(store) == before

        code, out, _ = cli(capsys, db_url, "import-official", str(sheet))
        assert code == 0 and "2 inspection rows imported" in out
        # importing changes no report: still in review
        assert [i.result.source.sha256 for i in api.review(store)] == [sha]

        assert store.stored_themes() == {}  # a file in review has no themes
        imported = snapshot(store)
        code, out, _ = cli(capsys, db_url, "review")
        assert code == 1
        # Cheshire East is the sheet's fourth row (title, headers, Oldham, Cheshire East)
        assert f"outcomes.ods, sheet {SHEET_2024} row 4 (first ILACS)" in out
        table = {
            cells[0]: cells[1:]
            for line in out.splitlines()
            if (cells := re.split(r"\s{2,}", line.strip())) and len(cells) == 3
        }
        assert table["help_and_protection"] == ["not read", "good"]
        assert table["in_care"] == ["not read", "inadequate"]
        assert table["leadership"] == ["requires_improvement", "requires_improvement"]
        assert table["published"] == ["2020-01-08", "2020-01-08"]
        assert (
            f"--accept-official {sha[:12]}` takes the official help_and_protection, in_care" in out
        )
        assert snapshot(store) == imported  # showing changes nothing

        code, out, err = cli(capsys, db_url, "review", "--accept-official", SOURCE.name)
        assert code == 0, err
        assert "help_and_protection = good" in out and "in_care = inadequate" in out
        assert "no longer needs review" in out
        assert snapshot(store) != imported

        assert api.review(store) == []
        [stored] = store.inspections()
        record = stored.result.record
        assert isinstance(record, InspectionRecord)
        assert stored.result.source.sha256 == sha
        assert record.export_value(Area.HELP_AND_PROTECTION) == "good"
        assert record.export_value(Area.IN_CARE) == "inadequate"
        assert record.judgements[Area.IN_CARE].label == "correction"
        # what was read stays as read
        assert record.export_value(Area.LEADERSHIP) == "requires_improvement"
        assert record.export_value(Area.OVERALL) == "requires_improvement"
        assert record.judgements[Area.LEADERSHIP].status is JudgementStatus.GRADED
        # the PDF is still kept, byte for byte
        assert store.source_pdf(sha)[1] == in_review.read_bytes()
        # in review it had no themes; accepted, it is stored with its items' themes
        clf = current_classifier()
        assert store.stored_themes() == {
            sha: StoredThemes(clf.version, tuple(themes_analysis.item_themes(record, clf)))
        }

        with store.session() as s:
            rows = s.scalars(select(CorrectionRow).order_by(CorrectionRow.field)).all()
            corrections = [(r.field, r.value, r.read_value, r.note) for r in rows]
        assert [c[:3] for c in corrections] == [
            ("help_and_protection", "good", None),
            ("in_care", "inadequate", None),
        ]
        title = next(e.title for e in EDITIONS if e.key == "la_inspection_outcomes_2024")
        for *_, note in corrections:
            assert note is not None and note.startswith("from Ofsted's official statistics")
            assert title in note
            assert f"outcomes.ods, sheet {SHEET_2024} row 4" in note

        # ingesting the file again keeps the corrections; a second accept finds it stored
        again = api.ingest(store, [in_review])
        assert [f.outcome for f in again.files] == ["unchanged"]
        code, _, err = cli(capsys, db_url, "review", "--accept-official", sha)
        assert code == 2 and "not in review" in err


def test_no_matching_official_row_changes_nothing(
    db_url: str, in_review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Cheshire East's row, but a year later: another inspection
    later = [CHESHIRE_EAST[0], date(2021, 1, 8), *CHESHIRE_EAST[2:]]
    sheet = official_2024(tmp_path / "outcomes.ods", [OLDHAM, later])
    with api.open_store(db_url) as store:
        _ingest_for_review(store, in_review)
        api.import_official(store, sheet)
        before = snapshot(store)
        code, out, _ = cli(capsys, db_url, "review")
        assert code == 1 and "Official statistics" not in out
        code, _, err = cli(capsys, db_url, "review", "--accept-official", SOURCE.name)
        assert code == 1
        assert f"{SOURCE.name}: no official statistics row is of the same inspection" in err
        assert "nothing changed" in err and "none are imported" not in err
        assert snapshot(store) == before


def test_official_row_without_the_unread_grade_changes_nothing(
    sqlite_url: str, in_review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = [*CHESHIRE_EAST[:5], None, None]  # the official row lacks both unread grades
    sheet = official_2024(tmp_path / "outcomes.ods", [blank])
    with api.open_store(sqlite_url) as store:
        _ingest_for_review(store, in_review)
        api.import_official(store, sheet)
        before = snapshot(store)
        code, out, _ = cli(capsys, sqlite_url, "review")
        assert re.search(r"help_and_protection\s+not read\s+-", out)
        assert "--accept-official" not in out.split("To fix one")[0]
        code, _, err = cli(capsys, sqlite_url, "review", "--accept-official", SOURCE.name)
        assert code == 1
        assert "give no value for what could not be read (help_and_protection, in_care)" in err
        assert snapshot(store) == before


def test_a_stored_report_is_not_in_review(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ok"
    folder.mkdir()
    shutil.copy(SOURCE, folder)
    with api.open_store(sqlite_url) as store:
        api.ingest(store, [folder])
    code, _, err = cli(capsys, sqlite_url, "review", "--accept-official", SOURCE.name)
    assert code == 2
    assert err.strip() == (
        f"ofsted-csc: {SOURCE.name}: not in review (stored as inspection); `ofsted-csc "
        "reconcile` lists where stored reports and official statistics differ"
    )


START = date(2019, 11, 18)  # the report's first day on site
OFFICIAL_2024 = SHARED / "official" / "LA_Inspection_Outcomes_as_at_31_March_2024.ods"


def test_accepting_from_the_real_official_spreadsheet(
    db_url: str, in_review: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not OFFICIAL_2024.is_file():
        pytest.skip("the official statistics (../shared/official) are not here")
    edition, rows = read_edition(OFFICIAL_2024, load_registry())
    urn = load_registry().lookup("Cheshire East").urn
    [row] = [
        r
        for r in rows
        if r.council_urn == urn and r.published and abs((r.published - START).days) < 100
    ]
    with api.open_store(db_url) as store:
        _ingest_for_review(store, in_review)
        api.import_official(store, OFFICIAL_2024)
        code, out, _ = cli(capsys, db_url, "review")
        assert f"{OFFICIAL_2024.name}, sheet {edition.sheet} row {row.row}" in out
        code, out, err = cli(capsys, db_url, "review", "--accept-official", SOURCE.name)
        assert code == 0, err
        record = store.find(SOURCE.name).result.record
        assert isinstance(record, InspectionRecord)
        for area in GARBLED:
            assert record.grade(area) is row.grades[area.value]
        notes = {c.field: c.note for c in store.find(SOURCE.name).result.corrections}
        assert set(notes) == {a.value for a in GARBLED}
        assert all(f"sheet {edition.sheet} row {row.row}" in (n or "") for n in notes.values())


def test_without_the_pdf_the_corrections_are_given_as_csv(
    sqlite_url: str, in_review: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = official_2024(tmp_path / "outcomes.ods", [CHESHIRE_EAST])
    with api.open_store(sqlite_url) as store:
        api.ingest(store, [in_review], keep_pdf=False)
        api.import_official(store, sheet)
        before = snapshot(store)
        code, _, err = cli(capsys, sqlite_url, "review", "--accept-official", SOURCE.name)
        assert code == 2 and "does not keep this file's PDF" in err
        assert snapshot(store) == before
        # the lines given are a corrections file that ingest takes
        fixes = tmp_path / "fixes.csv"
        fixes.write_text(err[err.index("sha256,field,value,note") :])
        done = api.ingest(store, [in_review], corrections=fixes)
        assert [f.outcome for f in done.files] == ["replaced"]
        record = store.find(SOURCE.name).result.record
        assert isinstance(record, InspectionRecord)
        assert record.export_value(Area.HELP_AND_PROTECTION) == "good"
        assert record.export_value(Area.IN_CARE) == "inadequate"
