from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, request
from sqlalchemy import select

from ethics.audit import display
from ethics.audit.forms import AuditFilterForm
from ethics.audit.models import AuditEntry
from ethics.core.fiscal import BANGKOK
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
    form = AuditFilterForm(request.args)
    valid = form.validate()
    query = select(AuditEntry)
    if action := (form.action.data or "").strip()[:64]:
        query = query.where(AuditEntry.action.startswith(action))
    if actor := (form.actor.data or "").strip()[:150]:
        query = query.where(AuditEntry.actor_label == actor)
    if target := (form.target.data or "").strip()[:64]:
        query = query.where(AuditEntry.target_type == target)
    if form.starts.data and not form.starts.errors:
        query = query.where(AuditEntry.created_at >= _bangkok_midnight(form.starts.data))
    if form.ends.data and not form.ends.errors:
        query = query.where(AuditEntry.created_at < _bangkok_midnight(form.ends.data + timedelta(days=1)))
    page = paginate(query.order_by(AuditEntry.seq.desc()), request.args.get("page", 1, type=int), PAGE_SIZE)
    return render("audit/log.html", "entries", page=page, args=request.args, form=form,
                  action_label=display.action_label, read_details=display.read, status=200 if valid else 422)
