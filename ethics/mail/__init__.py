"""Mail: the outbox every message goes through, the worker's sending, the admin's outbox page and
`send-test-mail`. Other domains queue mail with ethics.mail.services.queue_for_person."""
from flask import Flask


def init_app(app: Flask) -> None:
    from ethics.mail import cli, views, waiting
    from ethics.mail.models import MailStatus

    app.register_blueprint(views.bp)
    waiting.provide(app)
    app.cli.add_command(cli.send_test_mail)
    app.jinja_env.globals["MailStatus"] = MailStatus
