"""The plan's scheduled work, run by the worker."""
from __future__ import annotations

from sqlalchemy import select

from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.core.tasks import crontab, periodic
from ethics.plan import services
from ethics.plan.models import Plan


@periodic(crontab(hour="16", minute="55"))  # 23:55 in Bangkok: the report of the day's end
def lock_scheduled_snapshots() -> list[str]:
    """Lock the six-month and annual snapshots that are due, for every plan whose HR switched it on."""
    today, locked = local_now().date(), []
    for plan in db.session.scalars(select(Plan).where(Plan.auto_snapshots)):
        for name in services.scheduled_snapshots(plan, today):
            services.lock_snapshot(plan, name, today)
            locked.append(f"{plan.fiscal_year} {name}")
    db.session.commit()
    return locked
