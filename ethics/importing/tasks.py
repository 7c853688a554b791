"""Removing import jobs, and the files uploaded with them, once nobody needs them."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.core.tasks import crontab, periodic
from ethics.importing.models import ImportJob

KEPT_FOR = timedelta(days=7)  # long enough to come back to a preview; the uploads hold personal data


@periodic(crontab(hour="18", minute="0"))  # 01:00 in Bangkok
def remove_expired_jobs() -> int:
    """Delete jobs (and their uploaded content) last changed more than KEPT_FOR ago."""
    result = db.session.execute(delete(ImportJob).where(ImportJob.status_at < utc_now() - KEPT_FOR))
    db.session.commit()
    return result.rowcount  # type: ignore[attr-defined]  # a DELETE's result is a CursorResult
