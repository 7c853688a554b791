"""Mail to an account's owner: their sign-in link and the notice that their password changed.

It goes to the email of the person the account belongs to, only when a mail server is set
(ETHICS_SMTP_URL): without one there is nobody to mail, and a link must be handed over another
way (ethics.auth.services.issue_sign_in_link). Messages go through the outbox (ethics.mail):
written in the change's transaction, so a rolled-back change mails nobody, and sent by the
worker. They are `sensitive`: the outbox page never shows their text, and it is erased once sent.
"""
from __future__ import annotations

from flask import current_app, has_request_context

from ethics.auth.models import Account
from ethics.core.i18n import current_locale
from ethics.mail import services as outbox

KIND = "auth.account"


def configured() -> bool:
    return bool(current_app.config.get("ETHICS_SMTP_URL"))


def queue(account: Account, subject: str, body: str) -> None:
    """Write a message to the account's owner (the email on its person), greeted by name;
    `subject` and `body` come already in the language of the request (paragraphs apart by a
    blank line, a link on a line of its own)."""
    person = account.person
    to = (person.email or "").strip() if person is not None else ""
    if person is None or not to:
        return
    outbox.queue_message(to, KIND, subject, name=person.full_name, person_id=person.id,
                         locale=current_locale() if has_request_context() else outbox.DEFAULT_LOCALE, sensitive=True,
                         paragraphs=[part.strip() for part in body.split("\n\n") if part.strip()])
