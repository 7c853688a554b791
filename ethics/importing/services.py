"""Running an importer: check a file, preview it, then apply it all-or-nothing.

Web uploads become ImportJobs worked on in a background thread so HR can watch the progress
of a 20,000-row roster; the CLI runs the same steps in the foreground.
"""
from __future__ import annotations

import gc
import logging
import secrets
import threading
from contextlib import contextmanager

from flask import Flask, current_app, g
from flask_babel import force_locale
from sqlalchemy import update

from ethics.core.database import read_only
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.core.spreadsheets import SpreadsheetError, aliases_for, read_table
from ethics.importing.base import Importer, ImportPlan, RowError, missing_columns
from ethics.importing.models import ImportJob, JobStatus

log = logging.getLogger(__name__)
REGISTRY: dict[str, Importer] = {}
PREVIEW_ROWS = 500


def register(importer: Importer) -> None:
    REGISTRY[importer.kind] = importer


@contextmanager
def _no_cycle_collection():
    """An import makes hundreds of thousands of rows, dicts and strings, none of them in cycles;
    the cycle collector would walk the whole heap again and again for nothing (about a tenth
    of a 20,000-row import). Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(importer: Importer, filename: str, data: bytes, options: dict, progress=lambda done, total: None) -> ImportPlan:
    """Read and validate a file; raises SpreadsheetError when the file itself is unreadable."""
    with _no_cycle_collection():
        table = read_table(filename, data, aliases_for(importer.columns),
                           current_app.config["ETHICS_MAX_XLSX_UNPACKED_BYTES"])
        errors = missing_columns(table, importer.required)
        if errors:
            return ImportPlan(errors=errors)
        return importer.plan(table, options, progress)


def _apply(importer: Importer, plan: ImportPlan, filename: str) -> None:
    with _no_cycle_collection():
        importer.apply(plan, filename)


def run(importer: Importer, filename: str, data: bytes, options: dict, apply: bool) -> ImportPlan:
    """Check, and when asked and clean, apply in the caller's transaction."""
    plan = check(importer, filename, data, options)
    if apply and plan.ok:
        _apply(importer, plan, filename)
    return plan


# --- jobs for the web ------------------------------------------------------------

def create_job(importer: Importer, filename: str, data: bytes, options: dict, account_id: int, locale: str) -> ImportJob:
    now = utc_now()
    job = ImportJob(id=secrets.token_urlsafe(32), kind=importer.kind, filename=filename[:255], content=data,
                    options=options, account_id=account_id, locale=locale, status=JobStatus.CHECKING,
                    created_at=now, status_at=now)
    db.session.add(job)
    return job


def _set_progress(job_id: str, processed: int, total: int) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(ImportJob).where(ImportJob.id == job_id).values(processed=processed, total=total))


def _store_plan(job: ImportJob, plan: ImportPlan) -> None:
    job.counts = plan.counts()
    job.errors = [[error.row, error.column, str(error.reason)] for error in plan.errors]
    job.changes = [[c.row, c.status, c.label, c.fields] for c in plan.changes if c.status != "unchanged"][:PREVIEW_ROWS]


def check_job(job_id: str) -> None:
    """The checking pass only reads, so it holds no write lock while progress is written."""
    db.session.rollback()
    with read_only():
        job = db.session.get_one(ImportJob, job_id)
        locale = job.locale
        with force_locale(locale):
            try:
                plan = check(REGISTRY[job.kind], job.filename, job.content, job.options,
                             lambda done, total: _set_progress(job_id, done, total))
            except SpreadsheetError as error:
                plan = ImportPlan(errors=[RowError(0, "file", error)])
        db.session.rollback()
    with force_locale(locale):
        job = db.session.get_one(ImportJob, job_id)
        _store_plan(job, plan)
    job.status, job.status_at = JobStatus.READY if plan.ok else JobStatus.INVALID, utc_now()
    db.session.commit()


def claim_for_apply(job_id: str) -> bool:
    """Move a checked job to 'applying' once: a double-clicked Apply starts one run."""
    result = db.session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == JobStatus.READY)
                                .values(status=JobStatus.APPLYING, status_at=utc_now()))
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult


def apply_job(job_id: str, actor: tuple[int, str]) -> None:
    """Check again inside the write transaction (data may have moved since the preview), then write."""
    job = db.session.get_one(ImportJob, job_id)
    importer = REGISTRY[job.kind]
    g.audit_actor = actor  # (account id, username): the uploader, also from a background thread
    with force_locale(job.locale):
        plan = check(importer, job.filename, job.content, job.options)
        if plan.ok:
            _apply(importer, plan, job.filename)
        _store_plan(job, plan)
        job.status, job.status_at = JobStatus.DONE if plan.ok else JobStatus.INVALID, utc_now()
        db.session.commit()


def _guarded(app: Flask, work, job_id: str, *args) -> None:
    """Run job work in the thread's own app context, and record a failure on the job."""
    with app.app_context():
        try:
            work(job_id, *args)
        except Exception:
            log.exception("import job %s failed", job_id)
            db.session.rollback()
            db.session.execute(update(ImportJob).where(ImportJob.id == job_id)
                               .values(status=JobStatus.FAILED, status_at=utc_now()))
            db.session.commit()
        finally:
            db.session.remove()


def start(work, job_id: str, *args) -> None:
    """In a background thread in production; inline where the config says so (tests)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's app, for the thread
    if app.config["ETHICS_IMPORT_IN_BACKGROUND"]:
        threading.Thread(target=_guarded, args=(app, work, job_id, *args), daemon=True).start()
    else:
        work(job_id, *args)
