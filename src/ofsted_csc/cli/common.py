"""What the CLI's modules share: the context object (database, acting user), the date
option type and the options' choices.

Start-up: `ofsted-csc --help` and `ofsted-csc CMD --help` must not import the heavy
libraries (SQLAlchemy, pyarrow, pypdfium2, httpx, rich, docx, matplotlib, Flask, ...): the CLI's
modules import only click and the pure `domain` modules at the top, and everything else inside
the commands that need it (tests/cli/test_cli_check.py checks that importing the CLI loads none).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ofsted_csc.domain.errors import not_a_date

if TYPE_CHECKING:
    from ofsted_csc.api import Store

# Choices of options whose values are enums of heavy modules (exports needs SQLAlchemy,
# plans.rules the holidays package), as plain strings so that --help imports neither; a test
# checks each against its enum.
EXPORT_TABLES = ("inspections", "recommendations", "letters", "judgements")  # exports.Table
EXPORT_FORMATS = ("csv", "xlsx", "parquet", "json")  # exports.Format
EXPORT_LAYOUTS = ("contract", "d2i", "d2i-history")  # exports.Layout
USER_ROLES = ("viewer", "editor", "admin", "none")  # plans.rules.Role
ACTION_STATUSES = (  # plans.rules.Status
    "not_started",
    "on_track",
    "at_risk",
    "off_track",
    "complete",
    "closed_with_evidence",
)
BOARD_KINDS = ("improvement_board", "scrutiny", "cabinet", "other")  # plans.rules.BoardKind
PLAN_STATUSES = ("draft", "submitted", "active", "closed")  # plans.rules.PlanStatus
TRAJECTORIES = ("transitions", "series", "gaps")  # analytics.benchmarking.TRAJECTORIES
FRAMEWORK_ROUNDS = ("sif", "ilacs")  # analytics.benchmarking.ROUND_KINDS
ROUND_COUNTS = ("inspections", "councils")  # analytics.benchmarking.ROUND_COUNTS


class Context:
    def __init__(self, db: str | None, as_user: str | None = None) -> None:
        self.db = db
        self.as_user = as_user
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from ofsted_csc import api

            self._store = api.open_store(self.db)
        return self._store

    def close(self) -> None:
        """Close the store, if the command opened it."""
        if self._store is not None:
            self._store.close()
            self._store = None


pass_context = click.make_pass_decorator(Context)


class DateParam(click.ParamType):  # type: ignore[type-arg]
    """A date: 2024-03-31, 31/03/2024 or 31 March 2024."""

    name = "DATE"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        from ofsted_csc.domain.dates import parse_date

        found = parse_date(text)
        if found is None or len(text) > 30:
            self.fail(not_a_date(text), param, ctx)
        return found


DATE = DateParam()


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


TABLE_FORMATS = ["table", "csv", "json", "xlsx"]


def format_option(f: Any) -> Any:
    f = click.option(
        "--output", "-o", type=click.Path(path_type=Path), help="File (default: stdout)."
    )(f)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(TABLE_FORMATS),
        default=None,
        help="Default: from the output file's extension, else a table on screen.",
    )(f)


def emit(
    name: str,
    rows: list[dict[str, Any]],
    columns: list[str] | None,
    fmt: str | None,
    output: Path | None,
    title: str = "",
) -> None:
    """Write a table as a screen table, CSV, JSON or XLSX."""
    from ofsted_csc import api

    if columns is None:
        columns = list(rows[0]) if rows else []
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = suffix if suffix in ("csv", "json", "xlsx") else ("csv" if output else "table")
    if fmt == "table":
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table as RichTable

        console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
        if title:
            console.print(escape(title))
        t = RichTable(box=None, header_style="bold")
        for c in columns:
            t.add_column(c.replace("_", " "), overflow="fold")
        for row in rows:
            t.add_row(*(escape("" if row.get(c) is None else str(row.get(c))) for c in columns))
        console.print(t)
        return
    api.write_table(api.rows.TableData(name, tuple(columns), rows), fmt, output)
    if output is not None:
        click.echo(f"{plural(len(rows), 'row')} written to {output}", err=True)


@contextmanager
def progress_bar(first: str) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr when it is a terminal (nothing otherwise): yields
    update(description, done, total)."""
    if not sys.stderr.isatty():
        yield lambda description, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(first, total=None)
        yield lambda description, done, total: progress.update(
            task, description=description, total=total, completed=done
        )
