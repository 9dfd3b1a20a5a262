"""English for the sentences the briefs and pages write: possessives and plurals, in one
place so that every paper words them the same way."""

from __future__ import annotations


def possessive(name: str) -> str:
    """ "Hackney's"; a name ending in s takes the apostrophe alone ("St Helens'",
    "Stockton-on-Tees'"), as GOV.UK style does for plural-looking names."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 council", "2 councils", "1 inspection", "3 re-inspections"; `many` for an
    irregular plural ("1 area for improvement", many="areas for improvement")."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
