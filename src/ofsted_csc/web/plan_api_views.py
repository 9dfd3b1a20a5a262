"""Improvement plans over the JSON API (/api/plans), for councils' own dashboards and scripts:
read plans, actions, measures and their history; change an action, add a progress update and
record a measure's reading. Each request acts as the owner of its personal access token
(`Authorization: Bearer TOKEN`; read, or read-write for changes) or as the signed-in user, and
the library checks their role in the plan's council, as it does for the web pages and the CLI:
a user with no role there is refused (403) and nothing is changed. A change names the version
of the action it was read at; a save over somebody else's is refused (409)."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ofsted_csc.api import plans as plans_api
from ofsted_csc.api.users import User
from ofsted_csc.plans.rules import Permission, Status
from ofsted_csc.web.access import check_api_write, token_user
from ofsted_csc.web.auth import me
from ofsted_csc.web.context import web_context

BEARER = "apiToken"
SIGN_IN_TO_READ = (
    "This needs a signed-in user with a role in the plan's council, or an API token of one "
    "(Authorization: Bearer TOKEN)."
)

plans_blp = Blueprint(
    "plans_api",
    __name__,
    url_prefix="/api/plans",
    description="Improvement plans: read them, change actions, add updates and readings "
    "(a token of a user with a role in the plan's council).",
)


def _reader() -> User:
    """Who a read acts as: the token's owner, else the signed-in user; 401 for nobody."""
    token = token_user()
    if token is not None:
        return token.user
    user = me()
    if user is None:
        abort(401, SIGN_IN_TO_READ)
    return user


def _writer() -> User:
    user = check_api_write(Permission.EDIT)
    assert user is not None  # never open to all
    return user


def _store() -> Any:
    return web_context().store


class OnArgs(Schema):
    on = fields.Date(metadata={"description": "RAG as at this date (default today)"})


class ActionChange(Schema):
    version = fields.Integer(required=True, metadata={"description": "The version it was read at"})
    description = fields.String()
    lead = fields.String(allow_none=True, metadata={"description": "A user name"})
    partner = fields.String(allow_none=True)
    start_date = fields.Date(allow_none=True)
    due_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))
    percent = fields.Integer(validate=validate.Range(0, 100))


class UpdateIn(Schema):
    on = fields.Date(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1, max=10_000))


class ReadingIn(Schema):
    on = fields.Date(required=True)
    value = fields.Float(required=True)


def _action(plan_id: int, action_id: int, actor: User, on: Any = None) -> dict[str, object]:
    plan, action = plans_api.action_get(_store(), action_id, on, actor=actor)
    if plan.id != plan_id:
        abort(404)
    found = next(a for a in plans_api.plan_json(plan)["actions"] if a["id"] == action.id)
    return dict(found)


@plans_blp.route("")
class PlanList(MethodView):
    @plans_blp.doc(security=[{BEARER: []}])
    @plans_blp.arguments(OnArgs, location="query")
    @plans_blp.response(200)
    @plans_blp.alt_response(401, description="No token or sign-in")
    def get(self, args: dict[str, Any]) -> list[dict[str, object]]:
        """The plans of the councils where the user has a role, newest first."""
        return [
            {
                "id": p.id,
                "council_urn": p.council_urn,
                "council": p.council_name,
                "title": p.title,
                "status": p.status.value,
                "received": p.received,
                "actions": p.actions,
                "rag": {r.name.lower(): n for r, n in p.rag_counts.items()},
                "deadlines": [
                    {
                        "name": d.name,
                        "due": d.due,
                        "met": d.met,
                        "working_days_left": d.working_days_left,
                    }
                    for d in p.deadlines
                ],
            }
            for p in plans_api.plan_list(_store(), on=args.get("on"), actor=_reader())
        ]


@plans_blp.route("/<int:plan_id>")
class PlanOne(MethodView):
    @plans_blp.doc(security=[{BEARER: []}])
    @plans_blp.arguments(OnArgs, location="query")
    @plans_blp.response(200)
    @plans_blp.alt_response(403, description="No role in the plan's council")
    def get(self, args: dict[str, Any], plan_id: int) -> dict[str, object]:
        """A plan with its actions, measures, updates and RAG as at `on`."""
        return plans_api.plan_json(
            plans_api.plan_get(_store(), plan_id, args.get("on"), actor=_reader())
        )


@plans_blp.route("/<int:plan_id>/history")
class PlanHistory(MethodView):
    @plans_blp.doc(security=[{BEARER: []}])
    @plans_blp.response(200)
    @plans_blp.alt_response(403, description="Not a viewer, editor or admin of the council")
    def get(self, plan_id: int) -> list[dict[str, object]]:
        """Every change to the plan, oldest first."""
        return [
            {
                "at": e.at,
                "user": e.user,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "ref": e.ref,
                "field": e.field,
                "old": e.old,
                "new": e.new,
            }
            for e in plans_api.history(_store(), plan_id, actor=_reader())
        ]


@plans_blp.route("/<int:plan_id>/actions/<int:action_id>")
class ActionOne(MethodView):
    @plans_blp.doc(security=[{BEARER: []}])
    @plans_blp.arguments(OnArgs, location="query")
    @plans_blp.response(200)
    def get(self, args: dict[str, Any], plan_id: int, action_id: int) -> dict[str, object]:
        """One action."""
        return _action(plan_id, action_id, _reader(), args.get("on"))

    @plans_blp.doc(security=[{BEARER: []}])
    @plans_blp.arguments(ActionChange)
    @plans_blp.response(200)
    @plans_blp.alt_response(
        403, description="Not an editor or admin of the council, or a read token"
    )
    @plans_blp.alt_response(409, description="Changed by somebody else since `version`")
    def patch(self, change: dict[str, Any], plan_id: int, action_id: int) -> dict[str, object]:
        """Change an action's fields (those given), naming the version it was read at."""
        actor = _writer()
        version = change.pop("version")
        if "status" in change:
            change["status"] = Status(change["status"])
        _action(plan_id, action_id, actor)  # 404 when the action is not the plan's
        plans_api.action_update(_store(), actor, action_id, version, change)
        return _action(plan_id, action_id, actor)


@plans_blp.route("/<int:plan_id>/actions/<int:action_id>/updates")
class ActionUpdates(MethodView):
    @plans_blp.doc(security=[{BEARER: []}])
    @plans_blp.arguments(UpdateIn)
    @plans_blp.response(201)
    def post(self, update: dict[str, Any], plan_id: int, action_id: int) -> dict[str, object]:
        """Add a dated progress update to an action."""
        actor = _writer()
        _action(plan_id, action_id, actor)
        plans_api.progress_add(_store(), actor, action_id, update["on"], update["text"])
        return _action(plan_id, action_id, actor)


@plans_blp.route("/<int:plan_id>/actions/<int:action_id>/measures/<int:measure_id>/readings")
class MeasureReadings(MethodView):
    @plans_blp.doc(security=[{BEARER: []}])
    @plans_blp.arguments(ReadingIn)
    @plans_blp.response(201)
    def post(
        self, reading: dict[str, Any], plan_id: int, action_id: int, measure_id: int
    ) -> dict[str, object]:
        """Record a success measure's value on a date."""
        actor = _writer()
        found = _action(plan_id, action_id, actor)
        if measure_id not in {m["id"] for m in found["measures"]}:  # type: ignore[attr-defined]
            abort(404)
        plans_api.measure_record(_store(), actor, measure_id, reading["value"], reading["on"])
        return _action(plan_id, action_id, actor)
