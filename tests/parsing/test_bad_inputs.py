"""Bad inputs: each gets a clear message naming the file, and leaves the database exactly as
it was. The fixtures are made by tools/make_bad_fixtures.py and committed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests.conftest import BAD, REPORTS
from tests.storage.test_store import snapshot

from ofsted_csc import api
from ofsted_csc.domain.errors import (
    DamagedPdf,
    DocumentError,
    EmptyFile,
    EncryptedPdf,
    FileTooLarge,
    NotAPdf,
    NotAReport,
    NoText,
)
from ofsted_csc.parsing import pdf as pdf_module
from ofsted_csc.parsing.document import parse_document

CASES = [
    ("empty.pdf", EmptyFile, "the file is empty"),
    ("truncated.pdf", DamagedPdf, "damaged or incomplete, perhaps cut short"),
    ("encrypted.pdf", EncryptedPdf, "encrypted and needs a password"),
    ("image_renamed.pdf", NotAPdf, "an image file, not a PDF"),
    ("word_renamed.pdf", NotAPdf, "a zip or Office document, not a PDF"),
    ("html_saved_as.pdf", NotAPdf, "a web page (HTML) saved with a .pdf name"),
    ("scanned.pdf", NoText, "no text layer"),
    ("other_subject.pdf", NotAReport, "not an Ofsted children's services inspection report"),
]


@pytest.mark.parametrize(("name", "error", "words"), CASES)
def test_parse_refuses_with_a_plain_reason(
    name: str, error: type[DocumentError], words: str
) -> None:
    with pytest.raises(error) as info:
        parse_document((BAD / name).read_bytes(), name)
    assert info.value.message.startswith(f"{name}: ")
    assert words in info.value.message
    assert "PdfiumError" not in info.value.message


def test_other_subject_quotes_its_first_words() -> None:
    with pytest.raises(NotAReport, match="Little Wittering Parish Council"):
        parse_document((BAD / "other_subject.pdf").read_bytes(), "other_subject.pdf")


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as f:  # sparse: no disk used
        f.write(b"%PDF-1.7\n")
        f.seek(pdf_module.MAX_BYTES + 1)
        f.write(b"\n%%EOF\n")

    def no_reading(self: Path) -> bytes:
        raise AssertionError("the huge file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with api.open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        summary = api.ingest(store, [huge])
    [refused] = summary.refused
    assert refused.reasons[0].startswith("huge.pdf: the file is ")
    assert "Ofsted reports are a few MB at most" in refused.reasons[0]


def test_huge_bytes_are_refused_by_the_parser_too() -> None:
    data = b"%PDF-1.7\n" + b"0" * pdf_module.MAX_BYTES
    with pytest.raises(FileTooLarge, match=r"big\.pdf: the file is"):
        parse_document(data, "big.pdf")


@pytest.mark.parametrize("seed", range(6))
def test_bytes_damaged_in_the_middle_are_read_or_refused_never_a_crash(seed: int) -> None:
    data = bytearray((REPORTS / "50282103.pdf").read_bytes())
    rng = random.Random(seed)
    start = rng.randrange(1000, len(data) - 5000)
    for i in range(start, start + 2000):
        data[i] = rng.randrange(256)
    try:
        result = parse_document(bytes(data), "damaged.pdf")
    except DocumentError as exc:
        assert exc.message.startswith("damaged.pdf: ")
    else:
        assert result.source.file_name == "damaged.pdf"


@pytest.mark.parametrize(("name", "error", "words"), CASES)
def test_ingest_of_a_bad_file_changes_nothing(
    db_url: str, name: str, error: type[DocumentError], words: str
) -> None:
    with api.open_store(db_url) as store:
        api.ingest(store, [REPORTS / "50282103.pdf"])
        before = snapshot(store)
        summary = api.ingest(store, [BAD / name])
        assert [f.outcome for f in summary.files] == ["refused"]
        assert summary.files[0].reasons[0].startswith(f"{name}: ")
        assert words in summary.files[0].reasons[0]
        assert snapshot(store) == before


def test_a_file_that_changes_while_it_is_read_is_refused(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reading process reads the file from disk itself: when it holds other bytes than
    those hashed (and kept) here, because the file was written to meanwhile, nothing is
    stored. Here the bytes hashed are another report's."""
    from ofsted_csc.services import ingest as ingest_module

    other = (REPORTS / "50004256.pdf").read_bytes()
    monkeypatch.setattr(ingest_module, "read_bytes", lambda _path: other)
    with api.open_store(db_url) as store:
        before = snapshot(store)
        summary = api.ingest(store, [REPORTS / "50282103.pdf"])
        assert [f.outcome for f in summary.files] == ["refused"]
        assert "changed while it was being read" in summary.files[0].reasons[0]
        assert summary.files[0].reasons[0].startswith("50282103.pdf: ")
        assert snapshot(store) == before
