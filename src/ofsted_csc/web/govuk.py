"""GOV.UK Frontend components as plain HTML, for the pages served to everyone.

govuk-frontend-jinja's macros build each component through nested Jinja macros (attributes,
labels, hints, `indent` and `trim` filters): a select of ten options costs about a
millisecond, a whole page a few. These functions write the same markup (the GOV.UK Design
System's classes, ids and ARIA attributes, as govuk-frontend-jinja 4.1 writes them) from the
same parameter dicts, directly in Python, for the options the pages use. Templates call them
as `govuk.select({...})`, `govuk.button({...})` and so on. Forms built with WTForms keep
govuk-frontend-wtf's widgets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

Params = Mapping[str, Any]


def _text(part: Params | None) -> Markup:
    """A component part's `html` (trusted) or `text` (escaped)."""
    if not part:
        return Markup("")
    if part.get("html"):
        return Markup(part["html"])
    return escape(part.get("text") or "")


def _classes(base: str, extra: object) -> str:
    return f"{base} {extra}" if extra else base


def _hint(hint_id: str, hint: Params) -> str:
    return f'<div id="{hint_id}" class="{_classes("govuk-hint", hint.get("classes"))}">{_text(hint)}</div>'


def _error(error_id: str, error: Params) -> str:
    return (
        f'<p id="{error_id}" class="govuk-error-message"><span class="govuk-visually-hidden">'
        f"Error:</span> {_text(error)}</p>"
    )


def _label(for_id: str, label: Params, extra: str = "") -> str:
    classes = " ".join(c for c in ("govuk-label", extra, label.get("classes")) if c)
    return f'<label class="{classes}" for="{escape(for_id)}">{_text(label)}</label>'


def _fieldset(
    legend: Params | None, inner: str, described_by: str, role: str = "", classes: str = ""
) -> str:
    attrs = ""
    if role:
        attrs += f' role="{role}"'
    if described_by:
        attrs += f' aria-describedby="{described_by}"'
    out = f'<fieldset class="{_classes("govuk-fieldset", classes)}"{attrs}>'
    if legend and (legend.get("html") or legend.get("text")):
        cls = _classes("govuk-fieldset__legend", legend.get("classes"))
        out += f'<legend class="{cls}">{_text(legend)}</legend>'
    return out + inner + "</fieldset>"


def select(params: Params) -> Markup:
    """govukSelect: id, name, label, items (value, text, selected), classes, hint,
    errorMessage."""
    name = escape(params["name"])
    sid = escape(params.get("id") or params["name"])
    error = params.get("errorMessage")
    parts = [
        f'<div class="govuk-form-group{" govuk-form-group--error" if error else ""}">',
        _label(sid, params.get("label") or {}),
    ]
    described: list[str] = []
    if params.get("hint"):
        described.append(f"{sid}-hint")
        parts.append(_hint(described[-1], params["hint"]))
    if error:
        described.append(f"{sid}-error")
        parts.append(_error(described[-1], error))
    classes = _classes("govuk-select", params.get("classes"))
    if error:
        classes += " govuk-select--error"
    aria = f' aria-describedby="{" ".join(described)}"' if described else ""
    parts.append(f'<select class="{classes}" id="{sid}" name="{name}"{aria}>')
    for item in params.get("items") or ():
        if item:
            parts.append(
                _option(item.get("value"), item.get("text", ""), bool(item.get("selected")))
            )
    parts.append("</select></div>")
    return Markup("\n".join(parts))


_OPTIONS: dict[tuple[object, object, bool], str] = {}  # the same few options on every page


def _option(value: object, text: object, selected: bool) -> str:
    key = (value, text, selected)
    html = _OPTIONS.get(key)
    if html is None:
        attr = "" if value is None else f' value="{escape(value)}"'
        html = f"<option{attr}{' selected' if selected else ''}>{escape(text)}</option>"
        if len(_OPTIONS) < 4096:
            _OPTIONS[key] = html
    return html


def button(params: Params) -> Markup:
    """govukButton: text or html, classes, href (a link styled as a button), type, name,
    value, id."""
    classes = _classes("govuk-button", params.get("classes"))
    ident = f' id="{escape(params["id"])}"' if params.get("id") else ""
    if params.get("href"):
        return Markup(
            f'<a href="{escape(params["href"])}" role="button" draggable="false" '
            f'class="{classes}" data-module="govuk-button"{ident}>{_text(params)}</a>'
        )
    attrs = f' value="{escape(params["value"])}"' if params.get("value") else ""
    if params.get("name"):
        attrs += f' name="{escape(params["name"])}"'
    kind = escape(params.get("type") or "submit")
    return Markup(
        f'<button type="{kind}"{attrs} class="{classes}" data-module="govuk-button"{ident}>'
        f"{_text(params)}</button>"
    )


def date_input(params: Params) -> Markup:
    """govukDateInput with a fieldset: id, namePrefix, fieldset.legend, hint, errorMessage,
    items (name, label, classes, value)."""
    ident = escape(params["id"])
    prefix = params.get("namePrefix")
    error = params.get("errorMessage")
    described: list[str] = []
    inner = []
    if params.get("hint"):
        described.append(f"{ident}-hint")
        inner.append(_hint(described[-1], params["hint"]))
    if error:
        described.append(f"{ident}-error")
        inner.append(_error(described[-1], error))
    inner.append(f'<div class="govuk-date-input" id="{ident}">')
    for item in params["items"]:
        item_id = f"{ident}-{escape(item['name'])}"
        name = f"{escape(prefix)}-{escape(item['name'])}" if prefix else escape(item["name"])
        classes = _classes("govuk-input govuk-date-input__input", item.get("classes"))
        label = escape(item.get("label") or str(item["name"]).capitalize())
        value = item.get("value")
        shown = "" if value is None else f' value="{escape(value)}"'
        inner.append(
            '<div class="govuk-date-input__item"><div class="govuk-form-group">'
            f'<label class="govuk-label govuk-date-input__label" for="{item_id}">{label}</label>'
            f'<input class="{classes}" id="{item_id}" name="{name}" type="text"{shown} '
            'inputmode="numeric"></div></div>'
        )
    inner.append("</div>")
    fieldset = params.get("fieldset") or {}
    body = _fieldset(fieldset.get("legend"), "\n".join(inner), " ".join(described), "group")
    group = "govuk-form-group govuk-form-group--error" if error else "govuk-form-group"
    return Markup(f'<div class="{group}">{body}</div>')


def radios(params: Params) -> Markup:
    """govukRadios with a fieldset: name, idPrefix, classes, fieldset.legend, items (value,
    text, checked)."""
    name = escape(params["name"])
    prefix = escape(params.get("idPrefix") or params["name"])
    inner = [
        f'<div class="{_classes("govuk-radios", params.get("classes"))}" '
        'data-module="govuk-radios">'
    ]
    for n, item in enumerate(params["items"], 1):
        item_id = f"{prefix}-{n}" if n > 1 else prefix
        checked = " checked" if item.get("checked") else ""
        inner.append(
            f'<div class="govuk-radios__item"><input class="govuk-radios__input" id="{item_id}" '
            f'name="{name}" type="radio" value="{escape(item["value"])}"{checked}>'
            f"{_label(item_id, item, 'govuk-radios__label')}</div>"
        )
    inner.append("</div>")
    fieldset = params.get("fieldset") or {}
    body = _fieldset(fieldset.get("legend"), "\n".join(inner), "")
    return Markup(f'<div class="govuk-form-group">{body}</div>')


def details(params: Params) -> Markup:
    """govukDetails: summaryText, html or text, open."""
    opened = " open" if params.get("open") else ""
    return Markup(
        f'<details class="govuk-details"{opened}><summary class="govuk-details__summary">'
        f'<span class="govuk-details__summary-text">{escape(params["summaryText"])}</span>'
        f'</summary><div class="govuk-details__text">{_text(params)}</div></details>'
    )


def error_summary(params: Params) -> Markup:
    """govukErrorSummary: titleText, errorList (text or html, href)."""
    items = []
    for item in params.get("errorList") or ():
        if item.get("href"):
            items.append(f'<li><a href="{escape(item["href"])}">{_text(item)}</a></li>')
        else:
            items.append(f"<li>{_text(item)}</li>")
    listed = (
        f'<ul class="govuk-list govuk-error-summary__list">{"".join(items)}</ul>' if items else ""
    )
    return Markup(
        '<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">'
        f'<h2 class="govuk-error-summary__title">{escape(params["titleText"])}</h2>'
        f'<div class="govuk-error-summary__body">{listed}</div></div></div>'
    )


def summary_list(params: Params) -> Markup:
    """govukSummaryList without actions: classes, rows (key, value: text or html)."""
    rows = [
        '<div class="govuk-summary-list__row">'
        f'<dt class="govuk-summary-list__key">{_text(row["key"])}</dt>'
        f'<dd class="govuk-summary-list__value">{_text(row["value"])}</dd></div>'
        for row in params["rows"]
        if row
    ]
    classes = _classes("govuk-summary-list", params.get("classes"))
    return Markup(f'<dl class="{classes}">\n' + "\n".join(rows) + "\n</dl>")


ARROW_PREVIOUS = (
    '<svg class="govuk-pagination__icon govuk-pagination__icon--prev" '
    'xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" '
    'focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 '
    '6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>'
)
ARROW_NEXT = (
    '<svg class="govuk-pagination__icon govuk-pagination__icon--next" '
    'xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" '
    'focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 '
    '4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path>'
    "</svg>"
)


def pagination(params: Params) -> Markup:
    """govukPagination with numbered items: previous and next (href), items (number, href,
    current; or ellipsis)."""
    out = ['<nav class="govuk-pagination" aria-label="Pagination">']
    previous, following = params.get("previous"), params.get("next")
    if previous and previous.get("href"):
        out.append(
            '<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" '
            f'href="{escape(previous["href"])}" rel="prev">{ARROW_PREVIOUS}\n'
            '<span class="govuk-pagination__link-title">Previous<span '
            'class="govuk-visually-hidden"> page</span></span></a></div>'
        )
    out.append('<ul class="govuk-pagination__list">')
    for item in params.get("items") or ():
        if not item:
            continue
        if item.get("ellipsis"):
            out.append(
                '<li class="govuk-pagination__item govuk-pagination__item--ellipsis">&ctdot;</li>'
            )
            continue
        current = item.get("current")
        aria = ' aria-current="page"' if current else ""
        out.append(
            f'<li class="govuk-pagination__item'
            f'{" govuk-pagination__item--current" if current else ""}">'
            f'<a class="govuk-link govuk-pagination__link" href="{escape(item["href"])}" '
            f'aria-label="Page {item["number"]}"{aria}>'
            f"{item['number']}</a></li>"
        )
    out.append("</ul>")
    if following and following.get("href"):
        out.append(
            '<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" '
            f'href="{escape(following["href"])}" rel="next"><span '
            'class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> '
            f"page</span></span>\n{ARROW_NEXT}</a></div>"
        )
    out.append("</nav>")
    return Markup("\n".join(out))


def breadcrumbs(items: Sequence[Params]) -> Markup:
    """govukBreadcrumbs: items (text or html, href; the last may have no href)."""
    out = [
        '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list">'
    ]
    for item in items:
        if item.get("href"):
            out.append(
                '<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" '
                f'href="{escape(item["href"])}">{_text(item)}</a></li>'
            )
        else:
            out.append(
                f'<li class="govuk-breadcrumbs__list-item" aria-current="page">{_text(item)}</li>'
            )
    out.append("</ol></nav>")
    return Markup("\n".join(out))


class Components:
    """The functions above as one template global, `govuk`."""

    select = staticmethod(select)
    button = staticmethod(button)
    date_input = staticmethod(date_input)
    radios = staticmethod(radios)
    details = staticmethod(details)
    error_summary = staticmethod(error_summary)
    summary_list = staticmethod(summary_list)
    pagination = staticmethod(pagination)
    breadcrumbs = staticmethod(breadcrumbs)
