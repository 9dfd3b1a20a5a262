"""The Data to Insight layouts of `export inspections`: `d2i` (each council's latest ILACS, as
D2I's ILACS outcomes table) and `d2i-history` (every ILACS inspection, same columns).

Expectations are worked out from the fixtures' expected.json and the council registry, not
from the export's own output."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import REPORTS

from ofsted_csc import api
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.reports import exports
from ofsted_csc.storage.store import StoredResult
from ofsted_csc.storage.web import KnownPublication

EXPECTED = json.loads((REPORTS / "expected.json").read_text())
# Graded ILACS inspections (visits are letters, never rows) by file name.
ILACS = {
    name: e
    for name, e in EXPECTED.items()
    if e["framework"] == "ilacs" and e["kind"] in ("standard", "short")
}

D2I_HEADER = [
    "urn",
    "la_code",
    "region_code",
    "ltla23cd",
    "stat_neighbours",
    "stat_neighbour_judgement",
    "local_authority",
    "inspection_link",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
    "inspection_framework",
    "inspector_name",
    "inspectors_inspections_count",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "local_link_to_all_inspections",
]
WORDS = {"outstanding", "good", "requires improvement", "inadequate"}
GRADE_COLUMNS = {
    "overall_effectiveness_grade": "overall_effectiveness",
    "impact_of_leaders_grade": "leadership",
    "help_and_protection_grade": "help_and_protection",
    "in_care_grade": "in_care",
    "care_leavers_grade": "care_leavers",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding every committed report fixture."""
    url = f"sqlite:///{tmp_path_factory.mktemp('d2i') / 'd2i.sqlite'}"
    with api.open_store(url) as store:
        summary = api.ingest(store, [REPORTS])
        assert len(summary.stored) == len(EXPECTED)
    return url


@pytest.fixture(scope="module")
def stored(db: str) -> list[StoredResult]:
    with api.open_store(db) as store:
        return store.inspections()


def _export(db: str, layout: str) -> tuple[list[str], list[dict[str, str]]]:
    buf = io.StringIO()
    with api.open_store(db) as store:
        api.export(store, "inspections", "csv", layout=layout, stdout=buf)
    reader = csv.DictReader(io.StringIO(buf.getvalue()))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _rows(stored: list[StoredResult], layout: exports.Layout, **kw: object) -> list[dict]:
    data = exports.build_table(
        exports.Table.INSPECTIONS,
        stored,
        load_registry(),
        layout,
        **kw,  # type: ignore[arg-type]
    )
    return data.rows


def _latest_by_council() -> dict[str, tuple[str, dict]]:
    """Each council's most recent ILACS in the fixtures: urn -> (file name, expected)."""
    latest: dict[str, tuple[str, dict]] = {}
    for name, e in ILACS.items():
        urn = e["council_urn"]
        if urn not in latest or e["inspection_start"] > latest[urn][1]["inspection_start"]:
            latest[urn] = (name, e)
    return latest


def _word(expected: dict, judgement: str) -> str:
    """The D2I spelling of an expected judgement: words with spaces; not judged in the
    framework: empty, but the post-reform overall effectiveness is named."""
    value = expected["judgements"][judgement]
    if value == "not_in_framework":
        reform = expected["edition"] == "ilacs_2026" and judgement == "overall_effectiveness"
        return "not_reported_post_reform" if reform else ""
    return value.replace("_", " ")


def _with(item: StoredResult, **changes: object) -> StoredResult:
    """A stored inspection with some fields of its record changed."""
    record = replace(item.result.record, **changes)  # type: ignore[arg-type]
    return replace(item, result=replace(item.result, record=record))


def _by_file(stored: list[StoredResult]) -> dict[str, StoredResult]:
    return {s.result.source.file_name: s for s in stored}


# -- the latest table --


def test_header_is_d2i_s_columns_in_order(db: str) -> None:
    assert list(exports.D2I_COLUMNS) == D2I_HEADER
    for layout in ("d2i", "d2i-history"):
        header, _ = _export(db, layout)
        assert header == D2I_HEADER, layout


def test_one_row_per_council_with_its_latest_ilacs(db: str) -> None:
    _, rows = _export(db, "d2i")
    latest = _latest_by_council()
    assert len(latest) < len(ILACS), "the fixtures should hold a council inspected twice"
    urns = [r["urn"] for r in rows]
    assert len(urns) == len(set(urns))
    assert set(urns) == set(latest)
    registry = load_registry()
    for row in rows:
        name, e = latest[row["urn"]]
        council = registry.by_urn(row["urn"])
        assert council is not None
        assert row["inspection_start_date"] == e["inspection_start"], row["urn"]
        assert row["inspection_end_date"] == e["inspection_end"]
        assert row["publication_date"] == e["published"]
        assert row["inspection_framework"] == e["kind"]
        assert row["la_code"] == council.la_code
        assert row["local_authority"] == council.name
        assert row["region_code"] == council.ons_region
        assert row["stat_neighbours"].split(", ") == list(council.stat_neighbours)
        assert row["local_link_to_all_inspections"] == (
            f"https://reports.ofsted.gov.uk/provider/44/{row['urn']}"
        )
        # the corpus's files are named by Ofsted's file id, as sync names them
        assert row["inspection_link"] == (
            "https://files.ofsted.gov.uk/v1/file/" + name.removesuffix(".pdf")
        )
        for column in ("inspection_start_date", "inspection_end_date", "publication_date"):
            if row[column]:
                assert date.fromisoformat(row[column]).isoformat() == row[column]


def test_grades_are_d2i_s_words(db: str) -> None:
    _, rows = _export(db, "d2i")
    latest = _latest_by_council()
    seen: set[str] = set()
    for row in rows:
        _name, e = latest[row["urn"]]
        for column, judgement in GRADE_COLUMNS.items():
            assert row[column] == _word(e, judgement), (row["urn"], column)
            assert row[column] in WORDS | {"", "not_reported_post_reform"}
            seen.add(row[column])
        if e["edition"] == "ilacs_2018":  # one judgement of children in care and care leavers
            assert row["care_leavers_grade"] == ""
    assert "requires improvement" in seen
    assert "requires_improvement" not in seen
    assert "not_reported_post_reform" in seen, "the fixtures hold post-reform inspections"


def test_inspectors_lower_case_and_counted(db: str) -> None:
    _, rows = _export(db, "d2i")
    latest = _latest_by_council()
    names = Counter(e["lead_inspector"].lower() for _n, e in latest.values() if e["lead_inspector"])
    for row in rows:
        lead = latest[row["urn"]][1]["lead_inspector"]
        assert row["inspector_name"] == (lead or "").lower()
        assert row["inspector_name"] == row["inspector_name"].lower()
        if lead:
            assert int(row["inspectors_inspections_count"]) == names[lead.lower()]


def test_an_inspector_leading_several_councils_is_counted_once_a_row(
    stored: list[StoredResult],
) -> None:
    files = _by_file(stored)
    a, b = "50181024.pdf", "50260250.pdf"  # two councils, each inspected once
    assert ILACS[a]["council_urn"] != ILACS[b]["council_urn"]
    changed = [
        _with(files[a], lead_inspector="Tom  Anthony"),
        _with(files[b], lead_inspector="TOM ANTHONY"),
        *(s for name, s in files.items() if name not in (a, b)),
    ]
    rows = _rows(changed, exports.Layout.D2I)
    tom = [r for r in rows if r["inspector_name"] == "tom anthony"]
    assert sorted(r["urn"] for r in tom) == sorted(
        [ILACS[a]["council_urn"], ILACS[b]["council_urn"]]
    )
    assert [r["inspectors_inspections_count"] for r in tom] == [2, 2]
    others = Counter(r["inspector_name"] for r in rows if r["inspector_name"])
    for r in rows:
        if r["inspector_name"]:
            assert r["inspectors_inspections_count"] == others[r["inspector_name"]]


def test_an_inspector_s_forms_of_name_are_counted_as_one(stored: list[StoredResult]) -> None:
    files = _by_file(stored)
    a, b = "50181024.pdf", "50260250.pdf"  # two councils, each inspected once
    changed = [
        _with(files[a], lead_inspector="Matt Reed HMI"),
        _with(files[b], lead_inspector="Matthew Reed"),
        *(s for name, s in files.items() if name not in (a, b)),
    ]
    rows = _rows(changed, exports.Layout.D2I)
    reed = [r for r in rows if r["urn"] in (ILACS[a]["council_urn"], ILACS[b]["council_urn"])]
    assert [r["inspector_name"] for r in reed] == ["matthew reed", "matthew reed"]
    assert [r["inspectors_inspections_count"] for r in reed] == [2, 2]
    # two people of one surname stay two
    changed[1] = _with(files[b], lead_inspector="Mark Reed")
    rows = _rows(changed, exports.Layout.D2I)
    reed = [r for r in rows if r["urn"] in (ILACS[a]["council_urn"], ILACS[b]["council_urn"])]
    assert sorted(r["inspector_name"] for r in reed) == ["mark reed", "matt reed"]
    assert [r["inspectors_inspections_count"] for r in reed] == [1, 1]


def test_latest_chosen_by_date_not_by_order(stored: list[StoredResult]) -> None:
    rows = _rows(list(reversed(stored)), exports.Layout.D2I)
    latest = _latest_by_council()
    chosen = {r["urn"]: r["inspection_start_date"] for r in rows}
    assert len(chosen) == len(rows)
    assert chosen == {
        urn: date.fromisoformat(e["inspection_start"]) for urn, (_n, e) in latest.items()
    }


def test_codes_from_the_registry(db: str) -> None:
    _, rows = _export(db, "d2i")
    registry = load_registry()
    by_type = Counter()
    for row in rows:
        council = registry.by_urn(row["urn"])
        assert council is not None
        if council.la_type == "County":  # its lower tier is districts: not in the registry
            assert row["ltla23cd"] == ""
        else:
            assert row["ltla23cd"] == council.gss_code
            assert row["ltla23cd"][:3] in ("E06", "E08", "E09")
        by_type[council.la_type == "County"] += 1
    assert by_type[True] and by_type[False], "the fixtures hold counties and unitaries"


def test_stat_neighbour_judgements_come_from_the_same_table(stored: list[StoredResult]) -> None:
    registry = load_registry()
    files = _by_file(stored)
    hull = registry.lookup("Kingston upon Hull")
    neighbour = registry.by_code(hull.stat_neighbours[0])
    assert neighbour is not None
    # Give Hull's first neighbour an inspection (Essex's report, as if it were theirs).
    changed = [
        _with(s, council_urn=neighbour.urn) if name == "50225703.pdf" else s
        for name, s in files.items()
    ]
    rows = _rows(changed, exports.Layout.D2I)
    by_code = {r["la_code"]: r for r in rows}
    assert hull.la_code in by_code and neighbour.la_code in by_code
    for row in rows:
        council = registry.by_urn(row["urn"])
        assert council is not None
        value = row["stat_neighbour_judgement"]
        grades = value.split(", ") if value is not None else []
        want = [
            (by_code[c]["overall_effectiveness_grade"] or "") if c in by_code else ""
            for c in council.stat_neighbours
        ]
        assert grades == want, row["local_authority"]
    first = by_code[hull.la_code]["stat_neighbour_judgement"].split(", ")[0]
    assert first == _word(ILACS["50225703.pdf"], "overall_effectiveness") != ""


def test_abolished_councils_have_no_row_in_the_latest_table(stored: list[StoredResult]) -> None:
    registry = load_registry()
    gone = registry.lookup("Northamptonshire", on=date(2019, 1, 1))
    assert gone.abolished is not None
    files = _by_file(stored)
    changed = [
        _with(s, council_urn=gone.urn) if name == "50059651.pdf" else s for name, s in files.items()
    ]
    latest = _rows(changed, exports.Layout.D2I)
    history = _rows(changed, exports.Layout.D2I_HISTORY)
    assert gone.urn not in {r["urn"] for r in latest}
    [row] = [r for r in history if r["urn"] == gone.urn]
    assert row["ltla23cd"] is None  # a county, and gone before 2023


def test_the_listing_s_address_comes_first(stored: list[StoredResult]) -> None:
    item = _by_file(stored)["50225703.pdf"]
    sha = item.result.source.sha256
    url = "https://files.ofsted.gov.uk/v1/file/99999999"

    def listing(sha256: str) -> KnownPublication | None:
        if sha256 != sha:
            return None
        return KnownPublication(
            "99999999", "80468", "Children's services inspection", "ilacs_inspection",
            date(2023, 8, 10), url, "stored", sha, None, None, None,
        )  # fmt: skip

    rows = _rows(stored, exports.Layout.D2I, listing=listing)
    [essex] = [r for r in rows if r["urn"] == ILACS["50225703.pdf"]["council_urn"]]
    assert essex["inspection_link"] == url
    renamed = [
        replace(s, result=replace(s.result, source=replace(s.result.source, file_name="x.pdf")))
        for s in stored
    ]
    assert all(r["inspection_link"] is None for r in _rows(renamed, exports.Layout.D2I))


# -- the history --


def test_history_has_every_ilacs_inspection(db: str) -> None:
    _, rows = _export(db, "d2i-history")
    assert len(rows) == len(ILACS)
    assert sorted(r["inspection_link"].rsplit("/", 1)[1] + ".pdf" for r in rows) == sorted(ILACS)
    twice = [urn for urn, n in Counter(r["urn"] for r in rows).items() if n > 1]
    assert twice, "the fixtures hold a council inspected twice"
    led = Counter(r["inspector_name"] for r in rows if r["inspector_name"])
    for row in rows:
        [e] = [
            e
            for n, e in ILACS.items()
            if row["inspection_link"].endswith("/" + n.removesuffix(".pdf"))
        ]
        for column, judgement in GRADE_COLUMNS.items():
            assert row[column] == _word(e, judgement)
        if row["inspector_name"]:
            assert int(row["inspectors_inspections_count"]) == led[row["inspector_name"]]


def test_history_neighbours_as_they_stood_when_published(stored: list[StoredResult]) -> None:
    registry = load_registry()
    files = _by_file(stored)
    hull = registry.lookup("Kingston upon Hull")
    neighbour = registry.by_code(hull.stat_neighbours[0])
    assert neighbour is not None
    early, late = "50135438.pdf", "50226696.pdf"  # one council's 2019 and 2023 inspections
    between = "50181024.pdf"  # published between them
    assert ILACS[early]["published"] < ILACS[between]["published"] < ILACS[late]["published"]
    changed = []
    for name, s in files.items():
        if name in (early, late):
            s = _with(s, council_urn=neighbour.urn)
        elif name == between:
            s = _with(s, council_urn=hull.urn)
        changed.append(s)
    history = _rows(changed, exports.Layout.D2I_HISTORY)
    hull_rows = sorted(
        (r for r in history if r["urn"] == hull.urn), key=lambda r: r["inspection_start_date"]
    )
    assert len(hull_rows) == 2
    firsts = [r["stat_neighbour_judgement"].split(", ")[0] for r in hull_rows]
    assert firsts == [
        _word(ILACS[early], "overall_effectiveness"),
        _word(ILACS[late], "overall_effectiveness"),
    ]
    assert firsts[0] != firsts[1]
    [latest_hull] = [r for r in _rows(changed, exports.Layout.D2I) if r["urn"] == hull.urn]
    assert latest_hull["stat_neighbour_judgement"].split(", ")[0] == firsts[1]


# -- where the layouts are offered --


def test_layouts_of_inspections_only(db: str) -> None:
    with api.open_store(db) as store:
        for layout in ("d2i", "d2i-history"):
            with pytest.raises(InvalidInput, match="layout of `export inspections` only"):
                api.table(store, "letters", layout)


def test_command_line_and_web_api_offer_both(db: str, tmp_path: Path) -> None:
    from ofsted_csc.cli.app import cli
    from ofsted_csc.web.api_views import ExportArgs

    out = tmp_path / "history.csv"
    result = CliRunner().invoke(
        cli, ["--db", db, "export", "inspections", "--layout", "d2i-history", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(io.StringIO(out.read_text())))) == len(ILACS)
    for layout in ("d2i", "d2i-history"):
        assert ExportArgs().load({"layout": layout}) == {"layout": layout}
