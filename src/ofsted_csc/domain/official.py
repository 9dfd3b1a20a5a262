"""Ofsted's official inspection outcomes as records: one row of an official statistics
spreadsheet (`OfficialRow`), and the edition of them shipped with the package (`built_in`).

Reading the spreadsheets themselves is `ofsted_csc.sources.official`'s work (and
tools/build_official.py's, which made the shipped file); this module only holds and loads
what they read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ofsted_csc.domain.frameworks import Framework, Kind
from ofsted_csc.domain.grades import Grade


@dataclass(frozen=True)
class OfficialRow:
    """One inspection as an official spreadsheet gives it."""

    source_file: str
    sha256: str
    edition: str
    sheet: str
    row: int  # 1-based row in the sheet
    block: str  # which columns: "first sif", "second ILACS", ...
    council_name: str
    council_urn: str | None
    framework: Framework
    kind: Kind | None
    ordinal: int
    published: date | None
    grades: dict[str, Grade] = field(default_factory=dict)
    start: date | None = None  # first day on site, where a sheet of the edition gives it
    built_in: bool = False  # shipped with ofsted-csc (not imported by the user)


# -- built in: the official outcomes shipped with the package (tools/build_official.py) --

BUNDLE_PATH = Path(__file__).parent.parent / "data" / "official_outcomes.json"
BUNDLE_COLUMNS = (
    "edition",
    "row",
    "block",
    "council_name",
    "council_urn",
    "framework",
    "kind",
    "ordinal",
    "published",
    "start",
    "grades",
)


@dataclass(frozen=True)
class BuiltInEdition:
    """An edition of the official statistics shipped with ofsted-csc."""

    key: str
    title: str
    source_file: str
    sha256: str
    sheet: str
    rows: int


@dataclass(frozen=True)
class Bundle:
    editions: tuple[BuiltInEdition, ...]
    rows: tuple[OfficialRow, ...]


_bundle: Bundle | None = None


def built_in() -> Bundle:
    """The official outcomes shipped with the package (read once per process)."""
    global _bundle
    if _bundle is None:
        import json

        data = json.loads(BUNDLE_PATH.read_text(encoding="utf-8"))
        editions = tuple(BuiltInEdition(**e) for e in data["editions"])
        by_key = {e.key: e for e in editions}
        rows: list[OfficialRow] = []
        for values in data["rows"]:
            v = dict(zip(data["columns"], values, strict=True))
            e = by_key[v["edition"]]
            rows.append(
                OfficialRow(
                    source_file=e.source_file,
                    sha256=e.sha256,
                    edition=e.key,
                    sheet=e.sheet,
                    row=v["row"],
                    block=v["block"],
                    council_name=v["council_name"],
                    council_urn=v["council_urn"],
                    framework=Framework(v["framework"]),
                    kind=Kind(v["kind"]) if v["kind"] else None,
                    ordinal=v["ordinal"],
                    published=date.fromisoformat(v["published"]) if v["published"] else None,
                    grades={k: Grade(g) for k, g in v["grades"].items()},
                    start=date.fromisoformat(v["start"]) if v["start"] else None,
                    built_in=True,
                )
            )
        _bundle = Bundle(editions, tuple(rows))
    return _bundle
