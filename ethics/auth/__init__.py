"""Accounts, roles, sign-in and sessions."""
from flask import Flask

from ethics.core.extensions import login_manager
from ethics.core.i18n import locale_chosen


def init_app(app: Flask) -> None:
    from ethics.auth import cli, passwords, services, throttle, views, waiting
    from ethics.people import account_guard
    from ethics.web import access

    passwords.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(services.load_session_user)
    login_manager.unauthorized_handler(access.unauthorized)
    login_manager.session_protection = None  # the session version does this job across processes
    throttle.init_app(app)
    account_guard.provide(app, services.privileged_among)
    locale_chosen.connect(services.remember_locale, weak=False)
    app.before_request(access.enforce_timeouts)
    app.register_blueprint(views.bp)
    waiting.provide(app)
    app.cli.add_command(cli.create_user)
