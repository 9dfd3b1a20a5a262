"""A store that always opens: a process killed while creating the schema leaves nothing
half-made, processes opening or filling the same store at once all finish cleanly, and a
full disk is a typed StoreError. Runs on SQLite, and PostgreSQL where it applies."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, func, inspect, select, text
from tests.conftest import REPORTS

from ofsted_csc.domain.errors import StoreBusy, StoreError
from ofsted_csc.storage import (
    Store,
    migrate,
    plan_models,  # noqa: F401  (its tables join the metadata)
)
from ofsted_csc.storage.models import Base

ALL_TABLES = {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"}
ROOT = Path(__file__).resolve().parents[2]

# A child that opens a new store and kills itself (SIGKILL) just before the Nth statement
# that changes the schema or the version stamp runs; with N=0 it opens the store and counts
# them; with N=-1 it opens the store and then waits to be killed from outside.
KILLED_OPEN = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import Engine, event
    from ofsted_csc.storage import Store

    url, nth = sys.argv[1], int(sys.argv[2])
    seen = 0

    def count(conn, cursor, statement, *args):
        global seen
        if statement.lstrip().split(" ", 1)[0].upper() in ("CREATE", "INSERT", "UPDATE", "DROP"):
            seen += 1
            if seen == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "before_cursor_execute", count)
    print("ready", flush=True)
    Store.open(url)
    print("opened", seen, flush=True)
    if nth < 0:
        signal.pause()
    """
)


def _child(url: str, nth: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", KILLED_OPEN, url, str(nth)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _statements(tmp_path: Path) -> int:
    """How many schema statements a first open runs (the child, not killed)."""
    child = _child(f"sqlite:///{tmp_path / 'count.sqlite'}", 0)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return int(out.split()[-1])


def _assert_whole(url: str) -> None:
    with Store.open(url) as store:
        assert migrate.current(store.engine) == migrate.head()
        assert set(inspect(store.engine).get_table_names()) >= ALL_TABLES
        assert store.counts()  # reads work


def test_kill_during_first_open_leaves_nothing_half_made(tmp_path: Path) -> None:
    total = _statements(tmp_path)
    assert total > 29  # every table, its indexes, and the stamp
    # kill at the first statement, the last (the version stamp), and points between
    points = sorted({1, 2, total // 4, total // 2, 3 * total // 4, total - 1, total})
    for nth in points:
        path = tmp_path / f"killed-{nth}.sqlite"
        child = _child(f"sqlite:///{path}", nth)
        _out, err = child.communicate(timeout=120)
        assert child.returncode == -signal.SIGKILL, err
        engine = create_engine(f"sqlite:///{path}")
        try:
            left = set(inspect(engine).get_table_names())
        finally:
            engine.dispose()
        assert left in (set(), ALL_TABLES), f"killed at statement {nth}/{total}: {sorted(left)}"
        assert not left, f"killed at statement {nth}: the schema was committed before the stamp"
        _assert_whole(f"sqlite:///{path}")


def test_kill_at_random_moments_of_first_open(tmp_path: Path) -> None:
    rng = random.Random(23)
    for trial in range(8):
        path = tmp_path / f"random-{trial}.sqlite"
        child = _child(f"sqlite:///{path}", -1)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL
        _assert_whole(f"sqlite:///{path}")


def test_half_made_store_of_an_older_version_is_recovered(sqlite_url: str) -> None:
    """What an older version left when killed: some tables, an empty version table."""
    engine = create_engine(sqlite_url)
    some = [t for t in Base.metadata.sorted_tables][:10]
    with engine.begin() as conn:
        for table in some:
            table.create(conn)
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    engine.dispose()
    _assert_whole(sqlite_url)


def test_unstamped_tables_holding_rows_are_refused(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    source_files = Base.metadata.tables["source_files"]
    with engine.begin() as conn:
        source_files.create(conn)
        conn.execute(
            source_files.insert(),
            {
                "sha256": "0" * 64,
                "file_name": "x.pdf",
                "size": 1,
                "page_count": 1,
                "parser_version": "1",
                "corrections_key": "",
                "ingested_at": datetime(2026, 1, 1),
                "outcome": "review",
            },
        )
    engine.dispose()
    with pytest.raises(StoreError, match=r"source_files.*no schema version"):
        Store.open(sqlite_url)
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:  # nothing dropped
        assert conn.execute(select(func.count()).select_from(source_files)).scalar() == 1
    engine.dispose()


def test_a_database_locked_too_long_is_store_busy(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    Store.open(f"sqlite:///{path}").close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write, never finishing
    try:
        with Store.open(f"sqlite:///{path}?timeout=0.2") as store:
            assert store.counts()  # reads go on
            with (
                pytest.raises(StoreBusy, match="kept the database locked"),
                store.transaction() as s,
            ):
                s.execute(text("DELETE FROM source_files"))
    finally:
        holder.rollback()
        holder.close()


# -- several processes at once --

OPEN = "import sys\nfrom ofsted_csc.storage import Store\nStore.open(sys.argv[1]).close()\n"


def test_first_opens_at_once_all_succeed(db_url: str) -> None:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN, db_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(4)
    ]
    errors = [c.communicate(timeout=180)[1] for c in children]
    assert [c.returncode for c in children] == [0, 0, 0, 0], errors
    _assert_whole(db_url)


def _ingest(db_url: str, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ofsted_csc", "--db", db_url, "ingest", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "OFSTED_CSC_BUNDLED": "0"},
    )


def test_two_ingests_of_the_same_files_at_once(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = sorted(p.name for p in REPORTS.glob("*.pdf"))[:10]
    for name in names:
        shutil.copy(REPORTS / name, folder / name)
    Store.open(db_url).close()  # the race here is over the files, not the schema
    a, b = _ingest(db_url, folder), _ingest(db_url, folder)
    (out_a, err_a), (out_b, err_b) = a.communicate(timeout=600), b.communicate(timeout=600)
    for code, err in ((a.returncode, err_a), (b.returncode, err_b)):
        assert "Traceback" not in err
        assert code in (0, 1), err  # 1 only for a file genuinely left for review
    with Store.open(db_url) as store:
        meta = MetaData()
        meta.reflect(store.engine, only=["source_files"])
        table = meta.tables["source_files"]
        with store.engine.connect() as conn:
            rows = conn.execute(select(table.c.file_name, table.c.outcome)).all()
    assert sorted(name for name, _ in rows) == names  # each file stored once
    read = [_counts(out, len(names)) for out in (out_a, out_b)]
    for counts in read:
        assert counts["refused"] == 0
        assert sum(counts.values()) == len(names)
    # each file was stored by one run and found already there by the other
    assert read[0]["stored"] + read[1]["stored"] == sum(o != "review" for _, o in rows)
    assert read[0]["unchanged"] + read[1]["unchanged"] == sum(o != "review" for _, o in rows)


def _counts(out: str, files: int) -> dict[str, int]:
    """The figures of ingest's summary line: "10 files: 4 stored, 0 read again, ..."."""
    line = next(x for x in out.splitlines() if x.startswith(f"{files} files:"))
    figures = line.split(":", 1)[1].split("  (")[0]
    counts = {}
    for part in figures.split(","):
        number, word = part.strip().split(" ", 1)
        counts[word] = int(number)
    return {
        "stored": counts["stored"],
        "unchanged": counts["unchanged"],
        "refused": counts["refused"],
        "review": counts["need review"],
        "replaced": counts["read again"],
    }
