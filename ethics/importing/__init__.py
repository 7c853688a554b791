"""Uploading, previewing and applying spreadsheet imports, for every domain's importers."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.importing import tasks, views, waiting  # noqa: F401  # tasks: the worker's schedule
    from ethics.importing.models import JobStatus

    app.register_blueprint(views.bp)
    waiting.provide(app)
    app.jinja_env.globals["JobStatus"] = JobStatus
