"""Run the schema migrations shipped in the package (Alembic), from code or the CLI.

`upgrade` is all-or-nothing and safe to run from several processes at once: the whole upgrade
is one transaction (PostgreSQL's DDL is transactional; on SQLite the connection is taken out
of pysqlite's implicit transaction handling and the upgrade runs inside `BEGIN IMMEDIATE`), and
it runs under a lock (a transaction-level advisory lock on PostgreSQL, SQLite's write lock),
so a process killed while creating the schema leaves no table behind, and a second process
opening the same new database waits and then finds the schema at head.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, func, inspect, select

from ofsted_csc.domain.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")

# pg_advisory_xact_lock key of a schema upgrade ("ofsted" as a number, like sync's)
MIGRATE_LOCK_KEY = 0x6F66737465640002
# how long a SQLite opener waits for another process's upgrade (milliseconds)
SQLITE_LOCK_WAIT_MS = 120_000


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """The newest schema revision this version of ofsted-csc knows."""
    rev = ScriptDirectory.from_config(_config()).get_current_head()
    assert rev is not None
    return rev


def current(engine: Engine) -> str | None:
    """The schema revision of the database (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema (creating it when empty), in one transaction
    under a lock: afterwards the schema is at head, or (if this fails or the process dies)
    as it was."""
    target = head()
    if current(engine) == target:
        return
    with _locked(engine) as conn:
        # another process may have upgraded it while this one waited for the lock
        if MigrationContext.configure(conn).get_current_revision() == target:
            return
        _clear_unstamped(conn)
        config = _config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that holds the schema lock: committed when the block
    ends, rolled back if it raises."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATE_LOCK_KEY})")
            yield conn
        return
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        # pysqlite commits on its own before DDL unless it is told to leave transactions
        # alone; BEGIN IMMEDIATE takes the write lock now (waiting for another upgrade)
        before = raw.isolation_level
        raw.isolation_level = None
        waited = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        try:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_LOCK_WAIT_MS}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                raw.rollback()
                raise
            raw.commit()
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(waited or 0)}")
            conn.rollback()  # SQLAlchemy's own (empty) transaction
            raw.isolation_level = before


def _clear_unstamped(conn: Connection) -> None:
    """A database with some of ofsted-csc's tables and no schema version is a first open
    that an older version left half-made (it was killed while creating the schema): if those
    tables are empty they are dropped, so that the upgrade creates them whole. Tables of
    ours holding rows without a version are not ofsted-csc's to guess at: refused."""
    if MigrationContext.configure(conn).get_current_revision() is not None:
        return
    from ofsted_csc.storage import plan_models  # noqa: F401  (its tables join the metadata)
    from ofsted_csc.storage.models import Base

    present = set(inspect(conn).get_table_names())
    ours = [t for t in Base.metadata.sorted_tables if t.name in present]
    if "alembic_version" in present:  # made first, stamped last
        stamp = MetaData()
        stamp.reflect(conn, only=["alembic_version"])
        ours.append(stamp.tables["alembic_version"])
    if not ours:
        return
    holding = [t.name for t in ours if conn.execute(select(func.count()).select_from(t)).scalar()]
    if holding:
        where = conn.engine.url.render_as_string(hide_password=True)
        raise StoreError(
            f"{where}: the database has ofsted-csc's tables ({', '.join(sorted(holding))}) holding rows "
            "but no schema version: it was not made by ofsted-csc, or has been damaged"
        )
    for table in reversed(ours):
        table.drop(conn)
