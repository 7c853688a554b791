from __future__ import annotations

import io

from flask import Blueprint, Response, abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ethics.audit.services import record
from ethics.core.data_versions import Domain
from ethics.core.database import write_transaction
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of, local_now
from ethics.core.spreadsheets import XLSX_MIMETYPE
from ethics.people.models import PERSONNEL_TYPE_LABELS
from ethics.plan import dashboard, exports, report, services
from ethics.plan.forms import ActivityForm, AutoSnapshotsForm, CopyForm, EntryForm, ResultTextForm, SnapshotForm
from ethics.plan.models import Activity, ManualEntry, Plan, Snapshot
from ethics.plan.sources import SOURCE_LABELS
from ethics.web.access import roles_required
from ethics.web.form_fields import first_error
from ethics.web.kept_pages import cached_page
from ethics.web.render import attachment, render
from ethics.web.unit_of_work import perform

bp = Blueprint("plan", __name__, url_prefix="/plan")
OWNERS = ("admin", "hr")


def _plan(fiscal_year: int) -> Plan:
    plan = services.plan_for(fiscal_year)
    if plan is None:
        abort(404)
    return plan


def _activity(plan: Plan, activity_id: int) -> Activity:
    activity = next((a for a in plan.activities if a.id == activity_id), None)
    if activity is None:
        abort(404)
    return activity


@bp.get("/")
@roles_required(*OWNERS)
def index():
    years = services.plan_years()
    current = fiscal_year_of(local_now().date())
    return render("plan/index.html", years=years, current=current, cards=dashboard.year_cards(),
                  targets=services.copy_targets(years[0], current) if years else [])


@bp.get("/<year:fiscal_year>")
@roles_required(*OWNERS)
@cached_page(Domain.PLAN, Domain.TRAINING, Domain.SURVEY, Domain.RECOGNITION, Domain.PEOPLE)
def show(fiscal_year: int):
    return _show_page(_plan(fiscal_year), SnapshotForm(formdata=None))


def _show_page(plan: Plan, snapshot_form: SnapshotForm):
    """The plan's page; a refused snapshot comes back to it with the reason next to its name (422)."""
    current = fiscal_year_of(local_now().date())
    return render("plan/show.html", plan=plan, labels=SOURCE_LABELS, current=current, snapshot_form=snapshot_form,
                  targets=services.copy_targets(plan.fiscal_year, current), **dashboard.dashboard(plan),
                  status=422 if snapshot_form.errors else 200)


@bp.post("/<year:fiscal_year>/copy")
@roles_required(*OWNERS)
def copy(fiscal_year: int):
    form = CopyForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
    elif perform(lambda: services.copy_plan(fiscal_year, form.to.data),
                 done=_("The plan is copied to fiscal year %(year)d.", year=form.to.data)):
        return redirect(url_for("plan.show", fiscal_year=form.to.data))
    return redirect(url_for("plan.show", fiscal_year=fiscal_year))


@bp.get("/<year:fiscal_year>/activities/<int:activity_id>")
@roles_required(*OWNERS)
def activity(fiscal_year: int, activity_id: int):
    """The records behind a value: people or sessions, by personnel type and unit."""
    plan = _plan(fiscal_year)
    activity = _activity(plan, activity_id)
    found = dashboard.drill_down(activity, fiscal_year, request.args.get("page", 1, type=int))
    return render("plan/activity.html", plan=plan, activity=activity, value=found.value, people=found.people,
                  held=found.sessions, units=found.units, labels=SOURCE_LABELS, type_labels=PERSONNEL_TYPE_LABELS,
                  entry_form=EntryForm())


@bp.post("/<year:fiscal_year>/activities/<int:activity_id>/entries")
@roles_required(*OWNERS)
def add_entry(fiscal_year: int, activity_id: int):
    activity = _activity(_plan(fiscal_year), activity_id)
    form = EntryForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
    else:
        perform(lambda: services.add_entry(activity, form.entry_date.data, form.value.data, form.note.data or "",
                                           form.evidence.data), done=_("Saved."))
    return redirect(url_for("plan.activity", fiscal_year=fiscal_year, activity_id=activity_id))


@bp.post("/<year:fiscal_year>/activities/<int:activity_id>/result")
@roles_required(*OWNERS)
def result_text(fiscal_year: int, activity_id: int):
    activity = _activity(_plan(fiscal_year), activity_id)
    form = ResultTextForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
    else:
        perform(lambda: services.set_result_text(activity, form.result_text.data or "", form.version.data),
                done=_("Saved."))
    return redirect(url_for("plan.activity", fiscal_year=fiscal_year, activity_id=activity_id))


@bp.post("/<year:fiscal_year>/activities/<int:activity_id>")
@roles_required(*OWNERS)
def edit_activity(fiscal_year: int, activity_id: int):
    activity = _activity(_plan(fiscal_year), activity_id)
    form = ActivityForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
    else:
        perform(lambda: services.update_activity(activity, form.to_data(), form.version.data), done=_("Saved."))
    return redirect(url_for("plan.activity", fiscal_year=fiscal_year, activity_id=activity_id))


@bp.get("/<year:fiscal_year>/entries/<int:entry_id>/evidence")
@roles_required(*OWNERS)
def evidence(fiscal_year: int, entry_id: int):
    plan = _plan(fiscal_year)
    entry = db.session.get(ManualEntry, entry_id)
    if entry is None or entry.evidence is None or entry.activity_id not in {a.id for a in plan.activities}:
        abort(404)
    return send_file(io.BytesIO(entry.evidence), mimetype=entry.evidence_type, as_attachment=True,
                     download_name=entry.evidence_name)


@bp.post("/<year:fiscal_year>/snapshots")
@roles_required(*OWNERS)
def lock(fiscal_year: int):
    """Locks the report under a name the page asks for (and confirms before posting)."""
    plan = _plan(fiscal_year)
    form = SnapshotForm()
    if form.validate_on_submit():
        locked = perform(lambda: services.lock_snapshot(plan, form.name.data, local_now().date()), form=form,
                         done=_("The snapshot is locked."))
        if locked:
            return redirect(url_for("plan.snapshot", fiscal_year=fiscal_year, snapshot_id=locked.value.id))
    return _show_page(plan, form)


@bp.post("/<year:fiscal_year>/auto-snapshots")
@roles_required(*OWNERS)
def auto_snapshots(fiscal_year: int):
    plan = _plan(fiscal_year)
    form = AutoSnapshotsForm()
    if form.validate_on_submit():
        perform(lambda: services.set_auto_snapshots(plan, form.on.data), done=_("Saved."))
    return redirect(url_for("plan.show", fiscal_year=fiscal_year))


@bp.get("/<year:fiscal_year>/snapshots/<int:snapshot_id>")
@roles_required(*OWNERS)
def snapshot(fiscal_year: int, snapshot_id: int):
    plan = _plan(fiscal_year)
    locked = db.session.get(Snapshot, snapshot_id)
    if locked is None or locked.plan_id != plan.id:
        abort(404)
    live = {row["code"]: row for row in report.rows(plan)}
    return render("plan/snapshot.html", plan=plan, snapshot=locked, live=live)


@bp.get("/<year:fiscal_year>/report.<fmt>")
@roles_required(*OWNERS)
def export(fiscal_year: int, fmt: str):
    if fmt not in ("csv", "xlsx", "pdf"):
        abort(404)
    plan = _plan(fiscal_year)
    locked = services.snapshot_named(plan, request.args["snapshot"]) if request.args.get("snapshot") else None
    if request.args.get("snapshot") and locked is None:
        abort(404)
    rows = locked.rows if locked else report.rows(plan)
    with write_transaction(db.session):
        record("export.report", fiscal_year=fiscal_year, format=fmt, snapshot=locked.name if locked else "")
    body, mimetype = {
        "csv": lambda: (exports.to_csv(rows), "text/csv"),
        "xlsx": lambda: (exports.to_xlsx(rows, fiscal_year),
                         XLSX_MIMETYPE),
        "pdf": lambda: (exports.to_pdf(rows, fiscal_year, request.args.get("digits") == "thai", locked,
                                       current_user.person),
                        "application/pdf"),
    }[fmt]()
    name = f"report-{fiscal_year}{'-' + locked.name if locked else ''}.{fmt}"
    return Response(body, mimetype=mimetype, headers=attachment(name))
