"""The plan and user commands as a user runs them: acting as a named user, a plan from a report,
an action changed, a report and a round trip through XLSX, and errors worded once."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl

from ofsted_csc import api
from ofsted_csc.plans import selectors
from ofsted_csc.plans.common import OPERATOR

REPORT = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "50276975.pdf"


def run(
    db: str, *args: str, stdin: str | None = None, user: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OFSTED_CSC_DB", "OFSTED_CSC_USER")}
    if user:
        env["OFSTED_CSC_USER"] = user
    return subprocess.run(
        [sys.executable, "-m", "ofsted_csc", "--db", db, *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=300,
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_plan_commands_act_as_a_named_user(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    ok(run(db, "ingest", str(REPORT)))
    ok(
        run(
            db,
            "user",
            "add",
            "ada",
            "--role",
            "admin",
            "--name",
            "Ada L",
            "--password-stdin",
            stdin="a long passphrase\n",
        )
    )
    refused = run(db, "user", "add", "bob")
    assert refused.returncode == 2
    assert refused.stderr.startswith("ofsted-csc: this change needs a named user: give --as NAME")
    ok(run(db, "--as", "ada", "user", "add", "lee", "--role", "viewer", "--name", "Lee Officer"))

    refused = run(db, "plan", "new", REPORT.name)
    assert refused.returncode == 2 and "needs a named user" in refused.stderr
    out = ok(run(db, "plan", "new", REPORT.name, user="ada"))
    assert "Plan 1: Buckinghamshire: improvement plan, 7 draft actions." in out
    assert "Action plan to Ofsted: due 20 August 2025" in out

    shown = json.loads(ok(run(db, "plan", "show", "1", "--json", "--on", "2025-06-01")))
    first = shown["actions"][0]
    assert first["answers"][0]["section"] == "recommendation" and first["lead"] == "ada"

    ok(
        run(
            db,
            "plan",
            "action",
            str(first["id"]),
            "--lead",
            "lee",
            "--due",
            "2025-09-30",
            "--status",
            "on_track",
            user="ada",
        )
    )
    bad = run(db, "plan", "action", str(first["id"]), "--start", "2025-10-01", user="ada")
    assert bad.returncode == 2
    assert (
        bad.stderr.strip()
        == "ofsted-csc: action 1.1: the due date 30 September 2025 is before the start date 1 October 2025"
    )
    viewer = run(db, "plan", "action", str(first["id"]), "--percent", "50", user="lee")
    assert viewer.returncode == 2 and "is a viewer" in viewer.stderr

    ok(run(db, "plan", "workstream", "1", "Workforce", user="ada"))
    ok(
        run(
            db,
            "plan",
            "add-action",
            "2",
            "Cut agency staff to 10%",
            "--lead",
            "lee",
            "--answers",
            f"{REPORT.name}:recommendation:5",
            user="ada",
        )
    )
    with api.open_store(db) as store:
        plan = selectors.plan_get(store, 1, actor=OPERATOR)
        added = plan.workstreams[1].actions[0]
        record = store.find(REPORT.name).result.record
        assert added.links[0].text == record.recommendations[4].text  # type: ignore[union-attr]

    ok(run(db, "plan", "board", "1", "Improvement board", user="ada"))
    ok(run(db, "plan", "meeting", "1", "2025-10-06", user="ada"))
    ok(run(db, "plan", "report", "1", "-o", str(tmp_path / "board.docx")))
    document = docx.Document(io.BytesIO((tmp_path / "board.docx").read_bytes()))
    assert document.paragraphs[0].text.endswith(
        "progress report to Improvement board, 6 October 2025"
    )

    ok(run(db, "plan", "export", "1", "-o", str(tmp_path / "plan.xlsx")))
    assert "8 actions imported" in ok(
        run(db, "plan", "import", str(tmp_path / "plan.xlsx"), user="ada")
    )
    # the import carries the board and its meeting; exporting the copy gives the same cells
    ok(run(db, "plan", "export", "2", "-o", str(tmp_path / "copy.xlsx")))
    first, second = (openpyxl.load_workbook(tmp_path / name) for name in ("plan.xlsx", "copy.xlsx"))
    assert first.sheetnames == second.sheetnames and "Meetings" in first.sheetnames
    for ws in first:
        assert [[c.value for c in r] for r in ws.iter_rows()] == [
            [c.value for c in r] for r in second[ws.title].iter_rows()
        ]
    with api.open_store(db) as store:
        (board,) = selectors.plan_get(store, 2, actor=OPERATOR).boards
        assert (board.name, [m.on.isoformat() for m in board.meetings]) == (
            "Improvement board",
            ["2025-10-06"],
        )
    history = ok(run(db, "plan", "history", "1"))
    assert "Ada L: action 1.1 lead: ada -> lee" in history


def test_user_token_commands_show_a_token_once_and_revoke_it(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tokens.sqlite'}"
    ok(run(db, "user", "add", "ada", "--role", "admin"))
    ok(run(db, "--as", "ada", "user", "add", "ed", "--role", "editor"))
    ok(run(db, "--as", "ada", "user", "add", "vi", "--role", "viewer"))
    made = run(db, "user", "token", "add", "--name", "nightly", "--scope", "read-write", user="ed")
    secret = ok(made).strip()
    assert secret.startswith("ocsc_") and "\n" not in secret  # stdout: the token alone
    assert "not shown again" in made.stderr and "read-write" in made.stderr
    with api.open_store(db) as store:
        from ofsted_csc.api import users as users_api

        found = users_api.token_authenticate(store, secret)
        assert found.user.username == "ed" and found.scope.value == "read-write"
    listed = ok(run(db, "user", "token", "list", user="ed"))
    assert secret[:12] in listed and secret not in listed
    assert "active" in listed and "nightly" in listed and "last used 20" in listed
    refused = run(db, "user", "token", "add", "--scope", "read-write", user="vi")
    assert refused.returncode == 2 and "needs an editor or admin" in refused.stderr
    refused = run(db, "user", "token", "revoke", "1", user="vi")
    assert refused.returncode == 2 and "vi" in refused.stderr
    assert "is revoked" in ok(run(db, "user", "token", "revoke", "1", user="ed"))
    everyone = ok(run(db, "user", "token", "list", "--all", user="ada"))
    assert "revoked" in everyone and " ed " in everyone
    assert ok(run(db, "user", "token", "list", user="vi")).strip() == "No tokens."


def test_bad_values_are_one_line_exit_2_and_stored_control_characters_export(
    tmp_path: Path,
) -> None:
    from datetime import date

    from sqlalchemy import func, select, update

    from ofsted_csc.api import plans as plans_api
    from ofsted_csc.api import users as users_api
    from ofsted_csc.plans.rules import Role
    from ofsted_csc.storage.plan_models import ActionRow, AuditEventRow, MeasureRow

    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    with api.open_store(db) as store:
        api.ingest(store, [REPORT])
        ada = users_api.user_create(store, None, "ada", role=Role.ADMIN)
        plan_id = plans_api.plan_create(store, ada, [REPORT.name])
        action = plans_api.plan_get(store, plan_id, actor=OPERATOR).actions[0]
        mid = plans_api.measure_add(
            store,
            ada,
            action.id,
            "Visits",
            baseline=40,
            baseline_date=date(2025, 1, 1),
            target=90,
            target_date=date(2027, 1, 1),
        )

    def state() -> tuple[int, int]:
        with api.open_store(db) as store, store.session() as s:
            return (
                s.scalar(select(func.count(AuditEventRow.id))) or 0,
                s.scalar(select(func.count(MeasureRow.id))) or 0,
            )

    before = state()
    huge = "9" * 25
    a = str(action.id)
    dated = ["--baseline-date", "2025-01-01", "--target-date", "2027-01-01"]
    for args, message in (
        (["measure", a, "M", "--baseline", "nan", "--target", "9", *dated], "the baseline must"),
        (["measure", a, "M", "--baseline", "1", "--target", "-inf", *dated], "the target must"),
        (["reading", str(mid), "NaN"], "the value must be a number, not nan"),
        (["reading", str(mid), "1e300"], "the value is 1e+300; give a number within"),
        (["show", huge], f"no plan has id {huge}"),
        (["update", huge, "Progress"], f"no action has id {huge}"),
        (["reading", huge, "1"], f"no success measure has id {huge}"),
        (["export", huge, "-o", str(tmp_path / "x.xlsx")], f"no plan has id {huge}"),
        (["update", a, "Said\x01so"], "the update holds a control character (U+0001)"),
        (["workstream", str(plan_id), "Work\x1bforce"], "the title holds a line break or"),
        (["add-action", huge, "Do it"], f"no workstream has id {huge}"),
    ):
        done = run(db, "plan", *args, user="ada")
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith(f"ofsted-csc: {message}"), (args, done.stderr)
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert state() == before
    # a NUL kept before these checks: the export and the plan's JSON still work for everyone
    with api.open_store(db) as store, store.transaction() as s:
        s.execute(update(ActionRow).where(ActionRow.id == action.id).values(description="Do\x00it"))
    out = tmp_path / "plan.xlsx"
    ok(run(db, "plan", "export", str(plan_id), "-o", str(out)))
    draft = plans_api.plan_from_xlsx(out.read_bytes(), out.name)
    assert draft.workstreams[0].actions[0].description == "Do\ufffdit"
    assert json.loads(ok(run(db, "plan", "show", str(plan_id), "--json")))["actions"][0][
        "description"
    ] == ("Do\ufffdit")


def test_a_councils_workbook_imports_and_says_how_it_read_it(tmp_path: Path) -> None:
    """A council's workbook with title rows, leads by full name and quarters for deadlines:
    `plan import` prints how each period was taken, and `plan history` keeps it; the bad
    workbook is refused with every bad row and nothing is written."""
    from tests.plans import council_workbooks as cw

    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    ok(run(db, "user", "add", "ada", "--role", "admin", "--name", "Ada L"))
    for name, full, email in cw.PEOPLE:
        ok(run(db, "--as", "ada", "user", "add", name, "--name", full, "--email", email))
    for file_name, make in cw.WORKBOOKS.items():
        (tmp_path / file_name).write_bytes(make())
    out = ok(
        run(db, "plan", "import", str(tmp_path / "titled.xlsx"), "--council", "825", user="ada")
    )
    assert out.startswith("Plan 1: Buckinghamshire: improvement plan, 5 actions imported from")
    assert (
        "  Improvement Plan row 6: 'end of Q2 2019/20' taken as 30 September 2019, the last "
        "day of Q2 2019/20\n"
    ) in out
    assert "Improvement Plan row 6: 'end of Q2 2019/20' taken as 30 September 2019" in ok(
        run(db, "plan", "history", "1")
    )
    refused = run(db, "plan", "import", str(tmp_path / "bad.xlsx"), "--council", "825", user="ada")
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        "ofsted-csc: bad.xlsx: 5 rows of Improvement Plan cannot be read, so nothing was imported"
    )
    assert "Improvement Plan row 7: RAG 'Purple'" in refused.stderr
    with api.open_store(db) as store:
        assert [p.id for p in selectors.plan_list(store, actor=OPERATOR)] == [1]
