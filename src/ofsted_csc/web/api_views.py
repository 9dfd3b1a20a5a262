"""The JSON API under /api: the CLI's functions over HTTP, described by OpenAPI at
/api/openapi.json and readable at /api/docs (rendered here, no CDN). Reading needs no
sign-in; adding documents (POST /api/ingest) takes a personal access token with scope
read-write, made with `ofsted-csc user token add` and sent as `Authorization: Bearer TOKEN`."""

# (The docstring above is the OpenAPI description.) Each endpoint checks its query, then
# calls the function of ofsted_csc.api that the CLI calls for the same figure, with the
# app's current snapshot of the store; the errors the API raises are worded once, in
# ofsted_csc.web.app (InvalidInput 400, NotFound 404).

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, render_template
from flask.views import MethodView
from flask_smorest import Api, Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from ofsted_csc import api
from ofsted_csc.domain.councils import NOT_A_REGION_KIND, REGION_KINDS
from ofsted_csc.domain.errors import InvalidInput, NotFound
from ofsted_csc.domain.frameworks import NOT_A_JUDGEMENT
from ofsted_csc.plans.rules import Permission
from ofsted_csc.themes import analysis as themes_analysis
from ofsted_csc.web.access import check_api_write
from ofsted_csc.web.context import web_context
from ofsted_csc.web.data import JUDGEMENTS, Filters
from ofsted_csc.web.plan_api_views import plans_blp
from ofsted_csc.web.views import ingest_upload, site

BEARER = "apiToken"  # the OpenAPI security scheme of personal access tokens
F = TypeVar("F", bound=Callable[..., Any])

blp = Blueprint(
    "api",
    __name__,
    url_prefix="/api",
    description="National picture, regions, councils, inspections, search, exports and ingest.",
)


def _not_future(value: date) -> None:
    if value > date.today():
        raise ValidationError("must be today or in the past")
    if value.year < 2009:
        raise ValidationError("must be 2009 or later")


class PictureArgs(Schema):
    as_at = fields.Date(
        metadata={"description": "Date of the picture (default today)"}, validate=_not_future
    )
    published_by = fields.Date(
        metadata={"description": "Count reports published by this date (default as_at)"}
    )
    round = fields.String(validate=validate.OneOf(list(api.ROUND_KINDS)))
    count = fields.String(
        load_default="inspections",
        validate=validate.OneOf(list(api.ROUND_COUNTS)),
        metadata={
            "description": "How a round is counted: inspections (as Ofsted counts, "
            "re-inspections included) or councils (each by its latest inspection in the round)"
        },
    )
    region = fields.String(metadata={"description": "ONS or Ofsted region name"})


class RegionArgs(Schema):
    as_at = fields.Date(validate=_not_future)
    judgement = fields.String(
        load_default="overall_effectiveness",
        validate=validate.OneOf(JUDGEMENTS, error=NOT_A_JUDGEMENT),
    )
    by = fields.String(
        load_default="ons", validate=validate.OneOf(list(REGION_KINDS), error=NOT_A_REGION_KIND)
    )


class AsAtArgs(Schema):
    as_at = fields.Date(validate=_not_future)


class ListingArgs(Schema):
    framework = fields.String(load_default="")
    kind = fields.String(load_default="")
    year = fields.Integer(load_default=None, allow_none=True)
    judgement = fields.String(load_default="overall_effectiveness")
    grade = fields.String(load_default="")
    region = fields.String(load_default="")


class TrajectoryArgs(Schema):
    judgement = fields.String(
        load_default="overall_effectiveness",
        validate=validate.OneOf(JUDGEMENTS, error=NOT_A_JUDGEMENT),
    )


class ExportArgs(Schema):
    layout = fields.String(
        load_default="contract", validate=validate.OneOf(["contract", "d2i", "d2i-history"])
    )


class UploadSchema(Schema):
    file = fields.Raw(
        required=True,
        metadata={"type": "string", "format": "binary", "description": "The PDF to read"},
    )


class SearchArgs(Schema):
    q = fields.String(
        required=True,
        metadata={
            "description": 'The query: words (all must match), "a phrase", OR, NOT word or '
            "-word, prefix*, (groups)"
        },
    )
    since = fields.Date(
        metadata={"description": "Published (a report) or dated (a letter) on or after"}
    )
    until = fields.Date(
        metadata={"description": "Published (a report) or dated (a letter) on or before"}
    )
    framework = fields.String(metadata={"description": "pre_sif, sif or ilacs"})
    kind = fields.String(metadata={"description": "standard, short, focused_visit, ..."})
    council = fields.String(metadata={"description": "A council's name or LA code"})
    region = fields.String(metadata={"description": "ONS or Ofsted region name"})
    grade = fields.String(metadata={"description": "The inspection's overall effectiveness"})
    limit = fields.Integer(
        load_default=api.DEFAULT_SEARCH_LIMIT,
        validate=validate.Range(min=1, max=api.MAX_SEARCH_LIMIT),
    )


@blp.route("/search")
class Search(MethodView):
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any]) -> dict[str, object]:
        """Every word of every stored report and letter (as `ofsted-csc search`): the pages
        that match, best first, each with its passage (matches in [ ]), page, Ofsted's link,
        and `page_url`: the stored PDF at that page."""
        query = args.pop("q")
        hits = api.search(web_context().store, query, **args)
        rows = api.search_rows(hits)
        for row in rows:
            row["page_url"] = f"/documents/{row['sha256']}.pdf#page={row['page']}"
        return {
            "query": query,
            "count": len(rows),
            "columns": [*api.SEARCH_COLUMNS, "page_url"],
            "rows": rows,
        }


@blp.route("/national")
class National(MethodView):
    @blp.arguments(PictureArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any]) -> dict[str, object]:
        """The national (or regional) picture at a date: councils by grade, per judgement
        (as `ofsted-csc national`)."""
        picture = api.national(
            site(),
            args.get("as_at"),
            args.get("published_by"),
            round=args.get("round"),
            region=args.get("region"),
            count=args.get("count", "inspections"),
        )
        return api.picture_json(picture)


@blp.route("/regions")
class Regions(MethodView):
    @blp.arguments(RegionArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any]) -> list[dict[str, object]]:
        """Regions by grade for one judgement (as `ofsted-csc regions`)."""
        return api.regions(site(), args.get("as_at"), judgement=args["judgement"], by=args["by"])


@blp.route("/councils")
class Councils(MethodView):
    @blp.arguments(AsAtArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any]) -> list[dict[str, object]]:
        """Every council existing at the date, with its latest graded inspection."""
        return api.councils(site(), args.get("as_at"))


@blp.route("/councils/<code>")
class CouncilProfile(MethodView):
    @blp.arguments(AsAtArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any], code: str) -> dict[str, object]:
        """A council's profile by LA code, GSS code, URN or name (as `ofsted-csc council
        --json`)."""
        data = site()
        as_at = args.get("as_at") or date.today()
        profile, visits = api.council_profile(data, code, as_at)
        return data.memo(
            ("profile_json", profile.council.urn, as_at),
            lambda: api.profile_json(profile, visits),
        )


@blp.route("/inspections")
class Inspections(MethodView):
    @blp.arguments(ListingArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any]) -> dict[str, object]:
        """Stored inspections and visits, filtered as on the web page (framework: pre_sif,
        sif, ilacs or visit; kind; year started; grade of a judgement; region)."""
        filters = Filters.parse({k: "" if v is None else str(v) for k, v in args.items()})
        table = api.documents_table(site(), filters)
        return {"columns": list(table.columns), "count": len(table.rows), "rows": table.rows}


@blp.route("/inspections/<sha256>")
class Record(MethodView):
    @blp.response(200)
    def get(self, sha256: str) -> dict[str, object]:
        """One stored record as read (as `ofsted-csc show --json`).

        With its listing on Ofsted's site, when a sync has seen it."""
        data = site()
        store = web_context().store
        return data.memo(
            ("stored_json", sha256), lambda: api.stored_json(api.show(store, sha256), data)
        )


class InspectorArgs(Schema):
    name = fields.String(
        metadata={"description": "One lead inspector, any form of the name (Matt Reed)"}
    )


@blp.route("/inspectors")
class Inspectors(MethodView):
    @blp.arguments(InspectorArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any]) -> dict[str, object]:
        """Lead inspectors, their names merged across forms, with what each led; `name`: one
        inspector's inspections and visits (as `ofsted-csc inspectors [--name]`). Lists, never
        rankings by outcome: `note` says why."""
        name = args.get("name")
        table = api.inspector_table(site(), name) if name else api.inspectors_table(site())
        return {
            "note": api.INSPECTORS_NOTE,
            "merging": api.MERGE_NOTE,
            "columns": list(table.columns),
            "count": len(table.rows),
            "rows": table.rows,
        }


class CompareArgs(Schema):
    period = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Two periods or more, years: period=2014-2017&period=2022-2026"},
    )
    group = fields.String(
        load_default="reports",
        validate=validate.OneOf(list(themes_analysis.GROUPS)),
        metadata={"description": "reports (every framework), pre_sif, sif, ilacs or letter"},
    )
    region = fields.String(metadata={"description": "ONS or Ofsted region name"})


@blp.route("/themes/compare")
class ThemesCompare(MethodView):
    @blp.arguments(CompareArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any]) -> dict[str, object]:
        """Themes over time, per inspection: for each period, each theme's share of the
        group's inspections (or visits) whose recommendations had it, with the count and the
        base (the columns of `ofsted-csc themes compare --format json`)."""
        from ofsted_csc.themes import load_taxonomy

        made = api.compare_themes(site(), args["period"], args["group"], args.get("region"))
        table = api.rows.theme_comparison_table([made], load_taxonomy())
        return {
            "note": themes_analysis.COMPARE_NOTE,
            "bases": [
                {
                    "period": b.period.label,
                    "counted": made.counted,
                    "base": b.sources,
                    "items": b.items,
                }
                for b in made.bases
            ],
            "columns": list(table.columns),
            "rows": table.rows,
        }


@blp.route("/trajectories/<what>")
class Trajectories(MethodView):
    @blp.arguments(TrajectoryArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any], what: str) -> list[dict[str, object]]:
        """transitions, series or gaps (as `ofsted-csc trajectories`); any other is 400."""
        return api.trajectories(site(), what, args["judgement"])


@blp.route("/exports/<what>")
class Export(MethodView):
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any], what: str) -> dict[str, object]:
        """An export table as JSON rows (as `ofsted-csc export WHAT --format json`)."""
        table = api.table(site(), what, args["layout"])
        return {
            "columns": list(table.columns),
            "rows": [
                {c: r.get(c) for c in table.columns} for r in table.rows
            ],  # dates: JSONProvider
        }


def _may_ingest(view: F) -> F:
    """Uploads turned on (else 404) and allowed to the caller (else 401 or 403), checked
    before the file is read."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        settings = web_context().settings
        if not settings.allow_upload:
            raise NotFound("uploads are turned off on this server")
        check_api_write(Permission.EDIT, open_to_all=settings.open_upload)
        return view(*args, **kwargs)

    return cast(F, wrapped)


@blp.route("/ingest")
class Ingest(MethodView):
    @_may_ingest
    @blp.doc(security=[{BEARER: []}])
    @blp.arguments(UploadSchema, location="files")
    @blp.response(200)
    @blp.alt_response(401, description="No API token (or sign-in), or one not valid")
    @blp.alt_response(403, description="A read token, or a user who is not an editor or admin")
    @blp.alt_response(422, description="The file was read and refused: nothing is stored")
    def post(self, files: dict[str, Any]) -> dict[str, object]:
        """Read one uploaded PDF into the store (as `ofsted-csc ingest FILE`). A refused
        file changes nothing and answers 422 with the reason.

        Needs an API token of an editor or admin with scope read-write (`Authorization:
        Bearer TOKEN`; or a signed-in session of one, with its CSRF token in X-CSRFToken),
        unless the server lets anyone upload (OFSTED_CSC_OPEN_UPLOAD=1)."""
        outcome = ingest_upload(files["file"])
        body: dict[str, object] = {
            "file": outcome.path,
            "outcome": outcome.outcome,
            "sha256": outcome.sha256,
            "reasons": list(outcome.reasons),
            "kind": outcome.kind,
            "council_urn": outcome.council,
        }
        if outcome.outcome == "refused":
            raise Refused(body)
        return body


class Refused(InvalidInput):
    """An uploaded file that was not stored: answered with 422 and the outcome."""

    def __init__(self, body: dict[str, object]) -> None:
        super().__init__("; ".join(str(r) for r in body["reasons"]))  # type: ignore[attr-defined]
        self.body = body


class QuietApi(Api):  # type: ignore[misc]
    """flask-smorest's Api without its app-wide JSON error handler: errors are worded once,
    in ofsted_csc.web.app (JSON under /api, pages elsewhere)."""

    def _register_error_handlers(self) -> None:
        pass


def register_api(app: Flask) -> Api:
    """The JSON API's routes, its description (returned) and its error for refused files."""
    smorest = QuietApi(app, spec_kwargs={"info": {"description": __doc__}})
    smorest.spec.components.security_scheme(
        BEARER,
        {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (`ofsted-csc user token add`), scope read "
            "or read-write, sent as `Authorization: Bearer TOKEN`. Reading needs none.",
        },
    )
    smorest.register_blueprint(blp)
    smorest.register_blueprint(plans_blp)

    @app.errorhandler(Refused)
    def _refused(exc: Refused) -> Any:
        return app.json.response({"status": 422, "error": "Not stored", **exc.body}), 422

    @app.get("/api/docs")
    def api_docs() -> Any:
        spec = smorest.spec.to_dict()
        return render_template("api_docs.html", spec=spec)

    csrf = app.extensions.get("csrf")
    if csrf is not None:
        # a JSON API for scripts, with API tokens; a signed-in session's writes are checked
        # for their CSRF token by the write itself (web.access.check_api_write)
        csrf.exempt(blp)
        csrf.exempt(plans_blp)
    return smorest
