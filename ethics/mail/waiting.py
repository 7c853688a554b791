"""What mail puts on the administrator's start page: how many messages failed to go, on the outbox page."""
from __future__ import annotations

from datetime import date

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ethics.mail import services
from ethics.mail.models import MailStatus
from ethics.web.home import WaitingItem, register


def failures(_account, _today: date) -> list[WaitingItem]:
    """Always there, so the outbox is a click away; the count is the outbox page's own."""
    return [WaitingItem(_("Outbox: messages that failed"), url_for("mail.outbox"), services.counts()[MailStatus.FAILED])]


def provide(app: Flask) -> None:
    register(app, "admin", failures, _l("the outbox's failed messages"))
