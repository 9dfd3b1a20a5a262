"""Score changes to the themes' phrase rules on held-out documents of round 2026-12f.

    PYTHONPATH=src:/tmp/sk python tools/themes_rules_dev.py            # DEV figures (aggregate)
    PYTHONPATH=src:/tmp/sk python tools/themes_rules_dev.py --look T   # LOOK errors of theme T

Only rows of tests/themes/labels.tsv whose split is `tune` are kept (the test split is dropped
as soon as the file is read).

The split. The documents (the `file` column) of the 2026-12f tune items, sorted, are shuffled
with random.Random(SEED) and cut in two: the first half (rounded down) is LOOK, the rest DEV.
The items scored are those of round 2026-12f (items of the same documents from earlier rounds
were read when the rules were written); no item of a DEV document, of any round, is trained on.
LOOK items may be read, with their errors, while changing the rules; DEV items' text and errors
are never printed, only aggregate figures over them.

DEV figures: the model is trained as tools/train_themes.py does (its `fit`, the honest rule
matches of HONEST_COMMIT as the rule features) on every tune item whose document is not in DEV,
and applied to the DEV items (2026-12f) with the CURRENT rules' matches as features (what runs), at the
shipped model's threshold. Reported for the rules alone and for the rules with the model:
macro-F1 over themes with at least 3 DEV items, micro P/R/F1, the exact share, and F1 (P/R) of
the weak themes.

LOOK errors (--look): the current rules' false negatives and false positives of one theme on
the LOOK items, and those of the rules with a model trained without any 2026-12f document (so
that the model has not seen the LOOK items either).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

import numpy as np

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
from ofsted_csc.themes.model import Model
from train_themes import HONEST_COMMIT, LABELS, fit, old_rule_matches

ROUND = "2026-12f"
SEED = 20261207
THRESHOLD = 0.65  # the shipped model's threshold (tools/train_themes.py chose it by grouped CV)
CACHE = Path("/tmp/themes_rules_dev_old.json")
WEAK = (
    "practice_quality",
    "leadership",
    "family_network",
    "sufficiency",
    "care_leavers_accommodation",
    "plans",
    "voice_of_child",
    "front_door",
    "workforce",
    "visits",
    "edge_of_care",
    "allocation",
    "education",
    "partnerships",
)


def split_documents(rows: list[dict[str, str]]) -> tuple[set[str], set[str]]:
    """(LOOK, DEV): the 2026-12f documents, sorted, shuffled by SEED, cut in two halves."""
    files = sorted({r["file"] for r in rows if r["round"] == ROUND})
    random.Random(SEED).shuffle(files)
    half = len(files) // 2
    return set(files[:half]), set(files[half:])


def old_flags(texts: list[str]) -> list[list[str]]:
    key = hashlib.sha256(json.dumps([HONEST_COMMIT, texts]).encode()).hexdigest()
    if CACHE.is_file():
        stored = json.loads(CACHE.read_text())
        if stored["key"] == key:
            return list(stored["matched"])
    old = old_rule_matches(texts)
    CACHE.write_text(json.dumps({"key": key, "matched": old["matched"]}))
    return list(old["matched"])  # type: ignore[call-overload]


def model_on(
    texts: list[str], flags: np.ndarray, y: np.ndarray, train: np.ndarray, themes: list[str]
) -> Model:
    header = {
        "taxonomy_version": "dev",
        "ngram_range": [1, 2],
        "themes": themes,
        "rule_columns": themes,
        "rule_feature_value": 1.0,
        "threshold": THRESHOLD,
    }
    return Model(
        {**header, **fit([texts[i] for i in train], flags[train], y[train])}  # type: ignore[dict-item]
    )


def report(name: str, gold: list[set[str]], pred: list[set[str]], themes: list[str]) -> None:
    ts = scores(gold, pred, themes)
    total = micro(ts)
    macro, counted = macro_f1(ts)
    print(
        f"{name:14s} macro-F1 {macro:.3f} ({counted} themes)  micro P {total.precision:.3f} "
        f"R {total.recall:.3f} F1 {total.f1:.3f}  exact {exact_share(gold, pred):.3f}"
    )
    by = {s.theme: s for s in ts}
    print(
        "   "
        + "  ".join(
            f"{t}={by[t].f1:.2f}(P{by[t].precision:.2f}/R{by[t].recall:.2f},n{by[t].support})"
            for t in WEAK
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--look", nargs="*", help="print LOOK errors of these themes")
    args = parser.parse_args()
    rows = [r for r in read_labels(LABELS) if r["split"] == "tune"]  # the test split dropped
    look, dev = split_documents(rows)
    rules = Classifier(model=None)
    themes = [t.id for t in rules.taxonomy.themes]
    texts = [r["text"] for r in rows]
    gold = [gold_themes(r) for r in rows]
    y = np.array([[t in g for t in themes] for g in gold])
    flags = np.array([[t in set(m) for t in themes] for m in old_flags(texts)], dtype=float)
    dev_doc = np.array([r["file"] in dev for r in rows])  # kept out of training, any round
    in_dev = dev_doc & np.array([r["round"] == ROUND for r in rows])  # scored
    in_look = np.array([r["file"] in look and r["round"] == ROUND for r in rows])
    current = [{m.theme for m in rules.rule_matches(x)} for x in texts]
    print(
        f"taxonomy {rules.version}: {len(look)} LOOK documents ({int(in_look.sum())} items), "
        f"{len(dev)} DEV documents ({int(in_dev.sum())} items)"
    )
    if args.look is None:
        model = model_on(texts, flags, y, np.flatnonzero(~dev_doc), themes)
        idx = np.flatnonzero(in_dev)
        g = [gold[i] for i in idx]
        report("rules alone", g, [current[i] for i in idx], themes)
        both = [{s.theme for s in model.score(texts[i], frozenset(current[i]))} for i in idx]
        report("rules+model", g, both, themes)
        return 0
    model = model_on(texts, flags, y, np.flatnonzero(~(dev_doc | in_look)), themes)
    idx = np.flatnonzero(in_look)
    for theme in args.look:
        for i in idx:
            m = {s.theme for s in model.score(texts[i], frozenset(current[i]))}
            r_err = (theme in gold[i]) != (theme in current[i])
            m_err = (theme in gold[i]) != (theme in m)
            if not (r_err or m_err):
                continue
            kind = "FN" if theme in gold[i] else "FP"
            which = "rules+model" if r_err and m_err else "rules" if r_err else "model"
            hits = [x for x in rules.rule_matches(texts[i]) if x.theme == theme]
            print(f"[{theme} {kind} {which}] {rows[i]['id']} gold={sorted(gold[i])}")
            if hits:
                print(f"    reasons: {hits[0].reasons}")
            print(f"    {texts[i]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
