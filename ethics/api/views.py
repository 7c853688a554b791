"""The read API under /api/v1: thin views that check the token, then answer from ethics/api/reads.py.

Every operation needs `Authorization: Bearer TOKEN` with the scope it names; the OpenAPI
document (/api/v1/openapi.json) is generated from these declarations by flask-smorest.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import RAISE

from ethics.api import reads, schemas
from ethics.api.caching import conditional
from ethics.api.guard import reader_sees_records, token_required
from ethics.api.tokens import SCOPES, TokenRefused
from ethics.core.data_versions import Domain

bp = Blueprint("api", __name__, url_prefix="/api/v1", description="Read the plan's indicators and what feeds them.")

PLAN_DATA = (Domain.PLAN, Domain.TRAINING, Domain.SURVEY, Domain.RECOGNITION, Domain.PEOPLE)  # as plan.show
ERRORS = {401: "No token, or one unknown, expired or revoked.", 403: "Beyond the token's scope or its account's roles.",
          404: "Not there.", 422: "Bad parameters.", 429: "Too many requests: wait for Retry-After seconds."}


def operation(scope: str, summary: str, *, paged: bool = False):
    """The OpenAPI description every operation shares: bearer token, its scope, its errors."""
    roles = ", ".join(SCOPES[scope])

    def decorate(view):
        view = bp.doc(summary=summary, description=f"Scope `{scope}` (accounts with the role {roles}).",
                      security=[{"bearer": []}])(view)
        for status, text in ERRORS.items():
            if status == 422 and not paged:
                continue
            view = bp.alt_response(status, schema=schemas.Error, description=text)(view)
        view = bp.alt_response(304, description="Not modified since the ETag in If-None-Match.")(view)
        return token_required(scope)(view)

    return decorate


@bp.route("/fiscal-years")
@operation("indicators:read", "The fiscal years that have a plan, the newest first", paged=True)
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.FiscalYears)
def fiscal_years(page: int, per_page: int):
    return conditional((Domain.PLAN,), schemas.FiscalYears, lambda: reads.fiscal_years(page, per_page))


@bp.route("/plans/<year:fiscal_year>")
@operation("indicators:read", "A year's plan: strategies, measures and each activity's report row")
@bp.response(200, schemas.PlanOut)
def plan(fiscal_year: int):
    return conditional(PLAN_DATA, schemas.PlanOut, lambda: reads.plan(fiscal_year))


@bp.route("/plans/<year:fiscal_year>/values")
@operation("indicators:read", "Each activity's value, by personnel type and by unit")
@bp.response(200, schemas.Values)
def values(fiscal_year: int):
    return conditional(PLAN_DATA, schemas.Values, lambda: reads.values(fiscal_year))


@bp.route("/plans/<year:fiscal_year>/activities/<code>/records", parameters=[
    {"in": "path", "name": "code", "description": "The activity's code: strategy.measure.activity", "example": "1.1.2"}])
@operation("indicators:read", "The people or sessions behind an activity's value (HR and administrators only)",
           paged=True)
@bp.arguments(schemas.RecordArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.Records)
def records(fiscal_year: int, code: str, page: int):
    if not reader_sees_records():
        raise TokenRefused(_l("Only HR staff and administrators see the records behind an indicator."), status=403)
    return conditional(PLAN_DATA, schemas.Records, lambda: reads.records(fiscal_year, code, page), private=True)


@bp.route("/plans/<year:fiscal_year>/snapshots")
@operation("indicators:read", "The report's locked snapshots of a year", paged=True)
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.Snapshots)
def snapshots(fiscal_year: int, page: int, per_page: int):
    return conditional((Domain.PLAN,), schemas.Snapshots, lambda: reads.snapshots(fiscal_year, page, per_page))


@bp.route("/plans/<year:fiscal_year>/snapshots/<int:snapshot_id>",
          parameters=[{"in": "path", "name": "snapshot_id", "example": 1}])
@operation("indicators:read", "One snapshot's rows, as locked")
@bp.response(200, schemas.SnapshotOut)
def snapshot(fiscal_year: int, snapshot_id: int):
    return conditional((Domain.PLAN,), schemas.SnapshotOut, lambda: reads.snapshot(fiscal_year, snapshot_id))


@bp.route("/training/sessions")
@operation("trainings:read", "A fiscal year's training sessions with seats, participants and passes", paged=True)
@bp.arguments(schemas.SessionArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.Sessions)
def sessions(fiscal_year: int, page: int, per_page: int):
    return conditional((Domain.TRAINING, Domain.PEOPLE), schemas.Sessions,
                       lambda: reads.sessions(fiscal_year, page, per_page))


@bp.route("/survey/campaigns")
@operation("survey:read", "Closed morale campaigns, whose results are published", paged=True)
@bp.arguments(schemas.YearPageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.Campaigns)
def survey_campaigns(page: int, per_page: int, fiscal_year: int | None = None):
    return conditional((Domain.SURVEY, Domain.PEOPLE), schemas.Campaigns,
                       lambda: reads.survey_campaigns(fiscal_year, page, per_page))


@bp.route("/survey/campaigns/<int:campaign_id>/results",
          parameters=[{"in": "path", "name": "campaign_id", "example": 1}])
@operation("survey:read", "A closed campaign's aggregates, small groups suppressed as in the export")
@bp.response(200, schemas.Results)
def survey_results(campaign_id: int):
    return conditional((Domain.SURVEY, Domain.PEOPLE), schemas.Results, lambda: reads.survey_results(campaign_id))


@bp.route("/recognition/rounds")
@operation("recognition:read", "Announced award rounds and their winners, as announced", paged=True)
@bp.arguments(schemas.YearPageArgs, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, schemas.Rounds)
def rounds(page: int, per_page: int, fiscal_year: int | None = None):
    return conditional((Domain.RECOGNITION, Domain.PEOPLE), schemas.Rounds,
                       lambda: reads.winners(fiscal_year, page, per_page))
