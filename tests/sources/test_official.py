"""Official statistics: editions recognised or refused, rows read, reconciled with reports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from tests.conftest import REPORTS, SHARED
from tests.odsmake import write_ods

from ofsted_csc import api
from ofsted_csc.analytics.benchmarking import Facts
from ofsted_csc.analytics.reconcile import disagreements, fill, match
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.frameworks import Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.official import OfficialRow
from ofsted_csc.sources.official import OfficialFormatError, read_edition

HEADERS_2024 = [
    "Web link",
    "Local authority name",
    "LA region",
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


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    padded = {}
    for name, rows in sheets.items():
        width = max(len(r) for r in rows)
        padded[name] = [list(r) + [None] * (width - len(r)) for r in rows]
    return write_ods(path, padded)


def outcomes_2024(path: Path) -> Path:
    rows: list[list[object]] = [
        ["ILACS inspections 2018-2024"],
        HEADERS_2024,
        [
            "link",
            "Cheshire East",
            "North West",
            date(2020, 1, 8),
            "ILACS Standard Inspection",
            RI,
            RI,
            RI,
            RI,
            None,
            date(2024, 5, 1),
            "ILACS Short Inspection",
            "Good",
            "Good",
            "Good",
            "Good",
            "Outstanding",
        ],
        [
            "link",
            "Oldham",
            "North West",
            date(2019, 3, 1),
            "ILACS Short Inspection",
            "Good",
            "Good",
            "Good",
            "Good",
        ],
    ]
    return workbook(path, {"Cover": [["Cover"]], "ILACS_inspections_2018-2024": rows})


def test_known_edition_rows(tmp_path: Path) -> None:
    edition, rows = read_edition(outcomes_2024(tmp_path / "o.ods"), load_registry())
    assert edition.key == "la_inspection_outcomes_2024"
    assert [(r.council_name, r.block, r.kind, r.published) for r in rows] == [
        ("Cheshire East", "first ILACS", Kind.STANDARD, date(2020, 1, 8)),
        ("Cheshire East", "second ILACS", Kind.SHORT, date(2024, 5, 1)),
        ("Oldham", "first ILACS", Kind.SHORT, date(2019, 3, 1)),
    ]
    assert rows[0].council_urn == "80447"
    assert rows[0].grades["overall_effectiveness"] is Grade.REQUIRES_IMPROVEMENT
    assert "care_leavers" not in rows[0].grades  # empty cell: no judgement
    assert rows[1].grades["care_leavers"] is Grade.OUTSTANDING
    assert rows[0].row == 3  # the spreadsheet's own row number


def test_an_xlsx_edition_gives_the_rows_of_the_ods(tmp_path: Path) -> None:
    ods = outcomes_2024(tmp_path / "o.ods")
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Cover"
    first.append(["Cover"])
    sheet = book.create_sheet("ILACS_inspections_2018-2024")
    with CalamineWorkbook.from_path(str(ods)) as read:
        for row in read.get_sheet_by_name(sheet.title).to_python(skip_empty_area=False):
            sheet.append([None if v == "" else v for v in row])
    book.save(tmp_path / "o.xlsx")
    reg = load_registry()
    from_ods = read_edition(ods, reg)[1]
    from_xlsx = read_edition(tmp_path / "o.xlsx", reg)[1]
    assert len(from_ods) == 3
    assert [replace(r, source_file="", sha256="") for r in from_xlsx] == [
        replace(r, source_file="", sha256="") for r in from_ods
    ]


def test_rows_keep_the_spreadsheets_numbers_below_empty_rows(tmp_path: Path) -> None:
    """Empty rows above the table still count: `row` is the number a person sees."""
    blank: list[object] = [None] * len(HEADERS_2024)
    council = ["link", "Oldham", "North West", date(2019, 3, 1), "ILACS Short Inspection"]
    council += ["Good"] * 4
    path = workbook(
        tmp_path / "o.ods", {"ILACS_inspections_2018-2024": [blank, blank, HEADERS_2024, council]}
    )
    rows = read_edition(path, load_registry())[1]
    assert [(r.council_name, r.row) for r in rows] == [("Oldham", 4)]


def test_a_missing_spreadsheet_is_named(tmp_path: Path) -> None:
    with pytest.raises(OfficialFormatError, match=r"absent\.ods: no such file"):
        read_edition(tmp_path / "absent.ods", load_registry())


def test_unknown_layout_is_refused_with_what_was_found(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "2025.ods",
        {"Cover": [["x"]], "LA_outcomes_2025": [["Local authority", "Outcome"]]},
    )
    with pytest.raises(OfficialFormatError) as info:
        read_edition(path, load_registry())
    message = info.value.message
    assert str(path) in message
    assert "not a known edition" in message
    assert "LA_outcomes_2025" in message  # the sheets found
    assert "ILACS_inspections_2018-2024" in message  # what is known


def test_known_sheet_with_changed_columns_says_which(tmp_path: Path) -> None:
    headers = [h for h in HEADERS_2024 if "impact of leaders" not in h]
    path = workbook(tmp_path / "changed.ods", {"ILACS_inspections_2018-2024": [headers]})
    with pytest.raises(
        OfficialFormatError, match="lacks the columns first ilacs impact of leaders"
    ):
        read_edition(path, load_registry())


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "fake.ods"
    path.write_text("<html>not a spreadsheet</html>")
    with pytest.raises(OfficialFormatError, match="cannot be read as a spreadsheet"):
        read_edition(path, load_registry())
    with pytest.raises(OfficialFormatError, match=r"\.ods or \.xlsx expected"):
        read_edition(tmp_path / "data.csv", load_registry())


def official(
    urn: str,
    published: date,
    grades: dict[str, Grade],
    kind: Kind = Kind.STANDARD,
    edition: str = "e",
) -> OfficialRow:
    return OfficialRow(
        "f.ods",
        "0" * 64,
        edition,
        "s",
        5,
        "first ILACS",
        "X",
        urn,
        Framework.ILACS,
        kind,
        1,
        published,
        grades,
    )


def report(
    urn: str,
    published: date,
    grades: dict[str, Grade],
    kind: Kind = Kind.STANDARD,
    estimated: bool = True,
) -> Facts:
    return Facts(
        urn,
        Framework.ILACS,
        kind,
        published.replace(day=1),
        published,
        grades,
        source="r.pdf",
        published_estimated=estimated,
    )


def test_reconcile_lists_every_field_and_fills_only_unmatched() -> None:
    reg = load_registry()
    g = {"overall_effectiveness": Grade.GOOD, "leadership": Grade.GOOD}
    rows = [
        official("80447", date(2020, 1, 8), g, Kind.SHORT),
        official("80447", date(2024, 5, 1), g),  # no report
        official("80536", date(2019, 3, 1), g, edition="e2"),
    ]
    facts = [
        report(
            "80447",
            date(2020, 1, 9),
            {"overall_effectiveness": Grade.GOOD, "leadership": Grade.INADEQUATE},
        ),
        report("80536", date(2019, 3, 1), g, estimated=False),
    ]
    matches = match(rows, facts)
    assert [m.facts is not None for m in matches] == [True, False, True]
    found = {
        (d.field, d.report_value, d.official_value) for d in disagreements(matches, reg, facts)
    }
    assert found == {
        ("published", "2020-01-09", "2020-01-08"),
        ("kind", "standard", "short"),
        ("leadership", "inadequate", "good"),
    }
    [filled] = fill(matches)
    assert filled.published == date(2024, 5, 1) and filled.source == "official:f.ods row 5"
    assert not filled.start_known


def test_rows_too_far_apart_do_not_match() -> None:
    g = {"overall_effectiveness": Grade.GOOD}
    matches = match(
        [official("80447", date(2020, 1, 8), g)], [report("80447", date(2020, 6, 1), g)]
    )
    assert matches[0].facts is None


def test_import_official_into_store_and_reimport_replaces(tmp_path: Path) -> None:
    path = outcomes_2024(tmp_path / "o.ods")
    with api.open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        api.ingest(store, [REPORTS / "50141243.pdf"])  # Cheshire East, ILACS 2019
        assert api.import_official(store, path) == ("la_inspection_outcomes_2024", 3)
        assert api.import_official(store, path) == ("la_inspection_outcomes_2024", 3)
        assert len(store.official_rows()) == 3
        matches, found = api.reconciliation(store)
        matched = [m for m in matches if m.facts is not None]
        assert [m.facts.source for m in matched if m.facts] == ["50141243.pdf"]
        # the report's grades (requires improvement) agree with the row: only the estimated
        # publication date may differ
        assert {d.field for d in found} <= {"published"}
        # benchmarking uses the two unmatched rows, marked official
        sources = sorted(f.source for f in api.facts(store))
        assert sources == ["50141243.pdf", "official:o.ods row 3", "official:o.ods row 4"]
        assert len(api.report_facts(store)) == 1


@pytest.mark.skipif(not (SHARED / "official").is_dir(), reason="../shared/official is not here")
def test_real_official_files_are_recognised() -> None:
    reg = load_registry()
    keys = {read_edition(p, reg)[0].key for p in sorted((SHARED / "official").glob("*.ods"))}
    assert keys == {"csc_underlying_data_2023", "la_inspection_outcomes_2024"}


@pytest.mark.corpus
def test_national_picture_at_31_march_2024_equals_ofsteds(corpus_dir: Path, tmp_path: Path) -> None:
    """Ofsted's own as-at-31-March-2024 table (inspections to 31 March published by 30 June)
    against ours from the dev corpus filled with the official rows."""
    from collections import Counter

    official_dir = SHARED / "official"
    with api.open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        api.ingest(store, [corpus_dir / "reports"], jobs=2)
        for path in sorted(official_dir.glob("*.ods")):
            api.import_official(store, path)
        picture = api.national(store, date(2024, 3, 31), published_by=date(2024, 6, 30))
    grades = {g.value for g in Grade}
    ours = {
        r.grade: r.count
        for r in picture.rows
        if r.judgement == "overall_effectiveness" and r.grade in grades and r.count
    }
    with CalamineWorkbook.from_path(
        str(official_dir / "LA_Inspection_Outcomes_as_at_31_March_2024.ods")
    ) as book:
        sheet = book.get_sheet_by_name("Inspections_31_March_2024").to_python(skip_empty_area=False)
    theirs = Counter(str(row[4]) for row in sheet[3:] if row[4] != "")
    assert ours == {
        "outstanding": theirs["Outstanding"],
        "good": theirs["Good"],
        "requires_improvement": theirs["Requires improvement to be good"],
        "inadequate": theirs["Inadequate"],
    }
    assert sum(ours.values()) == 151
