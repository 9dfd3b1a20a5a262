"""Visit briefs: the brief for a focused visit letter, from real letters (fixtures) ingested
with the reports: every area for priority action and area for improvement quoted as the
letter gives it, the theme and dates, the deadlines that apply (none without priority
actions), the previous inspection, visits on the same theme, the plan that answers the letter,
and refusals that say what is held."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from ofsted_csc import api
from ofsted_csc.api import briefs
from ofsted_csc.api import plans as plans_api
from ofsted_csc.api import users as users_api
from ofsted_csc.cli.app import cli
from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.domain.records import LetterRecord
from ofsted_csc.domain.visits import same_theme, visit_theme
from ofsted_csc.plans import deadlines
from ofsted_csc.plans.common import OPERATOR
from ofsted_csc.plans.rules import Role
from ofsted_csc.reports.briefs.content import Bullets, Para
from ofsted_csc.reports.briefs.visit import NO_PRIORITY_ACTIONS
from ofsted_csc.storage import Store

SLOUGH_LETTER = "fv-c86f7a0b9b7d.pdf"  # care leavers, November 2025: 1 priority action, 4 AFI
SCILLY_LETTER = "fv-41fd54edd650.pdf"  # children in need, July 2022: no priority actions
DURHAM_LETTER = "fv-055339ac91a3.pdf"  # children in care, July 2021: 2 priority actions
SLOUGH_AS_AT = date(2026, 2, 2)


@pytest.fixture(scope="module")
def expected(fixtures_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((fixtures_dir / "letters" / "expected.json").read_text())
    return data


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Iterator[Store]:
    db = tmp_path_factory.mktemp("visit-briefs") / "visits.db"
    s = api.open_store(f"sqlite:///{db}")
    api.ingest(s, [fixtures_dir / "reports", fixtures_dir / "letters"])
    yield s
    s.close()


def _docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The DOCX's paragraphs and its tables' cells, as text."""
    d = docx.Document(io.BytesIO(data))
    paras = [p.text for p in d.paragraphs]
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]
    return paras, tables


def _bullets_after(b: briefs.Brief, heading: str) -> list[str]:
    section = next(s for s in b.sections if s.heading == heading)
    return [i for blk in section.blocks if isinstance(blk, Bullets) for i in blk.items]


def test_a_letter_with_priority_actions_quotes_every_item_and_gives_the_deadlines(
    store: Store, expected: dict[str, Any]
) -> None:
    want = expected[SLOUGH_LETTER]
    assert len(want["priority_actions"]) == 1 and len(want["areas_for_improvement"]) == 4
    b = briefs.build_brief(store, "Slough", inspection="2025-11-19", as_at=SLOUGH_AS_AT)
    assert b.is_visit and b.inspection.result.source.file_name == SLOUGH_LETTER
    assert b.started == date(2025, 11, 19)
    assert b.title == "Slough: Ofsted focused visit to children's services"
    # every item, in the letter's order and words, in the brief and in the Word document
    assert _bullets_after(b, "Areas for priority action") == want["priority_actions"]
    assert _bullets_after(b, "Areas for improvement") == want["areas_for_improvement"]
    paras, tables = _docx_text(briefs.brief_docx(b))
    for item in want["priority_actions"] + want["areas_for_improvement"]:
        assert item in paras, item
    # the theme, the dates and the lead inspector
    visit = {r[0]: r[1] for r in b.tables()["visit"].rows}
    assert visit["What the visit looked at"] == want["theme"]
    assert visit["Dates"] == "19 November 2025 to 20 November 2025"
    assert visit["Letter dated"] == "12 January 2026"
    assert visit["Lead inspector"] == want["lead_inspector"]
    assert visit["Theme"] == "Care leavers"
    assert f"Inspectors looked at {want['theme']}." in paras
    # after priority action: a draft plan in 20 working days and the plan in 70, from the letter
    received = date(2026, 1, 12)
    rows = b.tables()["deadlines"].rows
    assert [(r[0], r[1]) for r in rows] == [
        (
            "Draft plan for areas for priority action",
            f"{deadlines.priority_action_draft_due(received):%-d %B %Y}",
        ),
        ("Action plan to Ofsted", f"{deadlines.action_plan_due(received):%-d %B %Y}"),
    ]
    assert deadlines.priority_action_draft_due(received) == date(2026, 2, 9)
    assert rows[0][2] == "5 working days left"  # 2 February to 9 February 2026
    assert any(t[0] == ["Deadline", "Due", "State"] for t in tables)
    assert NO_PRIORITY_ACTIONS not in paras


def test_the_previous_inspection_is_the_last_graded_one_before_the_visit(store: Store) -> None:
    b = briefs.build_brief(store, "Slough", inspection=SLOUGH_LETTER, as_at=SLOUGH_AS_AT)
    rows = b.tables()["previous_inspection"].rows
    facts = [f for f in api.facts(store) if f.source == "2755672.pdf"]  # Slough's SIF report
    assert len(facts) == 1
    grade = facts[0].grades["overall_effectiveness"]
    assert rows == (
        (
            "Before the visit",
            "SIF (2013-2018), full inspection",
            "24 November 2015",
            f"{facts[0].published:%-d %B %Y}",
            f"Overall effectiveness: {grade.label}",
        ),
    )
    summary = _bullets_after(b, "Summary")
    assert f"Slough's overall effectiveness was judged {grade.label.lower()}" in " ".join(summary)


def test_a_letter_without_priority_actions_has_no_deadline(
    store: Store, expected: dict[str, Any]
) -> None:
    want = expected[SCILLY_LETTER]
    assert want["priority_actions"] == [] and len(want["areas_for_improvement"]) == 3
    as_at = date(2024, 1, 1)
    b = briefs.build_brief(store, "Isles of Scilly", inspection="2022-07-20", as_at=as_at)
    assert b.inspection.result.source.file_name == SCILLY_LETTER
    assert "deadlines" not in b.tables()
    paras, _ = _docx_text(briefs.brief_docx(b))
    assert NO_PRIORITY_ACTIONS in paras
    assert "The letter names no areas for priority action." in paras
    for item in want["areas_for_improvement"]:
        assert item in paras, item
    # the short inspection of 2019 before the visit, and that of 2023 since
    rows = b.tables()["previous_inspection"].rows
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("Before the visit", "ILACS (from 2018), short inspection", "14 October 2019"),
        ("Since the visit", "ILACS (from 2018), short inspection", "11 July 2023"),
    ]
    # as at a day before the 2023 inspection began, it is not there
    earlier = briefs.build_brief(
        store, "Isles of Scilly", inspection=SCILLY_LETTER, as_at=date(2023, 7, 10)
    )
    assert [r[0] for r in earlier.tables()["previous_inspection"].rows] == ["Before the visit"]


def test_a_letter_is_chosen_by_its_date_sha256_or_file_name(store: Store) -> None:
    by_day = briefs.build_brief(store, "Slough", inspection="2025-11-20", as_at=SLOUGH_AS_AT)
    sha = by_day.inspection.result.source.sha256
    by_letter_date = briefs.build_brief(
        store, "Slough", inspection="2026-01-12", as_at=SLOUGH_AS_AT
    )
    by_sha = briefs.build_brief(store, "Slough", inspection=sha, as_at=SLOUGH_AS_AT)
    by_name = briefs.build_brief(store, "Slough", inspection=SLOUGH_LETTER, as_at=SLOUGH_AS_AT)
    for b in (by_letter_date, by_sha, by_name):
        assert b.inspection.result.source.sha256 == sha
    # no --inspection: still the latest graded inspection, not the later letter
    latest = briefs.build_brief(store, "Slough", as_at=SLOUGH_AS_AT)
    assert not latest.is_visit
    assert latest.inspection.result.source.file_name == "2755672.pdf"


def test_refusals_say_what_is_held(store: Store) -> None:
    with pytest.raises(NotFound) as e:
        briefs.build_brief(store, "Slough", inspection="2019-05-02", as_at=SLOUGH_AS_AT)
    assert str(e.value) == (
        "Slough: no inspection report or visit letter of Slough ran on or was published on "
        "2019-05-02; its inspections started 2015-11-24 (sif); its visits began 2025-11-19 "
        "(focused visit)"
    )
    with pytest.raises(NotFound, match=r"^Middlesbrough: no inspection report or visit letter"):
        briefs.build_brief(store, "Middlesbrough", inspection="2019-05-02")
    with pytest.raises(
        InvalidInput,
        match="a visit letter of Durham, not an inspection report or visit letter of Slough",
    ):
        briefs.build_brief(store, "Slough", inspection=DURHAM_LETTER)
    with pytest.raises(InvalidInput, match=r"before the letter was written \(2026-01-12\)"):
        briefs.build_brief(store, "Slough", inspection="2025-11-19", as_at=date(2025, 12, 1))


def test_visits_on_the_same_theme_in_the_region_and_among_neighbours(store: Store) -> None:
    # Barnsley, one of Durham's statistical neighbours, had a visit on placement
    # decision-making for children in care (November 2024, letter of 5 December 2024):
    # Durham's children in care visit of 2021 shows it from the day of that letter
    b = briefs.build_brief(store, "Durham", inspection=DURHAM_LETTER, as_at=date(2026, 12, 1))
    section = next(s for s in b.sections if s.heading.startswith("Visits on the same theme"))
    assert section.heading == "Visits on the same theme: Children in care and permanence"
    near = b.tables()["neighbour_visits"]
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in near.rows] == [
        ("Barnsley", "5 November 2024", "5 December 2024", "0", "0")
    ]
    assert "region_visits" not in b.tables()  # no other North East council's letter is held
    words = [blk.text for blk in section.blocks if isinstance(blk, Para)]
    assert (
        "No other council in North East had a visit on this theme begun 1 December 2023 to "
        "1 December 2026." in words
    )
    # the day before Barnsley's letter, the visit is not yet published
    before = briefs.build_brief(store, "Durham", inspection=DURHAM_LETTER, as_at=date(2024, 12, 4))
    assert "neighbour_visits" not in before.tables()
    # visits on other themes are not listed: Slough's care leavers visit finds none in the
    # South East or among its neighbours (Cambridgeshire's and North Northamptonshire's care
    # leavers visits are in other regions)
    slough = briefs.build_brief(store, "Slough", inspection=SLOUGH_LETTER, as_at=SLOUGH_AS_AT)
    assert "region_visits" not in slough.tables()
    assert "neighbour_visits" not in slough.tables()


def test_the_theme_kinds_of_the_fixture_letters(expected: dict[str, Any]) -> None:
    kinds = {name: visit_theme(v["theme"]) for name, v in expected.items()}
    assert all(k is not None for k in kinds.values()), kinds
    assert kinds[SLOUGH_LETTER].key == "care_leavers"  # type: ignore[union-attr]
    assert kinds[DURHAM_LETTER].key == "children_in_care"  # type: ignore[union-attr]
    assert kinds["fv-1c5c92b26a0d.pdf"].key == "front_door"  # type: ignore[union-attr]
    assert kinds["fv-14a95227fd32.pdf"].key == "pandemic"  # type: ignore[union-attr]
    assert same_theme(
        "the local authority’s arrangements for care leavers",
        "the local authority's arrangements for care leavers aged 18 to 25",
    )
    assert not same_theme(expected[SLOUGH_LETTER]["theme"], expected[DURHAM_LETTER]["theme"])
    assert same_theme("a theme of its own", "A theme  of its own")
    assert not same_theme(None, None)


def test_the_plan_that_answers_the_letter_is_in_its_brief(store: Store, fixtures_dir: Path) -> None:
    b = briefs.build_brief(store, "Durham", inspection=DURHAM_LETTER, as_at=date(2021, 9, 1))
    plan = next(s for s in b.sections if s.heading.startswith("Improvement plan"))
    assert [blk.text for blk in plan.blocks if isinstance(blk, Para)] == [
        "No improvement plan held in ofsted-csc answers this letter as at 1 September 2021. "
        "The deadlines above apply."
    ]
    admin = users_api.user_create(
        store, None, "visitadmin", role=Role.ADMIN, password="a long passphrase"
    )
    plan_id = plans_api.plan_create(store, admin, [DURHAM_LETTER])
    b = briefs.build_brief(store, "Durham", inspection=DURHAM_LETTER, as_at=date(2021, 9, 1))
    view = plans_api.plan_get(store, plan_id, on=date(2021, 9, 1), actor=OPERATOR)
    rag = b.tables()["plan_rag"]
    record = b.inspection.result.record
    assert isinstance(record, LetterRecord)
    # one drafted action per priority action and area for improvement
    assert sum(int(r[1]) for r in rag.rows) == len(view.actions) == 3
    assert len(record.priority_actions) + len(record.areas_for_improvement) == 3
    assert [(r[0], r[1]) for r in b.tables()["plan_deadlines"].rows] == [
        (d.name, f"{d.due:%-d %B %Y}") for d in view.deadlines
    ]
    # the plan's deadlines are the letter's
    assert [r[1] for r in b.tables()["plan_deadlines"].rows] == [
        r[1] for r in b.tables()["deadlines"].rows
    ]
    without = briefs.build_brief(
        store, "Durham", inspection=DURHAM_LETTER, as_at=date(2021, 9, 1), include_plan=False
    )
    assert not any(s.heading.startswith("Improvement plan") for s in without.sections)


def test_the_cli_writes_a_visit_brief_as_word_and_html(
    store: Store, expected: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = str(store.engine.url)
    runner = CliRunner()
    out = tmp_path / "slough.docx"
    args = ["--db", url, "brief", "Slough", "--inspection", "2025-11-19", "--as-at", "2026-02-02"]
    r = runner.invoke(cli, [*args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert SLOUGH_LETTER in r.output
    d = docx.Document(str(out))
    paras = [p.text for p in d.paragraphs]
    cells = {c.text for t in d.tables for row in t.rows for c in row.cells}
    assert paras[0] == "Slough: Ofsted focused visit to children's services"
    want = expected[SLOUGH_LETTER]
    for item in want["priority_actions"] + want["areas_for_improvement"]:
        assert item in paras
    assert want["theme"] in cells and want["lead_inspector"] in cells
    assert "19 November 2025 to 20 November 2025" in cells
    page = tmp_path / "slough.html"
    r = runner.invoke(cli, [*args, "-o", str(page)])
    assert r.exit_code == 0, r.output
    html = page.read_text()
    assert '<table data-key="deadlines">' in html
    from ofsted_csc.cli.app import main

    with pytest.raises(SystemExit) as exit_:
        main(["--db", url, "brief", "Slough", "--inspection", "2019-05-02", "-o", str(out)])
    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert (
        "no inspection report or visit letter of Slough ran on or was published on 2019-05-02"
        in err
    )
    assert "Traceback" not in err
