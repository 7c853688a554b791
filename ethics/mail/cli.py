"""send-test-mail: output in English and exit codes for scripts."""
from __future__ import annotations

import smtplib

import click
from flask import current_app
from flask_babel import lazy_gettext as _l

from ethics.core.links import absolute_url
from ethics.mail import sender, services


@click.command("send-test-mail")
@click.argument("address")
def send_test_mail(address: str):
    """Send one message to ADDRESS now, through ETHICS_SMTP_URL: exit 0 when the server accepted
    it, 1 printing the reason when not (also when no mail server is set: it went to the log)."""
    try:
        way = sender.route()
        link = absolute_url("home.index") if current_app.config.get("ETHICS_BASE_URL") else None
        services.send_now(address, _l("Test message from the ethics system"), paragraphs=[
            _l("This is a test message. If you can read it, the ethics system can send you mail.")],
            link=link)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        click.echo(f"not sent: {sender.describe(error)}", err=True)
        raise SystemExit(1) from None
    if not way.host:
        click.echo("not sent: ETHICS_SMTP_URL is not set, so the message was written to the log", err=True)
        raise SystemExit(1)
    click.echo(f"sent to {address} through {way}")
