"""Append-only, hash-chained audit log of who did what, when, before and after."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.audit import cli, tasks, views, waiting  # noqa: F401  # tasks: the worker's schedule

    app.register_blueprint(views.bp)
    waiting.provide(app)
    app.cli.add_command(cli.audit_verify)
    app.cli.add_command(cli.audit_checkpoint)
