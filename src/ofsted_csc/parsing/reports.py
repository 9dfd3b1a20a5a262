"""Reading graded inspection reports: the 2012-13 inspections, SIF (with and without the
LSCB review, re-inspections, standalone LSCB reviews) and ILACS (2018, 2023, 2026 editions).

Everything framework-specific that is Ofsted's wording comes from domain.frameworks and
domain.grades; the patterns here find where in a report those words stand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ofsted_csc.domain.frameworks import (
    ILACS_2018,
    ILACS_2023,
    ILACS_2026,
    ILACS_SHORT_MAX_WORKING_DAYS,
    PRE_SIF_LOOKED_AFTER,
    PRE_SIF_PROTECTION,
    SIF,
    SIF_LSCB_REVIEW,
    Area,
    AreaWording,
    Edition,
    Kind,
    fold,
    ilacs_edition_for_start,
)
from ofsted_csc.domain.grades import GRADE_WORDS, Grade, grade_from_words
from ofsted_csc.domain.records import (
    InspectionRecord,
    Judgement,
    KindSource,
    Priority,
    PublishedSource,
    Recommendation,
    Scope,
)
from ofsted_csc.parsing.dates import parse_date, parse_periods
from ofsted_csc.parsing.layout import Body
from ofsted_csc.parsing.lists import Item, read_list
from ofsted_csc.parsing.pdf import Line
from ofsted_csc.parsing.summaries import read_passages


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
        r"the overall judgement is (?:that )?(?:children's services (?:are |is )?)?(?:judged (?:to be )?)?(?P<g>"
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
_NATIONAL_FRAMEWORK_SENTENCE = re.compile(
    r"(?<=[.;])\s+(?P<tag>(?:outcome|enabler|principle)s?\b[^.()]{0,80}?:\s*national framework)\s*(?P<dot>)\.?\s*$",
    re.IGNORECASE,
)

# Section headings that always end a recommendations list.
_SECTION_ENDS = re.compile(
    r"^(?:summary for children and young people|information about this (?:inspection|local authority area)"
    r"|the local authority|inspection findings\b.*|summary of findings|key strengths and weaknesses.*|"
    r"the (?:lscb|local authority)['’]s (?:strengths|weaknesses)|inspection judgements? about\b.*|"
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


def report_type(first_page: str) -> ReportType | None:
    """Which kind of report page 1 announces, from its title wording."""
    head = first_page[:320]
    for kind, pattern in TITLES:
        if pattern.search(head):
            return kind
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
            r"inspection of (?P<n>.{2,100}?) local authority children's (?:social care )?services",
            folded,
            re.IGNORECASE,
        )
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


def _label_regex(wordings: Sequence[AreaWording]) -> re.Pattern[str]:
    parts = []
    # longest patterns first, so "children in care and care leavers" beats "children in care"
    entries = sorted(
        ((w.area.value, p) for w in wordings for p in w.patterns), key=lambda e: -len(e[1])
    )
    for i, (_area, pattern) in enumerate(entries):
        parts.append(f"(?P<a{i}>{pattern})")
    return re.compile("|".join(parts), re.IGNORECASE)


def _entries(wordings: Sequence[AreaWording]) -> list[Area]:
    entries = sorted(((w.area, p) for w in wordings for p in w.patterns), key=lambda e: -len(e[1]))
    return [a for a, _ in entries]


_GRADE_AFTER = re.compile(
    r"\s*[.:\-–]?\s*(?:is\s+)?(?P<g>" + _GRADE_GROUP + r")(?:\s?\d(?![\d.]))?(?:\s*\*)?",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"\s*(?:\d(?:\.\d)?\.?\s+)?")


def scan_table(
    text: str, wordings: Sequence[AreaWording], start: int = 0
) -> dict[Area, tuple[Grade, str, int]]:
    """Read a judgement table from folded text: label, grade, label, grade, ...

    Scans from `start`; every label must be followed directly by its grade. Returns
    area -> (grade, label as printed, offset). Stops at the first thing that is neither.
    """
    label_re = _label_regex(wordings)
    areas = _entries(wordings)
    found: dict[Area, tuple[Grade, str, int]] = {}
    pos = start
    while pos < len(text):
        m_num = _NUMBERING.match(text, pos)
        at = m_num.end() if m_num else pos
        m = label_re.match(text, at)
        if not m:
            break
        area = next(areas[int(k[1:])] for k, v in m.groupdict().items() if v is not None)
        g = _GRADE_AFTER.match(text, m.end())
        if not g:
            break
        grade = grade_from_words(g.group("g"))
        if grade is None:
            break
        if area not in found:
            found[area] = (grade, m.group(0), m.start())
        pos = g.end()
    return found


def find_table(text: str, wordings: Sequence[AreaWording]) -> dict[Area, tuple[Grade, str, int]]:
    """The longest run of label-grade pairs anywhere in `text`."""
    label_re = _label_regex(wordings)
    best: dict[Area, tuple[Grade, str, int]] = {}
    for m in label_re.finditer(text):
        # allow numbering before the label
        begin = m.start()
        nm = re.search(r"(?:\d(?:\.\d)?\.?\s+)$", text[max(0, begin - 6) : begin])
        if nm:
            begin -= len(nm.group(0))
        table = scan_table(text, wordings, begin)
        if len(table) > len(best):
            best = table
    return best


# ---------------------------------------------------------------------------------------
# Recommendations


def _is_heading_line(line: Line, body: Body) -> bool:
    return line.bold or line.size > body.body_size + 0.5


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
        if lines[i].page not in skip and pattern.match(fold(lines[i].text)):
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
        m = _NATIONAL_FRAMEWORK_TAG.search(text) or _NATIONAL_FRAMEWORK_SENTENCE.search(text)
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


def read_recommendations(body: Body, rtype: ReportType) -> tuple[list[Recommendation], list[str]]:
    """The local authority's list and, for SIF with an LSCB review, the LSCB's list."""
    lines = body.lines
    warnings: list[str] = []
    first_body = body.index_of_page(2) if rtype is not ReportType.ILACS else 0
    # The LSCB section, where there is one, starts at its heading after page 1.
    lscb_start = lscb_section_start(body, first_body) if rtype is ReportType.SIF_FULL else None
    if rtype is ReportType.LSCB_REVIEW:
        lscb_start = 0
    recs: list[Recommendation] = []
    stop, section = _stop_for(body)

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
            start = idx if _subheading(lines[idx]) else idx + 1  # a sub-heading opens the list
            items, _end = read_list(
                lines, start, is_stop=stop, is_subheading=_subheading, is_section=section
            )
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
            start = idx if _subheading(lines[idx]) else idx + 1
            items, _end = read_list(
                lines, start, is_stop=stop, is_subheading=_subheading, is_section=section
            )
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


def _working_days(periods: Sequence[tuple[date, date]]) -> int:
    days = 0
    for start, end in periods:
        d = start
        while d <= end:
            if d.weekday() < 5:
                days += 1
            d += timedelta(days=1)
    return days


def _set_judgements(
    record: InspectionRecord,
    edition: Edition,
    found: dict[Area, tuple[Grade, str, int]],
    page: int,
) -> None:
    for area in edition.areas:
        if area in found:
            grade, label, _ = found[area]
            record.judgements[area] = Judgement.graded(area, grade, page, label)
        else:
            record.judgements[area] = Judgement.not_read(area)
    for area in Area:
        if area not in record.judgements:
            record.judgements[area] = Judgement.not_in_framework(area)


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

    if rtype is ReportType.ILACS:
        _parse_ilacs(body, record)
    elif rtype in (ReportType.SIF_FULL, ReportType.SIF_REINSPECTION):
        _parse_sif(body, record, rtype)
    elif rtype is ReportType.LSCB_REVIEW:
        _parse_lscb_review(body, record)
    else:
        _parse_pre(body, record, rtype)

    recs, warnings = read_recommendations(body, rtype)
    record.recommendations = recs
    lscb_heading = (
        lscb_section_start(body, body.index_of_page(2)) if rtype is ReportType.SIF_FULL else None
    )
    record.passages = read_passages(body, record, lscb_heading)
    record.warnings.extend(warnings)
    for rec in recs:
        record.pages[f"recommendation.{rec.position}"] = rec.page or 0
    return record


def _judgement_table(
    body: Body, wordings: Sequence[AreaWording], header: str | None = None
) -> tuple[dict[Area, tuple[Grade, str, int]], int]:
    """The judgement table at the start of a report (pages 1-2, furniture and footnotes
    removed, so a table broken by a page end reads as one), and the page it starts on."""
    text, starts = body.body_text(1, min(2, body.pdf.page_count))
    found: dict[Area, tuple[Grade, str, int]] = {}
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
    page = 1
    for offset, n in starts:
        if offset <= first:
            page = n
    return found, page


def lscb_section_start(body: Body, first: int) -> int | None:
    """Index of the heading that opens the LSCB section of a combined SIF report: a heading
    line (larger or bold type), possibly over two lines."""
    lines = body.lines
    for i in range(first, len(lines)):
        line = lines[i]
        if not _is_heading_line(line, body):
            continue
        t = fold(line.text)
        if _LSCB_SECTION.match(t):
            return i
        if (
            i + 1 < len(lines)
            and _is_heading_line(lines[i + 1], body)
            and _LSCB_SECTION.match(fold(t + " " + lines[i + 1].text))
        ):
            return i
    return None


def _parse_ilacs(body: Body, record: InspectionRecord) -> None:
    wordings = [*ILACS_2018.wording, *ILACS_2023.wording]
    # de-duplicate wordings by (area, patterns)
    unique: dict[tuple[Area, tuple[str, ...]], AreaWording] = {}
    for w in wordings:
        unique[(w.area, w.patterns)] = w
    found, page = _judgement_table(body, list(unique.values()), header=r"judgements?\s+grades?")
    split_labels = Area.CARE_LEAVERS in found
    combined_in_care = any(
        a is Area.IN_CARE and "care leavers" in label.lower() for a, (_, label, _) in found.items()
    )
    if split_labels and not combined_in_care:
        edition = ILACS_2026 if Area.OVERALL not in found else ILACS_2023
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
    _set_judgements(record, edition, found, page)
    if record.periods:
        short = _working_days(record.periods) <= ILACS_SHORT_MAX_WORKING_DAYS
        record.kind = Kind.SHORT if short else Kind.STANDARD
        record.kind_source = KindSource.DATES


def _parse_sif(body: Body, record: InspectionRecord, rtype: ReportType) -> None:
    page1 = body.first_page
    record.framework = SIF.framework
    record.edition = SIF
    record.kind = Kind.REINSPECTION if rtype is ReportType.SIF_REINSPECTION else Kind.FULL
    record.kind_source = KindSource.REPORT
    wordings = [w for w in SIF.wording if w.area not in (Area.OVERALL, Area.LSCB)]
    found, page = _judgement_table(body, wordings)
    for pattern in _SIF_OVERALL:
        m = pattern.search(page1)
        if m:
            g = grade_from_words(m.group("g"))
            if g:
                found[Area.OVERALL] = (g, m.group(0), m.start())
                break
    has_lscb = rtype is ReportType.SIF_FULL and bool(_COMBINED_LSCB.search(page1[:600]))
    lscb = _read_lscb_grade(body) if has_lscb else None
    if lscb:
        found[Area.LSCB] = (lscb[0], lscb[1], 0)
    _set_judgements(record, SIF, found, page)
    if lscb:
        record.judgements[Area.LSCB] = Judgement.graded(Area.LSCB, lscb[0], lscb[2], lscb[1])
    if not has_lscb:
        record.judgements[Area.LSCB] = Judgement.not_in_framework(Area.LSCB)


def _read_lscb_grade(body: Body) -> tuple[Grade, str, int] | None:
    """The LSCB grade: stated on page 1 in early reports, else at the start of its section."""
    page1 = body.first_page
    for pattern in _LSCB_STATEMENTS:
        m = pattern.search(page1)
        if m:
            g = grade_from_words(m.group("g"))
            if g:
                return g, m.group(0), 1
    # the section: first statement after the section heading
    start = lscb_section_start(body, body.index_of_page(2))
    start_page = body.lines[start].page if start is not None else None
    pages = (
        range(start_page, body.pdf.page_count + 1)
        if start_page
        else range(2, body.pdf.page_count + 1)
    )
    for n in pages:
        text = body.page_folded(n)
        for pattern in _LSCB_STATEMENTS:
            m = pattern.search(text)
            if m:
                g = grade_from_words(m.group("g"))
                if g:
                    return g, m.group(0), n
    return None


def _parse_lscb_review(body: Body, record: InspectionRecord) -> None:
    record.framework = SIF_LSCB_REVIEW.framework
    record.edition = SIF_LSCB_REVIEW
    record.kind = Kind.LSCB_REVIEW
    record.kind_source = KindSource.REPORT
    found: dict[Area, tuple[Grade, str, int]] = {}
    lscb = None
    for n in range(1, min(3, body.pdf.page_count) + 1):
        text = body.page_folded(n)
        for pattern in _LSCB_STATEMENTS:
            m = pattern.search(text)
            if m:
                g = grade_from_words(m.group("g"))
                if g:
                    lscb = (g, m.group(0), n)
                    break
        if lscb:
            break
    _set_judgements(record, SIF_LSCB_REVIEW, found, 1)
    if lscb:
        record.judgements[Area.LSCB] = Judgement.graded(Area.LSCB, lscb[0], lscb[2], lscb[1])


def _parse_pre(body: Body, record: InspectionRecord, rtype: ReportType) -> None:
    edition = PRE_SIF_LOOKED_AFTER if rtype is ReportType.PRE_LOOKED_AFTER else PRE_SIF_PROTECTION
    record.framework = edition.framework
    record.edition = edition
    record.kind = edition.kinds[0]
    record.kind_source = KindSource.REPORT
    found: dict[Area, tuple[Grade, str, int]] = {}
    page = 0
    for n in reversed(range(1, body.pdf.page_count + 1)):
        text = body.page_folded(n)
        m = re.search(r"record of main findings", text, re.IGNORECASE)
        if m:
            found = find_table(text[m.end() :], edition.wording)
            page = n
            break
    _set_judgements(record, edition, found, page or 1)
