"""The brief's strengths and what still needs to improve, per judgement and for a visit
letter: quoted from the report's own sections, each sentence on the page the brief gives;
and stored sections and findings load back, as do rows stored before them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.parsing.test_sections import on_pages

from ofsted_csc import api
from ofsted_csc.api import briefs
from ofsted_csc.domain.records import HEADLINE_FINDINGS, MAIN_FINDINGS, InspectionRecord
from ofsted_csc.reports.briefs.content import SIDE_CAP, STRENGTHS, TO_IMPROVE, Bullets, Para
from ofsted_csc.storage import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
QUOTE = re.compile(r"^“(?P<text>.+)” \(pages? (?P<first>\d+)(?:-(?P<last>\d+))?\)$")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = tmp_path_factory.mktemp("words") / "words.db"
    s = api.open_store(f"sqlite:///{db}")
    api.ingest(
        s,
        [
            FIXTURES / "reports" / "50282103.pdf",
            FIXTURES / "reports" / "50004301.pdf",
            FIXTURES / "letters" / "fv-c86f7a0b9b7d.pdf",
        ],
    )
    yield s
    s.close()


def _sides(blocks: list[object], heading: str) -> list[list[str]]:
    out = []
    for n, b in enumerate(blocks):
        if isinstance(b, Para) and b.text == heading:
            nxt = blocks[n + 1]
            assert isinstance(nxt, Bullets)
            out.append(list(nxt.items))
    return out


def _check_quotes(path: Path, items: list[str]) -> None:
    for item in items:
        m = QUOTE.match(item)
        assert m, item
        first = int(m["first"])
        last = int(m["last"] or first)
        assert on_pages(path, m["text"], first, last), (item, first, last)


@pytest.mark.parametrize(
    ("council", "file"), [("Stockport", "50282103.pdf"), ("Oldham", "50004301.pdf")]
)
def test_each_judgement_quotes_strengths_and_what_to_improve_on_their_pages(
    store: Store, council: str, file: str
) -> None:
    b = briefs.build_brief(store, council, inspection=file, as_at=date(2026, 12, 1))
    words = next(s for s in b.sections if s.heading == "What the report says")
    strengths, to_improve = _sides(words.blocks, STRENGTHS), _sides(words.blocks, TO_IMPROVE)
    record = b.inspection.result.record
    assert isinstance(record, InspectionRecord)
    assert len(strengths) == len(to_improve) == len(record.sections)
    for items in strengths + to_improve:
        assert 1 <= len(items) <= SIDE_CAP
        _check_quotes(FIXTURES / "reports" / file, items)
    # the summary quotes stay; the Word document carries the quotes
    assert any(isinstance(x, Para) and x.style == "quote" for x in words.blocks)
    doc = briefs.brief_docx(b)
    assert len(doc) > 1000
    more = [x.text for x in words.blocks if isinstance(x, Para) and "more sentence" in x.text]
    assert more, "a section has more than the cap and says how many"


def test_the_visit_brief_quotes_the_headline_findings_and_what_works(store: Store) -> None:
    b = briefs.build_brief(
        store, "Slough", inspection="fv-c86f7a0b9b7d.pdf", as_at=date(2026, 2, 2)
    )
    s = next(x for x in b.sections if x.heading == "What the letter finds")
    texts = [x.text for x in s.blocks if isinstance(x, Para)]
    assert not any("does not yet read" in t for t in texts)
    letter = b.inspection.result.record
    head = letter.findings[HEADLINE_FINDINGS]  # type: ignore[union-attr]
    assert head.paragraphs[0] in texts
    works, improve = _sides(s.blocks, "What is working"), _sides(s.blocks, TO_IMPROVE)
    assert len(works) == len(improve) == 1
    path = FIXTURES / "letters" / "fv-c86f7a0b9b7d.pdf"
    _check_quotes(path, works[0] + improve[0])
    assert any("inconsistent" in x for x in improve[0])


def test_sections_and_findings_load_back_and_older_rows_still_load(store: Store) -> None:
    held = {x.result.source.file_name: x.result.record for x in store.inspections(passages=True)}
    stockport = held["50282103.pdf"]
    assert isinstance(stockport, InspectionRecord)
    hp = stockport.sections["help_and_protection"]
    assert hp.starts[1][1][1] == 3 and hp.page == 2
    assert stockport.passages["help_and_protection"].paragraphs[0] == hp.paragraphs[0]
    letters = {x.result.source.file_name: x.result.record for x in store.letters()}
    slough = letters["fv-c86f7a0b9b7d.pdf"]
    assert slough.findings[MAIN_FINDINGS].page_at(16) == 5  # type: ignore[union-attr]
    # rows as a store of an older parser holds them: no sections, no findings, no starts
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM report_passages WHERE key LIKE 'section:%'"))
        conn.execute(text("DELETE FROM letter_items WHERE section LIKE '%findings'"))
        conn.execute(text("UPDATE report_passages SET starts = NULL"))
    held = {x.result.source.file_name: x.result.record for x in store.inspections(passages=True)}
    old = held["50282103.pdf"]
    assert isinstance(old, InspectionRecord) and old.sections == {}
    assert old.passages["help_and_protection"].page_at(0) == 2
    b = briefs.build_brief(
        store, "Slough", inspection="fv-c86f7a0b9b7d.pdf", as_at=date(2026, 2, 2)
    )
    s = next(x for x in b.sections if x.heading == "What the letter finds")
    assert any(isinstance(x, Para) and "fv-c86f7a0b9b7d.pdf" in x.text for x in s.blocks)
