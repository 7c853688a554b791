"""Invitations, confirmations and promotions by email (ETHICS_SMTP_URL), or to the log.

Mail is sent after the transaction commits, so a rolled-back registration never mails anyone.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ethics.core.extensions import db
from ethics.people.models import Person
from ethics.training.models import TrainingSession

log = logging.getLogger(__name__)
_PENDING = "ethics_pending_mail"


def _queue(to: str, subject: str, body: str) -> None:
    if not to:
        return
    db.session.info.setdefault(_PENDING, []).append((to, subject, body))


@event.listens_for(Session, "after_commit", propagate=True)
def _send_after_commit(session):
    for message in session.info.pop(_PENDING, []):
        send(*message)


@event.listens_for(Session, "after_rollback", propagate=True)
def _drop_after_rollback(session):
    session.info.pop(_PENDING, None)


def discard_pending() -> None:
    """Drop the mail queued in this transaction (demo data)."""
    db.session.info.pop(_PENDING, None)


def send(to: str, subject: str, body: str) -> None:
    """SMTP when configured (smtp://user:password@host:port, smtps:// for TLS); otherwise the log."""
    url = current_app.config.get("ETHICS_SMTP_URL")
    if not url:
        log.info("mail to %s: %s", to, subject)
        return
    parts = urlsplit(url)
    message = EmailMessage()
    message["From"] = current_app.config["ETHICS_MAIL_FROM"]
    message["To"], message["Subject"] = to, subject
    message.set_content(body)
    client = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with client(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25), timeout=10) as smtp:
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)


def _describe(session) -> str:
    return f"{session.course.title_th} ({session.code}), {session.venue}"


def registration_changed(registration) -> None:
    person = registration.person or db.session.get_one(Person, registration.person_id)
    session = registration.session or db.session.get_one(TrainingSession, registration.session_id)
    subject = (_("Your seat is confirmed: %(session)s", session=session.code) if registration.status == "confirmed"
               else _("You are on the waiting list: %(session)s", session=session.code))
    _queue(person.email, subject, _describe(session))


def invited(session, person_ids: list[int]) -> None:
    for email in db.session.scalars(select(Person.email).where(Person.id.in_(person_ids))):
        _queue(email, _("Invitation to training: %(session)s", session=session.code), _describe(session))
