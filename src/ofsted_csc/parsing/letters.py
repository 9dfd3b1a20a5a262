"""Ofsted's visit letters: focused visits and monitoring visits under ILACS (ungraded).

    is_letter(pdf) -> bool           the cheap check on the wording of pages 1-2
    parse_letter(pdf) -> LetterRecord

A letter has a fixed shape that changed little from 2018 to 2026: Ofsted's address block
(small print), the letter date, the addressee, "Dear ...", a bold title ("Focused visit to
Torbay children's services"), "This letter summarises the findings of a focused visit to ...
on 4 and 5 June 2019", the inspectors, what the visit looked at ("Inspectors looked at the
local authority's arrangements for care leavers"), then bold section headings: "Areas for
priority action" (some letters), "What needs to improve in this area of social work
practice" (most; "Areas for improvement" in a few), findings, and a signature block
("Yours sincerely / NAME / Her Majesty's Inspector").

Lists are read from the layout: items start with a bullet; continuation lines hang indented
or carry on a sentence; the list ends at the next bold heading. A few early letters set the
items as plain paragraphs, which are read as one item per paragraph.

Where the shape varies: the visit dates may stand in a later sentence ("The visit took place
on ...") and in many forms (one day, "30 September and 1 October 2020", "22–23 October",
"4/5 June", with or without the year, the year on the first or last day only); the letter
date may stand elsewhere than above the greeting (after the body, at the end), and one
letter gives none; the lead inspector may carry the title on the name's line ("NAME HMI") or
none at all, or be named only in the text. A value the letter does not give stays None and
is named in the warnings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ofsted_csc.domain.councils import CouncilRegistry, load_registry
from ofsted_csc.domain.dates import MONTHS, make_date
from ofsted_csc.domain.frameworks import Kind, fold
from ofsted_csc.domain.records import (
    HEADLINE_FINDINGS,
    MAIN_FINDINGS,
    LetterRecord,
    Passage,
    PassageKind,
)
from ofsted_csc.parsing.pdf import Line, PdfText

BULLET = "•"
_APOS = "['’]"

# --- page furniture -----------------------------------------------------------------------

# Ofsted's address block, set small at the top of page 1 (sometimes extracted after the body
# text of page 1), and page numbers. Small print that is not a bullet is furniture or a
# footnote ("1 The areas for improvement have been cross-referenced with ... National
# Framework"); body text is 11-12 pt, the address block 8-9 pt, footnotes 6.5-10 pt.
_SMALL_PRINT = 10.5
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$", re.IGNORECASE)
# Lines of Ofsted's address block, whatever their size (a few letters set it in body type).
_ADDRESS = re.compile(
    r"^(?:\d{1,3}\s+)?(?:Ofsted|Piccadilly Gate|Store Street|Manchester(?: M1 2WD)?|M1 2WD"
    r"|T 0300 123 \d{4}|Textphone(?: \d[\d ]*)?|0161 618 8524|enquiries@ofsted\.gov\.uk"
    r"|www\.gov\.uk/ofsted|Agora|6 Cumberland Place|Nottingham NG1 6HJ|NG1 6HJ"
    r"|2 Rivergate,?|Temple Quay,?|Bristol BS1 6EH)\s*$",
    re.IGNORECASE,
)


# The footnote of letters from 2025 ("1 The areas for improvement have been cross-referenced
# with the outcomes, enablers or principles in the Children's Social Care: National
# Framework ..."): dropped with the lines below it, whatever its type size.
_FOOTNOTE = re.compile(
    r"^\d{0,2}\s*the areas for improvement have been cross-referenced\b", re.IGNORECASE
)
# Bullet glyphs that text extraction leaves as they are: symbol-font characters in the
# private use area and the less common Unicode bullets. They are read as "•".
_OTHER_BULLET = re.compile("^[\ue000-\uf8ff◦‣⁃○◆◇➢➤►▸▪■●]\\s*")


def body_size(pdf: PdfText) -> float:
    """The type size most of the letter's text is set in (12 pt in every real letter)."""
    sizes: Counter[float] = Counter()
    for page in pdf.lines:
        for line in page:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 12.0


def as_bullet(text: str) -> str:
    """A line's text with an uncommon bullet glyph ("◦ Item", a symbol-font glyph) made "•"."""
    m = _OTHER_BULLET.match(text)
    return f"{BULLET} {text[m.end() :]}" if m else text


def _body_lines(pdf: PdfText) -> list[Line]:
    """Every line of the letter except page numbers, footnotes and small print. Small print
    is type well below the body size: under 10.5 pt beside 12 pt body text."""
    body = body_size(pdf)
    small = min(_SMALL_PRINT, body - 1.5)
    out: list[Line] = []
    for page in pdf.lines:
        lines = [_plain(line) for line in page]
        notes = [
            ln.y
            for ln in lines
            if _FOOTNOTE.match(ln.text) and (ln.text[:1].isdigit() or ln.size < body - 0.5)
        ]
        for line in lines:
            text = line.text
            if notes and line.y <= max(notes) + 0.5:
                continue
            if _PAGE_NUMBER.match(text) or _ADDRESS.match(text):
                continue
            if line.size < small and not text.startswith(BULLET):
                continue
            out.append(line)
    return out


def _plain(line: Line) -> Line:
    text = as_bullet(line.text.strip())
    return line if text == line.text else replace(line, text=text)


@dataclass(frozen=True)
class _Text:
    """Body lines folded to one string, with the page each character came from."""

    text: str
    starts: tuple[tuple[int, int], ...]  # (offset, page) where each line starts

    def page_at(self, offset: int) -> int:
        page = self.starts[0][1] if self.starts else 1
        for start, p in self.starts:
            if start > offset:
                break
            page = p
        return page


def _fold_lines(lines: list[Line]) -> _Text:
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    offset = 0
    for line in lines:
        t = " ".join(line.text.split())
        starts.append((offset, line.page))
        parts.append(t)
        offset += len(t) + 1
    return _Text(" ".join(parts), tuple(starts))


# --- what kind of letter ---------------------------------------------------------------------

_TITLE = re.compile(r"^(?P<kind>focused|monitoring) visit (?:to|of)\b", re.IGNORECASE)
_SUMMARISES = re.compile(
    r"this letter (?:summarises|sets out|outlines|reports on) (?:the )?(?:main |key )?"
    r"(?:findings|outcomes?) (?:of|from) (?:an? |the )?"
    r"(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\w+th|\d+\w*) )?"
    r"(?P<kind>focused|monitoring) visit",
    re.IGNORECASE,
)
_KINDS = {"focused": Kind.FOCUSED_VISIT, "monitoring": Kind.MONITORING_VISIT}
_VISIT = r"(?:this|the) (?:monitoring |focused )?visit"


def is_letter(pdf: PdfText) -> bool:
    """Whether the PDF is a focused or monitoring visit letter to a council's children's
    services: a title line "Focused visit to ..." / "Monitoring visit to ..." on page 1, or
    the opening "This letter summarises the findings of a focused visit" on page 1 or 2."""
    if pdf.page_count == 0:
        return False
    for line in pdf.lines[0]:
        if _TITLE.match(line.text.strip()):
            return True
    head = fold(" ".join(pdf.page_text(n) for n in range(1, min(2, pdf.page_count) + 1)))
    return _SUMMARISES.search(head) is not None


# --- dates -------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_TOKEN = rf"\d{{1,2}}{_ORDINAL}(?:\s+(?:of\s+)?{_MONTH})?(?:,?\s+(?:19|20)\d\d)?"
_JOIN = r"\s*(?:,\s*(?:and\s+)?|and|&|to|until|till|through|–|—|‒|−|-|/)\s*"
_PHRASE = re.compile(rf"(?<![\d/]){_TOKEN}(?:{_JOIN}{_TOKEN})*(?![\d/])", re.IGNORECASE)
_PART = re.compile(
    rf"(?P<d>\d{{1,2}}){_ORDINAL}(?:\s+(?:of\s+)?(?P<m>{_MONTH}))?(?:,?\s+(?P<y>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
# "on Tuesday 4 and Wednesday 5 June 2019": the days of the week are dropped before reading.
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b,?\s*", re.IGNORECASE)
# A letter date on a line of its own: "4 June 2019", "Tuesday 4 June 2019", "Date: 4 June 2019".
_FULL_DATE = re.compile(
    rf"^\s*(?:(?:letter\s+)?dated?\s*:?\s*)?(?:\w+day,?\s+)?(\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?"
    rf"({_MONTH})\.?,?\s+((?:19|20)\d\d)\s*$",
    re.IGNORECASE,
)


def _month(name: str) -> int:
    low = name.lower()
    return MONTHS.get(low) or MONTHS[low[:3]]


def visit_dates(phrase: str, letter_date: date | None = None) -> tuple[date, date] | None:
    """First and last day of a visit from a date phrase (see _read_visit_dates)."""
    found = _read_visit_dates(phrase, letter_date)
    return (found[0], found[1]) if found else None


def _read_visit_dates(
    phrase: str, letter_date: date | None = None
) -> tuple[date, date, bool] | None:
    """First and last day of a visit from the date phrase of a letter's opening sentence.

    Handles "4 and 5 June 2019", "12 to 13 March 2020", "5, 6 and 7 July 2021",
    "30 April and 1 May 2019", "14 December 2020 to 15 January 2021", "30 December to
    2 January 2020", "30 December 2019 to 2 January", "Tuesday 4 and Wednesday 5 June 2019",
    "26 February 2025" and, with the letter's own date to supply the year, "13 and 14 July"
    (the visit is the last such day on or before the letter). The flag says whether the year
    came from the letter date.
    """
    text = _WEEKDAY.sub("", " ".join(phrase.split()))
    for m in _PHRASE.finditer(text):
        parts = [(p.group("d"), p.group("m"), p.group("y")) for p in _PART.finditer(m.group(0))]
        if not parts or parts[-1][1] is None:
            continue  # "1 and 2" with no month: not a date
        last_day, last_month = int(parts[-1][0]), _month(parts[-1][1])
        year = _last_year(parts, letter_date)
        if year is None:
            return None
        # Months and years carry back from the later parts ("4 and 5 June 2019"); a part
        # later in the year than the one after it belongs to the year before.
        days: list[date] = []
        next_day, next_month, next_year = last_day, last_month, year
        for d, mo, y in reversed(parts):
            day = int(d)
            month = _month(mo) if mo else next_month
            if y:
                yr = int(y)
            elif (month, day) > (next_month, next_day):
                yr = next_year - 1
            else:
                yr = next_year
            found = make_date(yr, month, day)
            if found is None:
                break
            days.append(found)
            next_day, next_month, next_year = day, month, yr
        else:
            start, end = days[-1], days[0]
            if start <= end and (end - start).days < 60:
                return start, end, not any(part[2] for part in parts)
    return None


def _last_year(
    parts: list[tuple[str, str | None, str | None]], letter_date: date | None
) -> int | None:
    """The year of the last day of a date phrase: its own; else carried on from an earlier
    day that gives one ("30 December 2019 to 2 January" ends in 2020); else the last such
    day on or before the letter date."""
    if parts[-1][2] is not None:
        return int(parts[-1][2])
    months: list[int] = []
    following = _month(str(parts[-1][1]))
    for _d, mo, _y in reversed(parts):
        following = _month(mo) if mo else following
        months.insert(0, following)
    dated = [k for k, part in enumerate(parts) if part[2] is not None]
    if dated:
        k = dated[-1]
        year = int(str(parts[k][2]))
        for j in range(k + 1, len(parts)):
            if (months[j], int(parts[j][0])) < (months[j - 1], int(parts[j - 1][0])):
                year += 1
        return year
    if letter_date is None:
        return None
    before = (months[-1], int(parts[-1][0])) <= (letter_date.month, letter_date.day)
    return letter_date.year if before else letter_date.year - 1


_DEAR = re.compile(r"^dear\b", re.IGNORECASE)


def _date_on_line(line: Line) -> date | None:
    m = _FULL_DATE.match(line.text)
    return make_date(int(m.group(3)), _month(m.group(2)), int(m.group(1))) if m else None


def _letter_dates(lines: list[Line]) -> list[tuple[date, int, bool]]:
    """Where a letter gives its date, most likely first: a date on its own line at the top of
    page 1, above "Dear ..." (found by its place on the page: some PDFs give the address block
    and the date after the body text of page 1); else a date standing on its own line
    anywhere else: below the greeting, after the body or the signature, at the end. A body
    line that only carries on a sentence ("... on" / "4 June 2019") does not count.
    Each comes as (date, page, whether it stands at the top of page 1)."""
    page1 = [ln for ln in lines if ln.page == 1]
    dear = next((ln for ln in page1 if _DEAR.match(ln.text.strip())), None)
    top: list[tuple[date, int, bool]] = []
    elsewhere: list[tuple[date, int, bool]] = []
    for k, line in enumerate(lines):
        found = _date_on_line(line)
        if found is None:
            continue
        if line.page == 1 and (dear is None or line.y > dear.y):
            top.append((found, line.page, True))
        elif _stands_alone(lines, k):
            elsewhere.append((found, line.page, False))
    return top + elsewhere


def _stands_alone(lines: list[Line], k: int) -> bool:
    """Whether lines[k] is a paragraph of its own, not a line in the middle of a sentence."""
    line = lines[k]
    nxt = lines[k + 1] if k + 1 < len(lines) else None
    if (
        nxt is not None
        and nxt.page == line.page
        and _gap(line, nxt) < 1.8
        and nxt.text.strip()[:1].islower()
    ):
        return False
    if k == 0:
        return True
    prev = lines[k - 1]
    if prev.page != line.page:
        return prev.text.rstrip().endswith(_TERMINAL)
    return _gap(prev, line) >= 1.8 or prev.text.rstrip().endswith(_TERMINAL)


# --- the opening ---------------------------------------------------------------------------

_COUNCIL_SUFFIX = re.compile(
    rf"(?:{_APOS}s?)?\s+(?:local authority\s+)?children{_APOS}s\s+services\s*\.?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\bSt)(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)\.[’'”]?(?=\s+[A-Z‘'“(•]|\s*$)"
)


def _sentence(text: str, start: int) -> str:
    m = _SENTENCE_END.search(text, start)
    return text[start : m.end() if m else len(text)]


def _title(lines: list[Line]) -> tuple[str, Kind, int, int] | None:
    """The bold title ("Focused visit to Torbay children's services"), joined across lines:
    (title, kind, page, index of the line after it)."""
    for i, line in enumerate(lines):
        if line.page > 2:
            break
        m = _TITLE.match(line.text.strip())
        if not m:
            continue
        text = line.text.strip()
        j = i + 1
        while (
            j < len(lines)
            and lines[j].bold == line.bold
            and lines[j].page == line.page
            and len(text) < 160
            and not re.search(rf"children{_APOS}s\s+services\.?$|trust$|first$", text, re.I)
            and line.y - lines[j].y < 2.5 * line.size
        ):
            text += " " + lines[j].text.strip()
            j += 1
        return " ".join(text.split()), _KINDS[m.group("kind").lower()], line.page, j
    return None


def council_name_from_title(title: str) -> str | None:
    """The council as the title names it: "Focused visit to Durham’s children’s services"
    gives "Durham"; trust names ("Slough Children First") are kept whole."""
    m = _TITLE.match(title)
    if not m:
        return None
    name = title[m.end() :].strip()
    name = _COUNCIL_SUFFIX.sub("", name).strip().rstrip(".").strip()
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return name or None


# "Inspectors looked at the local authority's arrangements for care leavers." Also "This
# visit looked at ...", "The focus of the visit was ...", "During the visit, inspectors
# evaluated ...", and in monitoring visit letters "Inspectors reviewed the progress ...".
_THEME_VERBS = (
    rf"(?:(?:during {_VISIT},?\s+)?(?:the )?inspectors|{_VISIT})\s+"
    r"(?:looked (?:specifically |in particular |closely )?at|considered|evaluated|reviewed"
    r"|examined|explored|assessed|scrutinised|(?:was )?focus(?:s)?ed (?:specifically )?on"
    r"|concentrated on)\s+"
)
_THEME = re.compile(
    r"\b(?:" + _THEME_VERBS + rf"|the (?:main )?focus of {_VISIT} (?:was|is|were) (?:on )?)",
    re.IGNORECASE,
)
# Monitoring visit letters put what the visit looked at under this heading.
_AREAS_COVERED = re.compile(r"^areas? covered (?:by|in) (?:the|this) visit:?$", re.IGNORECASE)
# What inspectors looked at as evidence, not as the subject of the visit.
_THEME_NOT = re.compile(
    r"^(?:a (?:wide |broad )?range of|a sample of|a number of|(?:the )?evidence"
    r"|(?:children's |young people's )?(?:case )?(?:records|files)|(?:local authority )?"
    r"performance (?:management|information|data)|documents|information)",
    re.IGNORECASE,
)
_THEME_TAIL = re.compile(
    r"(?:,?\s+in (?:accordance|line) with the inspections? of local authority children"
    rf"{_APOS}s services\b.*"
    r"|,?\s+in accordance with the ILACS framework.*"
    r"|\.\s+(?:Specifically|This included|This visit|The visit|In particular)\b.*"
    r"|[,.]?\s*(?:with an? |which included a |this included a )?(?:particular |specific |primary )?"
    r"focus(?:ed)? (?:specifically |particularly )?on(?: the)?\s*:.*"
    r"|[,.]?\s*(?:this included|specifically|including)\s*:.*"
    r"|\s*:\s*•.*|\s*•.*)$",
    re.IGNORECASE,
)


def trim_phrase(phrase: str) -> str:
    """Final punctuation and an unmatched closing quote dropped ("the ‘front door’.’" gives
    "the ‘front door’"; the quote that closes ‘front door’ stays), and the sentence's full
    stop inside a closing quote too ("the ‘front door.’" gives "the ‘front door’")."""
    out = phrase.strip()
    while True:
        before = out
        out = out.rstrip(".:,; ").strip()
        if out.endswith("’") and not closes_a_quote(out):
            out = out[:-1]
        elif out[-2:-1] in (".", ",", ";", ":") and out.endswith("’"):
            out = out[:-2] + "’"
        if out == before:
            return out


def closes_a_quote(text: str) -> bool:
    """Whether the final ’ of `text` closes a ‘ before it. A ’ between letters is an
    apostrophe ("authority’s") and closes nothing."""
    open_quotes = 0
    for i, ch in enumerate(text):
        if ch == "‘":
            open_quotes += 1
        elif ch == "’":
            inside_word = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
            if inside_word:
                continue
            if i == len(text) - 1:
                return open_quotes > 0
            open_quotes = max(0, open_quotes - 1)
    return False


# A theme that only leads in to a list ("Inspectors reviewed the progress made in the
# following areas: • ... • ..."): the items are the theme.
_LEAD_IN = re.compile(r"\bthe following\b[^:]*$", re.IGNORECASE)


def _theme(text: _Text, lines: list[Line], begin: int, limit: int) -> tuple[str, int] | None:
    for m in _THEME.finditer(text.text, begin, limit):
        sentence = _sentence(text.text, m.end())
        rest = sentence.strip()
        if _THEME_NOT.match(fold(rest)):
            continue
        rest = trim_phrase(_THEME_TAIL.sub("", rest))
        if not rest:
            continue
        colon = text.text.find(":", m.end(), m.end() + len(sentence))
        if colon >= 0 and _LEAD_IN.search(text.text[m.end() : colon]):
            items = _items_after(lines, text, colon)
            if items:
                rest = (
                    trim_phrase(text.text[m.end() : colon])
                    + ": "
                    + "; ".join(map(trim_phrase, items))
                )
        return rest, text.page_at(m.start())
    return None


def _items_after(lines: list[Line], text: _Text, offset: int) -> list[str]:
    """The bulleted items that start after `offset` of the text: bullets with their hanging
    continuation lines, up to the first line that is neither."""
    first = next((k for k, (start, _) in enumerate(text.starts) if start > offset), len(lines))
    items: list[_Item] = []
    for line in lines[first:]:
        t = line.text.strip()
        if t.startswith(BULLET):
            items.append(_Item([line]))
        elif (
            items
            and not _is_heading(line)
            and (line.x - items[-1].lines[0].x > 6 or t[:1].islower())
        ):
            items[-1].lines.append(line)
        else:
            break
    return [item.text for item in items]


# Focused visits of 2020-21 looked at one national programme, not a theme of their own:
# "... is leading Ofsted's work into how England's social care system has delivered
# child-centred practice and care within the context of the restrictions ... COVID-19 ..."
_PROGRAMME = re.compile(
    rf"\bleading Ofsted{_APOS}s work into (?P<what>[^.]+?(?:\([^)]*\)[^.]*)?)\."
)


def _programme_theme(text: _Text, limit: int) -> tuple[str, int] | None:
    m = _PROGRAMME.search(text.text, 0, limit)
    if m is None:
        return None
    return trim_phrase(m.group("what")), text.page_at(m.start("what"))


# --- the signature ---------------------------------------------------------------------

# An inspector's title, as the signature block or the text gives it. Text extraction
# sometimes breaks "Majesty’s" ("Her Majesty = ’s Inspector").
_MAJESTY = rf"(?:Her|His) Majesty[\s=]*{_APOS}\s?s"
_TITLE_WORDS = (
    rf"(?:Senior |Regional |Lead )?(?:{_MAJESTY} Inspectors?(?: of Social Care)?"
    r"(?:\s*\((?:HMIs?|lead|lead inspector|designate)\))?"
    r"|HMIs?(?:\s*\((?:lead|designate)\))?|Ofsted Inspectors?|Social Care Regulatory Inspectors?"
    r"|Lead inspector)"
)
_DIRECTOR = re.compile(r"^Regional Director\b", re.IGNORECASE)
_INSPECTOR_TITLE = re.compile(rf"^(?:{_TITLE_WORDS}|Regional Director.*)\.?$", re.IGNORECASE)
# A title after a name on the same line or in a sentence: "Peter McEntee HMI", "Jane Smith,
# Her Majesty’s Inspector", "Jo Example (Ofsted Inspector)"; or before it: "HMI Jo Example".
_TITLE_AFTER = re.compile(rf"(?:,?\s*\(?(?:{_TITLE_WORDS})\)?)+\s*\.?$", re.IGNORECASE)
_TITLE_BEFORE = re.compile(rf"^(?:{_TITLE_WORDS})\s*,?\s+", re.IGNORECASE)
_NAME = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Miss)\.? )?[A-Z][\w’'\-]+(?: [A-Za-z][\w’'\-]+){0,4}$")
_NOT_NAME = re.compile(
    r"\b(?:ofsted|inspectors?|majesty|director|council|services?|children|cc|copy)\b",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(r"^yours? (?:sincerely|faithfully),?$", re.IGNORECASE)
# A name as a sentence gives it: capitalised words, with the particles of some surnames.
_NAME_IN_TEXT = (
    r"(?:(?:Dr|Mr|Mrs|Ms|Miss)\.? )?[A-Z][\w’'\-]+"
    r"(?: (?:[A-Z][\w’'\-]+|(?:de|van|von|der|le|la|da|di|du|al|bin)(?= [A-Z]))){1,3}"
)
_LEAD_IN_TEXT = re.compile(
    r"(?i:(?:the )?lead inspector(?: for (?:this|the) visit)? (?:was|is|:))\s+"
    rf"(?:{_MAJESTY} Inspector,?\s+|HMI,?\s+)?(?P<name>{_NAME_IN_TEXT})"
    rf"|(?P<name2>{_NAME_IN_TEXT}),?\s+\(?(?i:(?:the )?lead inspector)\b"
    rf"|(?i:\b(?:visit|inspection) was led by)\s+(?:{_MAJESTY} Inspector\s+|HMI\s+)?"
    rf"(?P<name3>{_NAME_IN_TEXT})"
)
# The inspectors as the opening names them: "The inspectors were Jo Example, Her Majesty’s
# Inspector, and ...", "His Majesty’s Inspectors for this visit were Jo Example and ...",
# "The visit was carried out by Her Majesty’s Inspectors Jo Example and ...".
_TEAM = re.compile(
    r"(?i:\binspectors?(?: for (?:this|the) visit)? (?:were|was)"
    r"|\b(?:carried out|conducted|undertaken|led|made) by)\s+"
    rf"(?:(?i:(?:two |three |four |five )?(?:of )?{_MAJESTY} Inspectors?)\s*(?:\(HMIs?\))?,?\s*"
    r"|HMIs?,?\s+)?"
    rf"(?P<name>{_NAME_IN_TEXT})"
)


def inspector_name(text: str) -> str | None:
    """A line or phrase that names one inspector, as the name alone: "Peter McEntee HMI"
    gives "Peter McEntee"; "Her Majesty’s Inspector" or "Yours sincerely" give None."""
    name = " ".join(text.split()).strip().rstrip(".,").strip()
    before = None
    while before != name:
        before = name
        name = _TITLE_AFTER.sub("", name).strip().rstrip(".,").strip()
        name = _TITLE_BEFORE.sub("", name).strip()
    if not name or _SIGN_OFF.match(name) or _INSPECTOR_TITLE.match(name):
        return None
    if not _NAME.match(name) or _NOT_NAME.search(name):
        return None
    return name


def _lead_inspector(lines: list[Line], text: _Text, opening_at: int) -> tuple[str, int] | None:
    """The lead inspector, who signs the letter: (name, page), or None when the letter does
    not say who led the visit.

    The signature block: the name above the title ("Jane Smith / Her Majesty's Inspector"),
    or the first name after "Yours sincerely" (no title, or the title on the name's line);
    else a sentence naming the lead inspector ("The lead inspector was ..."); else the one
    inspector the opening names, when it names only one. (The lead is usually named first
    of several, but not always: that is not taken as naming the lead.)"""
    # An inspector's title first: a regional director may sign below the lead inspector.
    for director in (False, True):
        for i in range(len(lines) - 1, 0, -1):
            title = lines[i].text.strip()
            if not _INSPECTOR_TITLE.match(title) or bool(_DIRECTOR.match(title)) is not director:
                continue
            name = inspector_name(lines[i - 1].text)
            if name:
                return name, lines[i - 1].page
    sign_offs = [k for k, ln in enumerate(lines) if _SIGN_OFF.match(ln.text.strip())]
    if sign_offs:
        for line in lines[sign_offs[-1] + 1 : sign_offs[-1] + 5]:
            name = inspector_name(line.text)
            if name and " " in name:
                return name, line.page
    m = _LEAD_IN_TEXT.search(text.text)
    if m:
        group = next(g for g in ("name", "name2", "name3") if m.group(g))
        name = inspector_name(m.group(group))
        if name:
            return name, text.page_at(m.start(group))
    m = _TEAM.search(text.text, opening_at, opening_at + 1500)
    if m:
        # Only a visit by one inspector: with more, the opening does not say who led it.
        sentence = _sentence(text.text, m.start("name"))
        untitled = re.sub(rf"\b{_TITLE_WORDS}", "", sentence, flags=re.IGNORECASE)
        names = re.findall(_NAME_IN_TEXT, untitled)
        name = inspector_name(m.group("name"))
        if name and " " in name and len(names) == 1:
            return name, text.page_at(m.start("name"))
    return None


# --- the lists ---------------------------------------------------------------------------

_PRIORITY_HEAD = re.compile(r"^areas? for priority action\s*:?\s*\d?$", re.IGNORECASE)
_IMPROVE_HEAD = re.compile(
    r"^(?:what needs to improve(?: in (?:this|these) areas? of (?:social work )?practice)?"
    r"|areas? for improvement|what the local authority (?:needs to|should) improve"
    r"|the local authority should improve(?: the following)?)\s*[?:]?\s*\d?$",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^(?:ofsted will take the findings|yours? (?:sincerely|faithfully)|we have notified the"
    r"|you should submit an action plan|this letter will be published)",
    re.IGNORECASE,
)
_TERMINAL = (".", ";", ":", "!", "?", ")")
# Paragraphs under a list heading that point elsewhere rather than list anything.
_NO_ITEMS = re.compile(
    r"^(?:the areas? for (?:priority action|improvement) (?:set|identified|continue|remain)"
    r"|there are no (?:additional |further )?(?:areas?|priority)"
    r"|the local authority (?:needs|should) to take swift and decisive action"
    r"|the local authority needs to take swift and decisive action)",
    re.IGNORECASE,
)


_SECTION = re.compile(
    r"^(?:(?:headline|main|key|other) findings|findings|overview|summary|areas of strength)\W*$",
    re.IGNORECASE,
)


def _is_heading(line: Line) -> bool:
    """A section heading: a short bold line that is not a list item, or a known heading
    (one letter's PDF marks nothing as bold)."""
    text = line.text.strip()
    if _SECTION.match(text):
        return True
    return line.bold and not text.startswith(BULLET) and len(text) < 110


@dataclass
class _Item:
    lines: list[Line]

    @property
    def text(self) -> str:
        return _join([ln.text for ln in self.lines])

    @property
    def page(self) -> int:
        return self.lines[0].page


def _join(parts: list[str]) -> str:
    out = ""
    for raw in parts:
        part = raw.strip().lstrip(BULLET).strip() if not out else raw.strip()
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("-") and out[-2:-1].isalpha() and part[:1].islower():
            out += part  # "well-\nbeing"; but "16-\nand 17-year-olds" keeps its space
        else:
            out += " " + part
    return " ".join(out.split())


def _gap(prev: Line, line: Line) -> float:
    """Vertical gap between two lines on the same page, in multiples of the font size."""
    if prev.page != line.page:
        return 0.0
    return (prev.y - line.y) / max(prev.size, 1.0)


def _read_list(lines: list[Line], start: int) -> tuple[list[_Item], list[str], int]:
    """Read the list after the heading at lines[start - 1]: (items, notes, end index).

    Notes are paragraphs under the heading that are not items ("The areas for improvement
    set at the last focused visit remain.").
    """
    i = start
    section: list[Line] = []
    while i < len(lines):
        line = lines[i]
        text = line.text.strip()
        if _is_heading(line) or _PRIORITY_HEAD.match(text) or _IMPROVE_HEAD.match(text):
            break
        if _CLOSING.match(text):
            break
        section.append(line)
        i += 1
    bulleted = any(ln.text.lstrip().startswith(BULLET) for ln in section)
    items: list[_Item] = []
    notes: list[str] = []
    if bulleted:
        preamble: list[Line] = []
        current: _Item | None = None
        for line in section:
            text = line.text.strip()
            if text.startswith(BULLET):
                if text.strip(BULLET + " ") == "":
                    continue
                current = _Item([line])
                items.append(current)
                continue
            if current is None:
                preamble.append(line)
                continue
            if _continues(current, line):
                current.lines.append(line)
            else:
                # a paragraph after the list, under the same heading
                current = None
                preamble.append(line)
        if preamble:
            notes.extend(_paragraphs(preamble))
        # A bullet that only points elsewhere ("• The areas for improvement continue to be
        # those identified at the ILACS inspection ...") is a note, not an item.
        pointers = [item for item in items if _NO_ITEMS.match(item.text)]
        notes.extend(item.text for item in pointers)
        items = [item for item in items if item not in pointers]
    else:
        for para in _paragraph_lines(section):
            text = _join([ln.text for ln in para])
            if _NO_ITEMS.match(text) or text.endswith(":"):
                notes.append(text)
            else:
                items.append(_Item(para))
    return items, notes, i


def _continues(item: _Item, line: Line) -> bool:
    """Whether `line` carries on `item` (hanging indent, or a sentence carried over)."""
    first = item.lines[0]
    prev = item.lines[-1]
    if line.x - first.x > 6:
        return True
    if line.text[:1].islower():
        return True
    if not prev.text.rstrip().endswith(_TERMINAL):
        return True
    return _gap(prev, line) < 1.8 and line.page == prev.page and abs(line.x - first.x) > 6


def _paragraph_lines(section: list[Line]) -> list[list[Line]]:
    paras: list[list[Line]] = []
    for line in section:
        if paras:
            prev = paras[-1][-1]
            same = (prev.page == line.page and _gap(prev, line) < 1.8) or (
                prev.page != line.page and not prev.text.rstrip().endswith(_TERMINAL)
            )
            if same:
                paras[-1].append(line)
                continue
        paras.append([line])
    return paras


def _paragraphs(lines: list[Line]) -> list[str]:
    return [_join([ln.text for ln in p]) for p in _paragraph_lines(lines)]


# --- the findings ---------------------------------------------------------------------------

# The findings' headings: "Headline findings" (2021 on; "Overview" in the letters of 2018-21)
# and "Main findings" ("Findings" before 2021). Letters without a heading over their opening
# findings (a few of 2021) have no headline findings read.
_HEADLINE_HEAD = re.compile(r"^(?:headline findings|overview)\W*$", re.IGNORECASE)
_MAIN_HEAD = re.compile(r"^(?:main findings|findings)\W*$", re.IGNORECASE)


def _findings(lines: list[Line], start: int) -> Passage | None:
    """The paragraphs under the findings heading at lines[start - 1], to the next heading or
    the letter's closing, each with where each page's text starts in it."""
    section: list[Line] = []
    i = start
    while i < len(lines):
        line = lines[i]
        text = line.text.strip()
        if _is_heading(line) or _PRIORITY_HEAD.match(text) or _IMPROVE_HEAD.match(text):
            break
        if _CLOSING.match(text) or _SIGN_OFF.match(text):
            break
        i += 1
        if _date_on_line(line) is not None and len(text) < 30:
            continue  # the letter's date, extracted among the body's lines
        section.append(line)
    paras: list[tuple[str, list[tuple[int, int]]]] = []
    for para in _paragraph_lines(section):
        for line in para:
            raw = " ".join(line.text.split())
            bullet = raw.startswith(BULLET)
            part = raw.lstrip(BULLET).strip()
            if not part:
                continue
            carried = (
                paras and not paras[-1][0].endswith(_TERMINAL) and part[:1].islower()
            )  # a sentence carried on past a gap
            if bullet or not paras or (line is para[0] and not carried):
                paras.append((part, [(0, line.page)]))
                continue
            out, starts = paras[-1]
            if not (out.endswith("-") and out[-2:-1].isalpha() and part[:1].islower()):
                out += " "  # else "well-" + "being"
            if line.page != starts[-1][1]:
                starts.append((len(out), line.page))
            paras[-1] = (out + part, starts)
    paras = [(t, st) for t, st in paras if len(t) > 1]
    if not paras:
        return None
    return Passage(
        "",
        PassageKind.SECTION,
        tuple(t for t, _ in paras),
        paras[0][1][0][1],
        tuple(tuple(st) for _, st in paras),
    )


def _read_findings(lines: list[Line], record: LetterRecord) -> None:
    for k, line in enumerate(lines):
        text = line.text.strip()
        if not _is_heading(line):
            continue
        for key, rx in ((HEADLINE_FINDINGS, _HEADLINE_HEAD), (MAIN_FINDINGS, _MAIN_HEAD)):
            if rx.match(text) and key not in record.findings:
                found = _findings(lines, k + 1)
                if found is not None:
                    record.findings[key] = replace(found, key=key)


# --- when the visit took place ---------------------------------------------------------------

# A sentence that can say when the visit took place ("The visit took place on ...",
# "Inspectors were on site on ...", "Inspectors visited ... on ..."), and words that mark a
# date before it as another event's ("since the last inspection on 4 March 2019").
_ABOUT_VISIT = re.compile(
    r"\bvisit(?:ed|s)?\b|\bon[ -]site\b|\binspection took place\b"
    r"|\binspectors? (?:were|was) (?:in|at|with)\b",
    re.IGNORECASE,
)
_EARLIER_EVENT = re.compile(
    r"\b(?:last|previous|prior|earlier|preceding|since|following|after)\b", re.IGNORECASE
)
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}{_ORDINAL}\s+(?:of\s+)?{_MONTH}\b", re.IGNORECASE)


def _intro_end(lines: list[Line], text: _Text, begin: int) -> int:
    """Where the letter's introduction ends: the first heading after `begin` (not the title
    nor the monitoring visit's "Areas covered by the visit")."""
    for k, ln in enumerate(lines):
        if (
            text.starts[k][0] > begin
            and _is_heading(ln)
            and not _TITLE.match(ln.text.strip())
            and not _AREAS_COVERED.match(ln.text.strip())
        ):
            return text.starts[k][0]
    return len(text.text)


def _date_sentences(
    text: _Text, opening: re.Match[str] | None, begin: int, end: int
) -> list[tuple[str, int]]:
    """Sentences that may give the visit dates, most likely first: the rest of the opening
    sentence, then the sentences of the introduction that speak of the visit and name no
    earlier event before their first date."""
    out: list[tuple[str, int]] = []
    if opening:
        out.append((_sentence(text.text, opening.end()), opening.start()))
    at = begin
    while at < end:
        sentence = _sentence(text.text, at)
        if not sentence:
            break
        first_date = _DAY_MONTH.search(sentence)
        earlier = _EARLIER_EVENT.search(sentence)
        if (
            first_date
            and _ABOUT_VISIT.search(sentence)
            and (earlier is None or earlier.start() > first_date.start())
        ):
            out.append((sentence, at))
        at += len(sentence)
        while at < len(text.text) and text.text[at] == " ":
            at += 1
    return out


def _first_visit_dates(
    sentences: list[tuple[str, int]], letter_date: date | None
) -> tuple[date, date, bool, int] | None:
    for sentence, where in sentences:
        found = _read_visit_dates(sentence, letter_date)
        if found:
            return found[0], found[1], found[2], where
    return None


# --- the letter ----------------------------------------------------------------------------


def parse_letter(pdf: PdfText, registry: CouncilRegistry | None = None) -> LetterRecord:
    """Read a focused or monitoring visit letter. Fields that cannot be read stay None and
    are named in `warnings`. The council is matched with `registry` (the packaged registry
    by default): by the name the title gives, else by the names on page 1."""
    lines = _body_lines(pdf)
    text = _fold_lines(lines)
    record = LetterRecord(council_urn=None, council_name_in_report=None, kind=None)
    pages = record.pages
    warnings = record.warnings

    title = _title(lines)
    opening = _SUMMARISES.search(text.text)
    title_end = 0
    if title:
        title_text, kind, page, after = title
        title_end = text.starts[after][0] if after < len(text.starts) else len(text.text)
        record.kind = kind
        pages["kind"] = page
        record.council_name_in_report = council_name_from_title(title_text)
        if record.council_name_in_report:
            pages["council_name_in_report"] = page
    elif opening:
        record.kind = _KINDS[opening.group("kind").lower()]
        pages["kind"] = text.page_at(opening.start())
    if record.council_name_in_report is None and opening:
        # "... visit to Torbay children’s services", or to a trust: "... visit to Slough
        # Children First on 4 and 5 June 2019", "... to Sandwell Children’s Trust."
        m = re.match(
            rf"\s+(?:to|of)\s+(?:the\s+)?(?:(?P<name>.+?)(?:{_APOS}s?)?\s+(?:local authority\s+)?"
            rf"children{_APOS}s\s+services"
            r"|(?-i:(?P<trust>[A-Z][\w’'&-]*(?:\s+(?:[A-Z][\w’'&-]*|and|for|of))*?"
            r"\s+(?:Trust|Children First|for Children))\b))",
            text.text[opening.end() : opening.end() + 200],
            re.IGNORECASE,
        )
        if m:
            record.council_name_in_report = (m.group("name") or m.group("trust")).strip()
            pages["council_name_in_report"] = text.page_at(opening.start())
    if record.kind is None:
        warnings.append("the letter does not say whether it is a focused or a monitoring visit")

    # Visit dates: from the opening sentence ("... on 4 and 5 June 2019."), else from a
    # sentence soon after it ("The visit took place on ..."). The letter date: at the top of
    # page 1, else on a line of its own elsewhere that can be the date of a letter about this
    # visit (on or after its last day). Dates without a year take it from the letter date.
    begin = opening.start() if opening else title_end
    limit = _intro_end(lines, text, begin)
    sentences = _date_sentences(text, opening, begin, min(limit, begin + 2500))
    letter_dates = _letter_dates(lines)
    visit = _first_visit_dates(sentences, None)
    found_date = next(
        (
            (d, page)
            for d, page, top in letter_dates
            if top or visit is None or visit[1] <= d <= visit[1] + timedelta(days=400)
        ),
        None,
    )
    if found_date:
        record.letter_date, pages["letter_date"] = found_date
    else:
        warnings.append("no letter date found in the letter")
    if visit is None and record.letter_date is not None:
        visit = _first_visit_dates(sentences, record.letter_date)
    if visit is not None:
        record.visit_start, record.visit_end, no_year, where = visit
        pages["visit_start"] = pages["visit_end"] = text.page_at(where)
        if no_year:
            warnings.append("the visit dates give no year: taken from the letter date")
    else:
        warnings.append("could not read the visit dates")

    # What the visit looked at: in the paragraphs between the opening and the first heading.
    theme = _theme(text, lines, begin, limit) or _programme_theme(text, limit)
    if theme:
        record.theme, pages["theme"] = theme
    else:
        warnings.append("the letter does not say what the visit looked at")

    lead = _lead_inspector(lines, text, begin)
    if lead:
        record.lead_inspector, pages["lead_inspector"] = lead
    else:
        warnings.append("no lead inspector named")

    # The lists. "Areas for improvement" is the list heading only in letters without a "What
    # needs to improve" list: where both stand, it heads a part of the findings.
    has_what_needs = any(
        _IMPROVE_HEAD.match(ln.text.strip()) and ln.text.strip().lower().startswith("what")
        for ln in lines
    )
    i = 0
    while i < len(lines):
        line_text = lines[i].text.strip()
        target: list[str] | None = None
        key = ""
        if _PRIORITY_HEAD.match(line_text) and line_text[:1].isupper():
            target, key = record.priority_actions, "priority_actions"
        elif (
            _IMPROVE_HEAD.match(line_text)
            and line_text[:1].isupper()
            and (line_text.lower().startswith("what") or not has_what_needs)
        ):
            target, key = record.areas_for_improvement, "areas_for_improvement"
        if target is None:
            i += 1
            continue
        items, notes, i = _read_list(lines, i + 1)
        if items and key not in pages:
            pages[key] = items[0].page
        target.extend(item.text for item in items)
        for note in notes:
            if _NO_ITEMS.match(note) and not note.lower().startswith("the local authority"):
                warnings.append(f"{key.replace('_', ' ')}: “{note}”")

    _read_findings(lines, record)
    _match_council(record, pdf, registry or load_registry())
    return record


def _match_council(record: LetterRecord, pdf: PdfText, registry: CouncilRegistry) -> None:
    on = record.visit_start or record.letter_date
    council = None
    if record.council_name_in_report:
        council = registry.match_name(record.council_name_in_report, on=on)
        if council is None:
            # A council named inside a longer name: "Achieving for Children (Kingston upon
            # Thames)", "Together for Children, Sunderland".
            council = registry.find_in_text(fold(record.council_name_in_report), on=on)
            if council is not None:
                record.warnings.append(
                    f"council matched from part of the name “{record.council_name_in_report}”"
                    f" ({council.name})"
                )
    if council is None and pdf.page_count:
        council = registry.find_in_text(fold(pdf.page_text(1))[:1500], on=on)
        if council is not None:
            record.warnings.append(
                f"council matched from the text of page 1, not the title ({council.name})"
            )
    if council is None:
        named = f" “{record.council_name_in_report}”" if record.council_name_in_report else ""
        record.warnings.append(f"could not match the council{named} to the reference data")
    else:
        record.council_urn = council.urn
