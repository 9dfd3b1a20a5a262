"""Signing in: server-side sessions in the store (Flask-Session's interface), Flask-Login for
the current user, argon2 password checks in the library, single sign-on by OpenID Connect
(Authlib's Flask client: discovery, state, nonce and the ID token's signature, issuer,
audience and expiry) and a rate limit on sign-in attempts (Flask-Limiter, counting in the
store). Nothing here hashes, signs, verifies or compares secrets by hand.

Both the sessions and the rate limit's counts are in the store's database, so any number of
server processes on one database (the workers of `ofsted-csc serve`, or servers on several
machines behind one address) behave as one: a session begun through one is known to all and
ended for all by signing out through any, and the attempts made through all of them count
towards one limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
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
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidKeyIdError,
    JoseError,
)
from limits.storage import Storage

from ofsted_csc.api import users as users_api
from ofsted_csc.domain.errors import (
    AuthenticationFailed,
    EmailNotVerified,
    NoAccount,
    ProviderAnswerInvalid,
    ProviderUnavailable,
    SignInRefused,
    StoreError,
)
from ofsted_csc.plans.rules import Permission, Role
from ofsted_csc.web.context import web_context

if TYPE_CHECKING:
    from ofsted_csc.api.users import Store, User
    from ofsted_csc.web.settings import Settings

SESSION_HOURS = 8
OIDC = "oidc"  # the provider's name in Authlib's registry (and its session keys)
NO_ROLE_YET = (
    "You are signed in, but an admin of this service has not given you a role yet. Ask one "
    "to give you the role you need."
)
PROVIDER_TIMEOUT = 10  # seconds for each request to the identity provider
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


def setup_auth(app: Flask, store: Store, settings: Settings) -> Limiter:
    login_rate = settings.login_rate
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
    app.view_functions["auth.oidc_callback"] = cast(Any, limiter.limit)(
        login_rate, error_message="Too many sign-in attempts"
    )(app.view_functions["auth.oidc_callback"])
    if settings.single_sign_on:
        oauth = OAuth(app)
        oauth.register(
            OIDC,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            server_metadata_url=f"{settings.oidc_issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": "openid email profile",
                "code_challenge_method": "S256",
                "default_timeout": PROVIDER_TIMEOUT,
            },
        )

    @app.context_processor
    def _user() -> dict[str, object]:
        web = current_user if current_user and current_user.is_authenticated else None
        return {"me": web.user if web is not None else None, "Permission": Permission}

    return limiter


def me() -> User | None:
    if current_user and current_user.is_authenticated:
        return cast(WebUser, current_user).user
    return None


def requires(permission: Permission | None) -> Callable[[F], F]:
    """Signed in (else to the sign-in page), with a role that allows `permission` (else 403):
    managing users needs the user's own role to allow it; plans need it in some council, and
    the library checks each plan's own council (PermissionDenied, a 403)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = me()
            if user is None:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            allowed = (
                True  # None: signed in is enough (the page shows what the user may see)
                if permission is None
                else user.can(permission)
                if permission is Permission.ADMIN
                else user.can_somewhere(permission)
            )
            if not allowed and user.role is Role.NONE and not user.memberships:
                abort(403, NO_ROLE_YET)
            if not allowed:
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


def _start_session(user: User, target: str) -> Any:
    """Sign `user` in (by password or single sign-on alike) and go to `target`: a new
    session id (the old row deleted), so an id known before signing in is worth nothing
    after; regenerate does nothing to an empty session (single sign-on's state is already
    taken out of it), so it is marked first, and regenerated before clear."""
    session["signing_in"] = True
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    session.clear()
    login_user(WebUser(user))
    session.permanent = True
    return redirect(target)


def _sign_in_page(
    error: str | None = None, status: int = 200, username: str = "", field: str = "username"
) -> Any:
    settings = web_context().settings
    if not settings.local_passwords or not settings.single_sign_on:
        field = "oidc" if settings.single_sign_on else "username"
    return (
        render_template(
            "sign_in.html",
            title="Sign in",
            error=error,
            error_field=field,
            status=status,
            username=username,
            single_sign_on=settings.single_sign_on,
            provider=settings.provider_name,
            local_passwords=settings.local_passwords,
            next=request.args.get("next") or "",
        ),
        status,
    )


@auth.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    context = web_context()
    store, settings = context.store, context.settings
    error = None
    username = ""
    if request.method == "POST":
        if not settings.local_passwords:
            return _sign_in_page(
                f"Signing in with a password is turned off: sign in with {settings.provider_name}",
                403,
            )
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
                return _start_session(user, _safe_next(request.args.get("next")))
    return _sign_in_page(error, 400 if error else 200, username)


def _provider() -> Any:
    """Authlib's client of the configured identity provider (404 when there is none)."""
    oauth = current_app.extensions.get("authlib.integrations.flask_client")
    if oauth is None or not web_context().settings.single_sign_on:
        abort(404)
    return oauth.create_client(OIDC)


def _checked_metadata(client: Any) -> None:
    """The provider's discovery document, fetched once and checked: it must name the
    configured issuer (OpenID Connect Discovery 1.0, 4.3) and give the endpoints needed."""
    issuer = web_context().settings.oidc_issuer
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as e:
        raise ProviderUnavailable(
            f"the provider's discovery document could not be read ({type(e).__name__})"
        ) from None
    if str(metadata.get("issuer", "")).rstrip("/") != issuer:
        client.server_metadata.clear()  # fetched again next time
        raise ProviderUnavailable("the provider's discovery document names another issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not metadata.get(key):
            client.server_metadata.clear()
            raise ProviderUnavailable(f"the provider's discovery document gives no {key}")


def _token_problem(e: JoseError) -> str:
    """What was wrong with an ID token, in words (never the token itself)."""
    if isinstance(e, (BadSignatureError, InvalidKeyIdError)):
        return "the ID token was not signed by the provider"
    if isinstance(e, ExpiredTokenError):
        return "the ID token has expired"
    if isinstance(e, ClaimError):
        return {
            "iss": "the ID token is from another issuer",
            "aud": "the ID token is for another service",
            "azp": "the ID token is for another service",
            "nonce": "the ID token does not belong to this sign-in",
            "iat": "the ID token's time of issue is not right",
            "nbf": "the ID token is not valid yet",
        }.get(e.claim, f"the ID token's “{e.claim}” claim is not right")
    return "the ID token could not be read"


def email_verified(claims: Mapping[str, Any], *, trust: bool) -> object:
    """Whether the ID token's email address is verified, as `single_sign_on_user` reads it:
    its `email_verified` claim; when the token has none, Microsoft's `xms_edov` (the email's
    domain is verified by its tenant), or else true when the deployment trusts its issuer's
    addresses (OFSTED_CSC_OIDC_TRUST_EMAIL). A token that says false is never overruled."""
    if claims.get("email_verified") is not None:
        return claims["email_verified"]
    edov = claims.get("xms_edov")
    if edov is True or str(edov).strip().lower() in ("true", "1"):
        return True
    return True if trust else None


def oidc_user() -> tuple[User, str | None]:
    """The user the provider's answer (this request's code and state) names, every check
    made by Authlib, and the ID token as the provider sent it (for signing out there);
    SignInRefused (typed) when any fails."""
    client = _provider()
    settings = web_context().settings
    _checked_metadata(client)
    if request.args.get("error"):
        code = request.args["error"]
        shown = code if code.replace("_", "").isalnum() and len(code) <= 40 else "an error"
        raise ProviderAnswerInvalid(f"the provider refused the sign-in ({shown})")
    try:
        token = client.authorize_access_token(
            claims_options={
                "iss": {"essential": True, "value": settings.oidc_issuer},
                "aud": {"essential": True, "values": [settings.oidc_client_id]},
                "sub": {"essential": True},
            },
            leeway=60,
        )
    except MismatchingStateError:
        raise ProviderAnswerInvalid(
            "the answer does not belong to a sign-in started in this browser (it may have "
            "been started in another tab, or taken too long)"
        ) from None
    except OAuthError as e:
        raise ProviderAnswerInvalid(
            f"the provider did not accept the sign-in ({e.error or 'error'})"
        ) from None
    except JoseError as e:
        raise ProviderAnswerInvalid(_token_problem(e)) from None
    except requests.RequestException as e:
        raise ProviderUnavailable(
            f"the provider could not be reached ({type(e).__name__})"
        ) from None
    except (ValueError, KeyError, TypeError):
        # an answer that is not the JSON, keys or token it should be
        raise ProviderAnswerInvalid("the provider's answer could not be read") from None
    claims = token.get("userinfo")
    if not claims:
        raise ProviderAnswerInvalid("the provider gave no ID token")
    user = users_api.single_sign_on_user(
        web_context().store,
        claims.get("email"),
        email_verified(claims, trust=settings.oidc_trust_email),
        create=settings.oidc_create_users,
        display_name=claims.get("name"),
    )
    raw = token.get("id_token")
    return user, raw if isinstance(raw, str) else None


NEXT_KEY = "oidc_next"
ID_TOKEN_KEY = "oidc_id_token"  # kept in the server-side session, for signing out there


@auth.get("/sign-in/oidc")
def oidc_start() -> Any:
    """Off to the identity provider, with a fresh state and nonce (kept in this session)."""
    client = _provider()
    try:
        _checked_metadata(client)
    except ProviderUnavailable as e:
        return _refused(e)
    session[NEXT_KEY] = _safe_next(request.args.get("next"))
    # behind a proxy that ends TLS (OFSTED_CSC_SECURE_COOKIES=1) the app sees http, but the
    # address registered with the provider is https
    https = "https" if web_context().settings.over_https else None
    return client.authorize_redirect(url_for("auth.oidc_callback", _external=True, _scheme=https))


@auth.get("/sign-in/oidc/callback")
def oidc_callback() -> Any:
    """Back from the identity provider: the user it names signed in as by password."""
    try:
        user, id_token = oidc_user()
    except SignInRefused as e:
        session.pop(NEXT_KEY, None)
        return _refused(e)
    signed_in = _start_session(user, _safe_next(session.pop(NEXT_KEY, None)))
    if id_token and web_context().settings.oidc_sign_out:
        session[ID_TOKEN_KEY] = id_token
    return signed_in


def _refused(e: SignInRefused) -> Any:
    """The sign-in page saying why single sign-on did not work (the reason is the typed
    error's own sentence, which never holds a token, code or secret)."""
    provider = web_context().settings.provider_name

    def page(message: str, status: int) -> Any:
        return _sign_in_page(message, status, field="oidc")

    current_app.logger.warning("single sign-on refused: %s: %s", type(e).__name__, e.message)
    if isinstance(e, ProviderUnavailable):
        return page(
            f"Signing in with {provider} is not working at the moment: {e.message}. Try again later",
            502,
        )
    if isinstance(e, EmailNotVerified):
        return page(f"You cannot sign in with {provider}: {e.message}", 403)
    if isinstance(e, NoAccount):
        return page(
            f"You cannot sign in with {provider}: {e.message}. Ask an admin of this service for an account",
            403,
        )
    return page(f"Signing in with {provider} did not work: {e.message}. Try again", 400)


@auth.post("/sign-out")
def sign_out() -> Any:
    """The session ended here; after single sign-on with OFSTED_CSC_OIDC_SIGN_OUT on, the
    browser then goes to the provider to end its session too (RP-initiated logout), and
    comes back to the national picture."""
    id_token = session.get(ID_TOKEN_KEY)
    logout_user()
    session.clear()
    home = url_for("pages.national")
    settings = web_context().settings
    if not id_token or not (settings.single_sign_on and settings.oidc_sign_out):
        return redirect(home)  # (a session begun while the setting was on, and it is now off)
    at_provider = _end_session_url(str(id_token))
    return redirect(at_provider or home)


def _end_session_url(id_token: str) -> str | None:
    """The provider's end-session address with the ID token as the hint and the national
    picture to come back to, or None when the provider offers none (or cannot be reached:
    the session here has ended all the same)."""
    oauth = current_app.extensions.get("authlib.integrations.flask_client")
    if oauth is None:
        return None
    client = oauth.create_client(OIDC)
    try:
        _checked_metadata(client)
    except ProviderUnavailable as e:
        current_app.logger.warning("signing out at the provider skipped: %s", e.message)
        return None
    endpoint = client.server_metadata.get("end_session_endpoint")
    if not isinstance(endpoint, str) or urlsplit(endpoint).scheme not in ("http", "https"):
        return None
    https = "https" if web_context().settings.over_https else None
    back = url_for("pages.national", _external=True, _scheme=https)
    parts = urlsplit(endpoint)
    query = [
        *parse_qsl(parts.query),
        ("id_token_hint", id_token),
        ("post_logout_redirect_uri", back),
        ("client_id", web_context().settings.oidc_client_id or ""),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))
