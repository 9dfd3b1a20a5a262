"""The web app's settings: explicit values, read from the environment only when asked."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ofsted_csc import config
from ofsted_csc.domain.limits import MAX_BYTES


@dataclass(frozen=True)
class Settings:
    """What the web app needs to start. Nothing is read at import time.

    db_url: the store (any SQLAlchemy URL); None means the CLI's default.
    secret_key: signs sessions and CSRF tokens. A random one is made per start when none
      is given, which is fine for one process; set OFSTED_CSC_SECRET_KEY for several.
    allow_upload: whether /upload and POST /api/ingest take files at all.
    open_upload: whether anyone may upload; otherwise only a signed-in editor or admin (or
      an API token of one, scope read-write). Off unless the deployment opens it on purpose.
    max_upload_bytes: larger uploads are refused before they are read.
    https: the service is reached over HTTPS only (OFSTED_CSC_HTTPS=1, or its old name
      OFSTED_CSC_SECURE_COOKIES=1): every cookie is marked Secure and every response sends
      Strict-Transport-Security. `secure_cookies` is the old name of the same setting.
    connection_limit, client_connections, idle_timeout, header_timeout: the server's limits
      on connections (ofsted_csc.web.server): how many one process holds open, how many of
      them one address may hold (0: no cap), the seconds before an idle one is closed and the
      seconds a request's headers may take to arrive.
    oidc_issuer, oidc_client_id, oidc_client_secret: single sign-on by OpenID Connect (all
      three, or none: no single sign-on); oidc_name names the provider on the sign-in button.
    oidc_create_users: a verified email address no user has gets a new user with no role.
    oidc_trust_email: the issuer is the organisation's own directory (a single-tenant Microsoft
      Entra ID, whose ID tokens carry no `email_verified`): an ID token that does not say
      whether its email is verified is taken as verified; one that says it is not is refused.
    oidc_sign_out: signing out after single sign-on also ends the session at the provider
      (OpenID Connect RP-initiated logout, when its discovery document gives an
      end_session_endpoint): for shared computers; it signs the person out of the provider's
      other services in that browser too.
    local_passwords: whether user names and passwords are taken at all (off: only single
      sign-on).
    """

    db_url: str | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    allow_upload: bool = True
    open_upload: bool = False
    max_upload_bytes: int = MAX_BYTES
    service_name: str = "Ofsted children's services inspections"
    testing: bool = False
    login_rate: str = "10 per minute"  # sign-in attempts per address (Flask-Limiter)
    https: bool = False  # served over HTTPS (OFSTED_CSC_HTTPS=1): Secure cookies and HSTS
    secure_cookies: bool = False  # the old name of `https` (either on turns both on)
    page_cache: bool = (
        True  # keep rendered GET pages per data version (OFSTED_CSC_PAGE_CACHE=0: off)
    )
    connection_limit: int = 500
    client_connections: int = 50
    idle_timeout: int = 30
    header_timeout: int = 20
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = field(default=None, repr=False)
    oidc_name: str | None = None
    oidc_create_users: bool = False
    oidc_trust_email: bool = False
    oidc_sign_out: bool = False
    local_passwords: bool = True

    @property
    def single_sign_on(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret)

    @property
    def provider_name(self) -> str:
        """The identity provider as the sign-in button names it: OFSTED_CSC_OIDC_NAME, else
        Microsoft or Google when the issuer is theirs, else "single sign-on"."""
        if self.oidc_name:
            return self.oidc_name
        host = (urlsplit(self.oidc_issuer or "").hostname or "").lower()
        if host in ("login.microsoftonline.com", "sts.windows.net"):
            return "Microsoft"
        if host == "accounts.google.com":
            return "Google"
        return "single sign-on"

    @property
    def over_https(self) -> bool:
        """Whether cookies are Secure and responses send HSTS (`https` or its old name)."""
        return self.https or self.secure_cookies

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from the process's configuration (`ofsted_csc.config`: OFSTED_CSC_DB,
        _SECRET_KEY, _ALLOW_UPLOAD, _OPEN_UPLOAD, _PAGE_CACHE, _HTTPS (or _SECURE_COOKIES), the
        connection limits and single sign-on, _OIDC_*, _LOCAL_PASSWORDS), explicit overrides
        winning."""
        found = config.current()
        values: dict[str, object] = {
            "db_url": found.db_url,
            "allow_upload": found.allow_upload,
            "open_upload": found.open_upload,
            "page_cache": found.page_cache,
            "https": found.https,
            "connection_limit": found.connection_limit,
            "client_connections": found.client_connections,
            "idle_timeout": found.idle_timeout,
            "header_timeout": found.header_timeout,
            "oidc_issuer": found.oidc_issuer,
            "oidc_client_id": found.oidc_client_id,
            "oidc_client_secret": found.oidc_client_secret,
            "oidc_name": found.oidc_name,
            "oidc_create_users": found.oidc_create_users,
            "oidc_trust_email": found.oidc_trust_email,
            "oidc_sign_out": found.oidc_sign_out,
            "local_passwords": found.local_passwords,
        }
        if found.secret_key:
            values["secret_key"] = found.secret_key
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
