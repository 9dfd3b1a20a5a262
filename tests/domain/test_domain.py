"""The pure domain: grades and their spellings, frameworks as data, rule checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ofsted_csc.domain import rules
from ofsted_csc.domain.frameworks import (
    EDITIONS,
    ILACS_2018,
    ILACS_2023,
    ILACS_2026,
    ILACS_CARE_LEAVERS_SPLIT,
    ILACS_NO_OVERALL_FROM,
    SIF,
    Area,
    Edition,
    Framework,
    Kind,
    ilacs_edition_for_start,
)
from ofsted_csc.domain.grades import Grade, grade_alone, grade_from_words
from ofsted_csc.domain.records import InspectionRecord, Judgement


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Requires improvement", Grade.REQUIRES_IMPROVEMENT),
        ("Requires Improvement", Grade.REQUIRES_IMPROVEMENT),
        ("Require improvement", Grade.REQUIRES_IMPROVEMENT),
        ("Requires improvement to be good", Grade.REQUIRES_IMPROVEMENT),
        ("requires improvement\nto be good", Grade.REQUIRES_IMPROVEMENT),
        ("Inadequate", Grade.INADEQUATE),
        ("Adequate", Grade.ADEQUATE),
        ("Outstanding", Grade.OUTSTANDING),
        ("good", Grade.GOOD),
        ("Very good", None),
    ],
)
def test_grade_spellings(text: str, grade: Grade | None) -> None:
    assert grade_from_words(text) is grade


@pytest.mark.parametrize(
    ("cell", "grade"),
    [
        ("Good 1", Grade.GOOD),
        ("Good1", Grade.GOOD),
        ("Grade 4 (Inadequate)", Grade.INADEQUATE),
        ("Requires improvement to be good 2", Grade.REQUIRES_IMPROVEMENT),
        ("Good progress", None),
    ],
)
def test_grade_alone_in_a_table_cell_with_footnote_markers(cell: str, grade: Grade | None) -> None:
    assert grade_alone(cell) is grade


def test_adequate_ranks_with_requires_improvement_and_not_on_the_sif_scale() -> None:
    assert Grade.ADEQUATE.rank == Grade.REQUIRES_IMPROVEMENT.rank
    assert Grade.ADEQUATE not in SIF.scale


def test_each_edition_is_the_previous_plus_a_delta() -> None:
    assert set(ILACS_2023.areas) - set(ILACS_2018.areas) == {Area.CARE_LEAVERS}
    assert set(ILACS_2023.areas) - set(ILACS_2026.areas) == {Area.OVERALL}
    assert ILACS_2018.in_care_includes_care_leavers and not ILACS_2023.in_care_includes_care_leavers
    keys = [e.key for e in EDITIONS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("start", "key"),
    [
        (date(2022, 12, 5), "ilacs_2018"),
        (date(2023, 1, 9), "ilacs_2023"),
        (date(2026, 3, 30), "ilacs_2023"),  # published after April 2026 but started before
        (date(2026, 4, 13), "ilacs_2026"),
    ],
)
def test_ilacs_edition_follows_inspection_start_not_publication(start: date, key: str) -> None:
    assert ilacs_edition_for_start(start).key == key


def _record(
    framework: Framework, edition_grades: dict[Area, Grade], start: date
) -> InspectionRecord:
    edition = SIF if framework is Framework.SIF else ilacs_edition_for_start(start)
    r = InspectionRecord(
        council_urn="80549",
        council_name_in_report="Sandwell",
        framework=framework,
        edition=edition,
        kind=Kind.FULL if framework is Framework.SIF else Kind.STANDARD,
        inspection_start=start,
        inspection_end=start,
    )
    for area, grade in edition_grades.items():
        r.judgements[area] = Judgement.graded(area, grade, 1)
    return r


def test_rule_sif_inadequate_key_judgement_with_better_overall_is_flagged() -> None:
    r = _record(
        Framework.SIF,
        {
            Area.OVERALL: Grade.REQUIRES_IMPROVEMENT,
            Area.LEADERSHIP: Grade.REQUIRES_IMPROVEMENT,
            Area.HELP_AND_PROTECTION: Grade.INADEQUATE,
            Area.IN_CARE: Grade.GOOD,
        },
        date(2015, 3, 2),
    )
    warnings = rules.check(r)
    assert any(w.startswith("sif_key_inadequate:") for w in warnings)


def test_rule_ilacs_leaders_inadequate_overall_ri_is_not_flagged() -> None:
    # Bournemouth 2018, Herefordshire 2018: no blanket rule under ILACS
    r = _record(
        Framework.ILACS,
        {
            Area.OVERALL: Grade.REQUIRES_IMPROVEMENT,
            Area.LEADERSHIP: Grade.INADEQUATE,
            Area.HELP_AND_PROTECTION: Grade.REQUIRES_IMPROVEMENT,
            Area.IN_CARE: Grade.REQUIRES_IMPROVEMENT,
        },
        date(2018, 6, 4),
    )
    assert rules.check(r) == []


def test_rule_ilacs_overall_better_than_every_judgement_is_flagged() -> None:
    r = _record(
        Framework.ILACS,
        {
            Area.OVERALL: Grade.GOOD,
            Area.LEADERSHIP: Grade.INADEQUATE,
            Area.HELP_AND_PROTECTION: Grade.REQUIRES_IMPROVEMENT,
            Area.IN_CARE: Grade.INADEQUATE,
        },
        date(2019, 6, 3),
    )
    assert any(w.startswith("ilacs_overall_within_range:") for w in rules.check(r))


def test_rule_overall_graded_after_april_2026_is_flagged() -> None:
    r = _record(
        Framework.ILACS,
        {
            Area.OVERALL: Grade.GOOD,
            Area.LEADERSHIP: Grade.GOOD,
            Area.HELP_AND_PROTECTION: Grade.GOOD,
            Area.IN_CARE: Grade.GOOD,
            Area.CARE_LEAVERS: Grade.GOOD,
        },
        date(2026, 5, 4),
    )
    assert any(w.startswith("ilacs_edition_dates:") for w in rules.check(r))


def test_the_ilacs_change_dates_come_from_the_editions() -> None:
    assert ILACS_CARE_LEAVERS_SPLIT == ILACS_2023.from_date == ILACS_2018.to_date + timedelta(1)
    assert ILACS_NO_OVERALL_FROM == ILACS_2026.from_date == ILACS_2023.to_date + timedelta(1)


@pytest.mark.parametrize(
    ("edition", "start", "words"),
    [
        (ILACS_2018, date(2023, 2, 6), "together, but the inspection started on or after {split}"),
        (ILACS_2023, date(2022, 11, 7), "separately, but the inspection started before {split}"),
        (
            ILACS_2026,
            date(2026, 3, 2),
            "no overall effectiveness, but the inspection started before {no_overall}",
        ),
        (ILACS_2023, date(2026, 3, 2), None),
        (ILACS_2018, date(2022, 11, 7), None),
    ],
)
def test_rule_edition_dates_names_the_change_from_the_editions(
    edition: Edition, start: date, words: str | None
) -> None:
    r = _record(Framework.ILACS, {Area.LEADERSHIP: Grade.GOOD}, start)
    r.edition = edition
    found = [w for w in rules.check(r) if w.startswith("ilacs_edition_dates:")]
    if words is None:
        assert found == []
        return
    split = f"{ILACS_CARE_LEAVERS_SPLIT.day} {ILACS_CARE_LEAVERS_SPLIT:%B %Y}"
    no_overall = f"{ILACS_NO_OVERALL_FROM.day} {ILACS_NO_OVERALL_FROM:%B %Y}"
    assert found and found[0].endswith(words.format(split=split, no_overall=no_overall))


def test_rule_adequate_in_an_ilacs_record_is_off_scale() -> None:
    r = _record(Framework.ILACS, {Area.LEADERSHIP: Grade.ADEQUATE}, date(2019, 6, 3))
    assert any(w.startswith("grade_scale:") for w in rules.check(r))
