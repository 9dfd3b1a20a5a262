"""How large a file ofsted-csc takes, and the one way it says that a file is too large.

Every reader and every edge (ingest, sync's downloads, the web upload, plan workbooks, brief
templates) takes its limit from here, so the limit a message names is the limit applied.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024

MAX_DOCUMENT_BYTES = 50 * MIB  # a report or letter PDF: Ofsted's are a few MB at most
MAX_WORKBOOK_BYTES = 5 * MIB  # an improvement plan workbook (XLSX)
MAX_TEMPLATE_BYTES = 10 * MIB  # a council's Word template for briefs
MAX_EVIDENCE_BYTES = 10 * MIB  # a file of evidence for a plan's action

# the PDF limit under its older name (readers, sync and the web upload)
MAX_BYTES = MAX_DOCUMENT_BYTES


# What every reader says of a file of no bytes (a report PDF, a workbook, a template).
EMPTY_FILE = "the file is empty"


def megabytes(n: int) -> str:
    """`n` bytes in whole MB, as the messages say them ("50 MB"); a limit under 1 MB (a
    server set up so) in whole KB, never "0 MB"."""
    if n < MIB:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / MIB:.0f} MB"


def too_large(size: int, limit: int, what: str) -> str:
    """The message for a file of `size` bytes over `limit`: "the file is 61 MB; a report PDF
    may be up to 50 MB". `what` names what the file should be ("a report PDF")."""
    shown = f"{size / MIB:.1f}" if size < 10 * MIB else f"{size / MIB:.0f}"
    return f"the file is {shown} MB; {what} may be up to {megabytes(limit)}"


def document_too_large(size: int) -> str:
    """The message for a report or letter PDF over the limit."""
    return too_large(size, MAX_DOCUMENT_BYTES, "Ofsted reports are a few MB at most, and a PDF")


# -- reading untrusted PDFs (ingest, sync, the web upload): bounds on what one file may cost --
#
# Ofsted's reports inflate to 2 MB at most (fonts included; page content to well under 1 MB)
# and are read in well under a second with some 100 MB of memory. A PDF whose compressed
# streams inflate to far more, or whose reading needs far more, is a decompression or
# complexity bomb: it is refused with its reason, and nothing else is affected.

MAX_INFLATED_BYTES = 100 * MIB  # what a PDF's content streams may inflate to, in all
READ_MEMORY_BYTES = 2048 * MIB  # address space of the process that reads one PDF
READ_SECONDS = 120  # wall-clock time to read one PDF


@dataclass(frozen=True)
class ReadLimits:
    """The bounds on reading one untrusted PDF (config.py reads them from the environment)."""

    inflated_bytes: int = MAX_INFLATED_BYTES
    memory_bytes: int = READ_MEMORY_BYTES
    seconds: float = READ_SECONDS


def inflates_too_far(limit: int) -> str:
    """The message for a PDF whose streams inflate past `limit` bytes."""
    return (
        f"the PDF's compressed content inflates to more than {megabytes(limit)}, far more "
        "than any Ofsted report (a few MB): it looks built to exhaust memory (a "
        "decompression bomb) and was not read"
    )


def read_beyond_memory(limit: int, how: str) -> str:
    """The message for a PDF whose reading passed the memory limit (`how`: what stopped)."""
    return (
        f"the PDF could not be read within the memory limit ({megabytes(limit)}): {how}; it "
        "is damaged or built to exhaust memory (a complexity bomb)"
    )


def read_beyond_time(seconds: float) -> str:
    """The message for a PDF whose reading took longer than the time limit."""
    return (
        f"the PDF could not be read within the time limit ({seconds:g} second"
        f"{'' if seconds == 1 else 's'}); it is "
        "damaged or built to take endless work (a complexity bomb)"
    )


# How much one improvement plan may hold. Real plans answer a report's handful of
# recommendations with tens to a few hundred actions, each with a few measures, a monthly
# update and some evidence over two or three years; these limits are well beyond any of them,
# and keep every page, report and workbook of a plan quick to make (docs/plans.md).
MAX_PLAN_SOURCES = 20  # inspections and visits a plan answers
MAX_PLAN_WORKSTREAMS = 100
MAX_PLAN_ACTIONS = 1_000
MAX_ACTION_LINKS = 50  # findings of the reports one action answers
MAX_ACTION_MEASURES = 20
MAX_PLAN_MEASURES = 2_000
MAX_MEASURE_READINGS = 500  # weekly for nine years
MAX_PLAN_READINGS = 25_000  # 200 actions x 3 measures x 36 monthly readings is 21,600
MAX_ACTION_UPDATES = 500
MAX_PLAN_UPDATES = 20_000
MAX_ACTION_EVIDENCE = 100
MAX_PLAN_EVIDENCE = 2_000
MAX_PLAN_BOARDS = 20
MAX_BOARD_MEETINGS = 200


def too_many(what: str, limit: int, holder: str, count: int) -> str:
    """The message for a count past its limit: "a plan may have at most 1,000 actions, and
    this would make 1,001". `what` is plural ("actions"), `holder` has its article."""
    return f"{holder} may have at most {limit:,} {what}, and this would make {count:,}"
