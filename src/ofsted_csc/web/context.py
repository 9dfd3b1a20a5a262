"""What the web app holds while it runs, typed: its settings, the store, the snapshot cache,
the page cache, the sign-in rate limiter and the OpenAPI description.

    from ofsted_csc.web.context import web_context
    snap = web_context().snapshot()        # the current snapshot of the store

`create_app` makes one `WebContext` per app (`set_context`); views read it with
`web_context()` (the current app's) or `context_of(app)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

if TYPE_CHECKING:
    from ofsted_csc import api
    from ofsted_csc.web.data import DataCache, PageCache
    from ofsted_csc.web.settings import Settings

KEY = "ofsted_csc.context"


@dataclass(frozen=True)
class WebContext:
    settings: Settings
    store: api.Store
    data: DataCache  # the current snapshot of the store, rebuilt when its data changes
    pages: PageCache | None  # rendered pages (None: every request is rendered)
    limiter: Any = None  # flask_limiter.Limiter of sign-in (ofsted_csc.web.auth)
    openapi: Any = None  # flask_smorest.Api (ofsted_csc.web.api_views)

    def snapshot(self) -> api.Snapshot:
        """The current snapshot of the store (ofsted_csc.api.snapshot)."""
        return self.data.get()


def set_context(app: Flask, context: WebContext) -> None:
    app.extensions[KEY] = context


def context_of(app: Flask) -> WebContext:
    context: WebContext = app.extensions[KEY]
    return context


def web_context() -> WebContext:
    """The current app's context (in a request or an app context)."""
    return context_of(current_app)
