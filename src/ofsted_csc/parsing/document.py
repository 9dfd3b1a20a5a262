"""The parsing entry point: PDF bytes in, one record out, or a refusal naming the file.

    parse_document(data, file_name) -> ParseResult

A refusal (not a PDF, damaged, encrypted, not an Ofsted children's services report or
letter) raises a DocumentError subclass. A report whose required fields cannot be read is
returned with `review_reasons`: the caller stores it for review, not as an inspection.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from ofsted_csc.domain import rules
from ofsted_csc.domain.councils import CouncilRegistry, load_registry
from ofsted_csc.domain.errors import NotAReport, NoText
from ofsted_csc.domain.frameworks import Kind
from ofsted_csc.domain.records import (
    ParseResult,
    PublishedSource,
    SourceFile,
)
from ofsted_csc.parsing import letters
from ofsted_csc.parsing.layout import body_of
from ofsted_csc.parsing.pdf import PdfText, read_pdf
from ofsted_csc.parsing.reports import parse_report, report_type

# Bump when parsing changes what it reads: stored records read by an older version are
# read again on the next ingest.
PARSER_VERSION = "2026.12.4"

# Other Ofsted publications that are not children's services inspection reports or letters,
# and what they are, for the refusal message.
_OTHER_PUBLICATIONS: tuple[tuple[str, str], ...] = (
    (r"joint targeted area inspection", "a joint targeted area inspection (JTAI) letter"),
    (
        r"area send|local area send|special educational needs and/or disabilities",
        "an area SEND inspection report",
    ),
    (
        r"children's home|residential special school|secure children's home",
        "a children's home inspection report",
    ),
    (
        r"school inspection report|inspection of [a-z' ]+ (?:primary|secondary|academy|school)",
        "a school inspection report",
    ),
    (r"youth offending|youth justice", "a youth justice inspection report"),
    (r"fostering agency|adoption agency|adoption support agency", "an agency inspection report"),
    (r"cafcass", "a Cafcass inspection report"),
    (r"assurance visit", "an assurance visit letter"),
)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse_reason(pdf: PdfText, first_page: str) -> str:
    low = first_page.lower()
    if not first_page.strip():
        return "no text could be read from page 1"
    mentions_ofsted = (
        "ofsted" in low or "his majesty's inspector" in low or "her majesty's inspector" in low
    )
    for pattern, what in _OTHER_PUBLICATIONS:
        if re.search(pattern, low[:1500]) and (mentions_ofsted or "inspection" in low):
            return f"this looks like {what}, not an Ofsted children's services inspection report or visit letter"
    start = " ".join(first_page.split()[:14])
    return (
        "this is not an Ofsted children's services inspection report or visit letter "
        f"(page 1 begins: “{start}”)"
    )


# Ofsted publishes a report some 4 to 19 weeks after the inspection ends (the corpus: 17 to
# 134 days). A PDF made much later (a regenerated file: Merton's July 2025 report carries
# March 2026) does not date its publication.
_METADATA_WINDOW = timedelta(days=200)


def _plausible_metadata_date(pdf: PdfText, end: date | None) -> date | None:
    """The PDF's creation (or else modification) date when it falls where a publication date
    could: on or after the last inspection day and within about six months of it."""
    for candidate in (pdf.created, pdf.modified):
        if candidate is None:
            continue
        if end is None or end <= candidate <= end + _METADATA_WINDOW:
            return candidate
    return None


def _match_council(
    registry: CouncilRegistry, name: str | None, page1: str, on: date | None
) -> tuple[str | None, str | None]:
    council = registry.match_name(name, on=on) if name else None
    if council is None:
        council = registry.find_in_text(page1[:1500], on=on)
    return (council.urn, council.name) if council else (None, None)


def parse_pdf_text(
    pdf: PdfText, source: SourceFile, registry: CouncilRegistry | None = None
) -> ParseResult:
    """Read an already extracted PDF. Raises NotAReport for readable non-reports."""
    registry = registry or load_registry()
    body = body_of(pdf)
    first_page = body.first_page
    if (
        not first_page.strip()
        and pdf.page_count
        and not any(line for page in pdf.lines for line in page)
    ):
        raise NoText(
            source.file_name, "the PDF has no text layer (a scan or image): nothing can be read"
        )
    rtype = report_type(first_page)
    damage = [rules.doubt(rules.DAMAGED, sign) for sign in pdf.damage]
    if rtype is None and letters.is_letter(pdf):
        letter = letters.parse_letter(pdf)
        letter.warnings.extend(damage)
        if letter.council_urn is None:
            urn, _ = _match_council(
                registry, letter.council_name_in_report, first_page, letter.visit_start
            )
            letter.council_urn = urn
        return ParseResult(
            source=source,
            record=letter,
            parser_version=PARSER_VERSION,
            review_reasons=rules.review_reasons(letter),
            pages=pdf.pages,
        )
    if rtype is None:
        raise NotAReport(source.file_name, _refuse_reason(pdf, first_page))

    record = parse_report(body, rtype)
    record.warnings.extend(damage)
    urn, _name = _match_council(
        registry, record.council_name_in_report, first_page, record.inspection_start
    )
    record.council_urn = urn
    if record.published is None:
        estimate = _plausible_metadata_date(pdf, record.inspection_end)
        if estimate is not None:
            record.published = estimate
            record.published_source = PublishedSource.PDF_METADATA
        else:
            record.warnings.append(
                "no publication date in the report or plausible in the PDF metadata"
            )
    if record.lead_inspector is None:
        record.warnings.append("no lead inspector named")
    if not record.recommendations and record.kind is not Kind.LSCB_REVIEW:
        record.warnings.append("no recommendations read")
    record.warnings.extend(rules.check(record))
    return ParseResult(
        source=source,
        record=record,
        parser_version=PARSER_VERSION,
        review_reasons=rules.review_reasons(record),
        pages=pdf.pages,
    )


def parse_document(
    data: bytes,
    file_name: str,
    registry: CouncilRegistry | None = None,
    inflate_limit: int | None = None,
) -> ParseResult:
    """Read one file's bytes. Raises a DocumentError subclass naming `file_name` on refusal
    (PdfTooComplex for content that inflates past `inflate_limit`, when one is given)."""
    pdf = read_pdf(data, file_name, inflate_limit)
    source = SourceFile(
        file_name=file_name,
        sha256=sha256_of(data),
        size=len(data),
        page_count=pdf.page_count,
        pdf_created=pdf.created,
        pdf_modified=pdf.modified,
    )
    return parse_pdf_text(pdf, source, registry)
