"""What every page has around its content: the header with the service navigation, and the
links to the stylesheet, icons, scripts and footer pages (base.html).

These are the same on every page but for which navigation item is current and who is signed
in, so they are built once per script root and kind of visitor and reused: through
`url_for` and Jinja they cost a fifth of a small page. The markup is GOV.UK Frontend's
service navigation (govuk-frontend-jinja's govukServiceNavigation, written out)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from flask import Flask, request, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ofsted_csc.plans.rules import Permission, Role

# The navigation: endpoint, text, and the path that marks it current ("/" only itself). The
# texts are short, so that with Plans (signed in) and Upload the menu keeps to one line on a
# desktop screen (the pages' headings say more: "Inspections and visits"); the admins' Users
# page is linked beside who is signed in, not from the menu.
NAVIGATION: tuple[tuple[str, str, str], ...] = (
    ("pages.national", "National picture", "/"),
    ("pages.regions", "Regions", "/regions"),
    ("pages.councils", "Councils", "/councils"),
    ("pages.inspections", "Inspections", "/inspections"),
    ("themes.theme_counts", "Themes", "/themes"),
    ("pages.compare", "Compare", "/compare"),
    ("pages.england", "Map", "/map"),
)
SIGNED_IN = (("plans.plan_list", "Plans", "/plans"),)
UPLOAD = (("pages.upload", "Upload", "/upload"),)

# GOV.UK Frontend's one inline script, first thing in <body> (so that styles for script-on
# pages apply before anything is drawn). The Content-Security-Policy allows it by its hash
# (`SCRIPT_HASH`) and no other inline script; every other script is a file under /static.
JS_ENABLED = (
    "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype "
    "? ' govuk-frontend-supported' : '');"
)
SCRIPT_HASH = (
    "'sha256-" + base64.b64encode(hashlib.sha256(JS_ENABLED.encode()).digest()).decode() + "'"
)

# Links in the page's head and foot, by name.
ASSETS: dict[str, tuple[str, dict[str, str]]] = {
    "govuk": ("static", {"filename": "govuk"}),
    "app_css": ("static", {"filename": "app.css"}),
    "frontend_js": ("static", {"filename": "govuk/govuk-frontend.min.js"}),
    "init_js": ("static", {"filename": "init.js"}),
    "about": ("pages.about", {}),
    "national": ("pages.national", {}),
    "sign_in": ("auth.sign_in", {}),
    "sign_out": ("auth.sign_out", {}),
    "users": ("plans.users", {}),
    "account": ("account.account_page", {}),
    "members": ("account.member_councils", {}),
    "groups": ("account.groups", {}),
}


def _current(path: str, prefix: str) -> bool:
    return path == "/" if prefix == "/" else path.startswith(prefix)


def register(app: Flask, service_name: str, allow_upload: bool) -> None:
    """Make `links()` and `page_header(path, me)` template globals of `app`."""
    links_by_root: dict[str, dict[str, str]] = {}
    headers: dict[tuple[str, int, str], Markup] = {}

    def links() -> dict[str, str]:
        """ASSETS' addresses for this request's script root."""
        root = request.script_root
        found = links_by_root.get(root)
        if found is None:
            found = {name: url_for(e, **values) for name, (e, values) in ASSETS.items()}  # type: ignore[arg-type]
            links_by_root[root] = found
        return found

    def page_header(path: str, me: Any) -> Markup:
        """The <header>: service navigation (the item for `path` current) and who is
        signed in."""
        items = NAVIGATION
        role = ""
        if me is not None:
            role = me.role.value
            items += SIGNED_IN
        if allow_upload:
            items += UPLOAD
        current = next((i for i, item in enumerate(items) if _current(path, item[2])), -1)
        key = (request.script_root, current, role)
        navigation = headers.get(key)
        if navigation is None:
            navigation = _navigation(service_name, links()["national"], items, current)
            if len(headers) < 256:
                headers[key] = navigation
        return Markup(
            '<header class="govuk-template__header" role="banner">\n'
            f"{navigation}\n"
            f'<div class="govuk-width-container app-account">\n{_account(me, links())}\n</div>\n'
            "</header>"
        )

    app.add_template_global(links, "links")
    app.jinja_env.globals["js_enabled"] = Markup(JS_ENABLED)
    app.add_template_global(page_header, "page_header")


def _navigation(
    service_name: str, home: str, items: tuple[tuple[str, str, str], ...], current: int
) -> Markup:
    lines = []
    for i, (endpoint, text, _prefix) in enumerate(items):
        href = escape(url_for(endpoint))
        if i == current:
            lines.append(
                '<li class="govuk-service-navigation__item govuk-service-navigation__item--active">'
                f'<a class="govuk-service-navigation__link" href="{href}" aria-current="true">'
                f'<strong class="govuk-service-navigation__active-fallback">{escape(text)}</strong>'
                "</a></li>"
            )
        else:
            lines.append(
                '<li class="govuk-service-navigation__item">'
                f'<a class="govuk-service-navigation__link" href="{href}">{escape(text)}</a></li>'
            )
    listed = "\n".join(lines)
    return Markup(
        '<section aria-label="Service information" class="govuk-service-navigation" '
        'data-module="govuk-service-navigation">\n<div class="govuk-width-container">\n'
        '<div class="govuk-service-navigation__container">\n'
        '<span class="govuk-service-navigation__service-name">'
        f'<a href="{escape(home)}" class="govuk-service-navigation__link">'
        f"{escape(service_name)}</a></span>\n"
        '<nav aria-label="Menu" class="govuk-service-navigation__wrapper">\n'
        '<button type="button" class="govuk-service-navigation__toggle '
        'govuk-js-service-navigation-toggle" aria-controls="navigation" hidden '
        'aria-hidden="true">Menu</button>\n'
        f'<ul class="govuk-service-navigation__list" id="navigation">\n{listed}\n</ul>\n'
        "</nav>\n</div>\n</div>\n</section>"
    )


def _account(me: Any, links: dict[str, str]) -> str:
    if me is None:
        return (
            '<p class="govuk-body-s app-account__form"><a class="govuk-link" '
            f'href="{escape(links["sign_in"])}">Sign in</a> to improvement plans</p>'
        )
    admin_links = []  # the service admin's pages, and a council admin's members page
    if me.can(Permission.ADMIN):
        admin_links += [("users", "Users"), ("members", "Members"), ("groups", "Groups")]
    elif any(role is Role.ADMIN for _, role in me.memberships):
        admin_links.append(("members", "Members"))
    current = ' aria-current="page"'
    # the user's own role; one with roles in councils only is not called "no role"
    role = "" if me.role is Role.NONE and me.memberships else f" ({escape(me.role.label.lower())})"
    users = "".join(
        f'<a class="govuk-link govuk-body-s app-account__link" href="{escape(links[name])}"'
        f"{current if request.path == links[name] else ''}>{text}</a>\n"
        for name, text in admin_links
    )
    return (
        f'<form method="post" action="{escape(links["sign_out"])}" class="app-account__form">\n'
        f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">\n'
        f'<span class="govuk-body-s">Signed in as <a class="govuk-link" '
        f'href="{escape(links["account"])}">{escape(me.display_name)}</a>'
        f"{role}</span>\n"
        f"{users}"
        '<button type="submit" class="app-link-button govuk-body-s">Sign out</button>\n'
        "</form>"
    )
