"""Lists by lead inspector: every person who led a stored inspection or visit, their names
merged across forms (Matt and Matthew Reed), and what each led. Lists, never rankings by
outcome: `INSPECTORS_NOTE` says why, and goes wherever the lists are shown.

Each function takes a Store or a Snapshot (ofsted_csc.api.snapshot)."""

from __future__ import annotations

from ofsted_csc.analytics.inspectors import InspectorList, inspector_lists
from ofsted_csc.api.snapshot import Source, read
from ofsted_csc.domain.errors import NotFound
from ofsted_csc.domain.inspectors import INSPECTORS_NOTE, MERGE_NOTE, Inspectors
from ofsted_csc.reports import rows

__all__ = [
    "INSPECTORS_NOTE",
    "MERGE_NOTE",
    "InspectorList",
    "Inspectors",
    "inspector",
    "inspector_table",
    "inspectors",
    "inspectors_table",
]


def inspectors(source: Source) -> list[InspectorList]:
    """Every lead inspector with what they led, in order of surname."""
    snap = read(source)
    return snap.memo(("inspectors",), lambda: inspector_lists(snap.documents, snap.inspectors))


def inspector(source: Source, name: str) -> InspectorList:
    """One lead inspector, by any form of the name ("matt reed", "Matthew Reed HMI")."""
    snap = read(source)
    merged = snap.inspectors.find(name)
    found = next((x for x in inspectors(snap) if x.name == merged), None) if merged else None
    if found is None:
        raise NotFound(f"No stored report or letter names “{name.strip()}” as lead inspector.")
    return found


def inspectors_table(source: Source) -> rows.TableData:
    """Every lead inspector: the forms of the name, inspections and visits led, first and last."""
    snap = read(source)
    return snap.memo(("inspectors_table",), lambda: rows.inspector_table(inspectors(snap)))


def inspector_table(source: Source, name: str) -> rows.TableData:
    """The inspections and visits one lead inspector led, oldest first."""
    return rows.inspector_led_table([inspector(source, name)])
