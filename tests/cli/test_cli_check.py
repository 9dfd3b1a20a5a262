"""`ofsted-csc check`: the store's health, counted on a small store built here (reports of
three frameworks, a visit letter, a report in review, a "not judged" judgement, refusals
recorded by sync, an official row that disagrees with a report). SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from tests.analytics.test_review_official import GARBLED, SOURCE, cli, garbled_report, official_2024
from tests.conftest import FIXTURES, REPORTS

from ofsted_csc import api
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.parsing.document import sha256_of

EXPECTED = json.loads((REPORTS / "expected.json").read_text())
LETTERS = FIXTURES / "letters"
EXPECTED_LETTERS = json.loads((LETTERS / "expected.json").read_text())

# SIF, 2012-13 (pre-SIF), ILACS 2019 and ILACS 2022
REPORT_FILES = ["2754178.pdf", "2761820.pdf", "50059651.pdf", "50181024.pdf"]
LETTER_FILE = sorted(EXPECTED_LETTERS)[0]
NOT_JUDGED_IN = ("2754178.pdf", "adoption")  # corrected to not_judged
DISAGREES = ("50181024.pdf", "leadership")  # the official row gives another grade
REFUSED = [("letters", date(2024, 5, 1)), ("inspections", date(2021, 3, 9))]
RI = "Requires improvement to be good"
WORDS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": RI,
    "inadequate": "Inadequate",
}


def _other(grade: str) -> str:
    return "good" if grade != "good" else "inadequate"


@pytest.fixture
def store_url(db_url: str, tmp_path: Path) -> str:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in REPORT_FILES:
        shutil.copy(REPORTS / name, folder / name)
    shutil.copy(LETTERS / LETTER_FILE, folder / LETTER_FILE)
    (folder / SOURCE.name).write_bytes(garbled_report(SOURCE, GARBLED.values()))
    name, area = NOT_JUDGED_IN
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(
        f"sha256,field,value\n{sha256_of((folder / name).read_bytes())},{area},not_judged\n"
    )
    # an official row of the same inspection as a report, with one grade changed
    file, field = DISAGREES
    e = EXPECTED[file]
    grades = {**e["judgements"], field: _other(e["judgements"][field])}
    council = load_registry().by_urn(e["council_urn"])
    assert council is not None
    row = [
        council.name,
        date.fromisoformat(e["published"]),
        f"ILACS {e['kind'].title()} Inspection",
        *(
            WORDS[grades[j]]
            for j in ("overall_effectiveness", "leadership", "help_and_protection", "in_care")
        ),
    ]
    sheet = official_2024(tmp_path / "outcomes.ods", [row])
    with api.open_store(db_url) as store:
        summary = api.ingest(store, [folder], corrections=fixes)
        assert [Path(f.path).name for f in summary.review] == [SOURCE.name]
        assert len(summary.stored) == len(REPORT_FILES) + 1
        api.import_official(store, sheet)
        with store.sync_writer() as writer:
            for n, (kind, published) in enumerate(REFUSED):
                writer.publication(
                    f"9900{n}",
                    provider_urn=e["council_urn"],
                    label=f"{kind} listing",
                    kind=kind,
                    format="pdf",
                    published=published,
                    url=f"https://files.ofsted.gov.uk/v1/file/9900{n}",
                    status="refused",
                    sha256=None,
                    problem="not a PDF",
                    parser_version=None,
                )
    return db_url


def _expected_documents() -> list[dict[str, object]]:
    """The counts, worked out from the fixtures' expected records."""
    counts: Counter[tuple[str, int | None, str]] = Counter()
    for name in REPORT_FILES:
        e = EXPECTED[name]
        key = (e["framework"], int(e["inspection_start"][:4]))
        counts[(*key, "stored")] += 1
        if name == NOT_JUDGED_IN[0]:
            counts[(*key, "not_judged")] += 1
    letter_year = int(EXPECTED_LETTERS[LETTER_FILE]["visit_start"][:4])
    counts[("letters", letter_year, "stored")] += 1
    e = EXPECTED[SOURCE.name]
    key = (e["framework"], int(e["inspection_start"][:4]))
    counts[(*key, "review")] += 1
    counts[(*key, "not_read")] += len(GARBLED)
    for kind, published in REFUSED:
        counts[("letters" if kind == "letters" else "unknown", published.year, "refused")] += 1
    order = ["pre_sif", "sif", "ilacs", "letters", "unknown"]
    groups = sorted({k[:2] for k in counts}, key=lambda g: (order.index(g[0]), g[1]))
    fields = ["stored", "review", "refused", "not_read", "not_judged"]
    return [
        {"framework": g, "year": y, **{f: counts[(g, y, f)] for f in fields}} for g, y in groups
    ]


def test_check_counts_documents_review_refusals_and_disagreements(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, store_url, "check", "--json")
    assert code == 1, err  # a report is in review
    found = json.loads(out)
    assert found["documents"] == _expected_documents()
    assert found["in_review"] == 1
    assert found["total"] == {
        "stored": len(REPORT_FILES) + 1,
        "review": 1,
        "refused": len(REFUSED),
        "not_read": len(GARBLED),
        "not_judged": 1,
    }
    assert "web_publications" in found["refused_counted_from"]

    file, field = DISAGREES
    e = EXPECTED[file]
    official = found["official"]
    assert official["rows"] == 1 and official["matched_to_reports"] == 1
    assert official["disagreements_by_field"] == {field: 1}
    [d] = official["disagreements"]
    council = load_registry().by_urn(e["council_urn"])
    assert council is not None
    assert (d["council"], d["report"], d["field"]) == (council.name, file, field)
    assert (d["report_value"], d["official_value"]) == (
        e["judgements"][field],
        _other(e["judgements"][field]),
    )

    # the same as a table on screen
    code, out, _ = cli(capsys, store_url, "check")
    assert code == 1
    lines = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]
    for row in _expected_documents():
        cells = [str(row[k]) for k in ("framework", "year")] + [
            str(row[k]) for k in ("stored", "review", "refused", "not_read", "not_judged")
        ]
        assert cells in lines, cells
    assert "1 in review" in out
    assert [council.name, file, field, e["judgements"][field], _other(e["judgements"][field])] in (
        lines
    )


def test_check_exits_0_when_nothing_is_in_review(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with api.open_store(store_url) as store:
        [item] = api.review(store)
        store.delete(item.result.source.sha256)
    code, out, _ = cli(capsys, store_url, "check", "--json")
    assert code == 0
    found = json.loads(out)
    assert found["in_review"] == 0 and found["total"]["not_read"] == 0
    assert found["total"]["stored"] == len(REPORT_FILES) + 1


def test_check_of_an_empty_store(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, sqlite_url, "check")
    assert code == 0
    assert "0 in review" in out and "0 rows imported" in out and "0 disagreements" in out


# -- start-up: the CLI imports no heavy library until a command needs it --

HEAVY = ("pandas", "pyarrow", "sqlalchemy", "alembic", "flask", "pypdfium2", "matplotlib")
HEAVY += ("docx", "httpx", "rich", "openpyxl", "numpy", "holidays", "argon2", "waitress")
HEAVY += ("python_calamine",)

LOADED = f"""
import json, sys
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""


def _heavy_loaded(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", code + LOADED], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_no_heavy_library() -> None:
    assert _heavy_loaded("import ofsted_csc.cli.app") == []


def test_help_of_every_command_imports_no_heavy_library() -> None:
    code = """
import click
from ofsted_csc.cli.app import cli, main

def paths(command, prefix):
    yield prefix
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from paths(sub, [*prefix, name])

seen = 0
for path in paths(cli, []):
    try:
        main([*path, "--help"])
    except SystemExit as exc:
        assert not exc.code, (path, exc.code)
    seen += 1
assert seen > 40, seen
"""
    assert _heavy_loaded(code) == []


def test_a_command_still_gets_its_libraries() -> None:
    # the check above can fail: running a command does import what it needs
    loaded = _heavy_loaded(
        "from ofsted_csc.cli.app import main\n"
        "try:\n    main(['--db', 'sqlite://', 'check', '--json'])\n"
        "except SystemExit:\n    pass\n"
    )
    assert "sqlalchemy" in loaded


def test_choices_written_out_for_help_are_the_enums_values() -> None:
    from ofsted_csc.cli import common as cli_common
    from ofsted_csc.plans import rules
    from ofsted_csc.reports import exports

    pairs = [
        (cli_common.EXPORT_TABLES, exports.Table),
        (cli_common.EXPORT_FORMATS, exports.Format),
        (cli_common.EXPORT_LAYOUTS, exports.Layout),
        (cli_common.USER_ROLES, rules.OWN_ROLES),
        (cli_common.ACTION_STATUSES, rules.Status),
        (cli_common.BOARD_KINDS, rules.BoardKind),
        (cli_common.PLAN_STATUSES, rules.PlanStatus),
    ]
    for written, enum in pairs:
        assert list(written) == [e.value for e in enum], enum.__name__
    from ofsted_csc.analytics import benchmarking

    assert cli_common.TRAJECTORIES == benchmarking.TRAJECTORIES
    assert list(cli_common.FRAMEWORK_ROUNDS) == list(benchmarking.ROUND_KINDS)
    assert cli_common.EXPORT_LAYOUTS[0] == exports.Layout.CONTRACT.value
