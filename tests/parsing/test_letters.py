"""Focused visit letters: every field of real letters, checked by reading each letter.

tests/fixtures/letters/expected.json holds the records as the letters say them: with and
without areas for priority action, the 2018 layout with paragraphs for items, visit dates
across two months, visit dates with no year (taken from the letter date), a 2021 letter whose
lists only say the earlier ones remain, a 2021 COVID-period visit whose subject is Ofsted's
national programme, a theme closing a quote on its second line (‘front door’), a 2024 letter
whose PDF gives the address block and date after the body of page 1, and a 2026 letter with
national framework tags inside its items.

Ten more were added from councils the first corpus did not have: a 2018 letter whose
signature title is garbled in the PDF's text ("Her Majesty = ’s Inspector"), a 2018 one
signed "NAME HMI" with its lists at the end, a 2025 letter that gives no date anywhere, a 2024
one with no lists at all, a one-day visit whose only bullet points to the last inspection's
areas, a visit of three days over a month end ("29 and 30 September, and 1 October 2020"),
dates joined by an en dash with priority actions after a preamble, a council that delegates
to a trust ("... focused visit on 23 and 24 February 2021 to Doncaster Metropolitan Borough
Council ..."), the Isles of Scilly, and a visit "between 20 October and 22 October 2020".

The corpus has no monitoring visit letter, nor many of the ways a letter can give its dates
and lead inspector: those are tested on letters built line by line below, in Ofsted's layout
(invented names and dates).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from tests.conftest import FIXTURES
from tests.pdfmake import Item, pdf_from_items

from ofsted_csc.domain.frameworks import Kind
from ofsted_csc.domain.records import LetterRecord
from ofsted_csc.parsing.document import parse_document
from ofsted_csc.parsing.letters import (
    as_bullet,
    body_size,
    closes_a_quote,
    council_name_from_title,
    inspector_name,
    is_letter,
    parse_letter,
    trim_phrase,
    visit_dates,
)
from ofsted_csc.parsing.pdf import Line, PdfText, read_pdf

LETTERS = FIXTURES / "letters"
EXPECTED: dict[str, dict[str, object]] = json.loads((LETTERS / "expected.json").read_text())


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_letter_fields(name: str) -> None:
    result = parse_document((LETTERS / name).read_bytes(), name)
    record = result.record
    assert isinstance(record, LetterRecord)
    assert not result.review_reasons
    expected = EXPECTED[name]
    assert record.council_urn == expected["council_urn"]
    assert record.council_name_in_report == expected["council_name_in_report"]
    assert record.kind is Kind(str(expected["kind"]))
    assert _iso(record.letter_date) == expected["letter_date"]
    assert _iso(record.visit_start) == expected["visit_start"]
    assert _iso(record.visit_end) == expected["visit_end"]
    assert record.lead_inspector == expected["lead_inspector"]
    assert record.theme == expected["theme"]
    assert record.priority_actions == expected["priority_actions"]
    assert record.areas_for_improvement == expected["areas_for_improvement"]
    assert record.pages == expected["pages"]
    assert record.warnings == expected["warnings"]


def test_fixtures_cover_what_they_claim() -> None:
    def has(key: str) -> list[str]:
        return [n for n, e in EXPECTED.items() if e[key]]

    assert has("priority_actions") and len(has("priority_actions")) < len(EXPECTED)
    years = {str(e["letter_date"])[:4] for e in EXPECTED.values()}
    assert "2018" in years and "2026" in years
    assert any(e["visit_start"][5:7] != e["visit_end"][5:7] for e in EXPECTED.values())  # type: ignore[index]
    assert any("no year" in w for e in EXPECTED.values() for w in e["warnings"])  # type: ignore[attr-defined]
    # one-day visits, and a visit of three days over a month end
    assert any(e["visit_start"] == e["visit_end"] for e in EXPECTED.values())
    assert any(
        e["visit_start"][5:7] != e["visit_end"][5:7]  # type: ignore[index]
        and (
            date.fromisoformat(str(e["visit_end"])) - date.fromisoformat(str(e["visit_start"]))
        ).days
        == 2
        for e in EXPECTED.values()
    )
    # a letter that gives no date, read as such; every other field of it still read
    undated = [e for e in EXPECTED.values() if e["letter_date"] is None]
    assert undated and all(e["warnings"] == ["no letter date found in the letter"] for e in undated)
    # every fixture names its lead inspector (one only in a signature with a garbled title)
    assert all(e["lead_inspector"] for e in EXPECTED.values())
    # a letter with no lists at all, and no warning about it
    assert any(
        not e["priority_actions"] and not e["areas_for_improvement"] and not e["warnings"]
        for e in EXPECTED.values()
    )
    # a bullet that only points to the last inspection's areas, kept as a note
    assert any(
        str(w).startswith("areas for improvement: “The areas for improvement continue")
        for e in EXPECTED.values()
        for w in e["warnings"]  # type: ignore[attr-defined]
    )
    # councils named in long forms
    names = {str(e["council_name_in_report"]) for e in EXPECTED.values()}
    assert any("Metropolitan Borough Council" in n for n in names)
    assert {"City of London", "Isles of Scilly"} <= names


# --- small pure functions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "letter_date", "expected"),
    [
        ("on 30 April and 1 May 2019", None, (date(2019, 4, 30), date(2019, 5, 1))),
        ("on 9 to 10 November 2021", None, (date(2021, 11, 9), date(2021, 11, 10))),
        ("on 12 and 13 May 2021", None, (date(2021, 5, 12), date(2021, 5, 13))),
        ("on 26 November 2025. The inspectors", None, (date(2025, 11, 26), date(2025, 11, 26))),
        ("on 15, 16 and 21 July 2025", None, (date(2025, 7, 15), date(2025, 7, 21))),
        (
            "between 29 September and 1 October 2020",
            None,
            (date(2020, 9, 29), date(2020, 10, 1)),
        ),
        ("on 30 December to 2 January 2020", None, (date(2019, 12, 30), date(2020, 1, 2))),
        ("on 4 and 5 December", date(2019, 1, 10), (date(2018, 12, 4), date(2018, 12, 5))),
        ("on 13 and 14 July. Her", date(2021, 8, 23), (date(2021, 7, 13), date(2021, 7, 14))),
    ],
)
def test_visit_dates(phrase: str, letter_date: date | None, expected: tuple[date, date]) -> None:
    assert visit_dates(phrase, letter_date) == expected


@pytest.mark.parametrize(
    "phrase",
    ["on 13 and 14 July", "judged inadequate in May 2018", "on 1 and 2", "no dates at all"],
)
def test_visit_dates_not_read(phrase: str) -> None:
    assert visit_dates(phrase) is None  # no year and no letter date, or no day and month


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        (
            "the local authority’s arrangements for the ‘front door’.",
            "the local authority’s arrangements for the ‘front door’",
        ),
        # a stray quote after the full stop, as one 2023 letter has it
        ("arrangements for the ‘front door’.’", "arrangements for the ‘front door’"),
        ("arrangements for ‘front door’ services:", "arrangements for ‘front door’ services"),
        ("care leavers’ services.", "care leavers’ services"),
        ("arrangements for care leavers,", "arrangements for care leavers"),
    ],
)
def test_trim_phrase(phrase: str, expected: str) -> None:
    assert trim_phrase(phrase) == expected


def test_closes_a_quote() -> None:
    assert closes_a_quote("the ‘front door’")
    assert not closes_a_quote("the local authority’s front door’")  # apostrophe, then stray
    assert not closes_a_quote("the ‘front door’’")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Focused visit to Durham’s children’s services", "Durham"),
        (
            "Focused visit to the London Borough of Barnet local authority children’s services",
            "London Borough of Barnet",
        ),
        ("Monitoring visit to Sandwell Children’s Trust", "Sandwell Children’s Trust"),
        ("Focused visit to Oldham children’s services.", "Oldham"),
    ],
)
def test_council_name_from_title(title: str, expected: str) -> None:
    assert council_name_from_title(title) == expected


def test_as_bullet() -> None:
    assert as_bullet("\uf0a8 The quality of plans.") == "• The quality of plans."
    assert as_bullet("◦The quality of plans.") == "• The quality of plans."
    assert as_bullet("The quality of plans.") == "The quality of plans."


# --- letters built line by line ---------------------------------------------------------------

ADDRESS = ["~Ofsted", "~Piccadilly Gate", "~Store Street", "~Manchester M1 2WD"]


def _pdf(*pages: list[str], size: float = 12.0) -> PdfText:
    """A letter laid out like Ofsted's: one string per line, top to bottom. "**" marks a bold
    line, "~" small print, and leading spaces a hanging indent. Built as a real PDF
    (tests/pdfmake.py) and read through pdfium, as any letter is."""
    out: list[list[Item]] = []
    for page in pages:
        items: list[Item] = []
        y = 800.0
        for raw in page:
            text = raw.lstrip()
            indent = 18.0 if raw.startswith(" ") else 0.0
            bold = text.startswith("**")
            small = text.startswith("~")
            text = text.lstrip("*~")
            items.append((text, 72.0 + indent, y, 9.0 if small else size, bold))
            y -= 2.5 * size if bold else 1.3 * size
        out.append(items)
    return read_pdf(pdf_from_items(out, "20200101"), "synthetic-letter.pdf")


MONITORING = [
    *ADDRESS,
    "14 January 2020",
    "Ms Jane Example",
    "Director of Children’s Services",
    "Dear Ms Example",
    "**Monitoring visit to Bradford children’s services",
    "This letter summarises the findings of the monitoring visit to Bradford children’s",
    "services on 27 and 28 November 2019. This was the second monitoring visit since the",
    "local authority was judged inadequate in September 2018. The inspectors were Alex",
    "Sample and Sam Specimen, Her Majesty’s Inspectors.",
    "**Areas covered by the visit",
    "Inspectors reviewed the progress made in the following areas of concern identified at",
    "the last inspection:",
    "• The quality of assessments and plans for children in need and those subject to",
    "  child protection plans.",
    "• Management oversight and supervision.",
    "This visit was carried out in line with the inspection of local authority children’s",
    "services (ILACS) framework.",
    "**Headline findings",
    "Leaders have made steady progress since the last monitoring visit.",
    "Ofsted will take the findings from this monitoring visit into account when planning",
    "the next monitoring visit or inspection.",
    "Yours sincerely",
    "Alex Sample",
    "**Her Majesty’s Inspector",
]


def test_monitoring_visit_letter_with_areas_listed() -> None:
    pdf = _pdf(MONITORING)
    assert is_letter(pdf)
    record = parse_letter(pdf)
    assert record.kind is Kind.MONITORING_VISIT
    assert record.council_name_in_report == "Bradford"
    assert record.council_urn == "80449"
    assert record.letter_date == date(2020, 1, 14)
    assert (record.visit_start, record.visit_end) == (date(2019, 11, 27), date(2019, 11, 28))
    assert record.lead_inspector == "Alex Sample"
    assert record.theme == (
        "the progress made in the following areas of concern identified at the last "
        "inspection: The quality of assessments and plans for children in need and those "
        "subject to child protection plans; Management oversight and supervision"
    )
    assert record.priority_actions == [] and record.areas_for_improvement == []
    assert record.warnings == []


def test_monitoring_visit_recognised_by_its_opening_alone() -> None:
    """No bold title: the opening sentence says what kind of letter it is."""
    lines = [ln.replace("**Monitoring visit to", "Visit to") for ln in MONITORING]
    lines = [ln.replace("the monitoring visit to", "the third monitoring visit to") for ln in lines]
    pdf = _pdf(lines)
    assert is_letter(pdf)
    record = parse_letter(pdf)
    assert record.kind is Kind.MONITORING_VISIT
    assert record.council_urn == "80449"


@pytest.mark.parametrize(
    ("sentence", "theme"),
    [
        (
            "This visit looked at the local authority’s arrangements for children in care.",
            "the local authority’s arrangements for children in care",
        ),
        (
            "The focus of the visit was on the experiences of care leavers.",
            "the experiences of care leavers",
        ),
        (
            "During the visit, inspectors evaluated the progress made for children in need.",
            "the progress made for children in need",
        ),
        (
            "The visit focused on the ‘front door’, in line with the ILACS framework.",
            "the ‘front door’, in line with the ILACS framework",
        ),
    ],
)
def test_theme_wordings(sentence: str, theme: str) -> None:
    lines = [
        *ADDRESS,
        "3 March 2022",
        "Dear Ms Example",
        "**Focused visit to Torbay children’s services",
        "This letter summarises the findings of the focused visit to Torbay children’s",
        "services on 1 and 2 February 2022.",
        "Inspectors looked at a range of evidence, including children’s case records.",
        sentence,
        "**Headline findings",
        "Yours sincerely",
        "Jo Example",
        "**His Majesty’s Inspector",
    ]
    record = parse_letter(_pdf(lines))
    assert record.theme == theme
    assert record.council_urn == "80572"  # Torbay


def test_dates_from_a_later_sentence_and_date_after_the_body() -> None:
    """The opening gives no dates; the address block and date come after the body text of
    page 1 in the PDF's text order, though they stand above the greeting on the page."""
    body = [
        "Dear Ms Example",
        "**Focused visit to Torbay children’s services",
        "This letter summarises the findings of the focused visit to Torbay children’s services.",
        "The visit took place on 30 November and 1 December 2021.",
        "Inspectors looked at the local authority’s arrangements for care leavers.",
        "**What needs to improve in this area of social work practice?",
        "• Pathway plans.",
        "Yours sincerely",
        "Jo Example",
        "**His Majesty’s Inspector",
    ]
    pdf = _pdf(body)
    top = [
        Line(t, 1, 72.0, 900.0 - 14 * k, 12.0, False)
        for k, t in enumerate(["14 January 2022", "Ms Jane Example"])
    ]
    pdf = PdfText(lines=(pdf.lines[0] + tuple(top),), created=None, modified=None)
    record = parse_letter(pdf)
    assert record.letter_date == date(2022, 1, 14)
    assert (record.visit_start, record.visit_end) == (date(2021, 11, 30), date(2021, 12, 1))
    assert record.theme == "the local authority’s arrangements for care leavers"
    assert record.areas_for_improvement == ["Pathway plans."]
    assert record.warnings == []


def test_no_letter_date_is_a_warning() -> None:
    lines = [ln for ln in MONITORING if ln != "14 January 2020"]
    record = parse_letter(_pdf(lines))
    assert record.letter_date is None
    assert any("no letter date" in w for w in record.warnings)


def test_body_footnote_and_small_body_type() -> None:
    """A letter set in 10 pt keeps its text; the national framework footnote, in body type
    here, is not glued onto the last item."""
    lines = [
        *ADDRESS,
        "3 March 2025",
        "Dear Ms Example",
        "**Focused visit to Torbay children’s services",
        "This letter summarises the findings of the focused visit to Torbay children’s",
        "services on 4 and 5 February 2025.",
        "Inspectors looked at the local authority’s arrangements for care leavers.",
        "**Areas for priority action",
        "• Keeping in touch with care leavers. (outcome 4, national framework)",
        "**What needs to improve in this area of social work practice?",
        "• The quality of pathway plans for care leavers (enabler 2, national",
        "  framework).",
        "1 The areas for improvement have been cross-referenced with the outcomes, enablers",
        "the Children’s Social Care: National Framework.",
    ]
    end = ["**Main findings", "Yours sincerely", "Jo Example", "**His Majesty’s Inspector"]
    pdf = _pdf(lines, end, size=10.0)
    assert body_size(pdf) == 10.0
    record = parse_letter(pdf)
    assert record.priority_actions == [
        "Keeping in touch with care leavers. (outcome 4, national framework)"
    ]
    assert record.areas_for_improvement == [
        "The quality of pathway plans for care leavers (enabler 2, national framework)."
    ]
    assert record.lead_inspector == "Jo Example"


def test_monitoring_visit_letter_is_recognised() -> None:
    """A real PDF, made by tools/make_bad_fixtures.py in Ofsted's layout and wording
    (invented names and dates)."""
    path = FIXTURES / "synthetic" / "monitoring_visit.pdf"
    result = parse_document(path.read_bytes(), path.name)
    record = result.record
    assert isinstance(record, LetterRecord)
    assert not result.review_reasons
    assert record.kind is Kind.MONITORING_VISIT
    assert record.council_urn == "80549"  # Sandwell
    assert (record.visit_start, record.visit_end) == (date(2020, 2, 4), date(2020, 2, 5))
    assert record.letter_date == date(2020, 3, 12)
    assert record.lead_inspector == "Alex Sample"
    assert record.theme == (
        "the progress made in the quality of planning for children in care, including the "
        "timeliness of permanence decisions and the quality of care plans"
    )
    assert record.priority_actions == [] and record.areas_for_improvement == []


# --- visit dates in every form letters use --------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "letter_date", "expected"),
    [
        # one day, with and without the day of the week
        ("on 9 June 2021. The inspectors", None, (date(2021, 6, 9), date(2021, 6, 9))),
        ("on Wednesday 9 June 2021", None, (date(2021, 6, 9), date(2021, 6, 9))),
        # two days at and across a month end
        ("on 30 and 31 October 2019", None, (date(2019, 10, 30), date(2019, 10, 31))),
        ("on 31 October to 1 November 2019", None, (date(2019, 10, 31), date(2019, 11, 1))),
        ("on 30 September and 1 October 2020", None, (date(2020, 9, 30), date(2020, 10, 1))),
        ("from 31 December 2019 to 1 January 2020", None, (date(2019, 12, 31), date(2020, 1, 1))),
        # joined by "and", "to", "&", an en dash or a hyphen, with or without spaces
        ("on 4–5 June 2019", None, (date(2019, 6, 4), date(2019, 6, 5))),
        ("on 4 – 5 June 2019", None, (date(2019, 6, 4), date(2019, 6, 5))),
        ("on 4 June – 5 June 2019", None, (date(2019, 6, 4), date(2019, 6, 5))),
        ("on 22-23 October 2019", None, (date(2019, 10, 22), date(2019, 10, 23))),
        ("on 4, 5 & 6 June 2019", None, (date(2019, 6, 4), date(2019, 6, 6))),
        ("on the 4th and 5th of June 2019", None, (date(2019, 6, 4), date(2019, 6, 5))),
        ("on 4/5 June 2019", None, (date(2019, 6, 4), date(2019, 6, 5))),
        ("on Tuesday 4 and Wednesday 5 June 2019", None, (date(2019, 6, 4), date(2019, 6, 5))),
        (
            "on 29 and 30 September, and 1 October 2020",
            None,
            (date(2020, 9, 29), date(2020, 10, 1)),
        ),
        # the year only on the first date: the later days carry it on, over a year end
        ("on 30 December 2019 to 2 January", None, (date(2019, 12, 30), date(2020, 1, 2))),
        ("on 4 June 2019 and 5 June", None, (date(2019, 6, 4), date(2019, 6, 5))),
        # no year: from the letter date, over a month end and a year end
        ("on 30 and 31 October", date(2019, 11, 28), (date(2019, 10, 30), date(2019, 10, 31))),
        (
            "on 31 October to 1 November",
            date(2019, 12, 2),
            (date(2019, 10, 31), date(2019, 11, 1)),
        ),
        (
            "on 31 December and 1 January",
            date(2020, 2, 3),
            (date(2019, 12, 31), date(2020, 1, 1)),
        ),
    ],
)
def test_visit_date_forms(
    phrase: str, letter_date: date | None, expected: tuple[date, date]
) -> None:
    assert visit_dates(phrase, letter_date) == expected


def _letter(
    top: list[str],
    opening: list[str],
    end: list[str],
    lists: list[str] | None = None,
    page2: list[str] | None = None,
) -> PdfText:
    """A letter in Ofsted's layout: `top` above the greeting, `opening` after the title,
    then a list, findings and `end` (the close of page 1), and `page2` if given."""
    lines = [
        *ADDRESS,
        *top,
        "Ms Jane Example",
        "Director of Children’s Services",
        "Dear Ms Example",
        "**Focused visit to Torbay children’s services",
        *opening,
        "Inspectors looked at the local authority’s arrangements for care leavers.",
        *(lists or ["**What needs to improve in this area of social work practice?", "• Plans."]),
        "**Main findings",
        "Care leavers are supported well by their personal advisers.",
        *end,
    ]
    return _pdf(lines, page2) if page2 else _pdf(lines)


OPENING = [
    "This letter summarises the findings of the focused visit to Torbay children’s services",
    "on 30 and 31 October 2019. His Majesty’s Inspectors for this visit were Jo Example and",
    "Sam Specimen.",
]
SIGNATURE = ["Yours sincerely", "Jo Example", "**His Majesty’s Inspector"]


def test_visit_dates_in_a_later_sentence_not_an_earlier_event() -> None:
    """The opening gives no dates; a sentence about the last inspection gives one before the
    sentence that says when inspectors were on site."""
    opening = [
        "This letter summarises the findings of the focused visit to Torbay children’s services.",
        "Since the last inspection on 4 and 5 March 2018, leaders have changed the service.",
        "Inspectors were on site on 31 October and 1 November 2019.",
    ]
    record = parse_letter(_letter(["2 December 2019"], opening, SIGNATURE))
    assert (record.visit_start, record.visit_end) == (date(2019, 10, 31), date(2019, 11, 1))
    assert record.pages["visit_start"] == 1
    assert record.warnings == []


def test_visit_dates_in_a_later_sentence_without_a_year() -> None:
    opening = [
        "This letter summarises the findings of the focused visit to Torbay children’s services.",
        "The visit took place on 30 and 31 October.",
    ]
    record = parse_letter(_letter(["28 November 2019"], opening, SIGNATURE))
    assert (record.visit_start, record.visit_end) == (date(2019, 10, 30), date(2019, 10, 31))
    assert record.warnings == ["the visit dates give no year: taken from the letter date"]


# --- the letter date where the text gives it ----------------------------------------------------


def test_letter_date_after_the_body() -> None:
    """No date above the greeting: the date stands on its own line after the last paragraph."""
    end = ["", "4 December 2019", *SIGNATURE]
    record = parse_letter(_letter([], OPENING, [ln for ln in end if ln]))
    assert record.letter_date == date(2019, 12, 4)
    assert record.pages["letter_date"] == 1
    assert not any("letter date" in w for w in record.warnings)


def test_letter_date_at_the_end_on_a_later_page() -> None:
    page2 = ["Leaders know the service well.", *SIGNATURE, "Date: 4 December 2019"]
    record = parse_letter(_letter([], OPENING, [], page2=page2))
    assert record.letter_date == date(2019, 12, 4)
    assert record.pages["letter_date"] == 2
    assert record.lead_inspector == "Jo Example" and record.pages["lead_inspector"] == 2


def test_letter_date_without_a_year_visit_takes_it_from_the_end() -> None:
    """Visit dates without a year, the letter date at the end: the year comes from it."""
    opening = [
        "This letter summarises the findings of the focused visit to Torbay children’s services",
        "on 31 October and 1 November. His Majesty’s Inspectors were Jo Example and Sam Specimen.",
    ]
    record = parse_letter(_letter([], opening, [*SIGNATURE, "2 December 2019"]))
    assert record.letter_date == date(2019, 12, 2)
    assert (record.visit_start, record.visit_end) == (date(2019, 10, 31), date(2019, 11, 1))


def test_a_date_inside_a_sentence_or_before_the_visit_is_not_the_letter_date() -> None:
    """A body line that carries on a sentence, and a date before the visit, are not it."""
    end = [
        "Leaders have set out their plans, which they will review on",
        "4 January 2020",
        "at the corporate parenting board.",
        "",
        "1 June 2019",
        *SIGNATURE,
    ]
    record = parse_letter(_letter([], OPENING, [ln for ln in end if ln]))
    assert record.letter_date is None
    assert "no letter date found in the letter" in record.warnings
    assert (record.visit_start, record.visit_end) == (date(2019, 10, 30), date(2019, 10, 31))


# --- the lead inspector -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "end",
    [
        # the name only, no title below it
        ["Yours sincerely", "Jo Example"],
        # the title on the name's line
        ["Yours sincerely", "Jo Example HMI"],
        ["Yours sincerely,", "Jo Example, Her Majesty’s Inspector"],
        # titles below the name
        ["Yours sincerely", "Jo Example", "Ofsted Inspector"],
        ["Yours sincerely", "Jo Example", "**Her Majesty = ’s Inspector"],
        ["Yours faithfully", "Jo Example", "Lead inspector", "**His Majesty’s Inspector"],
        ["Yours sincerely", "Jo Example", "**Senior HMI"],
    ],
)
def test_lead_inspector_in_the_signature(end: list[str]) -> None:
    opening = [
        "This letter summarises the findings of the focused visit to Torbay children’s services",
        "on 30 and 31 October 2019. Inspectors for this visit were Sam Specimen and Jo Example.",
    ]
    record = parse_letter(_letter(["2 December 2019"], opening, end))
    assert record.lead_inspector == "Jo Example"
    assert record.pages["lead_inspector"] == 1
    assert "no lead inspector named" not in record.warnings


@pytest.mark.parametrize(
    ("sentence", "lead"),
    [
        ("The lead inspector was Jo Example, His Majesty’s Inspector.", "Jo Example"),
        ("Jo Example (lead inspector) and Sam Specimen visited.", "Jo Example"),
        ("The visit was led by Her Majesty’s Inspector Jo Example.", "Jo Example"),
        # one inspector: the lead, whatever the title
        ("The inspector was Jo Example, Ofsted Inspector.", "Jo Example"),
        ("The visit was carried out by Jo Example HMI.", "Jo Example"),
        # several inspectors and no signature: the letter does not say who led
        ("The inspectors were Sam Specimen, HMI, and Jo Example, HMI.", None),
    ],
)
def test_lead_inspector_without_a_signature(sentence: str, lead: str | None) -> None:
    opening = [
        "This letter summarises the findings of the focused visit to Torbay children’s services",
        "on 30 and 31 October 2019.",
        sentence,
    ]
    record = parse_letter(_letter(["2 December 2019"], opening, []))
    assert record.lead_inspector == lead
    assert ("no lead inspector named" in record.warnings) is (lead is None)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Peter McEntee HMI", "Peter McEntee"),
        ("Jo Example, HMI.", "Jo Example"),
        ("Jo Example, Her Majesty’s Inspector", "Jo Example"),
        ("Jo Example (Ofsted Inspector)", "Jo Example"),
        ("HMI Jo Example", "Jo Example"),
        ("Dr Jo Example-Smith", "Dr Jo Example-Smith"),
        ("Her Majesty’s Inspector", None),
        ("Yours sincerely", None),
        ("Ofsted", None),
        ("cc Director of Children’s Services", None),
    ],
)
def test_inspector_name(text: str, name: str | None) -> None:
    assert inspector_name(text) == name


# --- lists and themes ----------------------------------------------------------------------------


def test_a_bullet_that_points_to_earlier_areas_is_not_an_item() -> None:
    lists = [
        "**What needs to improve in this area of social work practice",
        "• The areas for improvement continue to be those identified at the ILACS",
        "  inspection in September 2018. They remain relevant.",
    ]
    record = parse_letter(_letter(["2 December 2019"], OPENING, SIGNATURE, lists))
    assert record.areas_for_improvement == []
    assert record.warnings == [
        "areas for improvement: “The areas for improvement continue to be those identified at "
        "the ILACS inspection in September 2018. They remain relevant.”"
    ]


def test_full_stop_inside_a_closing_quote() -> None:
    assert trim_phrase("arrangements for the ‘front door.’") == "arrangements for the ‘front door’"
    assert (
        trim_phrase("the ‘front door’, and ‘early help,’") == "the ‘front door’, and ‘early help’"
    )


def test_council_named_inside_a_longer_name() -> None:
    """A trust's name with the council in brackets: the council is found inside it."""
    trust = "Achieving for Children (Kingston upon Thames)"
    lines = [*ADDRESS, "2 December 2019", "Dear Ms Example", f"**Focused visit to {trust}"]
    lines += [ln.replace("Torbay children’s services", trust) for ln in OPENING] + SIGNATURE
    record = parse_letter(_pdf(lines))
    assert record.council_name_in_report == "Achieving for Children (Kingston upon Thames)"
    assert record.council_urn == "80545"  # Kingston upon Thames
    assert not any("text of page 1" in w for w in record.warnings)


def test_visit_dates_where_inspectors_were() -> None:
    opening = [
        "This letter summarises the findings of the focused visit to Torbay children’s services.",
        "Inspectors were in Torbay on 4 and 5 June 2019.",
    ]
    record = parse_letter(_letter(["3 July 2019"], opening, SIGNATURE))
    assert (record.visit_start, record.visit_end) == (date(2019, 6, 4), date(2019, 6, 5))


def test_numeric_dates_are_not_visit_dates() -> None:
    assert visit_dates("on 04/06/2019 and 05/06/2019") is None


def test_lead_inspector_signs_above_a_regional_director() -> None:
    end = [*SIGNATURE, "Alex Sample", "Regional Director"]
    record = parse_letter(_letter(["2 December 2019"], OPENING, end))
    assert record.lead_inspector == "Jo Example"


@pytest.mark.parametrize(
    ("trust", "urn"),
    [
        ("Slough Children First", "80553"),
        ("Sandwell Children’s Trust", "80549"),
        ("Together for Children", "80566"),  # Sunderland
    ],
)
def test_trust_named_in_the_opening_only(trust: str, urn: str) -> None:
    """No title: the opening names a children's trust, not "X children's services"."""
    lines = [
        *ADDRESS,
        "2 December 2019",
        "Dear Ms Example",
        f"This letter summarises the findings of the focused visit to {trust} on 30 and",
        "31 October 2019. Inspectors looked at the arrangements for care leavers.",
        *SIGNATURE,
    ]
    record = parse_letter(_pdf(lines))
    assert record.council_name_in_report == trust
    assert record.council_urn == urn
    assert not any("text of page 1" in w for w in record.warnings)
