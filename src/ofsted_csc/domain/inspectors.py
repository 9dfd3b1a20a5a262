"""Lead inspectors: one person under one name, however reports and letters write it.

A report or letter names its lead inspector as it pleases: with a title ("Jane Smith HMI",
"Her Majesty's Inspector"), a short form of the given name one time and the long form the
next ("Matt Reed", "Matthew Reed"), a middle initial or none, an accent or none; and now and
then two leads in one cell ("Jane Smith and John Brown", "Jane Smith / John Brown",
"Jane Smith HMI, John Brown HMI").

`merge_names` takes every name the store holds and gives an `Inspectors`: each written form
with the one name the person goes by. Two forms are merged only when their surnames are the
same and their given names are the same (letter case, accents and middle initials aside) or
one is a known short form of the other (`SHORT_FORMS`): "Dawn Godfrey" and "Teresa Godfrey"
stay two people. A short form that could stand for two long forms both present under the
surname ("Chris" with "Christopher" and "Christine") is left alone.

The words shown beside lists by inspector (`INSPECTORS_NOTE`) are here too: lists, never
rankings, and why.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Known short forms of given names, with the long forms each may stand for (lower case).
SHORT_FORMS: Mapping[str, tuple[str, ...]] = {
    "alex": ("alexander", "alexandra"),
    "ali": ("alison", "alistair"),
    "andy": ("andrew",),
    "becky": ("rebecca",),
    "ben": ("benjamin",),
    "bob": ("robert",),
    "cath": ("catherine", "cathryn"),
    "cathy": ("catherine", "cathryn"),
    "chris": ("christopher", "christine", "christina"),
    "dan": ("daniel",),
    "danny": ("daniel",),
    "dave": ("david",),
    "deb": ("deborah", "debra"),
    "debbie": ("deborah", "debra"),
    "ed": ("edward",),
    "fran": ("frances", "francesca"),
    "jan": ("janet", "janice"),
    "jenny": ("jennifer",),
    "jen": ("jennifer",),
    "jim": ("james",),
    "jo": ("joanne", "joanna", "josephine"),
    "kate": ("katherine", "kathryn", "catherine"),
    "kath": ("kathryn", "katherine", "kathleen"),
    "kathy": ("kathryn", "katherine", "kathleen"),
    "liz": ("elizabeth",),
    "mandy": ("amanda",),
    "matt": ("matthew",),
    "mike": ("michael",),
    "nick": ("nicholas",),
    "nicky": ("nicola", "nicholas"),
    "nicki": ("nicola",),
    "nikki": ("nicola",),
    "pat": ("patricia", "patrick"),
    "pete": ("peter",),
    "phil": ("philip", "phillip"),
    "rob": ("robert",),
    "sam": ("samuel", "samantha"),
    "sandy": ("sandra",),
    "steph": ("stephanie",),
    "steve": ("stephen", "steven"),
    "sue": ("susan", "suzanne"),
    "tom": ("thomas",),
    "tony": ("anthony",),
    "vicky": ("victoria",),
    "vicki": ("victoria",),
    "will": ("william",),
}

# Titles and roles written with a name, taken off before names are compared.
_MAJESTY = r"(?:Her|His) Majesty(?:['’]s|s)?"
_TITLE = re.compile(
    r"\(\s*[^)]*\)"  # "(lead)", "(HMI)", "(Ofsted Inspector)"
    rf"|\b(?:Senior |Regional |Lead )?{_MAJESTY} Inspectors?(?: of Social Care)?\b"
    r"|\bOfsted Inspectors?\b|\bSocial Care Regulatory Inspectors?\b"
    r"|\bLead inspector\b|\b(?:Senior |Regional )?HMIs?\b|\bOI\b"
    r"|^(?:Mrs|Mr|Ms|Miss|Dr)\b\.?",
    re.IGNORECASE,
)
# Two leads in one cell: "A and B", "A & B", "A / B", "A; B", "A, B".
_JOIN = re.compile(r"\s*(?:;|/|,|&|\band\b)\s*", re.IGNORECASE)

INSPECTORS_NOTE = (
    "These are lists, not league tables: they say which inspections and visits each lead "
    "inspector led, and nothing here ranks inspectors by outcomes. An inspector's outcomes "
    "reflect the councils Ofsted sent them to, not their own judgement, and Ofsted moderates "
    "its judgements before a report is published."
)
MERGE_NOTE = (
    "Names are merged when the surname is the same and the given name is the same or a known "
    "short form of it (Matt and Matthew); titles such as HMI are left off. A cell naming two "
    "leads counts for each."
)


def strip_titles(name: str) -> str:
    """A name without titles and roles: "Mrs Jane Smith HMI" gives "Jane Smith"."""
    text = " ".join(name.replace("’", "'").split())
    previous = None
    while previous != text:
        previous = text
        text = " ".join(_TITLE.sub(" ", text).split()).strip(" .,;:-")
    return text


def split_leads(cell: str | None) -> list[str]:
    """The people a lead-inspector cell names, titles left off, in order, each once."""
    if not cell:
        return []
    out: list[str] = []
    for part in _JOIN.split(cell):
        name = strip_titles(part)
        if len(name.split()) >= 2 and name not in out:
            out.append(name)
    return out


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def _key(name: str) -> tuple[str, str]:
    """(given name, surname), folded; middle initials dropped."""
    words = [w.strip(".") for w in _fold(name).split()]
    middle = [w for w in words[1:-1] if len(w) > 1]
    return words[0], " ".join([*middle, *words[1:][-1:]])


def _related(short: str, long: str) -> bool:
    return long in SHORT_FORMS.get(short, ())


@dataclass(frozen=True)
class Inspectors:
    """Every lead inspector's written forms, each with the one name the person goes by."""

    names: Mapping[str, str]  # a name as written (titles left off) -> the merged name
    forms: Mapping[str, tuple[str, ...]]  # the merged name -> its written forms

    def leads(self, cell: str | None) -> tuple[str, ...]:
        """The merged names of the people a cell names, in order."""
        out: list[str] = []
        for name in split_leads(cell):
            merged = self.names.get(name, name)
            if merged not in out:
                out.append(merged)
        return tuple(out)

    def find(self, name: str) -> str | None:
        """The merged name of a person given any written form (case and titles aside)."""
        wanted = _key(strip_titles(name)) if len(strip_titles(name).split()) >= 2 else None
        for written, merged in self.names.items():
            if _key(written) == wanted or _fold(merged) == _fold(name.strip()):
                return merged
        return None

    @property
    def merged(self) -> dict[str, tuple[str, ...]]:
        """The people written more than one way: merged name -> its forms."""
        return {m: f for m, f in self.forms.items() if len(f) > 1}


def merge_names(cells: Iterable[str | None]) -> Inspectors:
    """Every person the cells name, merged across the forms of their name (module doc)."""
    written: Counter[str] = Counter()
    for cell in cells:
        written.update(split_leads(cell))
    by_key: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for name, n in written.items():
        by_key[_key(name)][name] += n
    by_surname: dict[str, set[str]] = defaultdict(set)
    for given, surname in by_key:
        by_surname[surname].add(given)
    target: dict[tuple[str, str], tuple[str, str]] = {}
    for surname, givens in by_surname.items():
        for given in givens:
            longs = [g for g in givens if _related(given, g)]
            target[(given, surname)] = (longs[0], surname) if len(longs) == 1 else (given, surname)
    shown: dict[tuple[str, str], str] = {}
    for key, counts in by_key.items():
        # the form written most often; then the longest (a middle initial, an accent)
        shown[key] = max(counts, key=lambda w: (counts[w], len(w), w))
    names = {name: shown[target[_key(name)]] for name in written}
    forms: dict[str, list[str]] = defaultdict(list)
    for name in sorted(written):
        forms[names[name]].append(name)
    return Inspectors(names, {m: tuple(f) for m, f in sorted(forms.items())})
