"""What the web app's private pages (plans, accounts, members, groups) share: the store and the
signed-in user of the request, a form field's text, a page rendered with its status, and the
checks every such page has (ids in range, no control characters in any field, never cached)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, render_template, request

from ofsted_csc.domain.errors import InvalidInput
from ofsted_csc.domain.values import bad_character, is_id, xml_safe
from ofsted_csc.web.auth import me
from ofsted_csc.web.context import web_context

if TYPE_CHECKING:
    from ofsted_csc.api.plans import Store
    from ofsted_csc.api.users import User


def web_store() -> Store:
    return web_context().store


def acting() -> User:
    user = me()
    assert user is not None  # every view here is behind `requires`
    return user


def form_text(name: str) -> str:
    return request.form.get(name, "").strip()


def ids_in_range(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """An id in the address beyond any the database holds is no record's: 404 before the
    database sees it."""
    for value in (values or {}).values():
        if isinstance(value, int) and not is_id(value):
            abort(404)


# the labels of the forms' text fields, for messages (other fields are named as sent)
FIELD_LABELS = {
    "description": "Action",
    "new_description": "Action",
    "partner": "Partner agency",
    "new_partner": "Partner agency",
    "lead": "Lead officer",
    "new_lead": "Lead officer",
    "text": "Update",
    "reason": "Reason",
    "name": "Name",
    "title": "Title",
    "workstream_title": "Workstream",
    "url": "Link",
    "username": "User name",
    "display_name": "Full name",
    "email": "Email",
}


def refuse_control_characters() -> None:
    """Every value sent to these pages (form fields and the query) is refused with 400 if it
    holds a control character (NUL and the like; line breaks and tabs are for the library to
    judge by field), naming the field, before any view or the library sees it; the library
    checks every field again (ofsted_csc.domain.values)."""
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            bad = bad_character(value, multiline=True)
            if bad is not None:
                label = FIELD_LABELS.get(name) or xml_safe(name[:40])
                raise InvalidInput(
                    f"“{label}” holds a control character ({bad}); remove it and try again"
                )


def render(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), status


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # private pages: never kept by a cache
    return response


def private_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint of private pages (plans, accounts): forms with control characters refused,
    ids in the URL checked, and nothing of a response kept by a cache."""
    blueprint = Blueprint(name, import_name)
    blueprint.before_request(refuse_control_characters)
    blueprint.after_request(no_store)
    blueprint.url_value_preprocessor(ids_in_range)
    return blueprint
