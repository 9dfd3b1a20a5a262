"""Ofsted's official statistics spreadsheets: recognise the edition, read inspection rows.

Ofsted changes these files' layout from year to year, so each known edition is described
here as data (sheet, header texts, and which columns make which inspection) and a file
that matches none is refused with a message saying what was found and what is known.

    rows = read_official(path, registry)   # -> list[OfficialRow], or OfficialFormatError
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ofsted_csc.domain.councils import CouncilRegistry
from ofsted_csc.domain.errors import OfstedCscError
from ofsted_csc.domain.frameworks import Area, Framework, Kind, fold
from ofsted_csc.domain.grades import Grade, grade_from_words
from ofsted_csc.domain.official import OfficialRow


class OfficialFormatError(OfstedCscError):
    """A spreadsheet that is not a known edition of Ofsted's official statistics."""


@dataclass(frozen=True)
class Block:
    """Columns that together describe one inspection of a council."""

    framework: Framework
    kind: Kind | None  # None: from the type column
    ordinal: int  # 1 = first of its kind in the file's history, 2 = second
    published: str  # header of the publication date column
    grades: dict[str, str]  # judgement column of `export inspections` -> header
    kind_column: str | None = None
    label: str = ""
    optional: bool = False  # only in some tables of the sheet (abolished councils)


@dataclass(frozen=True)
class OfficialEdition:
    key: str
    title: str
    sheet: str
    blocks: tuple[Block, ...]
    name_header: str = "local authority name"
    # Sheets that give inspection (start) dates beside grades: each council's latest
    # inspection "as at" the edition's date, and the year's inspections and visits. The main
    # sheet gives only publication dates; these give the start where they list the inspection.
    date_sheets: tuple[str, ...] = ()

    @property
    def required(self) -> set[str]:
        heads = {self.name_header}
        for b in self.blocks:
            if b.optional:
                continue
            heads.add(b.published)
            heads.update(b.grades.values())
            if b.kind_column:
                heads.add(b.kind_column)
        return heads


def _ilacs_block(
    prefix: str, ordinal: int, split: bool, in_care: str, optional: bool = False
) -> Block:
    grades = {
        Area.OVERALL.value: f"{prefix} overall effectiveness",
        Area.LEADERSHIP.value: f"{prefix} impact of leaders",
        Area.HELP_AND_PROTECTION.value: f"{prefix} experiences and progress of children who need help and protection",
        Area.IN_CARE.value: f"{prefix} experiences and progress of {in_care}",
    }
    if split:
        grades[Area.CARE_LEAVERS.value] = f"{prefix} experiences and progress of care leavers"
    return Block(
        Framework.ILACS,
        None,
        ordinal,
        f"{prefix} publication date",
        grades,
        kind_column=f"{prefix} inspection type",
        label=f"{prefix.split()[0].lower()} ILACS" if ordinal > 1 or "first" in prefix else "ILACS",
        optional=optional,
    )


def _pre_block(label: str, kind: Kind, published: str, overall: str) -> Block:
    """Inspections before the SIF (2009-2013): one overall effectiveness grade each. The
    2009-12 safeguarding and looked after children inspections (SLAC) judged safeguarding and
    looked after children apart: their two grades are kept as two inspections, of the kinds
    the later child protection and looked after children inspections have."""
    return Block(Framework.PRE_SIF, kind, 1, published, {Area.OVERALL.value: overall}, label=label)


_PRE_SIF_BLOCKS = (
    _pre_block(
        "SLAC safeguarding",
        Kind.PROTECTION,
        "safeguarding & looked after children (slac) inspection publication date",
        "slac safeguarding overall effectiveness (oe)",
    ),
    _pre_block(
        "SLAC looked after children",
        Kind.LOOKED_AFTER,
        "safeguarding & looked after children (slac) inspection publication date",
        "slac looked after children overall effectiveness (oe)",
    ),
    _pre_block(
        "SLAC re-inspection safeguarding",
        Kind.PROTECTION,
        "slac re-inspection of safeguarding publication date",
        "slac re-inspection safeguarding oe",
    ),
    _pre_block(
        "SLAC re-inspection looked after children",
        Kind.LOOKED_AFTER,
        "slac re-inspection of services for children looked after publication date",
        "slac re-inspection of services children looked after oe",
    ),
    _pre_block(
        "child protection inspection",
        Kind.PROTECTION,
        "child protection inspections (cpi) publication date",
        "cpi overall effectiveness (oe)",
    ),
    _pre_block(
        "child protection re-inspection",
        Kind.PROTECTION,
        "child protection re-inspection (cpri) publication date",
        "cpri overall effectiveness (oe)",
    ),
    _pre_block(
        "looked after children inspection",
        Kind.LOOKED_AFTER,
        "targeted looked after children (tlac) inspection publication date",
        "tlac overall effectiveness (oe)",
    ),
)


def _sif_block(prefix: str, kind: Kind, published: str, lscb: bool) -> Block:
    grades = {
        Area.OVERALL.value: f"{prefix} overall judgement (oe)",
        Area.HELP_AND_PROTECTION.value: f"{prefix} children who need help and protection",
        Area.IN_CARE.value: f"{prefix} children looked after and achieving permanence",
        Area.ADOPTION.value: f"{prefix} cla sub: adoption performance",
        Area.CARE_LEAVERS.value: f"{prefix} cla sub: experiences and progress of care leavers",
        Area.LEADERSHIP.value: f"{prefix} leadership, management and governance",
    }
    if lscb:
        grades[Area.LSCB.value] = "lscb overall effectiveness"
    return Block(Framework.SIF, kind, 1, published, grades, label=prefix.lower())


EDITIONS: tuple[OfficialEdition, ...] = (
    OfficialEdition(
        key="csc_underlying_data_2023",
        title="Children's social care data in England 2023, underlying data (LA inspections 2009-2023)",
        sheet="LA_inspections_2009-2023",
        date_sheets=("LA_level_at_31_Mar_2023", "LA_level_in_year_2022-23"),
        blocks=(
            *_PRE_SIF_BLOCKS,
            _sif_block(
                "first sif",
                Kind.FULL,
                "single inspection of la children's services (sif) first sif publication date",
                lscb=True,
            ),
            _sif_block(
                "sif re-inspection",
                Kind.REINSPECTION,
                "single inspection of la children's services (sif) sif re-inspection publication date",
                lscb=False,
            ),
            _ilacs_block("first ilacs framework", 1, False, "children in care and care leavers"),
            _ilacs_block("second ilacs framework", 2, True, "children in care"),
            # the table of councils abolished since
            _ilacs_block("ilacs framework", 1, False, "children in care and care leavers", True),
        ),
    ),
    OfficialEdition(
        key="la_inspection_outcomes_2024",
        title="Local authority inspection outcomes as at 31 March 2024 (ILACS inspections 2018-2024)",
        sheet="ILACS_inspections_2018-2024",
        date_sheets=("Inspections_31_March_2024", "Inspections_in_year_2023-24"),
        blocks=(
            _ilacs_block("first ilacs", 1, True, "children in care"),
            _ilacs_block("second ilacs", 2, True, "children in care"),
            _ilacs_block("ilacs framework", 1, False, "children in care and care leavers", True),
        ),
    ),
)


def edition_title(key: str) -> str:
    """The title of a known edition (the key itself for one no longer known)."""
    return next((e.title for e in EDITIONS if e.key == key), key)


def _header(value: Any) -> str:
    return fold(str(value)).lower().strip() if _present(value) else ""


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _day(value: Any) -> date | None:
    if not _present(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        from ofsted_csc.domain.dates import parse_date

        return parse_date(text)


_KINDS = {"standard": Kind.STANDARD, "short": Kind.SHORT}


def _kind(value: Any) -> Kind | None:
    text = str(value).lower() if _present(value) else ""
    for word, kind in _KINDS.items():
        if word in text:
            return kind
    return None


Sheet = list[list[Any]]  # rows of cell values, from the sheet's first row and column


def _read_sheets(path: Path) -> tuple[list[str], dict[str, Sheet]]:
    """The workbook's sheet names, and the rows of the sheets that some edition names (the
    others are never read). Row n of a sheet is at index n - 1; an empty cell is ""."""
    if path.suffix.lower() not in (".ods", ".xlsx"):
        raise OfficialFormatError(
            f"{path}: not a spreadsheet ofsted-csc can read (.ods or .xlsx expected)"
        )
    if not path.is_file():
        raise OfficialFormatError(f"{path}: no such file")
    from python_calamine import CalamineWorkbook

    wanted = {name for e in EDITIONS for name in (e.sheet, *e.date_sheets)}
    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            names = list(book.sheet_names)
            sheets = {
                name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in names
                if name in wanted
            }
    except Exception as exc:  # zip/xml errors from the reader: the file is not a spreadsheet
        raise OfficialFormatError(
            f"{path}: cannot be read as a spreadsheet ({type(exc).__name__}: {exc})"
        ) from exc
    return names, sheets


def recognise(path: Path, names: Sequence[str], sheets: dict[str, Sheet]) -> OfficialEdition:
    """The known edition a workbook is (`names`: its sheets; `sheets`: the rows of those an
    edition names), or OfficialFormatError saying why not."""
    problems: list[str] = []
    for edition in EDITIONS:
        rows = sheets.get(edition.sheet)
        if rows is None:
            continue
        found = {_header(v) for row in rows for v in row}
        missing = sorted(edition.required - found)
        if not missing:
            return edition
        problems.append(
            f"sheet {edition.sheet} is there but lacks the columns {', '.join(missing[:4])}"
            + (" ..." if len(missing) > 4 else "")
        )
    known = "; ".join(f"{e.title} (sheet {e.sheet})" for e in EDITIONS)
    detail = f" ({'; '.join(problems)})" if problems else ""
    raise OfficialFormatError(
        f"{path}: not a known edition of Ofsted's official statistics{detail}. Sheets found: "
        f"{', '.join(names)}. Known editions: {known}. Ofsted changes the layout each year: "
        "a new edition needs describing in ofsted_csc/official.py."
    )


def read_official(path: str | Path, registry: CouncilRegistry) -> list[OfficialRow]:
    """Every inspection row of a known official spreadsheet."""
    return read_edition(path, registry)[1]


def read_edition(
    path: str | Path, registry: CouncilRegistry
) -> tuple[OfficialEdition, list[OfficialRow]]:
    """The edition a spreadsheet is and its inspection rows."""
    path = Path(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    names, sheets = _read_sheets(path)
    edition = recognise(path, names, sheets)
    rows: list[OfficialRow] = []
    columns: dict[str, int] | None = None
    for index, values in enumerate(sheets[edition.sheet], start=1):
        heads = [_header(v) for v in values]
        if edition.name_header in heads:
            columns = {h: i for i, h in enumerate(heads) if h}
            continue
        if columns is None:
            continue
        name_value = values[columns[edition.name_header]]
        if not _present(name_value):
            columns = None if not any(_present(v) for v in values) else columns
            continue
        name = str(name_value).strip()
        for block in edition.blocks:
            rows.extend(
                _block_row(path, sha, edition, index, name, values, columns, block, registry)
            )
    dated = _dated_inspections(sheets, edition, registry)
    return edition, [_with_start(row, dated) for row in rows]


# The judgement columns of the "as at" and "in year" sheets (one inspection a row).
_DATED_GRADES = {
    Area.OVERALL.value: "overall effectiveness",
    Area.LEADERSHIP.value: "impact of leaders",
    Area.HELP_AND_PROTECTION.value: "experiences and progress of children who need help and protection",
    Area.IN_CARE.value: "experiences and progress of children in care",
    Area.CARE_LEAVERS.value: "experiences and progress of care leavers",
}
_DATE_HEADERS = ("inspection date", "inspection/visit date")
# How long after its first day on site an inspection's report may be published.
START_BEFORE_PUBLICATION_DAYS = 200


def _dated_inspections(
    sheets: dict[str, Sheet], edition: OfficialEdition, registry: CouncilRegistry
) -> dict[str, list[tuple[date, dict[str, Grade]]]]:
    """Council URN -> [(first day on site, grades)] of the graded inspections the edition's
    date sheets list (visits, which have no grades, are left out)."""
    out: dict[str, list[tuple[date, dict[str, Grade]]]] = {}
    for name in edition.date_sheets:
        columns: dict[str, int] | None = None
        for values in sheets.get(name, []):
            heads = [_header(v) for v in values]
            if edition.name_header in heads and any(h in heads for h in _DATE_HEADERS):
                columns = {h: i for i, h in enumerate(heads) if h}
                continue
            if columns is None or not _present(values[columns[edition.name_header]]):
                continue
            day_column = next(columns[h] for h in _DATE_HEADERS if h in columns)
            day = _day(values[day_column])
            grades: dict[str, Grade] = {}
            for judgement, head in _DATED_GRADES.items():
                if head in columns and _present(values[columns[head]]):
                    grade = grade_from_words(str(values[columns[head]]))
                    if grade is not None:
                        grades[judgement] = grade
            if day is None or Area.OVERALL.value not in grades:
                continue
            council = registry.match_name(str(values[columns[edition.name_header]]), on=day)
            if council is not None:
                out.setdefault(council.urn, []).append((day, grades))
    return out


def _with_start(
    row: OfficialRow, dated: dict[str, list[tuple[date, dict[str, Grade]]]]
) -> OfficialRow:
    """The row with its first day on site, when a date sheet lists the same inspection: the
    same council and grades, starting at most START_BEFORE_PUBLICATION_DAYS before the
    publication (the latest such start)."""
    if row.framework is not Framework.ILACS or row.published is None or row.council_urn is None:
        return row
    fits = [
        day
        for day, grades in dated.get(row.council_urn, [])
        if 0 < (row.published - day).days <= START_BEFORE_PUBLICATION_DAYS
        and all(row.grades.get(k) is g for k, g in grades.items() if k in row.grades)
    ]
    if not fits:
        return row
    return replace(row, start=max(fits))


def _block_row(
    path: Path,
    sha: str,
    edition: OfficialEdition,
    index: int,
    name: str,
    values: Sequence[Any],
    columns: dict[str, int],
    block: Block,
    registry: CouncilRegistry,
) -> list[OfficialRow]:
    if block.published not in columns:  # this table of the sheet lacks the block
        return []
    published = _day(values[columns[block.published]])
    grades: dict[str, Grade] = {}
    for judgement, head in block.grades.items():
        if head not in columns:
            continue
        value = values[columns[head]]
        if _present(value):
            grade = grade_from_words(str(value))
            if grade is not None:
                grades[judgement] = grade
    if published is None and not grades:
        return []
    kind = block.kind
    if kind is None and block.kind_column and block.kind_column in columns:
        kind = _kind(values[columns[block.kind_column]])
    council = registry.match_name(name, on=published)
    return [
        OfficialRow(
            source_file=path.name,
            sha256=sha,
            edition=edition.key,
            sheet=edition.sheet,
            row=index,
            block=block.label,
            council_name=name,
            council_urn=council.urn if council else None,
            framework=block.framework,
            kind=kind,
            ordinal=block.ordinal,
            published=published,
            grades=grades,
        )
    ]
