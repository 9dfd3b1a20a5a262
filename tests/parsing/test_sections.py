"""Each judgement's whole section and a letter's findings, read from real fixtures: the text,
the page each paragraph's text is on (checked against the PDF's own page text), where
sections end, and that no summary runs on into a table of contents."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from ofsted_csc.domain.frameworks import fold
from ofsted_csc.domain.records import (
    HEADLINE_FINDINGS,
    MAIN_FINDINGS,
    InspectionRecord,
    LetterRecord,
    Passage,
)
from ofsted_csc.parsing.document import parse_document
from ofsted_csc.parsing.pdf import read_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPORTS = sorted((FIXTURES / "reports").glob("*.pdf"))
LETTERS = sorted((FIXTURES / "letters").glob("*.pdf"))


def _squash(text: str) -> str:
    """Text compared without whitespace or hyphens at line ends, apostrophes folded."""
    return re.sub(r"[\s\-‐–]", "", fold(text))


@cache
def _pages(path: Path) -> tuple[str, ...]:
    pdf = read_pdf(path.read_bytes(), path.name)
    return tuple(_squash(pdf.page_text(n)) for n in range(1, pdf.page_count + 1))


@cache
def _record(path: Path) -> InspectionRecord | LetterRecord:
    return parse_document(path.read_bytes(), path.name).record


def on_pages(path: Path, text: str, first: int, last: int) -> bool:
    """Whether `text` stands in the PDF on pages first..last: its first and last characters,
    so that page furniture the PDF sets among the lines (a letter's address block) does not
    matter."""
    squashed = _squash(text)
    pages = _pages(path)
    if first == last:
        return squashed[:40] in pages[first - 1] and squashed[-40:] in pages[first - 1]
    # over a page end (page numbers and headers between): begins on the first page, ends on
    # the last
    return squashed[:15] in pages[first - 1] and squashed[-15:] in pages[last - 1]


def _check_pages(path: Path, p: Passage) -> None:
    assert len(p.starts) == len(p.paragraphs)
    for n, para in enumerate(p.paragraphs):
        starts = p.starts[n]
        assert starts[0][0] == 0
        bounds = [at for at, _ in starts] + [len(para)]
        for k, (at, page) in enumerate(starts):
            piece = para[at : bounds[k + 1]].strip()
            assert on_pages(path, piece, page, page), (path.name, p.key, n, page, piece[:80])


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_every_sections_text_is_on_the_page_given(path: Path) -> None:
    record = _record(path)
    assert isinstance(record, InspectionRecord)
    for p in record.sections.values():
        _check_pages(path, p)


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name)
def test_every_letters_findings_are_on_the_page_given(path: Path) -> None:
    record = _record(path)
    assert isinstance(record, LetterRecord)
    for p in record.findings.values():
        _check_pages(path, p)


def test_an_ilacs_reports_sections() -> None:
    record = _record(FIXTURES / "reports" / "50282103.pdf")  # Stockport 2025
    assert isinstance(record, InspectionRecord)
    assert list(record.sections) == ["help_and_protection", "in_care", "care_leavers", "leadership"]
    hp = record.sections["help_and_protection"]
    assert hp.page == 2 and len(hp.paragraphs) == 20  # numbered paragraphs 1 to 20
    assert hp.paragraphs[0].startswith("Children and families benefit from a range of early")
    # paragraph 2 runs from page 2 to page 3, where "decision-making for some children" starts
    assert hp.paragraphs[1].startswith("There are delays in the screening of concerns")
    (_, p2), (at, p3) = hp.starts[1]
    assert (p2, p3) == (2, 3)
    assert hp.paragraphs[1][at:].startswith("decision-making for some children.")
    assert hp.page_at(1, at - 2) == 2 and hp.page_at(1, at) == 3
    # the in-care section starts where the help and protection section ends
    assert record.sections["in_care"].paragraphs[0].startswith("Some children do not enter care")
    assert not any("Some children do not enter care" in x for x in hp.paragraphs)
    # the last section ends before Ofsted's closing page
    leaders = record.sections["leadership"]
    assert leaders.paragraphs[-1].startswith("Social workers told inspectors that they love")
    assert not any("Ofsted" in x and "regulates and inspects" in x for x in leaders.paragraphs)
    # the passage kept as before: the section's first paragraph
    assert record.passages["help_and_protection"].paragraphs[0] == hp.paragraphs[0]


def test_a_sif_reports_sections_and_sub_judgements() -> None:
    record = _record(FIXTURES / "reports" / "50004301.pdf")  # Oldham 2015, with the LSCB
    assert isinstance(record, InspectionRecord)
    s = record.sections
    assert set(s) == {
        "help_and_protection",
        "in_care",
        "adoption",
        "care_leavers",
        "leadership",
        "lscb",
    }
    assert s["help_and_protection"].page == 12
    assert s["help_and_protection"].paragraphs[0].startswith("Agencies work together well")
    # the summary and the inspection findings, not their headings
    assert "Summary" not in s["help_and_protection"].paragraphs
    assert "Inspection findings" not in s["help_and_protection"].paragraphs
    assert len(s["help_and_protection"].paragraphs) > 30
    # adoption is graded on its own: it ends the section on children looked after
    assert s["adoption"].page == 29
    assert s["adoption"].paragraphs[0].startswith("There is a strong and successful commitment")
    assert not any("strong and successful commitment" in x for x in s["in_care"].paragraphs)
    assert s["care_leavers"].page == 32 and s["leadership"].page == 38
    # the LSCB's findings, not its recommendations nor "Information about this inspection"
    assert s["lscb"].page == 44
    assert not any(x.startswith("The LSCB should") for x in s["lscb"].paragraphs)
    assert not any("inspection team" in x.lower() for x in s["lscb"].paragraphs)


def test_a_pre_2013_and_a_standalone_lscb_reports_sections() -> None:
    pre = _record(FIXTURES / "reports" / "2761820.pdf")  # Sandwell 2013 looked after
    assert isinstance(pre, InspectionRecord)
    assert (
        pre.sections["overall_effectiveness"]
        .paragraphs[0]
        .startswith("Overall effectiveness for looked after children is inadequate.")
    )
    # "Areas for improvement" (the recommendations) end the capacity to improve section
    cap = pre.sections["capacity_to_improve"]
    assert cap.page == 8 and not any(x.startswith("Immediately") for x in cap.paragraphs)
    lscb = _record(FIXTURES / "reports" / "50004302.pdf")  # Surrey 2015, a review on its own
    assert isinstance(lscb, InspectionRecord)
    assert lscb.sections["lscb"].page == 5 and len(lscb.sections["lscb"].paragraphs) > 10


def test_a_letters_headline_and_main_findings() -> None:
    record = _record(FIXTURES / "letters" / "fv-c86f7a0b9b7d.pdf")  # Slough 2026
    assert isinstance(record, LetterRecord)
    head, main = record.findings[HEADLINE_FINDINGS], record.findings[MAIN_FINDINGS]
    assert head.page == 1 and len(head.paragraphs) == 1
    assert head.paragraphs[0].startswith("Care leavers in Slough are receiving an inconsistent")
    assert main.page == 2 and len(main.paragraphs) == 17
    assert main.paragraphs[-1].startswith("We met an inspirational group of young people")
    assert main.page_at(16) == 5
    # nothing of the lists or the signature
    assert not any("His Majesty" in x or "Yours sincerely" in x for x in main.paragraphs)
    assert not any(x in main.paragraphs for x in record.areas_for_improvement)
    # 2018: the "Overview" is the headline findings, "Findings" the main findings
    old = _record(FIXTURES / "letters" / "fv-5792431aec41.pdf")  # Solihull 2018
    assert isinstance(old, LetterRecord)
    assert (
        old.findings[HEADLINE_FINDINGS]
        .paragraphs[0]
        .startswith(
            "There has been continued improvement in services for young people leaving care"
        )
    )
    assert old.findings[HEADLINE_FINDINGS].starts[0] == ((0, 1), (711, 2))
    assert old.findings[MAIN_FINDINGS].page == 2


_CONTENTS = re.compile(
    r"^(?:contents?|executive summary|the local authority|information about th\w+ local "
    r"authority area|summary for children and young people)\s*\d*$|\.{4,}\s*\d+$",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_no_summary_runs_on_into_the_table_of_contents(path: Path) -> None:
    record = _record(path)
    assert isinstance(record, InspectionRecord)
    for p in [*record.passages.values(), *record.sections.values()]:
        for para in p.paragraphs:
            assert not _CONTENTS.search(para), (path.name, p.key, para[-80:])


def test_the_overview_that_ran_into_the_contents_now_ends_with_the_summary() -> None:
    # Sandwell 2017: the executive summary ends on page 3, the contents are on page 4
    record = _record(FIXTURES / "reports" / "2755854.pdf")
    assert isinstance(record, InspectionRecord)
    overview = record.passages["overview"]
    assert overview.paragraphs[-1].startswith(
        "Services for children and families in need of help and protection have not improved"
    )
    assert not any("Executive summary 2" in x for x in overview.paragraphs)
