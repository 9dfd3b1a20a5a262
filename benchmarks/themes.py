"""Benchmark: the theme classifier against the hand-labelled items in tests/themes/labels.tsv.

    python benchmarks/themes.py [--split test|tune|all] [--errors]

Prints precision, recall, F1 and support per theme, micro and macro averages, and the time to
classify every labelled item. The 'test' rows were never used to write the rules. Macro-F1 is
over themes with at least --min-support labelled items in the split (default 3); themes with
fewer are listed but not averaged (one item makes an F1 of 0 or 1).
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from ofsted_csc.themes import Classifier

LABELS = Path(__file__).resolve().parents[1] / "tests" / "themes" / "labels.tsv"


def read_labels(path: Path = LABELS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=["test", "tune", "all"])
    parser.add_argument("--min-support", type=int, default=3)
    parser.add_argument("--errors", action="store_true", help="Print each wrong item.")
    parser.add_argument(
        "--db", help="Also time the whole store: classify, count, recurrence, search."
    )
    args = parser.parse_args()
    if args.db:
        whole_store(args.db)
    rows = [r for r in read_labels() if args.split == "all" or r["split"] == args.split]
    clf = Classifier()
    start = time.perf_counter()
    predicted = [{m.theme for m in clf.classify(r["text"])} for r in rows]
    seconds = time.perf_counter() - start
    gold = [set(r["themes"].split()) - {"-"} for r in rows]
    print(
        f"{len(rows)} items ({args.split}), taxonomy {clf.version}, classified in {seconds * 1000:.0f} ms"
    )
    print(f"{'theme':<28} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    f1s = []
    tp_all = fp_all = fn_all = 0
    for theme in clf.taxonomy.themes:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if theme.id in g and theme.id in p)
        fp = sum(
            1 for g, p in zip(gold, predicted, strict=True) if theme.id not in g and theme.id in p
        )
        fn = sum(
            1 for g, p in zip(gold, predicted, strict=True) if theme.id in g and theme.id not in p
        )
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        support = tp + fn
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        counted = support >= args.min_support
        if counted:
            f1s.append(f1)
        mark = "" if counted else "  (not averaged)"
        if support or fp:
            print(f"{theme.id:<28} {precision:6.2f} {recall:6.2f} {f1:6.2f} {support:4d}{mark}")
    micro_p = tp_all / (tp_all + fp_all) if tp_all + fp_all else 0.0
    micro_r = tp_all / (tp_all + fn_all) if tp_all + fn_all else 0.0
    micro = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    print(f"micro: P {micro_p:.2f} R {micro_r:.2f} F1 {micro:.2f}")
    print(
        f"macro-F1 over {len(f1s)} themes with {args.min_support}+ items: {sum(f1s) / len(f1s):.3f}"
    )
    if args.errors:
        for r, g, p in zip(rows, gold, predicted, strict=True):
            if g != p:
                print(f"\n{r['id']}  gold {sorted(g)}  got {sorted(p)}\n  {r['text'][:300]}")
                for m in clf.classify(r["text"]):
                    print(f"    {m.theme}: {', '.join(m.reasons)}")


def whole_store(url: str) -> None:
    from ofsted_csc import api
    from ofsted_csc.themes import analysis

    store = api.open_store(url)
    start = time.perf_counter()
    items = api.themed_items(store)
    took = time.perf_counter() - start
    print(f"{len(items)} stored items read and classified in {took:.2f} s")
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
