from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.core.i18n import current_locale
from ethics.core.spreadsheets import XLSX_MIMETYPE, SpreadsheetError, sniff
from ethics.importing import services
from ethics.importing.models import ImportJob, JobStatus
from ethics.importing.template_files import template_xlsx
from ethics.web.access import deny, roles_required
from ethics.web.form_fields import AppForm
from ethics.web.render import attachment, render
from ethics.web.unit_of_work import perform

bp = Blueprint("imports", __name__, url_prefix="/imports")


class UploadForm(AppForm):
    file = FileField(validators=[FileRequired()])
    deactivate_missing = BooleanField()


def _importer_for(kind: str):
    importer = services.REGISTRY.get(kind)
    if importer is None:
        abort(404)
    if not current_user.has_role(*importer.roles):
        deny(403)
    return importer


def _own_job(job_id: str) -> ImportJob:
    """Jobs are only ever shown to the person who uploaded the file."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.account_id != current_user.id:
        deny(404)
    return job


IMPORTERS = ("admin", "hr")


@bp.route("/<kind>", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def upload(kind: str):
    importer = _importer_for(kind)
    form = UploadForm()
    error = None
    if form.validate_on_submit():
        upload_ = form.file.data
        data = upload_.read()
        try:
            sniff(upload_.filename or "", data)
        except SpreadsheetError as problem:
            error = str(problem)
        else:
            options = {name: bool(request.form.get(name)) for name in importer.options}
            options["by_admin"] = current_user.has_role("admin")  # who may change what (never from the form)
            job = perform(lambda: services.create_job(importer, upload_.filename or "upload", data, options,
                                                      current_user.id, current_locale())).value
            job_id = job.id
            services.dispatch()  # starts it now, or it waits as queued
            return redirect(url_for("imports.job", job_id=job_id))
    elif form.errors:
        error = _("Choose a file to upload.")
    return render("importing/upload.html", form=form, importer=importer, error=error,
                  status=422 if error else 200)


@bp.get("/<kind>/template.xlsx")
@roles_required(*IMPORTERS)
def template(kind: str):
    """A blank file with the import's columns, described in Thai and English, and the values they accept."""
    importer = _importer_for(kind)
    return Response(template_xlsx(importer), mimetype=XLSX_MIMETYPE, headers=attachment(f"{kind}-template.xlsx"))


@bp.get("/jobs/<job_id>")
@roles_required(*IMPORTERS)
def job(job_id: str):
    job = _own_job(job_id)
    if job.shown_status(utc_now()) == JobStatus.QUEUED:
        services.dispatch()  # a place may have come free where no running job was left to give it
    return render("importing/job.html", "status", job=job, job_status=job.shown_status(utc_now()),
                  importer=services.REGISTRY[job.kind])


@bp.post("/jobs/<job_id>/apply")
@roles_required(*IMPORTERS)
def apply(job_id: str):
    job = _own_job(job_id)
    _importer_for(job.kind)
    job_id = job.id
    if not services.queue_for_apply(job, (current_user.id, current_user.username)):
        abort(409)  # already applied, or a double click
    services.dispatch()
    return redirect(url_for("imports.job", job_id=job_id))
