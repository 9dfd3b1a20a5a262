"""The search query language: parsed once, rendered for FTS5 and for PostgreSQL's tsquery."""

from __future__ import annotations

import pytest

from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.search import (
    And,
    Not,
    Or,
    Phrase,
    parse_query,
    to_fts5,
    to_tsquery,
)


def test_words_are_all_required() -> None:
    assert parse_query("Neglect  strategy") == And((Phrase(("neglect",)), Phrase(("strategy",))))


def test_and_may_be_written_and_is_not_a_word() -> None:
    assert parse_query("neglect AND strategy") == parse_query("neglect strategy")


def test_quoted_phrase_keeps_its_words_in_order() -> None:
    assert parse_query('"Care leavers"') == Phrase(("care", "leavers"))


def test_or_binds_looser_than_and() -> None:
    assert parse_query("a b OR c") == Or((And((Phrase(("a",)), Phrase(("b",)))), Phrase(("c",))))


def test_not_and_minus_leave_out() -> None:
    expected = And((Phrase(("neglect",)), Not(Phrase(("strategy",)))))
    assert parse_query("neglect NOT strategy") == expected
    assert parse_query("neglect -strategy") == expected


def test_minus_leaves_out_a_group_or_a_phrase() -> None:
    assert parse_query('neglect -"care leavers"') == And(
        (Phrase(("neglect",)), Not(Phrase(("care", "leavers"))))
    )
    assert parse_query("neglect -(care OR adoption)") == parse_query(
        "neglect NOT (care OR adoption)"
    )


def test_prefix_on_a_word_and_on_a_phrase() -> None:
    assert parse_query("negl*") == Phrase(("negl",), prefix=True)
    assert parse_query('"care leav*"') == Phrase(("care", "leav"), prefix=True)


def test_punctuation_inside_a_word_makes_a_phrase() -> None:
    assert parse_query("multi-agency") == Phrase(("multi", "agency"))
    # no column filter: the words themselves
    assert parse_query("text:neglect") == Phrase(("text", "neglect"))


def test_punctuation_alone_is_no_word() -> None:
    assert parse_query("neglect - & --") == Phrase(("neglect",))


def test_groups() -> None:
    assert parse_query("(adoption OR fostering) -neglect") == And(
        (Or((Phrase(("adoption",)), Phrase(("fostering",)))), Not(Phrase(("neglect",))))
    )


def test_renderings_quote_every_word() -> None:
    query = parse_query('"care leav*" OR (neglect -strategy)')
    assert to_fts5(query) == '("care leav" * OR (("neglect") NOT "strategy"))'
    assert to_tsquery(query) == "(('care' <-> 'leav':*) | ('neglect' & !'strategy'))"


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ('"neglect', "quote is not closed"),
        ('neglect "care leavers', "quote is not closed"),
        ("NOT", "NOT needs"),
        ("neglect NOT", "NOT needs"),
        ("-neglect", "only leaves words out"),
        ("NOT neglect OR -care", "only leaves words out"),
        ("neglect -(-care)", "only leaves words out"),
        ("neglect (care OR -adoption)", "only leaves words out"),
        ("neglect OR", "OR needs"),
        ("OR neglect", "OR needs"),
        ("(neglect", "bracket is not closed"),
        ("neglect)", "without its ("),
        ("()", "empty brackets"),
        ("* & ^", "no words"),
        ("neglect\x00", "NUL"),
        ("a " * 300, "longer than"),
        (" ".join(f"w{i}" for i in range(40)), "too many words"),
    ],
)
def test_malformed_queries_say_what_is_wrong(query: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match="search: .*" + problem.replace("(", r"\(")):
        parse_query(query)


@pytest.mark.parametrize(
    "hostile",
    [
        'text: neglect NEAR(a b) "x" OR {text} : y ^z',
        "neglect' OR 1=1; DROP TABLE document_pages; --",
        "a:* & !b | c <-> d",
        'rank:"x"',
    ],
)
def test_hostile_input_reaches_neither_engine_as_syntax(hostile: str) -> None:
    query = parse_query(hostile)
    fts = to_fts5(query)
    ts = to_tsquery(query)
    # outside quotes, FTS5 sees only the operators we write
    outside = fts.split('"')[::2]
    assert all(set(part) <= set("() ORANDNOT*") for part in outside), fts
    # every lexeme is a quoted run of letters and digits
    for part in ts.split("'")[1::2]:
        assert part.isalnum(), ts


def test_words_lose_latin_accents_and_case_as_the_index_does() -> None:
    assert parse_query("Café NAÏVE") == And((Phrase(("cafe",)), Phrase(("naive",))))


def test_the_migration_folds_the_same_letters() -> None:
    from importlib import util
    from pathlib import Path

    from ofsted_csc.domain.search import FOLD_FROM, FOLD_TO
    from ofsted_csc.storage import migrate

    path = Path(migrate.MIGRATIONS) / "versions" / "0010_full_text_search.py"
    spec = util.spec_from_file_location("m0009", path)
    assert spec is not None and spec.loader is not None
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (module._FOLD_FROM, module._FOLD_TO) == (FOLD_FROM, FOLD_TO)
    assert len(FOLD_FROM) == len(FOLD_TO) and FOLD_TO.isascii()
