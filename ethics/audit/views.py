from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, request
from sqlalchemy import func, select

from ethics.access import roles_required
from ethics.audit.models import AuditEntry
from ethics.extensions import db
from ethics.fiscal import parse_date
from ethics.web import render

bp = Blueprint("audit", __name__)
PAGE_SIZE = 50


@bp.get("/audit")
@roles_required("admin")
def log():
    """Browse the log newest first, filtered in SQL by action, actor and dates."""
    args = request.args
    query = select(AuditEntry)
    if action := args.get("action", "").strip()[:64]:
        query = query.where(AuditEntry.action.startswith(action))
    if actor := args.get("actor", "").strip()[:150]:
        query = query.where(AuditEntry.actor_label == actor)
    if target := args.get("target", "").strip()[:64]:
        query = query.where(AuditEntry.target_type == target)
    bad_dates = []
    for name, compare in (("from", lambda day: AuditEntry.created_at >= day),
                          ("to", lambda day: AuditEntry.created_at < day + timedelta(days=1))):
        if text := args.get(name, "").strip():
            try:
                query = query.where(compare(parse_date(text)))
            except ValueError:
                bad_dates.append(name)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, args.get("page", 1, type=int)), pages)
    entries = db.session.scalars(query.order_by(AuditEntry.seq.desc()).limit(PAGE_SIZE)
                                 .offset((page - 1) * PAGE_SIZE)).all()
    return render("audit/log.html", "entries", entries=entries, page=page, pages=pages, total=total,
                  args=args, bad_dates=bad_dates, status=422 if bad_dates else 200)
