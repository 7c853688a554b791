"""GET /healthz for a load balancer or a monitor: no sign-in, nothing personal.

Four parts, each with `ok`: the database answers; its schema is the migrations' head; a worker
beat in the last 90 seconds (or tasks run in the web process, ETHICS_TASKS_IMMEDIATE=1, so no
worker is expected); the last audit verification found the chain intact (none yet is fine: the
worker's nightly one comes). 200 when every part is ok, else 503; the body names the failing parts.
"""
from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ethics.audit.services import last_verification
from ethics.core.extensions import db
from ethics.core.tasks import queue
from ethics.operations import heartbeat
from ethics.operations.schema import head, revision_state

bp = Blueprint("operations", __name__)
Part = dict[str, Any]


def _utc(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat() if moment else None


def database_part() -> Part:
    try:
        db.session.execute(text("SELECT 1"))
        return {"ok": True}
    except SQLAlchemyError as error:
        db.session.rollback()
        return {"ok": False, "error": type(error).__name__}


def migrations_part() -> Part:
    revision, at_head = revision_state()
    return {"ok": at_head, "revision": revision, "head": head()}


def worker_part(now: float) -> Part:
    if queue.immediate:
        return {"ok": True, "mode": "in process"}
    try:
        seen = heartbeat.last_seen()
    except Exception as error:  # the queue's storage (a file, or Redis) cannot be read: say so, do not fail the page
        return {"ok": False, "mode": "worker", "error": type(error).__name__}
    if seen is None:
        return {"ok": False, "mode": "worker", "last_seen": None}
    return {"ok": now - seen <= heartbeat.SILENCE_S, "mode": "worker",
            "last_seen": _utc(datetime.fromtimestamp(seen, UTC).replace(tzinfo=None, microsecond=0)),
            "seconds_ago": round(now - seen)}


def audit_part() -> Part:
    last = last_verification()
    if last is None:
        return {"ok": True, "verified_at": None}
    return {"ok": last.intact, "verified_at": _utc(last.verified_at), "by": last.by, "entries": last.entries,
            "intact": last.intact, "broken_at": last.broken_at}


def check() -> dict[str, Any]:
    """Every part, and the overall status; with the database unreachable the parts that read it are not tried."""
    parts: dict[str, Part] = {"database": database_part()}
    unreachable = {"ok": False, "error": "database unreachable"}
    parts["migrations"] = migrations_part() if parts["database"]["ok"] else unreachable
    parts["worker"] = worker_part(time.time())
    parts["audit"] = audit_part() if parts["database"]["ok"] else unreachable
    failing = [name for name, part in parts.items() if not part["ok"]]
    return {"status": "failing" if failing else "ok", "failing": failing, **parts}


@bp.get("/healthz")
def health():
    report = check()
    return report, 503 if report["failing"] else 200, {"Cache-Control": "no-store"}
