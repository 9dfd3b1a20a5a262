"""The only SQL: schema, migrations and the Store."""

from ofsted_csc.storage.store import (
    KnownFile,
    SaveOutcome,
    Store,
    StoreContents,
    StoredResult,
    default_url,
)

__all__ = ["KnownFile", "SaveOutcome", "Store", "StoreContents", "StoredResult", "default_url"]
