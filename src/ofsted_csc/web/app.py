"""The Flask application factory and the one place web errors are worded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, Response, g, render_template, request, session
from flask.json.provider import DefaultJSONProvider
from flask_wtf.csrf import CSRFError, CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.exceptions import Forbidden, HTTPException, RequestEntityTooLarge

from ofsted_csc import api
from ofsted_csc.api import plans as plans_api
from ofsted_csc.domain.councils import load_registry
from ofsted_csc.domain.errors import Conflict, NotFound, OfstedCscError, PermissionDenied
from ofsted_csc.domain.limits import megabytes
from ofsted_csc.web import chrome, filters
from ofsted_csc.web.access import TokenRefused, setup_tokens
from ofsted_csc.web.account_views import account
from ofsted_csc.web.auth import me
from ofsted_csc.web.chart_views import chart_files
from ofsted_csc.web.context import WebContext, context_of, set_context
from ofsted_csc.web.data import DataCache, PageCache
from ofsted_csc.web.settings import Settings


class JSONProvider(DefaultJSONProvider):
    """Dates as ISO 8601 (Flask's default writes them as HTTP dates)."""

    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, datetime):
            return o.isoformat(timespec="seconds")
        if isinstance(o, date):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def create_app(settings: Settings | None = None) -> Flask:
    """A new app over the store `settings.db_url` names (opened, and migrated, here)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.json = JSONProvider(app)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 64 * 1024,  # the form's own fields too
        WTF_CSRF_TIME_LIMIT=None,
        TESTING=settings.testing,
        API_TITLE="ofsted-csc",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("ofsted_csc.web", "templates"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    filters.register(app)

    store = api.open_store(settings.db_url)
    data = DataCache(store, load_registry())
    pages_cache = PageCache() if settings.page_cache else None
    CSRFProtect(app)
    WTFormsHelpers(app)
    # one setting for HTTPS: every cookie the app sets is Secure (the session's, which also
    # holds the CSRF token; Flask-Login's remember cookie, were it ever used) and HSTS is sent
    app.config["SESSION_COOKIE_SECURE"] = settings.over_https
    app.config["REMEMBER_COOKIE_SECURE"] = settings.over_https

    from ofsted_csc.web.api_views import register_api
    from ofsted_csc.web.auth import setup_auth
    from ofsted_csc.web.brief_views import brief_pages
    from ofsted_csc.web.inspector_views import inspector_pages
    from ofsted_csc.web.plan_views import plans
    from ofsted_csc.web.search_views import search_pages
    from ofsted_csc.web.theme_views import themes
    from ofsted_csc.web.views import pages

    limiter = setup_auth(app, store, settings)
    setup_tokens(app, store)
    app.register_blueprint(pages)
    app.register_blueprint(chart_files)
    app.register_blueprint(plans)
    app.register_blueprint(account)
    app.register_blueprint(themes)
    app.register_blueprint(inspector_pages)
    app.register_blueprint(brief_pages)
    app.register_blueprint(search_pages)
    openapi = register_api(app)
    set_context(
        app,
        WebContext(
            settings=settings,
            store=store,
            data=data,
            pages=pages_cache,
            limiter=limiter,
            openapi=openapi,
        ),
    )
    _errors(app)

    @app.context_processor
    def _globals() -> dict[str, object]:
        return {"settings": settings, "path": request.path}

    chrome.register(app, settings.service_name, settings.allow_upload)

    _page_cache(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CSP)
        if settings.over_https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    return app


# Sent on every response when the service is served over HTTPS (Settings.https).
HSTS = "max-age=31536000; includeSubDomains"

# Scripts only from this site, and GOV.UK Frontend's one inline script by its hash.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    f"script-src 'self' {chrome.SCRIPT_HASH}; object-src 'self'; frame-ancestors 'self'"
)


# Pages that are not a function of the data and the URL: forms with a CSRF token, the PDFs
# (large, and cached by the browser).
NOT_CACHED = ("/upload", "/documents/", "/static/", "/plans", "/users", "/sign-", "/evidence/")
CACHED_HEADERS = ("Content-Type", "Content-Disposition")
CSRF_FIELD = "csrf_token"  # where Flask-WTF keeps a session's form token (session and g)


def _page_cache(app: Flask) -> None:
    """GET responses kept and served from memory, under a key that covers everything a page
    shows (`key`). A page that shows the session's form token (the sign-out form every
    signed-in page has, the brief's template form) is kept for that session only."""
    context = context_of(app)
    pages = context.pages
    if pages is None:
        return
    data = context.data
    store = context.store

    def key() -> tuple[object, ...] | None:
        """The reports' data version, today (RAG and "overdue" move with it), the script root
        (links start with it) and the URL; for a signed-in user, who they are as the header
        names them and the plans' version (briefs show their council's plan)."""
        if request.method != "GET" or request.path.startswith(NOT_CACHED):
            return None
        user = me()
        who: tuple[object, ...] = ()
        if user is not None:
            who = (user.id, user.role.value, user.display_name, plans_api.plans_version(store))
        return (data.get().version, date.today(), request.script_root, request.full_path, who)

    @app.before_request
    def _serve_cached() -> Response | None:
        k = key()
        if k is None:
            return None
        hit = pages.get(k, session.get(CSRF_FIELD))
        if hit is None:
            request.environ["ofsted_csc.cache_key"] = k
            return None
        body, status, headers = hit
        response = Response(body, status=status, headers=list(headers))
        response.headers["X-Cache"] = "hit"
        return response

    @app.after_request
    def _keep(response: Response) -> Response:
        k = request.environ.get("ofsted_csc.cache_key")
        if k is None or response.status_code != 200 or response.direct_passthrough:
            return response
        if key() != k:  # something it shows changed while it was rendered
            return response
        headers = tuple((h, response.headers[h]) for h in CACHED_HEADERS if h in response.headers)
        token = session.get(CSRF_FIELD) if CSRF_FIELD in g else None
        pages.put(k, response.get_data(), response.status_code, headers, token)
        return response


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def _errors(app: Flask) -> None:
    """Typed library errors and HTTP errors, worded once: JSON under /api, pages elsewhere."""

    def reply(status: int, title: str, message: str, errors: object = None) -> Any:
        if _wants_json():
            body: dict[str, object] = {"status": status, "error": title, "message": message}
            if errors:
                body["errors"] = errors
            return app.json.response(body), status
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(OfstedCscError)
    def _library(exc: OfstedCscError) -> Any:
        if isinstance(exc, NotFound):
            return reply(404, "Page not found", exc.message)
        if isinstance(exc, PermissionDenied):
            return reply(403, "You cannot do this", exc.message)
        if isinstance(exc, Conflict):
            return reply(409, "Changed since it was read", exc.message)
        return reply(400, "There is a problem", exc.message)

    @app.errorhandler(TokenRefused)
    def _token(exc: TokenRefused) -> Any:
        body, status = reply(401, "Not signed in", exc.message)
        return body, status, {"WWW-Authenticate": 'Bearer error="invalid_token"'}

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Any:
        if _wants_json():
            return reply(
                400,
                "No CSRF token",
                "A signed-in session's request needs its CSRF token (the X-CSRFToken header); "
                "a script should send an API token instead (Authorization: Bearer TOKEN).",
            )
        return reply(
            400,
            "The form has expired",
            "The form was sent without a valid security token. Go back, reload the page and "
            "try again.",
        )

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Any:
        limit = megabytes(context_of(app).settings.max_upload_bytes)
        return reply(413, "The file is too large", f"The file may be up to {limit}.")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        status = exc.code or 500
        data = getattr(exc, "data", None) or {}
        messages = data.get("messages") if isinstance(data, dict) else None
        if status == 404:
            return reply(
                404, "Page not found", "If you typed the web address, check it is correct."
            )
        if status == 401:
            body, status = reply(401, "Sign in first", exc.description or "")
            return body, status, ({"WWW-Authenticate": "Bearer"} if _wants_json() else {})
        if status == 403:
            told = exc.description if exc.description != Forbidden.description else None
            return reply(
                403,
                "You cannot do this",
                told or "Your role does not allow it. Ask an admin of this service if you need to.",
            )
        if status == 405:
            return reply(405, "Method not allowed", exc.description or "")
        if messages:
            flat = filters.flatten_messages(messages)
            return reply(status, "There is a problem", "; ".join(flat), messages)
        return reply(status, exc.name, exc.description or "")
