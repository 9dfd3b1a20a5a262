"""Records to plain JSON-able dicts and back (review items, `show`, JSON export)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, TypeVar

from ofsted_csc.domain.frameworks import Area, Framework, Kind, edition
from ofsted_csc.domain.grades import Grade
from ofsted_csc.domain.records import (
    InspectionRecord,
    Judgement,
    JudgementStatus,
    KindSource,
    LetterRecord,
    Passage,
    PassageKind,
    Priority,
    PublishedSource,
    Recommendation,
    Record,
    Scope,
)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_day(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def record_to_json(record: Record) -> dict[str, Any]:
    """A record as a JSON-able dict (dates ISO, enums as their values)."""
    if isinstance(record, LetterRecord):
        return {
            "type": "letter",
            "council_urn": record.council_urn,
            "council_name_in_report": record.council_name_in_report,
            "kind": record.kind.value if record.kind else None,
            "letter_date": _day(record.letter_date),
            "visit_start": _day(record.visit_start),
            "visit_end": _day(record.visit_end),
            "lead_inspector": record.lead_inspector,
            "theme": record.theme,
            "priority_actions": list(record.priority_actions),
            "areas_for_improvement": list(record.areas_for_improvement),
            "findings": [_passage_json(p) for p in record.findings.values()],
            "pages": dict(record.pages),
            "warnings": list(record.warnings),
        }
    return {
        "type": "inspection",
        "council_urn": record.council_urn,
        "council_name_in_report": record.council_name_in_report,
        "framework": record.framework.value if record.framework else None,
        "edition": record.edition.key if record.edition else None,
        "kind": record.kind.value if record.kind else None,
        "kind_source": record.kind_source.value if record.kind_source else None,
        "inspection_start": _day(record.inspection_start),
        "inspection_end": _day(record.inspection_end),
        "periods": [[a.isoformat(), b.isoformat()] for a, b in record.periods],
        "published": _day(record.published),
        "published_source": record.published_source.value if record.published_source else None,
        "lead_inspector": record.lead_inspector,
        "judgements": [
            {
                "area": j.area.value,
                "status": j.status.value,
                "grade": j.grade.value if j.grade else None,
                "page": j.page,
                "label": j.label,
            }
            for j in record.judgements.values()
        ],
        "recommendations": [
            {
                "position": r.position,
                "scope": r.scope.value,
                "priority": r.priority.value if r.priority else None,
                "text": r.text,
                "national_framework_outcome": r.national_framework_outcome,
                "timescale": r.timescale,
                "page": r.page,
            }
            for r in record.recommendations
        ],
        "passages": [
            {"key": p.key, "kind": p.kind.value, "page": p.page, "paragraphs": list(p.paragraphs)}
            for p in record.passages.values()
        ],
        "sections": [_passage_json(p) for p in record.sections.values()],
        "pages": dict(record.pages),
        "warnings": list(record.warnings),
    }


def _passage_json(p: Passage) -> dict[str, Any]:
    return {
        "key": p.key,
        "kind": p.kind.value,
        "page": p.page,
        "paragraphs": list(p.paragraphs),
        "starts": [[[at, page] for at, page in para] for para in p.starts],
    }


def _passage_from(p: dict[str, Any]) -> Passage:
    starts = tuple(tuple((at, page) for at, page in para) for para in p.get("starts") or [])
    return Passage(p["key"], PassageKind(p["kind"]), tuple(p["paragraphs"]), p["page"], starts)


E = TypeVar("E", bound=Enum)


def _enum_or_none(cls: type[E], value: object) -> E | None:
    return cls(value) if value else None


def record_from_json(data: dict[str, Any]) -> Record:
    """The inverse of record_to_json."""
    if data.get("type") == "letter":
        return LetterRecord(
            council_urn=data.get("council_urn"),
            council_name_in_report=data.get("council_name_in_report"),
            kind=_enum_or_none(Kind, data.get("kind")),
            letter_date=_parse_day(data.get("letter_date")),
            visit_start=_parse_day(data.get("visit_start")),
            visit_end=_parse_day(data.get("visit_end")),
            lead_inspector=data.get("lead_inspector"),
            theme=data.get("theme"),
            priority_actions=list(data.get("priority_actions") or []),
            areas_for_improvement=list(data.get("areas_for_improvement") or []),
            findings={p["key"]: _passage_from(p) for p in data.get("findings") or []},
            pages=dict(data.get("pages") or {}),
            warnings=list(data.get("warnings") or []),
        )
    judgements: dict[Area, Judgement] = {}
    for j in data.get("judgements") or []:
        area = Area(j["area"])
        judgements[area] = Judgement(
            area=area,
            status=JudgementStatus(j["status"]),
            grade=_enum_or_none(Grade, j.get("grade")),
            page=j.get("page"),
            label=j.get("label"),
        )
    key = data.get("edition")
    return InspectionRecord(
        council_urn=data.get("council_urn"),
        council_name_in_report=data.get("council_name_in_report"),
        framework=_enum_or_none(Framework, data.get("framework")),
        edition=edition(key) if key else None,
        kind=_enum_or_none(Kind, data.get("kind")),
        kind_source=_enum_or_none(KindSource, data.get("kind_source")),
        inspection_start=_parse_day(data.get("inspection_start")),
        inspection_end=_parse_day(data.get("inspection_end")),
        periods=[
            (date.fromisoformat(a), date.fromisoformat(b)) for a, b in data.get("periods") or []
        ],
        published=_parse_day(data.get("published")),
        published_source=_enum_or_none(PublishedSource, data.get("published_source")),
        lead_inspector=data.get("lead_inspector"),
        judgements=judgements,
        recommendations=[
            Recommendation(
                position=r["position"],
                text=r["text"],
                scope=Scope(r["scope"]),
                priority=_enum_or_none(Priority, r.get("priority")),
                national_framework_outcome=r.get("national_framework_outcome"),
                timescale=r.get("timescale"),
                page=r.get("page"),
            )
            for r in data.get("recommendations") or []
        ],
        passages={
            p["key"]: Passage(p["key"], PassageKind(p["kind"]), tuple(p["paragraphs"]), p["page"])
            for p in data.get("passages") or []
        },
        sections={p["key"]: _passage_from(p) for p in data.get("sections") or []},
        pages=dict(data.get("pages") or {}),
        warnings=list(data.get("warnings") or []),
    )
