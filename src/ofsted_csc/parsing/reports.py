"""Reading graded inspection reports: the 2012-13 inspections, SIF (with and without the
LSCB review, re-inspections, standalone LSCB reviews) and ILACS (2018, 2023, 2026 editions).

Everything framework-specific that is Ofsted's wording comes from domain.frameworks and
domain.grades; the patterns here find where in a report those words stand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from ofsted_csc.domain import rules
from ofsted_csc.domain.dates import parse_date, parse_periods
from ofsted_csc.domain.frameworks import (
    ILACS_2018,
    ILACS_2023,
    ILACS_2026,
    PRE_SIF_LOOKED_AFTER,
    PRE_SIF_PROTECTION,
    SIF,
    SIF_LSCB_REVIEW,
    WORDING,
    Area,
    AreaWording,
    Edition,
    Kind,
    fold,
    ilacs_edition_for_start,
    ilacs_kind_for_periods,
)
from ofsted_csc.domain.grades import GRADE_WORDS, Grade, grade_from_words
from ofsted_csc.domain.records import (
    InspectionRecord,
    Judgement,
    JudgementStatus,
    KindSource,
    Priority,
    PublishedSource,
    Recommendation,
    Scope,
)
from ofsted_csc.parsing.judgements import (
    Reader,
    Reading,
    Statement,
    Table,
    decide,
    find_table,
    label_regex,
    literal_prefix,
    page_at,
    read_body,
    read_by_position,
    scan_table,
)
from ofsted_csc.parsing.layout import Body
from ofsted_csc.parsing.lists import Item, read_list
from ofsted_csc.parsing.pdf import Line
from ofsted_csc.parsing.summaries import read_passages, read_sections


class ReportType(StrEnum):
    PRE_LOOKED_AFTER = "pre_looked_after"
    PRE_PROTECTION = "pre_protection"
    SIF_FULL = "sif_full"
    SIF_REINSPECTION = "sif_reinspection"
    LSCB_REVIEW = "lscb_review"
    ILACS = "ilacs"


# Titles on page 1, as Ofsted words them (folded text, any case). Order matters: the first
# that matches wins.
TITLES: tuple[tuple[ReportType, re.Pattern[str]], ...] = tuple(
    (t, re.compile(p, re.IGNORECASE))
    for t, p in (
        (
            ReportType.SIF_REINSPECTION,
            r"re-?inspection of services for children in need of help and protection",
        ),
        (
            ReportType.SIF_FULL,
            r"inspection of services for children in need of help and protection",
        ),
        (
            ReportType.PRE_LOOKED_AFTER,
            r"inspection of (?:services for )?looked after children(?:'s)? services",
        ),
        (
            ReportType.PRE_PROTECTION,
            r"inspection of (?:local authority )?arrangements for the protection of children",
        ),
        (
            ReportType.LSCB_REVIEW,
            r"review of the effectiveness of the local safeguarding children(?:'s)? board",
        ),
        (
            ReportType.ILACS,
            r"inspection of (?:[a-z ,&'.()-]{2,90} )?(?:local authority )?children's (?:social care )?services"
            r"|inspection of children's social care services",
        ),
    )
)

# The LSCB review, when combined with a SIF inspection, is named in the title.
_COMBINED_LSCB = re.compile(
    r"and\s+review of the effectiveness of the local safeguarding", re.IGNORECASE
)

_SIF_OVERALL = (
    re.compile(
        r"children's services in (?:the )?[^.]{2,90}? (?:are|is) (?:judged to be |judged |rated )?(?P<g>"
        + GRADE_WORDS
        + r")",
        re.IGNORECASE,
    ),
    re.compile(
        r"the overall judgement is (?:that )?(?:children's services? (?:are |is )?)?(?:judged (?:to be )?)?(?P<g>"
        + GRADE_WORDS
        + r")",
        re.IGNORECASE,
    ),
    re.compile(
        r"children's services in (?:the )?[^.]{2,90}? (?P<g>require(?:s)? improvement)",
        re.IGNORECASE,
    ),
)

_GRADE_GROUP = GRADE_WORDS

_LSCB_STATEMENTS = (
    re.compile(
        r"the judgement (?:for|on) the effectiveness of the (?:local safeguarding children(?:'s)? board|lscb)"
        r"(?: \(lscb\))? is (?:that it )?(?P<g>" + _GRADE_GROUP + ")",
        re.IGNORECASE,
    ),
    re.compile(
        r"the (?:effectiveness of the )?(?:(?:[a-z][\w'-]*|&) ){0,5}?(?:safeguarding children(?:'s)? (?:board|partnership)|lscb)"
        r"(?: \([a-z]{3,6}\))?(?: in [a-z][\w ,-]{1,40}?)?(?: (?:is|are) (?:judged (?:to be )?)?| )(?P<g>"
        + _GRADE_GROUP
        + ")",
        re.IGNORECASE,
    ),
)

_LSCB_SECTION = re.compile(
    r"^(?:section \d+:? )?(?:the )?(?:review of the )?(?:effectiveness (?:of )?(?:the )?)?"
    r"(?:local safeguarding children(?:'s)? board|lscb)(?: \(lscb\))?$",
    re.IGNORECASE,
)

_LA_RECS_HEADINGS = re.compile(
    r"^(?:recommendations?:?|what does the local authority need to (?:do to )?improve\??|"
    r"what needs to improve(?: in this local authority)?\??:?|areas for improvement:?)\d?$",
    re.IGNORECASE,
)
_LSCB_RECS_HEADINGS = re.compile(
    r"^(?:recommendations?:?|what does the (?:lscb|local safeguarding children(?:'s)? board) need to "
    r"(?:do to )?improve\??|areas for improvement:?|priority (?:and immediate )?actions?:?)\d?$",
    re.IGNORECASE,
)
_PRIORITY_HEADINGS: tuple[tuple[Priority, re.Pattern[str]], ...] = (
    (
        Priority.PRIORITY_ACTION,
        re.compile(r"^priority (?:and immediate )?actions?:?$", re.IGNORECASE),
    ),
    (Priority.AREA_FOR_IMPROVEMENT, re.compile(r"^areas? for improvement:?$", re.IGNORECASE)),
)
_TIMESCALES = re.compile(
    r"^(?:immediately|within (?:one|two|three|four|six|twelve|\d+) (?:weeks?|months?))\s*:?$",
    re.IGNORECASE,
)
# The National Framework tag at the end of an ILACS recommendation, in the spellings seen:
# "(outcome 3, national framework)", "(National Framework enabler two)", "[Outcome 3, national
# framework]", "(National Framework, Outcome 1)", "(Enabler: the workforce is equipped and
# effective, national framework)", "(principle 2, national framework)", and as a last
# sentence, "Enabler three: National Framework."
_NATIONAL_FRAMEWORK_TAG = re.compile(
    r"\s*[(\[]\s*(?P<tag>[^()\[\]]{0,120}?national framework[^()\[\]]{0,60}?)\s*[)\]]\s*(?P<dot>\.?)\s*$",
    re.IGNORECASE,
)
# A bare tag, the report's footnote saying it refers to the National Framework: "(Enabler 1)",
# "(Outcome 3)", "(Outcomes 2 and 3)".
_NATIONAL_FRAMEWORK_BARE_TAG = re.compile(
    r"\s*[(\[]\s*(?P<tag>(?:outcome|enabler|principle)s?\s+(?:\d|one|two|three|four|five|six|seven)"
    r"(?:\s*(?:,|and|&)\s*(?:\d|one|two|three|four|five|six|seven))*)\s*[)\]]\s*(?P<dot>\.?)\s*$",
    re.IGNORECASE,
)
_NATIONAL_FRAMEWORK_SENTENCE = re.compile(
    r"(?<=[.;])\s+(?P<tag>(?:outcome|enabler|principle)s?\b[^.()]{0,80}?:\s*national framework)\s*(?P<dot>)\.?\s*$",
    re.IGNORECASE,
)

# Section headings that always end a recommendations list.
_SECTION_ENDS = re.compile(
    r"^(?:summary for children and young people|information about this (?:inspection|local authority area)"
    r"|the local authority|inspection findings\b.*|summary of findings|key strengths and weaknesses.*|"
    r"the (?:lscb|local authority)['’]s (?:strengths|weaknesses)|inspection judgements? about\b.*|"
    r"the (?:lscb|local authority|local safeguarding children board) has the following (?:strengths|weaknesses):?|"
    r"contents|executive summary|what the inspection judgements mean.*|record of main findings|"
    r"the inspection team|previous ofsted inspections|local leadership)$",
    re.IGNORECASE,
)
# Headings that end a list unless an item follows at once: judgement areas, which some
# reports also use as topic headings inside their recommendations.
_TOPIC_ENDS = re.compile(
    r"^(?:the experiences and progress of\b.*|the impact of leaders\b.*|"
    r"leadership,? management and governance(?: \d+)?|"
    r"(?:outcomes for|quality of provision|capacity to improve|overall effectiveness)\b.*)$",
    re.IGNORECASE,
)

_LEAD = re.compile(
    r"(?<!deputy )(?<!deputy)lead inspectors?(?: on site)?:?\s*(?P<name>[^\n]{3,160})|reporting inspector:?\s+(?P<rname>[^\n]{3,80})",
    re.IGNORECASE,
)
_INSPECTOR_SUFFIX = re.compile(
    r"[,\s]*(?:\((?:OI|HMI)\)|senior HMI|HMI|(?:His|Her)\s+Majesty['’]s\s+Inspector(?:\s+\(HMI\))?|"
    r"Ofsted Inspector|Social Care Regulatory Inspector|Regulatory Inspector)\b.*$",
    re.IGNORECASE,
)


@dataclass
class Found:
    value: str
    page: int


# An ILACS report whose title names the body inspected in words no title pattern knows (a
# children's trust or company: "Inspection of Bradford Children and Families Trust"): page 1
# still opens with "Inspection of", gives the inspection dates and holds ILACS's judgement
# table.
_ILACS_BY_CONTENT = re.compile(
    r"^(?:\d{1,3} )?inspection of (?P<n>.{2,100}?) inspection dates?\s*:.{0,400}?"
    r"(?:judgements? grades? )?(?:the )?(?:impact of leaders on|experiences and progress of children)",
    re.IGNORECASE,
)


def report_type(first_page: str) -> ReportType | None:
    """Which kind of report page 1 announces, from its title wording (or, for an ILACS
    report titled with a trust's name, from its contents)."""
    head = first_page[:320]
    for kind, pattern in TITLES:
        if pattern.search(head):
            return kind
    if _ILACS_BY_CONTENT.search(first_page[:900]):
        return ReportType.ILACS
    return None


def _search_pages(
    body: Body, pattern: re.Pattern[str], pages: Sequence[int]
) -> tuple[re.Match[str], int] | None:
    for n in pages:
        m = pattern.search(body.page_folded(n))
        if m:
            return m, n
    return None


def _all_pages(body: Body) -> range:
    return range(1, body.pdf.page_count + 1)


# ---------------------------------------------------------------------------------------
# Fields common to every report


def read_dates(body: Body) -> tuple[list[tuple[date, date]], int | None]:
    pattern = re.compile(
        r"(?:inspection dates?|dates? of inspection)\s*:?\s*(?P<d>.{4,140}?)(?=lead inspector|reporting inspector|"
        r"report published|published|judgement|the overall|children's services|age group|$)",
        re.IGNORECASE,
    )
    for n in (1, 2):
        if n > body.pdf.page_count:
            break
        m = pattern.search(body.page_folded(n))
        if m:
            periods = parse_periods(m.group("d"))
            if periods:
                return periods, n
    return [], None


def read_published(body: Body) -> tuple[date | None, int | None]:
    pattern = re.compile(
        r"(?:report )?published:?\s*(?P<d>\d{1,2}(?:st|nd|rd|th)? \w+ \d{4}|\d{1,2}/\d{1,2}/\d{2,4})",
        re.IGNORECASE,
    )
    found = _search_pages(body, pattern, range(1, min(3, body.pdf.page_count) + 1))
    if found:
        m, n = found
        return parse_date(m.group("d")), n
    return None, None


def read_lead_inspector(body: Body) -> Found | None:
    for n in [1, *reversed(range(2, body.pdf.page_count + 1))]:
        text = body.pdf.page_text(n)
        for m in _LEAD.finditer(text):
            raw = m.group("name") or m.group("rname") or ""
            name = clean_inspector(raw)
            if not name and m.group("name") is not None:
                # "Lead inspector:" with the name on the next line
                rest = text[m.end() :].lstrip().split("\n", 1)[0]
                name = clean_inspector(rest)
            if name:
                return Found(name, n)
    return None


def clean_inspector(raw: str) -> str:
    """A name without its title; several lead inspectors are joined with "; "."""
    parts = re.split(r",?\s+and\s+(?=[A-Z])", " ".join(raw.split()))
    if len(parts) > 1:
        names = [_clean_one(p) for p in parts]
        if all(names):
            return "; ".join(names)
    return _clean_one(parts[0])


def _clean_one(raw: str) -> str:
    name = " ".join(raw.split())
    name = _INSPECTOR_SUFFIX.sub("", name)
    name = name.strip(" ,.;:–-")
    if not name or len(name) > 60 or not re.match(r"^[A-Z][A-Za-z'’ .\-éèáíóúÁÉ]+$", name):
        return ""
    if len(name.split()) < 2:
        return ""
    return name


def council_heading(body: Body, rtype: ReportType) -> str | None:
    """The council as page 1 names it."""
    page1 = body.pdf.lines[0] if body.pdf.page_count else ()
    texts = [ln.text for ln in page1]
    folded = body.first_page
    if rtype is ReportType.ILACS:
        m = re.search(
            r"inspection of (?!(?:the )?local authority\b)(?P<n>.{2,100}?) (?:local authority )?"
            r"children's (?:social care )?services",
            folded[:400],
            re.IGNORECASE,
        ) or _ILACS_BY_CONTENT.search(folded[:900])
        if m:
            return m.group("n")
    title_re = {t: p for t, p in TITLES}[rtype]
    # the lines before the title line (after any page number) name the council
    head: list[str] = []
    for text in texts[:8]:
        if title_re.search(fold(text)) or re.match(
            r"^(?:re-?)?inspection of|^review of", text, re.IGNORECASE
        ):
            break
        if re.fullmatch(r"\d{1,3}", text):
            continue
        head.append(text)
    if head:
        return " ".join(head)
    if rtype is ReportType.PRE_LOOKED_AFTER:
        # "Inspection of looked after children services\nSandwell Metropolitan Borough Council"
        for j, text in enumerate(texts[:8]):
            if re.search(r"services$", text, re.IGNORECASE) and j + 1 < len(texts):
                return texts[j + 1]
    return None


# ---------------------------------------------------------------------------------------
# Judgements


# ---------------------------------------------------------------------------------------
# Recommendations


def _is_heading_line(line: Line, body: Body) -> bool:
    return line.bold or line.size > body.body_size + 0.5


@lru_cache(maxsize=1)
def _graded_heading_re() -> re.Pattern[str]:
    label_re, _areas = label_regex(list(WORDING.values()))
    return re.compile(
        r"^(?:\d+\.?\s+)?(?:" + label_re.pattern + r")\s*(?:(?:is|are)\s*)?[:\-–]\s*" + GRADE_WORDS,
        re.IGNORECASE,
    )


def graded_headings(body: Body) -> frozenset[int]:
    """Positions (in body.lines) of the headings that open a judgement's section with its
    grade ("The experiences and progress of children in care: good", over up to three
    lines): whatever precedes them, a list has ended there."""
    heading_re = _graded_heading_re()
    lines = body.lines
    found: set[int] = set()
    for i, line in enumerate(lines):
        if not _is_heading_line(line, body) or len(line.text) > 120:
            continue
        text = line.text
        for j in range(i + 1, min(i + 3, len(lines))):
            if heading_re.match(fold(text)):
                break
            if lines[j].page != line.page or not _is_heading_line(lines[j], body):
                break
            text = f"{text} {lines[j].text}"
        if heading_re.match(fold(text)):
            found.add(i)
    return frozenset(found)


def _stop_for(body: Body) -> tuple[Callable[[Line], bool], Callable[[Line], bool]]:
    """(soft stop, section end) tests for reading a list in this report."""

    def soft(line: Line) -> bool:
        t = fold(line.text)
        return bool(_TOPIC_ENDS.match(t) or _LSCB_SECTION.match(t))

    def hard(line: Line) -> bool:
        if line.size >= body.body_size + 1.5:
            return True
        return bool(_SECTION_ENDS.match(fold(line.text)))

    return soft, hard


def _subheading(line: Line) -> bool:
    t = fold(line.text)
    return bool(_TIMESCALES.match(t) or any(p.match(t) for _, p in _PRIORITY_HEADINGS))


def _priority_of(heading: str | None) -> Priority | None:
    if heading is None:
        return None
    for priority, pattern in _PRIORITY_HEADINGS:
        if pattern.match(fold(heading)):
            return priority
    return None


def _timescale_of(heading: str | None) -> str | None:
    if heading and _TIMESCALES.match(fold(heading)):
        return fold(heading).rstrip(":")
    return None


def find_heading(
    body: Body, pattern: re.Pattern[str], start: int = 0, end: int | None = None
) -> int | None:
    """The first line from `start` that is a heading matching `pattern`, outside contents pages."""
    lines = body.lines
    end = len(lines) if end is None else end
    skip = body.contents_pages
    for i in range(start, end):
        if lines[i].page not in skip and pattern.match(body.folded[i]):
            return i
    return None


# A SIF report's "Areas for priority action" list may hold only this sentence: a note, not a
# recommendation.
_NO_RECOMMENDATIONS = re.compile(
    r"^(?:the inspection (?:did not|has not) (?:find|found|identif\w*) any|there (?:are|were) no)"
    r" areas? for priority",
    re.IGNORECASE,
)


def _items_to_recommendations(
    items: Sequence[Item], scope: Scope, first_position: int, *, priority_from_heading: bool
) -> list[Recommendation]:
    recs: list[Recommendation] = []
    current_priority: Priority | None = None
    current_timescale: str | None = None
    items = [i for i in items if not _NO_RECOMMENDATIONS.match(i.text.strip())]
    for k, item in enumerate(items):
        if item.heading is not None:
            p = _priority_of(item.heading)
            if p is not None:
                current_priority = p
            t = _timescale_of(item.heading)
            if t is not None:
                current_timescale = t
        text = item.text
        tag = None
        m = (
            _NATIONAL_FRAMEWORK_TAG.search(text)
            or _NATIONAL_FRAMEWORK_BARE_TAG.search(text)
            or _NATIONAL_FRAMEWORK_SENTENCE.search(text)
        )
        if m:
            tag = " ".join(m.group("tag").split())
            text = text[: m.start()].rstrip() + m.group("dot")
            text = text.rstrip()
        recs.append(
            Recommendation(
                position=first_position + k,
                text=text,
                scope=scope,
                priority=current_priority if priority_from_heading else None,
                national_framework_outcome=tag,
                timescale=current_timescale,
                page=item.page,
            )
        )
    return recs


def read_recommendations(
    body: Body, rtype: ReportType, lscb_heading: int | None = None
) -> tuple[list[Recommendation], list[str]]:
    """The local authority's list and, for SIF with an LSCB review, the LSCB's list."""
    lines = body.lines
    warnings: list[str] = []
    first_body = body.index_of_page(2) if rtype is not ReportType.ILACS else 0
    # The LSCB section, where there is one, starts at its heading after page 1.
    lscb_start = lscb_heading if rtype is ReportType.SIF_FULL else None
    if rtype is ReportType.LSCB_REVIEW:
        lscb_start = 0
    recs: list[Recommendation] = []
    stop, section = _stop_for(body)
    graded = {id(lines[i]) for i in graded_headings(body)}

    def ends(line: Line) -> bool:
        return id(line) in graded

    def items_after(heading: int) -> list[Item]:
        """The list under the heading at `heading` (a sub-heading opens it)."""
        start = heading if _subheading(lines[heading]) else heading + 1
        items, _end = read_list(
            lines, start, is_stop=stop, is_subheading=_subheading, is_section=section, is_end=ends
        )
        return items

    if rtype is not ReportType.LSCB_REVIEW:
        la_end = lscb_start if lscb_start is not None else len(lines)
        heading_re = _LA_RECS_HEADINGS
        if rtype is ReportType.PRE_LOOKED_AFTER or rtype is ReportType.PRE_PROTECTION:
            heading_re = re.compile(r"^areas for improvement\s*$", re.IGNORECASE)
        idx = find_heading(body, heading_re, first_body, la_end)
        while (
            idx is not None
            and _PRIORITY_HEADINGS[1][1].match(fold(lines[idx].text))
            and rtype
            in (
                ReportType.SIF_FULL,
                ReportType.SIF_REINSPECTION,
            )
        ):
            # "Areas for improvement" alone is a sub-heading of the SIF list; prefer a real heading
            better = find_heading(
                body,
                re.compile(
                    r"^(?:recommendations?|what does the local authority need to (?:do to )?improve\??)\d?$",
                    re.IGNORECASE,
                ),
                first_body,
                la_end,
            )
            if better is not None:
                idx = better
            break
        if idx is None:
            warnings.append("no recommendations section found")
        else:
            items = items_after(idx)
            if not items:
                warnings.append("the recommendations section has no items")
            recs.extend(
                _items_to_recommendations(
                    items,
                    Scope.LOCAL_AUTHORITY,
                    1,
                    priority_from_heading=rtype
                    in (ReportType.SIF_FULL, ReportType.SIF_REINSPECTION),
                )
            )

    if lscb_start is not None:
        idx = find_heading(
            body, _LSCB_RECS_HEADINGS, lscb_start + (0 if rtype is ReportType.LSCB_REVIEW else 1)
        )
        if idx is None:
            warnings.append("no LSCB recommendations found")
        else:
            items = items_after(idx)
            if not items:
                warnings.append("the LSCB recommendations section has no items")
            recs.extend(
                _items_to_recommendations(
                    items, Scope.LSCB, len(recs) + 1, priority_from_heading=True
                )
            )
    return recs, warnings


# ---------------------------------------------------------------------------------------
# The whole report


def _set_judgements(
    record: InspectionRecord,
    edition: Edition,
    readings: Sequence[dict[Area, Reading]],
) -> None:
    """Each judgement of the edition from its readers' readings (see parsing.judgements)."""
    labels = {w.area: w.label for w in edition.wording}
    for area in edition.areas:
        decision = decide(area, labels.get(area, area.value), [r.get(area) for r in readings])
        reading = decision.reading
        if reading is None:
            record.judgements[area] = Judgement.not_read(area, decision.conflict)
        elif reading.grade is None:
            record.judgements[area] = Judgement.not_judged(area, reading.page, reading.label)
        else:
            record.judgements[area] = Judgement.graded(
                area, reading.grade, reading.page, reading.label
            )
    for area in Area:
        if area not in record.judgements:
            record.judgements[area] = Judgement.not_in_framework(area)


def _as_readings(found: Table, page: int, reader: Reader = Reader.TEXT) -> dict[Area, Reading]:
    return {a: Reading(a, g, label, page, reader) for a, (g, label, _) in found.items()}


def parse_report(body: Body, rtype: ReportType) -> InspectionRecord:
    """Read a graded report of the given type into a record (council matching is done by
    the caller, from `council_name_in_report`)."""
    periods, dates_page = read_dates(body)
    record = InspectionRecord(
        council_urn=None,
        council_name_in_report=council_heading(body, rtype),
        framework=None,
        edition=None,
        kind=None,
    )
    if periods:
        record.periods = periods
        record.inspection_start = periods[0][0]
        record.inspection_end = periods[-1][1]
        if dates_page:
            record.pages["inspection_start"] = dates_page
            record.pages["inspection_end"] = dates_page
    published, pub_page = read_published(body)
    if published:
        record.published = published
        record.published_source = PublishedSource.REPORT
        if pub_page:
            record.pages["published"] = pub_page
    lead = read_lead_inspector(body)
    if lead:
        record.lead_inspector = lead.value
        record.pages["lead_inspector"] = lead.page

    # a combined SIF report's LSCB section: where the judgements, lists and passages of the
    # local authority end
    lscb_heading = (
        lscb_section_start(body, body.index_of_page(2)) if rtype is ReportType.SIF_FULL else None
    )
    if rtype is ReportType.ILACS:
        _parse_ilacs(body, record)
    elif rtype in (ReportType.SIF_FULL, ReportType.SIF_REINSPECTION):
        _parse_sif(body, record, rtype, lscb_heading)
    elif rtype is ReportType.LSCB_REVIEW:
        _parse_lscb_review(body, record)
    else:
        _parse_pre(body, record, rtype)

    lscb = record.judgements.get(Area.LSCB)
    if lscb_heading is not None and (lscb is None or lscb.status is not JudgementStatus.GRADED):
        record.warnings.append(
            rules.doubt(rules.IMPLAUSIBLE, "the report has an LSCB section but no LSCB grade")
        )
    recs, warnings = read_recommendations(body, rtype, lscb_heading)
    record.recommendations = recs
    record.passages = read_passages(body, record, lscb_heading)
    record.sections = read_sections(body, record, lscb_heading)
    record.warnings.extend(warnings)
    for rec in recs:
        record.pages[f"recommendation.{rec.position}"] = rec.page or 0
    return record


def _judgement_table(
    body: Body, wordings: Sequence[AreaWording], header: str | None = None
) -> tuple[Table, int]:
    """The judgement table at the start of a report (pages 1-2, furniture and footnotes
    removed, so a table broken by a page end reads as one), and the page it starts on."""
    text, starts = body.body_text(1, min(2, body.pdf.page_count))
    found: Table = {}
    if header:
        head = re.search(header, text, re.IGNORECASE)
        if head:
            found = scan_table(text, wordings, head.end())
    if len(found) < 3:
        other = find_table(text, wordings)
        if len(other) > len(found):
            found = other
    if not found:
        return found, 1
    first = min(offset for _, _, offset in found.values())
    return found, page_at(starts, first)


# Body sections about earlier inspections: the grades they list are not this report's.
_PAST_SECTIONS = re.compile(
    r"^(?:information about this local authority area|previous ofsted inspections?)\b",
    re.IGNORECASE,
)


def _body_readings(
    body: Body,
    wordings: Sequence[AreaWording],
    first: int,
    last: int | None = None,
    extra: Sequence[Statement] = (),
) -> dict[Area, Reading]:
    """The grades the body restates on pages first..last (after the judgement table),
    leaving out what it says of earlier inspections."""
    last = body.pdf.page_count if last is None else last
    past: set[int] = set()
    inside = False
    for i, line in enumerate(body.lines):
        if first <= line.page <= last and _is_heading_line(line, body):
            inside = bool(_PAST_SECTIONS.match(body.folded[i])) or (
                inside and line.size <= body.body_size + 0.5
            )
        if inside:
            past.add(i)
    text, starts = body.body_text(first, last, leave_out=past)
    return read_body(text, starts, wordings, extra)


def lscb_section_start(body: Body, first: int) -> int | None:
    """Index of the heading that opens the LSCB section of a combined SIF report: a heading
    line (larger or bold type), possibly over two lines."""
    lines = body.lines
    for i in range(first, len(lines)):
        line = lines[i]
        if not _is_heading_line(line, body):
            continue
        t = body.folded[i]
        if _LSCB_SECTION.match(t):
            return i
        if (
            i + 1 < len(lines)
            and _is_heading_line(lines[i + 1], body)
            and _LSCB_SECTION.match(fold(t + " " + lines[i + 1].text))
        ):
            return i
    return None


def _ilacs_wordings() -> list[AreaWording]:
    unique: dict[tuple[Area, tuple[str, ...]], AreaWording] = {}
    for w in (*ILACS_2018.wording, *ILACS_2023.wording):
        unique[(w.area, w.patterns)] = w
    return list(unique.values())


def _parse_ilacs(body: Body, record: InspectionRecord) -> None:
    wordings = _ilacs_wordings()
    found, page = _judgement_table(body, wordings, header=r"judgements?\s+grades?")
    text = _as_readings(found, page)
    position = read_by_position(body.pdf, wordings, (1, 2))
    labels = {a: r.label for a, r in position.items()} | {a: r.label for a, r in text.items()}
    split_labels = Area.CARE_LEAVERS in labels
    combined_in_care = any(
        a is Area.IN_CARE and "care leavers" in label.lower() for a, label in labels.items()
    )
    if split_labels and not combined_in_care:
        edition = ILACS_2026 if Area.OVERALL not in labels else ILACS_2023
        starts_before = ILACS_2026.from_date is not None and (
            record.inspection_start is not None and record.inspection_start < ILACS_2026.from_date
        )
        if edition is ILACS_2026 and starts_before:
            edition = ILACS_2023  # overall effectiveness should be there: not read
    elif combined_in_care:
        edition = ILACS_2018
    elif record.inspection_start:
        edition = ilacs_edition_for_start(record.inspection_start)
    else:
        edition = ILACS_2018
    record.framework = edition.framework
    record.edition = edition
    restated = _body_readings(body, edition.wording, page + 1)
    _set_judgements(record, edition, [text, position, restated])
    if record.periods:
        record.kind = ilacs_kind_for_periods(record.periods)
        record.kind_source = KindSource.DATES


def _sif_overall(text: str, page: int, reader: Reader) -> Reading | None:
    for pattern in _SIF_OVERALL:
        m = pattern.search(text)
        if m:
            g = grade_from_words(m.group("g"))
            if g:
                return Reading(Area.OVERALL, g, m.group(0), page, reader)
    return None


def _parse_sif(
    body: Body, record: InspectionRecord, rtype: ReportType, lscb_at: int | None
) -> None:
    page1 = body.first_page
    record.framework = SIF.framework
    record.edition = SIF
    record.kind = Kind.REINSPECTION if rtype is ReportType.SIF_REINSPECTION else Kind.FULL
    record.kind_source = KindSource.REPORT
    wordings = [w for w in SIF.wording if w.area not in (Area.OVERALL, Area.LSCB)]
    found, page = _judgement_table(body, wordings)
    text = _as_readings(found, page)
    position = read_by_position(body.pdf, wordings, (1, 2))
    overall = _sif_overall(page1, 1, Reader.TEXT)
    if overall:
        text[Area.OVERALL] = overall
    # The body: the local authority's part (before any LSCB section), after the table.
    la_last = body.lines[lscb_at].page if lscb_at is not None else None
    extra = [(Area.OVERALL, literal_prefix(p), p) for p in _SIF_OVERALL]
    restated = _body_readings(body, wordings, page + 1, la_last, extra)
    has_lscb = rtype is ReportType.SIF_FULL and bool(_COMBINED_LSCB.search(page1[:600]))
    if has_lscb:
        on_page1, in_section = _lscb_readings(body, lscb_at)
        if on_page1:
            text[Area.LSCB] = on_page1
        if in_section:
            restated[Area.LSCB] = in_section
    _set_judgements(record, SIF, [text, position, restated])
    if not has_lscb:
        record.judgements[Area.LSCB] = Judgement.not_in_framework(Area.LSCB)


def _lscb_statement(text: str) -> tuple[Grade, str] | None:
    for pattern in _LSCB_STATEMENTS:
        m = pattern.search(text)
        if m:
            g = grade_from_words(m.group("g"))
            if g:
                return g, m.group(0)
    return None


def _lscb_readings(body: Body, section: int | None) -> tuple[Reading | None, Reading | None]:
    """The LSCB grade as stated on page 1 (early reports) and at the start of its section."""
    first = _lscb_statement(body.first_page)
    on_page1 = Reading(Area.LSCB, first[0], first[1], 1, Reader.TEXT) if first else None
    start_page = body.lines[section].page if section is not None else 2
    in_section = None
    for n in range(start_page, body.pdf.page_count + 1):
        found = _lscb_statement(body.page_folded(n))
        if found:
            in_section = Reading(Area.LSCB, found[0], found[1], n, Reader.BODY)
            break
    return on_page1, in_section


def _parse_lscb_review(body: Body, record: InspectionRecord) -> None:
    record.framework = SIF_LSCB_REVIEW.framework
    record.edition = SIF_LSCB_REVIEW
    record.kind = Kind.LSCB_REVIEW
    record.kind_source = KindSource.REPORT
    readings: dict[Area, Reading] = {}
    for n in range(1, min(3, body.pdf.page_count) + 1):
        found = _lscb_statement(body.page_folded(n))
        if found:
            readings[Area.LSCB] = Reading(Area.LSCB, found[0], found[1], n, Reader.TEXT)
            break
    _set_judgements(record, SIF_LSCB_REVIEW, [readings])


def _parse_pre(body: Body, record: InspectionRecord, rtype: ReportType) -> None:
    edition = PRE_SIF_LOOKED_AFTER if rtype is ReportType.PRE_LOOKED_AFTER else PRE_SIF_PROTECTION
    record.framework = edition.framework
    record.edition = edition
    record.kind = edition.kinds[0]
    record.kind_source = KindSource.REPORT
    text: dict[Area, Reading] = {}
    page = 0
    for n in reversed(range(1, body.pdf.page_count + 1)):
        folded = body.page_folded(n)
        m = re.search(r"record of main findings", folded, re.IGNORECASE)
        if m:
            text = _as_readings(find_table(folded[m.end() :], edition.wording), n)
            page = n
            break
    restated = _body_readings(body, edition.wording, 2, page - 1 if page else None)
    _set_judgements(record, edition, [text, restated])
