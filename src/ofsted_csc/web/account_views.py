"""Web pages of a user's own account and of councils as tenants.

- /account: who you are, your role in each council, and your personal access tokens for the
  JSON API (listed, made, shown once, revoked).
- /members: the councils you administer; /members/<urn>: that council's members (given a
  role, changed, taken away) and whether it shares its plans' summaries with its groups.
- /groups: the groups of councils (regions, alliances) and their members (service admins).

Views only read forms and call `ofsted_csc.api.users`; the library checks the acting user's
role again inside each transaction (a council admin cannot manage another council's members
by editing an address: PermissionDenied, a 403)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask import abort, redirect, request, url_for

from ofsted_csc.api import users as users_api
from ofsted_csc.domain.councils import Council, load_registry
from ofsted_csc.domain.errors import InvalidInput, NotFound, PermissionDenied
from ofsted_csc.plans.rules import MEMBERSHIP_ROLES, Permission, Role, TokenScope
from ofsted_csc.plans.tokens import DEFAULT_DAYS, MAX_DAYS
from ofsted_csc.web.auth import requires
from ofsted_csc.web.forms import (
    acting,
    form_text,
    private_blueprint,
    render,
    web_store,
)

if TYPE_CHECKING:
    from ofsted_csc.api.users import NewToken, User

account = private_blueprint("account", __name__)

SCOPE_LABELS = {TokenScope.READ: "Read", TokenScope.READ_WRITE: "Read and write"}
# what the list says of each state of a token, and the colour of its tag
TOKEN_STATES = {
    "active": ("Active", "green"),
    "expired": ("Expired", "grey"),
    "revoked": ("Revoked", "red"),
}
DONE = {
    "revoked": "The token is revoked: it no longer works.",
    "member": "The member's role is saved.",
    "removed": "The member no longer has a role in this council.",
    "sharing": "The council's choice to share is saved.",
    "group": "The group is saved.",
}


def _council(urn: str) -> Council:
    found = load_registry().by_urn(urn)
    if found is None:
        raise NotFound(f"no council has URN {urn}")
    return found


def _done() -> str | None:
    return DONE.get(request.args.get("done", ""))


# -- your account and tokens --


@account.get("/account")
@requires(None)
def account_page() -> Any:
    return _account_page()


def _account_page(
    status: int = 200, *, new: NewToken | None = None, errors: dict[str, str] | None = None
) -> Any:
    actor = acting()
    registry = load_registry()
    councils = [
        (registry.by_urn(urn), urn, role) for urn, role in actor.memberships
    ]  # (council or None if gone from the register, URN, role)
    return render(
        "account.html",
        status,
        title="Your account",
        councils=councils,
        tokens=users_api.token_list(web_store(), actor),
        # a service admin sees, and may revoke, everybody else's tokens that still work
        others=[
            t
            for t in users_api.token_list(web_store(), actor, everyone=True)
            if t.username != actor.username and t.state() == "active"
        ]
        if actor.can(Permission.ADMIN)
        else None,
        new=new,
        errors=errors or {},
        form=request.form if errors else {},
        scopes=SCOPE_LABELS,
        states=TOKEN_STATES,
        can_write=actor.can_somewhere(Permission.EDIT),
        can_token=actor.can_somewhere(Permission.BOARD),
        default_days=DEFAULT_DAYS,
        max_days=MAX_DAYS,
        done=_done(),
    )


@account.post("/account/tokens")
@requires(Permission.BOARD)
def token_new() -> Any:
    errors: dict[str, str] = {}
    try:
        scope = TokenScope(form_text("scope"))
    except ValueError:
        errors["scope"] = "Choose what the token may do"
    days_text = form_text("days") or str(DEFAULT_DAYS)
    days = int(days_text) if days_text.isdigit() and len(days_text) < 5 else 0
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = f"Enter a number of days from 1 to {MAX_DAYS}"
    if errors:
        return _account_page(400, errors=errors)
    try:
        new = users_api.token_create(
            web_store(), acting(), name=form_text("name"), scope=scope, days=days
        )
    except InvalidInput as exc:
        return _account_page(400, errors={"name": exc.message})
    except PermissionDenied as exc:
        return _account_page(403, errors={"scope": exc.message})
    return _account_page(201, new=new)  # the page, with the token shown this once


@account.post("/account/tokens/<int:token_id>/revoke")
@requires(None)
def token_revoke(token_id: int) -> Any:
    token = users_api.token_revoke(web_store(), acting(), token_id)  # NotFound 404, denied 403
    mine = token.username == acting().username
    return redirect(
        url_for("account.account_page", done="revoked", _anchor="tokens" if mine else "others")
    )


# -- a council's members and its sharing --


def _administered(actor: User) -> list[Council]:
    """The councils whose members `actor` manages: every council for a service admin."""
    registry = load_registry()
    if actor.can(Permission.ADMIN):
        return sorted(registry.all(), key=lambda c: c.name)
    found = (registry.by_urn(urn) for urn, role in actor.memberships if role is Role.ADMIN)
    return sorted((c for c in found if c is not None), key=lambda c: c.name)


@account.get("/members")
@requires(None)
def member_councils() -> Any:
    actor = acting()
    chosen = request.args.get("council", "").strip()
    if chosen:
        return redirect(url_for("account.members", urn=users_api.council_urn(chosen)))
    councils = _administered(actor)
    if not councils:
        abort(403, "You are not an admin of any council.")
    if len(councils) == 1:
        return redirect(url_for("account.members", urn=councils[0].urn))
    service = actor.can(Permission.ADMIN)
    with_members: dict[str, int] = {}
    if service:
        for m in users_api.memberships(web_store(), actor):
            with_members[m.council_urn] = with_members.get(m.council_urn, 0) + 1
    return render(
        "members_councils.html",
        title="Council members",
        councils=councils,
        service=service,
        with_members=with_members,
        today=date.today(),
    )


def _members_page(urn: str, status: int = 200, errors: dict[str, str] | None = None) -> Any:
    store, actor = web_store(), acting()
    council = _council(urn)
    members = users_api.memberships(store, actor, urn)  # PermissionDenied unless its admin
    return render(
        "members.html",
        status,
        title=f"Members: {council.name}",
        council=council,
        members=members,
        roles=MEMBERSHIP_ROLES,
        shared=users_api.sharing(store, actor, urn),
        errors=errors or {},
        form=request.form if errors else {},
        done=_done(),
        breadcrumbs=[
            {"text": "Council members", "href": url_for("account.member_councils")},
            {"text": council.name},
        ],
    )


@account.get("/members/<urn>")
@requires(None)
def members(urn: str) -> Any:
    return _members_page(urn)


@account.post("/members/<urn>")
@requires(None)
def member_save(urn: str) -> Any:
    _council(urn)
    username, role = form_text("username"), form_text("role")
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "Enter the user name of the person to add"
    if role not in {r.value for r in MEMBERSHIP_ROLES}:
        errors["role"] = "Choose a role"
    if not errors:
        try:
            users_api.membership_set(web_store(), acting(), username, urn, role)
        except NotFound as exc:
            errors["username"] = exc.message[:1].upper() + exc.message[1:]
        except InvalidInput as exc:
            errors["role"] = exc.message
    if errors:
        return _members_page(urn, 400, errors)
    return redirect(url_for("account.members", urn=urn, done="member"))


@account.post("/members/<urn>/<username>/remove")
@requires(None)
def member_remove(urn: str, username: str) -> Any:
    _council(urn)
    users_api.membership_remove(web_store(), acting(), username, urn)
    return redirect(url_for("account.members", urn=urn, done="removed"))


@account.post("/members/<urn>/sharing")
@requires(None)
def member_sharing(urn: str) -> Any:
    _council(urn)
    choice = form_text("shared")
    if choice not in ("yes", "no"):
        return _members_page(urn, 400, {"shared": "Choose whether the council shares"})
    users_api.sharing_set(web_store(), acting(), urn, choice == "yes")
    return redirect(url_for("account.members", urn=urn, done="sharing"))


# -- groups of councils --


def _groups_page(status: int = 200, errors: dict[str, str] | None = None) -> Any:
    store, actor = web_store(), acting()
    registry = load_registry()
    return render(
        "groups.html",
        status,
        title="Groups of councils",
        groups=users_api.groups(store, actor),
        council_name=lambda urn: getattr(registry.by_urn(urn), "name", urn),
        councils=sorted(registry.existing_on(date.today()), key=lambda c: c.name),
        errors=errors or {},
        form=request.form if errors else {},
        done=_done(),
    )


@account.get("/groups")
@requires(Permission.ADMIN)
def groups() -> Any:
    return _groups_page()


@account.post("/groups")
@requires(Permission.ADMIN)
def group_new() -> Any:
    name = form_text("name")
    if not name:
        return _groups_page(400, {"name": "Enter the group's name"})
    try:
        users_api.group_create(web_store(), acting(), name)
    except InvalidInput as exc:
        return _groups_page(400, {"name": exc.message})
    return redirect(url_for("account.groups", done="group"))


CHANGES = {"add-council", "remove-council", "add-member", "remove-member"}


@account.post("/groups/<int:group_id>")
@requires(Permission.ADMIN)
def group_change(group_id: int) -> Any:
    store, actor = web_store(), acting()
    group = next((g for g in users_api.groups(store, actor) if g.id == group_id), None)
    if group is None:
        raise NotFound(f"no group has id {group_id}")
    change, value = form_text("change"), form_text("value")
    field = f"value-{group_id}"
    if change not in CHANGES:
        abort(400)
    if not value:
        what = "council" if change.endswith("council") else "user name"
        return _groups_page(400, {field: f"Choose a {what} for {group.name}"})
    kind = {"councils": (value,)} if change.endswith("council") else {"users": (value,)}
    try:
        if change.startswith("add"):
            users_api.group_add(store, actor, group.name, **kind)
        else:
            users_api.group_remove(store, actor, group.name, **kind)
    except NotFound as exc:
        return _groups_page(400, {field: exc.message[:1].upper() + exc.message[1:]})
    return redirect(url_for("account.groups", done="group"))
