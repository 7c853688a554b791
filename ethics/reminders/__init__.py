"""Reminders the worker sends, each kind switchable by HR: a session tomorrow, nominations or
scoring about to close, the survey about to close, a certificate ready, a session moved or
cancelled."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.reminders import services, tasks, views  # noqa: F401  # tasks: the worker's schedule
    from ethics.training import signals

    app.register_blueprint(views.bp)
    signals.session_changed.connect(services.on_session_changed, weak=False)
