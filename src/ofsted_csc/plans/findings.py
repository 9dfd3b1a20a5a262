"""What a stored report asks the council to do, as a plan answers it: its recommendations
(an inspection), or its areas for priority action and for improvement (a visit letter), each
with its position and page, and the words a plan uses for a report. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ofsted_csc.domain.frameworks import FRAMEWORK_LABELS, KIND_LABELS
from ofsted_csc.domain.records import InspectionRecord, LetterRecord

# The sections of a report an action can answer (the store's names for them).
RECOMMENDATION = "recommendation"
PRIORITY_ACTION = "priority_action"
AREA_FOR_IMPROVEMENT = "area_for_improvement"
SECTION_LABELS = {
    RECOMMENDATION: "Recommendation",
    PRIORITY_ACTION: "Area for priority action",
    AREA_FOR_IMPROVEMENT: "Area for improvement",
}


@dataclass(frozen=True)
class Link:
    """An item of a stored report an action answers: file, section and position (1-based)."""

    sha256: str
    section: str
    position: int


def report_items(
    record: InspectionRecord | LetterRecord,
) -> list[tuple[str, int, str, int | None]]:
    """What a report asks the council to do: (section, position, words, page)."""
    if isinstance(record, InspectionRecord):
        return [(RECOMMENDATION, r.position, r.text, r.page) for r in record.recommendations]
    page = record.pages.get("priority_actions") or record.pages.get("areas_for_improvement")
    return [(PRIORITY_ACTION, n, t, page) for n, t in enumerate(record.priority_actions, 1)] + [
        (AREA_FOR_IMPROVEMENT, n, t, record.pages.get("areas_for_improvement"))
        for n, t in enumerate(record.areas_for_improvement, 1)
    ]


def source_label(record: InspectionRecord | LetterRecord) -> str:
    """A report as a plan names it: "ILACS standard inspection of January 2025"."""
    if isinstance(record, InspectionRecord):
        assert record.framework and record.kind and record.inspection_start
        framework = FRAMEWORK_LABELS[record.framework].split(" (")[0]
        return f"{framework} {KIND_LABELS[record.kind].lower()} of {record.inspection_start:%B %Y}"
    assert record.kind and record.visit_start
    return f"{KIND_LABELS[record.kind].lower()} of {record.visit_start:%B %Y}"


def received_default(record: InspectionRecord | LetterRecord) -> date | None:
    """When the council is taken to have received a report: its publication (or letter)
    date, else the last day of the inspection (or visit)."""
    if isinstance(record, InspectionRecord):
        return record.published or record.inspection_end
    return record.letter_date or record.visit_end
