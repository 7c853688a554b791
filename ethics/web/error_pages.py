"""Generic error pages in the user's language; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ethics.core.extensions import db
from ethics.core.refusals import NOT_FOUND, STALE, Refusal
from ethics.web.render import htmx_request

log = logging.getLogger(__name__)


MESSAGES = {
    400: _l("The request could not be understood. Please check what you entered and try again."),
    401: _l("Please sign in to continue."),
    403: _l("You do not have permission to do this."),
    404: NOT_FOUND,
    405: _l("This action is not allowed here."),
    409: STALE,
    413: _l("The file is too large."),
    429: _l("Too many attempts. Please wait a while and try again."),
    500: _l("Something went wrong on our side. The problem has been logged."),
}


def error_page(code: int, message=None, headers: dict | None = None):
    """The error page, or under a JSON path (the API) {"error": ..., "message": ...}."""
    message = message or MESSAGES.get(code, MESSAGES[500])
    if answers_json():
        name = HTTP_STATUS_CODES.get(code, "error").lower().replace(" ", "_").replace("-", "_")
        return jsonify(error=name, message=str(message)), code, headers or {}
    return render_template("errors/error.html", code=code, message=message), code, headers or {}


def json_errors_under(app: Flask, prefix: str) -> None:
    """Errors of requests under `prefix` are JSON for programs, not pages (ethics/api)."""
    app.extensions.setdefault("ethics_json_paths", []).append(prefix)


def answers_json() -> bool:
    return any(request.path.startswith(prefix) for prefix in current_app.extensions.get("ethics_json_paths", ()))


def _invalid_input(error: HTTPException) -> str | None:
    """What webargs found wrong with the parameters (`page: Must be ...`), for a JSON 422."""
    found = (getattr(error, "data", None) or {}).get("messages") or {}
    parts = [f"{name}: {' '.join(map(str, problems if isinstance(problems, list) else [problems]))}"
             for where in found.values() if isinstance(where, dict) for name, problems in where.items()]
    return "; ".join(parts) or None


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return error_page(400, _l("Your form expired or was sent from elsewhere. Reload the page and try again."))

    @app.errorhandler(Refusal)
    def refused(refusal: Refusal):
        """A refusal no view showed on its page: the reason with its status, as a fragment that
        htmx swaps in place, or as the error page."""
        db.session.rollback()
        if htmx_request() and not answers_json():
            return Markup('<p class="flash error" role="alert">%s</p>') % refusal.message, refusal.status
        return error_page(refusal.status, refusal.message, getattr(refusal, "headers", None))

    @app.errorhandler(StaleDataError)
    def stale(_error):
        db.session.rollback()
        return error_page(409)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = getattr(error, "ethics_message", None) or (_invalid_input(error) if answers_json() else None)
        headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}  # Allow on a 405
        return error_page(error.code or 500, message, headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url_rule or "-")  # the pattern: a path may hold a token
        db.session.rollback()
        return error_page(500)
