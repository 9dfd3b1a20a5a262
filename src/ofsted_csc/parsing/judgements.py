"""Reading a report's judgements three independent ways, and deciding between them.

A grade misread is worse than a grade not read: it goes into every national table. So each
judgement is read by up to three readers that share only Ofsted's wording (domain.frameworks
and domain.grades), not their method:

- **text**: the judgement table in text order, label then grade ("scan_table").
- **position**: the same table by where words stand on the page: each grade cell is paired
  with the label whose lines sit beside it, whatever order the PDF stores them in, however
  far the grade stands from its label and whether or not either is split over lines.
- **body**: the report restating the grade where it reports on that judgement (ILACS
  section headings "...: good"; SIF "Judgement grade" boxes, "The graded judgement for
  adoption performance is that it is good", "Children's services in X are good because";
  2012-13 section headings "Grade 3 (Adequate)").

`decide` takes their readings: agreement (or a single reader) gives the grade; readers that
disagree give no grade and a review reason naming every value and where it was read.

A reading's grade is None when Ofsted printed "Not judged" (a value, not a failure).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from ofsted_csc.domain.frameworks import Area, AreaWording, fold
from ofsted_csc.domain.grades import (
    GRADE_WORDS,
    NOT_JUDGED_WORDS,
    VERDICT_STARTS,
    Grade,
    grade_alone,
    grade_from_words,
    is_not_judged,
)
from ofsted_csc.parsing.pdf import CELL_PAGES, Line, PdfText


class Reader(StrEnum):
    TEXT = "judgement table"
    POSITION = "judgement table by position"
    BODY = "report body"


@dataclass(frozen=True)
class Reading:
    area: Area
    grade: Grade | None  # None: the report says "Not judged"
    label: str  # the words read, as printed
    page: int
    reader: Reader

    @property
    def value(self) -> str:
        return self.grade.label if self.grade is not None else "Not judged"


Table = dict[Area, tuple[Grade | None, str, int]]  # area -> (grade, label, offset)


def verdict_from_words(words: str) -> tuple[bool, Grade | None]:
    """(True, grade) for a grade phrase, (True, None) for "Not judged", else (False, None)."""
    if is_not_judged(words):
        return True, None
    grade = grade_from_words(words)
    return (grade is not None), grade


# ---------------------------------------------------------------------------------------
# Reader 1: the table in text order


def label_regex(wordings: Sequence[AreaWording]) -> tuple[re.Pattern[str], tuple[Area, ...]]:
    """One alternation of every label pattern (longest first, so "children in care and care
    leavers" beats "children in care") and the area of each alternative."""
    return _label_regex(tuple(wordings))


@lru_cache(maxsize=32)
def _label_regex(wordings: tuple[AreaWording, ...]) -> tuple[re.Pattern[str], tuple[Area, ...]]:
    entries = sorted(((w.area, p) for w in wordings for p in w.patterns), key=lambda e: -len(e[1]))
    parts = [f"(?P<a{i}>{pattern})" for i, (_area, pattern) in enumerate(entries)]
    return re.compile("|".join(parts), re.IGNORECASE), tuple(a for a, _ in entries)


def _area_of(m: re.Match[str], areas: Sequence[Area]) -> Area:
    return next(areas[int(k[1:])] for k, v in m.groupdict().items() if v is not None)


_VERDICT = r"(?P<g>" + GRADE_WORDS + "|" + NOT_JUDGED_WORDS + r")"
# A grade after its label: punctuation, "is", a "Grade 3 (" prefix, a footnote marker.
_GRADE_AFTER = re.compile(
    r"\s*[.:\-–]?\s*(?:(?:is|are)\s*:?\s*)?(?:grade\s*[1-4]\s*\(\s*)?"
    + _VERDICT
    + r"\)?(?:\s?\d(?![\d.]))?(?:\s*\*)?",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"\s*(?:\d(?:\.\d)?\.?\s+)?")


def scan_table(text: str, wordings: Sequence[AreaWording], start: int = 0) -> Table:
    """Read a judgement table from folded text: label, grade, label, grade, ...

    Scans from `start`; every label must be followed directly by its grade. Returns
    area -> (grade, label as printed, offset). Stops at the first thing that is neither.
    """
    label_re, areas = label_regex(wordings)
    found: Table = {}
    pos = start
    while pos < len(text):
        m_num = _NUMBERING.match(text, pos)
        at = m_num.end() if m_num else pos
        m = label_re.match(text, at)
        if not m:
            break
        g = _GRADE_AFTER.match(text, m.end())
        if not g:
            break
        ok, grade = verdict_from_words(g.group("g"))
        if not ok:
            break
        area = _area_of(m, areas)
        if area not in found:
            found[area] = (grade, m.group(0), m.start())
        pos = g.end()
    return found


def find_table(text: str, wordings: Sequence[AreaWording]) -> Table:
    """The longest run of label-grade pairs anywhere in `text`."""
    label_re, _areas = label_regex(wordings)
    best: Table = {}
    for m in label_re.finditer(text):
        begin = m.start()
        nm = re.search(r"(?:\d(?:\.\d)?\.?\s+)$", text[max(0, begin - 6) : begin])
        if nm:
            begin -= len(nm.group(0))
        table = scan_table(text, wordings, begin)
        if len(table) > len(best):
            best = table
    return best


# ---------------------------------------------------------------------------------------
# Reader 2: the table by position


@dataclass(frozen=True)
class _Box:
    text: str
    x: float
    y: float  # top
    size: float


def _boxes(lines: Iterable[Line]) -> list[_Box]:
    out: list[_Box] = []
    for line in lines:
        if line.cells:
            out.extend(_Box(c.text, c.x, c.y, line.size) for c in line.cells)
        else:
            out.append(_Box(line.text, line.x, line.y, line.size))
    return out


def _verdict_alone(text: str) -> tuple[bool, Grade | None]:
    if is_not_judged(text):
        return True, None
    grade = grade_alone(text)
    return (grade is not None), grade


_GRADE_START = re.compile(r"^(?:requires?|require|not|no|grade\s*[1-4]\s*\(?)\b", re.IGNORECASE)


def _grade_cells(boxes: list[_Box]) -> list[tuple[_Box, Grade | None, float, set[int]]]:
    """Cells that hold a grade (joining a grade split over two or three lines of one
    column): (first box, grade, vertical centre, indices of the boxes used)."""
    out: list[tuple[_Box, Grade | None, float, set[int]]] = []
    used: set[int] = set()
    for i, b in enumerate(boxes):
        if i in used:
            continue
        ok, grade = _verdict_alone(b.text)
        parts = [i]
        if not ok and _GRADE_START.match(b.text) and len(b.text) < 40:
            text, last = b.text, b
            for j, other in enumerate(boxes):
                if j == i or j in used or len(parts) >= 3:
                    continue
                below = 0 < last.y - other.y < 2.0 * b.size
                if below and abs(other.x - b.x) < 4:
                    text, last = f"{text} {other.text}", other
                    parts.append(j)
                    ok, grade = _verdict_alone(text)
                    if ok:
                        break
        if not ok:
            continue
        if len(parts) == 1:
            # a grade that a longer spelling continues on the next line ("Requires
            # improvement" / "to be good") keeps its continuation out of the labels
            parts += [
                j
                for j, other in enumerate(boxes)
                if j != i
                and abs(other.x - b.x) < 4
                and 0 < b.y - other.y < 2.0 * b.size
                and _CONTINUATION.fullmatch(fold(other.text))
            ]
        used.update(parts)
        top = boxes[parts[0]].y
        bottom = min(boxes[k].y for k in parts) - b.size * 0.7
        out.append((b, grade, (top + bottom) / 2, set(parts)))
    return out


_CONTINUATION = re.compile(r"to be good|improvement(?: to be good)?", re.IGNORECASE)
_LEAD_NUMBER = re.compile(r"^\s*\d(?:\.\d)?\.?\s+")
_TRAILING_MARK = re.compile(r"\s*[0-9*†]{1,2}$")


def read_by_position(
    pdf: PdfText, wordings: Sequence[AreaWording], pages: Iterable[int]
) -> dict[Area, Reading]:
    """Pair each grade cell with the label beside it (to its left, level with it)."""
    label_re, areas = label_regex(wordings)
    out: dict[Area, Reading] = {}
    for n in pages:
        if not 1 <= n <= min(pdf.page_count, CELL_PAGES):
            continue
        boxes = _boxes(pdf.lines[n - 1])
        cells = _grade_cells(boxes)
        grade_parts = set().union(*(p for *_, p in cells)) if cells else set()
        labels = [(k, b) for k, b in enumerate(boxes) if k not in grade_parts]
        for cell, grade, centre, _parts in cells:
            found = _label_beside(labels, cell, centre, label_re, areas)
            if found is None:
                continue
            area, text = found
            if area not in out:
                out[area] = Reading(area, grade, text, n, Reader.POSITION)
    return out


def _label_beside(
    labels: list[tuple[int, _Box]],
    cell: _Box,
    centre: float,
    label_re: re.Pattern[str],
    areas: Sequence[Area],
) -> tuple[Area, str] | None:
    """The label whose lines stand left of the grade cell and level with it: the run of
    lines (top to bottom, evenly spaced) that is a whole label and whose middle is nearest
    the grade's middle."""
    reach = 2.6 * cell.size
    near = sorted(
        (b for _k, b in labels if b.x < cell.x - 8 and abs(b.y - centre) <= reach),
        key=lambda b: -b.y,
    )
    best: tuple[float, Area, str] | None = None
    for i in range(len(near)):
        text = ""
        for j in range(i, min(i + 4, len(near))):
            if j > i and near[j - 1].y - near[j].y > 1.9 * cell.size:
                break
            text = f"{text} {near[j].text}".strip()
            candidate = _TRAILING_MARK.sub("", _LEAD_NUMBER.sub("", fold(text)))
            m = label_re.fullmatch(candidate)
            if not m:
                continue
            middle = (near[i].y + near[j].y - cell.size * 0.7) / 2
            distance = abs(middle - centre)
            if distance <= 1.2 * cell.size and (best is None or distance < best[0]):
                best = (distance, _area_of(m, areas), text)
    return (best[1], best[2]) if best else None


# ---------------------------------------------------------------------------------------
# Reader 3: the report body restating each grade


_VERDICT_RE = re.compile(r"\b" + _VERDICT, re.IGNORECASE)
_LONGEST_LABEL = 160  # characters: no label is longer


@lru_cache(maxsize=32)
def _label_tail(label_re: re.Pattern[str]) -> re.Pattern[str]:
    """A label standing right before a grade (what may come between them, then the end)."""
    return re.compile(
        r"(?P<label>"
        + label_re.pattern
        + r")\s*[.:\-–]?\s*(?:(?:is|are)\s*:?\s*)?(?:grade\s*[1-4]\s*\(\s*)?$",
        re.IGNORECASE,
    )


_LISTED = re.compile(r"[•–\-*]\s*(?:the\s+)?(?:\d(?:\.\d)?\.?\s+)?$", re.IGNORECASE)


_GRADED = re.compile(
    r"the graded judgement (?:for|about|on) (?:the )?(?P<l>[a-z ,']{5,90}?) is (?:that it is )?"
    + _VERDICT,
    re.IGNORECASE,
)

# A statement of the caller's own: its area, the lower-case words it starts with, its pattern
# (with a group "g" for the grade).
Statement = tuple[Area, str, re.Pattern[str]]


def literal_prefix(pattern: re.Pattern[str]) -> str:
    """The lower-case words a pattern always starts with (up to its first special
    character): where to look for it."""
    words = re.match(r"[^\\()\[\]{}.*+?|^$]*", pattern.pattern)
    prefix = words.group(0).lower() if words else ""
    if not prefix:
        raise ValueError(f"pattern {pattern.pattern!r} starts with no plain words")
    return prefix


def _starts(low: str, words: Iterable[str]) -> list[int]:
    """Where any of `words` (lower case) starts in `low`, in order."""
    out: list[int] = []
    for word in words:
        at = low.find(word)
        while at != -1:
            out.append(at)
            at = low.find(word, at + 1)
    out.sort()
    return out


def _all_matches(pattern: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in pattern.finditer(text)]


def body_statements(
    text: str, wordings: Sequence[AreaWording], extra: Sequence[Statement] = ()
) -> dict[Area, list[tuple[Grade | None, str, int]]]:
    """Every place the body text states a judgement's grade: a label followed at once by a
    grade (a section heading "...: good", a "Judgement grade" box), "the graded judgement
    for <label> is that it is <grade>", and the caller's own statements (`extra`). Returns
    area -> [(grade, words, offset)]."""
    label_re, areas = label_regex(wordings)
    tail_re = _label_tail(label_re)
    out: dict[Area, list[tuple[Grade | None, str, int]]] = {}
    # Only where a grade stands can a label be followed by one: look back from each grade
    # (far fewer places than every position of the text).
    low = text.lower()
    if len(low) != len(text):  # lower-casing moved offsets (rare letters): no shortcuts
        low = ""
    for start in _starts(low, VERDICT_STARTS) if low else _all_matches(_VERDICT_RE, text):
        v = _VERDICT_RE.match(text, start)
        if v is None or (start and text[start - 1].isalnum()):
            continue
        begin = max(0, start - _LONGEST_LABEL)
        m = tail_re.search(text, begin, start)
        if not m or _LISTED.search(text, max(0, m.start() - 12), m.start()):
            continue  # no label before it, or an item of a list (earlier inspections)
        g = _GRADE_AFTER.match(text, m.end("label"))
        if not g or g.start("g") != start:
            continue
        ok, grade = verdict_from_words(g.group("g"))
        label = label_re.fullmatch(m.group("label"))
        if ok and label:
            area = _area_of(label, areas)
            out.setdefault(area, []).append((grade, text[m.start() : g.end()], m.start()))
    for start in _starts(low, ("the graded judgement",)) if low else _all_matches(_GRADED, text):
        m = _GRADED.match(text, start)
        if m is None:
            continue
        lm = label_re.fullmatch(m.group("l"))
        ok, grade = verdict_from_words(m.group("g"))
        if lm and ok:
            out.setdefault(_area_of(lm, areas), []).append((grade, m.group(0), m.start()))
    for area, anchor, pattern in extra:
        for start in _starts(low, (anchor,)) if low else _all_matches(pattern, text):
            m = pattern.match(text, start)
            if m is None:
                continue
            ok, grade = verdict_from_words(m.group("g"))
            if ok:
                out.setdefault(area, []).append((grade, m.group(0), m.start()))
    return out


def page_at(starts: Sequence[tuple[int, int]], offset: int) -> int:
    page = starts[0][1] if starts else 1
    for at, n in starts:
        if at <= offset:
            page = n
    return page


def read_body(
    text: str,
    starts: Sequence[tuple[int, int]],
    wordings: Sequence[AreaWording],
    extra: Sequence[Statement] = (),
) -> dict[Area, Reading]:
    """The body's grade for each area, where every statement of it agrees."""
    out: dict[Area, Reading] = {}
    for area, statements in body_statements(text, wordings, extra).items():
        values = {g for g, _, _ in statements}
        if len(values) == 1:
            grade, words, offset = statements[0]
            out[area] = Reading(area, grade, words, page_at(starts, offset), Reader.BODY)
    return out


# ---------------------------------------------------------------------------------------
# Deciding


@dataclass(frozen=True)
class Decision:
    area: Area
    reading: Reading | None  # the reading kept (None: not read, or readers disagree)
    readers: tuple[Reader, ...]  # the readers that agree on it
    conflict: str | None = None  # why it goes to review


def decide(area: Area, label: str, readings: Sequence[Reading | None]) -> Decision:
    """One judgement from its readings: every reader that read it must agree."""
    present = [r for r in readings if r is not None]
    if not present:
        return Decision(area, None, ())
    values = {r.grade for r in present}
    if len(values) == 1:
        return Decision(area, present[0], tuple(r.reader for r in present))
    seen = "; ".join(f"“{r.value}” by the {r.reader.value} (page {r.page})" for r in present)
    return Decision(area, None, (), f"the {label} judgement is read two ways: {seen}")
