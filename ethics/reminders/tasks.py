"""The reminders' schedule, run by the worker."""
from __future__ import annotations

from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.core.tasks import crontab, periodic
from ethics.reminders.services import send_due


@periodic(crontab(hour="1", minute="0"))  # 08:00 in Bangkok: read at the start of the working day
def send_due_reminders() -> int:
    sent = send_due(local_now().date())
    db.session.commit()
    return sent
