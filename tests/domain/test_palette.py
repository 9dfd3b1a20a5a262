"""One palette and one order of grades for every output: the web's tags, its charts and map,
and the brief's charts (Word and HTML) all draw a grade from domain.grades.GRADE_PALETTE."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib.colors
import pytest

from ofsted_csc.analytics import benchmarking
from ofsted_csc.domain.frameworks import Area
from ofsted_csc.domain.grades import (
    GRADE_ORDER,
    GRADE_PALETTE,
    SCALE_PRE_2013,
    SCALE_SINCE_2013,
    Grade,
)
from ofsted_csc.reports.briefs import charts as brief_charts
from ofsted_csc.web import charts as web_charts
from ofsted_csc.web import filters

APP_CSS = Path(__file__).resolve().parents[2] / "src" / "ofsted_csc" / "web" / "static" / "app.css"


def test_grades_are_ordered_once_best_first() -> None:
    assert tuple(Grade) == GRADE_ORDER
    assert benchmarking.GRADE_ORDER is GRADE_ORDER
    assert [g.rank for g in GRADE_ORDER] == sorted(g.rank for g in GRADE_ORDER)
    for scale in (SCALE_SINCE_2013, SCALE_PRE_2013):
        assert list(scale) == [g for g in GRADE_ORDER if g in scale]


def test_every_grade_has_one_colour_and_one_tag_used_by_every_output() -> None:
    assert set(GRADE_PALETTE) == set(Grade)
    for grade, colours in GRADE_PALETTE.items():
        assert filters.TAG_CLASSES[grade.value] == colours.tag_class
        assert web_charts.GRADE_COLOURS[grade.value] == colours.colour
        assert web_charts.TEXT_ON[grade.value] == colours.text_on
        assert f'class="{colours.tag_class} app-grade"' in filters.grade_tag(grade)
    assert len({c.colour for c in GRADE_PALETTE.values()}) == len(GRADE_PALETTE)
    assert len({c.tag_class for c in GRADE_PALETTE.values()}) == len(GRADE_PALETTE)


def _css_tag_colours() -> dict[str, tuple[str, str]]:
    """GOV.UK Frontend's tag rules in the served stylesheet: class -> (text, background)."""
    css = APP_CSS.read_text(encoding="utf-8-sig")
    found = {}
    for name, text, background in re.findall(
        r"\.(govuk-tag(?:--[a-z-]+)?)\{color:(#[0-9a-f]{6});background-color:(#[0-9a-f]{6})", css
    ):
        found[name] = (text, background)
    return found


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_each_tag_is_a_tint_of_its_grade_colour() -> None:
    # GOV.UK Frontend tints the tag's background from one colour of its palette: the colour
    # the charts fill with. A tag class the stylesheet does not define would draw plain blue.
    rules = _css_tag_colours()
    for grade, colours in GRADE_PALETTE.items():
        modifier = colours.tag_class.split()[-1]
        assert modifier in rules, f"{grade}: {modifier} is not a tag of GOV.UK Frontend"
        background = _rgb(rules[modifier][1])
        base = _rgb(colours.colour)
        assert any(
            all(abs(b - (c + t * (255 - c))) <= 1 for b, c in zip(background, base, strict=True))
            for t in (0.5, 0.8)
        ), f"{grade}: tag background {rules[modifier][1]} is not a tint of {colours.colour}"


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("grade", list(Grade))
def test_text_on_each_colour_is_readable(grade: Grade) -> None:
    colours = GRADE_PALETTE[grade]
    a, b = sorted((_luminance(colours.colour), _luminance(colours.text_on)))
    assert (b + 0.05) / (a + 0.05) >= 4.5


def _picture() -> benchmarking.Picture:
    counts = {
        Grade.OUTSTANDING: 20,
        Grade.GOOD: 70,
        Grade.REQUIRES_IMPROVEMENT: 40,
        Grade.INADEQUATE: 20,
    }
    rows = [
        benchmarking.PictureRow(Area.OVERALL.value, g.value, n, 100 * n / 150, 150)
        for g, n in counts.items()
    ]
    return benchmarking.Picture(date(2025, 3, 31), date(2025, 3, 31), 153, 150, rows)


def test_the_brief_chart_and_the_web_chart_draw_each_grade_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: dict[str, str] = {}  # grade label -> the brief chart's bar colour
    real_png = brief_charts._png

    def keep(fig: Any) -> bytes:
        for bar_set in fig.axes[0].containers:
            colour = matplotlib.colors.to_hex(bar_set.patches[0].get_facecolor())
            drawn[bar_set.get_label()] = colour
        return real_png(fig)

    monkeypatch.setattr(brief_charts, "_png", keep)
    picture = _picture()
    brief_charts.picture_chart(picture, [Area.OVERALL], date(2025, 3, 31), "ILACS")
    svg = str(
        web_charts.stacked_bars(
            [
                web_charts.Bar(
                    "Overall effectiveness",
                    [(r.grade, Grade(r.grade).short_label, r.count) for r in picture.rows],
                )
            ],
            "Overall effectiveness",
        )
    )
    web = dict(re.findall(r'fill="(#[0-9a-f]{6})"><title>([^:]+):', svg))
    web_by_label = {label: colour for colour, label in web.items()}
    assert set(drawn) == {g.short_label for g in SCALE_SINCE_2013}
    for grade in SCALE_SINCE_2013:
        assert drawn[grade.short_label] == GRADE_PALETTE[grade].colour
        assert web_by_label[grade.short_label] == drawn[grade.short_label]
