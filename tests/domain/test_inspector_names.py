"""Lead inspectors' names: titles left off, two-lead cells split, forms of one person's name
merged (the same surname, a known short form), different people never merged."""

from __future__ import annotations

import pytest

from ofsted_csc.domain.inspectors import (
    INSPECTORS_NOTE,
    SHORT_FORMS,
    merge_names,
    split_leads,
    strip_titles,
)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Jane Smith HMI", "Jane Smith"),
        ("Jane Smith, Her Majesty’s Inspector", "Jane Smith"),
        ("Jane Smith His Majesty's Inspector", "Jane Smith"),
        ("Mrs Jane Smith", "Jane Smith"),
        ("Dr. Jane Smith", "Jane Smith"),
        ("Jane Smith (Ofsted Inspector)", "Jane Smith"),
        ("Jane Smith Ofsted Inspector", "Jane Smith"),
        ("HMI Jane Smith", "Jane Smith"),
        ("Jane Smith (lead)", "Jane Smith"),
        ("Jane Smith Senior HMI", "Jane Smith"),
        ("Jane Smith OI", "Jane Smith"),
    ],
)
def test_titles_are_left_off(written: str, name: str) -> None:
    assert strip_titles(written) == name
    assert split_leads(written) == [name]


@pytest.mark.parametrize(
    "cell",
    [
        "Jane Smith and John Brown",
        "Jane Smith / John Brown",
        "Jane Smith HMI, John Brown HMI",
        "Jane Smith; John Brown",
        "Jane Smith & John Brown",
        "Jane Smith, Her Majesty's Inspector, and John Brown, Ofsted Inspector",
    ],
)
def test_a_cell_naming_two_leads_is_split(cell: str) -> None:
    assert split_leads(cell) == ["Jane Smith", "John Brown"]
    people = merge_names([cell, "Jane Smith"])
    assert people.leads(cell) == ("Jane Smith", "John Brown")
    assert set(people.forms) == {"Jane Smith", "John Brown"}


def test_short_and_long_forms_of_one_name_are_merged() -> None:
    cells = ["Matt Reed", "Matt Reed HMI", "Matthew Reed", "Sue Myers", "Susan Myers"]
    people = merge_names(cells)
    assert people.leads("Matt Reed") == ("Matthew Reed",)
    assert people.leads("Sue Myers HMI") == ("Susan Myers",)
    assert people.merged == {
        "Matthew Reed": ("Matt Reed", "Matthew Reed"),
        "Susan Myers": ("Sue Myers", "Susan Myers"),
    }
    assert people.find("matt reed") == "Matthew Reed"
    assert people.find("Matthew Reed HMI") == "Matthew Reed"
    assert people.find("Sue Myers") == "Susan Myers"
    assert people.find("Jane Reed") is None


def test_a_short_form_alone_keeps_its_name() -> None:
    people = merge_names(["Matt Reed", "Matt Reed"])
    assert people.leads("Matt Reed") == ("Matt Reed",)
    assert people.merged == {}


def test_case_accents_and_middle_initials_are_one_form() -> None:
    people = merge_names(["Máire Atherton", "Maire Atherton", "Maire Atherton", "Fiona J Millns"])
    assert people.leads("Máire Atherton") == ("Maire Atherton",)  # as written most often
    people = merge_names(["Fiona J Millns", "Fiona Millns", "FIONA MILLNS", "Fiona J. Millns"])
    assert len(people.forms) == 1
    # an initial for a given name is not a given name: J Millns is not merged with Fiona
    assert len(merge_names(["J Millns", "Fiona Millns"]).forms) == 2


@pytest.mark.parametrize(
    "names",
    [
        ("Dawn Godfrey", "Teresa Godfrey"),  # the same surname, different given names
        ("Matt Reed", "Mark Reed"),
        ("Matthew Reed", "Matthew Read"),  # a different surname
        ("Nick Bennison", "Nicholas McMullen"),  # short and long, different surnames
        ("Steve Bailey", "Shirley Bailey"),
    ],
)
def test_different_people_are_not_merged(names: tuple[str, ...]) -> None:
    people = merge_names(names)
    assert sorted(people.forms) == sorted(names)
    assert people.merged == {}


def test_an_ambiguous_short_form_is_left_alone() -> None:
    # "Chris" may be Christopher or Christine: with both present, neither takes it
    people = merge_names(["Chris Jones", "Christopher Jones", "Christine Jones"])
    assert len(people.forms) == 3
    # with one of them present, Chris is that one
    people = merge_names(["Chris Jones", "Christine Jones"])
    assert people.leads("Chris Jones") == ("Christine Jones",)


def test_the_short_forms_are_data() -> None:
    for short, longs in {
        "matt": ("matthew",),
        "sue": ("susan",),
        "chris": ("christopher", "christine"),
        "nick": ("nicholas",),
        "steve": ("stephen", "steven"),
        "dave": ("david",),
        "rob": ("robert",),
        "kath": ("kathryn", "katherine"),
        "liz": ("elizabeth",),
    }.items():
        assert set(longs) <= set(SHORT_FORMS[short]), short
    for short, longs in SHORT_FORMS.items():
        assert short == short.lower() and all(x == x.lower() and x != short for x in longs)


def test_the_note_says_why_there_is_no_ranking() -> None:
    assert "not league tables" in INSPECTORS_NOTE
    assert "councils" in INSPECTORS_NOTE and "moderates" in INSPECTORS_NOTE
