"""Rule-based classification of a recommendation or letter item into themes.

For each theme: blank out its `mask` phrases (words that mean something else there, such as
"health assessments" for the assessments theme), then look for any of its patterns, or for
every pattern of one of its `all` groups. A `fallback` pattern counts only when none of the
themes it names matched (a general "care leavers" goes to pathway and support only when no
more specific care leavers' theme did). A theme that `yields_to` others is dropped when it
matched on one phrase only, after one of those had matched earlier in the text: the item is
about that one, and names the broad theme in passing ("return home interviews ... to inform
safety plans"). The phrases that matched are the reasons; the score
grows with the number of distinct phrases (1 phrase 0.5, 2 phrases 0.75, ...; a fallback 0.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ofsted_csc.themes.model import Model, ModelMismatch, load_model
from ofsted_csc.themes.taxonomy import Taxonomy, Theme, load_taxonomy


@dataclass(frozen=True)
class ThemeMatch:
    theme: str
    score: float
    # the phrases of the text that matched (by_rules), or else the item's words that weighed
    # most for the theme in the model, which gave it though no rule matched
    reasons: tuple[str, ...]
    by_rules: bool = True


def _whole_words(text: str, start: int, end: int) -> str:
    """The matched phrase widened to whole words, so that a stem such as "advoca" is shown
    to the user as the text's own word ("advocacy")."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return text[start:end]


_UPPER_OUTSIDE_ESCAPES = re.compile(r"(?<!\\)[A-Z]")


def _compile(pattern: str) -> re.Pattern[str]:
    """A rule's pattern, for text already in lower case (classify lowers it): without
    IGNORECASE when the pattern has no capital letter of its own (one after a backslash is an
    escape such as \\W), which makes matching two to three times faster."""
    flags = re.IGNORECASE if _UPPER_OUTSIDE_ESCAPES.search(pattern) else 0
    return re.compile(pattern, flags)


@dataclass(frozen=True)
class _Compiled:
    theme: Theme
    any: tuple[re.Pattern[str], ...]
    all: tuple[tuple[re.Pattern[str], ...], ...]
    mask: tuple[re.Pattern[str], ...]
    fallback: re.Pattern[str] | None


def _may_match(rule: _Compiled, text: str) -> bool:
    """Whether any of the rule's patterns is found in the unmasked text: masking only blanks
    phrases out, so a theme none of whose patterns is found cannot match."""
    return (
        any(p.search(text) for p in rule.any)
        or any(group[0].search(text) for group in rule.all if group)
        or (rule.fallback is not None and rule.fallback.search(text) is not None)
    )


_PACKAGED = object()  # Classifier(model=...) default: the packaged model, if made for the taxonomy


class Classifier:
    """Compiled once per taxonomy; `classify(text)` is pure. With a model (themes/model.py, the
    packaged one by default when it was trained for this taxonomy's version) the rules' matches
    and the item's words are weighed together; `model=None` gives the rules alone."""

    def __init__(self, taxonomy: Taxonomy | None = None, model: object = _PACKAGED) -> None:
        self.taxonomy = taxonomy or load_taxonomy()
        self.version = self.taxonomy.version
        if model is _PACKAGED:
            packaged = load_model()
            model = packaged if packaged and packaged.taxonomy_version == self.version else None
        if model is not None and not isinstance(model, Model):
            raise TypeError("model must be a themes.model.Model or None")
        if model is not None and model.taxonomy_version != self.version:
            raise ModelMismatch(
                f"the model was trained for taxonomy {model.taxonomy_version}, not {self.version}"
            )
        self.model: Model | None = model
        self._rules = [
            _Compiled(
                t,
                (_compile("|".join(f"(?:{p})" for p in t.rules.any)),) if t.rules.any else (),
                tuple(tuple(_compile(p) for p in group) for group in t.rules.all),
                (_compile("|".join(f"(?:{p})" for p in t.rules.mask)),) if t.rules.mask else (),
                _compile(t.rules.fallback) if t.rules.fallback else None,
            )
            for t in self.taxonomy.themes
        ]
        self._yielding = [r for r in self._rules if r.theme.rules.yields_to]
        self._order = {t.id: n for n, t in enumerate(self.taxonomy.themes)}

    def classify(self, text: str) -> list[ThemeMatch]:
        """The item's themes, best first: the rules' matches, weighed by the model when there
        is one (its probability is the score; a theme the rules did not match gives as its
        reasons the words of the item that weighed most for it)."""
        matches = self.rule_matches(text)
        if self.model is None:
            return matches
        found = {m.theme: m for m in matches}
        out = []
        for scored in self.model.score(text, frozenset(found)):
            rule = found.get(scored.theme)
            reasons = rule.reasons if rule is not None else scored.terms
            out.append(
                ThemeMatch(scored.theme, round(scored.probability, 3), reasons, rule is not None)
            )
        order = self._order
        return sorted(out, key=lambda m: (-m.score, order[m.theme]))

    def rule_matches(self, text: str) -> list[ThemeMatch]:
        """The rules' matches alone, best first (the score grows with the phrases found)."""
        clean = " ".join(text.replace("’", "'").split()).lower()
        found: dict[str, ThemeMatch] = {}
        starts: dict[str, int] = {}  # where each theme's first phrase begins
        fallbacks: list[tuple[_Compiled, str]] = []
        for rule in self._rules:
            if not _may_match(rule, clean):  # most themes: masking cannot make a match
                continue
            masked = clean
            for blank in rule.mask:
                masked = blank.sub(lambda x: " " * len(x.group(0)), masked)
            phrases: list[str] = []
            first = len(masked)
            for p in rule.any:
                for hit in p.finditer(masked):
                    phrases.append(_whole_words(masked, *hit.span()))
                    first = min(first, hit.start())
            for group in rule.all:
                hits = [p.search(masked) for p in group]
                if all(hits):
                    phrases += [_whole_words(masked, *h.span()) for h in hits if h]
                    first = min(first, *(h.start() for h in hits if h))
            distinct = tuple(dict.fromkeys(p.strip().lower() for p in phrases if p.strip()))
            if distinct:
                found[rule.theme.id] = ThemeMatch(
                    rule.theme.id, round(1 - 0.5 ** len(distinct), 3), distinct
                )
                starts[rule.theme.id] = first
            elif rule.fallback is not None:
                fell = rule.fallback.search(masked)
                if fell:
                    fallbacks.append((rule, _whole_words(masked, *fell.span()).lower()))
        for rule, phrase in fallbacks:
            if not any(t in found for t in rule.theme.rules.fallback_unless):
                found[rule.theme.id] = ThemeMatch(rule.theme.id, 0.4, (phrase,))
        for rule in self._yielding:
            match = found.get(rule.theme.id)
            if match is None or len(match.reasons) != 1 or rule.theme.id not in starts:
                continue
            at = starts[rule.theme.id]
            if any(starts.get(t, at) < at for t in rule.theme.rules.yields_to):
                del found[rule.theme.id]
        order = self._order
        return sorted(found.values(), key=lambda m: (-m.score, order[m.theme]))


@lru_cache(maxsize=1)
def _default() -> Classifier:
    return Classifier()


_current: Classifier | None = None


def current_classifier() -> Classifier:
    """The classifier of the packaged taxonomy as `load_taxonomy` gives it now, compiled once
    per taxonomy: what stored themes are computed by, and compared with (its `version`)."""
    global _current
    taxonomy = load_taxonomy()
    found = _current
    if found is None or found.taxonomy is not taxonomy:
        found = _current = Classifier(taxonomy)
    return found


def classify(text: str) -> list[ThemeMatch]:
    """The themes of one recommendation or letter item, best first."""
    return _default().classify(text)
