"""The small trained model that weighs the rules' matches against the words of the item.

The rules (themes.json) find the phrases of each theme; they cannot tell an item that asks for
better plans from one that names plans in passing. The model can, a little: for each theme a
logistic regression over the item's words and word pairs (TF-IDF, as scikit-learn computes it)
and over which themes the rules matched, trained on the labelled items of the tune part
(tests/themes/labels.tsv) by `tools/train_themes.py`. Its weights are data
(themes/data/model.json, made for one taxonomy version); here it is only applied, with numpy,
so scikit-learn is needed to train it and never to run it.

A theme is given when the model's probability reaches the file's threshold. Its reasons are the
rules' phrases when the rules matched it, or else the words of the item that weighed most for it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

MODEL_FILE = "model.json"
# scikit-learn's default token pattern: runs of two or more word characters
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


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
    (the taxonomy's); `rule_columns` the themes whose rule matches are features."""

    def __init__(self, data: dict[str, Any]) -> None:
        import numpy as np

        self.taxonomy_version = str(data["taxonomy_version"])
        self.threshold = float(data["threshold"])
        self.ngram_range = (int(data["ngram_range"][0]), int(data["ngram_range"][1]))
        self.themes: tuple[str, ...] = tuple(data["themes"])
        self.rule_columns: tuple[str, ...] = tuple(data["rule_columns"])
        vocabulary: list[str] = list(data["vocabulary"])
        self.index = {term: i for i, term in enumerate(vocabulary)}
        self.terms = vocabulary
        self.idf = np.asarray(data["idf"], dtype=np.float64)
        self.words = np.asarray(data["word_weights"], dtype=np.float64)  # themes x vocabulary
        self.rules = np.asarray(data["rule_weights"], dtype=np.float64)  # themes x rule columns
        self.intercepts = np.asarray(data["intercepts"], dtype=np.float64)
        self.rule_weight = float(data.get("rule_feature_value", 1.0))
        if len(self.index) != len(vocabulary) or self.idf.shape != (len(vocabulary),):
            raise ModelMismatch("the model's vocabulary and idf do not match")
        if self.words.shape != (len(self.themes), len(vocabulary)):
            raise ModelMismatch("the model's word weights do not match its vocabulary")
        if self.rules.shape != (len(self.themes), len(self.rule_columns)):
            raise ModelMismatch("the model's rule weights do not match its rule columns")
        self._rule_at = {t: i for i, t in enumerate(self.rule_columns)}

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The item's TF-IDF features: the indices of its known terms and their values
        (sublinear term frequency times idf, scaled to unit length)."""
        import numpy as np

        counts: dict[int, int] = {}
        for term in ngrams(text, *self.ngram_range):
            i = self.index.get(term)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64)
        values = tf * self.idf[idx]
        norm = float(np.sqrt((values * values).sum()))
        return idx, (values / norm if norm else values)

    def score(self, text: str, rule_themes: set[str] | frozenset[str]) -> list[Scored]:
        """The themes whose probability reaches the threshold, given the themes the item's
        rules matched; each with the item's terms that weighed most for it when the rules did
        not match it (otherwise the rules' phrases are its reasons)."""
        import numpy as np

        idx, values = self.features(text)
        contributions = self.words[:, idx] * values  # themes x the item's terms
        logits = self.intercepts + contributions.sum(axis=1)
        for theme in rule_themes:
            at = self._rule_at.get(theme)
            if at is not None:
                logits = logits + self.rules[:, at] * self.rule_weight
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        out = []
        for k in np.flatnonzero(probabilities >= self.threshold):
            theme = self.themes[k]
            terms: tuple[str, ...] = ()
            if theme not in rule_themes and len(idx):
                order = np.argsort(-contributions[k])[:3]
                terms = tuple(self.terms[idx[j]] for j in order if contributions[k, j] > 0)
            out.append(Scored(theme, float(probabilities[k]), terms))
        return out

    def probabilities(self, text: str, rule_themes: set[str] | frozenset[str]) -> dict[str, float]:
        """Every theme's probability for the item (for benchmarks and tests)."""
        import numpy as np

        idx, values = self.features(text)
        logits = self.intercepts + (self.words[:, idx] * values).sum(axis=1)
        for theme in rule_themes:
            at = self._rule_at.get(theme)
            if at is not None:
                logits = logits + self.rules[:, at] * self.rule_weight
        return dict(zip(self.themes, (1.0 / (1.0 + np.exp(-logits))).tolist(), strict=True))


def model_from_json(data: dict[str, Any]) -> Model:
    return Model(data)


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The packaged model, or None when the package has none."""
    path = resources.files("ofsted_csc").joinpath("themes", "data", MODEL_FILE)
    if not path.is_file():
        return None
    return Model(json.loads(path.read_text("utf-8")))
