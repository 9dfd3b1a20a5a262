"""Errors at the command line: one line on stderr, exit status 2 for anything that stopped
the command (never 1, which says "refused or needs review"), the traceback only under
--debug; a full disk during ingest says what was stored before it."""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPORTS

from ofsted_csc import api
from ofsted_csc.cli.app import EXIT_ERROR, main
from ofsted_csc.storage import Store

ROOT = Path(__file__).resolve().parents[2]
FIVE = ["2754178.pdf", "2755672.pdf", "2755854.pdf", "2760354.pdf", "2761820.pdf"]


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        main(list(args))
    out, err = capsys.readouterr()
    code = stopped.value.code
    assert isinstance(code, int)
    return code, out, err


def _boom(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("the flux capacitor\nis off")


# a command of every group, each opening the store first
COMMANDS = [
    ["check"],
    ["plan", "list"],
    ["user", "list"],
    ["themes", "counts"],
    ["brief", "Leeds", "-o", "brief.docx"],
    ["sync", "--dry-run"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_an_unexpected_error_is_one_line_and_exit_2(
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sqlite_url: str,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(api, "open_store", _boom)
    code, _out, err = run_main(capsys, "--db", sqlite_url, *command)
    assert code == EXIT_ERROR
    assert err.splitlines() == [
        "ofsted-csc: unexpected error: RuntimeError: the flux capacitor "
        "(run with --debug for the traceback)"
    ]


def test_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    monkeypatch.setattr(api, "open_store", _boom)
    code, _out, err = run_main(capsys, "--debug", "--db", sqlite_url, "plan", "list")
    assert code == EXIT_ERROR
    lines = err.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert any("_boom" in line for line in lines)
    assert lines[-1] == "ofsted-csc: unexpected error: RuntimeError: the flux capacitor"


def test_debug_shows_the_traceback_of_a_typed_error_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _out, err = run_main(capsys, "--db", "nota://x", "check")
    assert code == EXIT_ERROR
    assert err.splitlines() == [
        "ofsted-csc: nota://x: cannot open the database (Can't load plugin: "
        "sqlalchemy.dialects:nota)"
    ]
    code, _out, err = run_main(capsys, "--debug", "--db", "nota://x", "check")
    assert code == EXIT_ERROR
    assert err.splitlines()[0] == "Traceback (most recent call last):"
    assert err.splitlines()[-1].startswith("ofsted-csc: nota://x: cannot open the database")


def test_a_file_that_cannot_be_written_is_one_line(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    Store.open(sqlite_url).close()
    target = tmp_path / "a-folder"
    target.mkdir()  # a folder where the export's file should go
    code, _out, err = run_main(
        capsys, "--db", sqlite_url, "export", "inspections", "--format", "csv", "-o", str(target)
    )
    assert code == EXIT_ERROR
    assert len(err.splitlines()) == 1
    assert err.startswith(f"ofsted-csc: {target}")
    assert "Traceback" not in err


def _file_size_limit(limit: int) -> None:
    # writes past the limit fail with EFBIG (instead of the process being killed): what a
    # full disk does to SQLite
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_during_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in FIVE:
        shutil.copy(REPORTS / name, folder / name)
    url = f"sqlite:///{tmp_path / 'small.sqlite'}"
    Store.open(url).close()
    # room for the schema and about two of the five PDFs (each kept in the database)
    done = subprocess.run(
        [sys.executable, "-m", "ofsted_csc", "--db", url, "ingest", str(folder)],
        preexec_fn=lambda: _file_size_limit(1_500_000),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == EXIT_ERROR, done.stderr
    errors = done.stderr.splitlines()
    assert len(errors) == 1, done.stderr
    assert errors[0].startswith(f"ofsted-csc: {url}: ")
    assert "could not write the database" in errors[0]
    assert "disk" in errors[0]
    # the summary of what was stored before the disk filled, and exactly that is stored
    line = next(x for x in done.stdout.splitlines() if " stored, " in x)
    stored = int(line.split(" stored, ")[0].rsplit(" ", 1)[-1])
    assert 0 < stored < len(FIVE)
    with Store.open(url) as store:  # opens, whole, with the files stored before
        held = sorted(s.result.source.file_name for s in store.inspections())
        assert len(held) == stored
        assert set(held) <= set(FIVE)
    # with room again, the same ingest finishes the job
    again = subprocess.run(
        [sys.executable, "-m", "ofsted_csc", "--db", url, "ingest", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert f"{len(FIVE) - stored} stored, 0 read again, {stored} unchanged" in again.stdout
