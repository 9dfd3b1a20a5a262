"""Councils with children's services duties, and matching the names reports give them.

A council's identity over time is its Ofsted URN. The registry holds every council that has
existed since 2013, abolished ones included (Bournemouth, Poole and Dorset County Council
until 1 April 2019, Northamptonshire until 1 April 2021, Cumbria until 1 April 2023), so old
reports keep their council. Its data is the packaged ``data/councils.json`` (built by
``tools/build_councils.py``); :func:`load_registry` reads it on first use, never at import.

Matching is on normalised names: case, curly apostrophes, possessives ("Durham’s"), "&"/"and",
"St."/"St"/"Saint", hyphens and line breaks do not matter, and council-type words ("Council",
"City of", "London Borough of", "Metropolitan Borough", "local authority", "Safeguarding
Children Board"...) are stripped. When one name has meant different councils over time
(Dorset), the date picks the one that existed then.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from ofsted_csc.domain.errors import InvalidInput, NotFound, not_one_of, one_of_error

__all__ = [
    "NOT_A_REGION_KIND",
    "OFSTED_REGIONS",
    "ONS_REGIONS",
    "REGION_KINDS",
    "Council",
    "CouncilNotFound",
    "CouncilRegistry",
    "check_region_kind",
    "load_registry",
    "normalise_name",
    "strip_council_words",
]

SCHEMA_VERSION = 1  # of data/councils.json

ONS_REGIONS: tuple[str, ...] = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)
OFSTED_REGIONS: tuple[str, ...] = (
    "East Midlands",
    "East of England",
    "London",
    "North East, Yorkshire and the Humber",
    "North West",
    "South East",
    "South West",
    "West Midlands",
)

# The two ways councils are grouped into regions: ONS's nine, Ofsted's eight.
REGION_KINDS: dict[str, tuple[str, ...]] = {"ons": ONS_REGIONS, "ofsted": OFSTED_REGIONS}


NOT_A_REGION_KIND = one_of_error("a kind of region")  # the JSON API's words, the same


def check_region_kind(by: str) -> str:
    """`by` if it names a kind of region, else InvalidInput worded once for every edge."""
    if by in REGION_KINDS:
        return by
    raise InvalidInput(f"by: {not_one_of(by, 'a kind of region', REGION_KINDS)}")


@dataclass(frozen=True, kw_only=True)
class Council:
    """An English council with children's social care duties (current or abolished)."""

    urn: str  # Ofsted URN: the council's identity over time
    la_code: str  # DfE 3-digit LA code ("old" code)
    gss_code: str  # ONS/GSS code, E06/E08/E09/E10...
    name: str  # display name: "Bristol", "Kingston upon Hull"
    ons_name: str  # as in the ONS lookup: "Bristol, City of"
    alt_names: tuple[str, ...] = ()
    trusts: tuple[str, ...] = ()  # trusts or companies that run (or ran) its services
    ons_region: str = ""  # one of ONS_REGIONS
    ofsted_region: str = ""  # one of OFSTED_REGIONS
    la_type: str = ""  # London Borough, Metropolitan District, Unitary Authority, County
    stat_neighbours: tuple[str, ...] = ()  # LA codes of its statistical neighbours, in order
    created: date | None = None  # first day it existed (None: before 2013)
    abolished: date | None = None  # first day it no longer existed
    predecessors: tuple[str, ...] = ()  # URNs of the councils it replaced
    successors: tuple[str, ...] = ()  # URNs of the councils that replaced it
    alt_urns: tuple[str, ...] = ()  # other URNs seen for it (not Ofsted's provider URN)
    former_gss_codes: tuple[str, ...] = ()  # GSS codes it had before a recode

    def exists_on(self, day: date) -> bool:
        """Whether the council existed on ``day``."""
        if self.created is not None and day < self.created:
            return False
        return self.abolished is None or day < self.abolished

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the council goes by: display name, ONS name and alternatives."""
        seen: dict[str, None] = dict.fromkeys((self.name, self.ons_name, *self.alt_names))
        return tuple(seen)

    def __str__(self) -> str:
        return self.name


class CouncilNotFound(NotFound):
    """No council (or no single council) matches what was asked for."""

    def __init__(self, query: str, suggestions: Sequence[str] = (), problem: str = "") -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        message = problem or f"No council matches {query!r}."
        if self.suggestions and not problem:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


# --- normalising names -----------------------------------------------------------------------

_APOSTROPHES = str.maketrans({c: "'" for c in "’‘ʼ`´′"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b", re.IGNORECASE)
_SAINT = re.compile(r"\b(?:st|saint)\b\.?", re.IGNORECASE)
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")


def _clean(text: str) -> str:
    """Normalise punctuation and spacing, keeping case."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = text.replace("\u00ad", "").replace("\u200b", "")  # soft hyphen, zero-width space
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    text = _POSSESSIVE.sub("", text).replace("'", "")
    text = text.replace("&", " and ")
    text = _SAINT.sub(lambda m: "St" if m.group(0)[0].isupper() else "st", text)
    text = _DASHES.sub(" ", text)
    text = _LETTER_DIGIT.sub(" ", text)  # "Board1" (a footnote marker) -> "Board 1"
    return _NON_WORD.sub(" ", text).strip()


def normalise_name(text: str) -> str:
    """Lower-case words of a name with punctuation, accents and spacing normalised.

    >>> normalise_name("St. Helens Council’s children’s  services")
    'st helens council children services'
    """
    return " ".join(w for w in _clean(text).lower().split() if not w.isdigit())


_PREFIXES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "inspection of",
        "re inspection of",
        "reinspection of",
        "focused visit to",
        "monitoring visit to",
        "children services in",
        "the",
        "london borough of",
        "royal borough of",
        "metropolitan borough of",
        "borough of",
        "city and county of",
        "city of",
        "county of",
        "council of",
        "corporation of",
        "county",
    )
)
_SUFFIX_WORDS = frozenset(
    {
        "council",
        "borough",
        "county",
        "city",
        "metropolitan",
        "district",
        "unitary",
        "authority",
        "local",
        "services",
        "service",
        "children",
        "social",
        "care",
        "safeguarding",
        "board",
        "partnership",
        "lscb",
        "lscp",
        "corporation",
        "trust",
        "mbc",
        "cc",
    }
)


def _strip_steps(words: list[str]) -> list[list[str]]:
    """The word lists left after stripping council-type words one at a time."""
    steps: list[list[str]] = []
    while True:
        if len(words) > 2 and words[-1] == "of" and words[-2] in ("city", "county"):
            # "Bristol, City of", "Herefordshire, County of"
            words = words[:-2]
        elif len(words) > 1 and words[-1] in _SUFFIX_WORDS:
            words = words[:-1]
        else:
            for prefix in _PREFIXES:
                if len(words) > len(prefix) and tuple(words[: len(prefix)]) == prefix:
                    words = words[len(prefix) :]
                    break
            else:
                return steps
        steps.append(words)


def strip_council_words(text: str) -> str:
    """A name without council-type words.

    >>> strip_council_words("the London Borough of Tower Hamlets")
    'tower hamlets'
    """
    words = normalise_name(text).split()
    steps = _strip_steps(words)
    return " ".join(steps[-1] if steps else words)


# Stripped forms too generic to stand for a council ("City of London" -> "london").
_GENERIC = frozenset({"london", "england"})

# Phrases in running text that contain a council's name but are not the council.
_NOT_COUNCILS = re.compile(
    r"\b(?:new york|bury st edmunds|sutton coldfield|sutton in ashfield|newcastle under lyme)\b"
)
_POSTCODE = re.compile(r"\s*[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
_STRONG_BEFORE = re.compile(
    r"(?:inspection of|visit to|services in|inspection in|judgement for|council of)(?: the)?\s*$",
    re.IGNORECASE,
)
_STRONG_AFTER = re.compile(
    r"^\s*(?:local authority|children services|children social care|council|city council"
    r"|county council|borough council|metropolitan|safeguarding children|children trust)\b",
    re.IGNORECASE,
)


# --- the registry ----------------------------------------------------------------------------


class CouncilRegistry:
    """Every council, current and abolished, with lookups by code, URN and name."""

    def __init__(self, councils: Iterable[Council]) -> None:
        self._councils = tuple(councils)
        self._by_urn: dict[str, Council] = {}
        self._by_code: dict[str, Council] = {}
        for council in self._councils:
            for urn in (council.urn, *council.alt_urns):
                if urn in self._by_urn:
                    raise ValueError(f"URN {urn} given to two councils")
                self._by_urn[urn] = council
            for code in (council.la_code, council.gss_code, *council.former_gss_codes):
                if code.upper() in self._by_code:
                    raise ValueError(f"code {code} given to two councils")
                self._by_code[code.upper()] = council
        self._exact: dict[str, list[Council]] = {}
        self._stripped: dict[str, list[Council]] = {}
        for council in self._councils:
            for name in (*council.names, *council.trusts):
                _add(self._exact, normalise_name(name), council)
            for name in council.names:
                stripped = strip_council_words(name)
                if stripped not in _GENERIC:
                    _add(self._stripped, stripped, council)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CouncilRegistry:
        """Build from the packaged JSON document (``{"schema_version": 1, "councils": [...]}``)."""
        version = data.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise ValueError(f"councils data has schema version {version}; {SCHEMA_VERSION} needed")
        return cls(_council_from_json(item) for item in data["councils"])

    # -- simple reads --

    def all(self) -> tuple[Council, ...]:
        """Every council, current and abolished, by name."""
        return self._councils

    def existing_on(self, day: date) -> tuple[Council, ...]:
        """The councils that existed on ``day``."""
        return tuple(c for c in self._councils if c.exists_on(day))

    def by_urn(self, urn: str) -> Council | None:
        """The council with this Ofsted URN (or a known alternative URN)."""
        return self._by_urn.get(urn.strip())

    def by_code(self, code: str) -> Council | None:
        """The council with this 3-digit DfE LA code or GSS code (current or former)."""
        return self._by_code.get(code.strip().upper())

    def neighbours_of(self, council: Council) -> tuple[Council, ...]:
        """The council's statistical neighbours, most similar first."""
        found = (self.by_code(code) for code in council.stat_neighbours)
        return tuple(c for c in found if c is not None)

    def predecessors_of(self, council: Council) -> tuple[Council, ...]:
        """The councils this one replaced (BCP: Bournemouth, Poole, Dorset County Council)."""
        return tuple(c for c in (self.by_urn(u) for u in council.predecessors) if c)

    def successors_of(self, council: Council) -> tuple[Council, ...]:
        """The councils that replaced this one (Cumbria: Cumberland, Westmorland and Furness)."""
        return tuple(c for c in (self.by_urn(u) for u in council.successors) if c)

    # -- names --

    def lookup(self, name_or_code: str, on: date | None = None) -> Council:
        """The council a user means: URN, LA code, GSS code, name or alternative name.

        Raises CouncilNotFound (a NotFound) with close suggestions when nothing matches,
        or listing the candidates when the name fits several councils.
        """
        query = name_or_code.strip()
        if re.fullmatch(r"\d+", query):
            found = self.by_code(query) if len(query) == 3 else self.by_urn(query)
            found = found or self.by_urn(query) or self.by_code(query)
            if found is None:
                raise CouncilNotFound(query, problem=f"No council has URN or LA code {query}.")
            return found
        if re.fullmatch(r"[A-Za-z]\d{8}", query):
            found = self.by_code(query)
            if found is None:
                raise CouncilNotFound(query, problem=f"No council has GSS code {query}.")
            return found
        candidates = self._candidates(query)
        if candidates:
            chosen = self._resolve(candidates, query, on)
            if chosen is not None:
                return chosen
            names = ", ".join(_describe(c) for c in _dedupe(candidates))
            raise CouncilNotFound(
                query,
                [c.name for c in candidates],
                problem=f"{query!r} matches several councils: {names}. "
                "Give a date, a URN or an LA code.",
            )
        raise CouncilNotFound(query, self.suggest(query))

    def suggest(self, text: str, limit: int = 5) -> tuple[str, ...]:
        """Council names close to ``text`` (for "did you mean")."""
        key = strip_council_words(text)
        if not key:
            return ()
        keys = list(self._exact) + list(self._stripped)
        containing = sorted(k for k in keys if re.search(rf"\b{re.escape(key)}", k))
        close = difflib.get_close_matches(key, keys, n=limit * 2, cutoff=0.6)
        names: dict[str, None] = {}
        for k in (*containing, *close):
            for council in self._exact.get(k, []) + self._stripped.get(k, []):
                names[council.name] = None
        return tuple(names)[:limit]

    def match_name(self, text: str, on: date | None = None) -> Council | None:
        """The council named by ``text``, a council name as written in a report heading.

        "Stockton-on-Tees Borough Council", "the Royal Borough of Windsor and Maidenhead",
        "Surrey Safeguarding Children Board", "Bradford Children and Families Trust". ``on``
        (the inspection or publication date) picks between councils that had the same name
        at different times and prefers councils that existed that day. None when no council,
        or more than one, fits.
        """
        candidates = self._candidates(text)
        return self._resolve(candidates, text, on) if candidates else None

    def _resolve(self, candidates: Sequence[Council], text: str, on: date | None) -> Council | None:
        """Choose among the councils a name fits. A name tied to a council that did not exist
        on ``on`` ("Dorset County Council" in 2020) yields to the council of the same place
        that did, if there is exactly one."""
        chosen = _choose(candidates, on)
        if on is None or (chosen is not None and chosen.exists_on(on)):
            return chosen
        place = self._stripped.get(strip_council_words(text), [])
        existing = [c for c in _dedupe(place) if c.exists_on(on)]
        if len(existing) == 1:
            return existing[0]
        return chosen

    def _candidates(self, text: str) -> list[Council]:
        words = normalise_name(text).split()
        if not words:
            return []
        for step in (words, *_strip_steps(words)):
            key = " ".join(step)
            if key in self._exact:
                return self._exact[key]
        stripped = " ".join((_strip_steps(words) or [words])[-1])
        return self._stripped.get(stripped, []) or self._exact.get(stripped, [])

    def find_in_text(self, text: str, on: date | None = None) -> Council | None:
        """The council named in a longer passage.

        "Children’s services in Sandwell are inadequate", "Inspection of Torbay local
        authority children’s services", or the first page of a report or letter. Names are
        matched whole (longest first, on word boundaries: "Bedford" is not found in "Central
        Bedfordshire", nor "York" in "North Yorkshire" or "New York"). When several councils
        are named, mentions in a heading-like context ("Inspection of X", "visit to X",
        "X local authority", "X Council") count most and mentions in postal addresses least
        (an Ofsted letterhead names Manchester); ties go to the earliest mention.
        """
        cleaned = " ".join(_clean(text).split())
        if not cleaned:
            return None
        lower = cleaned.lower()
        has_case = cleaned != lower
        blocked = [m.span() for m in _NOT_COUNCILS.finditer(lower)]
        scores: dict[str, float] = {}
        first_seen: dict[str, int] = {}
        by_urn: dict[str, Council] = {}
        for match in self._text_pattern.finditer(lower):
            start, end = match.span()
            if has_case and not cleaned[start].isupper():
                continue  # "reading the case files", "the hull of"
            if any(b_start < end and start < b_end for b_start, b_end in blocked):
                continue
            council = self._resolve(self._text_keys[match.group(0)], match.group(0), on)
            if council is None:
                continue
            weight = 1.0
            if _POSTCODE.match(cleaned, end):
                weight = 0.25
            elif _STRONG_BEFORE.search(cleaned[max(0, start - 40) : start]) or _STRONG_AFTER.match(
                cleaned[end : end + 40]
            ):
                weight = 3.0
            scores[council.urn] = scores.get(council.urn, 0.0) + weight
            first_seen.setdefault(council.urn, start)
            by_urn[council.urn] = council
        if not scores:
            return None
        best = max(scores, key=lambda urn: (scores[urn], -first_seen[urn]))
        return by_urn[best]

    @cached_property
    def _text_keys(self) -> dict[str, list[Council]]:
        keys: dict[str, list[Council]] = {}
        for index in (self._exact, self._stripped):
            for key, councils in index.items():
                if len(key) >= 3:
                    for council in councils:
                        _add(keys, key, council)
        return keys

    @cached_property
    def _text_pattern(self) -> re.Pattern[str]:
        alternatives = sorted(self._text_keys, key=lambda k: (-len(k), k))
        body = "|".join(re.escape(k) for k in alternatives)
        return re.compile(rf"(?<![0-9a-z])(?:{body})(?![0-9a-z])")


def _add(index: dict[str, list[Council]], key: str, council: Council) -> None:
    if not key:
        return
    councils = index.setdefault(key, [])
    if council not in councils:
        councils.append(council)


def _dedupe(councils: Iterable[Council]) -> list[Council]:
    return list({c.urn: c for c in councils}.values())


def _describe(council: Council) -> str:
    if council.abolished is not None:
        return f"{council.name} (URN {council.urn}, until {_day(council.abolished)})"
    if council.created is not None:
        return f"{council.name} (URN {council.urn}, from {_day(council.created)})"
    return f"{council.name} (URN {council.urn})"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _choose(candidates: Sequence[Council], on: date | None) -> Council | None:
    """One council from those a name fits, using the date; None if it stays ambiguous."""
    councils = _dedupe(candidates)
    if len(councils) == 1:
        return councils[0]
    if on is not None:
        existing = [c for c in councils if c.exists_on(on)]
        return existing[0] if len(existing) == 1 else None
    current = [c for c in councils if c.abolished is None]
    return current[0] if len(current) == 1 else None


def _date_or_none(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(item) for item in value)


def _council_from_json(item: Mapping[str, Any]) -> Council:
    return Council(
        urn=str(item["urn"]),
        la_code=str(item["la_code"]),
        gss_code=str(item["gss_code"]),
        name=str(item["name"]),
        ons_name=str(item["ons_name"]),
        alt_names=_strings(item.get("alt_names")),
        trusts=_strings(item.get("trusts")),
        ons_region=str(item.get("ons_region", "")),
        ofsted_region=str(item.get("ofsted_region", "")),
        la_type=str(item.get("la_type", "")),
        stat_neighbours=_strings(item.get("stat_neighbours")),
        created=_date_or_none(item.get("created")),
        abolished=_date_or_none(item.get("abolished")),
        predecessors=_strings(item.get("predecessors")),
        successors=_strings(item.get("successors")),
        alt_urns=_strings(item.get("alt_urns")),
        former_gss_codes=_strings(item.get("former_gss_codes")),
    )


@lru_cache(maxsize=1)
def load_registry() -> CouncilRegistry:
    """The registry of all councils, read from the packaged JSON on first call."""
    text = resources.files("ofsted_csc").joinpath("data", "councils.json").read_text("utf-8")
    return CouncilRegistry.from_json(json.loads(text))
