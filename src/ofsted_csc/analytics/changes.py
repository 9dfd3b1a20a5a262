"""Change over time in one table: each council's graded inspections in order, with the grade
before and after and the months between, and improvement episodes (from a council's first
inadequate to its first good or better, however many inspections lie between).

    pairs = changes(facts, registry, as_at)                 # every council, every pair
    spells = episodes(facts, registry, as_at)               # inadequate -> good or better
    table = transition_table(pairs)                         # previous -> next, by framework

Read from benchmarking facts (reports and the official statistics) as the national picture
reads them: an inspection counts once it had begun by `as_at` and its report was published
by then (`benchmarking.visible`). Standalone LSCB reviews are not inspections of the council's
services and are left out. A pair is two inspections of one council in a row that both judge
the judgement asked for (overall effectiveness by default; after the April 2026 reform,
which makes no overall effectiveness judgement, ask for `leadership`).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ofsted_csc.analytics.benchmarking import Facts, council_series, visible
from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.frameworks import Framework
from ofsted_csc.domain.grades import GRADE_ORDER, Grade

MONTH = 365.25 / 12

IMPROVED, SAME, DECLINED = "improved", "same", "declined"


def months_between(a: date, b: date) -> float:
    """Months from `a` to `b`, to a tenth."""
    return round((b - a).days / MONTH, 1)


def direction(before: Grade, after: Grade) -> str:
    """ "improved", "same" or "declined" (adequate, before 2013, ranks with requires
    improvement)."""
    if after.rank < before.rank:
        return IMPROVED
    return SAME if after.rank == before.rank else DECLINED


@dataclass(frozen=True)
class Change:
    """Two inspections of one council in a row that both judge `judgement`."""

    council: Council
    judgement: str
    before: Facts
    after: Facts
    grade_before: Grade
    grade_after: Grade

    @property
    def months(self) -> float:
        return months_between(self.before.start, self.after.start)

    @property
    def direction(self) -> str:
        return direction(self.grade_before, self.grade_after)


@dataclass(frozen=True)
class Episode:
    """A council's spell from its first inadequate (since any earlier spell ended) to its
    first good or better after it; open (`reached` None) when that has not come by the date."""

    council: Council
    judgement: str
    inadequate: Facts  # the inspection that judged it inadequate
    reached: Facts | None  # the first inspection after it judged good or better
    grade_reached: Grade | None
    inspections_between: int  # graded inspections after the inadequate one, before `reached`
    as_at: date

    @property
    def months(self) -> float:
        """To good or better; for an open spell, so far (to the date)."""
        end = self.reached.start if self.reached is not None else self.as_at
        return months_between(self.inadequate.start, end)


def _judged(
    facts: Sequence[Facts], registry: CouncilRegistry, as_at: date, judgement: str
) -> dict[str, list[tuple[Facts, Grade]]]:
    """Each council's inspections by the date that judge `judgement`, oldest first."""
    seen = [f for f in facts if visible(f, as_at)]
    out: dict[str, list[tuple[Facts, Grade]]] = {}
    for urn, items in council_series(seen, registry).items():
        judged = [(f, f.grades[judgement]) for f in items if judgement in f.grades]
        if judged:
            out[urn] = judged
    return out


def changes(
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    as_at: date,
    judgement: str = "overall_effectiveness",
) -> list[Change]:
    """Every pair of consecutive inspections of a council judging `judgement`, by council
    name and then date."""
    out: list[Change] = []
    for urn, judged in _judged(facts, registry, as_at, judgement).items():
        council = registry.by_urn(urn)
        assert council is not None
        for (a, ga), (b, gb) in itertools.pairwise(judged):
            out.append(Change(council, judgement, a, b, ga, gb))
    out.sort(key=lambda c: (c.council.name, c.after.start))
    return out


def episodes(
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    as_at: date,
    judgement: str = "overall_effectiveness",
) -> list[Episode]:
    """Every improvement episode: from an inadequate judgement (the first of a run of them) to
    the first good or better after it. A council judged inadequate again after reaching good
    begins a new episode."""
    out: list[Episode] = []
    for urn, judged in _judged(facts, registry, as_at, judgement).items():
        council = registry.by_urn(urn)
        assert council is not None
        start: Facts | None = None
        between = 0
        for f, grade in judged:
            if start is None:
                if grade is Grade.INADEQUATE:
                    start, between = f, 0
                continue
            if grade.rank <= Grade.GOOD.rank:
                out.append(Episode(council, judgement, start, f, grade, between, as_at))
                start = None
            else:
                between += 1
        if start is not None:
            out.append(Episode(council, judgement, start, None, None, between, as_at))
    out.sort(key=lambda e: (e.council.name, e.inadequate.start))
    return out


def transition_table(pairs: Sequence[Change]) -> list[dict[str, object]]:
    """Previous grade to next, counted by the framework of the later inspection: a row per
    framework and previous grade, a column per next grade, and a total."""
    counts: Counter[tuple[Framework, Grade, Grade]] = Counter(
        (c.after.framework, c.grade_before, c.grade_after) for c in pairs
    )
    grades = [g for g in GRADE_ORDER if any(g in key[1:] for key in counts)]
    rows: list[dict[str, object]] = []
    for fw in Framework:
        for before in grades:
            n = {after: counts[(fw, before, after)] for after in grades}
            total = sum(n.values())
            if not total:
                continue
            row: dict[str, object] = {"framework": fw.value, "previous": before.value}
            row.update({after.value: k for after, k in n.items()})
            row["total"] = total
            rows.append(row)
    return rows
