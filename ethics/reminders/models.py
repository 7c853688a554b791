"""HR's switches, and what was already sent, so a reminder reaches each person once."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ethics.core.extensions import Model


class ReminderKind(StrEnum):
    SESSION_TOMORROW = "session_tomorrow"
    SESSION_CHANGED = "session_changed"
    NOMINATIONS_CLOSING = "nominations_closing"
    SCORING_CLOSING = "scoring_closing"
    SURVEY_CLOSING = "survey_closing"
    CERTIFICATE_READY = "certificate_ready"

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    ReminderKind.SESSION_TOMORROW: _l("The day before a session, to everyone with a confirmed seat"),
    ReminderKind.SESSION_CHANGED: _l("A session moved, changed venue or cancelled, to everyone registered"),
    ReminderKind.NOMINATIONS_CLOSING: _l("Three days before nominations close, to supervisors with a draft or no nomination"),
    ReminderKind.SCORING_CLOSING: _l("Three days before scoring ends, to committee members who have not scored everyone"),
    ReminderKind.SURVEY_CLOSING: _l("Three days before the survey closes, to those who have not answered"),
    ReminderKind.CERTIFICATE_READY: _l("A certificate is ready, to the person who passed"),
}


class ReminderSwitch(Model):
    """A kind HR switched off (every kind is on until then)."""

    __tablename__ = "reminder_switch"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class ReminderSent(Model):
    """One reminder of a kind about one thing (a session, a round, a campaign) to one person."""

    __tablename__ = "reminder_sent"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    about: Mapped[str] = mapped_column(String(64), primary_key=True)  # e.g. "session:12:2026-12-01"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime)
