"""The report's own words for each judgement: the summary a report gives under a judgement,
or, where it gives none, the section's opening paragraph; and the report's overview.

What each framework has (read from the reports; domain.md does not describe it):
- SIF key judgements: a "Summary" heading under the "Key judgement / Judgement grade" box,
  unnumbered paragraphs before the numbered findings start.
- SIF graded sub-judgements (adoption, care leavers): a bold statement "The graded judgment
  for adoption performance is that it ..." and then numbered findings: the first is taken.
- SIF overview: the "Summary of findings" section ("Children's services in X require
  improvement because: ..."), up to "What does the local authority need to improve?". The
  combined LSCB review has its own "Summary of findings", kept for the LSCB judgement.
- ILACS: the paragraphs under the judgement table on page 1 are the overview; each
  judgement's section ("The experiences and progress of children in care: good") opens
  with numbered paragraph 1, 19, ...: the first is taken.
- 2012-13: a heading per judgement, a "Grade 3 (Adequate)" line and paragraphs.

Each judgement's whole section is kept too (read_sections), paragraph by paragraph with
the page each paragraph's text is on: from the judgement's heading to the next judgement's
heading, or to a heading that ends the judgements (recommendations, "Information about this
inspection", the LSCB part, Ofsted's closing page). Its headings ("Summary", "Inspection
findings") and small print are left out; numbered paragraphs lose their numbers. A SIF
report's graded sub-judgements (adoption, care leavers) end the section of children looked
after and have their own. A combined report's LSCB part: the text under its findings
headings ("Executive summary", "Inspection findings - the LSCB"), not its recommendations.

Nothing here decides a grade: a passage is text to quote, with the page it is on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ofsted_csc.domain.frameworks import Area, AreaWording, Kind, fold
from ofsted_csc.domain.grades import GRADE_RE, GRADE_WORDS
from ofsted_csc.domain.records import (
    OVERVIEW,
    InspectionRecord,
    JudgementStatus,
    PageStarts,
    Passage,
    PassageKind,
)
from ofsted_csc.parsing.layout import Body
from ofsted_csc.parsing.pdf import Line

_NUMBERED = re.compile(r"^\d{1,3}\.\s*\S")
_BULLET = re.compile(r"^[•●▪◦·]\s*")
_GRADE_ONLY = re.compile(
    r"^(?:grade \d\s*\(?)?" + GRADE_WORDS + r"\)?\d?$|^grade \d\b", re.IGNORECASE
)
_SUMMARY_HEADING = re.compile(r"^summary$", re.IGNORECASE)
_KEY_JUDGEMENT = re.compile(r"^key judgement\b", re.IGNORECASE)
_FINDINGS_HEADING = re.compile(
    r"^(?:summary of (?:key )?findings|executive summary|key strengths and weaknesses)\d?(?:\s|$)",
    re.IGNORECASE,
)
_FINDINGS_END = re.compile(
    r"^(?:what does the (?:local authority|lscb|local safeguarding children(?:'s)? board) need to"
    r"|recommendations|areas for improvement|the local authority's strengths|what needs to improve)",
    re.IGNORECASE,
)
_ILACS_OVERVIEW_END = re.compile(r"^what needs to improve", re.IGNORECASE)
_GRADE_ALONE = re.compile(r"(?:^|\s)" + GRADE_WORDS + r"\d?$", re.IGNORECASE)
_LSCB_TITLE = re.compile(
    r"^(?:inspection|review) of the effectiveness of the local safeguarding", re.IGNORECASE
)


# A table of contents: its heading, or an entry with dotted leaders and a page number.
_CONTENTS_LINE = re.compile(r"^contents?$|.*(?:\.{4,}|…{2,})\s*\d{1,3}$", re.IGNORECASE)


def _heading(line: Line, body: Body) -> bool:
    return line.bold or line.size > body.body_size + 0.5


def _paragraphs(lines: Sequence[Line]) -> tuple[str, ...]:
    """Lines joined into paragraphs: a new one at a bullet, a numbered paragraph, or a gap
    of more than a line and a half on the same page."""
    paras: list[list[str]] = []
    prev: Line | None = None
    for line in lines:
        text = fold(line.text).strip()
        if not text:
            continue
        new = (
            prev is None
            or _BULLET.match(text) is not None
            or _NUMBERED.match(text) is not None
            or (
                prev.page == line.page
                and prev.y - line.y > 1.6 * max(line.size, 1.0)
                and not text[:1].islower()  # a sentence carried on past a gap
            )
        )
        text = _BULLET.sub("", text)
        if new:
            paras.append([text])
        else:
            paras[-1].append(text)
        prev = line
    out = []
    for p in paras:
        joined = " ".join(p)
        if "- " in joined:  # a word hyphenated at a line end
            joined = _HYPHEN_BREAK.sub(r"\1-\2", joined)
        out.append(" ".join(joined.split()))
    return tuple(p for p in out if p)


_HYPHEN_BREAK = re.compile(r"(\w)- (\w)")


def _continues(prev: Line, line: Line) -> bool:
    """Whether a heading line carries on the heading above it (not a new heading)."""
    if abs(line.x - prev.x) >= 40:
        return False
    t = fold(line.text)
    if t[:1].islower():
        return True
    if any(
        rx.match(t) for rx in (_SUMMARY_HEADING, _FINDINGS_HEADING, _KEY_JUDGEMENT, _FINDINGS_END)
    ):
        return False
    return not _GRADE_ALONE.search(fold(prev.text))


def _heading_groups(body: Body, start: int, end: int) -> list[tuple[int, int, str]]:
    """Runs of consecutive heading lines: (first index, index after, text joined)."""
    groups: list[tuple[int, int, str]] = []
    i = start
    lines = body.lines
    while i < end:
        if _heading(lines[i], body) and lines[i].page not in body.contents_pages:
            j = i
            parts = []
            while (
                j < end
                and _heading(lines[j], body)
                and j - i < 4
                and lines[j].bold == lines[i].bold
                and abs(lines[j].size - lines[i].size) < 0.5
                and (j == i or _continues(lines[j - 1], lines[j]))
            ):
                parts.append(body.folded[j])
                j += 1
            groups.append((i, j, " ".join(parts)))
            i = j
        else:
            i += 1
    return groups


def _area_regexes(wordings: Sequence[AreaWording]) -> list[tuple[Area, re.Pattern[str]]]:
    entries = sorted(((w.area, p) for w in wordings for p in w.patterns), key=lambda e: -len(e[1]))
    return [(a, re.compile(p, re.IGNORECASE)) for a, p in entries]


def _area_of(text: str, regexes: Sequence[tuple[Area, re.Pattern[str]]]) -> Area | None:
    for area, rx in regexes:
        if rx.search(text):
            return area
    return None


def _until(
    body: Body, i: int, end: int, *, stop_numbered: bool, stop_heading: re.Pattern[str] | None
) -> list[Line]:
    """Lines from i: to the next heading (or, given stop_heading, the next heading that
    matches it), and, with stop_numbered, to the next numbered paragraph."""
    out: list[Line] = []
    lines = body.lines
    on_contents = i < end and lines[i].page in body.contents_pages
    while i < end:
        line = lines[i]
        t = fold(line.text)
        if (not on_contents and _CONTENTS_LINE.match(t)) or (
            not on_contents and line.page in body.contents_pages
        ):
            break  # a summary running on over a page break into the table of contents
        if stop_heading is None and _heading(line, body):
            break
        if stop_heading is not None and _heading(line, body) and stop_heading.match(t):
            break
        if stop_numbered and _NUMBERED.match(t):
            break
        out.append(line)
        i += 1
    return out


def _first_paragraph(body: Body, i: int, end: int) -> list[Line]:
    """The first paragraph from line i: a numbered paragraph to the next number, or
    unnumbered text to the first paragraph gap; never past a heading."""
    lines = body.lines
    while i < end and (not fold(lines[i].text).strip() or _heading(lines[i], body)):
        if _heading(lines[i], body):
            return []
        i += 1
    if i >= end:
        return []
    first = lines[i]
    out = [first]
    numbered = _NUMBERED.match(fold(first.text)) is not None
    j = i + 1
    while j < end:
        line = lines[j]
        t = fold(line.text)
        if _heading(line, body) or _NUMBERED.match(t) or _BULLET.match(t):
            break
        prev = lines[j - 1]
        if not numbered and prev.page == line.page and prev.y - line.y > 1.6 * line.size:
            break
        out.append(line)
        j += 1
    return out


def _strip_number(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    if not paragraphs:
        return paragraphs
    return (re.sub(r"^\d{1,3}\.\s*", "", paragraphs[0]), *paragraphs[1:])


def _passage(key: str, kind: PassageKind, lines: list[Line]) -> Passage | None:
    paras = _paragraphs(lines)
    if kind is PassageKind.OPENING:
        paras = _strip_number(paras)
    if not paras or sum(len(p) for p in paras) < 40:
        return None
    return Passage(key, kind, paras, lines[0].page)


def _lscb_start(body: Body, lscb_heading: int | None) -> int:
    """Index where a combined report's LSCB part starts (its own title page, or the section
    heading the report parser found), else the end."""
    for i, (line, t) in enumerate(zip(body.lines, body.folded, strict=True)):
        if line.page > 1 and _LSCB_TITLE.match(t):
            return i
    return lscb_heading if lscb_heading is not None else len(body.lines)


@dataclass(frozen=True)
class _Label:
    """A judgement's heading in the body: where its group starts, where its own words may
    start, the area, and the heading group after it (None at the end)."""

    start: int
    after: int
    area: Area
    next_group: tuple[int, int, str] | None


def _labels(
    body: Body,
    groups: Sequence[tuple[int, int, str]],
    regexes: Sequence[tuple[Area, re.Pattern[str]]],
    lscb_at: int,
) -> list[_Label]:
    """Every heading before the LSCB part that names a graded judgement with its grade, in
    order (an area may be named more than once)."""
    end = len(body.lines)
    out: list[_Label] = []
    for n, (gi, gj, text) in enumerate(groups):
        if gi >= lscb_at:
            break
        nxt = groups[n + 1] if n + 1 < len(groups) else None
        after = gj  # where the judgement's own words may start
        if _KEY_JUDGEMENT.match(text):
            # SIF box: the label and grade are plain text after the box heading
            label_lines = _until(body, gj, end, stop_numbered=False, stop_heading=None)
            label = " ".join(fold(x.text) for x in label_lines)
            after = gj + len(label_lines)
        else:
            label = text
            if nxt and nxt[0] == gj and _GRADE_ONLY.match(nxt[2]):
                label = f"{text} {nxt[2]}"  # "Grade 4 (Inadequate)" under the heading
                after = nxt[1]
                nxt = groups[n + 2] if n + 2 < len(groups) else None
            if not GRADE_RE.search(label):
                continue
        area = _area_of(label, regexes)
        if area is not None:
            out.append(_Label(gi, after, area, nxt))
    return out


def _setup(
    body: Body, record: InspectionRecord, lscb_heading: int | None
) -> tuple[set[Area], list[tuple[int, int, str]], list[_Label], int]:
    graded = {a for a, j in record.judgements.items() if j.status is JudgementStatus.GRADED}
    assert record.edition is not None
    wordings = [w for w in record.edition.wording if w.area in graded]
    lscb_at = _lscb_start(body, lscb_heading)
    groups = _heading_groups(body, body.index_of_page(2), len(body.lines))
    labels = _labels(body, groups, _area_regexes(wordings), lscb_at)
    return graded, groups, labels, lscb_at


def read_passages(
    body: Body, record: InspectionRecord, lscb_heading: int | None = None
) -> dict[str, Passage]:
    """The report's words for each graded judgement, and its overview, keyed by Area value
    or OVERVIEW. Judgements the report gives no findable words for are left out.
    `lscb_heading`: index of a combined report's LSCB section heading, if it has one."""
    if record.edition is None:
        return {}
    graded, groups, labels, lscb_at = _setup(body, record, lscb_heading)
    end = len(body.lines)
    found: dict[str, Passage] = {}

    _overview(body, record, found, lscb_at)

    for label in labels:
        area, nxt, after = label.area, label.next_group, label.after
        if area.value in found:
            continue
        if nxt and nxt[0] == after and _SUMMARY_HEADING.match(nxt[2]):
            body_lines = _until(body, nxt[1], end, stop_numbered=True, stop_heading=None)
            p = _passage(area.value, PassageKind.SUMMARY, body_lines)
        else:
            p = _passage(area.value, PassageKind.OPENING, _first_paragraph(body, after, end))
        if p:
            found[area.value] = p
    if Area.LSCB in graded:
        for gi, gj, text in groups:
            if gi < lscb_at:
                continue
            p = None
            if _SUMMARY_HEADING.match(text):
                lines_ = _until(body, gj, end, stop_numbered=True, stop_heading=None)
                p = _passage(Area.LSCB.value, PassageKind.SUMMARY, lines_)
            elif _FINDINGS_HEADING.match(text):
                lines_ = _until(body, gj, end, stop_numbered=False, stop_heading=_FINDINGS_END)
                p = _passage(Area.LSCB.value, PassageKind.FINDINGS, lines_)
            if p:
                found[Area.LSCB.value] = p
                break
    return found


def _overview(
    body: Body, record: InspectionRecord, found: dict[str, Passage], lscb_at: int
) -> None:
    lines = body.lines
    # SIF and standalone LSCB reviews: "Summary of findings" (not on a contents page)
    for gi, _gj, text in _heading_groups(body, body.index_of_page(2), lscb_at):
        if _FINDINGS_HEADING.match(text):
            body_lines = _until(
                body, gi + 1, lscb_at, stop_numbered=False, stop_heading=_FINDINGS_END
            )
            p = _passage(OVERVIEW, PassageKind.FINDINGS, body_lines)
            if p:
                found[OVERVIEW] = p
            return
    # ILACS: page 1 after the judgement table, to "What needs to improve?"
    page2_end = body.index_of_page(3)
    table_end = None
    for i in range(0, body.index_of_page(2)):
        t = fold(lines[i].text)
        if len(t) < 60 and _GRADE_ALONE.search(t) and not _heading(lines[i], body):
            table_end = i
    if table_end is None:
        return
    body_lines = _until(body, table_end + 1, page2_end, stop_numbered=False, stop_heading=None)
    body_lines = [x for x in body_lines if not _ILACS_OVERVIEW_END.match(fold(x.text))]
    p = _passage(OVERVIEW, PassageKind.SUMMARY, body_lines)
    if p:
        found[OVERVIEW] = p


# --- whole sections ---------------------------------------------------------------------

# Headings that end the judgements' sections: what follows is not a judgement's findings.
_SECTION_STOP = re.compile(
    r"^(?:recommendations|areas for (?:priority action|improvement)|what needs to improve"
    r"|what does the (?:local authority|lscb|local safeguarding)"
    r"|record of main findings|information about this (?:inspection|review)|the inspection team"
    r"|summary for children and young people|contents$|annex\b|appendix\b"
    r"|the local safeguarding children(?:'s)? board$)",
    re.IGNORECASE,
)
# Ofsted's closing page (ILACS reports end on it without a heading).
_CLOSING_PAGE = re.compile(
    r"^(?:the office for standards in education, children's services and skills \(ofsted\)"
    r"|ofsted has a duty to|if you would like a copy of this document|you may reuse this"
    r"|this publication is available at|© crown copyright)",
    re.IGNORECASE,
)
# The LSCB part's findings headings, whose text is the LSCB's section.
_LSCB_FINDINGS = re.compile(
    r"^(?:(?:inspection |review )?findings\b|summary of (?:key )?findings|executive summary"
    r"|summary$|key strengths and weaknesses)",
    re.IGNORECASE,
)
# Headings within a judgement's section, whatever their size.
_IN_SECTION = re.compile(r"^(?:summary|(?:inspection )?findings)$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d{1,3}\.\s*")
_LINE_END_HYPHEN = re.compile(r"[^\W\d_]-$")


def _spans(body: Body, indices: Iterable[int]) -> list[tuple[str, PageStarts]]:
    """The body lines at `indices` joined into paragraphs as _paragraphs does (a new one at a
    bullet, a numbered paragraph or a gap), headings and small print left out, numbers taken
    off, each with the offsets where each page's text starts in it. Linear in the lines: a
    paragraph's pieces are joined once, at its end."""
    out: list[tuple[str, PageStarts]] = []
    pieces: list[str] = []  # the paragraph being read
    starts: list[tuple[int, int]] = []
    length = 0  # of the paragraph so far, joined
    prev: Line | None = None
    small = body.body_size - 1.5
    lines, folded = body.lines, body.folded

    def close() -> None:
        if pieces:
            out.append(("".join(pieces), tuple(starts)))

    for i in indices:
        line, text = lines[i], folded[i]
        if not text or _heading(line, body) or line.size < small:
            continue
        new = (
            prev is None
            or _BULLET.match(text) is not None
            or _NUMBERED.match(text) is not None
            or (
                prev.page == line.page
                and prev.y - line.y > 1.6 * max(line.size, 1.0)
                and not text[:1].islower()
            )
        )
        prev = line
        if new:
            text = _NUMBER.sub("", _BULLET.sub("", text))
            if text:
                close()
                pieces, starts, length = [text], [(0, line.page)], len(text)
            continue
        if not pieces:
            continue
        last = pieces[-1]
        if not (_LINE_END_HYPHEN.search(last[-2:]) and text[:1].islower()):
            pieces.append(" ")  # else "well-" + "being"
            length += 1
        if line.page != starts[-1][1]:
            starts.append((length, line.page))
        pieces.append(text)
        length += len(text)
    close()
    return out


def _section(key: str, body: Body, indices: Iterable[int]) -> Passage | None:
    spans = [(t, st) for t, st in _spans(body, indices) if not _CLOSING_PAGE.match(t)]
    if not spans or sum(len(t) for t, _ in spans) < 40:
        return None
    return Passage(
        key,
        PassageKind.SECTION,
        tuple(t for t, _ in spans),
        spans[0][1][0][1],
        tuple(st for _, st in spans),
    )


def _section_end(body: Body, start: int, end: int, major: float) -> int:
    """Where a judgement's section that starts at line `start` ends, before `end` (the next
    judgement's heading): at a heading that ends the judgements, a heading at least as large
    as the judgements' own (`major`), or Ofsted's closing page."""
    lines = body.lines
    for i in range(start, end):
        line, t = lines[i], body.folded[i]
        if _CLOSING_PAGE.match(t) or line.page in body.contents_pages:
            return i
        if _heading(line, body) and (
            _SECTION_STOP.match(t) or (line.size >= major - 0.25 and not _IN_SECTION.match(t))
        ):
            return i
    return end


def read_sections(
    body: Body, record: InspectionRecord, lscb_heading: int | None = None
) -> dict[str, Passage]:
    """Each graded judgement's whole section (kind SECTION), keyed by Area value (see the
    module's notes). Judgements whose section cannot be found are left out."""
    if record.edition is None:
        return {}
    graded, groups, labels, lscb_at = _setup(body, record, lscb_heading)
    end = len(body.lines)
    lines = body.lines
    found: dict[str, Passage] = {}
    major = max((lines[x.start].size for x in labels), default=0.0)
    for n, label in enumerate(labels):
        if label.area.value in found:
            continue
        stop = labels[n + 1].start if n + 1 < len(labels) else min(lscb_at, end)
        stop = _section_end(body, label.after, stop, major)
        p = _section(label.area.value, body, range(label.after, stop))
        if p:
            found[label.area.value] = p
    if lscb_at >= end and record.kind is Kind.LSCB_REVIEW:
        lscb_at = body.index_of_page(2)  # a standalone review: all of it is the LSCB's
    if Area.LSCB in graded and Area.LSCB.value not in found and lscb_at < end:
        taken: list[int] = []
        collecting = False
        k = 0
        for gi, gj, text in groups:
            if gi < lscb_at:
                continue
            if collecting:
                taken.extend(range(k, gi))
            collecting = bool(_LSCB_FINDINGS.match(text)) or (
                collecting and not _SECTION_STOP.match(text)
            )
            k = gj
        if collecting:
            taken.extend(range(k, _section_end(body, k, end, 1e9)))
        p = _section(Area.LSCB.value, body, taken)
        if p:
            found[Area.LSCB.value] = p
    return found
