"""Reading the lists in a report (recommendations, areas for improvement, priority actions)
from body lines, using the layout: items start with a bullet or a number, continuation
lines hang indented or carry on a sentence, sub-headings introduce the next item."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ofsted_csc.parsing.pdf import Line

BULLET = "•"
_NUMBERED = re.compile(r"^(\d{1,3})[.)](?:\s+(?=\S)|(?=[A-Z‘'“(]))")
_LETTERED = re.compile(r"^\(?([a-h])\)\s+(?=\S)")
_TERMINAL = (".", ";", ":", "!", "?", ")", "’", "'", "”")


@dataclass
class Item:
    text: str
    page: int
    heading: str | None = None  # the sub-heading the item stands under ("Areas for improvement")
    topic: str | None = None  # the topic heading it stands under ("Help and protection")
    lines: list[Line] = field(default_factory=list)


def _start(line: Line) -> tuple[str, int | None, str] | None:
    """(style, number, text after the marker) when `line` starts an item, else None."""
    text = line.text
    if text.startswith(BULLET):
        rest = text.lstrip(BULLET + " \t–-")
        return ("bullet", None, rest)
    m = _NUMBERED.match(text)
    if m:
        return ("number", int(m.group(1)), text[m.end() :])
    return None


def _join(parts: Sequence[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith("-") and not out.endswith(" -") and part[:1].islower():
            out = out + part  # a word broken at the line end with a real hyphen ("well-\nbeing")
        else:
            out = out + " " + part
    return " ".join(out.split())


def read_list(
    lines: Sequence[Line],
    start: int,
    *,
    is_stop: Callable[[Line], bool],
    is_subheading: Callable[[Line], bool] | None = None,
    is_section: Callable[[Line], bool] | None = None,
    is_end: Callable[[Line], bool] | None = None,
    max_preamble: int = 8,
) -> tuple[list[Item], int]:
    """Read the list that begins at lines[start] (the line after its heading).

    Returns the items and the index of the first line after the list.
    `is_section` marks headings that end the list once it has items (a new section, set in
    larger type); `is_end` marks lines that end it even before any item (the next section
    of a report whose list is only prose);
    `is_stop` marks words that end it unless an item follows directly (a topic heading).
    Preamble lines before the first item ("The local authority should:") are skipped;
    sub-headings between items (is_subheading, or a short unpunctuated line followed by an
    item of the list's style) label the items after them; the list ends at a stop line, at
    a line that neither starts an item nor continues one, or where numbering breaks.
    """
    items: list[Item] = []
    style: str | None = None
    expected = 1
    heading: str | None = None
    topic: str | None = None
    i = start
    preamble = 0
    sub_bullets = False  # numbered items carry bullet sub-lists
    n = len(lines)

    def next_is_item(j: int) -> bool:
        for k in range(j + 1, min(j + 3, n)):
            s = _start(lines[k])
            if s is None:
                if lines[k].text.strip(BULLET + " ") == "":
                    continue
                # a second sub-heading line ("Leadership, management and\ngovernance")
                continue
            if style is None:
                return True
            if s[0] != style:
                return False
            return s[0] == "bullet" or s[1] == expected
        return False

    while i < n:
        line = lines[i]
        text = line.text
        if text.strip(BULLET + " ") == "":
            i += 1
            continue
        if is_end is not None and is_end(line):
            break
        if (
            is_section is not None
            and is_section(line)
            and items
            and not (is_subheading and is_subheading(line))
        ):
            break
        if (
            is_stop(line)
            and not (is_subheading and is_subheading(line))
            and not (items and _continues(items[-1], line))
        ):
            if len(text) < 90 and not text.endswith(".") and next_is_item(i):
                topic = text.rstrip(":").strip()  # a topic heading inside the list
                i += 1
                continue
            break
        started = _start(line)
        if started is not None:
            kind, number, rest = started
            if kind == "number":
                paragraph, after = _paragraph(lines, i)
                next_start = _start(lines[after]) if after < n else None
                if (
                    next_start is not None
                    and next_start[0] == "bullet"
                    and style in (None, "number")
                    and number is not None
                    and ":" in paragraph  # "... oversight of:" (a topic heading has none)
                    and _number_after_bullets(lines, after, is_stop) == number + 1
                ):
                    # "1. Strengthen oversight of: • a • b • c" then "2. ...": one item
                    # with a sub-list, not a preamble
                    sub_bullets = True
                elif next_start is not None and next_start[0] == "bullet":
                    if not items and _is_preamble(paragraph):
                        i = after  # "28. In order to improve ..., the local authority should:"
                        continue
                    if (
                        style != "number"
                        and len(paragraph) < 90
                        and not paragraph.rstrip().endswith(".")
                    ):
                        topic = (
                            paragraph  # "1. Quality and effectiveness of practice", then bullets
                        )
                        style = "bullet"
                        i = after
                        continue
            if style is None:
                if kind == "number" and not sub_bullets and _is_preamble(_paragraph(lines, i)[0]):
                    i = _paragraph(lines, i)[1]
                    continue
                style = kind
                expected = (number or 1) if kind == "number" else 1
            if kind == style and (kind == "bullet" or number == expected):
                items.append(
                    Item(text=rest, page=line.page, heading=heading, topic=topic, lines=[line])
                )
                expected += 1
                i += 1
                continue
            if items:
                # an item of another style or out of sequence: a sub-list ("a) ...") or the
                # end of the list (a body paragraph numbered afresh)
                if (
                    kind == "bullet"
                    and style == "number"
                    and (sub_bullets or _continues(items[-1], line))
                ):
                    items[-1].text += " " + text
                    items[-1].lines.append(line)
                    i += 1
                    continue
                break
        if not items:
            if is_subheading and is_subheading(line):
                heading = text.rstrip(":").strip()
                i += 1
                continue
            preamble += 1
            if preamble > max_preamble:
                break
            i += 1
            continue
        last = items[-1]
        if is_subheading and is_subheading(line):
            heading = text.rstrip(":").strip()
            i += 1
            continue
        if _continues(last, line):
            last.text = _join([last.text, text])
            last.lines.append(line)
            i += 1
            continue
        if len(text) < 70 and not text.endswith(".") and next_is_item(i):
            topic = text.rstrip(":").strip()
            # a heading over two lines
            if i + 1 < n and _start(lines[i + 1]) is None and next_is_item(i + 1):
                topic = topic + " " + lines[i + 1].text.rstrip(":").strip()
                i += 1
            i += 1
            continue
        break
    for item in items:
        item.text = _join([item.text])
    return items, i


def _number_after_bullets(
    lines: Sequence[Line], start: int, is_stop: Callable[[Line], bool]
) -> int | None:
    """The number of the numbered item that follows a run of bullets from lines[start]."""
    for j in range(start, min(len(lines), start + 80)):
        started = _start(lines[j])
        if started is None:
            if is_stop(lines[j]):
                return None
            continue
        if started[0] == "number":
            return started[1]
        if started[0] != "bullet":
            return None
    return None


def _paragraph(lines: Sequence[Line], i: int) -> tuple[str, int]:
    """The text of the numbered paragraph starting at lines[i] (the marker removed) and the
    index of the line after it: it runs until an item start or a line after a full stop or
    colon that does not hang indented."""
    first = lines[i]
    s = _start(first)
    parts = [s[2] if s else first.text]
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if _start(line) is not None or _TIMESCALE_LINE.match(line.text):
            break
        prev = parts[-1].rstrip()
        if prev.endswith((".", ":")) and line.x - first.x <= 6:
            break
        parts.append(line.text)
        j += 1
    return _join(parts), j


_TIMESCALE_LINE = re.compile(
    r"^(?:immediately|within [a-z0-9 ]+(?:weeks?|months?))\s*:?\s*$", re.IGNORECASE
)


def _is_preamble(text: str) -> bool:
    low = text.lower()
    return low.rstrip().endswith(":") or "following action" in low or "should:" in low


def _continues(item: Item, line: Line) -> bool:
    """Whether `line` carries on `item` rather than starting something new."""
    first = item.lines[0]
    prev = item.lines[-1]
    text = line.text
    indent = line.x - first.x
    if indent > 6:  # hanging indent under the item's own text
        return True
    if text[:1].islower() or text[:1] in "(&,;":
        return True
    if not prev.text.rstrip().endswith(_TERMINAL):
        # a sentence carried over, if the line is laid out like body text
        return abs(indent) <= 6 or line.page != prev.page
    return False
