"""The taxonomy of practice themes (two levels: groups and themes), read from packaged data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Rules:
    any: tuple[str, ...]  # a match of any of these
    all: tuple[tuple[str, ...], ...]  # or of every pattern of one of these
    mask: tuple[str, ...]  # phrases blanked out first (they mean something else)
    fallback: str | None  # matches only when none of `fallback_unless` did
    fallback_unless: tuple[str, ...]
    # a match on one phrase only is dropped when one of these themes matched too: a broad
    # theme ("plans", "assessments") named in an item about a more specific one is a mention,
    # not what the item asks for
    yields_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    definition: str
    group: str
    group_name: str
    rules: Rules
    examples: tuple[str, ...] = ()  # real recommendations that have the theme


@dataclass(frozen=True)
class Measured:
    """How the classifier of this taxonomy did on hand-labelled items never used to build it
    (benchmarks/themes.py; a test keeps these figures true): of the themes careful readers
    gave, the share it found (recall), and of the themes it gave, the share that were right
    (precision)."""

    items: int
    precision: float
    recall: float


@dataclass(frozen=True)
class Taxonomy:
    version: str
    themes: tuple[Theme, ...]
    measured: Measured | None = None

    def get(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    @property
    def groups(self) -> list[tuple[str, str, list[Theme]]]:
        out: dict[str, tuple[str, str, list[Theme]]] = {}
        for t in self.themes:
            out.setdefault(t.group, (t.group, t.group_name, []))[2].append(t)
        return list(out.values())


def _rules(data: dict[str, Any]) -> Rules:
    fallback = data.get("fallback") or {}
    return Rules(
        any=tuple(data.get("any", ())),
        all=tuple(tuple(group) for group in data.get("all", ())),
        mask=tuple(data.get("mask", ())),
        fallback=fallback.get("pattern"),
        fallback_unless=tuple(fallback.get("unless", ())),
        yields_to=tuple(data.get("yields_to", ())),
    )


def taxonomy_from_json(data: dict[str, Any]) -> Taxonomy:
    themes = [
        Theme(
            t["id"],
            t["name"],
            t["definition"],
            g["id"],
            g["name"],
            _rules(t.get("rules", {})),
            tuple(t.get("examples", ())),
        )
        for g in data["groups"]
        for t in g["themes"]
    ]
    ids = [t.id for t in themes]
    if len(set(ids)) != len(ids):
        raise ValueError("a theme id is used twice")
    for t in themes:
        unknown = set(t.rules.fallback_unless) - set(ids)
        if unknown:
            raise ValueError(f"{t.id}: fallback names unknown themes {sorted(unknown)}")
        unknown = set(t.rules.yields_to) - set(ids)
        if unknown:
            raise ValueError(f"{t.id}: yields_to names unknown themes {sorted(unknown)}")
    m = data.get("measured")
    measured = Measured(int(m["items"]), float(m["precision"]), float(m["recall"])) if m else None
    return Taxonomy(str(data["version"]), tuple(themes), measured)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    text = (
        resources.files("ofsted_csc").joinpath("themes", "data", "themes.json").read_text("utf-8")
    )
    return taxonomy_from_json(json.loads(text))
