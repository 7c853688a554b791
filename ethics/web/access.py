"""Role checks for views and the session timeouts; denials are written to the audit log.

Plumbing: it knows roles only as strings on `current_user`, so every domain can use it.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import wraps
from typing import NoReturn

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user, logout_user

from ethics.audit.services import record
from ethics.core.database import write_transaction
from ethics.core.extensions import db
from ethics.web.error_pages import answers_json
from ethics.web.render import htmx_request

log = logging.getLogger("ethics.web.access")


def deny(status: int = 403) -> NoReturn:
    """Log the denied access, then refuse (404 where existence itself must not show)."""
    # The route's pattern, not the address (which may hold a token); the line carries the account id, never a name.
    log.warning("denied %s %s", request.method, request.url_rule.rule if request.url_rule else "(no route)")
    with write_transaction(db.session):
        record("access.denied", path=request.path, method=request.method, status=status)
    abort(status)


def roles_required(*roles: str):
    """Only signed-in accounts holding one of `roles` may use the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                deny(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        wrapped.reads_only = getattr(view, "reads_only", False)
        return wrapped

    return decorator


def login_required(view):
    """Any signed-in account; the view itself checks what it shows."""
    return roles_required("admin", "hr", "supervisor", "committee", "employee")(view)


def _now() -> float:
    return datetime.now(UTC).timestamp()


def start_session_clock() -> None:
    session["login_at"] = session["seen_at"] = _now()


SEEN_AT_STEP = 30  # seconds; the idle limit is counted in minutes


def enforce_timeouts():
    """End a session idle for too long, or open for longer than the absolute limit. The API's
    paths (JSON errors) take no cookie, so they neither end nor renew a session."""
    if answers_json() or request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = _now()
    idle = current_app.config["ETHICS_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["ETHICS_ABSOLUTE_TIMEOUT"].total_seconds()
    if now - session.get("seen_at", 0) > idle or now - session.get("login_at", 0) > absolute:
        logout_user()
        session.clear()
        return redirect(url_for("auth.login", expired=1))
    if now - session.get("seen_at", 0) > SEEN_AT_STEP:  # not every request: each write re-signs the cookie
        session["seen_at"] = now
    return None


def unauthorized():
    if htmx_request():
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = url_for("auth.login")
        return response
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
