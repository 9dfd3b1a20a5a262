"""The small trained model that weighs the rules' matches against the words of the item.

The rules (themes.json) find the phrases of each theme; they cannot tell an item that asks for
better plans from one that names plans in passing. The model can, a little: for each theme a
logistic regression over the item's words and word pairs (TF-IDF, as scikit-learn computes it)
and over which themes the rules matched, trained on the labelled items of the tune part
(tests/themes/labels.tsv) by `tools/train_themes.py`. Its weights are data
(themes/data/model.json, made for one taxonomy version); here it is only applied, in plain
Python, so scikit-learn is needed to train it and never to run it.

A theme is given when the model's probability reaches the file's threshold. Its reasons are the
rules' phrases when the rules matched it, or else the words of the item that weighed most for it.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

MODEL_FILE = "model.json"
# scikit-learn's default token pattern: runs of two or more word characters
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# words that say nothing of a theme when shown alone as a reason (they still weigh in the model)
# fmt: off
_SMALL_WORDS = frozenset({
    "a", "about", "all", "an", "and", "any", "are", "as", "at", "be", "been", "by", "can", "do",
    "for", "from", "has", "have", "in", "into", "is", "it", "its", "of", "on", "or", "so",
    "such", "than", "that", "the", "their", "them", "there", "these", "they", "this", "those",
    "to", "was", "were", "what", "when", "where", "which", "while", "who", "whom", "whose",
    "will", "with", "within", "would",
})
# fmt: on


class ModelMismatch(ValueError):
    """The model file was made for another taxonomy or does not fit its own vocabulary."""


def ngrams(text: str, low: int = 1, high: int = 2) -> list[str]:
    """The item's words and word pairs as the model was trained on them: lower case, tokens of
    two or more word characters, n-grams joined by one space (scikit-learn's analyser)."""
    tokens = _TOKEN.findall(text.lower())
    out: list[str] = []
    for n in range(low, high + 1):
        out += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return out


@dataclass(frozen=True)
class Scored:
    """One theme's probability for one item, with the terms that weighed most for it."""

    theme: str
    probability: float
    terms: tuple[str, ...]


class Model:
    """The weights of model.json, ready to score items. `themes` is the model's theme order
    (the taxonomy's); `rule_columns` the themes whose rule matches are features. Plain Python
    (arrays of doubles, one per term): an item has a few dozen terms, and the ingest and web
    processes need not load numpy for them."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.taxonomy_version = str(data["taxonomy_version"])
        self.threshold = float(data["threshold"])
        self.ngram_range = (int(data["ngram_range"][0]), int(data["ngram_range"][1]))
        self.themes: tuple[str, ...] = tuple(data["themes"])
        self.rule_columns: tuple[str, ...] = tuple(data["rule_columns"])
        vocabulary: list[str] = list(data["vocabulary"])
        self.index = {term: i for i, term in enumerate(vocabulary)}
        self.terms = vocabulary
        self.idf = array("d", data["idf"])
        words = data["word_weights"]  # themes x vocabulary
        rules = data["rule_weights"]  # themes x rule columns
        self.intercepts = array("d", data["intercepts"])
        self.rule_weight = float(data.get("rule_feature_value", 1.0))
        n_themes, n_terms = len(self.themes), len(vocabulary)
        if len(self.index) != n_terms or len(self.idf) != n_terms:
            raise ModelMismatch("the model's vocabulary and idf do not match")
        if len(words) != n_themes or any(len(row) != n_terms for row in words):
            raise ModelMismatch("the model's word weights do not match its vocabulary")
        if len(rules) != n_themes or any(len(row) != len(self.rule_columns) for row in rules):
            raise ModelMismatch("the model's rule weights do not match its rule columns")
        if len(self.intercepts) != n_themes:
            raise ModelMismatch("the model has not one intercept per theme")
        # by term (and by rule column): the themes' weights of one term in one array
        self.by_term = [array("d", (row[i] for row in words)) for i in range(n_terms)]
        self.by_rule = [
            array("d", (row[j] for row in rules)) for j in range(len(self.rule_columns))
        ]
        self._rule_at = {t: i for i, t in enumerate(self.rule_columns)}
        # terms shown as reasons: not those of small words alone ("and with", "of the")
        self.telling = [any(w not in _SMALL_WORDS for w in t.split()) for t in vocabulary]

    def features(self, text: str) -> tuple[list[int], list[float]]:
        """The item's TF-IDF features: the indices of its known terms and their values
        (sublinear term frequency times idf, scaled to unit length)."""
        counts: dict[int, int] = {}
        for term in ngrams(text, *self.ngram_range):
            i = self.index.get(term)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        idx = list(counts)
        values = [(1.0 + math.log(c)) * self.idf[i] for i, c in counts.items()]
        norm = math.sqrt(sum(v * v for v in values))
        return idx, ([v / norm for v in values] if norm else values)

    def _logits(
        self, idx: list[int], values: list[float], rule_themes: set[str] | frozenset[str]
    ) -> list[float]:
        logits = list(self.intercepts)
        n = len(logits)
        for i, v in zip(idx, values, strict=True):
            w = self.by_term[i]
            for k in range(n):
                logits[k] += w[k] * v
        for theme in rule_themes:
            at = self._rule_at.get(theme)
            if at is not None:
                col = self.by_rule[at]
                for k in range(n):
                    logits[k] += col[k] * self.rule_weight
        return logits

    def score(self, text: str, rule_themes: set[str] | frozenset[str]) -> list[Scored]:
        """The themes whose probability reaches the threshold, given the themes the item's
        rules matched; each with the item's terms that weighed most for it when the rules did
        not match it (otherwise the rules' phrases are its reasons)."""
        idx, values = self.features(text)
        out = []
        for k, logit in enumerate(self._logits(idx, values, rule_themes)):
            probability = _sigmoid(logit)
            if probability < self.threshold:
                continue
            theme = self.themes[k]
            terms: tuple[str, ...] = ()
            if theme not in rule_themes:
                weighed = sorted(
                    ((self.by_term[i][k] * v, i) for i, v in zip(idx, values, strict=True)),
                    reverse=True,
                )
                terms = tuple(self.terms[i] for c, i in weighed if c > 0 and self.telling[i])[:3]
            out.append(Scored(theme, probability, terms))
        return out

    def probabilities(self, text: str, rule_themes: set[str] | frozenset[str]) -> dict[str, float]:
        """Every theme's probability for the item (for benchmarks and tests)."""
        idx, values = self.features(text)
        logits = self._logits(idx, values, rule_themes)
        return {t: _sigmoid(x) for t, x in zip(self.themes, logits, strict=True)}


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def model_from_json(data: dict[str, Any]) -> Model:
    return Model(data)


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The packaged model, or None when the package has none."""
    path = resources.files("ofsted_csc").joinpath("themes", "data", MODEL_FILE)
    if not path.is_file():
        return None
    return Model(json.loads(path.read_text("utf-8")))
