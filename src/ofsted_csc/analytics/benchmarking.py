"""Benchmarking: the national picture at any date, regions, rounds, comparison tables.

Pure functions over `Facts` (one graded inspection each: council, framework, kind, dates,
grades), so they can be tested on small hand-made datasets and fed from the store, from
official statistics, or both. Every result is plain data (dataclasses of str/int/float/date)
for notebooks; the aggregate tables (regions, transitions, series, gaps) are rows already,
and ofsted_csc.reports.rows makes the rows of pictures, inspections and profiles.

The rules (README, "Benchmarking"):
- A council's position at a date is its most recent graded inspection that started on or
  before `as_at` and, where its publication date is known, was published on or before
  `published_by` (default `as_at`). Standalone LSCB reviews are not "the most recent
  inspection"; the LSCB grade is the latest LSCB grade when the latest inspection is SIF.
- Only councils existing on `as_at` count (abolished ones until abolition, new ones from
  creation). Councils with no inspection yet are "not inspected"; a judgement the latest
  inspection's framework does not make (ILACS care leavers before 2023, LSCB after SIF,
  overall effectiveness from April 2026) is "not judged". Neither is in `total`.
- A framework round counts, as Ofsted does, every inspection of that framework published by
  the date, re-inspections included (`count="inspections"`), or each council by its latest
  inspection in the round (`count="councils"`); a SIF inspection without an LSCB grade
  takes its standalone LSCB review's. Only councils existing on `as_at` count in a round too.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from ofsted_csc.domain.councils import REGION_KINDS, Council, CouncilRegistry, check_region_kind
from ofsted_csc.domain.counting import counting_words
from ofsted_csc.domain.errors import InvalidInput, not_one_of
from ofsted_csc.domain.frameworks import EXPORTED_AREAS, Area, Framework, Kind, check_judgement
from ofsted_csc.domain.frameworks import JUDGEMENTS as JUDGEMENTS  # defined there; named here too
from ofsted_csc.domain.grades import GRADE_ORDER as GRADE_ORDER  # defined there; named here too
from ofsted_csc.domain.grades import NOT_JUDGED, Grade
from ofsted_csc.domain.records import InspectionRecord, JudgementStatus, PublishedSource
from ofsted_csc.domain.wording import possessive

NOT_INSPECTED = "not_inspected"
# What `trajectories` computes: transitions between grades, the quarterly series, the gaps.
TRAJECTORIES: tuple[str, ...] = ("transitions", "series", "gaps")
# How a round is counted. Ofsted's own tables ("104 SIF inspections published as at
# 5 August 2016") count inspections, re-inspections included; a council's standing in the
# round is its latest inspection in it.
INSPECTIONS, COUNCILS = "inspections", "councils"
ROUND_COUNTS: dict[str, str] = {
    INSPECTIONS: "inspections published in the round, re-inspections included (as Ofsted counts)",
    COUNCILS: "councils, each by its latest inspection in the round",
}


# The start of the source of facts read from an official statistics row.
OFFICIAL_SOURCE = "official:"


@dataclass(frozen=True)
class Facts:
    """One graded inspection, as benchmarking needs it."""

    council_urn: str
    framework: Framework
    kind: Kind
    start: date
    published: date | None
    grades: dict[str, Grade]  # judgement column -> grade, for judgements made
    source: str = ""  # file name, or "official:<file> row N" for official statistics
    end: date | None = None
    published_estimated: bool = False  # publication date estimated from PDF metadata
    start_known: bool = True  # False for official rows: start taken as the publication date
    # Set when the official statistics gave this report's publication date (they win over
    # the report's stated or estimated date): the date the report itself gave, if any.
    published_official: bool = False
    published_read: date | None = None

    @property
    def is_official(self) -> bool:
        """Read from the official statistics (no stored report of the inspection)."""
        return self.source.startswith(OFFICIAL_SOURCE)

    @property
    def published_source(self) -> str:
        """Where the publication date comes from: "official_statistics" (an official row,
        or a report the official statistics date), "pdf_metadata" (estimated), "report"."""
        if self.published_official or self.is_official:
            return "official_statistics"
        return "pdf_metadata" if self.published_estimated else "report"

    @property
    def is_lscb_only(self) -> bool:
        return self.kind is Kind.LSCB_REVIEW

    def judges(self, judgement: str) -> bool:
        return judgement in self.grades


def facts_from_record(record: InspectionRecord, source: str = "") -> Facts | None:
    """Facts of a stored inspection record (None if it lacks what benchmarking needs)."""
    if not (record.council_urn and record.framework and record.kind and record.inspection_start):
        return None
    grades: dict[str, Grade] = {}
    for area in EXPORTED_AREAS:
        j = record.judgements.get(area)
        if j is not None and j.status is JudgementStatus.GRADED and j.grade is not None:
            grades[area.value] = j.grade
    return Facts(
        council_urn=record.council_urn,
        framework=record.framework,
        kind=record.kind,
        start=record.inspection_start,
        end=record.inspection_end,
        published=record.published,
        grades=grades,
        source=source,
        published_estimated=record.published_source is PublishedSource.PDF_METADATA,
    )


def visible(f: Facts, as_at: date, published_by: date | None = None) -> bool:
    """Whether an inspection counts at `as_at`: it started by then and, where its publication
    date is known, was published by `published_by` (default `as_at`)."""
    published_by = published_by or as_at
    if f.start > as_at:
        return False
    return f.published is None or f.published <= published_by


def _order(f: Facts) -> tuple[date, date, str]:
    return (f.start, f.published or f.start, f.source)


@dataclass(frozen=True)
class Position:
    """A council's standing at a date: its latest inspection and grade per judgement."""

    council: Council
    latest: Facts | None
    grades: dict[str, Grade | None]  # None: not judged by the latest inspection

    def grade(self, judgement: str) -> Grade | None:
        return self.grades.get(judgement)


def positions(
    facts: Iterable[Facts],
    registry: CouncilRegistry,
    as_at: date,
    published_by: date | None = None,
    councils: Sequence[Council] | None = None,
) -> list[Position]:
    """Every council existing on `as_at` (or those given) with its standing then."""
    published_by = published_by or as_at
    by_council: dict[str, list[Facts]] = defaultdict(list)
    for f in facts:
        council = registry.by_urn(f.council_urn)
        if council is not None and visible(f, as_at, published_by):
            by_council[council.urn].append(f)
    out: list[Position] = []
    for council in councils if councils is not None else registry.existing_on(as_at):
        mine = sorted(by_council.get(council.urn, []), key=_order)
        graded = [f for f in mine if not f.is_lscb_only]
        latest = graded[-1] if graded else None
        grades: dict[str, Grade | None] = {}
        for judgement in JUDGEMENTS:
            if latest is None:
                grades[judgement] = None
            elif judgement == Area.LSCB.value:
                grades[judgement] = _lscb_grade(mine, latest)
            else:
                grades[judgement] = latest.grades.get(judgement)
        out.append(Position(council, latest, grades))
    return out


def _lscb_grade(mine: list[Facts], latest: Facts) -> Grade | None:
    """The latest LSCB grade, while the council's latest inspection is a SIF one."""
    if latest.framework is not Framework.SIF:
        return None
    with_lscb = [f for f in mine if Area.LSCB.value in f.grades]
    return with_lscb[-1].grades[Area.LSCB.value] if with_lscb else None


# -- the national picture --


@dataclass(frozen=True)
class PictureRow:
    judgement: str
    grade: str  # a Grade value, or "not_judged" / "not_inspected"
    count: int
    percent: float | None  # of total; None for not judged / not inspected
    total: int


@dataclass
class Picture:
    """How many councils have each grade, per judgement."""

    as_at: date
    published_by: date
    councils: int  # councils counted (existing, in the region if one is given)
    inspected: int  # with at least one graded inspection
    rows: list[PictureRow] = field(default_factory=list)
    round: str | None = None
    region: str | None = None
    reinspections: list[PictureRow] = field(default_factory=list)  # rounds only
    # What the rows count: councils (each by its latest inspection) or, in a round,
    # inspections (every inspection published in the round: `inspections` of them).
    counting: str = "councils"
    inspections: int = 0

    @property
    def reports_counted(self) -> str:
        """Which reports it counts, in words (Ofsted's rule at an official date, domain.counting)."""
        return counting_words(self.as_at, self.published_by)

    def row(self, judgement: str, grade: str) -> PictureRow | None:
        for r in self.rows:
            if r.judgement == judgement and r.grade == grade:
                return r
        return None

    def total(self, judgement: str) -> int:
        return next((r.total for r in self.rows if r.judgement == judgement), 0)


def _percent(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


def _grade_rows(
    judgement: str, grades: list[Grade | None], extra: dict[str, int]
) -> list[PictureRow]:
    judged = [g for g in grades if g is not None]
    counts = Counter(judged)
    total = len(judged)
    scale = [g for g in GRADE_ORDER if g is not Grade.ADEQUATE or counts[g]]
    rows = [
        PictureRow(judgement, g.value, counts[g], _percent(counts[g], total), total) for g in scale
    ]
    rows += [PictureRow(judgement, name, n, None, total) for name, n in extra.items()]
    return rows


def _region_councils(
    registry: CouncilRegistry, as_at: date, region: str | None
) -> tuple[list[Council], str | None]:
    councils = list(registry.existing_on(as_at))
    if region is None:
        return councils, None
    name = match_region(region)
    chosen = [c for c in councils if name in (c.ons_region, c.ofsted_region)]
    return chosen, name


def match_region(text: str) -> str:
    """An ONS or Ofsted region name from what a user typed (any case, partial)."""
    from ofsted_csc.domain.councils import OFSTED_REGIONS, ONS_REGIONS

    names = dict.fromkeys((*ONS_REGIONS, *OFSTED_REGIONS))
    wanted = " ".join(text.lower().replace("&", "and").split())
    exact = [n for n in names if n.lower() == wanted]
    if exact:
        return exact[0]
    partial = [n for n in names if wanted and wanted in n.lower()]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise InvalidInput(f"“{text}” fits several regions: {', '.join(partial)}")
    raise InvalidInput(not_one_of(text, "a region", names))


def national_picture(
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    as_at: date,
    published_by: date | None = None,
    region: str | None = None,
    round: str | None = None,
    count: str = INSPECTIONS,
) -> Picture:
    """The national (or regional) picture at `as_at`; see the module's rules. A round is
    counted by `count` (ROUND_COUNTS); outside a round each council counts once."""
    published_by = published_by or as_at
    councils, region_name = _region_councils(registry, as_at, region)
    if round is not None:
        return _round_picture(
            facts, registry, as_at, published_by, councils, region_name, round, count
        )
    pos = positions(facts, registry, as_at, published_by, councils)
    inspected = [p for p in pos if p.latest is not None]
    picture = Picture(as_at, published_by, len(pos), len(inspected), region=region_name)
    for judgement in JUDGEMENTS:
        grades = [p.grade(judgement) for p in inspected]
        extra = {
            NOT_JUDGED: sum(1 for g in grades if g is None),
            NOT_INSPECTED: len(pos) - len(inspected),
        }
        picture.rows += _grade_rows(judgement, grades, extra)
    return picture


ROUND_KINDS: dict[str, tuple[Framework, tuple[Kind, ...]]] = {
    "sif": (Framework.SIF, (Kind.FULL, Kind.REINSPECTION)),
    "ilacs": (Framework.ILACS, (Kind.STANDARD, Kind.SHORT)),
}
# A standalone LSCB review counts as the LSCB grade of a SIF inspection this close to it.
LSCB_REVIEW_DAYS = 365


def _with_lscb_reviews(items: list[Facts], reviews: list[Facts]) -> list[Facts]:
    """SIF inspections without an LSCB grade take the grade of the council's standalone LSCB
    review nearest them (within LSCB_REVIEW_DAYS; each review given to one inspection)."""
    if not reviews:
        return items
    free = list(reviews)
    out: list[Facts] = []
    for f in items:
        lscb = Area.LSCB.value
        if f.framework is Framework.SIF and lscb not in f.grades:
            day = f.published or f.start
            near = [
                r
                for r in free
                if lscb in r.grades
                and abs(((r.published or r.start) - day).days) <= LSCB_REVIEW_DAYS
            ]
            if near:
                r = min(near, key=lambda r: abs(((r.published or r.start) - day).days))
                free.remove(r)
                f = replace(f, grades={**f.grades, lscb: r.grades[lscb]})
        out.append(f)
    return out


def _round_picture(
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    as_at: date,
    published_by: date,
    councils: list[Council],
    region_name: str | None,
    round: str,
    count: str,
) -> Picture:
    if round not in ROUND_KINDS:
        raise InvalidInput(not_one_of(round, "a framework round", ROUND_KINDS))
    if count not in ROUND_COUNTS:
        raise InvalidInput(not_one_of(count, "a way to count a round", ROUND_COUNTS))
    framework, kinds = ROUND_KINDS[round]
    existing = {c.urn for c in councils}  # only councils existing on as_at (in the region)
    by_council: dict[str, list[Facts]] = defaultdict(list)
    reviews: dict[str, list[Facts]] = defaultdict(list)
    for f in facts:
        council = registry.by_urn(f.council_urn)
        if council is None or council.urn not in existing or not visible(f, as_at, published_by):
            continue
        if f.is_lscb_only:
            reviews[council.urn].append(f)
        elif f.framework is framework and f.kind in kinds:
            by_council[council.urn].append(f)
    everyone: list[Facts] = []
    latests: list[Facts] = []
    agains: list[Facts] = []
    for urn, items in by_council.items():
        items.sort(key=_order)
        items = _with_lscb_reviews(items, sorted(reviews.get(urn, []), key=_order))
        everyone.extend(items)
        latests.append(items[-1])
        agains.extend(items[1:])
    counted = everyone if count == INSPECTIONS else latests
    picture = Picture(
        as_at,
        published_by,
        len(councils),
        len(by_council),
        round=round,
        region=region_name,
        counting=count,
        inspections=len(everyone),
    )
    for judgement in JUDGEMENTS:
        grades = [f.grades.get(judgement) for f in counted]
        not_judged = sum(1 for g in grades if g is None)
        picture.rows += _grade_rows(judgement, grades, {NOT_JUDGED: not_judged})
        again = [f.grades.get(judgement) for f in agains]
        picture.reinspections += _grade_rows(
            judgement, again, {NOT_JUDGED: sum(1 for g in again if g is None)}
        )
    return picture


# -- regions --


def regions_table(
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    as_at: date,
    published_by: date | None = None,
    judgement: str = Area.OVERALL.value,
    by: str = "ons",
) -> list[dict[str, object]]:
    """Regions by grade for one judgement: one row a region, a column a grade."""
    check_judgement(judgement)
    names = REGION_KINDS[check_region_kind(by)]
    pos = positions(facts, registry, as_at, published_by)
    rows: list[dict[str, object]] = []
    for name in names:
        mine = [
            p
            for p in pos
            if (p.council.ons_region if by == "ons" else p.council.ofsted_region) == name
        ]
        grades = [p.grade(judgement) for p in mine if p.latest is not None]
        counts = Counter(g for g in grades if g is not None)
        total = sum(counts.values())
        row: dict[str, object] = {"region": name, "councils": len(mine)}
        for g in GRADE_ORDER:
            if g is Grade.ADEQUATE and not counts[g]:
                continue
            row[g.value] = counts[g]
        row[NOT_JUDGED] = sum(1 for g in grades if g is None)
        row[NOT_INSPECTED] = sum(1 for p in mine if p.latest is None)
        row["total"] = total
        row["percent_good_or_better"] = _percent(
            counts[Grade.OUTSTANDING] + counts[Grade.GOOD], total
        )
        rows.append(row)
    return rows


# -- inspections in a period --


def inspections_between(
    facts: Sequence[Facts], start: date, end: date, by: str = "published"
) -> list[Facts]:
    """Every graded inspection published (or, by "start", begun) in a period, by
    publication (else start), start and council (its rows: reports.rows.comparison_rows)."""
    if by not in ("published", "start"):
        raise InvalidInput(f"--by must be published or start, not “{by}”")
    if end < start:
        raise InvalidInput(f"the period ends ({end}) before it starts ({start})")
    out: list[Facts] = []
    for f in sorted(facts, key=lambda f: (f.published or f.start, f.start, f.council_urn)):
        day = f.published if by == "published" else f.start
        if day is not None and start <= day <= end:
            out.append(f)
    return out


# -- inspections published in a year --

CALENDAR, FINANCIAL = "calendar", "financial"
YEAR_BASES: dict[str, str] = {
    CALENDAR: "calendar year (January to December)",
    FINANCIAL: "financial year (April to March)",
}


@dataclass(frozen=True)
class Period:
    """A calendar or financial year: the period councils' papers compare a year's
    inspections in."""

    start: date
    end: date
    basis: str

    @property
    def label(self) -> str:
        """ "2016", or "2016-17" for the financial year April 2016 to March 2017."""
        if self.basis == FINANCIAL:
            return f"{self.start.year}-{self.end.year % 100:02d}"
        return str(self.start.year)

    def words(self, as_at: date) -> str:
        """ "in 2016", "in 2016 so far" (while it runs on as_at), "in the financial year
        2016-17"."""
        name = self.label if self.basis == CALENDAR else f"the financial year {self.label}"
        return f"in {name}" + (" so far" if self.start <= as_at < self.end else "")


def year_of(day: date, basis: str = CALENDAR) -> Period:
    """The calendar or financial year a day falls in."""
    if basis not in YEAR_BASES:
        raise InvalidInput(not_one_of(basis, "a kind of year", YEAR_BASES))
    if basis == CALENDAR:
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), basis)
    first = day.year if day.month >= 4 else day.year - 1
    return Period(date(first, 4, 1), date(first + 1, 3, 31), basis)


def published_in(
    facts: Sequence[Facts], registry: CouncilRegistry, period: Period, as_at: date
) -> list[Facts]:
    """The graded inspections published in `period` and by `as_at` (never one published
    later, or whose publication date is unknown), each council once by its latest, of
    councils existing when it was published; by publication date, then council. A brief's
    same-year table and its "equalled or bettered" sentence are made from these rows."""
    latest: dict[str, Facts] = {}
    for f in sorted(facts, key=lambda f: (f.published or f.start, *_order(f))):
        if f.is_lscb_only or f.published is None:
            continue
        if not (period.start <= f.published <= min(period.end, as_at)):
            continue
        council = registry.by_urn(f.council_urn)
        if council is None or not council.exists_on(f.published):
            continue
        latest[council.urn] = f
    out = list(latest.values())
    out.sort(key=lambda f: (f.published, _council_name(registry, f)))
    return out


def _council_name(registry: CouncilRegistry, f: Facts) -> str:
    council = registry.by_urn(f.council_urn)
    return council.name if council else f.council_urn


def equalled_or_bettered(
    peers: Sequence[Facts], council: Council, judgement: str, grade: Grade
) -> tuple[list[Facts], list[Facts]]:
    """Of `peers` (published_in's rows), those graded on `judgement` other than `council`,
    and of those the ones graded `grade` or better."""
    mine = {council.urn, *council.alt_urns}
    judged = [f for f in peers if f.council_urn not in mine and judgement in f.grades]
    return judged, [f for f in judged if f.grades[judgement].rank <= grade.rank]


# -- council profile --

IMPROVED, DECLINED, SAME = "improved", "declined", "same"


def change(previous: Grade | None, latest: Grade | None) -> str | None:
    """improved / declined / same between two grades (None if either is missing)."""
    if previous is None or latest is None:
        return None
    if latest.rank < previous.rank:
        return IMPROVED
    if latest.rank > previous.rank:
        return DECLINED
    return SAME


@dataclass
class Profile:
    council: Council
    as_at: date
    history: list[Facts]  # graded inspections, oldest first (standalone LSCB reviews too)
    changes: dict[str, str | None]  # judgement -> improved/declined/same since the previous
    days_since_last: int | None
    neighbours: list[Position]
    region_picture: Picture
    statements: list[str]
    year_basis: str = CALENDAR  # the year its "published in the same year" statement means

    @property
    def latest(self) -> Facts | None:
        graded = [f for f in self.history if not f.is_lscb_only]
        return graded[-1] if graded else None

    @property
    def previous(self) -> Facts | None:
        graded = [f for f in self.history if not f.is_lscb_only]
        return graded[-2] if len(graded) > 1 else None


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _grade_words(grade: Grade) -> str:
    return grade.label[0].lower() + grade.label[1:]


def council_profile(
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    council: Council,
    as_at: date,
    year_basis: str = CALENDAR,
) -> Profile:
    """A council's inspections, changes, neighbours, region and position statements (the
    year it compares inspections published in: a calendar or financial year)."""
    urns = {council.urn, *council.alt_urns}
    history = sorted((f for f in facts if f.council_urn in urns and f.start <= as_at), key=_order)
    graded = [f for f in history if not f.is_lscb_only]
    latest = graded[-1] if graded else None
    previous = graded[-2] if len(graded) > 1 else None
    changes = {
        j: change(
            previous.grades.get(j) if previous else None, latest.grades.get(j) if latest else None
        )
        for j in JUDGEMENTS
    }
    last_day = (latest.end or latest.start) if latest else None
    days = (as_at - last_day).days if last_day else None
    neighbour_councils = list(registry.neighbours_of(council))
    neighbours = positions(facts, registry, as_at, councils=neighbour_councils)
    region_picture = national_picture(facts, registry, as_at, region=council.ons_region)
    if year_basis not in YEAR_BASES:
        raise InvalidInput(not_one_of(year_basis, "a kind of year", YEAR_BASES))
    profile = Profile(
        council, as_at, history, changes, days, neighbours, region_picture, [], year_basis
    )
    profile.statements = _statements(profile, facts, registry)
    return profile


def headline_judgement(f: Facts) -> tuple[str, Grade | None]:
    """The judgement that sums up an inspection, and its grade: overall effectiveness, or
    (April 2026 reform, no overall effectiveness) the impact of leaders."""
    if Area.OVERALL.value in f.grades:
        return Area.OVERALL.value, f.grades[Area.OVERALL.value]
    return Area.LEADERSHIP.value, f.grades.get(Area.LEADERSHIP.value)


def headline_words(judgement: str) -> str:
    """The headline judgement's name in a sentence: "overall effectiveness", or "the impact
    of leaders" (April 2026 reform)."""
    return "overall effectiveness" if judgement == Area.OVERALL.value else "the impact of leaders"


def council_judgement(name: str, judgement: str) -> str:
    """ "Hackney's overall effectiveness"; "the impact of leaders in Hackney"."""
    if judgement == Area.OVERALL.value:
        return f"{possessive(name)} overall effectiveness"
    return f"{headline_words(judgement)} in {name}"


def headline(name: str, latest: Facts, previous: Facts | None) -> list[str]:
    """An inspection's outcome in words, and its change since the previous inspection."""
    judgement, grade = headline_judgement(latest)
    if grade is None:
        return []
    said = council_judgement(name, judgement)
    out = [
        f"{said[0].upper()}{said[1:]} was judged {_grade_words(grade)} at its "
        f"{latest.framework.value.upper()} inspection of {latest.start:%B %Y}."
    ]
    was = previous.grades.get(judgement) if previous else None
    ch = change(was, grade)
    if previous is not None and was is not None and ch is not None:
        word = {IMPROVED: "up from", DECLINED: "down from", SAME: "the same as"}[ch]
        out.append(
            f"That is {word} {_grade_words(was)} at the previous inspection "
            f"({previous.start:%B %Y})."
        )
    return out


def year_statement(
    registry: CouncilRegistry,
    council: Council,
    peers: Sequence[Facts],
    period: Period,
    as_at: date,
    judgement: str,
    grade: Grade,
) -> str | None:
    """How the council's grade compares with the other councils' inspections published in
    the period (`peers`: published_in's rows, the same rows a same-year table shows)."""
    judged, better = equalled_or_bettered(peers, council, judgement, grade)
    if not judged:
        return None
    n = len(judged)
    what = headline_words(judgement)
    theirs = council_judgement(council.name, judgement)
    if n == 1:
        other = _council_name(registry, judged[0])
        head = f"The one other council with an inspection published {period.words(as_at)}, {other},"
        if grade is Grade.INADEQUATE:
            return f"{head} {'also had' if better else 'did not have'} {what} judged inadequate."
        return f"{head} {'has' if better else 'has not'} equalled or bettered {theirs}."
    head = (
        f"Of the {n} other council{'' if n == 1 else 's'} with "
        f"{'an inspection' if n == 1 else 'inspections'} published {period.words(as_at)}"
    )
    if grade is Grade.INADEQUATE:
        also = len(better)
        return (
            f"{head}, {also} also had {what} judged inadequate."
            if also
            else f"{head}, none other had {what} judged inadequate."
        )
    if not better:
        return f"{head}, none has equalled or bettered {theirs}."
    if len(better) <= 5:
        names = _names(sorted(_council_name(registry, f) for f in better))
        only = "only " if len(better) < n else ""
        verb = "has" if len(better) == 1 else "have"
        return f"{head}, {only}{names} {verb} equalled or bettered {theirs}."
    return f"{head}, {len(better)} have equalled or bettered {theirs}."


def _year_statement(
    p: Profile,
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    judgement: str,
    grade: Grade,
) -> list[str]:
    latest = p.latest
    if latest is None or latest.published is None or latest.published > p.as_at:
        return []
    period = year_of(latest.published, p.year_basis)
    peers = published_in(facts, registry, period, p.as_at)
    said = year_statement(registry, p.council, peers, period, p.as_at, judgement, grade)
    return [said] if said else []


def _statements(p: Profile, facts: Sequence[Facts], registry: CouncilRegistry) -> list[str]:
    name = p.council.name
    latest = p.latest
    if latest is None:
        return [f"{name} has no graded inspection on record by {p.as_at:%-d %B %Y}."]
    out: list[str] = []
    judgement, overall = headline_judgement(latest)
    what = headline_words(judgement)
    if overall is not None:
        out += headline(name, latest, p.previous)
        out += _year_statement(p, facts, registry, judgement, overall)
        graded_neighbours = [q for q in p.neighbours if q.grade(judgement) is not None]
        if graded_neighbours:
            at_least = [q for q in graded_neighbours if q.grade(judgement).rank <= Grade.GOOD.rank]  # type: ignore[union-attr]
            out.append(
                f"{len(at_least)} of its {len(graded_neighbours)} inspected statistical neighbours "
                f"are good or better for {what}."
            )
    if p.days_since_last is not None and p.latest is not None:
        months = p.days_since_last * 12 // 365
        # official statistics give only the publication date: say which day is counted
        ended = "ended" if p.latest.end else "started" if p.latest.start_known else "was published"
        out.append(f"Its last inspection {ended} {months} months before {p.as_at:%-d %B %Y}.")
    return out


# -- trajectories --


def council_series(facts: Sequence[Facts], registry: CouncilRegistry) -> dict[str, list[Facts]]:
    """Each council's graded inspections (not standalone LSCB reviews), oldest first, by the
    URN of the council (an earlier URN's inspections are its council's)."""
    out: dict[str, list[Facts]] = defaultdict(list)
    for f in facts:
        council = registry.by_urn(f.council_urn)
        if council is not None and not f.is_lscb_only:
            out[council.urn].append(f)
    for items in out.values():
        items.sort(key=_order)
    return out


def transitions(
    facts: Sequence[Facts], registry: CouncilRegistry, judgement: str = Area.OVERALL.value
) -> list[dict[str, object]]:
    """From each council's grade at one inspection to its grade at the next that judges it:
    one row a previous grade, a column a next grade (counts)."""
    counts: Counter[tuple[Grade, Grade]] = Counter()
    for items in council_series(facts, registry).values():
        judged = [f.grades[judgement] for f in items if judgement in f.grades]
        for a, b in itertools.pairwise(judged):
            counts[(a, b)] += 1
    used = [g for g in GRADE_ORDER if any(g in pair for pair in counts)] or [
        g for g in GRADE_ORDER if g is not Grade.ADEQUATE
    ]
    rows: list[dict[str, object]] = []
    for a in used:
        row: dict[str, object] = {"judgement": judgement, "previous": a.value}
        for b in used:
            row[b.value] = counts[(a, b)]
        row["total"] = sum(counts[(a, b)] for b in used)
        rows.append(row)
    return rows


def quarterly_series(
    facts: Sequence[Facts],
    registry: CouncilRegistry,
    start: date,
    end: date,
    judgement: str = Area.OVERALL.value,
) -> list[dict[str, object]]:
    """The national distribution at the end of each quarter from `start` to `end`."""
    rows: list[dict[str, object]] = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while True:
        month = quarter * 3
        last = date(year + (month == 12), 1 if month == 12 else month + 1, 1)
        day = date.fromordinal(last.toordinal() - 1)
        if day > end:
            break
        p = national_picture(facts, registry, day)
        row: dict[str, object] = {"quarter_end": day}
        for r in p.rows:
            if r.judgement == judgement:
                row[r.grade] = r.count
                if r.percent is not None:
                    row[f"{r.grade}_percent"] = r.percent
        row["total"] = p.total(judgement)
        rows.append(row)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return rows


def gaps(
    facts: Sequence[Facts], registry: CouncilRegistry, judgement: str = Area.OVERALL.value
) -> list[dict[str, object]]:
    """Months between a council's graded inspections, by the grade of the earlier one."""
    by_grade: dict[Grade, list[float]] = defaultdict(list)
    for items in council_series(facts, registry).values():
        for a, b in itertools.pairwise(items):
            g = a.grades.get(judgement)
            if g is not None:
                by_grade[g].append((b.start - a.start).days / 30.44)
    rows: list[dict[str, object]] = []
    for g in GRADE_ORDER:
        months = sorted(by_grade.get(g, []))
        if not months:
            continue
        n = len(months)
        median = months[n // 2] if n % 2 else (months[n // 2 - 1] + months[n // 2]) / 2
        rows.append(
            {
                "previous_grade": g.value,
                "gaps": n,
                "median_months": round(median, 1),
                "shortest_months": round(months[0], 1),
                "longest_months": round(months[-1], 1),
            }
        )
    return rows
