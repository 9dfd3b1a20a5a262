"""Every document of the development corpus (../shared/corpus) is read or refused with a
reason. Skipped when the corpus is not beside the repository."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from ofsted_csc.analytics.benchmarking import facts_from_record, national_picture
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import DocumentError, NotAPdf
from ofsted_csc.domain.frameworks import Framework, Kind
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.records import InspectionRecord, JudgementStatus, LetterRecord, ParseResult
from ofsted_csc.parsing.document import parse_document

pytestmark = pytest.mark.corpus


def _manifest(corpus: Path) -> dict[str, str]:
    urns: dict[str, str] = {}
    with (corpus / "manifest.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            urns[row["file_id"] + ".pdf"] = row["urn"]
    with (corpus / "letters" / "manifest.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            urns[row["file"]] = row["urn"]
    return urns


@pytest.fixture(scope="module")
def corpus_results(corpus_dir: Path) -> dict[Path, ParseResult | DocumentError]:
    """Every document of the corpus, read once for the tests of this module."""
    out: dict[Path, ParseResult | DocumentError] = {}
    for path in sorted(corpus_dir.glob("*/*.pdf")):
        try:
            out[path] = parse_document(path.read_bytes(), path.name)
        except DocumentError as exc:
            out[path] = exc
    return out


def test_every_corpus_document_is_read_or_refused(
    corpus_dir: Path, corpus_results: dict[Path, ParseResult | DocumentError]
) -> None:
    urns = _manifest(corpus_dir)
    outcomes: Counter[str] = Counter()
    wrong_council: list[str] = []
    unread: list[str] = []
    for path, result in corpus_results.items():
        if isinstance(result, DocumentError):
            exc = result
            outcomes["refused"] += 1
            assert isinstance(exc, NotAPdf), f"{path.name}: {exc}"
            assert path.name in exc.message
            continue
        record = result.record
        outcomes[type(record).__name__] += 1
        if result.review_reasons:
            unread.append(f"{path.name}: {result.review_reasons}")
        if record.council_urn != urns[path.name]:
            wrong_council.append(f"{path.name}: {record.council_urn} != {urns[path.name]}")
        if isinstance(record, InspectionRecord):
            assert record.edition is not None
            statuses = {area: record.judgements[area].status for area in record.edition.areas}
            # nothing the framework judges is left unread (an LSCB outside a SIF
            # re-inspection is "not in framework", a different thing)
            assert JudgementStatus.NOT_READ not in statuses.values(), (path.name, statuses)
            assert JudgementStatus.GRADED in statuses.values(), path.name
            if record.framework is Framework.ILACS and not record.recommendations:
                # only a report with nothing to improve (Thurrock 2024: outstanding in
                # every judgement) has no "What needs to improve" section
                grades = {j.grade for j in record.judgements.values() if j.grade}
                assert grades == {Grade.OUTSTANDING}, path.name
        else:
            assert isinstance(record, LetterRecord)
            assert record.visit_start is not None, path.name
    assert not unread
    assert not wrong_council
    # the four web pages saved as .pdf are the only refusals
    assert outcomes["refused"] == 4
    assert outcomes["InspectionRecord"] == 402
    assert outcomes["LetterRecord"] == 288


def test_the_sif_round_of_august_2016_counts_every_sif_report_of_the_corpus(
    corpus_results: dict[Path, ParseResult | DocumentError],
) -> None:
    # national --round sif --published-by 2016-08-05: every SIF inspection report published
    # by then is in the table, as a council's first inspection of the round or a later one.
    day = date(2016, 8, 5)
    registry = load_registry()
    facts = []
    sif_reports = 0
    for result in corpus_results.values():
        if isinstance(result, DocumentError) or not isinstance(result.record, InspectionRecord):
            continue
        record = result.record
        if record.framework is Framework.SIF and record.kind in (Kind.FULL, Kind.REINSPECTION):
            assert record.published is not None, result.source.file_name
            sif_reports += record.published <= day
        f = facts_from_record(record, result.source.file_name)
        assert f is not None, result.source.file_name
        facts.append(f)
    picture = national_picture(facts, registry, day, day, round="sif")
    later = sum(r.count for r in picture.reinspections if r.judgement == "overall_effectiveness")
    assert sif_reports > 80
    # Ofsted's counting: every inspection, re-inspections included
    assert picture.inspections == sif_reports == picture.inspected + later
    overall = [r for r in picture.rows if r.judgement == "overall_effectiveness"]
    assert sum(r.count for r in overall) == picture.inspections  # every one graded


def test_a_sif_note_that_there_are_no_priority_areas_is_not_a_recommendation(
    corpus_dir: Path,
) -> None:
    # Cumbria 2014 (SIF): "Areas for priority action: The inspection did not find any ..."
    result = parse_document((corpus_dir / "reports" / "2761346.pdf").read_bytes(), "2761346.pdf")
    texts = [r.text for r in result.record.recommendations]  # type: ignore[union-attr]
    assert texts and not any("did not find any areas" in t for t in texts)
    assert [r.position for r in result.record.recommendations] == list(range(1, len(texts) + 1))  # type: ignore[union-attr]
