"""The values people give ofsted-csc (form fields, command options, JSON, workbook cells),
checked the same way wherever they arrive, and the one way a value that was let in before
these checks is made safe for a file that cannot hold it.

- Ids are whole numbers from 1 to ``MAX_ID`` (the database's integer): a larger one is no
  record's id, and is refused before the database sees it.
- Numbers (a measure's baseline, target and readings) are finite (no NaN, no infinity) and at
  most ``MAX_NUMBER`` either side of zero.
- Text holds no control characters: no NUL, no other C0 or C1 control, no lone surrogate and
  neither of U+FFFE, U+FFFF (none can be kept in an XLSX, Word or XML file, and PostgreSQL
  refuses NUL). Long text (an action, an update, a reason) may hold line breaks and tabs;
  one-line text (a title, a name) may not.
- An uploaded file's name is cut to ``MAX_FILE_NAME`` characters, keeping its extension.
"""

from __future__ import annotations

import math
import re

from ofsted_csc.domain.errors import InvalidInput

MAX_ID = 2**31 - 1  # the largest id the database's integer columns hold
MAX_NUMBER = 1e12  # a measure's value: a count, a rate or a percentage, never near this
MAX_FILE_NAME = 200  # characters of an uploaded file's name that are kept

# characters no text field may hold (line breaks and tabs are checked separately)
_NEVER = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_LONG = re.compile(f"[{_NEVER}]")
_ONE_LINE = re.compile(f"[{_NEVER}\t\n\r]")


def bad_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character `text` may not hold, as U+XXXX ("U+0000"), or None."""
    found = (_LONG if multiline else _ONE_LINE).search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def check_text(what: str, text: str, limit: int, *, multiline: bool = False) -> None:
    """Refuse `text` longer than `limit` characters or holding a control character; the
    message names the field (`what`: "title", "update")."""
    if len(text) > limit:
        raise InvalidInput(f"the {what} is {len(text)} characters; at most {limit}")
    bad = bad_character(text, multiline=multiline)
    if bad is not None:
        kind = "a control character" if multiline else "a line break or control character"
        raise InvalidInput(f"the {what} holds {kind} ({bad}); remove it and try again")


def check_number(what: str, value: float) -> float:
    """`value` as a float if it is finite and within ``MAX_NUMBER`` of zero."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"the {what} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInput(f"the {what} must be a number, not {value!r}")
    if abs(number) > MAX_NUMBER:
        raise InvalidInput(f"the {what} is {number:g}; give a number within ±{MAX_NUMBER:g}")
    return number


def parse_number(what: str, text: str) -> float:
    """A number as typed ("12", "-3.5", "1e3"): finite and in range, else InvalidInput."""
    try:
        value = float(text.strip())
    except ValueError:
        raise InvalidInput(f"the {what} must be a number, not {text[:40]!r}") from None
    return check_number(what, value)


def is_id(value: object) -> bool:
    """Whether `value` is a whole number the database could hold as an id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def parse_id(what: str, text: str) -> int:
    """An id as typed ("12"): a whole number from 1 to MAX_ID, else InvalidInput."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or not is_id(int(text)):
        raise InvalidInput(f"the {what} {text[:40]!r} is not an id (a whole number from 1)")
    return int(text)


def check_whole(what: str, value: int, low: int = 0, high: int = MAX_ID) -> int:
    """A whole number (a position, a size, a page) the database can hold: low..high."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"the {what} must be a whole number from {low} to {high}, not {value!r}")
    return value


def xml_safe(text: str) -> str:
    """`text` with every character an XML file cannot hold replaced by U+FFFD: for writers
    (XLSX, Word, HTML) given text stored before it was checked. Line breaks and tabs stay."""
    return _LONG.sub("\ufffd", text)


def short_file_name(name: str, limit: int = MAX_FILE_NAME) -> str:
    """An uploaded file's name cut to `limit` characters, keeping its extension (a name that
    long is no real report's; the file system refuses names over 255 bytes)."""
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        return name[:limit]
    return stem[: limit - len(ext) - 1] + "." + ext
