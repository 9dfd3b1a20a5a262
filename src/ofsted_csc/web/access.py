"""Who may add documents, and who a JSON API request acts as.

An /api request carrying `Authorization: Bearer TOKEN` acts as the token's owner, within the
token's scope (read, or read-write); a token that is unknown, revoked or expired, or whose
owner is deactivated, is refused with 401 before anything else is done, even on a page that
needs no sign-in. Without a token an /api request acts as the signed-in session, if any; a
session's writes need its CSRF token (the X-CSRFToken header), a token's do not (a browser
never sends one by itself, so no other site can forge it).

Uploading (the /upload form and POST /api/ingest) needs a signed-in editor or admin, or a
read-write token of one, unless the deployment opens it to anyone on purpose
(OFSTED_CSC_OPEN_UPLOAD=1, `serve --open-upload`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask import Flask, abort, current_app, g, request
from flask_wtf.csrf import CSRFProtect

from ofsted_csc.api import users as users_api
from ofsted_csc.domain.errors import AuthenticationFailed
from ofsted_csc.plans.rules import Permission
from ofsted_csc.web.auth import me
from ofsted_csc.web.context import web_context

if TYPE_CHECKING:
    from ofsted_csc.api.users import Store, TokenUser, User

TOKEN_KEY = "api_token_user"
SIGN_IN_TO_UPLOAD = "Uploading a report needs a signed-in editor or admin: sign in and try again."
SIGN_IN_OR_TOKEN = (
    "This needs a signed-in {who}, or an API token of one with scope read-write "
    "(Authorization: Bearer TOKEN)."
)
ROLE_CANNOT = "Your role does not allow this: it needs {who}."
SCOPE_CANNOT = "The API token's scope is read: this needs a read-write token."


def _who(permission: Permission) -> str:
    return "an admin" if permission is Permission.ADMIN else "an editor or admin"


class TokenRefused(Exception):
    """An /api request's Authorization header names no usable token (answered with 401)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def setup_tokens(app: Flask, store: Store) -> None:
    """Check the API token of each /api request that carries one, before anything else."""

    @app.before_request
    def _bearer() -> None:
        if not request.path.startswith("/api/"):
            return
        header = request.headers.get("Authorization")
        if header is None:
            return
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise TokenRefused("send the API token as Authorization: Bearer TOKEN")
        try:
            setattr(g, TOKEN_KEY, users_api.token_authenticate(store, secret.strip()))
        except AuthenticationFailed as exc:
            raise TokenRefused(exc.message) from None

    # this check must come before the page cache serves a kept /api answer
    funcs = app.before_request_funcs.setdefault(None, [])
    funcs.insert(0, funcs.pop())


def token_user() -> TokenUser | None:
    """The token this /api request carries (checked), if any."""
    return cast("TokenUser | None", g.get(TOKEN_KEY))


def may_upload(user: User | None) -> bool:
    """Whether the signed-in `user` (None: nobody) may use the upload form."""
    settings = web_context().settings
    if not settings.allow_upload:
        return False
    return settings.open_upload or (user is not None and user.can_somewhere(Permission.EDIT))


def check_upload_form() -> None:
    """Refuse a POST to the upload form from a visitor who may not upload: 401 when nobody
    is signed in, 403 for a role without edit."""
    user = me()
    if may_upload(user):
        return
    if user is None:
        abort(401, SIGN_IN_TO_UPLOAD)
    abort(403, ROLE_CANNOT.format(who=_who(Permission.EDIT)))


def check_api_write(permission: Permission, *, open_to_all: bool = False) -> User | None:
    """Who an /api write acts as, refused unless they may (`permission`): a token's owner
    within its scope; else the signed-in session, with its CSRF token; else nobody, only
    when `open_to_all` (the deployment opened it). 401 without a token or session, 403 for
    a role or scope that does not allow it."""
    token = token_user()
    if token is not None:
        if not (open_to_all or token.can(permission)):
            if token.user.can_somewhere(permission):
                abort(403, SCOPE_CANNOT)
            abort(403, ROLE_CANNOT.format(who=_who(permission)))
        return token.user
    user = me()
    if open_to_all:
        return user
    if user is None:
        abort(401, SIGN_IN_OR_TOKEN.format(who=_who(permission)))
    cast(CSRFProtect, current_app.extensions["csrf"]).protect()
    allowed = (
        user.can(permission) if permission is Permission.ADMIN else user.can_somewhere(permission)
    )
    if not allowed:
        abort(403, ROLE_CANNOT.format(who=_who(permission)))
    return user
