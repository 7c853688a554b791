"""Calendar views of a fiscal year and .ics files (RFC 5545) for sessions."""
from __future__ import annotations

from datetime import UTC, date, datetime

from ethics.core.fiscal import BANGKOK, fiscal_year_bounds
from ethics.training.models import TrainingSession


def months_of(fiscal_year: int, sessions: list[TrainingSession]) -> list[tuple[date, list[TrainingSession]]]:
    """The twelve months of the fiscal year (October first), each with the sessions it holds."""
    first, _last = fiscal_year_bounds(fiscal_year)
    months = [date(first.year + (first.month + n - 1) // 12, (first.month + n - 1) % 12 + 1, 1) for n in range(12)]
    return [(month, [s for s in sessions if (s.first_day.year, s.first_day.month) == (month.year, month.month)])
            for month in months]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(day: date, moment) -> str:
    local = datetime.combine(day, moment, tzinfo=BANGKOK)
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_for(session: TrainingSession, url: str) -> str:
    """One VEVENT per day, so calendars show the real hours of a multi-day session."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ethics//training//TH", "CALSCALE:GREGORIAN"]
    for day in session.days:
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.id}-{day.day.isoformat()}@ethics",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(day.day, day.starts)}",
            f"DTEND:{_utc(day.day, day.ends)}",
            f"SUMMARY:{_escape(session.course.title_th)} ({_escape(session.code)})",
            f"LOCATION:{_escape(session.venue)}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
