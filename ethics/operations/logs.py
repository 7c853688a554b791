"""Logs a machine can read: one JSON object per line with ETHICS_LOG_FORMAT=json, plain lines otherwise.

Every line written while a request runs carries its request id (a sane incoming X-Request-ID,
so a proxy's id follows the request through, or a new one; sent back in the answer), the
account id (never a name: the id is what the audit log and an erasure request can match), and
the route's pattern (`/invitation/<token>`, never the address, which may hold a token or a
search). Each request ends with one line giving its status and duration. An unhandled error's
traceback is logged once, by the error page's handler.
"""
from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import inspect

log = logging.getLogger("ethics.request")
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
PLAIN = "%(asctime)s %(levelname)s %(name)s [%(request_id)s account=%(account_id)s]: %(message)s"
JSON_FIELDS = "{levelname}{name}{message}{request_id}{account_id}{route}"
RENAMED = {"levelname": "level", "name": "logger"}


class _StandardError(logging.StreamHandler):
    """Writes to whatever sys.stderr is when the line is written (a test's capture, a reopened stream)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _account_id() -> int | None:
    """The signed-in account's id, when the request has loaded it (logging never loads a user).

    Read from the identity the database session keeps: after the request's commit the account's
    attributes are expired, and reading `user.id` would query again, in a transaction of its own
    (on SQLite a write transaction for a POST, queueing behind every other writer)."""
    user = g.get("_login_user")  # where Flask-Login keeps the user it loaded for this request
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    state = inspect(user, raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


class RequestFields(logging.Filter):
    """Adds request_id, account_id and route to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        inside = has_request_context()
        record.request_id = g.get("request_id", "-") if inside else "-"
        record.account_id = _account_id() if inside else None
        record.route = request.url_rule.rule if inside and request.url_rule else None
        return True


def configure(log_format: str) -> None:
    """One handler on the root logger, in the chosen format; the application's own loggers at INFO."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _StandardError)), None)
    if handler is None:
        handler = _StandardError()
        handler.addFilter(RequestFields())
        root.addHandler(handler)
    if log_format == "json":
        handler.setFormatter(JsonFormatter(JSON_FIELDS, style="{", rename_fields=RENAMED, timestamp="time",
                                           json_ensure_ascii=False))
    else:
        handler.setFormatter(logging.Formatter(PLAIN))
    root.setLevel(logging.WARNING)
    logging.getLogger("ethics").setLevel(logging.INFO)


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    if "request_id" in g:
        response.headers["X-Request-ID"] = g.request_id
        duration = round((time.perf_counter() - g.request_started) * 1000, 1)
        log.info("%s %s %s %sms", request.method, request.url_rule.rule if request.url_rule else "-",
                 response.status_code, duration,
                 extra={"method": request.method, "status": response.status_code, "duration_ms": duration})
    return response


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start)  # first: earlier hooks may answer at once
    app.after_request(_finish)
