"""The shared layer under every domain: configuration, extensions, the database and its data
versions, bulk writes, fiscal arithmetic, languages, charts, documents, spreadsheets, refusals
and the task queue.
It imports no domain and no web code."""
from __future__ import annotations

from flask import Flask

from ethics.core import charts, data_versions, database, extensions, i18n, kept_documents, tasks, worker
from ethics.core.config import PROJECT_ROOT


def init_app(app: Flask) -> None:
    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(PROJECT_ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.htmx.init_app(app)
    i18n.init_app(app)
    database.init_database(app, extensions.db)
    tasks.configure(app)
    app.cli.add_command(worker.worker_command)
    app.jinja_env.globals.update(meter=charts.meter, share_meter=charts.share_meter, column_chart=charts.columns)


__all__ = ["data_versions", "init_app", "kept_documents"]
