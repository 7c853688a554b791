"""Generic error pages in the user's language; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from ethics.extensions import db

log = logging.getLogger(__name__)


class FieldError(ValueError):
    """A rule refused a value; the message belongs next to one form field."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


class StaleEdit(Exception):
    """The record changed since the form was loaded (answered with 409)."""

MESSAGES = {
    400: _l("The request could not be understood. Please check what you entered and try again."),
    401: _l("Please sign in to continue."),
    403: _l("You do not have permission to do this."),
    404: _l("This page does not exist, or you cannot see it."),
    405: _l("This action is not allowed here."),
    409: _l("Someone else changed this record while you were editing it. Reload the page to see the latest version."),
    413: _l("The file is too large."),
    429: _l("Too many attempts. Please wait a while and try again."),
    500: _l("Something went wrong on our side. The problem has been logged."),
}


def error_page(code: int, message=None):
    body = render_template("errors/error.html", code=code, message=message or MESSAGES.get(code, MESSAGES[500]))
    return body, code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return error_page(400, _l("Your form expired or was sent from elsewhere. Reload the page and try again."))

    @app.errorhandler(StaleDataError)
    def stale(_error):
        db.session.rollback()
        return error_page(409)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return error_page(error.code or 500, getattr(error, "ethics_message", None))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_page(500)
