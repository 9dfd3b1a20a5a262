"""The web app's settings: explicit values, read from the environment only when asked."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

from ofsted_csc.domain.limits import MAX_BYTES


@dataclass(frozen=True)
class Settings:
    """What the web app needs to start. Nothing is read at import time.

    db_url: the store (any SQLAlchemy URL); None means the CLI's default.
    secret_key: signs sessions and CSRF tokens. A random one is made per start when none
      is given, which is fine for one process; set OFSTED_CSC_SECRET_KEY for several.
    allow_upload: whether /upload and POST /api/ingest take files.
    max_upload_bytes: larger uploads are refused before they are read.
    """

    db_url: str | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    allow_upload: bool = True
    max_upload_bytes: int = MAX_BYTES
    service_name: str = "Ofsted children's services inspections"
    testing: bool = False
    login_rate: str = "10 per minute"  # sign-in attempts per address (Flask-Limiter)
    secure_cookies: bool = False  # True behind HTTPS (OFSTED_CSC_SECURE_COOKIES=1)
    page_cache: bool = (
        True  # keep rendered GET pages per data version (OFSTED_CSC_PAGE_CACHE=0: off)
    )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from OFSTED_CSC_DB, OFSTED_CSC_SECRET_KEY and OFSTED_CSC_ALLOW_UPLOAD,
        with explicit overrides winning."""
        values: dict[str, object] = {}
        if os.environ.get("OFSTED_CSC_DB"):
            values["db_url"] = os.environ["OFSTED_CSC_DB"]
        if os.environ.get("OFSTED_CSC_SECRET_KEY"):
            values["secret_key"] = os.environ["OFSTED_CSC_SECRET_KEY"]
        flag = os.environ.get("OFSTED_CSC_ALLOW_UPLOAD")
        if flag is not None:
            values["allow_upload"] = flag.strip().lower() not in ("0", "false", "no", "off")
        cache = os.environ.get("OFSTED_CSC_PAGE_CACHE")
        if cache is not None:
            values["page_cache"] = cache.strip().lower() not in ("0", "false", "no", "off")
        secure = os.environ.get("OFSTED_CSC_SECURE_COOKIES")
        if secure is not None:
            values["secure_cookies"] = secure.strip().lower() in ("1", "true", "yes", "on")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
