"""Users' corrections: field values keyed by a file's sha256, applied at ingest.

A corrections file is a small CSV with a header row::

    sha256,field,value,note
    3f5a...e1,lead_inspector,Jane Smith,name missing from the report
    3f5a...e1,overall_effectiveness,Requires improvement to be good,
    9b1c...07,council,Northamptonshire,

Fields: `council` (name or code), `framework`, `kind`, `inspection_start`,
`inspection_end`, `published`, `lead_inspector`, any judgement column of
`export inspections` (a grade in Ofsted's words or the export spelling; `not_judged` where
the report says "Not judged"; empty for "no
such judgement"), and for letters `letter_date`, `visit_start`, `visit_end`, `theme`.

`load_corrections` checks every line and raises CorrectionsError naming the file and
line; `apply_corrections` is pure and records each correction on the ParseResult.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.dates import parse_date
from ofsted_csc.domain.errors import CorrectionsError, NotFound, not_a_date
from ofsted_csc.domain.frameworks import (
    EXPORTED_AREAS,
    PRE_SIF_LOOKED_AFTER,
    PRE_SIF_PROTECTION,
    SIF,
    SIF_LSCB_REVIEW,
    Area,
    Edition,
    Framework,
    Kind,
    ilacs_edition_for_start,
    not_a_framework,
    not_a_kind,
)
from ofsted_csc.domain.grades import (
    NOT_JUDGED,
    Grade,
    grade_from_words,
    is_not_judged,
    not_a_grade,
)
from ofsted_csc.domain.records import (
    Correction,
    InspectionRecord,
    Judgement,
    KindSource,
    LetterRecord,
    ParseResult,
    PublishedSource,
)

INSPECTION_FIELDS = (
    "council",
    "framework",
    "kind",
    "inspection_start",
    "inspection_end",
    "published",
    "lead_inspector",
    *(a.value for a in EXPORTED_AREAS),
)
LETTER_FIELDS = (
    "council",
    "kind",
    "letter_date",
    "visit_start",
    "visit_end",
    "lead_inspector",
    "theme",
)
DATE_FIELDS = {
    "inspection_start",
    "inspection_end",
    "published",
    "letter_date",
    "visit_start",
    "visit_end",
}
FIELDS = tuple(dict.fromkeys((*INSPECTION_FIELDS, *LETTER_FIELDS)))

_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Corrections:
    """Corrections by sha256, as loaded from one or more files."""

    by_sha256: dict[str, list[Correction]]

    def for_file(self, sha256: str) -> list[Correction]:
        return list(self.by_sha256.get(sha256, []))

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_sha256.values())


NO_CORRECTIONS = Corrections({})


def corrections_key(corrections: Iterable[Correction]) -> str:
    """A fingerprint of a file's corrections ("" for none): a change means read again."""
    items = sorted((c.field, c.value) for c in corrections)
    if not items:
        return ""
    return hashlib.sha256(repr(items).encode()).hexdigest()


def _check_value(field: str, value: str) -> str:
    """The value as stored, or ValueError with a plain reason."""
    value = value.strip()
    if field in DATE_FIELDS:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            day = parse_date(value)
            if day is None:
                raise ValueError(not_a_date(value)) from None
            return day.isoformat()
    if field in {a.value for a in EXPORTED_AREAS}:
        if value == "":
            return ""
        if value.lower() == NOT_JUDGED or is_not_judged(value):
            return NOT_JUDGED
        grade = _grade(value)
        if grade is None:
            raise ValueError(not_a_grade(value, also=(NOT_JUDGED,)))
        return grade.value
    if field == "framework":
        try:
            return Framework(value.lower()).value
        except ValueError:
            raise ValueError(not_a_framework(value)) from None
    if field == "kind":
        try:
            return Kind(value.lower()).value
        except ValueError:
            raise ValueError(not_a_kind(value)) from None
    if not value and field in ("council", "lead_inspector"):
        raise ValueError(f"an empty {field} is not a correction")
    return value


def _grade(value: str) -> Grade | None:
    try:
        return Grade(value.strip().lower().replace(" ", "_"))
    except ValueError:
        return grade_from_words(value)


def load_corrections(path: str | Path, registry: CouncilRegistry | None = None) -> Corrections:
    """Read and check a corrections CSV. Raises CorrectionsError naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CorrectionsError(f"{path}: no such corrections file") from None
    except UnicodeDecodeError:
        raise CorrectionsError(f"{path}: not a text (UTF-8 CSV) file") from None
    except OSError as exc:
        raise CorrectionsError(f"{path}: cannot be read ({exc.strerror})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [h for h in ("sha256", "field", "value") if h not in header]
    if missing:
        raise CorrectionsError(
            f"{path}: the header row must name the columns sha256, field, value (and optionally "
            f"note); missing: {', '.join(missing)}"
        )
    reader.fieldnames = header
    by_sha: dict[str, list[Correction]] = {}
    for line_no, row in enumerate(reader, start=2):
        if None in row:
            raise CorrectionsError(f"{path}, line {line_no}: more values than columns")
        sha = (row.get("sha256") or "").strip().lower()
        field = (row.get("field") or "").strip().lower()
        raw = row.get("value") or ""
        note = (row.get("note") or "").strip() or None
        if not any((sha, field, raw.strip())):
            continue  # blank line
        if not _SHA.fullmatch(sha):
            raise CorrectionsError(
                f"{path}, line {line_no}: “{sha}” is not a sha256 (64 hex characters, as shown "
                "by `ofsted-csc show` and in the exports)"
            )
        if field not in FIELDS:
            raise CorrectionsError(
                f"{path}, line {line_no}: “{field}” is not a field that can be corrected "
                f"({', '.join(FIELDS)})"
            )
        try:
            value = _check_value(field, raw)
            if field == "council" and registry is not None:
                value = registry.lookup(value).urn
        except (ValueError, NotFound) as exc:
            raise CorrectionsError(f"{path}, line {line_no}: {field}: {exc}") from None
        existing = by_sha.setdefault(sha, [])
        if any(c.field == field for c in existing):
            raise CorrectionsError(
                f"{path}, line {line_no}: a second correction of {field} for {sha[:12]}"
            )
        existing.append(Correction(sha, field, value, note))
    return Corrections(by_sha)


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _edition_for(record: InspectionRecord) -> Edition | None:
    if record.framework is Framework.PRE_SIF:
        return PRE_SIF_PROTECTION if record.kind is Kind.PROTECTION else PRE_SIF_LOOKED_AFTER
    if record.framework is Framework.SIF:
        return SIF_LSCB_REVIEW if record.kind is Kind.LSCB_REVIEW else SIF
    if record.framework is Framework.ILACS and record.inspection_start:
        return ilacs_edition_for_start(record.inspection_start)
    return record.edition


def read_value(record: InspectionRecord | LetterRecord, field: str) -> str | None:
    """The value of a correctable field as read, in the export spelling."""
    if field == "council":
        return record.council_urn
    if isinstance(record, InspectionRecord) and field in {a.value for a in EXPORTED_AREAS}:
        return record.export_value(Area(field))
    value = getattr(record, field, None)
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def apply_corrections(
    result: ParseResult, corrections: list[Correction], registry: CouncilRegistry
) -> dict[str, str | None]:
    """Apply a file's corrections to its record in place and record them on the result.

    Returns what the parser had read for each corrected field. Raises CorrectionsError
    for a correction that does not fit the record (a letter field on an inspection).
    """
    record = result.record
    read: dict[str, str | None] = {}
    allowed = LETTER_FIELDS if isinstance(record, LetterRecord) else INSPECTION_FIELDS
    for c in corrections:
        if c.field not in allowed:
            what = "a visit letter" if isinstance(record, LetterRecord) else "an inspection report"
            raise CorrectionsError(
                f"{result.source.file_name}: {c.field} cannot be corrected on {what}"
            )
        read[c.field] = read_value(record, c.field)
    framework_changed = False
    for c in corrections:
        f, v = c.field, c.value
        if f == "council":
            council = registry.by_urn(v) or registry.lookup(v)
            record.council_urn = council.urn
        elif f in DATE_FIELDS:
            setattr(record, f, _day(v))
            if f == "published" and isinstance(record, InspectionRecord):
                record.published_source = PublishedSource.CORRECTION
        elif f == "framework" and isinstance(record, InspectionRecord):
            record.framework = Framework(v)
            framework_changed = True
        elif f == "kind":
            record.kind = Kind(v)
            if isinstance(record, InspectionRecord):
                record.kind_source = KindSource.CORRECTION
                framework_changed = True
        elif f in ("lead_inspector", "theme"):
            setattr(record, f, v)
    if isinstance(record, InspectionRecord):
        if framework_changed or any(c.field == "inspection_start" for c in corrections):
            new_edition = _edition_for(record)
            if new_edition is not None and new_edition is not record.edition:
                _move_to_edition(record, new_edition)
        for c in corrections:
            if c.field in {a.value for a in EXPORTED_AREAS}:
                area = Area(c.field)
                if c.value == NOT_JUDGED:
                    record.judgements[area] = Judgement.not_judged(area, None, "correction")
                elif c.value:
                    record.judgements[area] = Judgement.graded(
                        area, Grade(c.value), None, "correction"
                    )
                else:
                    record.judgements[area] = Judgement.not_in_framework(area)
    result.corrections = list(corrections)
    return read


def _move_to_edition(record: InspectionRecord, new: Edition) -> None:
    """Re-key a record's judgements to another edition: missing areas become not read."""
    record.edition = new
    judgements: dict[Area, Judgement] = {}
    for area in new.areas:
        judgements[area] = record.judgements.get(area) or Judgement.not_read(area)
        if judgements[area].grade is None and judgements[area].status.value == "not_in_framework":
            judgements[area] = Judgement.not_read(area)
    record.judgements = judgements
