"""Marking attendance on the roster, and checking in with the code shown at the venue.

The venue code is an HMAC of the session, the day and the current minute, so it needs no
storage, works only for its session and day, and expires by itself: the code of this
minute and of the minute before are accepted.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ethics.audit.services import record
from ethics.extensions import db
from ethics.training.models import Attendance, Registration, RegistrationStatus, SessionDay, SessionStatus, TrainingSession

CODE_PERIOD = 60  # seconds a code is shown
EARLY_CHECK_IN = timedelta(minutes=30)


class CheckInError(ValueError):
    """A refusal the person can read."""


@dataclass(frozen=True)
class RosterCell:
    """One attendance cell of a roster: what a mark needs, and what the answer shows."""

    session_id: int
    status: str
    person_id: int
    day_id: int

    @classmethod
    def of(cls, session: TrainingSession, person_id: int, day: SessionDay) -> RosterCell:
        """For callers that already hold the session and the day (check-in, the demo data)."""
        return cls(session.id, session.status, person_id, day.id)


def roster_cell(session_id: int, person_id: int, day_id: int) -> RosterCell | None:
    """The cell when the day and the registration both belong to the session, else None: one
    small query, so a mark cannot reach another session's roster by a guessed id."""
    status = db.session.scalar(
        select(TrainingSession.status)
        .join(SessionDay, SessionDay.session_id == TrainingSession.id)
        .join(Registration, Registration.session_id == TrainingSession.id)
        .where(TrainingSession.id == session_id, SessionDay.id == day_id, Registration.person_id == person_id))
    return None if status is None else RosterCell(session_id, status, person_id, day_id)


def mark(cell: RosterCell, present: bool, source: str = "roster") -> None:
    """Insert or update one attendance mark in a single statement (double clicks are harmless)."""
    if cell.status not in (SessionStatus.OPEN, SessionStatus.PLANNED):
        raise CheckInError(_l("Attendance can no longer be changed: the session is closed."))
    upsert_attendance(cell.session_id, cell.day_id, cell.person_id, present, source)


def upsert_attendance(session_id: int, day_id: int, person_id: int, present: bool, source: str) -> None:
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(Attendance).values(day_id=day_id, person_id=person_id, session_id=session_id,
                                          present=present, source=source)
    db.session.execute(statement.on_conflict_do_update(index_elements=["day_id", "person_id"],
                                                       set_={"present": present, "source": source}))


def attendance_map(session_id: int) -> dict[tuple[int, int], bool]:
    """(person id, day id) -> present, for the whole session in one query."""
    rows = db.session.execute(select(Attendance.person_id, Attendance.day_id, Attendance.present)
                              .where(Attendance.session_id == session_id))
    return {(row.person_id, row.day_id): row.present for row in rows}


def _slot(moment: datetime) -> int:
    return int(moment.timestamp()) // CODE_PERIOD


def code_for(day: SessionDay, slot: int) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, f"check-in:{day.session_id}:{day.id}:{slot}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def current_code(day: SessionDay, now: datetime) -> str:
    return code_for(day, _slot(now))


def in_window(day: SessionDay, now: datetime) -> bool:
    """From half an hour before the start to the end of the day's programme (local time)."""
    starts = datetime.combine(day.day, day.starts) - EARLY_CHECK_IN
    return starts <= now <= datetime.combine(day.day, day.ends)


def today_of(session: TrainingSession, now: datetime) -> SessionDay | None:
    return next((day for day in session.days if day.day == now.date()), None)


def check_in(person_id: int, code: str, now: datetime) -> TrainingSession:
    """Find the person's session running now whose code matches, and mark them present."""
    code = code.strip()
    registrations = db.session.scalars(
        select(Registration).join(TrainingSession).join(SessionDay)
        .where(Registration.person_id == person_id, SessionDay.day == now.date(),
               TrainingSession.status.in_([SessionStatus.OPEN, SessionStatus.PLANNED]))
    ).unique().all()
    slot = _slot(now)
    for registration in registrations:
        day = today_of(registration.session, now)
        if code == code_for(day, slot) or code == code_for(day, slot - 1):
            break
        if any(code == code_for(day, old) for old in range(slot - 30, slot - 1)):
            raise CheckInError(_l("This code has expired. Use the code shown on the screen now."))
    else:
        raise CheckInError(_l("This code is not valid for any of your sessions today."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise CheckInError(_l("You do not have a confirmed seat in this session."))
    if not in_window(day, now):
        raise CheckInError(_l("Check-in is open from 30 minutes before the start until the end of the day."))
    already = db.session.scalar(select(Attendance.present).where(Attendance.day_id == day.id,
                                                                 Attendance.person_id == person_id))
    if already:
        raise CheckInError(_l("You have already checked in today."))
    session = registration.session
    mark(RosterCell.of(session, person_id, day), True, source="check_in")
    record("training.check_in", session, day=day.day.isoformat())
    return session
