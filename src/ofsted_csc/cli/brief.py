"""`ofsted-csc brief`: the member brief for a council's inspection or visit letter, as Word,
HTML or PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ofsted_csc.cli.common import DATE, Context, pass_context
from ofsted_csc.domain.errors import InvalidInput

FORMATS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}


@click.command()
@click.argument("council")
@click.option(
    "--inspection",
    metavar="DATE_OR_SHA256",
    help="Which inspection or visit: any day it ran, the report's publication date or the "
    "letter's date, or the report's or letter's sha256 or file name (default: the latest "
    "graded inspection by --as-at). A focused or monitoring visit letter gets a visit brief.",
)
@click.option("--as-at", type=DATE, help="The brief's date (default: today).")
@click.option(
    "--template",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The council's own Word template (.docx): its styles, header, footer and logo.",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to write: .docx, .html or .pdf (PDF needs LibreOffice).",
)
@click.option("--no-plan", is_flag=True, help="Leave out the improvement plan's status.")
@click.option(
    "--year",
    "year_basis",
    type=click.Choice(["calendar", "financial"]),
    default="calendar",
    show_default=True,
    help="The year the brief compares inspections published in: calendar (January to "
    "December) or financial (April to March).",
)
@pass_context
def brief(
    obj: Context,
    council: str,
    inspection: str | None,
    as_at: date | None,
    template: Path | None,
    output: Path,
    no_plan: bool,
    year_basis: str,
) -> None:
    """Draft the member brief for a council's inspection: outcome and judgements against
    the previous inspection, the report's own words, recommendations, the national and
    regional picture, statistical neighbours, councils inspected the same year, and the
    improvement plan's status. For a visit letter: what Ofsted looked at, the areas for
    priority action and for improvement as the letter gives them, the deadlines that apply,
    the previous inspection and earlier visits, visits on the same theme in the region and
    among statistical neighbours, and the plan that answers the letter."""
    from ofsted_csc.api import briefs

    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise InvalidInput(f"{output}: write the brief as .docx, .html or .pdf")
    template_bytes = (
        briefs.read_template(template.read_bytes(), str(template)) if template else None
    )
    if template_bytes is not None and fmt == "html":
        raise InvalidInput("--template applies to Word and PDF briefs, not HTML")
    from ofsted_csc.api import plans as plans_api
    from ofsted_csc.api import users
    from ofsted_csc.domain.errors import PermissionDenied

    reader = users.acting_reader(obj.store, obj.as_user)
    if not no_plan and not obj.as_user:
        try:
            plans_api.plan_list(obj.store, actor=reader)
        except PermissionDenied:  # a store with council memberships: plans need a named user
            click.echo(
                "The improvement plan is left out: this store's plans are read as a named user "
                "(give --as NAME or set OFSTED_CSC_USER).",
                err=True,
            )
    b = briefs.build_brief(
        obj.store,
        council,
        inspection,
        as_at,
        include_plan=not no_plan,
        year_basis=year_basis,
        plan_reader=reader,
    )
    if fmt == "html":
        data = briefs.brief_html(b).encode("utf-8")
    else:
        data = briefs.brief_docx(b, template_bytes)
        if fmt == "pdf":
            data = briefs.docx_to_pdf(data, output.name)
    tmp = output.with_name(output.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(output)
    source = b.inspection.result.source
    click.echo(f"{output}: {b.title} ({source.file_name}), as at {b.as_at}; {len(data):,} bytes")
