"""Official statistics against parsed reports: match, list disagreements, fill gaps.

Parsed reports and official rows never overwrite each other: `reconcile` lists every field
on which a matched pair disagrees, with the likely reason, and `fill` gives benchmarking
facts for official rows that no stored report matches (each marked with its source).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

from ofsted_csc.analytics.benchmarking import JUDGEMENTS, OFFICIAL_SOURCE, Facts
from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.errors import NotFound
from ofsted_csc.domain.frameworks import Area, Framework, Kind
from ofsted_csc.domain.official import OfficialRow
from ofsted_csc.domain.records import InspectionRecord, JudgementStatus
from ofsted_csc.sources.official import edition_title

# An official row and a report are the same inspection when their publication dates (the
# report's stated or estimated date, else its last day on site) are this close.
MATCH_DAYS = 100


@dataclass(frozen=True)
class Match:
    official: OfficialRow
    facts: Facts | None  # None: no stored report of this inspection
    days_apart: int | None


def _kinds_fit(row: OfficialRow, f: Facts) -> bool:
    if row.framework is not f.framework:
        return False
    if row.framework is Framework.SIF:  # full and re-inspection: the dates decide
        return f.kind in (Kind.FULL, Kind.REINSPECTION)
    if row.framework is Framework.PRE_SIF:  # protection and looked after children apart
        return f.kind is row.kind
    return f.kind in (Kind.STANDARD, Kind.SHORT)


def _report_day(f: Facts) -> tuple[int, object]:
    day = f.published or f.end or f.start
    return day.toordinal(), day


def match(rows: Sequence[OfficialRow], facts: Sequence[Facts]) -> list[Match]:
    """Pair each official row with the stored report of the same inspection, if any."""
    candidates: list[tuple[int, int, int]] = []  # (days apart, row index, facts index)
    by_council: dict[str, list[int]] = {}
    for j, f in enumerate(facts):
        by_council.setdefault(f.council_urn, []).append(j)
    for i, row in enumerate(rows):
        if row.council_urn is None or row.published is None:
            continue
        for j in by_council.get(row.council_urn, ()):
            f = facts[j]
            if not _kinds_fit(row, f) or f.is_lscb_only:
                continue
            apart = abs(_report_day(f)[0] - row.published.toordinal())
            if apart <= MATCH_DAYS:
                candidates.append((apart, i, j))
    paired: dict[int, tuple[int, int]] = {}
    used_facts: dict[tuple[str, int], int] = {}
    for apart, i, j in sorted(candidates):
        if i in paired:
            continue
        # a report may match one row of each official edition, not two rows of one
        key = (rows[i].edition, j)
        if key in used_facts:
            continue
        used_facts[key] = i
        paired[i] = (j, apart)
    out: list[Match] = []
    for i, row in enumerate(rows):
        if i in paired:
            j, apart = paired[i]
            out.append(Match(row, facts[j], apart))
        else:
            out.append(Match(row, None, None))
    return out


def row_place(row: OfficialRow) -> str:
    """Where an official row is: "file, sheet S row N (block)"."""
    return f"{row.source_file}, sheet {row.sheet} row {row.row} ({row.block})"


def rows_for(
    rows: Sequence[OfficialRow], reports: Sequence[Facts], candidates: Sequence[Facts]
) -> list[list[OfficialRow]]:
    """For each candidate (the facts of a report kept for review), the official rows of the
    same inspection: `match` run over the stored reports and the candidates together, so a
    row goes to the report nearest to it, stored or in review."""
    found: list[list[OfficialRow]] = [[] for _ in candidates]
    if not candidates:
        return found
    position = {id(c): i for i, c in enumerate(candidates)}
    for m in match(rows, [*reports, *candidates]):
        if m.facts is not None and id(m.facts) in position:
            found[position[id(m.facts)]].append(m.official)
    return found


@dataclass(frozen=True)
class OfficialValue:
    """One field of a report beside the value an official row gives it."""

    field: str
    read_value: str | None  # the export spelling; None: not read
    not_read: bool  # the report has the field but it could not be read
    official_value: str | None  # None: the official row gives none
    row: OfficialRow

    @property
    def place(self) -> str:
        return row_place(self.row)


def official_values(record: InspectionRecord, rows: Sequence[OfficialRow]) -> list[OfficialValue]:
    """The judgements (and publication date) of a report beside each official row's, for
    the fields the row gives or the report could not read; judgements the report's
    framework does not make are left out."""
    out: list[OfficialValue] = []
    for row in rows:
        if row.published is not None or record.published is None:
            out.append(
                OfficialValue(
                    "published",
                    record.published.isoformat() if record.published else None,
                    record.published is None,
                    row.published.isoformat() if row.published else None,
                    row,
                )
            )
        for judgement in JUDGEMENTS:
            j = record.judgements.get(Area(judgement))
            if j is None or j.status is JudgementStatus.NOT_IN_FRAMEWORK:
                continue
            grade = row.grades.get(judgement)
            not_read = j.status is JudgementStatus.NOT_READ
            if grade is None and not not_read:
                continue
            out.append(
                OfficialValue(
                    judgement, j.export_value, not_read, grade.value if grade else None, row
                )
            )
    return out


class NoOfficialMatch(NotFound):
    """No imported official row gives a value for what a report in review could not read.
    Not a failure of the command: it ran and found nothing to take (exit status 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Fill:
    """The official value to take for one field a report could not read."""

    field: str
    value: str
    rows: tuple[OfficialRow, ...]  # every row that gives it (one per edition)

    @property
    def note(self) -> str:
        sources = "; ".join(
            f"{edition_title(r.edition)}: {r.source_file}, sheet {r.sheet} row {r.row} ({r.block})"
            for r in self.rows
        )
        return f"from Ofsted's official statistics ({sources})"


def fills(values: Sequence[OfficialValue]) -> tuple[list[Fill], list[str]]:
    """The official values to take for the fields not read, and the fields the official
    rows disagree on (left alone: a person must choose)."""
    by_field: dict[str, list[OfficialValue]] = {}
    for v in values:
        if v.not_read and v.official_value is not None:
            by_field.setdefault(v.field, []).append(v)
    out: list[Fill] = []
    conflicts: list[str] = []
    for name, given in by_field.items():
        if len({v.official_value for v in given}) > 1:
            conflicts.append(
                f"{name}: the official rows disagree ("
                + "; ".join(f"{v.official_value} in {v.place}" for v in given)
                + ")"
            )
            continue
        value = given[0].official_value
        assert value is not None
        out.append(Fill(name, value, tuple(v.row for v in given)))
    return out, conflicts


@dataclass(frozen=True)
class Disagreement:
    council: str
    urn: str | None
    official: str  # "file, sheet S row N (block)"
    report: str  # file name
    field: str
    report_value: str | None
    official_value: str | None
    reason: str


def _lscb_review(facts: Sequence[Facts], urn: str, around: Facts) -> Facts | None:
    """A standalone LSCB review of the council published within a year of a SIF report."""
    day = around.published or around.start
    near = [
        f
        for f in facts
        if f.is_lscb_only
        and f.council_urn == urn
        and abs(((f.published or f.start) - day).days) <= 365
    ]
    return near[0] if near else None


def disagreements(
    matches: Sequence[Match], registry: CouncilRegistry, facts: Sequence[Facts] = ()
) -> list[Disagreement]:
    """Every field on which a report and its official row differ, with the likely reason.

    Official rows give a SIF inspection's LSCB grade even where Ofsted published the LSCB
    review as a report of its own: that report (from `facts`) is compared instead.
    """
    out: list[Disagreement] = []
    for m in matches:
        f, row = m.facts, m.official
        if f is None:
            continue
        council = registry.by_urn(row.council_urn or "")
        name = council.name if council else row.council_name
        where = row_place(row)

        make = partial(Disagreement, name, row.council_urn, where, f.source)

        if row.published is not None and f.published != row.published:
            if f.published is None:
                reason = "the report gives no publication date"
            elif f.published_estimated:
                reason = (
                    "the report states no publication date: ours is estimated from the PDF's "
                    f"metadata ({(f.published - row.published).days:+d} days)"
                )
            else:
                reason = (
                    f"the report states another date ({(f.published - row.published).days:+d} "
                    "days): check the report's first page"
                )
            out.append(
                make(
                    "published",
                    f.published.isoformat() if f.published else None,
                    row.published.isoformat(),
                    reason,
                )
            )
        if row.kind is not None and row.framework is Framework.SIF and row.kind is not f.kind:
            out.append(
                make(
                    "kind",
                    f.kind.value,
                    row.kind.value,
                    f"the report's title makes it a {'re-inspection' if f.kind is Kind.REINSPECTION else 'full inspection'}; "
                    "the spreadsheet counts it as the council's "
                    f"{'first SIF' if row.kind is Kind.FULL else 'SIF re-inspection'}",
                )
            )
        if row.kind is not None and row.framework is Framework.ILACS and row.kind is not f.kind:
            out.append(
                make(
                    "kind",
                    f.kind.value,
                    row.kind.value,
                    "ILACS reports do not say short or standard: ours is inferred from the days "
                    "on site",
                )
            )
        for judgement, grade in row.grades.items():
            ours = f.grades.get(judgement)
            if judgement == "lscb" and ours is None and row.council_urn:
                review = _lscb_review(facts, row.council_urn, f)
                if review is None:
                    out.append(
                        Disagreement(
                            name,
                            row.council_urn,
                            where,
                            f.source,
                            judgement,
                            None,
                            grade.value,
                            "this SIF report has no LSCB review: Ofsted published the review "
                            "as a report of its own, which is not in the store",
                        )
                    )
                elif review.grades.get(judgement) is not grade:
                    theirs = review.grades.get(judgement)
                    out.append(
                        Disagreement(
                            name,
                            row.council_urn,
                            where,
                            review.source,
                            judgement,
                            theirs.value if theirs else None,
                            grade.value,
                            "the separate LSCB review report's grade differs from the spreadsheet",
                        )
                    )
                continue
            if ours is not grade:
                out.append(
                    make(
                        judgement,
                        ours.value if ours else None,
                        grade.value,
                        "the report's grade differs from the spreadsheet: check the report's "
                        "judgement table"
                        if ours
                        else "the report makes no such judgement or it was not read",
                    )
                )
    return out


def with_official(matches: Sequence[Match], facts: Sequence[Facts]) -> list[Facts]:
    """The reports' facts with what their official rows settle: the official publication
    date wins over the report's stated or estimated one (which is kept, as
    `published_read`), and a SIF report without an LSCB grade takes the official row's
    (Ofsted counts the LSCB grade of every SIF inspection, even where it published the
    review apart). Rows of newer editions win over older ones; facts without a matched row
    are returned as they are, in their order."""
    rows: dict[int, OfficialRow] = {}
    for m in matches:
        if m.facts is None:
            continue
        known = rows.get(id(m.facts))
        if known is None or m.official.edition > known.edition:
            rows[id(m.facts)] = m.official
    out: list[Facts] = []
    for f in facts:
        row = rows.get(id(f))
        if row is None:
            out.append(f)
            continue
        changes: dict[str, object] = {}
        if row.published is not None and row.published != f.published:
            changes.update(
                published=row.published,
                published_estimated=False,
                published_official=True,
                published_read=f.published,
            )
        lscb = Area.LSCB.value
        if f.framework is Framework.SIF and lscb not in f.grades and lscb in row.grades:
            changes["grades"] = {**f.grades, lscb: row.grades[lscb]}
        out.append(replace(f, **changes) if changes else f)  # type: ignore[arg-type]
    return out


def fill(matches: Sequence[Match]) -> list[Facts]:
    """Facts for official rows with no stored report, one per inspection (editions agree
    on the same inspection: the newest edition's row is used)."""
    chosen: dict[tuple[str, str, str, str], OfficialRow] = {}
    for m in matches:
        row = m.official
        if m.facts is not None or row.council_urn is None or row.published is None:
            continue
        key = _inspection_key(row)
        if key not in chosen or row.edition > chosen[key].edition:
            chosen[key] = row
    # a row some other edition matched to a report is the same inspection: leave it out
    matched = {
        _inspection_key(m.official)
        for m in matches
        if m.facts is not None and m.official.published is not None
    }
    out: list[Facts] = []
    for key, row in sorted(chosen.items()):
        if key in matched:
            continue
        assert row.council_urn is not None and row.published is not None
        kind = row.kind or (Kind.FULL if row.framework is Framework.SIF else Kind.STANDARD)
        out.append(
            Facts(
                council_urn=row.council_urn,
                framework=row.framework,
                kind=kind,
                start=row.start or row.published,
                published=row.published,
                grades=dict(row.grades),
                source=f"{OFFICIAL_SOURCE}{row.source_file} row {row.row}",
                start_known=row.start is not None,
            )
        )
    return out


def _inspection_key(row: OfficialRow) -> tuple[str, str, str, str]:
    """What makes two editions' rows the same inspection: council, framework, publication
    date, and (before the SIF, when one visit made two inspections) the kind."""
    assert row.council_urn is not None and row.published is not None
    kind = row.kind.value if row.framework is Framework.PRE_SIF and row.kind else ""
    return (row.council_urn, row.framework.value, row.published.isoformat(), kind)
