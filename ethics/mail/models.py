"""The outbox: every message the application sends, written in the transaction that causes it."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ethics.core.extensions import Model


class MailStatus(StrEnum):
    QUEUED = "queued"  # waiting: never tried, or tried and waiting for another try
    SENDING = "sending"  # claimed by a worker that is talking to the mail server
    SENT = "sent"  # the mail server accepted it (or, without one, it was written to the log)
    FAILED = "failed"  # refused for good, or out of tries: an administrator may send it again


STATUS_LABELS = {
    MailStatus.QUEUED: _l("Queued"),
    MailStatus.SENDING: _l("Sending"),
    MailStatus.SENT: _l("Sent"),
    MailStatus.FAILED: _l("Failed"),
}


class OutboxMessage(Model):
    """One e-mail to one recipient, rendered in their language when it was queued. Sending claims
    the row first, so each message leaves at most once however many tasks ask for it."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)  # the Message-ID header, <...@...>
    kind: Mapped[str] = mapped_column(String(64), index=True)  # e.g. training.invitation, auth.account
    recipient: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="th")
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # [{"filename", "content_type", "data" (base64)}], e.g. the session's .ics
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    # Holds a secret (a sign-in link): never shown, and its text is erased once it is sent.
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=MailStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def status_label(self):
        return STATUS_LABELS[MailStatus(self.status)]

    @property
    def resendable(self) -> bool:
        """Not sent and not being sent: an administrator may send it (again) now."""
        return self.status in (MailStatus.QUEUED, MailStatus.FAILED)
