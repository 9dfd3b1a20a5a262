"""The records ofsted-csc reads out of Ofsted's documents. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ofsted_csc.domain.frameworks import Area, Edition, Framework, Kind
from ofsted_csc.domain.grades import NOT_JUDGED, Grade


class JudgementStatus(StrEnum):
    GRADED = "graded"
    NOT_IN_FRAMEWORK = "not_in_framework"  # the framework makes no such judgement
    NOT_READ = "not_read"  # the framework has it but the report's grade could not be read
    NOT_JUDGED = "not_judged"  # the framework has it and the report says "Not judged"


@dataclass(frozen=True)
class Judgement:
    area: Area
    status: JudgementStatus
    grade: Grade | None = None
    page: int | None = None  # 1-based page the grade was read from
    label: str | None = None  # the report's own label text
    note: str | None = None  # why a judgement was not read (readers that disagree)

    @classmethod
    def graded(
        cls, area: Area, grade: Grade, page: int | None, label: str | None = None
    ) -> Judgement:
        return cls(area, JudgementStatus.GRADED, grade, page, label)

    @classmethod
    def not_in_framework(cls, area: Area) -> Judgement:
        return cls(area, JudgementStatus.NOT_IN_FRAMEWORK)

    @classmethod
    def not_read(cls, area: Area, note: str | None = None) -> Judgement:
        return cls(area, JudgementStatus.NOT_READ, note=note)

    @classmethod
    def not_judged(cls, area: Area, page: int | None, label: str | None = None) -> Judgement:
        return cls(area, JudgementStatus.NOT_JUDGED, None, page, label)

    @property
    def export_value(self) -> str | None:
        """The grade's export spelling, "not_judged" for Ofsted's "Not judged", else None
        (not part of the framework, or not read)."""
        if self.grade is not None:
            return self.grade.value
        return NOT_JUDGED if self.status is JudgementStatus.NOT_JUDGED else None


class Scope(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    LSCB = "lscb"


class Priority(StrEnum):
    PRIORITY_ACTION = "priority_action"
    AREA_FOR_IMPROVEMENT = "area_for_improvement"


@dataclass(frozen=True)
class Recommendation:
    position: int  # 1-based, in report order
    text: str  # verbatim, line breaks folded
    scope: Scope = Scope.LOCAL_AUTHORITY
    priority: Priority | None = None
    national_framework_outcome: str | None = None  # e.g. "Outcome four, National Framework"
    timescale: str | None = None  # pre-2013: "Immediately", "Within three months", ...
    page: int | None = None


OVERVIEW = "overview"  # the key of a report's overview, beside the Area values
HEADLINE_FINDINGS = "headline_findings"  # a letter's "Headline findings"
MAIN_FINDINGS = "main_findings"  # a letter's "Main findings" (or its findings, untitled)


class PassageKind(StrEnum):
    SUMMARY = "summary"  # the report's own summary for this judgement
    OPENING = "opening"  # the report gives no summary: its section's first paragraph
    FINDINGS = "findings"  # SIF "Summary of findings" / "Executive summary"
    SECTION = "section"  # a judgement's whole section, or a letter's findings section


# Where each page's text starts in a paragraph: (character offset, 1-based page), the first
# at offset 0. A paragraph that runs over a page end has two or more.
PageStarts = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Passage:
    """The report's own words for one judgement (key: an Area value) or its overview; or a
    judgement's whole section, or a letter's findings (kind SECTION).

    `starts` gives, for each paragraph, where each page's text starts in it; empty when the
    pages of the paragraphs were not kept (passages other than sections, and records stored
    before they were): then every paragraph is taken to be on `page`."""

    key: str
    kind: PassageKind
    paragraphs: tuple[str, ...]
    page: int
    starts: tuple[PageStarts, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def page_at(self, paragraph: int, offset: int = 0) -> int:
        """The page the character at `offset` of paragraph number `paragraph` (0-based) is on."""
        if paragraph >= len(self.starts) or not self.starts[paragraph]:
            return self.page
        page = self.starts[paragraph][0][1]
        for at, p in self.starts[paragraph]:
            if at > offset:
                break
            page = p
        return page

    def pages_of(self, paragraph: int, start: int, end: int) -> tuple[int, int]:
        """The first and last page of the text at [start, end) of a paragraph."""
        return self.page_at(paragraph, start), self.page_at(paragraph, max(start, end - 1))


class PublishedSource(StrEnum):
    REPORT = "report"
    PDF_METADATA = "pdf_metadata"
    WEB_LISTING = "web_listing"
    CORRECTION = "correction"


class KindSource(StrEnum):
    """Where a record's kind came from."""

    REPORT = "report"  # the report's own wording
    DATES = "dates"  # ILACS reports do not say short or standard: inferred from on-site days
    CORRECTION = "correction"


@dataclass(frozen=True)
class SourceFile:
    file_name: str
    sha256: str
    size: int
    page_count: int
    pdf_created: date | None = None
    pdf_modified: date | None = None


@dataclass
class InspectionRecord:
    """A graded inspection (or standalone LSCB review) as read from its report."""

    council_urn: str | None
    council_name_in_report: str | None
    framework: Framework | None
    edition: Edition | None
    kind: Kind | None
    kind_source: KindSource | None = None
    inspection_start: date | None = None
    inspection_end: date | None = None
    periods: list[tuple[date, date]] = field(default_factory=list)
    published: date | None = None
    published_source: PublishedSource | None = None
    lead_inspector: str | None = None
    judgements: dict[Area, Judgement] = field(default_factory=dict)
    recommendations: list[Recommendation] = field(default_factory=list)
    passages: dict[str, Passage] = field(default_factory=dict)  # Area value / OVERVIEW
    # each judgement's whole section (kind SECTION), keyed by Area value; empty for records
    # stored before sections were read
    sections: dict[str, Passage] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)  # field name -> 1-based page
    warnings: list[str] = field(default_factory=list)

    def passage(self, area: Area) -> Passage | None:
        """The report's words for a judgement; for overall effectiveness (ILACS has no
        section for it) and a standalone LSCB review, the report's overview."""
        p = self.passages.get(area.value)
        if p is None and (area is Area.OVERALL or self.kind is Kind.LSCB_REVIEW):
            p = self.passages.get(OVERVIEW)
        return p

    def grade(self, area: Area) -> Grade | None:
        j = self.judgements.get(area)
        return j.grade if j else None

    def export_value(self, area: Area) -> str | None:
        """A judgement in the export spelling: a grade, "not_judged", or None."""
        j = self.judgements.get(area)
        return j.export_value if j else None

    @property
    def in_care_includes_care_leavers(self) -> bool | None:
        if self.edition is None or not self.edition.has(Area.IN_CARE):
            return None
        return self.edition.in_care_includes_care_leavers


@dataclass
class LetterRecord:
    """An ungraded visit reported by letter: focused visit or monitoring visit."""

    council_urn: str | None
    council_name_in_report: str | None
    kind: Kind | None
    letter_date: date | None = None
    visit_start: date | None = None
    visit_end: date | None = None
    lead_inspector: str | None = None
    theme: str | None = None  # what the visit looked at
    priority_actions: list[str] = field(default_factory=list)
    areas_for_improvement: list[str] = field(default_factory=list)
    # the letter's findings (kind SECTION), keyed HEADLINE_FINDINGS / MAIN_FINDINGS; empty
    # for letters stored before findings were read
    findings: dict[str, Passage] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


Record = InspectionRecord | LetterRecord


@dataclass
class Correction:
    """A user's correction of one field, applied at ingest and recorded as such."""

    sha256: str
    field: str
    value: str
    note: str | None = None


@dataclass
class ParseResult:
    """What reading one file produced: the record, and why it needs review (if it does)."""

    source: SourceFile
    record: Record
    parser_version: str
    review_reasons: list[str] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    # each page's text, in order (page n is pages[n-1]), kept for full-text search; empty
    # for a stored reading (the store keeps them apart)
    pages: tuple[str, ...] = ()

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)
