"""What imports put on the start page: the account's own uploads still running or waiting to be applied."""
from __future__ import annotations

from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ethics.core.fiscal import utc_now
from ethics.importing import services
from ethics.importing.models import JobStatus
from ethics.web.home import WaitingItem, register


def _state(status: JobStatus) -> str:
    return {JobStatus.READY: _("Checked: ready to apply"),
            JobStatus.QUEUED: _("Queued: this import starts when an earlier one ends."),
            JobStatus.CHECKING: _("Checking the rows…")}.get(status, _("Applying the changes…"))


def own_jobs(account, _today: date) -> list[WaitingItem]:
    """Each of the account's jobs to follow or apply, linking to its page (only its owner's)."""
    now = utc_now()
    return [WaitingItem(f"{_('Import')}: {services.REGISTRY[job.kind].title}", url_for("imports.job", job_id=job.id),
                        detail=f"{job.filename} · {_state(job.shown_status(now))}")
            for job in services.waiting_jobs(account.id, now)]


def provide(app: Flask) -> None:
    register(app, "hr", own_jobs, _l("your imports still being checked, or checked and ready to apply"))
