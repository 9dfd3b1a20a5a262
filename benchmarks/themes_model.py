"""Benchmark: does a small trained model add anything to the theme rules? Cross-validation on the
tune split only (the test split is never read here), five folds grouped by document.

    pip install --target /tmp/sk scikit-learn
    PYTHONPATH=src:/tmp/sk python benchmarks/themes_model.py

scikit-learn is not a dependency of the package. This script measured the first choice, rules
alone, on 594 tune items (December 2026, session 5); with 3,627 tune items the model added to the
rules did better on held-out items and is now packaged (tools/train_themes.py trains it). Methods, each per theme with TF-IDF word 1-2 grams and a
class-balanced logistic regression: the model alone; rules or model (the model adds a theme at
p >= t); rules kept only where the model gives p >= lo, plus the model's own at p >= t; and a
stacked model with the rules' themes as extra features. The rules were written on the whole tune
split, so their own figure here is optimistic; the model's are on held-out folds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from ofsted_csc.themes import Classifier
from ofsted_csc.themes.evaluation import (
    exact_share,
    gold_themes,
    macro_f1,
    micro,
    read_labels,
    scores,
)

LABELS = Path(__file__).resolve().parents[1] / "tests" / "themes" / "labels.tsv"


def main() -> None:
    rows = [r for r in read_labels(LABELS) if r["split"] == "tune"]
    clf = Classifier()
    themes = [t.id for t in clf.taxonomy.themes]
    texts = [r["text"] for r in rows]
    gold = [gold_themes(r) for r in rows]
    groups = [r["id"].split(":")[0] for r in rows]
    rules = [{m.theme for m in clf.classify(t)} for t in texts]
    y = np.array([[t in g for t in themes] for g in gold])
    flags = np.array([[t in r for t in themes] for r in rules], dtype=float)

    def report(name: str, predicted: list[set[str]]) -> None:
        theme_scores = scores(gold, predicted, themes)
        macro, counted = macro_f1(theme_scores)
        total = micro(theme_scores)
        print(
            f"{name:<48} macro-F1 {macro:.3f} ({counted})  micro P {total.precision:.2f} "
            f"R {total.recall:.2f} F1 {total.f1:.3f}  exact {exact_share(gold, predicted):.2f}"
        )

    def cross_validated(c: float, stacked: bool) -> np.ndarray:
        probs = np.zeros(y.shape)
        for train, held in GroupKFold(n_splits=5).split(texts, groups=groups):
            vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            x_train = vec.fit_transform([texts[i] for i in train])
            x_held = vec.transform([texts[i] for i in held])
            if stacked:
                x_train = hstack([x_train, csr_matrix(flags[train] * 3)]).tocsr()
                x_held = hstack([x_held, csr_matrix(flags[held] * 3)]).tocsr()
            for j in range(len(themes)):
                target = y[train, j]
                if target.sum() < 2 or target.all():
                    probs[held, j] = flags[held, j] if stacked else 0.0
                    continue
                model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
                probs[held, j] = model.fit(x_train, target).predict_proba(x_held)[:, 1]
        return probs

    def above(probs: np.ndarray, i: int, t: float) -> set[str]:
        return {themes[j] for j in range(len(themes)) if probs[i, j] >= t}

    report("rules alone (written on all of tune)", rules)
    for c in (4.0, 16.0):
        probs = cross_validated(c, stacked=False)
        for t in (0.5, 0.7, 0.85):
            model = [above(probs, i, t) for i in range(len(rows))]
            report(f"C={c:g} model alone p>={t}", model)
            report(
                f"C={c:g} rules or model p>={t}", [r | m for r, m in zip(rules, model, strict=True)]
            )
        for lo in (0.05, 0.1):
            for t in (0.7, 0.95):
                kept = [
                    {th for th in r if probs[i, themes.index(th)] >= lo} | above(probs, i, t)
                    for i, r in enumerate(rules)
                ]
                report(f"C={c:g} rules kept at p>={lo}, added at p>={t}", kept)
        stacked = cross_validated(c, stacked=True)
        for t in (0.5, 0.7):
            report(
                f"C={c:g} stacked (words + rules) p>={t}",
                [above(stacked, i, t) for i in range(len(rows))],
            )


if __name__ == "__main__":
    main()
