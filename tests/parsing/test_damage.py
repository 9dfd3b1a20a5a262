"""Damaged documents (issue 23): pdfium repairs a damaged file without saying so, and its
text can then differ from the document's. A damaged copy of a real report or letter is
refused or sent to review with its reasons; never stored with values the intact file
does not have. The damage is made by tools/damage.py, seeded, the same on every run."""

from __future__ import annotations

import importlib.util
import re
import sys
import zlib
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from tests.pdfmake import pdf_from_items

from ofsted_csc.domain import rules
from ofsted_csc.domain.frameworks import Kind
from ofsted_csc.domain.records import InspectionRecord, LetterRecord, Recommendation
from ofsted_csc.parsing.document import parse_document
from ofsted_csc.parsing.pdf import Line, damage_signs, text_signs
from ofsted_csc.parsing.streams import check_inflated

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
REPORT = FIXTURES / "reports" / "50282103.pdf"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("damage_tool", ROOT / "tools" / "damage.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["damage_tool"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


damage_tool = _tool()

# A seeded sample: reports of each framework and letters, every kind of damage.
SAMPLE = [
    FIXTURES / "reports" / name
    for name in ("50282103.pdf", "2755854.pdf", "50004302.pdf", "50216273.pdf")
] + [FIXTURES / "letters" / name for name in ("fv-055339ac91a3.pdf", "fv-e5b237e7fad1.pdf")]


def test_seeded_sample_of_damaged_copies_stores_nothing_that_differs() -> None:
    cases = damage_tool.run(SAMPLE, seed=23, kinds=damage_tool.KINDS, per_kind=1)
    assert not [c for c in cases if c.outcome == "intact-not-stored"]
    assert len(cases) == len(SAMPLE) * len(damage_tool.KINDS)
    different = [
        f"{c.file}:{c.kind}:{c.n} {c.note}: {c.detail}" for c in cases if c.outcome == "different"
    ]
    assert different == []
    # the damage was read, not only refused: most copies reach review with their reasons
    review = [c for c in cases if c.outcome == "review"]
    assert len(review) > len(cases) // 2
    assert all(c.detail for c in review)


def test_damage_is_reproducible_case_by_case() -> None:
    data = REPORT.read_bytes()
    for kind in damage_tool.KINDS:
        a = damage_tool.damage(data, kind, damage_tool.case_rng(7, REPORT.name, kind, 0))
        b = damage_tool.damage(data, kind, damage_tool.case_rng(7, REPORT.name, kind, 0))
        c = damage_tool.damage(data, kind, damage_tool.case_rng(8, REPORT.name, kind, 0))
        assert a == b
        assert a[0] != data
        assert c[0] != a[0]


# -- signs of damage in the bytes --


def _small_pdf() -> bytes:
    return pdf_from_items([[("Children's services", 72.0, 700.0, 12.0, False)]], "20240301")


def _flate_stream(data: bytes, n: int = 0) -> tuple[int, int]:
    """Where the n-th Flate stream's data starts and ends."""
    m = list(re.finditer(rb"/FlateDecode[^>]*>>\s*stream\r?\n", data))[n]
    return m.end(), data.index(b"endstream", m.end())


def test_streams_the_bomb_check_inflated_are_judged_as_when_inflated_again() -> None:
    """The damage check takes the bomb check's word for the streams it inflated to their end
    (one inflation, not two): on damaged copies of every kind, the signs are the same as
    when every stream is inflated again."""
    compared = 0
    for path in SAMPLE:
        data = path.read_bytes()
        for kind in damage_tool.KINDS:
            for n in range(3):
                copy = damage_tool.damage(data, kind, damage_tool.case_rng(5, path.name, kind, n))
                damaged = copy[0]
                ends = check_inflated(damaged, path.name, 1 << 30)
                assert damage_signs(damaged, ends) == damage_signs(damaged), (path.name, kind, n)
                compared += bool(ends)
    assert compared == len(SAMPLE) * len(damage_tool.KINDS) * 3  # every copy had its streams


def test_whole_files_show_no_damage() -> None:
    assert damage_signs(_small_pdf()) == ()
    for path in SAMPLE:
        assert damage_signs(path.read_bytes()) == (), path.name


def test_a_cut_tail_is_a_sign() -> None:
    data = _small_pdf()
    (sign,) = damage_signs(data[: len(data) - 30])
    assert "does not end with %%EOF" in sign


def test_a_flipped_byte_in_a_compressed_stream_is_a_sign() -> None:
    data = bytearray(REPORT.read_bytes())
    start, end = _flate_stream(bytes(data))
    zlib.decompress(bytes(data[start:end]))  # whole before
    data[(start + end) // 2] ^= 0xFF
    assert damage_signs(bytes(data)) == ("compressed streams that do not decompress: 1",)


def test_a_stream_longer_than_its_length_is_a_sign() -> None:
    data = _small_pdf()
    at = data.index(b"BT ")
    grown = data[:at] + b"BT /F1 12 Tf " + data[at:]
    signs = damage_signs(grown)
    assert "streams not the length the file gives: 1" in signs
    # the objects after it moved: the cross-references miss them
    assert any(s.startswith("cross-reference entries that miss their objects") for s in signs)


def test_stray_bytes_in_a_dictionary_are_a_sign_but_not_in_a_string() -> None:
    data = _small_pdf()
    flipped = data.replace(b"/Type /Catalog", b"/Type /C\xe1talog")
    assert damage_signs(flipped) == ("objects with bytes that belong in no PDF object: 1",)
    in_string = data.replace(b"(D:20240301", b"(\xfe\xff\x00D:20240301"[:-4] + b"2024")
    assert "belong in no PDF object" not in " ".join(damage_signs(in_string))


def test_a_cross_reference_entry_off_its_object_is_a_sign() -> None:
    data = _small_pdf()
    m = re.search(rb"\n(\d{10}) 00000 n ", data)
    assert m is not None
    wrong = b"%010d" % (int(m.group(1)) + 3)
    moved = data[: m.start(1)] + wrong + data[m.end(1) :]
    assert damage_signs(moved) == ("cross-reference entries that miss their objects: 1",)


# -- signs of damage in the text --


def _lines(*texts: str) -> list[tuple[Line, ...]]:
    return [tuple(Line(t, 1, 72.0, 700.0 - 14 * i, 12.0, False) for i, t in enumerate(texts))]


def test_ordinary_text_shows_no_sign() -> None:
    text = "Ofsted’s judgement – “good” (£5, 3×2, ≥ 4) for Ynys Môn’s children • ŵ é"
    assert text_signs(_lines(text, "The local authority and its partners")) == ()


def test_characters_that_are_not_text_are_a_sign() -> None:
    (sign,) = text_signs(_lines("Planning \ufffd\ufffd and", "艘晀儓 care"))
    assert sign.startswith("5 characters that are not text")
    assert "U+FFFD" in sign
    assert text_signs(_lines("one odd \ufffd character")) == ()


def test_shifted_letters_are_a_sign() -> None:
    (sign,) = text_signs(_lines("cKLOGUHQ¶V VHUYLFHV DQG WKH ORFDO DXWKRULW\\"))
    assert "2 words with shifted letters (“DQG”)" in sign


def test_a_damaged_report_goes_to_review_saying_why() -> None:
    data = bytearray(REPORT.read_bytes())
    start, _end = _flate_stream(bytes(data), 6)  # text of a page after the first
    data[start + 40] ^= 0xFF
    result = parse_document(bytes(data), REPORT.name)
    assert result.needs_review
    assert any(
        r.startswith(rules.DOUBTS[rules.DAMAGED])
        and "compressed streams that do not decompress" in r
        for r in result.review_reasons
    )
    intact = parse_document(REPORT.read_bytes(), REPORT.name)
    assert not intact.needs_review


# -- implausible values --


def _report(**fields: object) -> InspectionRecord:
    result = parse_document(REPORT.read_bytes(), REPORT.name)
    record = result.record
    assert isinstance(record, InspectionRecord)
    for name, value in fields.items():
        setattr(record, name, value)
    return record


def _implausible(record: InspectionRecord | LetterRecord) -> list[str]:
    lead = rules.DOUBTS[rules.IMPLAUSIBLE] + ": "
    return [r.removeprefix(lead) for r in rules.review_reasons(record) if r.startswith(lead)]


@pytest.mark.parametrize(
    "name",
    [
        "Amanda Maxwell",
        "Máire Atherton",
        "Jenny-ellen Scotland",
        "Rebecca Quested; Matthew Reed",
        "Mary O’Neill and Anne de Souza",
    ],
)
def test_a_person_is_a_plausible_lead_inspector(name: str) -> None:
    assert _implausible(_report(lead_inspector=name)) == []


@pytest.mark.parametrize(
    "name",
    [
        "Judgement Grade",
        "Amanda Maxwell er ajesty s nspector",
        "Overall effectiveness",
        "Her Majesty's Inspector",
    ],
)
def test_a_heading_or_garbled_words_are_no_lead_inspector(name: str) -> None:
    assert _implausible(_report(lead_inspector=name)) == [
        f"the lead inspector “{name}” is not a person's name"
    ]


def test_dates_out_of_order_are_implausible() -> None:
    record = _report()
    assert record.inspection_start is not None
    record.inspection_end = date(record.inspection_start.year - 1, 1, 2)
    assert _implausible(record) == ["the inspection ends before it starts"]


def test_a_recommendation_running_into_prose_is_implausible() -> None:
    record = _report()
    prose = "The local authority has strengthened its work with partners. " * 30
    record.recommendations.append(Recommendation(len(record.recommendations) + 1, prose))
    (reason,) = _implausible(record)
    assert reason.startswith(f"recommendation {len(record.recommendations)} is ")
    assert "run on into the report's prose" in reason


def _letter(letter_date: date) -> LetterRecord:
    return LetterRecord(
        council_urn="2637539",
        council_name_in_report="North Northamptonshire",
        kind=Kind.FOCUSED_VISIT,
        letter_date=letter_date,
        visit_start=date(2022, 7, 19),
        visit_end=date(2022, 7, 20),
        lead_inspector="Amanda Maxwell",
    )


def test_a_letter_dated_before_its_visit_is_implausible() -> None:
    assert _implausible(_letter(date(2022, 8, 24))) == []
    assert _implausible(_letter(date(2022, 7, 2))) == ["the letter is dated before the visit ended"]
    assert _implausible(_letter(date(2023, 8, 24))) == [
        "the letter is dated more than nine months after the visit"
    ]


def test_a_doubt_stays_a_review_reason_and_other_warnings_do_not() -> None:
    letter = _letter(date(2022, 8, 24))
    letter.warnings = ["no letter date found in the letter"]
    assert rules.review_reasons(letter) == []
    letter.warnings.append(
        rules.doubt(rules.DAMAGED, "compressed streams that do not decompress: 1")
    )
    assert rules.review_reasons(letter) == [
        f"{rules.DOUBTS[rules.DAMAGED]}: compressed streams that do not decompress: 1"
    ]
    with pytest.raises(ValueError):
        rules.doubt("nonsense", "x")
