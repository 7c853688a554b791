"""Running an importer: check a file, preview it, then apply it all-or-nothing.

Web uploads become ImportJobs worked on by the worker (ethics.core.tasks) so HR can watch the progress
of a 20,000-row roster; the CLI runs the same steps in the foreground.

Every import is bounded: a file of more than ETHICS_MAX_IMPORT_ROWS data rows is refused while
it is read, before any row is checked; at most MAX_REPORTED_ERRORS problems are kept (and
stored), the rest counted. Jobs wait as queued until they may run: one per account, and
ETHICS_MAX_IMPORT_JOBS in the whole application, decided in a locked transaction so that
several processes agree (`claim_queued`); a job that ends starts the next (`dispatch`).
"""
from __future__ import annotations

import gc
import logging
import secrets
from contextlib import contextmanager
from datetime import datetime

from flask import current_app, g
from flask_babel import force_locale
from sqlalchemy import LargeBinary, bindparam, func, select, text, update
from sqlalchemy.orm import load_only

from ethics.core.database import read_only, write_transaction
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.core.spreadsheets import SpreadsheetError, aliases_for, read_table
from ethics.core.tasks import task
from ethics.importing.base import Importer, ImportPlan, RowError, RowErrors, hidden_characters, missing_columns
from ethics.importing.models import ImportJob, JobStatus

log = logging.getLogger(__name__)
REGISTRY: dict[str, Importer] = {}
PREVIEW_ROWS = 500
RUNNING = (JobStatus.CHECKING, JobStatus.APPLYING)
_CLAIM_LOCK = 7_240_002  # advisory-lock id reserved for claiming import jobs (the audit chain has 7_240_001)


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
                           current_app.config["ETHICS_MAX_XLSX_UNPACKED_BYTES"],
                           current_app.config["ETHICS_MAX_IMPORT_ROWS"])
        errors = missing_columns(table, importer.required)
        if errors:
            return ImportPlan(errors=RowErrors(errors))
        if hidden := hidden_characters(table):
            return ImportPlan(errors=hidden)
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
    """A queued job; `dispatch()` after the commit starts it when the limits allow."""
    now = utc_now()
    job = ImportJob(id=secrets.token_urlsafe(32), kind=importer.kind, filename=filename[:255], content=data,
                    options=options, account_id=account_id, locale=locale, status=JobStatus.QUEUED,
                    created_at=now, status_at=now)
    db.session.add(job)
    return job


def _importer_options(job: ImportJob, importer: Importer) -> dict:
    """The importer's own options and what the server said of the uploader (by_admin), without
    what the job keeps beside them (applied_by)."""
    return {name: value for name, value in job.options.items() if name in importer.options or name == "by_admin"}


def _set_progress(job_id: str, processed: int, total: int) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(ImportJob).where(ImportJob.id == job_id).values(processed=processed, total=total))


def _store_plan(job: ImportJob, plan: ImportPlan) -> None:
    job.counts = {**plan.counts(), **({"more_errors": plan.errors.more} if plan.errors.more else {})}
    job.errors = [[error.row, error.column, error.problem] for error in plan.errors]  # at most MAX_REPORTED_ERRORS
    job.changes = [[c.row, c.status, c.label, c.fields, c.values]
                   for c in plan.changes if c.status != "unchanged"][:PREVIEW_ROWS]


CONTENT_PIECE = 4 * 1024 * 1024


def uploaded_file(job_id: str) -> bytes:
    """The job's file, fetched a few megabytes at a time: fetched whole, PostgreSQL's text transfer
    of a 20 MB upload raised the checking process's peak by 120 MB (benchmark PF9)."""
    size = db.session.scalar(select(func.length(ImportJob.content)).where(ImportJob.id == job_id)) or 0
    piece = select(func.substr(ImportJob.content, bindparam("start"), CONTENT_PIECE, type_=LargeBinary)) \
        .where(ImportJob.id == job_id)
    return b"".join(db.session.execute(piece, {"start": start + 1}).scalar_one() for start in range(0, size, CONTENT_PIECE))


def check_job(job_id: str) -> None:
    """The checking pass only reads, so it holds no write lock while progress is written."""
    db.session.rollback()
    with read_only():
        job = db.session.get_one(ImportJob, job_id)
        locale, importer = job.locale, REGISTRY[job.kind]
        with force_locale(locale):
            try:
                plan = check(importer, job.filename, uploaded_file(job_id), _importer_options(job, importer),
                             lambda done, total: _set_progress(job_id, done, total))
            except SpreadsheetError as error:  # unreadable, or too many rows: nothing was checked
                plan = ImportPlan(errors=RowErrors([RowError(0, "file", error)]))
        db.session.rollback()
    with force_locale(locale):
        job = db.session.get_one(ImportJob, job_id)
        _store_plan(job, plan)
    job.status, job.status_at = JobStatus.READY if plan.ok else JobStatus.INVALID, utc_now()
    db.session.commit()


def waiting_jobs(account_id: int, now: datetime) -> list[ImportJob]:
    """The account's jobs still to follow or to apply (not their uploaded files), oldest first; a job
    whose process is gone is shown as interrupted on its page and waits for nothing."""
    jobs = db.session.scalars(
        select(ImportJob).where(ImportJob.account_id == account_id,
                                ImportJob.status.in_((JobStatus.QUEUED, *RUNNING, JobStatus.READY)))
        .options(load_only(ImportJob.id, ImportJob.kind, ImportJob.filename, ImportJob.status, ImportJob.status_at))
        .order_by(ImportJob.created_at))
    return [job for job in jobs if job.shown_status(now) != JobStatus.INTERRUPTED]


def queue_for_apply(job: ImportJob, actor: tuple[int, str]) -> bool:
    """Queue a checked job for applying, once: a double-clicked Apply starts one run. The actor
    (account id, username) is kept with the job for its audit entries, whichever process applies it."""
    result = db.session.execute(update(ImportJob).where(ImportJob.id == job.id, ImportJob.status == JobStatus.READY)
                                .values(status=JobStatus.QUEUED, status_at=utc_now(),
                                        options={**job.options, "applied_by": list(actor)}))
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult


def apply_job(job_id: str) -> None:
    """Check again inside the write transaction (data may have moved since the preview), then write."""
    job = db.session.get_one(ImportJob, job_id)
    importer = REGISTRY[job.kind]
    actor_id, username = job.options.get("applied_by") or (job.account_id, "")
    g.audit_actor = (actor_id, username)  # who pressed Apply, also in the worker
    with force_locale(job.locale):
        plan = check(importer, job.filename, uploaded_file(job_id), _importer_options(job, importer))
        if plan.ok:
            _apply(importer, plan, job.filename)
        _store_plan(job, plan)
        job.status, job.status_at = JobStatus.DONE if plan.ok else JobStatus.INVALID, utc_now()
        db.session.commit()


def _lock_claims() -> None:
    """Serialise claimers until the transaction ends: on PostgreSQL by an advisory lock; on
    SQLite the write transaction's BEGIN IMMEDIATE already holds the database's one write lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CLAIM_LOCK})


def claim_queued() -> list[tuple[str, JobStatus]]:
    """Move the oldest queued jobs that may run now to checking (or applying, for a checked job)
    and return them: at most one running job per account and ETHICS_MAX_IMPORT_JOBS in all.

    Counted and claimed in one locked transaction, so processes claiming at the same time never
    exceed the limits together; a job that stops running only frees a place, so the count can
    only err on the safe side. Jobs running or queued for longer than LOST_AFTER lost their
    process: they hold no place and are never started (their page says interrupted)."""
    claimed: list[tuple[str, JobStatus]] = []
    with write_transaction(db.session):
        _lock_claims()
        now = utc_now()
        alive = ImportJob.status_at >= now - ImportJob.LOST_AFTER
        busy = list(db.session.scalars(select(ImportJob.account_id).where(ImportJob.status.in_(RUNNING), alive)))
        places = current_app.config["ETHICS_MAX_IMPORT_JOBS"] - len(busy)
        if places <= 0:
            return claimed
        waiting = db.session.execute(select(ImportJob.id, ImportJob.account_id, ImportJob.counts)
                                     .where(ImportJob.status == JobStatus.QUEUED, alive)
                                     .order_by(ImportJob.status_at, ImportJob.id)).all()
        accounts = set(busy)
        for job_id, account_id, counts in waiting:
            if len(claimed) == places:
                break
            if account_id in accounts:
                continue
            status = JobStatus.APPLYING if counts else JobStatus.CHECKING  # counts: checked, to be applied
            db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(status=status, status_at=now))
            accounts.add(account_id)
            claimed.append((job_id, status))
    return claimed


def dispatch() -> None:
    """Hand every queued job the limits allow to the worker (a job that ends, done or failed,
    dispatches again, so its place goes to the next). Claims are committed before the task is
    queued, so a worker always finds its job claimed."""
    for job_id, status in claim_queued():
        run_job(job_id, status == JobStatus.APPLYING)


@task()
def run_job(job_id: str, applying: bool) -> None:
    """Check or apply one job in the worker; record a failure on the job, then give its place on."""
    try:
        with write_transaction(db.session):
            (apply_job if applying else check_job)(job_id)
    except Exception:
        log.exception("import job %s failed", job_id)
        db.session.rollback()
        db.session.execute(update(ImportJob).where(ImportJob.id == job_id)
                           .values(status=JobStatus.FAILED, status_at=utc_now()))
        db.session.commit()
    finally:
        dispatch()
