"""`ofsted-csc sync` run as users run it, against the test site served over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from syncsite import make_site

from ofsted_csc import api
from ofsted_csc.sources.fakesite import Served, serve


@pytest.fixture
def served() -> Iterator[Served]:
    running = serve(make_site())
    yield running
    running.stop()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ofsted_csc", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_sync_over_http_then_again(served: Served, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'csc.sqlite'}"
    common = [
        "--db",
        db,
        "sync",
        "--site",
        served.site.base,
        "--delay",
        "0",
        "--cache",
        str(tmp_path / "cache"),
    ]
    first = run(*common, "--council", "Hull", "--council", "Northamptonshire")
    assert first.returncode == 1, first.stderr  # a document gone at the source: said once
    out = first.stdout
    assert "2 council pages read" in out
    assert (
        "2 new (0 need review), 0 already held, 0 refused, 0 could not be fetched, "
        "1 gone at the source"
    ) in out
    assert (
        "2026-05-18  Kingston upon Hull: Children's services inspection (file 50301678) -> "
        "Standard inspection, ILACS (from 2018), from 2026-03-02"
    ) in out
    assert (
        "2012-07-13  Northamptonshire: Children's services inspection (file 50100009): "
        "Ofsted's “Report not found” page, served with HTTP 200"
    ) in out
    assert "saved with a .pdf name" not in out  # nothing blames the user
    served_before = len(served.site.documents_served())

    again = run(*common, "--council", "Hull", "--council", "Northamptonshire", "--json")
    assert again.returncode == 0, again.stderr  # the gone document is no failure now
    report = json.loads(again.stdout)
    assert report["summary"]["new"] == 0 and report["summary"]["downloaded"] == 0
    assert report["outcomes"] == [] and report["vanished"] == []
    assert len(served.site.documents_served()) == served_before
    with api.open_store(db) as store:
        assert len(store.inspections()) == 2

    shown = json.loads(run("--db", db, "show", "50301678", "--json").stdout)
    assert shown["ofsted_listing"] == {
        "label": "Children's services inspection",
        "published": "2026-05-18",
        "url": f"{served.site.base}/v1/file/50301678",
        "file_id": "50301678",
    }
    assert shown["record"]["published"] == "2026-05-18"
    assert shown["record"]["published_source"] == "web_listing"


def test_dry_run_says_what_the_site_lists_and_what_a_sync_would_fetch(
    served: Served, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'csc.sqlite'}"
    where = ["--council", "Hull", "--council", "Oldham", "--council", "North Northamptonshire"]
    where += ["--council", "Northamptonshire"]
    done = run(
        "--db", db, "sync", "--site", served.site.base, *where, "--dry-run", "--delay", "0.1"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert out.startswith("Dry run: nothing fetched or stored.")
    assert "Listed on the site, by label (kind; how many):" in out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "Children's services inspection inspections 4" in lines  # Hull 1, Oldham 2, ...
    assert "Single inspection of LA children's services inspections 1" in lines
    assert "Joint targeted area inspection jtai 1" in lines
    assert any(
        line.startswith("Would fetch 6 publications (inspections 5, letters 1): with the pages,")
        for line in lines
    )
    assert served.site.documents_served() == []
    with api.open_store(db) as store:
        assert store.sync_state().publications == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kinds", "reports"], "--kinds: unknown kind reports"),
        (["--site", "ftp://x"], "give an http:// or https:// address"),
        (["--council", "Atlantis"], "Atlantis"),
        (["--since", "31/02/2026"], "is not a date"),
    ],
)
def test_bad_options_are_named(tmp_path: Path, args: list[str], message: str) -> None:
    done = run(
        "--db",
        f"sqlite:///{tmp_path / 'x.sqlite'}",
        "sync",
        "--site",
        "http://127.0.0.1:9",
        "--retries",
        "0",
        *args,
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_unreachable_site_stores_nothing_and_says_so(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    done = run(
        "--db",
        db,
        "sync",
        "--site",
        "http://127.0.0.1:9",
        "--retries",
        "1",
        "--delay",
        "0",
        "--timeout",
        "2",
    )
    assert done.returncode == 2
    assert "http://127.0.0.1:9/search?" in done.stderr
    assert "connection failed" in done.stderr and "nothing was stored" in done.stderr
    with api.open_store(db) as store:
        assert store.sync_state().publications == {}
