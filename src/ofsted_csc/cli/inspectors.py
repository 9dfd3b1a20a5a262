"""`ofsted-csc inspectors`: every lead inspector with what they led, or (`--name`) one
inspector's inspections and visits; lists, never rankings, with the note that says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ofsted_csc.cli.common import Context, emit, format_option, pass_context


def _screen(value: Any) -> Any:
    return ", ".join(value) if isinstance(value, list) else value


@click.command("inspectors")
@click.option(
    "--name",
    metavar="NAME",
    help="One lead inspector (any form of the name: Matt or Matthew Reed): what they led.",
)
@format_option
@pass_context
def inspectors(obj: Context, name: str | None, fmt: str | None, output: Path | None) -> None:
    """Lead inspectors, in order of surname: the inspections and visits each led (council,
    date, kind), their names merged across forms. No ranking by outcome: an inspector's
    outcomes reflect the councils they were sent to."""
    from ofsted_csc import api

    table = api.inspector_table(obj.store, name) if name else api.inspectors_table(obj.store)
    note = f"{api.INSPECTORS_NOTE} {api.MERGE_NOTE}"
    if fmt in (None, "table") and output is None:
        rows = [{c: _screen(v) for c, v in row.items()} for row in table.rows]
        title = (
            f"{table.rows[0]['inspector']}: {len(rows)} inspections and visits led"
            if name and rows
            else f"{len(rows)} lead inspectors"
        )
        emit(table.name, rows, list(table.columns), "table", None, title=title)
        click.echo(f"\n{note}")
        return
    click.echo(note, err=True)
    if fmt == "table":
        fmt = None
    api.write_table(table, fmt or _format_of(output), output)
    if output is not None:
        click.echo(f"{len(table.rows)} rows written to {output}", err=True)


def _format_of(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in ("csv", "json", "xlsx") else "csv"
