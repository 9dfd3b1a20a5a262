"""Compare ways of training the themes model, scored on honest (out-of-sample) rule matches.

    PYTHONPATH=src:/tmp/sk python tools/themes_experiments.py [--only NAME ...]

Only rows of tests/themes/labels.tsv whose split is `tune` are kept (the test split is dropped as
soon as the file is read, and never scored here). The current rules were written while reading
the tune items, so on them the rules' matches are nearly perfect and say little about unseen
text. The rules as they were at commit c6a0892 (taxonomy 2026.12.2) had never seen the items of
rounds 2026-12e and 2026-12f (labelled and committed before any rule was changed for them): their
matches on those items are honest, a stand-in for what the current rules do on unseen text.

Evaluation: five-fold cross-validation grouped by document over the 2026-12f items; the model of
each fold is trained on the tune items of the other documents (every round; which ones, and with
which rule matches, depends on the configuration) and scored on the held-out items with the old
rules' matches as features. Thresholds are cross-fitted: the threshold(s) for one fold are the
best on the other four folds' out-of-fold probabilities. Figures: macro-F1 over themes with at
least 3 items, micro precision, recall and F1, the share of items whose exact set is right.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ofsted_csc.themes import Classifier
from ofsted_csc.themes.evaluation import (
    exact_share,
    gold_themes,
    macro_f1,
    micro,
    read_labels,
    scores,
)
from train_themes import HONEST_COMMIT, HONEST_ROUNDS, LABELS, old_rule_matches

EVAL_ROUND = "2026-12f"
# the themes whose rules changed after HONEST_COMMIT (2026.12.4, 2026.12.5 and 2026.12.7)
CHANGED = (
    "edge_of_care",
    "practice_quality",
    "leadership",
    "family_network",
    "care_leavers_accommodation",
    "sufficiency",
    "front_door",
    "voice_of_child",
    "workforce",
)
MIN_POSITIVES = 3
GRID = np.round(np.arange(0.1, 0.951, 0.05), 2)


@dataclass
class Data:
    texts: list[str]
    y: np.ndarray
    groups: np.ndarray
    rounds: np.ndarray
    current: np.ndarray  # the current rules' matches
    old: np.ndarray  # the rules of HONEST_COMMIT
    honest: np.ndarray  # items the old rules had never seen
    changed: np.ndarray  # themes whose rules changed since HONEST_COMMIT
    themes: list[str] = field(default_factory=list)
    evalf: np.ndarray = field(default_factory=lambda: np.zeros(0))  # matches the scored items get


def load(cache: Path | None = None) -> Data:
    rows = [r for r in read_labels(LABELS) if r["split"] == "tune"]
    rules = Classifier(model=None)
    themes = [t.id for t in rules.taxonomy.themes]
    texts = [r["text"] for r in rows]
    y = np.array([[t in gold_themes(r) for t in themes] for r in rows], dtype=int)
    key = hashlib.sha256(json.dumps([rules.version, HONEST_COMMIT, texts]).encode()).hexdigest()
    if cache is not None and cache.is_file() and json.loads(cache.read_text())["key"] == key:
        stored = json.loads(cache.read_text())
        current, old_run = np.array(stored["current"]), stored["old"]
    else:
        current = np.array(
            [[t in {m.theme for m in rules.rule_matches(x)} for t in themes] for x in texts],
            dtype=float,
        )
        old_run = old_rule_matches(texts)
        if cache is not None:
            cache.write_text(json.dumps({"key": key, "current": current.tolist(), "old": old_run}))
    old_themes = list(old_run["themes"])  # type: ignore[call-overload]
    missing = [t for t in themes if t not in old_themes]
    if missing:  # themes the old taxonomy lacked: their old match taken as the current one
        print(f"themes the old rules lack (current rules used): {missing}")
    old = np.array(
        [[t in set(m) for t in themes] for m in old_run["matched"]],  # type: ignore[attr-defined]
        dtype=float,
    )
    for j, t in enumerate(themes):
        if t in missing:
            old[:, j] = current[:, j]
    rounds = np.array([r["round"] for r in rows])
    return Data(
        texts,
        y,
        np.array([r["id"].split(":")[0] for r in rows]),
        rounds,
        current,
        old,
        np.isin(rounds, HONEST_ROUNDS),
        np.array([t in CHANGED for t in themes]),
        themes,
    )


# ---------------------------------------------------------------- features and fitting


def vectorizer(kind: str, max_features: int = 4000) -> TfidfVectorizer:
    if kind == "w12":
        return TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, max_features=max_features, sublinear_tf=True
        )
    if kind == "w13":
        return TfidfVectorizer(
            ngram_range=(1, 3), min_df=2, max_features=max_features, sublinear_tf=True
        )
    if kind == "c25":
        return TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=2,
            max_features=max_features,
            sublinear_tf=True,
        )
    raise ValueError(kind)


def rules_answer(flag: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(8.0 * flag - 4.0)))


def fit_predict(
    xtr, ytr: np.ndarray, xte, fte: np.ndarray, c: float, balanced: bool = True
) -> tuple[np.ndarray, list[LogisticRegression | None]]:
    """Per theme a logistic regression; probabilities for the held-out rows (the rules' answer
    for themes with too few positives)."""
    out = np.zeros((xte.shape[0], ytr.shape[1]))
    models: list[LogisticRegression | None] = []
    for j in range(ytr.shape[1]):
        if ytr[:, j].sum() < MIN_POSITIVES:
            out[:, j] = rules_answer(fte[:, j])
            models.append(None)
            continue
        m = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=5000)
        m.fit(xtr, ytr[:, j])
        out[:, j] = m.predict_proba(xte)[:, 1]
        models.append(m)
    return out, models


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


# ---------------------------------------------------------------- configurations

# a configuration: (data, train indices, held-out indices) -> held-out probabilities
Config = Callable[[Data, np.ndarray, np.ndarray], np.ndarray]


def train_flags(d: Data, how: str) -> np.ndarray:
    """The rule matches the model is trained with: `current` everywhere (what ships), `old`
    everywhere, or `mix` (old on the honest items, current elsewhere)."""
    if how == "current":
        return d.current
    if how == "old":
        return d.old
    if how == "mix":
        return np.where(d.honest[:, None], d.old, d.current)
    if how == "hybrid":  # mix, but the current rules' matches for the themes whose rules changed
        out = np.where(d.honest[:, None], d.old, d.current)
        out[:, d.changed] = d.current[:, d.changed]
        return out
    raise ValueError(how)


def recipe(
    flags: str,
    items: str,
    kind: str = "w12",
    c: float = 16.0,
    mf: int = 4000,
    balanced: bool = True,
) -> Config:
    """The current recipe: words and the rules' matches in one regression."""

    def run(d: Data, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        if items == "honest":
            tr = tr[d.honest[tr]]
        f = train_flags(d, flags)
        vec = vectorizer(kind, mf)
        xtr = hstack([vec.fit_transform([d.texts[i] for i in tr]), csr_matrix(f[tr])]).tocsr()
        xte = hstack([vec.transform([d.texts[i] for i in te]), csr_matrix(d.evalf[te])]).tocsr()
        return fit_predict(xtr, d.y[tr], xte, d.evalf[te], c, balanced)[0]

    return run


def blend(flags: str, w: float, c: float = 32.0, mf: int = 4000) -> Config:
    """The recipe (words and rule matches) and a words-only model on the same words, their
    logits mixed w : 1 - w: still one linear model over the same features."""

    def run(d: Data, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        f = train_flags(d, flags)
        vec = vectorizer("w12", mf)
        wtr = vec.fit_transform([d.texts[i] for i in tr])
        wte = vec.transform([d.texts[i] for i in te])
        xtr = hstack([wtr, csr_matrix(f[tr])]).tocsr()
        xte = hstack([wte, csr_matrix(d.evalf[te])]).tocsr()
        a = fit_predict(xtr, d.y[tr], xte, d.evalf[te], c)[0]
        b = fit_predict(wtr, d.y[tr], wte, d.evalf[te], c)[0]
        few = d.y[tr].sum(axis=0) < MIN_POSITIVES
        z = w * logit(a) + (1 - w) * logit(b)
        z[:, few] = logit(a[:, few])
        return 1.0 / (1.0 + np.exp(-z))

    return run


def text_only(items: str = "all", kind: str = "w12", c: float = 16.0, mf: int = 4000) -> Config:
    def run(d: Data, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        if items == "honest":
            tr = tr[d.honest[tr]]
        vec = vectorizer(kind, mf)
        xtr = vec.fit_transform([d.texts[i] for i in tr])
        xte = vec.transform([d.texts[i] for i in te])
        return fit_predict(xtr, d.y[tr], xte, d.evalf[te], c)[0]

    return run


def stacked(
    kind: str = "w12", c: float = 16.0, mf: int = 4000, all_flags: bool = False, cc: float = 1.0
) -> Config:
    """Text-only model over all training items, then per theme a small regression over its
    logit and the rules' matches (its own theme's, or all themes'), fitted on the honest
    training items only, with the text logits out-of-fold (inner grouped five-fold)."""

    def run(d: Data, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        texts = [d.texts[i] for i in tr]
        inner = np.zeros((len(tr), d.y.shape[1]))
        for itr, ite in GroupKFold(n_splits=5).split(tr, groups=d.groups[tr]):
            vec = vectorizer(kind, mf)
            xa = vec.fit_transform([texts[i] for i in itr])
            xb = vec.transform([texts[i] for i in ite])
            inner[ite] = fit_predict(xa, d.y[tr][itr], xb, d.old[tr][ite], c)[0]
        vec = vectorizer(kind, mf)
        xtr = vec.fit_transform(texts)
        xte = vec.transform([d.texts[i] for i in te])
        outer = fit_predict(xtr, d.y[tr], xte, d.evalf[te], c)[0]
        h = d.honest[tr]
        out = np.zeros_like(outer)
        for j in range(d.y.shape[1]):
            yj = d.y[tr][h, j]
            if yj.sum() < MIN_POSITIVES or d.y[tr][:, j].sum() < MIN_POSITIVES:
                out[:, j] = (
                    outer[:, j]
                    if d.y[tr][:, j].sum() >= MIN_POSITIVES
                    else rules_answer(d.evalf[te, j])
                )
                continue
            fa = d.old[tr][h] if all_flags else d.old[tr][h][:, [j]]
            fb = d.evalf[te] if all_flags else d.evalf[te][:, [j]]
            za = np.column_stack([logit(inner[h, j]), fa])
            zb = np.column_stack([logit(outer[:, j]), fb])
            m = LogisticRegression(C=cc, max_iter=5000)
            m.fit(za, yj)
            out[:, j] = m.predict_proba(zb)[:, 1]
        return out

    return run


def rules_alone(d: Data, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
    return d.evalf[te].copy()


# ---------------------------------------------------------------- scoring


def predicted(probs: np.ndarray, thresholds: np.ndarray, themes: list[str]) -> list[set[str]]:
    return [{themes[j] for j in range(len(themes)) if p[j] >= thresholds[j]} for p in probs]


def figures(gold: list[set[str]], pred: list[set[str]], themes: list[str]) -> tuple[float, ...]:
    s = scores(gold, pred, themes)
    tot = micro(s)
    return macro_f1(s)[0], tot.precision, tot.recall, tot.f1, exact_share(gold, pred)


def choose(probs: np.ndarray, y: np.ndarray, themes: list[str], per_theme: bool) -> np.ndarray:
    """Thresholds best on these rows: one for all themes (best macro-F1, then micro-F1), or
    per theme (best F1 of that theme; the global one for a theme with fewer than 5 items)."""
    gold = [{themes[j] for j in range(len(themes)) if r[j]} for r in y]
    best = max(
        (figures(gold, predicted(probs, np.full(len(themes), t), themes), themes)[0::3], t)
        for t in GRID
    )[1]
    out = np.full(len(themes), best)
    if per_theme:
        for j in range(len(themes)):
            if y[:, j].sum() < 5:
                continue
            f1s = []
            for t in GRID:
                p = probs[:, j] >= t
                tp = int((p & (y[:, j] == 1)).sum())
                f1s.append((2 * tp / (p.sum() + y[:, j].sum()), -abs(t - best), t))
            out[j] = max(f1s)[2]
    return out


def evaluate(
    d: Data, name: str, config: Config, is_rules: bool = False, out: str = "/tmp/themes_exp"
) -> list[str]:
    ev = np.flatnonzero(d.rounds == EVAL_ROUND)
    folds = list(GroupKFold(n_splits=5).split(ev, groups=d.groups[ev]))
    probs = np.zeros((len(ev), d.y.shape[1]))
    started = time.time()
    for held_pos, held in enumerate(folds):
        held_idx = ev[held[1]]
        held_docs = set(d.groups[held_idx])
        tr = np.array([i for i in range(len(d.texts)) if d.groups[i] not in held_docs])
        probs[held[1]] = config(d, tr, held_idx)
        del held_pos
    y = d.y[ev]
    gold = [{d.themes[j] for j in range(len(d.themes)) if r[j]} for r in y]
    lines = []
    policies = ["-"] if is_rules else ["0.5", "global", "per-theme"]
    for policy in policies:
        pred: list[set[str]] = [set()] * len(ev)
        thresholds_seen = []
        for _, held in folds:
            if policy in ("-", "0.5"):
                th = np.full(len(d.themes), 0.5)
            else:
                others = np.setdiff1d(np.arange(len(ev)), held)
                th = choose(probs[others], y[others], d.themes, policy == "per-theme")
            thresholds_seen.append(float(np.median(th)))
            part = predicted(probs[held], th, d.themes)
            for k, i in enumerate(held):
                pred[i] = part[k]
        mac, p, r, f, ex = figures(gold, pred, d.themes)
        lines.append(
            f"| {name} | {policy} | {mac:.3f} | {p:.3f} | {r:.3f} | {f:.3f} | {ex:.3f} | "
            f"{np.mean(thresholds_seen):.2f} |"
        )
    print("\n".join(lines) + f"   ({time.time() - started:.0f}s)", flush=True)
    np.save(f"{out}_{name}.npy", probs)  # the out-of-fold probabilities, for a closer look
    return lines


CONFIGS: dict[str, tuple[Config, bool]] = {
    "a_rules_old": (rules_alone, True),
    "b_recipe_mix_all": (recipe("mix", "all"), False),
    "b_recipe_hybrid_all": (recipe("hybrid", "all"), False),
    "b_old_all_unbal": (recipe("old", "all", balanced=False), False),
    "b_old_all_C32": (recipe("old", "all", c=32.0), False),
    "b_old_all_C64": (recipe("old", "all", c=64.0), False),
    "g_blend_old_w0.7": (blend("old", 0.7), False),
    "g_blend_old_w0.5": (blend("old", 0.5), False),
    "g_blend_mix_w0.7": (blend("mix", 0.7), False),
    "g_blend_old_w0.3": (blend("old", 0.3), False),
    "g_blend_hybrid_w0.5": (blend("hybrid", 0.5), False),
    "g_blend_old_w0.5_C16": (blend("old", 0.5, c=16.0), False),
    "b_recipe_old_honest": (recipe("old", "honest"), False),
    "b_recipe_old_all": (recipe("old", "all"), False),
    "c_recipe_current_all": (recipe("current", "all"), False),
    "d_text_all": (text_only("all"), False),
    "d_text_honest": (text_only("honest"), False),
    "e_stack_own": (stacked(), False),
    "e_stack_allflags": (stacked(all_flags=True), False),
    "b_mix_C4": (recipe("mix", "all", c=4.0), False),
    "b_mix_C64": (recipe("mix", "all", c=64.0), False),
    "b_mix_w13": (recipe("mix", "all", kind="w13", mf=8000), False),
    "b_mix_w12_8k": (recipe("mix", "all", mf=8000), False),
    "b_mix_c25": (recipe("mix", "all", kind="c25", mf=20000), False),
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", help="configurations to run (default: all)")
    parser.add_argument(
        "--eval-current", action="store_true", help="held-out items scored with current rules"
    )
    parser.add_argument("--cache", type=Path, help="a file to keep the rules' matches in")
    args = parser.parse_args()
    d = load(args.cache)
    d.evalf = d.old
    if args.eval_current:  # score with the current rules' matches (in sample for CHANGED)
        d.evalf = d.current
    ev = d.rounds == EVAL_ROUND
    print(
        f"{len(d.texts)} tune items, {int(d.honest.sum())} with honest matches (rules of "
        f"{HONEST_COMMIT}), {int(ev.sum())} scored ({EVAL_ROUND}); old rules agree with the "
        f"current on {float((d.old[ev] == d.current[ev]).all(axis=1).mean()):.2f} of them"
    )
    print("| configuration | threshold | macro-F1 | micro P | micro R | micro F1 | exact | t |")
    print("|---|---|---|---|---|---|---|---|")
    for name, (config, is_rules) in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        evaluate(
            d, name, config, is_rules, "/tmp/themes_exp" + ("_cur" if args.eval_current else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
