"""Ofsted's evaluative wording: how a sentence of a report's or a letter's findings is sorted
into a strength, something still to improve, both ("mixed"), or neither (description).

The words are Ofsted's own: reports say what works with "effective", "strong", "timely",
"well", "good", "consistently" ..., and what does not with "not always", "too", "inconsistent",
"does not", "variable", "delay", "weak", "need to" .... A sentence is read as follows:

1. Its weaknesses are found first: negated praise ("not always timely", "not yet effective",
   "insufficiently robust") counts as a weakness, and the words it takes are not read again.
2. Then its strengths, in what is left.
3. Both: "mixed" ("Most assessments are thorough, but a minority lack analysis"). One of
   them: that one. Neither: "neutral" (description, numbers, context), left out of briefs.

This is wording, not judgement: a brief says the sentences are sorted by their words and
quotes them with their pages, so a reader can check. Accuracy on hand-labelled sentences from
reports and letters of every framework is measured by tests/reports/test_findings_words.py.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Leaning(StrEnum):
    STRENGTH = "strength"
    TO_IMPROVE = "to_improve"
    MIXED = "mixed"
    NEUTRAL = "neutral"


# Weaknesses. A negation takes the words after it (up to three) so that the praise it
# negates ("not always timely") is not read as a strength.
_NEGATED = (
    r"\b(?:do|does|did|are|is|was|were|has|have|had|can|could|will|would)\s*(?:not|n't)"
    r"(?:\s+(?:yet|always|consistently|routinely|sufficiently|fully|all|been|be|as|so|well"
    r"|enough|clearly|effectively|ensure|given|being|have|had))*(?:\s+[\w'-]+){0,2}",
    r"\bnot\s+(?:yet|always|consistently|routinely|sufficiently|fully|all|enough|as|well|so"
    r"|clearly|effectively|timely|good|robust|strong|thorough|been|be|being|have|had|ensured?)"
    r"(?:\s+[\w'-]+){0,2}",
    r"\bnot\b(?:\s+[\w'-]+){0,2}",
    r"\b(?:insufficient(?:ly)?|inadequate(?:ly)?|ineffective(?:ly)?|inconsistent(?:ly)?"
    r"|inconsistency|inconsistencies|unclear|unable|unsuitable|unnecessar(?:y|ily)"
    r"|insufficient|inappropriate(?:ly)?|inaccurate|incomplete|unassessed|unmet)\b"
    r"(?:\s+[\w'-]+){0,2}",
    r"\b(?:lack|lacks|lacking|lacked)\b(?:\s+(?:of|any|the|a|sufficient))*(?:\s+[\w'-]+){0,2}",
    r"\btoo\s+(?:many|much|long|few|little|slow|late|often|early|variable|narrow|soon)\b",
    r"\btoo\b",
    r"\b(?:variable|variability|variation in|vary|varies|mixed)\b",
    r"\b(?:delay|delays|delayed|drift|backlogs?|slow|slower|slowly|late)\b",
    r"\b(?:weak|weaker|weakest|weakness|weaknesses|poor|poorer|poorly|limited|shortfalls?"
    r"|deficits?|deficienc(?:y|ies)|deteriorat\w*|declin\w*|gaps?|failed|fails?|failure)\b",
    r"\b(?:needs?|required?|requires) to (?:\w+)\b|\bneeds? (?:further|more|greater|to be)\b"
    r"|\brequires? (?:improvement|further|more)\b|\bshould\b",
    r"\b(?:fewer|less|lower) than\b|\bonly (?:a|some|recently|just)\b|\bhowever\b"
    r"|\bremains? (?:a|an)? ?(?:concern|challenge|high|low)\b|\bnot all\b|\bnone\b"
    r"|\b(?:minority|small number|some children|some young people|some care leavers)\b"
    r"|\bfurther (?:work|improvement|development)\b|\bstill\b|\byet to\b|\bat risk\b"
    r"|\bcompliance\b|\bsuperficial\b|\bovert?\s*optimistic\b|\bdrift\b|\blittle\b"
    r"|\bunder-used\b|\bmore to do\b|\bwork to do\b|\bhigh caseloads?\b|\bcaseloads are high\b"
    r"|\baspirational as yet\b|\bfrustrat\w*\b|\bprematurely\b|\bbelow the (?:national|england)"
    r" average\b",
)
# Strengths.
_PRAISE = (
    r"\b(?:effective|effectively|strong|stronger|strength|strengths|strongly|timely|well"
    r"|good|better|improved|improving|improvement|consistent|consistently|robust|robustly"
    r"|thorough|thoroughly|high[- ]quality|skilled|skilful|positive|positively|appropriate"
    r"|appropriately|swift|swiftly|prompt|promptly|comprehensive|detailed|clear|clearly"
    r"|helpful|successful|successfully|valued|value|benefit|benefits|benefited|proactive"
    r"|responsive|sensitive|sensitively|creative|creatively|meaningful|impressive|excellent"
    r"|outstanding|exceptional|exceptionally|committed|commitment|ambitious|aspirational"
    r"|mature|embedded|established|secure|securely|stable|stability|safe|safer|supportive"
    r"|trusting|enduring|purposeful|insightful|child-centred|focused|effectiveness"
    r"|understand|understands|understood|knowledgeable|confident|quickly|rigorous"
    r"|rigorously|tenacious|tenaciously|carefully|careful|proportionate|thoughtful"
    r"|thoughtfully|enhanced|strengthened|progress|achieve|achieving|ensure|ensures|ensured"
    r"|helps|helping|supports|supported|wide range|range of|most|majority|many|able to"
    r"|promoted|encouraged|fully|strengthening|help|provide|provides|provided|responded"
    r"|access to|available|efforts|focus|above the (?:national|england) average|all children"
    r"|almost all|regular|regularly)\b",
)
# Words that turn a clause against what came before.
_CONTRAST = r"\b(?:but|however|although|though|while|whilst|despite|yet|except)\b"

_NEG_RX = [re.compile(p, re.IGNORECASE) for p in _NEGATED]
_POS_RX = [re.compile(p, re.IGNORECASE) for p in _PRAISE]
_CONTRAST_RX = re.compile(_CONTRAST, re.IGNORECASE)
# "However, ..." opening a sentence turns against the sentence before, not within it.
_OPENING_CONTRAST = re.compile(r"^(?:however|despite this|nevertheless),", re.IGNORECASE)


def _masked(text: str) -> tuple[str, int]:
    """The text with its weaknesses blanked out, and how many there were."""
    hits = 0
    chars = list(text)
    for rx in _NEG_RX:
        for m in rx.finditer("".join(chars)):
            if not m.group(0).strip():
                continue
            hits += 1
            chars[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(chars), hits


def leaning(sentence: str) -> Leaning:
    """Whether a sentence, by Ofsted's wording, reports a strength, something still to
    improve, both, or neither (see the module's notes)."""
    rest, weak = _masked(sentence)
    strong = sum(len(rx.findall(rest)) for rx in _POS_RX)
    if weak and strong:
        # both: a sentence that opens by turning against the one before ("However, ...")
        # says what is still to improve; "mixed" where a clause turns against another
        # ("..., but ...", "Although ..., ..."); else the more frequent wins, a tie going to
        # what is still to improve
        if _OPENING_CONTRAST.match(sentence):
            return Leaning.TO_IMPROVE
        if _CONTRAST_RX.search(sentence[1:]):
            return Leaning.MIXED
        return Leaning.STRENGTH if strong > weak else Leaning.TO_IMPROVE
    if weak:
        return Leaning.TO_IMPROVE
    if strong:
        return Leaning.STRENGTH
    return Leaning.NEUTRAL


# Sentence ends: a full stop (not of an abbreviation or a number), question or exclamation
# mark, before a space and a capital, a digit or an opening quote or bracket.
_ABBREVIATIONS = re.compile(r"(?:\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|No|vs|cf|approx)|\b[A-Z])\.$")
_END = re.compile(r"[.!?][)'’\"”]?(?=\s+[(\"'‘“]?[A-Z0-9])")
_TAG = re.compile(r"\s*\((?:Recommendation|Outcome [^)]*|Enabler [^)]*|[^)]*National Framework)\)$")


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of a paragraph as (start, end) offsets, surrounding spaces excluded."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if _ABBREVIATIONS.search(text[start:end]):
            continue
        out.append((start, end))
        start = end
    out.append((start, len(text)))
    spans = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def without_tag(sentence: str) -> str:
    """A sentence without a closing tag ("(Recommendation)", National Framework tags)."""
    return _TAG.sub("", sentence)
