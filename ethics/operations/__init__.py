"""Running the application for years: backups that restore, health, structured logs, metrics."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.operations import cli, health, logs, metrics

    logs.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(health.bp)
    app.cli.add_command(cli.backup_command)
    app.cli.add_command(cli.restore_command)
