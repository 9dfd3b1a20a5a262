"""Themes: what Ofsted asks councils to improve. The taxonomy and the rules that match it are
data (themes/data/themes.json); `classify` gives each text its themes with the phrases that
matched, so a reader can see why."""

from ofsted_csc.themes.classify import Classifier, ThemeMatch, classify, current_classifier
from ofsted_csc.themes.taxonomy import Taxonomy, Theme, load_taxonomy

__all__ = [
    "Classifier",
    "Taxonomy",
    "Theme",
    "ThemeMatch",
    "classify",
    "current_classifier",
    "load_taxonomy",
]
