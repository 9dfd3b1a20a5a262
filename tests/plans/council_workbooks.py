"""Three councils' plan workbooks in the shapes councils keep them, made with openpyxl (and what
each should import as), plus one with bad rows. The councils and people are made up.

- `titled`: two title rows above the headings, leads by full name, timescales as months and
  financial-year quarters ("end of Q2 2019/20"), "Ongoing", a RAG column in words and letters
  (Complete for done), a progress update column, a Priority column filled only where a
  priority starts (merged cells), a column we do not read.
- `sections`: a cover sheet, a title row, workstreams as heading rows of one cell, leads by
  email and user name, starts and deadlines as periods ("April 2019", "Jun-19"), the RAG in
  the Status column (G, R) beside statuses, an "Area for improvement" column.
- `commentary`: an Actions sheet with both a status and a RAG status (one disagreeing), dates as
  31.03.2020 and "end of March 2020", a Commentary column with its update date.
- `bad`: the titled shape with five rows that cannot be read.

`python -m tests.plans.council_workbooks DIR` writes them to DIR as .xlsx files, to try with
`ofsted-csc plan import FILE --council 825`.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl

from ofsted_csc.plans.rules import Rag, Status

# the people the workbooks name: (user name, full name, email)
PEOPLE = (
    ("jhardy", "Jane Hardy", "jane.hardy@westshire.gov.uk"),
    ("sokafor", "Sam Okafor", "sam.okafor@westshire.gov.uk"),
    ("pshah", "Priya Shah", "priya.shah@westshire.gov.uk"),
)
ON = date(2019, 5, 1)  # the RAG is worked out as at this date
TODAY = date(2019, 5, 7)  # the day of the import, for progress updates without a date


@dataclass(frozen=True)
class Expected:
    """One action as it should come in: ref, workstream, description's start, lead's user
    name, start, due, status, percent and RAG as at ON."""

    ref: str
    workstream: str
    description: str
    lead: str | None
    start: date | None
    due: date | None
    status: Status
    percent: int
    rag: Rag


def _book(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


TITLED_HEADINGS = [
    "Ref",
    "Priority",
    "Action(s)",
    "Lead Officer",
    "Timescale",
    "RAG",
    "Progress update",
    "Risks",
]


def titled() -> bytes:
    return _book(
        {
            "Improvement Plan": [
                ["Westshire County Council"],
                ["Children's services improvement plan 2019/20: after the ILACS inspection"],
                [],
                TITLED_HEADINGS,
                [
                    "1.1",
                    "Practice quality",
                    "Relaunch the supervision policy",
                    "Jane Hardy",
                    "March 2019",
                    "Complete",
                    "Policy relaunched at practice week",
                ],
                [
                    "1.2",
                    None,
                    "Audit supervision quarterly",
                    "jane hardy",
                    "end of Q2 2019/20",
                    "Green",
                    "First audit done in April",
                    "Audit capacity",
                ],
                [
                    "1.3",
                    None,
                    "Train managers in reflective supervision",
                    "Sam Okafor",
                    "Q3 2019-20",
                    "Amber",
                ],
                [
                    "2.1",
                    "Workforce",
                    "Cut agency social workers to 15%",
                    "Sam Okafor",
                    date(2019, 12, 31),
                    "R",
                    "Recruitment campaign delayed",
                ],
                ["2.2", None, "Keep caseloads under review", "Priya Shah", "Ongoing", "G"],
            ]
        }
    )


TITLED = (
    Expected(
        "1.1",
        "Practice quality",
        "Relaunch the supervision",
        "jhardy",
        None,
        date(2019, 3, 31),
        Status.COMPLETE,
        0,
        Rag.BLUE,
    ),
    Expected(
        "1.2",
        "Practice quality",
        "Audit supervision",
        "jhardy",
        None,
        date(2019, 9, 30),
        Status.ON_TRACK,
        0,
        Rag.GREEN,
    ),
    Expected(
        "1.3",
        "Practice quality",
        "Train managers",
        "sokafor",
        None,
        date(2019, 12, 31),
        Status.AT_RISK,
        0,
        Rag.AMBER,
    ),
    Expected(
        "2.1",
        "Workforce",
        "Cut agency",
        "sokafor",
        None,
        date(2019, 12, 31),
        Status.OFF_TRACK,
        0,
        Rag.RED,
    ),
    # no due date ("Ongoing"): amber by the rule
    Expected(
        "2.2", "Workforce", "Keep caseloads", "pshah", None, None, Status.ON_TRACK, 0, Rag.AMBER
    ),
)


def sections() -> bytes:
    heads = [
        "No.",
        "Area for improvement",
        "What will we do?",
        "Responsible officer",
        "Start date",
        "By when",
        "Status",
        "% complete",
    ]
    return _book(
        {
            "Cover": [["Westshire Council"], ["Focused visit action plan"], ["Version 3"]],
            "Action plan": [
                ["Westshire Council: action plan after the focused visit of March 2019"],
                heads,
                ["Priority 1: Management oversight"],
                [
                    1,
                    "Managers' oversight is not consistently recorded",
                    "Introduce a recorded oversight template",
                    "sam.okafor@westshire.gov.uk",
                    "April 2019",
                    "Jun-19",
                    "G",
                    0.4,
                ],
                [
                    2,
                    "Managers' oversight is not consistently recorded",
                    "Dip-sample 50 cases a month",
                    "jhardy",
                    date(2019, 4, 1),
                    "Q1 2019/20",
                    "In progress",
                    0.25,
                ],
                ["Priority 2: Return home interviews"],
                [
                    3,
                    "Too few children are offered a return home interview",
                    "Commission an independent return home interview service",
                    "Priya Shah",
                    "Q2 2019/20",
                    "end of Q4 2019/20",
                    "R",
                    "10%",
                ],
                [
                    4,
                    None,
                    "Report return home interview take-up to the board",
                    "Priya Shah",
                    None,
                    "Sept 2019",
                    "Not started",
                    None,
                ],
            ],
        }
    )


P1, P2 = "Priority 1: Management oversight", "Priority 2: Return home interviews"
SECTIONS = (
    Expected(
        "1",
        P1,
        "Introduce a recorded",
        "sokafor",
        date(2019, 4, 1),
        date(2019, 6, 30),
        Status.ON_TRACK,
        40,
        Rag.GREEN,
    ),
    Expected(
        "2",
        P1,
        "Dip-sample",
        "jhardy",
        date(2019, 4, 1),
        date(2019, 6, 30),
        Status.ON_TRACK,
        25,
        Rag.GREEN,
    ),
    Expected(
        "3",
        P2,
        "Commission",
        "pshah",
        date(2019, 7, 1),
        date(2020, 3, 31),
        Status.OFF_TRACK,
        10,
        Rag.RED,
    ),
    Expected(
        "4", P2, "Report return", "pshah", None, date(2019, 9, 30), Status.NOT_STARTED, 0, Rag.GREEN
    ),
)


def commentary() -> bytes:
    heads = [
        "Action Ref",
        "Theme",
        "Action description",
        "Owner",
        "Deadline",
        "Status",
        "RAG Status",
        "Commentary",
        "Update date",
    ]
    return _book(
        {
            "Actions": [
                heads,
                [
                    "A1",
                    "Early help",
                    "Open a single front door for early help",
                    "Jane Hardy",
                    "31.03.2020",
                    "On track",
                    "G",
                    "Front door design agreed",
                    date(2019, 4, 15),
                ],
                [
                    "A2",
                    "Early help",
                    "Audit early help assessments monthly",
                    "jhardy",
                    "Q4 2019/20",
                    "On track",
                    "A",
                    "Audit tool drafted",
                    "30/04/2019",
                ],
                [
                    "A3",
                    "Care leavers",
                    "Offer every care leaver to 25 a personal adviser",
                    "Priya Shah",
                    "end of March 2020",
                    "Complete",
                    "B",
                    "All care leavers offered a PA",
                    date(2019, 4, 30),
                ],
            ]
        }
    )


COMMENTARY = (
    Expected(
        "A1",
        "Early help",
        "Open a single",
        "jhardy",
        None,
        date(2020, 3, 31),
        Status.ON_TRACK,
        0,
        Rag.GREEN,
    ),
    # the workbook's Amber beside "On track" is kept as an override naming its row
    Expected(
        "A2",
        "Early help",
        "Audit early help",
        "jhardy",
        None,
        date(2020, 3, 31),
        Status.ON_TRACK,
        0,
        Rag.AMBER,
    ),
    Expected(
        "A3",
        "Care leavers",
        "Offer every",
        "pshah",
        None,
        date(2020, 3, 31),
        Status.COMPLETE,
        0,
        Rag.BLUE,
    ),
)


def bad() -> bytes:
    """The titled shape (headings on row 4) with rows 6 to 10 bad, each for one reason."""
    return _book(
        {
            "Improvement Plan": [
                ["Westshire County Council"],
                ["Children's services improvement plan 2019/20"],
                [],
                TITLED_HEADINGS,
                ["1.1", "Practice", "Relaunch the policy", "Jane Hardy", "March 2019", "Green"],
                ["1.2", None, "Audit supervision", "Jane Hardy", "next spring", "Green"],
                ["1.3", None, "Train managers", "Sam Okafor", "Q3 2019-20", "Purple"],
                ["1.4", None, None, "Sam Okafor", "Q3 2019-20", "Amber"],
                ["1.1", None, "Relaunch the policy again", "Jane Hardy", "May 2019", "Green"],
                ["1.5", None, "Review caseloads", "Priya Shah", "Q2 2019", "Green"],
            ]
        }
    )


WORKBOOKS = {
    "titled.xlsx": titled,
    "sections.xlsx": sections,
    "commentary.xlsx": commentary,
    "bad.xlsx": bad,
}


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, make in WORKBOOKS.items():
        (folder / file_name).write_bytes(make())
        print(folder / file_name)
