"""Counting themes: nationally and by region, framework, period and grade; each council's
themes by inspection and those that recur at the next; councils with similar
recommendations and what happened at their next inspection; search over the words.

Pure functions over `ThemedItem`s (built from the store by `ofsted_csc.api.themed_items`)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeAlias

from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.periods import COMPARE_NOTE as COMPARE_NOTE
from ofsted_csc.domain.periods import GROUPS as GROUPS
from ofsted_csc.domain.periods import REPORT_FRAMEWORKS
from ofsted_csc.domain.periods import Period as Period
from ofsted_csc.domain.records import InspectionRecord, LetterRecord
from ofsted_csc.themes.classify import Classifier, ThemeMatch

VISITS = ("focused_visit", "monitoring_visit")  # ungraded: letters, not inspections
SECTIONS = {
    "recommendation": "Recommendation",
    "priority_action": "Area for priority action",
    "area_for_improvement": "Area for improvement",
}


@dataclass(frozen=True)
class Source:
    """An inspection or visit whose items are counted."""

    sha256: str
    file_name: str
    council_urn: str
    council_name: str
    la_code: str
    ons_region: str
    ofsted_region: str
    framework: str  # "pre_sif", "sif", "ilacs" or "letter"
    kind: str
    start: date
    overall: Grade | None  # overall effectiveness, where judged

    @property
    def is_letter(self) -> bool:
        return self.framework == "letter"


@dataclass(frozen=True)
class ThemedItem:
    source: Source
    section: str  # recommendation, priority_action, area_for_improvement
    position: int
    text: str
    matches: tuple[ThemeMatch, ...] = field(default=())

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(m.theme for m in self.matches)


# -- the items of a record, and their themes as the store keeps them --

# One theme of an item as stored: (theme id, score, its reasons, whether the rules matched it).
StoredMatch: TypeAlias = tuple[str, float, tuple[str, ...], bool]
# One item's themes as stored: (section, position, its themes best first).
StoredItem: TypeAlias = tuple[str, int, tuple[StoredMatch, ...]]


def record_items(record: InspectionRecord | LetterRecord) -> list[tuple[str, int, str]]:
    """The items whose themes are counted, (section, position, text) in the record's order:
    an inspection's recommendations (by their position), a letter's areas for priority
    action and then its areas for improvement (each numbered from 1). The one definition
    of them: for the themes stored with a document and for those counted."""
    if isinstance(record, InspectionRecord):
        return [("recommendation", r.position, r.text) for r in record.recommendations]
    items = [("priority_action", n, t) for n, t in enumerate(record.priority_actions, 1)]
    items += [("area_for_improvement", n, t) for n, t in enumerate(record.areas_for_improvement, 1)]
    return items


def stored_form(matches: Iterable[ThemeMatch]) -> tuple[StoredMatch, ...]:
    return tuple((m.theme, m.score, tuple(m.reasons), m.by_rules) for m in matches)


def item_themes(
    record: InspectionRecord | LetterRecord, classifier: Classifier
) -> list[StoredItem]:
    """A record's items with their themes by `classifier`, as the store keeps them."""
    return [
        (section, position, stored_form(classifier.classify(text)))
        for section, position, text in record_items(record)
    ]


def themed(
    source: Source,
    items: Iterable[tuple[str, int, str]],
    classifier: Classifier,
    stored: Mapping[tuple[str, int], Sequence[StoredMatch]] | None = None,
) -> list[ThemedItem]:
    """Items with their themes: those `stored` holds (by section and position, computed by
    the same classifier) as they are, the others classified now."""
    out = []
    for section, position, text in items:
        kept = stored.get((section, position)) if stored is not None else None
        if kept is not None:
            matches = tuple(
                ThemeMatch(t, score, tuple(reasons), by_rules)
                for t, score, reasons, by_rules in kept
            )
        else:
            matches = tuple(classifier.classify(text))
        out.append(ThemedItem(source, section, position, text, matches))
    return out


# -- counts --


@dataclass(frozen=True)
class Filters:
    framework: str | None = None  # pre_sif, sif, ilacs, letter
    region: str | None = None  # an ONS or Ofsted region name
    start: date | None = None  # inspections that began on or after
    end: date | None = None  # ... and on or before
    grade: Grade | None = None  # overall effectiveness of the inspection
    council_urn: str | None = None

    def keep(self, s: Source) -> bool:
        return (
            (self.framework is None or s.framework == self.framework)
            and (self.region is None or self.region in (s.ons_region, s.ofsted_region))
            and (self.start is None or s.start >= self.start)
            and (self.end is None or s.start <= self.end)
            and (self.grade is None or s.overall is self.grade)
            and (self.council_urn is None or s.council_urn == self.council_urn)
        )


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    items: int  # recommendations and letter items with the theme
    sources: int  # inspections and visits with at least one
    councils: int
    share: float  # of all the sources counted, the share with the theme (0..1)


def theme_counts(
    items: Sequence[ThemedItem], filters: Filters = Filters()
) -> tuple[int, int, list[ThemeCount]]:
    """(items counted, sources counted, counts by theme, most sources first)."""
    kept = [i for i in items if filters.keep(i.source)]
    sources = {i.source.sha256 for i in kept}
    per_item: Counter[str] = Counter()
    per_source: dict[str, set[str]] = defaultdict(set)
    per_council: dict[str, set[str]] = defaultdict(set)
    for i in kept:
        for theme in i.themes:
            per_item[theme] += 1
            per_source[theme].add(i.source.sha256)
            per_council[theme].add(i.source.council_urn)
    out = [
        ThemeCount(
            t,
            per_item[t],
            len(per_source[t]),
            len(per_council[t]),
            len(per_source[t]) / len(sources),
        )
        for t in per_item
    ]
    out.sort(key=lambda c: (-c.sources, -c.items, c.theme))
    return len(kept), len(sources), out


# -- themes over time, per inspection --


def in_group(source: Source, group: str) -> bool:
    """Whether a source is counted in a group of `GROUPS`."""
    if source.kind == "lscb_review":
        return False
    if group == "reports":
        return source.framework in REPORT_FRAMEWORKS
    return source.framework == group


@dataclass(frozen=True)
class PeriodCell:
    """One theme in one period: how many of the period's inspections had it."""

    sources: int  # inspections (or visits) whose items had the theme
    base: int  # inspections (or visits) counted in the period
    items: int  # their items with the theme

    @property
    def share(self) -> float | None:
        return self.sources / self.base if self.base else None

    def text(self, counted: str = "inspections") -> str:
        """The cell in words, "34% (21 of 62)"; "no inspections" (`counted`) for none."""
        if not self.base:
            return f"no {counted}"
        return f"{self.sources / self.base:.0%} ({self.sources} of {self.base})"


@dataclass(frozen=True)
class PeriodBase:
    """What a period counts: its inspections (or visits) and their items."""

    period: Period
    sources: int
    items: int  # recommendations (or letter items) of those inspections

    @property
    def items_per_source(self) -> float | None:
        return self.items / self.sources if self.sources else None


@dataclass(frozen=True)
class ComparisonRow:
    theme: str
    cells: tuple[PeriodCell, ...]  # one a period, in the periods' order

    @property
    def change(self) -> float | None:
        """The last period's share less the first's, in percentage points."""
        first, last = self.cells[0].share, self.cells[-1].share
        return None if first is None or last is None else round((last - first) * 100, 1)


@dataclass(frozen=True)
class Comparison:
    group: str  # a key of GROUPS
    bases: tuple[PeriodBase, ...]
    rows: list[ComparisonRow]  # most common over the periods first

    @property
    def periods(self) -> tuple[Period, ...]:
        return tuple(b.period for b in self.bases)

    @property
    def label(self) -> str:
        return GROUPS[self.group]

    @property
    def counted(self) -> str:
        """What the base counts: "inspections", or "visits" for letters."""
        return "visits" if self.group == "letter" else "inspections"


def compare_periods(
    items: Sequence[ThemedItem],
    sources: Iterable[Source],
    periods: Sequence[Period],
    group: str = "reports",
    region: str | None = None,
) -> Comparison:
    """Each theme's share of the group's inspections (or visits) in each period: of those
    begun in the period, how many had the theme in at least one recommendation (or letter
    item). `sources` are every inspection and visit, those without items too: an inspection
    that made no recommendation is in the base."""
    if group not in GROUPS:
        raise InvalidInput(f"“{group}” is not a group ({', '.join(GROUPS)})")
    keep = Filters(region=region)

    def counted(s: Source) -> bool:
        return in_group(s, group) and keep.keep(s)

    base: list[set[str]] = [set() for _ in periods]
    for s in sources:
        if counted(s):
            for n, p in enumerate(periods):
                if p.holds(s.start):
                    base[n].add(s.sha256)
    with_theme: dict[str, list[set[str]]] = defaultdict(lambda: [set() for _ in periods])
    theme_items: dict[str, list[int]] = defaultdict(lambda: [0 for _ in periods])
    item_counts = [0 for _ in periods]
    for i in items:
        if not counted(i.source):
            continue
        for n, p in enumerate(periods):
            if not p.holds(i.source.start):
                continue
            base[n].add(i.source.sha256)
            item_counts[n] += 1
            for theme in i.themes:
                with_theme[theme][n].add(i.source.sha256)
                theme_items[theme][n] += 1
    rows = [
        ComparisonRow(
            theme,
            tuple(
                PeriodCell(len(shas[n]), len(base[n]), theme_items[theme][n])
                for n in range(len(periods))
            ),
        )
        for theme, shas in with_theme.items()
    ]
    rows.sort(key=lambda r: (-sum(c.share or 0.0 for c in r.cells), r.theme))
    bases = tuple(PeriodBase(p, len(base[n]), item_counts[n]) for n, p in enumerate(periods))
    return Comparison(group, bases, rows)


# -- councils --


@dataclass(frozen=True)
class SourceThemes:
    source: Source
    themes: dict[str, list[ThemedItem]]  # theme -> the items with it
    recurring: tuple[str, ...]  # themes also found at this council's next inspection or visit
    next_source: Source | None


def council_themes(items: Sequence[ThemedItem], council_urn: str) -> list[SourceThemes]:
    """A council's inspections and visits, oldest first, with their themes and which recur at
    the next one (an LSCB review is left out: it is about the board, not the council)."""
    by_source: dict[str, list[ThemedItem]] = defaultdict(list)
    sources: dict[str, Source] = {}
    for i in items:
        if i.source.council_urn == council_urn and i.source.kind != "lscb_review":
            by_source[i.source.sha256].append(i)
            sources[i.source.sha256] = i.source
    ordered = sorted(sources.values(), key=lambda s: (s.start, s.sha256))
    out = []
    for n, s in enumerate(ordered):
        themes: dict[str, list[ThemedItem]] = defaultdict(list)
        for i in by_source[s.sha256]:
            for t in i.themes:
                themes[t].append(i)
        nxt = ordered[n + 1] if n + 1 < len(ordered) else None
        later = {t for i in by_source[nxt.sha256] for t in i.themes} if nxt else set()
        ordered_themes = dict(sorted(themes.items(), key=lambda kv: (-len(kv[1]), kv[0])))
        recurring = tuple(t for t in ordered_themes if t in later)
        out.append(SourceThemes(s, ordered_themes, recurring, nxt))
    return out


@dataclass(frozen=True)
class Recurrence:
    council_urn: str
    council_name: str
    pairs: list[tuple[Source, Source, tuple[str, ...]]]  # (earlier, later, themes in both)

    @property
    def themes(self) -> Counter[str]:
        return Counter(t for _, _, ts in self.pairs for t in ts)


def recurring_themes(items: Sequence[ThemedItem], graded_only: bool = True) -> list[Recurrence]:
    """For every council with two or more inspections (graded inspections only by default;
    else visits too), the themes that recur from one to the next."""
    kept = [i for i in items if not graded_only or i.source.kind not in VISITS]
    councils = sorted(
        {(i.source.council_urn, i.source.council_name) for i in kept}, key=lambda c: c[1]
    )
    by_council: dict[str, list[ThemedItem]] = defaultdict(list)
    for i in kept:
        by_council[i.source.council_urn].append(i)
    out = []
    for urn, name in councils:
        chain = council_themes(by_council[urn], urn)
        pairs = [(c.source, c.next_source, c.recurring) for c in chain if c.next_source is not None]
        if pairs:
            out.append(Recurrence(urn, name, pairs))
    return out


# -- similarity and search --

_WORD = re.compile(r"[a-z][a-z'-]+")
STOP = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "that",
        "for",
        "is",
        "are",
        "be",
        "with",
        "by",
        "on",
        "as",
        "their",
        "this",
        "all",
        "at",
        "from",
        "or",
        "an",
        "it",
        "so",
        "they",
        "which",
        "when",
        "where",
        "including",
        "ensure",
        "improve",
        "quality",
        "children",
        "child",
        "children's",
        "young",
        "people",
        "consistency",
        "effectiveness",
        "timeliness",
        "impact",
        "consistently",
        "effective",
        "timely",
    ]
)


def _words(text: str) -> list[str]:
    return [
        w for w in _WORD.findall(text.lower().replace("’", "'")) if w not in STOP and len(w) > 2
    ]


class Index:
    """TF-IDF over the items' words, for search and for council similarity."""

    def __init__(self, items: Sequence[ThemedItem]) -> None:
        self.items = list(items)
        docs = [Counter(_words(i.text)) for i in self.items]
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        n = len(docs) or 1
        self.idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
        self.vectors = [self._vector(d) for d in docs]

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        v = {
            w: (1 + math.log(c)) * self.idf.get(w, 0.0) for w, c in counts.items() if w in self.idf
        }
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / norm for w, x in v.items()}

    def search(
        self, query: str, classifier: Classifier, meaning: bool = False, limit: int = 50
    ) -> list[tuple[float, ThemedItem]]:
        """Items for a query. Full text: every word of the query is in the item, ranked by
        TF-IDF. By meaning: the query's themes (by the same rules) and its words together, so
        "children who go missing" also finds "return home interviews"."""
        words = _words(query)
        q = self._vector(Counter(words))
        query_themes = {m.theme for m in classifier.classify(query)} if meaning else set()
        scored = []
        for item, v in zip(self.items, self.vectors, strict=True):
            lexical = sum(x * v.get(w, 0.0) for w, x in q.items())
            if not meaning:
                low = item.text.lower()
                if words and all(w in low for w in words):
                    scored.append((lexical, item))
                continue
            shared = len(query_themes & set(item.themes))
            score = lexical + (0.5 * shared / len(query_themes) if query_themes else 0.0)
            if score > 0.05:
                scored.append((score, item))
        scored.sort(key=lambda s: (-s[0], s[1].source.start))
        return scored[:limit]


@dataclass(frozen=True)
class Similar:
    source: Source  # the other council's inspection
    score: float  # cosine similarity of the two inspections' theme counts, 0..1
    shared: tuple[str, ...]  # themes both had
    next_source: Source | None  # that council's next graded inspection


def similar_councils(items: Sequence[ThemedItem], sha256: str, limit: int = 5) -> list[Similar]:
    """Other councils' graded inspections whose recommendations are most like this one's
    (cosine of their theme counts), with what happened at their next graded inspection."""
    graded = [i for i in items if i.source.kind not in (*VISITS, "lscb_review")]
    by_source: dict[str, list[ThemedItem]] = defaultdict(list)
    for i in graded:
        by_source[i.source.sha256].append(i)
    if sha256 not in by_source:
        return []
    profile = {s: _profile(its) for s, its in by_source.items()}
    mine = profile[sha256]
    me = by_source[sha256][0].source
    later: dict[str, list[Source]] = defaultdict(list)
    for its in by_source.values():
        later[its[0].source.council_urn].append(its[0].source)
    out = []
    for s, its in by_source.items():
        src = its[0].source
        if src.council_urn == me.council_urn:
            continue
        score = sum(x * profile[s].get(k, 0.0) for k, x in mine.items())
        nxt = min(
            (o for o in later[src.council_urn] if o.start > src.start),
            key=lambda o: o.start,
            default=None,
        )
        shared = tuple(
            sorted(
                {t for i in by_source[sha256] for t in i.themes}
                & {t for i in its for t in i.themes}
            )
        )
        out.append(Similar(src, round(score, 3), shared, nxt))
    out.sort(key=lambda x: -x.score)
    return out[:limit]


def _profile(items: Sequence[ThemedItem]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for i in items:
        counts.update(f"theme:{t}" for t in i.themes)
    norm = math.sqrt(sum(c * c for c in counts.values())) or 1.0
    return {k: c / norm for k, c in counts.items()}
