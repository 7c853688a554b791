"""Mail to an account's owner: their sign-in link and the notice that their password changed.

It goes to the email of the person the account belongs to, only when a mail server is set
(ETHICS_SMTP_URL): without one there is nobody to mail, and a link must be handed over another
way (ethics.auth.services.issue_sign_in_link). Mail leaves after the transaction commits, so a
rolled-back change mails nobody; the sending is training's (ethics.training.notify.send).
"""
from __future__ import annotations

import logging
import smtplib

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ethics.core.extensions import db

log = logging.getLogger(__name__)
_PENDING = "ethics_auth_pending_mail"


def configured() -> bool:
    return bool(current_app.config.get("ETHICS_SMTP_URL"))


def queue(to: str, subject: str, body: str) -> None:
    db.session.info.setdefault(_PENDING, []).append((to, subject, body))


@event.listens_for(Session, "after_commit", propagate=True)
def _send_after_commit(session):
    for to, subject, body in session.info.pop(_PENDING, []):
        from ethics.training.notify import send

        try:
            send(to, subject, body)
        except (OSError, smtplib.SMTPException):  # the change is committed: say so in the log, not as an error page
            log.exception("mail to %s could not be sent: %s", to, subject)


@event.listens_for(Session, "after_rollback", propagate=True)
def _drop_after_rollback(session):
    session.info.pop(_PENDING, None)
