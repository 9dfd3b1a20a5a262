"""Scoring the classifier against hand-labelled items: precision, recall and F1 per theme.
Used by benchmarks/themes.py and by the tests, so both count the same way."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def support(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.true_positives + self.false_positives + self.false_negatives
        return 2 * self.true_positives / denominator if denominator else 0.0


def read_labels(path: Path) -> list[dict[str, str]]:
    """A tab-separated labels file (lines starting # are comments); columns include `split`,
    `themes` (space-separated, '-' for none) and `text`."""
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def gold_themes(row: dict[str, str]) -> set[str]:
    return set(row["themes"].split()) - {"-"}


_PASSES = re.compile(r"pass A: ?([a-z_0-9 -]*); pass B: ?([a-z_0-9 -]*)")


def two_passes(row: dict[str, str]) -> tuple[set[str], set[str]]:
    """The themes the two independent labelling passes gave an item: those its `disagreement`
    column writes down, or else the labelled themes (the passes agreed)."""
    found = _PASSES.search(row.get("disagreement", ""))
    if found is None:
        return gold_themes(row), gold_themes(row)
    return set(found.group(1).split()) - {"-"}, set(found.group(2).split()) - {"-"}


def scores(
    gold: Sequence[set[str]], predicted: Sequence[set[str]], themes: Sequence[str]
) -> list[ThemeScore]:
    pairs = list(zip(gold, predicted, strict=True))
    return [
        ThemeScore(
            t,
            sum(1 for g, p in pairs if t in g and t in p),
            sum(1 for g, p in pairs if t not in g and t in p),
            sum(1 for g, p in pairs if t in g and t not in p),
        )
        for t in themes
    ]


def macro_f1(theme_scores: Sequence[ThemeScore], min_support: int = 3) -> tuple[float, int]:
    """(mean F1 over themes with at least `min_support` labelled items, how many themes):
    with fewer, one item makes an F1 of 0 or 1."""
    counted = [s.f1 for s in theme_scores if s.support >= min_support]
    return (sum(counted) / len(counted) if counted else 0.0), len(counted)


def micro(theme_scores: Sequence[ThemeScore]) -> ThemeScore:
    return ThemeScore(
        "all",
        sum(s.true_positives for s in theme_scores),
        sum(s.false_positives for s in theme_scores),
        sum(s.false_negatives for s in theme_scores),
    )


def exact_share(gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> float:
    """The share of items whose exact set of themes is right (none, when none are labelled)."""
    pairs = list(zip(gold, predicted, strict=True))
    return sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0
