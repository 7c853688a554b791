"""The one way mail leaves: SMTP from ETHICS_SMTP_URL (smtp://user:password@host:port, or
smtps:// for TLS from the first byte), or, when it is unset, the log.

`build` makes a whole e-mail of a message: Date, Message-ID, From (ETHICS_MAIL_FROM), To, Subject,
a plain-text part and an HTML part, and its attachments.
"""
from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import unquote, urlsplit

from flask import current_app

from ethics.core.fiscal import BANGKOK

log = logging.getLogger(__name__)
TIMEOUT_S = 10


@dataclass(frozen=True)
class Route:
    """Where mail goes: a mail server, or the log when `host` is empty."""

    scheme: str = ""
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = ""

    def __str__(self) -> str:  # never with the password
        return f"{self.scheme}://{self.host}:{self.port}" if self.host else "the log (ETHICS_SMTP_URL is not set)"


def route() -> Route:
    url = current_app.config.get("ETHICS_SMTP_URL")
    if not url:
        return Route()
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("ETHICS_SMTP_URL must look like smtp://user:password@host:port or smtps://...")
    return Route(parts.scheme, parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25),
                 unquote(parts.username or ""), unquote(parts.password or ""))


def build(*, message_id: str, to: str, subject: str, text: str, html: str, created_at: datetime,
          attachments: list[dict] | tuple = ()) -> EmailMessage:
    """The e-mail as it is sent: multipart/alternative (text, HTML), inside multipart/mixed when
    something is attached. Date is when the message was written, in Thai time."""
    email = EmailMessage()
    email["Date"] = format_datetime(created_at.replace(tzinfo=UTC).astimezone(BANGKOK))
    email["Message-ID"] = message_id
    email["From"] = current_app.config["ETHICS_MAIL_FROM"]
    email["To"] = to
    email["Subject"] = subject
    email.set_content(text)
    email.add_alternative(html, subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment["content_type"].partition("/")
        data = base64.b64decode(attachment["data"])
        if maintype == "text":
            email.add_attachment(data.decode(), subtype=subtype, filename=attachment["filename"])
        else:
            email.add_attachment(data, maintype=maintype, subtype=subtype, filename=attachment["filename"])
    return email


class Connection:
    """An open way out: `send` raises smtplib's exceptions (or OSError) when the server refuses."""

    def __init__(self, smtp: smtplib.SMTP | None):
        self.smtp = smtp

    def send(self, email: EmailMessage) -> None:
        if self.smtp is None:
            log.info("mail to %s: %s (%s)", email["To"], email["Subject"], email["Message-ID"])
            return
        self.smtp.send_message(email)


@contextmanager
def connection() -> Iterator[Connection]:
    """Connect (and sign in) once for many messages; OSError or an SMTPException when it cannot."""
    way = route()
    if not way.host:
        yield Connection(None)
        return
    client = smtplib.SMTP_SSL if way.scheme == "smtps" else smtplib.SMTP
    with client(way.host, way.port, timeout=TIMEOUT_S) as smtp:
        if way.username:
            smtp.login(way.username, way.password)
        yield Connection(smtp)


def smtp_code(error: Exception) -> int | None:
    """The server's reply code for a refused message, or None when the connection itself failed."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return min((code for code, _ in error.recipients.values()), default=None)
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(
            error, smtplib.SMTPConnectError | smtplib.SMTPAuthenticationError | smtplib.SMTPHeloError):
        return error.smtp_code
    return None


def describe(error: Exception) -> str:
    """The reason, as an administrator reads it on the outbox page and the command line prints it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{to}: {code} {_text(reply)}" for to, (code, reply) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
