"""Train the themes model (src/ofsted_csc/themes/data/model.json) on the tune labels.

    pip install --target /tmp/sk scikit-learn
    PYTHONPATH=src:/tmp/sk python tools/train_themes.py            # write model.json
    PYTHONPATH=src:/tmp/sk python tools/train_themes.py --check    # cross-validate only

Only rows of tests/themes/labels.tsv whose split is `tune` are read; the test split is never
read here. For each theme two class-balanced logistic regressions (C = 32) over the item's TF-IDF
words and word pairs (the 4,000 most frequent in tune), one of them also over which themes the
rules matched; their weights are mixed half and half (BLEND), which is still one linear model of
the same shape, so model.json and themes/model.py are as before. A theme with fewer than
MIN_POSITIVES labelled items keeps the rules' answer.

Honest rule matches. The rules were written while reading the tune items, so on them the current
rules are nearly always right, and a model trained on their matches learns to trust them far more
than they deserve on unseen text. The rules as they were at commit HONEST_COMMIT (c6a0892,
taxonomy 2026.12.2, the same 39 themes) had never seen the items of rounds 2026-12e and 2026-12f
(2,703 items, labelled and committed before any rule was changed for them): their matches there
are out of sample. So the rule features the model is trained on are the matches of that commit's
rules, on every tune item: the commit's src/ofsted_csc/themes is taken from git (`git archive
c6a0892`) into a temporary directory and run in a separate Python process (old_rule_matches).
Nine themes' rules changed since (edge_of_care, practice_quality, leadership in 2026.12.4-5;
family_network, care_leavers_accommodation, sufficiency, front_door, voice_of_child, workforce
and again practice_quality and leadership in 2026.12.7); the model is applied with the current
rules' matches. tools/themes_experiments.py compares this with the
other recipes tried (scored by grouped cross-validation on the 2026-12f items with the old rules'
matches).

The threshold is the one that gives the best macro-F1 (then micro-F1) on the 2026-12e and
2026-12f items in five-fold cross-validation grouped by document. The file records the taxonomy
version it was trained for: the classifier uses it only with that taxonomy, so a new taxonomy
version needs a new model (a test checks they agree). The features of the weights written are
checked against scikit-learn's own before the file is written. Needs git and the repository's
history (the commit above).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
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
from ofsted_csc.themes.model import Model

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "themes" / "labels.tsv"
OUT = ROOT / "src" / "ofsted_csc" / "themes" / "data" / "model.json"
C = 32.0
BLEND = 0.5  # the words-and-rules model's share; the words-only model has the rest
MAX_FEATURES = 4000
MIN_POSITIVES = 3
THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)
DECIMALS = 5
# the commit whose rules (taxonomy 2026.12.2) had never seen the items of rounds 2026-12e and
# 2026-12f: their matches on those items are out of sample (see honest_flags)
HONEST_COMMIT = "c6a0892"
HONEST_ROUNDS = ("2026-12e", "2026-12f")

_OLD_RULES = """
import json, sys
sys.path.insert(0, sys.argv[1])
import ofsted_csc
assert ofsted_csc.__file__.startswith(sys.argv[1]), ofsted_csc.__file__
from ofsted_csc.themes.classify import Classifier
rules = Classifier()
texts = json.load(sys.stdin)
json.dump({
    "version": rules.version,
    "themes": [t.id for t in rules.taxonomy.themes],
    "matched": [sorted({m.theme for m in rules.classify(t)}) for t in texts],
}, sys.stdout)
"""


def old_rule_matches(texts: list[str], commit: str = HONEST_COMMIT) -> dict[str, object]:
    """The themes the rules of `commit` match in each text: the package's themes code and
    data as they were at that commit, taken from git (`git archive`) into a temporary
    directory and run in a separate process. Gives {"version", "themes", "matched"}."""
    archive = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "archive",
            commit,
            "src/ofsted_csc/__init__.py",
            "src/ofsted_csc/themes",
        ],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        src = str(Path(tmp) / "src")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        done = subprocess.run(
            [sys.executable, "-c", _OLD_RULES, src],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def fit(texts: list[str], flags: np.ndarray, y: np.ndarray) -> dict[str, object]:
    """The fitted weights as plain lists (the shape of model.json, less its header): per theme
    the words-and-rules regression and the words-only one, their weights mixed BLEND : 1 - BLEND
    (the logit of the mix is the mix of the logits, so it is still one linear model)."""
    vec = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, max_features=MAX_FEATURES, sublinear_tf=True
    )
    words_x = vec.fit_transform(texts)
    x = hstack([words_x, csr_matrix(flags)]).tocsr()
    vocabulary = [t for t, _ in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])]
    n_words, n_themes = len(vocabulary), y.shape[1]
    words = np.zeros((n_themes, n_words))
    rules = np.zeros((n_themes, n_themes))
    intercepts = np.zeros(n_themes)
    for j in range(n_themes):
        if y[:, j].sum() < MIN_POSITIVES:  # too few to learn from: the rules' answer
            rules[j, j], intercepts[j] = 8.0, -4.0
            continue
        both = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(x, y[:, j])
        alone = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        alone.fit(words_x, y[:, j])
        words[j] = BLEND * both.coef_[0][:n_words] + (1 - BLEND) * alone.coef_[0]
        rules[j] = BLEND * both.coef_[0][n_words:]
        intercepts[j] = BLEND * both.intercept_[0] + (1 - BLEND) * alone.intercept_[0]
    return {
        "vocabulary": vocabulary,
        "idf": np.round(vec.idf_, DECIMALS).tolist(),
        "word_weights": np.round(words, DECIMALS).tolist(),
        "rule_weights": np.round(rules, DECIMALS).tolist(),
        "intercepts": np.round(intercepts, DECIMALS).tolist(),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="cross-validate only")
    args = parser.parse_args()
    rows = [r for r in read_labels(LABELS) if r["split"] == "tune"]
    rules_only = Classifier(model=None)
    themes = [t.id for t in rules_only.taxonomy.themes]
    texts = [r["text"] for r in rows]
    gold = [gold_themes(r) for r in rows]
    y = np.array([[t in g for t in themes] for g in gold])
    old = old_rule_matches(texts)
    if old["themes"] != themes:
        print(f"the rules of {HONEST_COMMIT} have other themes: map them first", file=sys.stderr)
        return 1
    matched: list[list[str]] = old["matched"]  # type: ignore[assignment]
    flags = np.array([[t in set(m) for t in themes] for m in matched], dtype=float)
    honest = np.array([r["round"] in HONEST_ROUNDS for r in rows])
    groups = [r["id"].split(":")[0] for r in rows]
    header = {
        "taxonomy_version": rules_only.version,
        "ngram_range": [1, 2],
        "themes": themes,
        "rule_columns": themes,
        "rule_feature_value": 1.0,
    }

    # the threshold, by five-fold cross-validation grouped by document, scored on the items the
    # old rules had never seen (their matches there are what the rules do on unseen text)
    probs = np.zeros(y.shape)
    for train, held in GroupKFold(n_splits=5).split(texts, groups=groups):
        fold = Model(
            {
                **header,
                "threshold": 0.5,
                **fit([texts[i] for i in train], flags[train], y[train]),
            }
        )
        for i in held:
            found = fold.probabilities(
                texts[i], {t for t, f in zip(themes, flags[i], strict=True) if f}
            )
            probs[i] = [found[t] for t in themes]
    scored = np.flatnonzero(honest)
    gold_h = [gold[i] for i in scored]
    best = (0.0, 0.0, 0.5)
    for t in THRESHOLDS:
        predicted = [{themes[j] for j in range(len(themes)) if probs[i, j] >= t} for i in scored]
        theme_scores = scores(gold_h, predicted, themes)
        total, (macro, counted) = micro(theme_scores), macro_f1(theme_scores)
        print(
            f"cross-validated on {len(scored)} items, threshold {t:.2f}: macro-F1 {macro:.3f} "
            f"({counted}) micro P {total.precision:.2f} R {total.recall:.2f} F1 {total.f1:.3f} "
            f"exact {exact_share(gold_h, predicted):.2f}"
        )
        best = max(best, (round(macro, 4), round(total.f1, 4), t))
    rule_scores = scores(
        gold_h,
        [{t for t, f in zip(themes, flags[i], strict=True) if f} for i in scored],
        themes,
    )
    print(
        f"the rules of {HONEST_COMMIT} alone on the same items (never seen by them): micro F1 "
        f"{micro(rule_scores).f1:.3f}, macro-F1 {macro_f1(rule_scores)[0]:.3f}"
    )
    print(f"threshold chosen: {best[2]:.2f}")
    if args.check:
        return 0

    data = {
        **header,
        "threshold": best[2],
        "trained_on": {
            "labels": "tests/themes/labels.tsv",
            "labels_sha256": hashlib.sha256(LABELS.read_bytes()).hexdigest(),
            "tune_items": len(rows),
            "rule_matches_of": f"{HONEST_COMMIT} (taxonomy {old['version']})",
            "C": C,
            "blend": BLEND,
            "max_features": MAX_FEATURES,
        },
        **fit(texts, flags, y),
    }
    # the weights as written must give scikit-learn's probabilities (the same tokens and sums)
    check = Model(data)
    vec = TfidfVectorizer(ngram_range=(1, 2), vocabulary=data["vocabulary"], sublinear_tf=True)
    vec.fit(texts)
    vec.idf_ = np.asarray(data["idf"])
    x = vec.transform(texts[:200]).toarray()
    for i in range(len(x)):
        ours = check.features(texts[i])
        dense = np.zeros(len(data["vocabulary"]))
        dense[np.asarray(ours[0], dtype=int)] = ours[1]
        if not np.allclose(dense, x[i], atol=1e-6):
            print(f"features differ from scikit-learn's on: {texts[i]}", file=sys.stderr)
            return 1
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size:,} bytes), {len(rows)} tune items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
