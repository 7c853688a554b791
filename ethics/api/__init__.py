"""The read API for other systems (/api/v1, bearer tokens, OpenAPI 3.1) and personal access tokens."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from ethics.api.schemas import Error
from ethics.core.fiscal import YEARS
from ethics.web.request_checks import YearConverter

PREFIX = "/api/v1"


class _Api(Api):
    """flask-smorest's Api without its app-wide error handler: the app's own (ethics/web/error_pages.py)
    answers every error, in JSON {"error", "message"} under /api/ and as pages elsewhere."""

    ERROR_SCHEMA = Error

    def _register_error_handlers(self):
        pass


def init_app(app: Flask) -> None:
    from ethics.api import cli, guard, models, pages, views  # noqa: F401  # models: the tables
    from ethics.core.extensions import csrf
    from ethics.web.error_pages import json_errors_under

    app.config.setdefault("API_TITLE", "Ethics and Integrity API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    guard.init_app(app)
    json_errors_under(app, "/api/")
    api = _Api(app, spec_kwargs={"info": {"description": "Read-only. Send `Authorization: Bearer TOKEN`; "
                                                         "create a token on your account's page (/me/tokens)."}})
    year = {"type": "integer", "minimum": YEARS.start, "maximum": YEARS.stop - 1, "examples": [2551]}
    api.register_converter(YearConverter, lambda _converter: year)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    csrf.exempt(views.bp)  # no cookie authenticates the API, so no forged request can ride one
    api.register_blueprint(views.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(pages.docs)
    app.cli.add_command(cli.create_token)
