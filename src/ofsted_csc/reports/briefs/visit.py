"""The member brief for a visit letter (a focused or monitoring visit, ungraded), in the same
document model as an inspection's brief (content.Brief), so the Word, HTML and PDF renderers
draw it the same way.

What it says: what Ofsted looked at (the letter's theme, the visit's dates, the lead
inspector); the letter's areas for priority action and areas for improvement, quoted as the
letter gives them, every one; the deadlines that apply (plans.deadlines: a plan after areas
for priority action, none otherwise); the council's previous graded inspection and earlier
visits; the region's and statistical neighbours' visits on the same theme; and the
improvement plan that answers the letter, if there is one.

What the letter finds: its headline findings (or the "Overview" of letters of 2018-21)
quoted whole, and the sentences of its main findings sorted into what is working and what
still needs to improve by Ofsted's wording (domain.findings_words), with their pages. A
letter stored before findings were read has none: the brief says so and points to the letter.

Dates: the previous inspection is the council's latest graded inspection begun before the
visit; the other visits, the deadlines' state and the plan are as at the brief's date. Every
figure is read from the snapshot (its documents and facts) and the analytics and plan
functions; nothing here counts or computes beyond picking and wording them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ofsted_csc import __version__
from ofsted_csc.analytics import benchmarking
from ofsted_csc.analytics.snapshot import Document, Snapshot
from ofsted_csc.domain.councils import Council, CouncilRegistry
from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.findings_words import Leaning
from ofsted_csc.domain.frameworks import FRAMEWORK_LABELS, JUDGEMENT_LABELS, KIND_LABELS, Area
from ofsted_csc.domain.records import HEADLINE_FINDINGS, MAIN_FINDINGS, LetterRecord
from ofsted_csc.domain.visits import VISIT_NOTES, same_theme, visit_theme
from ofsted_csc.domain.wording import possessive
from ofsted_csc.domain.workdays import working_days_between
from ofsted_csc.plans import deadlines
from ofsted_csc.plans.common import User
from ofsted_csc.reports.briefs.content import (
    SIDE_CAP,
    TO_IMPROVE,
    Brief,
    Bullets,
    Para,
    Section,
    Table,
    _lower,
    _plan,
    day,
    grade_text,
    next_inspection,
    ofsted_link,
    side_blocks,
    sorted_quotes,
)
from ofsted_csc.storage.store import Store, StoredResult

# Other councils' visits on the same theme are those begun in this many years up to the
# brief's date: about one inspection cycle (domain.md, section 5).
RECENT_YEARS = 3

NO_PRIORITY_ACTIONS = "No priority actions: no action plan deadline applies."


@dataclass(frozen=True)
class LetterDeadline:
    name: str
    due: date
    working_days_left: int  # as at the brief's date; negative: passed that many days ago

    @property
    def state(self) -> str:
        if self.working_days_left > 0:
            return f"{self.working_days_left} working days left"
        if self.working_days_left == 0:
            return "due today"
        return f"passed {-self.working_days_left} working days ago"


def letter_deadlines(letter: LetterRecord, as_at: date) -> list[LetterDeadline]:
    """The deadlines a letter sets the council, counted from the letter's date (day 0), as
    at `as_at`: after areas for priority action, a draft plan and the action plan
    (plans.deadlines); none for a letter without them, or without a date."""
    received = letter.letter_date
    if received is None:
        return []
    return [
        LetterDeadline(d.name, d.due, working_days_between(as_at, d.due))
        for d in deadlines.deadlines_for_record(letter, received)
    ]


def dates_text(start: date | None, end: date | None) -> str:
    """ "13 July 2021", or "13 July 2021 to 14 July 2021"."""
    if start is None:
        return "not known"
    if end is None or end == start:
        return day(start)
    return f"{day(start)} to {day(end)}"


def build_visit_brief(
    store: Store,
    council: Council,
    item: StoredResult,
    as_at: date,
    include_plan: bool = True,
    snapshot: Snapshot | None = None,
    registry: CouncilRegistry | None = None,
    plan_reader: User | None = None,
) -> Brief:
    """The member brief for `item`, a visit letter of `council` (see the module's notes); the
    plan section shows what `plan_reader` (the store's operator when None) may read."""
    letter = item.result.record
    assert isinstance(letter, LetterRecord)
    written = letter.letter_date or letter.visit_end or letter.visit_start
    if written is not None and written > as_at:
        raise InvalidInput(
            f"the brief's date ({as_at}) is before the letter was written ({written})"
        )
    snap = snapshot or Snapshot.build(store, registry)
    kind = KIND_LABELS[letter.kind] if letter.kind else "Visit"
    title = f"{council.name}: Ofsted {_lower(kind)} to children's services"
    subtitle = (
        f"{kind}, {dates_text(letter.visit_start, letter.visit_end)}; letter dated "
        f"{day(letter.letter_date)}. Briefing as at {day(as_at)}."
    )
    visit_day = letter.visit_start or written or as_at
    before = benchmarking.council_profile(
        snap.facts, snap.registry, council, visit_day - timedelta(days=1)
    )
    now = benchmarking.council_profile(snap.facts, snap.registry, council, as_at)
    due = letter_deadlines(letter, as_at)

    sections = [
        _summary(council, letter, kind, before, due),
        _looked_at(letter, kind),
        _findings(item),
        _priority_actions(letter),
        _areas_for_improvement(letter),
        _deadlines(letter, due, as_at),
        _history(council, letter, before, now, snap, visit_day),
        _same_theme(council, letter, item, snap, as_at),
    ]
    ahead = next_inspection(snap, council, as_at)
    if ahead is not None:
        sections.append(ahead)
    if include_plan:
        plan = _plan(store, council, item, as_at, plan_reader, linked_only=True)
        if plan is None:
            plan = Section("Improvement plan")
            plan.blocks.append(
                Para(
                    f"No improvement plan held in ofsted-csc answers this letter as at "
                    f"{day(as_at)}." + (" The deadlines above apply." if due else "")
                )
            )
        sections.append(plan)
    sections.append(_sources(item, snap, council, as_at))
    return Brief(title, subtitle, council, as_at, item, sections)


def _summary(
    council: Council,
    letter: LetterRecord,
    kind: str,
    before: benchmarking.Profile,
    due: list[LetterDeadline],
) -> Section:
    s = Section("Summary")
    lead = f" The lead inspector was {letter.lead_inspector}." if letter.lead_inspector else ""
    s.blocks.append(
        Para(
            f"Ofsted made a {_lower(kind)} to {possessive(council.name)} children's services on "
            f"{dates_text(letter.visit_start, letter.visit_end)}, and wrote to the council on "
            f"{day(letter.letter_date)}.{lead}",
            "lead",
        )
    )
    if letter.kind in VISIT_NOTES:
        s.blocks.append(Para(VISIT_NOTES[letter.kind], "small"))
    points = []
    if letter.theme:
        points.append(f"Inspectors looked at {letter.theme}.")
    n_pa, n_afi = len(letter.priority_actions), len(letter.areas_for_improvement)
    points.append(
        f"The letter names {_count(n_pa, 'area')} for priority action and "
        f"{_count(n_afi, 'area')} for improvement."
    )
    if due:
        points.append(
            f"{due[0].name}: due {day(due[0].due)}; {_lower(due[-1].name)}: due {day(due[-1].due)}."
        )
    else:
        points.append(NO_PRIORITY_ACTIONS)
    if before.latest is not None:
        points.extend(benchmarking.headline(council.name, before.latest, before.previous))
    s.blocks.append(Bullets(tuple(points)))
    return s


def _count(n: int, noun: str) -> str:
    return f"{n if n else 'no'} {noun}{'s' if n != 1 else ''}"


def _looked_at(letter: LetterRecord, kind: str) -> Section:
    s = Section("What Ofsted looked at")
    theme = visit_theme(letter.theme)
    if letter.theme:
        s.blocks.append(Para(f"Inspectors looked at {letter.theme}.", "quote"))
    else:
        s.blocks.append(Para("The letter does not say what the visit looked at.", "small"))
    rows = [
        ("Visit", kind),
        ("Dates", dates_text(letter.visit_start, letter.visit_end)),
        ("Letter dated", day(letter.letter_date)),
        ("Lead inspector", letter.lead_inspector or "not named in the letter"),
        ("What the visit looked at", letter.theme or "not read"),
        ("Theme", theme.label if theme else "–"),
    ]
    page = letter.pages.get("theme")
    s.blocks.append(
        Table(
            "visit",
            "The visit",
            ("", "This visit"),
            tuple(rows),
            note=f"The letter's words, page {page}." if page else None,
        )
    )
    return s


def _findings(item: StoredResult) -> Section:
    s = Section("What the letter finds")
    letter = item.result.record
    assert isinstance(letter, LetterRecord)
    src = item.result.source
    headline = letter.findings.get(HEADLINE_FINDINGS)
    main = letter.findings.get(MAIN_FINDINGS)
    if headline is None and main is None:
        s.blocks.append(
            Para(
                "ofsted-csc has no findings read from this letter (it was stored before they "
                "were read, or they stand under no heading it knows): read them in the letter "
                f"itself, {src.file_name} ({src.page_count} pages).",
                "small",
            )
        )
        return s
    if headline is not None:
        s.blocks.append(Para(f"Headline findings (page {headline.page})", "h3"))
        s.blocks.extend(Para(x, "quote") for x in headline.paragraphs)
    if main is not None:
        quotes = sorted_quotes(main)
        s.blocks.append(Para(f"Main findings (from page {main.page})", "h3"))
        s.blocks.append(
            Para(
                "What the letter finds is working, and what still needs to improve: sentences "
                "of its main findings sorted by Ofsted's own wording (“effective”, “timely” "
                "against “not always”, “too”, “inconsistent”); a sentence saying both is under "
                f"“{TO_IMPROVE}”. At most {SIDE_CAP} of each are quoted.",
                "small",
            )
        )
        s.blocks.extend(side_blocks("What is working", quotes[Leaning.STRENGTH]))
        s.blocks.extend(side_blocks(TO_IMPROVE, quotes[Leaning.TO_IMPROVE] + quotes[Leaning.MIXED]))
    return s


def _letter_list(letter: LetterRecord, key: str, heading: str, none: str) -> Section:
    """One of the letter's lists (areas for priority action, areas for improvement), verbatim."""
    s = Section(heading)
    items: list[str] = getattr(letter, key)
    if not items:
        s.blocks.append(Para(none))
        return s
    page = letter.pages.get(key)
    s.blocks.append(
        Para(
            f"As the letter gives them{f' (from page {page})' if page else ''}: "
            f"{_count(len(items), 'area')}.",
            "small",
        )
    )
    s.blocks.append(Bullets(tuple(items)))
    return s


def _priority_actions(letter: LetterRecord) -> Section:
    return _letter_list(
        letter,
        "priority_actions",
        "Areas for priority action",
        "The letter names no areas for priority action.",
    )


def _areas_for_improvement(letter: LetterRecord) -> Section:
    return _letter_list(
        letter,
        "areas_for_improvement",
        "Areas for improvement",
        "The letter names no areas for improvement.",
    )


def _deadlines(letter: LetterRecord, due: list[LetterDeadline], as_at: date) -> Section:
    s = Section("Deadlines")
    if not letter.priority_actions:
        s.blocks.append(Para(NO_PRIORITY_ACTIONS))
        return s
    if not due:
        s.blocks.append(
            Para(
                "The letter names areas for priority action, so a draft plan is due within "
                f"{deadlines.PRIORITY_ACTION_DRAFT_WORKING_DAYS} working days of the council "
                f"receiving it and the action plan within {deadlines.ACTION_PLAN_WORKING_DAYS}; "
                "the letter gives no date to count from."
            )
        )
        return s
    s.blocks.append(
        Table(
            "deadlines",
            f"Deadlines, as at {day(as_at)}",
            ("Deadline", "Due", "State"),
            tuple((d.name, day(d.due), d.state) for d in due),
            note=(
                f"Working days ({deadlines.PRIORITY_ACTION_DRAFT_WORKING_DAYS} for the draft, "
                f"{deadlines.ACTION_PLAN_WORKING_DAYS} for the action plan) counted from the "
                f"letter's date, {day(letter.letter_date)}, taken as the day the council "
                "received it; weekends and bank holidays are not counted."
            ),
        )
    )
    return s


def _facts_row(label: str, f: benchmarking.Facts) -> tuple[str, ...]:
    judgement, grade = benchmarking.headline_judgement(f)
    return (
        label,
        f"{FRAMEWORK_LABELS[f.framework]}, {_lower(KIND_LABELS[f.kind])}",
        day(f.start) if f.start_known else "not known",
        day(f.published) + (" (estimated)" if f.published_estimated else ""),
        f"{JUDGEMENT_LABELS[Area(judgement)]}: {grade_text(grade)}",
    )


def _history(
    council: Council,
    letter: LetterRecord,
    before: benchmarking.Profile,
    now: benchmarking.Profile,
    snap: Snapshot,
    visit_day: date,
) -> Section:
    s = Section("The council's previous inspection and earlier visits")
    rows = []
    if before.latest is not None:
        rows.append(_facts_row("Before the visit", before.latest))
    if now.latest is not None and now.latest.start > visit_day:
        rows.append(_facts_row("Since the visit", now.latest))
    s.blocks.append(
        Table(
            "previous_inspection",
            "Graded inspections",
            ("", "Inspection", "Began", "Published", "Headline judgement"),
            tuple(rows),
            note=None
            if before.latest is not None
            else f"No graded inspection of {council.name} before the visit is held.",
        )
    )
    earlier = [
        d
        for d in snap.documents_of(council)
        if d.is_letter and d.start is not None and d.start < visit_day
    ]
    if earlier:
        s.blocks.append(
            Table(
                "earlier_visits",
                f"{possessive(council.name)} earlier visits",
                (
                    "Visit",
                    "Began",
                    "Letter dated",
                    "What the visit looked at",
                    "Priority actions",
                    "Areas for improvement",
                ),
                tuple(_visit_row(d) for d in earlier),
            )
        )
    else:
        s.blocks.append(Para(f"No earlier visit letter to {council.name} is held.", "small"))
    return s


def _visit_row(d: Document, council: bool = False) -> tuple[str, ...]:
    return (
        d.council_name if council else d.kind_label,
        day(d.start),
        day(d.published),
        d.theme or "not read",
        str(len(d.priority_actions)),
        str(len(d.areas_for_improvement)),
    )


def _since(as_at: date) -> date:
    try:
        return as_at.replace(year=as_at.year - RECENT_YEARS)
    except ValueError:  # 29 February
        return as_at.replace(year=as_at.year - RECENT_YEARS, day=28)


def _same_theme(
    council: Council, letter: LetterRecord, item: StoredResult, snap: Snapshot, as_at: date
) -> Section:
    theme = visit_theme(letter.theme)
    named = theme.label if theme else (letter.theme or "")
    s = Section(f"Visits on the same theme: {named}" if named else "Visits on the same theme")
    since = _since(as_at)
    urns = {council.urn, *council.alt_urns}
    neighbours = {c.urn for c in snap.registry.neighbours_of(council)}
    others = [
        d
        for d in snap.documents
        if d.is_letter
        and d.sha256 != item.result.source.sha256
        and d.council is not None
        and d.council.urn not in urns
        and d.start is not None
        and since <= d.start <= as_at
        and (d.published is None or d.published <= as_at)
        and same_theme(d.theme, letter.theme)
    ]
    columns = (
        "Council",
        "Visit began",
        "Letter dated",
        "What the visit looked at",
        "Priority actions",
        "Areas for improvement",
    )
    region = council.ons_region
    in_region = [d for d in others if d.council is not None and d.council.ons_region == region]
    near = [d for d in others if d.council is not None and d.council.urn in neighbours]
    window = f"begun {day(since)} to {day(as_at)}"
    if not letter.theme:
        s.blocks.append(Para("The letter does not say what the visit looked at.", "small"))
        return s
    for key, caption, found, none in (
        (
            "region_visits",
            f"{region}: visits on this theme, {window}",
            in_region,
            f"No other council in {region} had a visit on this theme {window}.",
        ),
        (
            "neighbour_visits",
            f"{possessive(council.name)} statistical neighbours: visits on this theme, {window}",
            near,
            f"None of {possessive(council.name)} statistical neighbours had a visit on this theme {window}.",
        ),
    ):
        if found:
            s.blocks.append(
                Table(key, caption, columns, tuple(_visit_row(d, council=True) for d in found))
            )
        else:
            s.blocks.append(Para(none))
    s.blocks.append(
        Para(
            "Visits held in ofsted-csc, newest first; themes are grouped by the letters' own "
            "words for what each visit looked at.",
            "small",
        )
    )
    return s


def _sources(item: StoredResult, snap: Snapshot, council: Council, as_at: date) -> Section:
    s = Section("Data sources")
    src = item.result.source
    letters = sum(1 for d in snap.documents if d.is_letter)
    items = (
        f"The letter: {src.file_name} (sha256 {src.sha256[:12]}…, {src.page_count} pages), "
        f"read by ofsted-csc's parser {item.result.parser_version}.",
        ofsted_link(snap, item, council, "letter") + ".",
        f"Other visits: the visit letters held ({letters} in all), those begun in the "
        f"{RECENT_YEARS} years to {day(as_at)} and written by then.",
        "Graded inspections: the reports held and, where no report is held, Ofsted's official "
        "statistics.",
        "Councils, regions and statistical neighbours: ofsted-csc's council register "
        "(DfE local authority codes, ONS regions, DfE children's services statistical "
        "neighbours).",
        f"Figures as at {day(as_at)}; drafted by ofsted-csc {__version__} on {day(date.today())}.",
    )
    s.blocks.append(Bullets(items))
    return s
