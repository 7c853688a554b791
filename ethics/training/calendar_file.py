"""Calendar views of a fiscal year, and .ics files (RFC 5545, written by the icalendar package) for sessions."""
from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event

from ethics.core.fiscal import BANGKOK, fiscal_year_bounds
from ethics.training.models import SessionStatus, TrainingSession


def months_of(fiscal_year: int, sessions: list[TrainingSession]) -> list[tuple[date, list[TrainingSession]]]:
    """The twelve months of the fiscal year (October first), each with the sessions it holds."""
    first, _last = fiscal_year_bounds(fiscal_year)
    months = [date(first.year + (first.month + n - 1) // 12, (first.month + n - 1) % 12 + 1, 1) for n in range(12)]
    return [(month, [s for s in sessions if (s.first_day.year, s.first_day.month) == (month.year, month.month)])
            for month in months]


def _uid_domain() -> str:
    """This installation's name for its events (two offices' calendars never mix them up)."""
    host = urlsplit(current_app.config.get("ETHICS_BASE_URL") or "").hostname
    return host or "ethics.localhost"


def ics_for(session: TrainingSession, url: str) -> str:
    """One event per day, so calendars show the real hours of a multi-day session. An event's
    UID stays the session's for its life (session id and day number), SEQUENCE is the session's
    version so a change replaces the event, and a cancelled session's events say CANCELLED."""
    calendar = Calendar()
    calendar.add("prodid", "-//ethics//training//TH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if session.status == SessionStatus.CANCELLED else "PUBLISH")
    stamp = datetime.now(UTC)
    for number, day in enumerate(session.days, start=1):
        event = Event()
        event.add("uid", f"session-{session.id}-day-{number}@{_uid_domain()}")
        event.add("dtstamp", stamp)
        event.add("sequence", session.version)
        event.add("dtstart", datetime.combine(day.day, day.starts, tzinfo=BANGKOK))
        event.add("dtend", datetime.combine(day.day, day.ends, tzinfo=BANGKOK))
        event.add("summary", f"{session.course.title_th} ({session.code})")
        event.add("location", session.venue)
        event.add("url", url)
        event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
