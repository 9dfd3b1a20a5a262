"""What a member brief says, as a renderer-neutral document: sections of paragraphs, lists,
tables and charts. The Word, HTML and PDF briefs are drawn from one `Brief`.

Every figure comes from the functions the CLI and the web app use (ofsted_csc.analytics.benchmarking
over a snapshot of the store, ofsted_csc.analytics.snapshot; the rows of ofsted_csc.reports.rows;
the plan selectors): this module picks and words them, it does no arithmetic of its own.

Dates: the brief is "as at" a date (today unless given). The national picture for the
inspection's framework is as at the report's publication date (what a report to cabinet
after the inspection quotes); the regional position, the statistical neighbours, the
councils inspected the same year and the plan are as at the brief's date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ofsted_csc import __version__
from ofsted_csc.analytics import benchmarking, forecast
from ofsted_csc.analytics.snapshot import Snapshot
from ofsted_csc.domain import findings_words
from ofsted_csc.domain.councils import Council, CouncilRegistry, load_registry
from ofsted_csc.domain.errors import InvalidInput, NotFound, PermissionDenied
from ofsted_csc.domain.findings_words import Leaning
from ofsted_csc.domain.frameworks import (
    EXPORTED_AREAS,
    FRAMEWORK_LABELS,
    ILACS_NO_OVERALL_FROM,
    JUDGEMENT_LABELS,
    KIND_LABELS,
    Area,
    Framework,
)
from ofsted_csc.domain.grades import GRADE_ORDER, SCALE_SINCE_2013, Grade
from ofsted_csc.domain.publications import OFSTED
from ofsted_csc.domain.records import (
    OVERVIEW,
    InspectionRecord,
    JudgementStatus,
    LetterRecord,
    Passage,
    PassageKind,
)
from ofsted_csc.domain.shares import count_share
from ofsted_csc.domain.wording import possessive
from ofsted_csc.plans.common import User
from ofsted_csc.plans.rules import NO_OVERDUE
from ofsted_csc.reports import rows
from ofsted_csc.storage.store import Store, StoredResult

# -- the document model --


@dataclass(frozen=True)
class Para:
    text: str
    style: str = "body"  # body, quote, small, lead


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False
    start: int = 1  # the first item's number, when numbered


@dataclass(frozen=True)
class Table:
    key: str  # a stable name, for tests and styling
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str
    alt: str
    png: bytes
    # the same chart drawn again as SVG, when asked for (the web app's chart files)
    svg: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)
    as_at: date | None = None  # the date its figures stand at, if not the brief's


Block = Para | Bullets | Table | Chart


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 1


@dataclass
class Brief:
    title: str
    subtitle: str
    council: Council
    as_at: date
    inspection: StoredResult
    sections: list[Section]

    @property
    def is_visit(self) -> bool:
        """A visit letter's brief (reports.briefs.visit), not an inspection's."""
        return isinstance(self.inspection.result.record, LetterRecord)

    @property
    def started(self) -> date | None:
        """The first day of the inspection or visit."""
        r = self.inspection.result.record
        return r.visit_start if isinstance(r, LetterRecord) else r.inspection_start

    def tables(self) -> dict[str, Table]:
        return {b.key: b for s in self.sections for b in s.blocks if isinstance(b, Table)}


# -- shared wording --

PICTURE_GRADES = SCALE_SINCE_2013  # the grades of the national picture, best first
NEIGHBOUR_JUDGEMENTS = (
    Area.OVERALL,
    Area.LEADERSHIP,
    Area.HELP_AND_PROTECTION,
    Area.IN_CARE,
    Area.CARE_LEAVERS,
)
CHANGE_WORDS = {
    benchmarking.IMPROVED: "Improved",
    benchmarking.DECLINED: "Declined",
    benchmarking.SAME: "Same",
}


def day(d: date | None) -> str:
    return f"{d:%-d %B %Y}" if d else "not known"


def grade_text(g: Grade | None, short: bool = False) -> str:
    if g is None:
        return "–"
    return g.short_label if short else g.label


def percent_text(p: float | None) -> str:
    return "–" if p is None else f"{p:.1f}%"


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]


# -- choosing the inspection --


def council_inspections(store: Store, council: Council) -> list[StoredResult]:
    """The council's stored inspection reports (under any of its URNs), oldest first, with
    the report's passages."""
    mine = [
        item
        for urn in sorted({council.urn, *council.alt_urns})
        for item in store.inspections(council_urn=urn, passages=True)
    ]
    mine.sort(key=lambda i: _record(i).inspection_start or date.min)
    return mine


def council_letters(store: Store, council: Council) -> list[StoredResult]:
    """The council's stored visit letters (under any of its URNs), oldest visit first."""
    mine = [
        item
        for urn in sorted({council.urn, *council.alt_urns})
        for item in store.letters(council_urn=urn)
    ]
    mine.sort(key=lambda i: _visit_day(_letter(i)) or date.min)
    return mine


def _visit_day(letter: LetterRecord) -> date | None:
    return letter.visit_start or letter.letter_date


def choose_inspection(
    store: Store, council: Council, which: str | None, as_at: date
) -> StoredResult:
    """The council's graded inspection or visit letter named by a date (any day of the
    inspection or visit, the report's publication or the letter's date) or a sha256 / file
    name; by default its latest inspection by `as_at`. A date that a visit ran on is taken
    before one that a report was published on."""
    urns = {council.urn, *council.alt_urns}
    mine = council_inspections(store, council)
    if which is None:
        if not mine:
            raise NotFound(
                f"{council.name}: no inspection report of this council is held yet, and a "
                "brief quotes the report. Ofsted's official statistics give its grades and "
                "dates only: add the report with `ofsted-csc sync` (from Ofsted's website) or "
                "`ofsted-csc ingest FOLDER` (PDFs you have), or upload it."
            )
        graded = [
            i
            for i in mine
            if _record(i).inspection_start and _record(i).inspection_start <= as_at  # type: ignore[operator]
        ]
        if not graded:
            raise NotFound(f"{council.name}: no inspection had started by {day(as_at)}")
        return graded[-1]
    text = which.strip()
    try:
        wanted: date | None = date.fromisoformat(text)
    except ValueError:
        wanted = None
    if wanted is not None:
        letters = council_letters(store, council)
        ran: list[StoredResult] = []
        published: list[StoredResult] = []
        for item in mine:
            r = _record(item)
            start, end = r.inspection_start, r.inspection_end or r.inspection_start
            if start and end and start <= wanted <= end:
                ran.append(item)
            elif r.published == wanted:
                published.append(item)
        for item in letters:
            v = _letter(item)
            start, end = v.visit_start, v.visit_end or v.visit_start
            if start and end and start <= wanted <= end:
                ran.append(item)
            elif v.letter_date == wanted:
                published.append(item)
        if ran or published:
            return (ran or published)[0]
        held = []
        if mine:
            held.append(
                "its inspections started "
                + ", ".join(f"{_record(i).inspection_start} ({_record(i).framework})" for i in mine)
            )
        if letters:
            held.append(
                "its visits began "
                + ", ".join(
                    f"{_visit_day(_letter(i))} ({KIND_LABELS[k].lower() if (k := _letter(i).kind) else 'visit'})"
                    for i in letters
                )
            )
        raise NotFound(
            f"{council.name}: no inspection report or visit letter of {council.name} ran on or "
            f"was published on {wanted}"
            + (f"; {'; '.join(held)}" if held else "; none of its reports or letters is held")
        )
    found = store.find(text)
    rec = found.result.record
    if found.outcome == "review":
        raise InvalidInput(
            f"{text}: kept for review ({'; '.join(found.result.review_reasons)}), not taken in "
            "as an inspection report or visit letter; correct it and ingest it again"
        )
    if rec.council_urn not in urns:
        other = load_registry().by_urn(rec.council_urn) if rec.council_urn else None
        what = "a visit letter" if isinstance(rec, LetterRecord) else "an inspection report"
        whose = f" of {other.name}" if other else ""
        raise InvalidInput(
            f"{text}: {what}{whose}, not an inspection report or visit letter of {council.name}"
        )
    if isinstance(rec, LetterRecord):
        return found
    return next(i for i in mine if i.result.source.sha256 == found.result.source.sha256)


def _letter(item: StoredResult) -> LetterRecord:
    r = item.result.record
    assert isinstance(r, LetterRecord)
    return r


def _record(item: StoredResult) -> InspectionRecord:
    r = item.result.record
    assert isinstance(r, InspectionRecord)
    return r


# -- building the brief --


def build_brief(
    store: Store,
    council_name_or_code: str,
    inspection: str | None = None,
    as_at: date | None = None,
    include_plan: bool = True,
    snapshot: Snapshot | None = None,
    year_basis: str = benchmarking.CALENDAR,
    plan_reader: User | None = None,
) -> Brief:
    """The member brief for a council's inspection (see the module's notes on dates), or for
    a visit letter when `inspection` names one (reports.briefs.visit). The figures are made
    from `snapshot` (a snapshot of `store`), else from a fresh one; the councils "inspected
    the same year" are those with inspections published in the same calendar or financial
    year (`year_basis`) as this report."""
    from ofsted_csc.reports.briefs import charts

    as_at = as_at or date.today()
    registry = load_registry()
    council = registry.lookup(council_name_or_code)
    item = choose_inspection(store, council, inspection, as_at)
    if isinstance(item.result.record, LetterRecord):
        from ofsted_csc.reports.briefs.visit import build_visit_brief

        return build_visit_brief(
            store, council, item, as_at, include_plan, snapshot, registry, plan_reader
        )
    record = _record(item)
    snap = snapshot or Snapshot.build(store, registry)
    # the publication date the benchmarks count: Ofsted's official one where given
    counted = snap.dated_facts_of(item.result.source.sha256)
    published_on = counted.published if counted is not None else record.published
    published = published_on or record.inspection_end or record.inspection_start
    assert published is not None and record.framework and record.kind and record.edition
    if published > as_at:
        raise InvalidInput(
            f"the brief's date ({as_at}) is before the report was published ({published})"
        )
    facts = list(snap.facts)
    profile = benchmarking.council_profile(facts, registry, council, as_at, year_basis)
    mine = [f for f in profile.history if not f.is_lscb_only]
    this = next((f for f in mine if f.source == item.result.source.file_name), None)
    before = [f for f in mine if this is not None and f.start < this.start]
    previous = before[-1] if before else None

    fw = FRAMEWORK_LABELS[record.framework]
    kind = KIND_LABELS[record.kind]
    title = f"{council.name}: Ofsted inspection of children's services"
    subtitle = (
        f"{fw}, {_lower(kind)}, {day(record.inspection_start)} to "
        f"{day(record.inspection_end)}; report published {day(published_on)}. "
        f"Briefing as at {day(as_at)}."
    )
    sections: list[Section] = []
    sections.append(_summary(council, record, this, previous, profile, as_at, published_on))
    sections.append(_judgements(record, this, previous))
    sections.append(_words(record))
    sections.append(_recommendations(record))

    round_ = record.framework.value if record.framework.value in benchmarking.ROUND_KINDS else None
    picture = benchmarking.national_picture(facts, registry, published, published, round=round_)
    areas = [a for a in record.edition.areas if a.value in benchmarking.JUDGEMENTS]
    sections.append(_national(picture, areas, record, published, round_ is not None))
    sections[-1].blocks.append(charts.picture_chart(picture, areas, published, fw))

    national_now = benchmarking.national_picture(facts, registry, as_at)
    regions = benchmarking.regions_table(facts, registry, as_at)
    sections.append(_region(council, profile, regions, national_now, as_at))
    sections.append(_neighbours(profile, as_at))
    period = benchmarking.year_of(published, year_basis)
    peers = benchmarking.published_in(facts, registry, period, as_at)
    sections.append(_same_year(peers, period, council, this, as_at, registry))
    ahead = next_inspection(snap, council, as_at)
    if ahead is not None:
        sections.append(ahead)
    if len(mine) > 1:
        sections[1].blocks.append(charts.history_chart(mine, council.name))
    if include_plan:
        plan_section = _plan(store, council, item, as_at, plan_reader)
        if plan_section is not None:
            sections.append(plan_section)
    sections.append(_sources(item, profile, facts, as_at, published))
    sections[0].blocks.append(Para(ofsted_link(snap, item, council, "report"), "small"))
    return Brief(title, subtitle, council, as_at, item, sections)


def ofsted_link(snap: Snapshot, item: StoredResult, council: Council, what: str) -> str:
    """Where to read the report or letter on Ofsted's website: the listing's address where a
    sync has seen it, else the council's page of reports."""
    listed = snap.listing(item.result.source.sha256)
    if listed is not None:
        return f"The {what} on Ofsted's website ({listed.label}, published {day(listed.published)}): {listed.url}"
    return (
        f"{possessive(council.name)} reports and letters on Ofsted's website: "
        f"{OFSTED.provider_url(council.urn)}"
    )


def _summary(
    council: Council,
    record: InspectionRecord,
    this: benchmarking.Facts | None,
    previous: benchmarking.Facts | None,
    profile: benchmarking.Profile,
    as_at: date,
    published: date | None,
) -> Section:
    s = Section("Summary")
    fw = FRAMEWORK_LABELS[record.framework] if record.framework else ""
    lead = f" The lead inspector was {record.lead_inspector}." if record.lead_inspector else ""
    s.blocks.append(
        Para(
            f"Ofsted inspected {possessive(council.name)} children's services under the {fw} "
            f"from {day(record.inspection_start)} to {day(record.inspection_end)}, and "
            f"published its report on {day(published)}.{lead}",
            "lead",
        )
    )
    latest = profile.latest
    is_latest = latest is not None and this is not None and latest.source == this.source
    if this is not None and not is_latest:
        s.blocks.append(Para(" ".join(benchmarking.headline(council.name, this, previous))))
    n_recs = len(record.recommendations)
    if n_recs:
        s.blocks.append(
            Para(
                f"The report makes {n_recs} recommendation{'s' if n_recs != 1 else ''}, "
                "listed below; the national and regional picture, the statistical neighbours "
                "and the councils inspected the same year follow."
            )
        )
    if is_latest:
        s.blocks.append(Bullets(tuple(profile.statements)))
    elif latest is not None:
        s.blocks.append(
            Para(
                f"This is not {possessive(council.name)} latest inspection as at {day(as_at)}: that "
                f"began on {day(latest.start)} ({FRAMEWORK_LABELS[latest.framework]}).",
                "small",
            )
        )
    return s


def _judgements(
    record: InspectionRecord,
    this: benchmarking.Facts | None,
    previous: benchmarking.Facts | None,
) -> Section:
    s = Section("Judgements")
    rows = []
    assert record.edition is not None
    for area in _areas(record):
        j = record.judgements.get(area)
        now = j.grade if j else None
        was = previous.grades.get(area.value) if previous else None
        ch = benchmarking.change(was, now)
        rows.append(
            (
                _area_label(record, area),
                grade_text(now),
                grade_text(was),
                CHANGE_WORDS.get(ch or "", "–"),
            )
        )
    prev_label = (
        f"Previous ({FRAMEWORK_LABELS[previous.framework]}, {previous.start:%B %Y})"
        if previous
        else "Previous"
    )
    s.blocks.append(
        Table(
            "judgements",
            "Judgements at this inspection and the previous one",
            ("Judgement", "This inspection", prev_label, "Change"),
            tuple(rows),
            note=None if previous else "No earlier graded inspection of this council is held.",
        )
    )
    return s


def _areas(record: InspectionRecord) -> list[Area]:
    """The judgements this report makes (a SIF report without the LSCB review has none)."""
    assert record.edition is not None
    return [
        a
        for a in record.edition.areas
        if (j := record.judgements.get(a)) is not None
        and j.status is not JudgementStatus.NOT_IN_FRAMEWORK
    ]


def _area_label(record: InspectionRecord, area: Area) -> str:
    if record.edition is not None:
        for w in record.edition.wording:
            if w.area is area:
                return w.label
    return JUDGEMENT_LABELS.get(area, area.value)


KIND_NOTES = {
    PassageKind.SUMMARY: "the report's summary",
    PassageKind.OPENING: "the first paragraph of the report's section",
    PassageKind.FINDINGS: "the report's summary of findings",
    PassageKind.SECTION: "the report's section",
}


# How many sentences a brief quotes for each side of a judgement, at most.
SIDE_CAP = 6
STRENGTHS = "Strengths"
TO_IMPROVE = "What still needs to improve"


@dataclass(frozen=True)
class Quote:
    """One sentence of a report's or letter's section, with the pages it is on."""

    text: str
    first_page: int
    last_page: int

    @property
    def pages(self) -> str:
        if self.first_page == self.last_page:
            return f"page {self.first_page}"
        return f"pages {self.first_page}-{self.last_page}"

    @property
    def cited(self) -> str:
        return f"“{self.text}” ({self.pages})"


def sorted_quotes(passage: Passage) -> dict[Leaning, list[Quote]]:
    """The sentences of a section, sorted by Ofsted's wording (domain.findings_words), in
    the report's order, each with its pages."""
    out: dict[Leaning, list[Quote]] = {k: [] for k in Leaning}
    seen: set[str] = set()
    for n, para in enumerate(passage.paragraphs):
        for a, b in findings_words.sentences(para):
            text = findings_words.without_tag(para[a:b])
            if len(text) < 25 or text in seen:
                continue
            seen.add(text)
            first, last = passage.pages_of(n, a, b)
            out[findings_words.leaning(text)].append(Quote(text, first, last))
    return out


def side_blocks(heading: str, quotes: list[Quote], cap: int = SIDE_CAP) -> list[Block]:
    """A side's quotes, at most `cap`, and a line saying how many more the text has."""
    if not quotes:
        return []
    blocks: list[Block] = [Para(heading, "lead"), Bullets(tuple(q.cited for q in quotes[:cap]))]
    if len(quotes) > cap:
        more = len(quotes) - cap
        blocks.append(
            Para(
                f"The report has {more} more sentence{'s' if more != 1 else ''} of this kind "
                "in this section.",
                "small",
            )
        )
    return blocks


def _sides(section: Passage) -> list[Block]:
    quotes = sorted_quotes(section)
    return side_blocks(STRENGTHS, quotes[Leaning.STRENGTH]) + side_blocks(
        TO_IMPROVE, quotes[Leaning.TO_IMPROVE] + quotes[Leaning.MIXED]
    )


def _words(record: InspectionRecord) -> Section:
    s = Section("What the report says")
    s.blocks.append(
        Para(
            "Ofsted's own words for each judgement, quoted from the report "
            "(page numbers are the report's).",
            "small",
        )
    )
    if record.sections:
        s.blocks.append(
            Para(
                f"Under each judgement, “{STRENGTHS}” and “{TO_IMPROVE}” quote sentences of "
                "the report's section on it, sorted by Ofsted's own wording (“effective”, "
                "“timely” against “not always”, “too”, “inconsistent”); a sentence saying both "
                f"is under “{TO_IMPROVE}”. At most {SIDE_CAP} of each are quoted.",
                "small",
            )
        )
    overview = record.passages.get(OVERVIEW)
    if overview is not None:
        s.blocks.append(
            Para(f"In summary ({KIND_NOTES[overview.kind]}, page {overview.page})", "h3")
        )
        s.blocks.extend(Para(p, "quote") for p in overview.paragraphs)
    for area in _areas(record):
        p = record.passages.get(area.value)
        section = record.sections.get(area.value)
        grade = record.grade(area)
        label = f"{_area_label(record, area)}: {grade_text(grade)}"
        if p is None:
            if area is Area.OVERALL or grade is None:
                continue
            s.blocks.append(Para(label, "h3"))
            s.blocks.append(
                Para("The report's words for this judgement could not be read.", "small")
            )
            if section is not None:
                s.blocks.extend(_sides(section))
            continue
        s.blocks.append(Para(f"{label} ({KIND_NOTES[p.kind]}, page {p.page})", "h3"))
        s.blocks.extend(Para(x, "quote") for x in p.paragraphs)
        if section is not None:
            s.blocks.extend(_sides(section))
    return s


def _recommendations(record: InspectionRecord) -> Section:
    s = Section("Recommendations")
    if not record.recommendations:
        s.blocks.append(Para("The report makes no recommendations that could be read."))
        return s
    groups: dict[str, list[tuple[int, str]]] = {}
    for r in record.recommendations:
        head = "For the Local Safeguarding Children Board" if r.scope.value == "lscb" else ""
        if r.priority is not None:
            head = (head + " – " if head else "") + r.priority.value.replace("_", " ").capitalize()
        if r.timescale:
            head = (head + " – " if head else "") + r.timescale
        groups.setdefault(head, []).append((r.position, r.text))
    for head, items in groups.items():
        if head:
            s.blocks.append(Para(head, "h3"))
        s.blocks.append(Bullets(tuple(t for _, t in items), numbered=True, start=items[0][0]))
    return s


def _national(
    picture: benchmarking.Picture,
    areas: list[Area],
    record: InspectionRecord,
    published: date,
    is_round: bool,
) -> Section:
    fw = FRAMEWORK_LABELS[record.framework] if record.framework else ""
    s = Section(f"National picture: {fw} outcomes as at {day(published)}")
    if is_round:
        n, again = picture.inspections, picture.inspections - picture.inspected
        s.blocks.append(
            Para(
                f"By {day(published)}, the day this report was published, Ofsted had "
                f"published {n} inspection{'s' if n != 1 else ''} of {picture.inspected} "
                f"council{'s' if picture.inspected != 1 else ''} under the {fw}"
                + (
                    f", {again} of them {'a re-inspection' if again == 1 else 're-inspections'}"
                    if again
                    else ""
                )
                + ". The table counts every inspection, as Ofsted's own tables do."
            )
        )
    else:
        s.blocks.append(
            Para(
                f"Councils by the grade of their latest inspection published by {day(published)} "
                f"({picture.inspected} of {picture.councils} councils inspected)."
            )
        )
    counted = _by_grade(picture)
    grades = picture_grades(picture)
    rows = []
    for area in areas:
        total = picture.total(area.value)
        if not total:
            continue
        cells: list[str] = [JUDGEMENT_LABELS[area]]
        for g in grades:
            cells.append(_count_text(counted.get((area.value, g.value))))
        cells.append(str(total))
        rows.append(tuple(cells))
    unit = "inspections" if picture.counting == benchmarking.INSPECTIONS else "councils"
    s.blocks.append(
        Table(
            "national",
            f"{fw}: {unit} by grade, as at {day(published)}",
            ("Judgement", *(g.label for g in grades), f"{unit.capitalize()} judged"),
            tuple(rows),
            note=_older_grades_note(grades),
        )
    )
    return s


def picture_grades(*pictures: benchmarking.Picture) -> list[Grade]:
    """The grades a table of these pictures shows, best first: the scale since 2013, and
    "adequate" (the grade of inspections before 2013) where any council still holds it, so
    that no council drops out of a table and its percentages add up."""
    held = {
        r.grade for p in pictures for r in p.rows if r.grade == Grade.ADEQUATE.value and r.count
    }
    return [g for g in GRADE_ORDER if g in PICTURE_GRADES or g.value in held]


def _older_grades_note(grades: list[Grade]) -> str | None:
    if Grade.ADEQUATE not in grades:
        return None
    return (
        "Adequate is a grade of the inspections before 2013 (2009-2013 framework): councils "
        "not inspected since keep it."
    )


def _region(
    council: Council,
    profile: benchmarking.Profile,
    regions: list[dict[str, object]],
    national_now: benchmarking.Picture,
    as_at: date,
) -> Section:
    region = council.ons_region
    s = Section(f"Regional position: {region}")
    row = next((r for r in regions if r["region"] == region), None)
    own = profile.latest.grades.get(Area.OVERALL.value) if profile.latest else None
    if row is not None:
        words = (
            f"As at {day(as_at)}, of the {row['total']} "
            f"council{'s' if row['total'] != 1 else ''} in {region} with an overall "
            f"effectiveness grade, {row.get(Grade.OUTSTANDING.value, 0)} are outstanding and "
            f"{row.get(Grade.GOOD.value, 0)} good: "
            f"{percent_text(row['percent_good_or_better'])} good or better."  # type: ignore[arg-type]
        )
        if own is not None:
            words += f" {council.name} is {_lower(own.label)}."
        s.blocks.append(Para(words))
    in_region, in_england = _by_grade(profile.region_picture), _by_grade(national_now)
    grades = picture_grades(profile.region_picture, national_now)
    rows = []
    for g in grades:
        key = (Area.OVERALL.value, g.value)
        rows.append((g.label, _count_text(in_region.get(key)), _count_text(in_england.get(key))))
    rows.append(
        (
            "Councils graded",
            str(profile.region_picture.total(Area.OVERALL.value)),
            str(national_now.total(Area.OVERALL.value)),
        )
    )
    notes = ["Each council counted by its latest graded inspection."]
    if as_at >= ILACS_NO_OVERALL_FROM:
        notes.append(
            f"Councils inspected since {ILACS_NO_OVERALL_FROM:%B %Y} have no overall "
            "effectiveness grade and are not counted here."
        )
    if (older := _older_grades_note(grades)) is not None:
        notes.append(older)
    s.blocks.append(
        Table(
            "region",
            f"Overall effectiveness: {region} and England, as at {day(as_at)}",
            ("Grade", region, "England"),
            tuple(rows),
            note=" ".join(notes),
        )
    )
    return s


def _by_grade(picture: benchmarking.Picture) -> dict[tuple[str, str], dict[str, object]]:
    """A picture's rows (reports.rows.picture_rows) by judgement and grade."""
    return {(str(r["judgement"]), str(r["grade"])): r for r in rows.picture_rows(picture)}


def _count_text(row: dict[str, object] | None) -> str:
    """A count with its share of those judged: "12 (35.3%)", "2 (50.0% of 4)" when few are
    judged (domain.shares); "0" for none."""
    if row is None:
        return "0"
    if row["percent"] is None:
        return f"{row['count']} ({percent_text(None)})"
    return count_share(float(row["percent"]), int(row["count"]), int(row["total"]), places=1)  # type: ignore[call-overload, arg-type]


def _grade_value(value: object) -> Grade | None:
    return Grade(str(value)) if value else None


def _neighbours(profile: benchmarking.Profile, as_at: date) -> Section:
    s = Section("Statistical neighbours")
    rows_ = []
    for q in rows.neighbour_rows(profile.neighbours):
        start = q["latest_inspection"]
        latest = (
            f"{FRAMEWORK_LABELS[Framework(str(q['framework']))]}, {start:%B %Y}"
            if isinstance(start, date)
            else "none"
        )
        rows_.append(
            (
                str(q["neighbour"]),
                latest,
                *(grade_text(_grade_value(q[a.value]), short=True) for a in NEIGHBOUR_JUDGEMENTS),
            )
        )
    s.blocks.append(
        Table(
            "neighbours",
            f"{possessive(profile.council.name)} statistical neighbours: latest grades as at {day(as_at)}",
            ("Council", "Latest inspection", *(JUDGEMENT_LABELS[a] for a in NEIGHBOUR_JUDGEMENTS)),
            tuple(rows_),
        )
    )
    return s


# Grades as a wide table gives them: "RI" for requires improvement (said in its note).
TABLE_GRADES = {Grade.REQUIRES_IMPROVEMENT: "RI"}


def table_grade(g: Grade) -> str:
    return TABLE_GRADES.get(g, g.short_label)


# The judgements of the same-year table: the exported judgements, in their order.
SAME_YEAR_JUDGEMENTS = EXPORTED_AREAS


def _same_year(
    peers: list[benchmarking.Facts],
    period: benchmarking.Period,
    council: Council,
    this: benchmarking.Facts | None,
    as_at: date,
    registry: CouncilRegistry,
) -> Section:
    words = period.words(as_at)
    s = Section(f"Inspections published {words}")
    judgement, grade = benchmarking.headline_judgement(this) if this else ("", None)
    if this is not None and grade is not None and any(f is this for f in peers):
        said = benchmarking.year_statement(
            registry, council, peers, period, as_at, judgement, grade
        )
        if said:
            s.blocks.append(Para(said))
    shown = [a for a in SAME_YEAR_JUDGEMENTS if any(a.value in f.grades for f in peers)]
    out = []
    for r in rows.comparison_rows(peers, registry):
        out.append(
            (
                str(r["council"]),
                str(r["region"] or ""),
                FRAMEWORK_LABELS[Framework(str(r["framework"]))].split(" (")[0],
                f"{r['published']:%-d %b %Y}",
                *(table_grade(Grade(str(v))) if (v := r[a.value]) else "–" for a in shown),
            )
        )
    last = min(period.end, as_at)
    s.blocks.append(
        Table(
            "same_year",
            f"Graded inspections published {day(period.start)} to {day(last)}: "
            f"{len(out)} council{'s' if len(out) != 1 else ''}",
            (
                "Council",
                "Region",
                "Framework",
                "Published",
                *(JUDGEMENT_LABELS[a] for a in shown),
            ),
            tuple(out),
            note="Each council once, by its latest inspection published in the period. "
            "RI: requires improvement to be good; –: not judged, or a judgement its framework "
            "does not make.",
        )
    )
    return s


# overdue actions a brief lists by name (the longest overdue first); the rest are counted
MAX_BRIEF_OVERDUE = 30


def next_inspection(snap: Snapshot, council: Council, as_at: date) -> Section | None:
    """The forecast of the council's next graded inspection as at the brief's date, in words
    (analytics.forecast): none for a council that did not exist then."""
    words = forecast.council_section_words(snap, council, as_at)
    if words is None:
        return None
    s = Section("Next inspection: a statistical estimate")
    s.blocks.append(Para(words.note, "lead"))
    s.blocks.append(Para(f"{words.chance} {words.kind}"))
    s.blocks.append(Para(words.window))
    s.blocks.append(
        Table(
            "forecast_grades",
            words.grades_heading,
            ("Grade at the next inspection", "Chance"),
            tuple((grade.capitalize(), chance) for grade, chance in words.grades),
            words.likeliest,
        )
    )
    s.blocks.append(Para("Why these figures:"))
    s.blocks.append(Bullets(words.reasons))
    return s


def _plan(
    store: Store,
    council: Council,
    item: StoredResult,
    as_at: date,
    reader: User | None = None,
    linked_only: bool = False,
) -> Section | None:
    """The improvement plan's state: the plan that answers `item`, else (unless
    `linked_only`) the council's latest plan; None if there is none the reader (the store's
    operator when None) may read."""
    from ofsted_csc.plans.common import OPERATOR
    from ofsted_csc.plans.rules import Rag
    from ofsted_csc.plans.selectors import overdue_actions, plan_list

    reader = reader or OPERATOR
    # the plan's counts, overdue actions and deadlines only: never the whole of a plan, so a
    # brief takes as long for a plan of a thousand actions as for one of ten
    try:
        plans = plan_list(store, council.urn, on=as_at, actor=reader)
    except PermissionDenied:
        return None
    if not plans:
        return None
    linked = [p for p in plans if item.result.source.sha256 in p.sources]
    if linked_only and not linked:
        return None
    view = (linked or plans)[0]
    s = Section(f"Improvement plan: {view.title}")
    counts = view.rag_counts
    total = sum(counts.values())
    s.blocks.append(
        Para(
            f"Status: {view.status.value.replace('_', ' ')}. {total} action"
            f"{'s' if total != 1 else ''} as at {day(as_at)}."
        )
    )
    s.blocks.append(
        Table(
            "plan_rag",
            "Actions by RAG status",
            ("RAG", "Actions"),
            tuple(
                (rag.label, str(counts.get(rag, 0)))
                for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)
            ),
        )
    )
    overdue, late = overdue_actions(store, view.id, as_at, MAX_BRIEF_OVERDUE, actor=reader)
    if overdue:
        s.blocks.append(
            Table(
                "plan_overdue",
                "Overdue actions",
                ("Ref", "Action", "Lead", "Due"),
                tuple((a.ref, a.description, a.lead or "–", day(a.due)) for a in overdue),
            )
        )
        if late > len(overdue):
            s.blocks.append(
                Para(
                    f"{late} actions are overdue; the {len(overdue)} overdue longest are listed "
                    "above, and the plan lists them all."
                )
            )
    else:
        s.blocks.append(Para(NO_OVERDUE))
    if view.deadlines:
        s.blocks.append(
            Table(
                "plan_deadlines",
                "Statutory deadlines",
                ("Deadline", "Due", "State"),
                tuple((d.name, day(d.due), d.state) for d in view.deadlines),
            )
        )
    return s


def _sources(
    item: StoredResult,
    profile: benchmarking.Profile,
    facts: list[benchmarking.Facts],
    as_at: date,
    published: date,
) -> Section:
    s = Section("Data sources")
    src = item.result.source
    official = sorted(
        {
            f.source.split(" row ")[0].removeprefix("official:")
            for f in facts
            if f.source.startswith("official:")
        }
    )
    reports = sum(1 for f in facts if not f.source.startswith("official:"))
    items = [
        f"The inspection report: {src.file_name} (sha256 {src.sha256[:12]}…, {src.page_count} "
        f"pages), read by ofsted-csc's parser {item.result.parser_version}.",
        "The council's inspection history: "
        + ", ".join(sorted({f.source for f in profile.history}))
        + ".",
        f"The national picture: every graded inspection held ({reports} from reports"
        + (f", plus official statistics: {', '.join(official)}" if official else "")
        + f"), counted as published by {day(published)}.",
        "Councils, regions and statistical neighbours: ofsted-csc's council register "
        "(DfE local authority codes, ONS regions, DfE children's services statistical "
        "neighbours).",
        f"Figures as at {day(as_at)}; drafted by ofsted-csc {__version__} on {day(date.today())}.",
    ]
    s.blocks.append(Bullets(tuple(items)))
    return s
