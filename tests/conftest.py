from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPORTS = FIXTURES / "reports"
BAD = FIXTURES / "bad"
# The development corpus sits beside the repository (../shared); tests that read it skip
# cleanly when it is absent.
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"

# Stores open without the built-in official outcomes unless a test asks for them
# (Store.open(url, bundled=True)): the tests' figures are what their documents say. Subprocesses
# (the CLI, the web server) inherit this.
os.environ["OFSTED_CSC_BUNDLED"] = "0"

PG_URL = os.environ.get("OFSTED_CSC_TEST_PG_URL")
REQUIRE_PG = os.environ.get("OFSTED_CSC_REQUIRE_PG") == "1"


@pytest.fixture(autouse=True)
def _fresh_config() -> Iterator[None]:
    """Each test reads the environment afresh and leaves no configuration behind."""
    from ofsted_csc import config

    config.use(None)
    yield
    config.use(None)


@pytest.fixture
def read_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files read in the test's own process, not in the bounded worker processes, so that a
    test's change to the parser (a newer PARSER_VERSION, a smaller council registry) reaches
    the reading. The reading is the workers' own (reader.read_one), with the same limits."""
    from ofsted_csc.services import reader

    def here(jobs: Any, workers: int, limits: Any) -> Iterator[Any]:
        for path, data in jobs:
            yield reader.read_one(path, data, limits)

    monkeypatch.setattr(reader._POOL, "read", here)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS / "reports").is_dir():
        pytest.skip("the development corpus (../shared/corpus) is not here")
    return CORPUS


def _postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the test server; dropped afterwards."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("OFSTED_CSC_REQUIRE_PG=1 but OFSTED_CSC_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL server for tests (set OFSTED_CSC_TEST_PG_URL)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ofsted_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL: SQLite in a temporary folder, and PostgreSQL when available."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="module")
def module_postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database URL shared by a module's tests (skipped without
    OFSTED_CSC_TEST_PG_URL)."""
    yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"
