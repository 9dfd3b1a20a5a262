"""Every setting ofsted-csc takes from the environment, in one typed object read once.

Nothing else in the package reads `os.environ` for a setting: the store's default URL, whether
stores open with the built-in official outcomes, the contact sent to Ofsted's website, the CLI's
acting user and the web app's settings all come from `current()`. The environment is read the
first time `current()` is called (never at import), and the CLI may replace the object with one
that carries its options (`use`), so that the web server it starts sees the same values.

| variable | field | default |
|---|---|---|
| OFSTED_CSC_DB | db_url | None: a SQLite file in the user's data folder |
| OFSTED_CSC_USER | user | None |
| OFSTED_CSC_BUNDLED | bundled | True (0, false, no, off: without the built-in outcomes) |
| OFSTED_CSC_CONTACT | contact | "" (an email or URL added to the User-Agent) |
| OFSTED_CSC_USER_AGENT | user_agent | None: ofsted-csc's own ("ofsted-csc/VERSION (open-source reader ...)") |
| OFSTED_CSC_SECRET_KEY | secret_key | None: a random key per start |
| OFSTED_CSC_ALLOW_UPLOAD | allow_upload | True |
| OFSTED_CSC_OPEN_UPLOAD | open_upload | False (1: anyone may upload, not only signed-in editors) |
| OFSTED_CSC_PAGE_CACHE | page_cache | True |
| OFSTED_CSC_HTTPS | https | False (1: served over HTTPS: Secure cookies and HSTS) |
| OFSTED_CSC_SECURE_COOKIES | https | the old name of OFSTED_CSC_HTTPS, still read (either on: on) |
| OFSTED_CSC_CONNECTION_LIMIT | connection_limit | 500 (open connections per server process) |
| OFSTED_CSC_CLIENT_CONNECTIONS | client_connections | 50 (of them held by one address; 0: no cap) |
| OFSTED_CSC_IDLE_TIMEOUT | idle_timeout | 30 (seconds before an idle connection is closed) |
| OFSTED_CSC_HEADER_TIMEOUT | header_timeout | 20 (seconds for a request's headers to arrive) |
| OFSTED_CSC_OIDC_ISSUER | oidc_issuer | None: no single sign-on (an https:// issuer URL turns it on) |
| OFSTED_CSC_OIDC_CLIENT_ID | oidc_client_id | None (needed with an issuer) |
| OFSTED_CSC_OIDC_CLIENT_SECRET | oidc_client_secret | None (needed with an issuer) |
| OFSTED_CSC_OIDC_NAME | oidc_name | None: "Microsoft", "Google" or "single sign-on" from the issuer |
| OFSTED_CSC_OIDC_CREATE_USERS | oidc_create_users | False (1: an unknown verified email gets a user with no role) |
| OFSTED_CSC_OIDC_TRUST_EMAIL | oidc_trust_email | False (1: the issuer is the organisation's own directory: an email whose ID token does not say whether it is verified is taken as verified) |
| OFSTED_CSC_OIDC_SIGN_OUT | oidc_sign_out | False (1: signing out of ofsted-csc after single sign-on also signs out of the provider, where it offers that) |
| OFSTED_CSC_LOCAL_PASSWORDS | local_passwords | True (0: only single sign-on; needs an issuer) |
| OFSTED_CSC_MAX_INFLATED_MB | max_inflated_mb | 100 (what one PDF's content may inflate to) |
| OFSTED_CSC_READ_MEMORY_MB | read_memory_mb | 2048 (memory of the process reading one PDF) |
| OFSTED_CSC_READ_SECONDS | read_seconds | 120 (time to read one PDF) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.limits import (
    MAX_INFLATED_BYTES,
    MIB,
    READ_MEMORY_BYTES,
    READ_SECONDS,
    ReadLimits,
)

PREFIX = "OFSTED_CSC_"
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class ConfigError(InvalidInput):
    """An environment variable holds a value its setting cannot take."""


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(PREFIX + name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(
        f"{PREFIX}{name}={raw!r} is not a yes or no: use one of {', '.join(_TRUE + _FALSE)}"
    )


def _whole(environ: Mapping[str, str], name: str, default: int, least: int) -> int:
    raw = environ.get(PREFIX + name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = least - 1
    if value < least:
        raise ConfigError(f"{PREFIX}{name}={raw!r} is not a whole number of {least} or more")
    return value


def _text(environ: Mapping[str, str], name: str) -> str | None:
    raw = environ.get(PREFIX + name, "").strip()
    return raw or None


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _issuer(environ: Mapping[str, str]) -> str | None:
    """OFSTED_CSC_OIDC_ISSUER: an https URL with a host (http only on this machine's loopback,
    for tests), without a trailing "/" (the discovery document is found under it)."""
    raw = _text(environ, "OIDC_ISSUER")
    if raw is None:
        return None
    parts = urlsplit(raw)
    loopback = parts.scheme == "http" and parts.hostname in LOOPBACK
    if not parts.hostname or (parts.scheme != "https" and not loopback) or parts.query:
        raise ConfigError(
            f"{PREFIX}OIDC_ISSUER={raw!r} is not an issuer URL: give the provider's https:// "
            "address, the one its /.well-known/openid-configuration is found under"
        )
    return raw.rstrip("/")


@dataclass(frozen=True)
class Config:
    db_url: str | None = None
    user: str | None = None
    bundled: bool = True
    contact: str = ""
    user_agent: str | None = None  # the identity sync gives Ofsted's site
    secret_key: str | None = None
    allow_upload: bool = True
    open_upload: bool = False
    page_cache: bool = True
    https: bool = False  # Secure cookies and Strict-Transport-Security
    connection_limit: int = 500
    client_connections: int = 50
    idle_timeout: int = 30
    header_timeout: int = 20
    max_inflated_mb: int = MAX_INFLATED_BYTES // MIB
    read_memory_mb: int = READ_MEMORY_BYTES // MIB
    read_seconds: int = READ_SECONDS
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = field(default=None, repr=False)
    oidc_name: str | None = None
    oidc_create_users: bool = False
    oidc_trust_email: bool = False
    oidc_sign_out: bool = False
    local_passwords: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        return cls(
            db_url=_text(env, "DB"),
            user=_text(env, "USER"),
            bundled=_flag(env, "BUNDLED", True),
            contact=_text(env, "CONTACT") or "",
            user_agent=_text(env, "USER_AGENT"),
            secret_key=_text(env, "SECRET_KEY"),
            allow_upload=_flag(env, "ALLOW_UPLOAD", True),
            open_upload=_flag(env, "OPEN_UPLOAD", False),
            page_cache=_flag(env, "PAGE_CACHE", True),
            https=_flag(env, "HTTPS", False) or _flag(env, "SECURE_COOKIES", False),
            connection_limit=_whole(env, "CONNECTION_LIMIT", 500, 10),
            client_connections=_whole(env, "CLIENT_CONNECTIONS", 50, 0),
            idle_timeout=_whole(env, "IDLE_TIMEOUT", 30, 1),
            header_timeout=_whole(env, "HEADER_TIMEOUT", 20, 1),
            max_inflated_mb=_whole(env, "MAX_INFLATED_MB", cls.max_inflated_mb, 1),
            read_memory_mb=_whole(env, "READ_MEMORY_MB", cls.read_memory_mb, 1),
            read_seconds=_whole(env, "READ_SECONDS", cls.read_seconds, 1),
            **_single_sign_on(env),
        )

    @property
    def read_limits(self) -> ReadLimits:
        """The bounds on reading one untrusted PDF (ingest, sync, the web upload)."""
        return ReadLimits(
            inflated_bytes=self.max_inflated_mb * MIB,
            memory_bytes=self.read_memory_mb * MIB,
            seconds=self.read_seconds,
        )

    def with_(self, **changes: object) -> Config:
        """This config with the given fields changed; None leaves a field as it is."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]


def _single_sign_on(env: Mapping[str, str]) -> dict[str, Any]:
    """The OIDC settings, all three of issuer, client id and secret or none of them, and
    local passwords turned off only when single sign-on is on (else nobody could sign in)."""
    issuer = _issuer(env)
    client_id = _text(env, "OIDC_CLIENT_ID")
    secret = _text(env, "OIDC_CLIENT_SECRET")
    given = [
        name
        for name, v in (("ISSUER", issuer), ("CLIENT_ID", client_id), ("CLIENT_SECRET", secret))
        if v
    ]
    if given and len(given) < 3:
        missing = sorted({"ISSUER", "CLIENT_ID", "CLIENT_SECRET"} - set(given))
        raise ConfigError(
            "single sign-on needs all of the issuer, client id and client secret: set "
            + ", ".join(f"{PREFIX}OIDC_{name}" for name in missing)
        )
    local = _flag(env, "LOCAL_PASSWORDS", True)
    if not local and not issuer:
        raise ConfigError(
            f"{PREFIX}LOCAL_PASSWORDS=0 leaves no way to sign in: set up single sign-on "
            f"({PREFIX}OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET) or leave passwords on"
        )
    return {
        "oidc_issuer": issuer,
        "oidc_client_id": client_id,
        "oidc_client_secret": secret,
        "oidc_name": _text(env, "OIDC_NAME"),
        "oidc_create_users": _flag(env, "OIDC_CREATE_USERS", False),
        "oidc_trust_email": _flag(env, "OIDC_TRUST_EMAIL", False),
        "oidc_sign_out": _flag(env, "OIDC_SIGN_OUT", False),
        "local_passwords": local,
    }


_current: Config | None = None


def current() -> Config:
    """The process's settings: read from the environment on first call, then kept."""
    global _current
    if _current is None:
        _current = Config.from_env()
    return _current


def use(config: Config | None) -> None:
    """Make `config` the process's settings (the CLI's options); None: read the environment
    again on the next `current()` (tests that change the environment)."""
    global _current
    _current = config
