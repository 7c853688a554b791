from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, request
from sqlalchemy import select

from ethics.audit import display
from ethics.audit.models import AuditEntry
from ethics.core.fiscal import BANGKOK, parse_date
from ethics.web.access import roles_required
from ethics.web.pagination import paginate
from ethics.web.render import render

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50


def _bangkok_midnight(day: date) -> datetime:
    """The start of a day in Bangkok as a stored (UTC, naive) timestamp: the page shows Bangkok time."""
    return datetime.combine(day, time(), BANGKOK).astimezone(UTC).replace(tzinfo=None)


@bp.get("/audit")
@roles_required("admin")
def log():
    """Browse the log newest first, filtered in SQL by action, actor and dates (days in Bangkok time)."""
    args = request.args
    query = select(AuditEntry)
    if action := args.get("action", "").strip()[:64]:
        query = query.where(AuditEntry.action.startswith(action))
    if actor := args.get("actor", "").strip()[:150]:
        query = query.where(AuditEntry.actor_label == actor)
    if target := args.get("target", "").strip()[:64]:
        query = query.where(AuditEntry.target_type == target)
    bad_dates = []
    for name, compare in (("from", lambda day: AuditEntry.created_at >= _bangkok_midnight(day)),
                          ("to", lambda day: AuditEntry.created_at < _bangkok_midnight(day + timedelta(days=1)))):
        if text := args.get(name, "").strip():
            try:
                query = query.where(compare(parse_date(text)))
            except ValueError:
                bad_dates.append(name)
    page = paginate(query.order_by(AuditEntry.seq.desc()), args.get("page", 1, type=int), PAGE_SIZE)
    return render("audit/log.html", "entries", page=page, args=args, bad_dates=bad_dates,
                  action_label=display.action_label, read_details=display.read, status=422 if bad_dates else 200)
