"""The full-text search query language, parsed once here and rendered for each database.

    query = parse_query('"looked after" children OR -placement sufficien*')
    to_fts5(query)      # SQLite FTS5 MATCH text
    to_tsquery(query)   # PostgreSQL to_tsquery('simple', ...) text

The language: words (all must match; AND may be written), "quoted phrases", OR between alternatives, NOT word
or -word to leave out, word* for a prefix, and (parentheses) to group. Words are what the
index keeps: runs of letters and digits, case folded; anything else separates words (so
`multi-agency` is the phrase "multi agency", and `text:foo` is no column filter but the
phrase "text foo"). The renderings quote every word, so nothing the user types reaches
either engine as an operator. No stemming on either database: both mean the same thing.

A malformed query raises InvalidInput naming the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ofsted_csc.domain.errors import InvalidInput

__all__ = [
    "FOLD_FROM",
    "FOLD_TO",
    "MAX_QUERY_LENGTH",
    "And",
    "Not",
    "Or",
    "Phrase",
    "Query",
    "parse_query",
    "to_fts5",
    "to_tsquery",
    "words_of",
]

MAX_QUERY_LENGTH = 500  # characters
_MAX_TERMS = 32

# A word as the index keeps it on both databases: a run of letters and digits (underscore
# and all punctuation separate words), lower case, the accents of Latin letters taken off
# (FTS5's remove_diacritics; on PostgreSQL the same translate() before the parser, which
# sees only the words: migration 0009 holds these two strings too).
FOLD_FROM = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ"
FOLD_TO = "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYy"
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Phrase:
    """Words next to each other, in order (one word is a phrase of one); `prefix`: the last
    word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Not:
    child: Query


@dataclass(frozen=True)
class And:
    children: tuple[Query, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Query, ...]


Query = Phrase | Not | And | Or


def words_of(text: str) -> tuple[str, ...]:
    """The index's words of `text`: lower case, Latin accents taken off."""
    return tuple(w.lower() for w in _WORD.findall(text.translate(_FOLD)))


# -- parsing --

_BARE = re.compile(r'[^\s"()]+')  # a word as typed: up to a space, a quote or a bracket


@dataclass(frozen=True)
class _Tok:
    kind: str  # word, phrase, open, close, or, not, minus
    text: str
    prefix: bool = False


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    at = 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        if text[at] == '"':
            end = text.find('"', at + 1)
            if end < 0:
                raise InvalidInput('search: a quote is not closed: put a second " after the phrase')
            body = text[at + 1 : end].strip()
            prefix = body.endswith("*")
            out.append(_Tok("phrase", body.rstrip("*"), prefix))
            at = end + 1
            continue
        if text[at] in "()":
            out.append(_Tok("open" if text[at] == "(" else "close", text[at]))
            at += 1
            continue
        match = _BARE.match(text, at)
        assert match is not None
        word = match.group()
        at = match.end()
        if word == "OR":
            out.append(_Tok("or", word))
        elif word == "AND":  # words must all match anyway: AND says so, and is not a word
            continue
        elif word == "NOT":
            out.append(_Tok("not", word))
        elif word == "-" and text.startswith(("(", '"'), at):  # -(group), -"phrase"
            out.append(_Tok("minus", "-"))
        elif word.startswith("-") and words_of(word[1:]):
            out.append(_Tok("minus", "-"))
            out.append(_Tok("word", word[1:].rstrip("*"), word.endswith("*")))
        else:
            out.append(_Tok("word", word.rstrip("*"), word.endswith("*")))
    return out


class _Parser:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.at = 0
        self.terms = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.at]
        self.at += 1
        return tok

    def alternatives(self) -> Query | None:
        parts = [self.conjunction()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            if self.peek() is None or self.peek_kind() in ("or", "close"):
                raise InvalidInput("search: OR needs something to search for on both sides")
            parts.append(self.conjunction())
        if parts[0] is None and len(parts) > 1:
            raise InvalidInput("search: OR needs something to search for on both sides")
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def peek_kind(self) -> str | None:
        tok = self.peek()
        return tok.kind if tok else None

    def conjunction(self) -> Query | None:
        parts: list[Query] = []
        while (kind := self.peek_kind()) is not None and kind not in ("or", "close"):
            part = self.unary()
            if part is not None:
                parts.append(part)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Query | None:
        tok = self.take()
        if tok.kind in ("not", "minus"):
            if self.peek_kind() in (None, "or", "close", "not", "minus"):
                word = "NOT" if tok.kind == "not" else "-"
                raise InvalidInput(f"search: {word} needs a word, phrase or group to leave out")
            child = self.unary()
            if child is None:
                raise InvalidInput(f"search: nothing to leave out after {tok.text}")
            return Not(child)
        if tok.kind == "open":
            inner = self.alternatives()
            if self.peek_kind() != "close":
                raise InvalidInput("search: a bracket is not closed: add )")
            self.take()
            if inner is None:
                raise InvalidInput("search: empty brackets ()")
            return inner
        if tok.kind == "close":  # pragma: no cover - conjunction stops at ")"
            raise InvalidInput("search: a ) without its (")
        words = words_of(tok.text)
        if not words:
            return None  # punctuation on its own: not a word of the index
        self.terms += len(words)
        if self.terms > _MAX_TERMS:
            raise InvalidInput(f"search: too many words (at most {_MAX_TERMS})")
        return Phrase(words, tok.prefix)


def parse_query(text: str) -> Query:
    """The query `text` as a tree; InvalidInput (naming the problem) if it is malformed."""
    if "\x00" in text:
        raise InvalidInput("search: the query holds a NUL character")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput(f"search: the query is longer than {MAX_QUERY_LENGTH} characters")
    if not text.strip():
        raise InvalidInput('search: the query is empty: give a word or a "phrase"')
    parser = _Parser(_tokens(text))
    query = parser.alternatives()
    if parser.peek_kind() == "close":
        raise InvalidInput("search: a ) without its (")
    if query is None:
        raise InvalidInput("search: the query has no words to search for")
    _check_positive(query)
    return query


def _positive(query: Query) -> bool:
    """Whether the query asks for something, not only for things to leave out."""
    if isinstance(query, Phrase):
        return True
    if isinstance(query, Not):
        return False
    if isinstance(query, And):
        return any(_positive(c) for c in query.children)
    return all(_positive(c) for c in query.children)


def _check_positive(query: Query) -> None:
    if not _positive(query):
        raise InvalidInput(
            "search: the query only leaves words out: give a word or phrase to find as well"
        )
    if isinstance(query, And | Or):
        for child in query.children:
            # what is left out must itself ask for something: -(-b) means nothing here
            _check_positive(child.child if isinstance(child, Not) else child)


# -- rendering --


def _fts5_phrase(p: Phrase) -> str:
    # every word quoted: FTS5 reads nothing inside "..." as an operator or a column
    body = '"' + " ".join(p.words) + '"'
    return body + " *" if p.prefix else body


def to_fts5(query: Query) -> str:
    """The query as an FTS5 MATCH expression."""
    if isinstance(query, Phrase):
        return _fts5_phrase(query)
    if isinstance(query, Or):
        return "(" + " OR ".join(to_fts5(c) for c in query.children) + ")"
    if isinstance(query, Not):  # only inside an And (parse_query sees to that)
        raise ValueError("a NOT on its own cannot be rendered")
    wanted = [c for c in query.children if not isinstance(c, Not)]
    left_out = [c.child for c in query.children if isinstance(c, Not)]
    text = "(" + " AND ".join(to_fts5(c) for c in wanted) + ")"
    for child in left_out:
        text = f"({text} NOT {to_fts5(child)})"
    return text


def _ts_phrase(p: Phrase) -> str:
    lexemes = [f"'{w}'" for w in p.words]
    if p.prefix:
        lexemes[-1] += ":*"
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


def to_tsquery(query: Query) -> str:
    """The query as PostgreSQL to_tsquery text (for the 'simple' configuration)."""
    if isinstance(query, Phrase):
        return _ts_phrase(query)
    if isinstance(query, Not):
        return "!" + to_tsquery(query.child)
    joiner = " | " if isinstance(query, Or) else " & "
    return "(" + joiner.join(to_tsquery(c) for c in query.children) + ")"
