"""The only SQL: schema, migrations and the Store."""

from ofsted_csc.storage.document_themes import ItemThemes, StoredThemes, ThemeHit, Themes
from ofsted_csc.storage.store import (
    KnownFile,
    SaveOutcome,
    Store,
    StoreContents,
    StoredResult,
    default_url,
)

__all__ = [
    "ItemThemes",
    "KnownFile",
    "SaveOutcome",
    "Store",
    "StoreContents",
    "StoredResult",
    "StoredThemes",
    "ThemeHit",
    "Themes",
    "default_url",
]
