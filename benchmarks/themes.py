"""Benchmark: the theme classifier against the hand-labelled items in tests/themes/labels.tsv.

    python benchmarks/themes.py [--split test|tune|all] [--rules-only] [--errors] [--db URL]
    python benchmarks/themes.py --agreement

Prints precision, recall, F1 and support per theme, micro and macro averages, the share of
items whose exact set of themes is right, and the time to classify every labelled item. With --db, first the whole store: the retheme that brings its
stored themes up to date (none to do when they are), the first themes call (api.theme_counts,
what /themes asks) on a freshly read snapshot with every item classified (as before themes
were stored) and with the stored themes, then counting, recurrence and search. The 'test' rows were never used to write the rules. Macro-F1 is
over themes with at least --min-support labelled items in the split (default 3); themes with
fewer are listed but not averaged (one item makes an F1 of 0 or 1). --rules-only scores the
rules without the trained model (themes/model.py), as the classifier was before it.
--agreement scores the two labelling passes against each other instead (pass A as if it were the
answer and pass B the guess; F1 is the same either way), over every item labelled in two
independent passes (all rounds but the first, ONE_PASS): how far two careful readers agree.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ofsted_csc.themes import Classifier
from ofsted_csc.themes.evaluation import (
    exact_share,
    gold_themes,
    macro_f1,
    micro,
    read_labels,
    scores,
    two_passes,
)

LABELS = Path(__file__).resolve().parents[1] / "tests" / "themes" / "labels.tsv"
ONE_PASS = ("2026-11",)  # labelled in one pass (read again later, not as two independent passes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=["test", "tune", "all"])
    parser.add_argument("--min-support", type=int, default=3)
    parser.add_argument("--errors", action="store_true", help="Print each wrong item.")
    parser.add_argument("--rules-only", action="store_true", help="Without the trained model.")
    parser.add_argument(
        "--db", help="Also time the whole store: classify, count, recurrence, search."
    )
    parser.add_argument(
        "--agreement", action="store_true", help="Score the two labelling passes instead."
    )
    args = parser.parse_args()
    if args.agreement:
        agreement(args.split, args.min_support)
        return
    if args.db:
        whole_store(args.db)
    rows = [r for r in read_labels(LABELS) if args.split == "all" or r["split"] == args.split]
    clf = Classifier(model=None) if args.rules_only else Classifier()
    start = time.perf_counter()
    predicted = [{m.theme for m in clf.classify(r["text"])} for r in rows]
    seconds = time.perf_counter() - start
    gold = [gold_themes(r) for r in rows]
    print(
        f"{len(rows)} items ({args.split}), taxonomy {clf.version}, "
        f"{'rules and model' if clf.model else 'rules alone'}, classified in {seconds * 1000:.0f} ms"
    )
    print(f"{'theme':<28} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    theme_scores = scores(gold, predicted, [t.id for t in clf.taxonomy.themes])
    for sc in theme_scores:
        mark = "" if sc.support >= args.min_support else "  (not averaged)"
        if sc.support or sc.false_positives:
            print(
                f"{sc.theme:<28} {sc.precision:6.2f} {sc.recall:6.2f} {sc.f1:6.2f} {sc.support:4d}{mark}"
            )
    total = micro(theme_scores)
    print(f"micro: P {total.precision:.2f} R {total.recall:.2f} F1 {total.f1:.2f}")
    macro, counted = macro_f1(theme_scores, args.min_support)
    print(f"macro-F1 over {counted} themes with {args.min_support}+ items: {macro:.3f}")
    print(f"exact set of themes right: {exact_share(gold, predicted):.2f} of {len(rows)} items")
    if args.errors:
        for r, g, p in zip(rows, gold, predicted, strict=True):
            if g != p:
                print(f"\n{r['id']}  gold {sorted(g)}  got {sorted(p)}\n  {r['text'][:300]}")
                for m in clf.classify(r["text"]):
                    print(f"    {m.theme}: {', '.join(m.reasons)}")


def agreement(split: str, min_support: int) -> None:
    rows = [
        r
        for r in read_labels(LABELS)
        if r["round"] not in ONE_PASS and (split == "all" or r["split"] == split)
    ]
    a, b = zip(*(two_passes(r) for r in rows), strict=True)
    themes = sorted({t for s in a + b for t in s})
    theme_scores = scores(a, b, themes)
    print(f"{len(rows)} items ({split}) labelled in two independent passes: pass B against pass A")
    print(f"{'theme':<28} {'F1':>6} {'both':>5} {'A only':>7} {'B only':>7}")
    for sc in sorted(theme_scores, key=lambda s: s.f1):
        print(
            f"{sc.theme:<28} {sc.f1:6.2f} {sc.true_positives:5d} {sc.false_negatives:7d} "
            f"{sc.false_positives:7d}"
        )
    total = micro(theme_scores)
    macro, counted = macro_f1(theme_scores, min_support)
    print(f"micro: P {total.precision:.3f} R {total.recall:.3f} F1 {total.f1:.3f}")
    print(f"macro-F1 over {counted} themes with {min_support}+ items: {macro:.3f}")
    print(f"the same set of themes: {exact_share(list(a), list(b)):.2f} of {len(rows)} items")


def first_call(url: str) -> None:
    """The first themes call on a freshly opened store (the snapshot read, then
    api.theme_counts): classifying every item, then reading the stored themes."""
    import dataclasses
    import threading
    from collections import OrderedDict

    from ofsted_csc import api

    with api.open_store(url) as store:
        start = time.perf_counter()
        done = api.retheme(store)
        print(f"retheme: {done} documents themed in {time.perf_counter() - start:.2f} s")
    for label, stored in (("classified", False), ("stored", True)):
        with api.open_store(url) as store:
            start = time.perf_counter()
            snap = api.snapshot(store)
            read = time.perf_counter() - start
            if not stored:  # as before themes were stored: none to read
                snap = dataclasses.replace(
                    snap, themes={}, _memo=OrderedDict(), _lock=threading.Lock()
                )
            start = time.perf_counter()
            items, sources, _counts = api.theme_counts(snap)
            took = time.perf_counter() - start
        print(
            f"first theme_counts, {label:<10} {took:6.2f} s  (snapshot read {read:.2f} s; "
            f"{items} items of {sources} inspections and visits)"
        )


def whole_store(url: str) -> None:
    from ofsted_csc import api
    from ofsted_csc.themes import analysis

    first_call(url)
    store = api.open_store(url)
    start = time.perf_counter()
    items = api.themed_items(store)
    took = time.perf_counter() - start
    print(f"{len(items)} stored items read with their themes in {took:.2f} s")
    for label, fn in (
        ("counts, all", lambda: analysis.theme_counts(items)),
        ("recurrence, every council", lambda: analysis.recurring_themes(items)),
        ("search index built", lambda: analysis.Index(items)),
    ):
        start = time.perf_counter()
        fn()
        print(f"{label:<32} {(time.perf_counter() - start) * 1000:8.0f} ms")
    index = analysis.Index(items)
    clf = Classifier()
    start = time.perf_counter()
    found = index.search("children who go missing", clf, meaning=True)
    print(
        f"{'search by meaning':<32} {(time.perf_counter() - start) * 1000:8.0f} ms ({len(found)} shown)"
    )
    store.close()
    print()


if __name__ == "__main__":
    main()
