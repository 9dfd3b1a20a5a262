"""Lists by lead inspector: the inspections and visits each person led, their names merged
across forms (domain.inspectors, `Snapshot.inspectors`).

Lists only, in order of name: nothing here orders or scores inspectors by the grades of the
inspections they led (domain.inspectors.INSPECTORS_NOTE says why)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ofsted_csc.analytics.snapshot import Document
from ofsted_csc.domain.inspectors import Inspectors


@dataclass(frozen=True)
class InspectorList:
    """One lead inspector and what they led, oldest first."""

    name: str
    forms: tuple[str, ...]  # the name as reports and letters wrote it
    documents: tuple[Document, ...]

    @property
    def inspections(self) -> int:
        return sum(1 for d in self.documents if not d.is_letter)

    @property
    def visits(self) -> int:
        return sum(1 for d in self.documents if d.is_letter)

    @property
    def first(self) -> date | None:
        return min((d.start for d in self.documents if d.start), default=None)

    @property
    def last(self) -> date | None:
        return max((d.start for d in self.documents if d.start), default=None)


def sort_key(name: str) -> tuple[str, str]:
    """People in order of surname, then given name."""
    words = name.casefold().split()
    return (words[-1] if words else "", name.casefold())


def inspector_lists(documents: Iterable[Document], inspectors: Inspectors) -> list[InspectorList]:
    """Every lead inspector with the inspections and visits they led (a document naming two
    leads is in both lists), in order of surname."""
    led: dict[str, list[Document]] = defaultdict(list)
    for d in documents:
        for name in d.leads:
            led[name].append(d)
    out = [
        InspectorList(
            name,
            inspectors.forms.get(name, (name,)),
            tuple(sorted(docs, key=lambda d: (d.start or date.min, d.council_name))),
        )
        for name, docs in led.items()
    ]
    out.sort(key=lambda x: sort_key(x.name))
    return out
