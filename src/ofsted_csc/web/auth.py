"""Signing in: server-side sessions in the store (Flask-Session's interface), Flask-Login for
the current user, argon2 password checks in the library, and a rate limit on sign-in
attempts (Flask-Limiter, counting in the store). Nothing here hashes, signs or compares
secrets by hand.

Both the sessions and the rate limit's counts are in the store's database, so any number of
server processes on one database (the workers of `ofsted-csc serve`, or servers on several
machines behind one address) behave as one: a session begun through one is known to all and
ended for all by signing out through any, and the attempts made through all of them count
towards one limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from limits.storage import Storage

from ofsted_csc.api import users as users_api
from ofsted_csc.domain.errors import AuthenticationFailed, StoreError
from ofsted_csc.plans.rules import Permission
from ofsted_csc.web.context import web_context

if TYPE_CHECKING:
    from ofsted_csc.api.users import Store, User

SESSION_HOURS = 8
auth = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])


class StoreSessions(ServerSideSessionInterface):  # type: ignore[misc]
    """Sessions kept in the `web_sessions` table of the app's own database: the browser holds
    only a random id, and signing out deletes the row."""

    ttl = False

    def __init__(self, app: Flask, store: Store) -> None:
        self.store = store
        super().__init__(app, key_prefix="", cleanup_n_requests=500)

    def _utcnow(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    def _retrieve_session_data(self, store_id: str) -> dict[str, Any] | None:
        data = users_api.session_data(self.store, store_id, self._utcnow())
        if data is None:
            return None
        return cast(dict[str, Any], cast(Any, self.serializer).decode(data))

    def _delete_session(self, store_id: str) -> None:
        users_api.session_delete(self.store, store_id)

    def _upsert_session(
        self, session_lifetime: timedelta, session: ServerSideSession, store_id: str
    ) -> None:
        data = cast(Any, self.serializer).encode(session)
        expiry = self._utcnow() + session_lifetime
        users_api.session_save(self.store, store_id, data, expiry)

    def _delete_expired_sessions(self) -> None:
        users_api.sessions_delete_expired(self.store, self._utcnow())


class StoreLimits(Storage):
    """Flask-Limiter's counts (the `limits` library's storage, fixed windows) kept in the
    store's `web_rate_limits` table (`ofsted_csc.api.users.rate_hit`): every process serving
    the app on one database counts the same attempts. Windows that have ended are deleted at
    most once a `cleanup_every` seconds by each process. Made by `limits` from the URI
    "ofsted-csc-store://" with the store as the option `store`."""

    STORAGE_SCHEME = ["ofsted-csc-store"]  # noqa: RUF012  (limits registers it by this)
    cleanup_every = 60.0

    def __init__(
        self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any
    ) -> None:
        self.store: Store = options.pop("store")
        self._cleaned_at = 0.0
        self._cleaning = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return StoreError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        self._cleanup(now)
        return users_api.rate_hit(self.store, key, float(expiry), amount, now)

    def get(self, key: str) -> int:
        return users_api.rate_hits(self.store, key, time.time())

    def get_expiry(self, key: str) -> float:
        return users_api.rate_window_end(self.store, key, time.time())

    def check(self) -> bool:
        try:
            users_api.rate_hits(self.store, "", time.time())
        except StoreError:
            return False
        return True

    def reset(self) -> int | None:
        return users_api.rate_clear(self.store)

    def clear(self, key: str) -> None:
        users_api.rate_clear(self.store, key)

    def _cleanup(self, now: float) -> None:
        if now - self._cleaned_at < self.cleanup_every or not self._cleaning.acquire(False):
            return
        try:
            self._cleaned_at = now
            users_api.rate_delete_ended(self.store, now)
        finally:
            self._cleaning.release()


class WebUser(UserMixin):  # type: ignore[misc]
    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return str(self.user.id)

    @property
    def is_active(self) -> bool:
        return self.user.active


def setup_auth(app: Flask, store: Store, login_rate: str) -> Limiter:
    app.config.update(
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="ofsted_csc_session",
    )
    app.session_interface = StoreSessions(app, store)
    manager = LoginManager(app)
    manager.login_view = "auth.sign_in"
    manager.login_message = "Sign in to see improvement plans."
    manager.login_message_category = "info"

    @manager.user_loader
    def _load(user_id: str) -> WebUser | None:
        try:
            user = users_api.user_by_id(store, int(user_id))
        except ValueError:
            return None
        return WebUser(user) if user is not None and user.active else None

    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri="ofsted-csc-store://",
        storage_options=cast(dict[str, Any], {"store": store}),
        strategy="fixed-window",
        default_limits=[],
    )
    # Only sign-in is limited, and its decorator checks its own limit: the check the limiter
    # adds before every request finds nothing to count and took a quarter of a page's time.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    app.register_blueprint(auth)
    app.view_functions["auth.sign_in"] = cast(Any, limiter.limit)(
        login_rate, methods=["POST"], error_message="Too many sign-in attempts"
    )(app.view_functions["auth.sign_in"])

    @app.context_processor
    def _user() -> dict[str, object]:
        web = current_user if current_user and current_user.is_authenticated else None
        return {"me": web.user if web is not None else None, "Permission": Permission}

    return limiter


def me() -> User | None:
    if current_user and current_user.is_authenticated:
        return cast(WebUser, current_user).user
    return None


def requires(permission: Permission) -> Callable[[F], F]:
    """Signed in (else to the sign-in page), with a role that allows `permission` (else 403)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = me()
            if user is None:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if not user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorate


def is_local_path(target: str) -> bool:
    """Whether `target` (a `next=` value) can only be a page of this site: a path starting
    with one "/", with no scheme or host, no backslash (browsers read "/\\evil.com" as
    "//evil.com") and no control character (browsers drop tabs and line breaks), both as
    given and once more percent-decoded."""
    for text in (target, unquote(target)):
        if not text.startswith("/") or text.startswith("//"):
            return False
        if "\\" in text or any(ord(c) < 32 or ord(c) == 127 for c in text):
            return False
        parts = urlsplit(text)
        if parts.scheme or parts.netloc:
            return False
    return True


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: `target` when it is a page of this site, else the plans."""
    if target and is_local_path(target):
        return target
    return url_for("plans.plan_list")


@auth.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    store = web_context().store
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if not username or not password:
            error = "Enter your user name and password"
        else:
            try:
                user = users_api.authenticate(store, username, password)
            except AuthenticationFailed:
                error = "The user name or password is not right"
            else:
                # a new session id (the old row deleted), so an id known before signing in
                # is worth nothing after; regenerate needs the session non-empty (it holds
                # the form's CSRF token), so it goes before clear
                current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
                session.clear()
                login_user(WebUser(user))
                session.permanent = True
                return redirect(_safe_next(request.args.get("next")))
    status = 400 if error else 200
    return render_template("sign_in.html", title="Sign in", error=error, username=username), status


@auth.post("/sign-out")
def sign_out() -> Any:
    logout_user()
    session.clear()
    return redirect(url_for("pages.national"))
