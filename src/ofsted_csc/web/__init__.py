"""The web app: GOV.UK-styled pages and a JSON API over the same Python API as the CLI.

    from ofsted_csc.web import create_app, Settings
    app = create_app(Settings(db_url="sqlite:///ofsted.db"))

Nothing happens at import time: the store is opened by `create_app`.
"""

from __future__ import annotations

from ofsted_csc.web.app import create_app
from ofsted_csc.web.settings import Settings

__all__ = ["Settings", "create_app"]
