"""Marking attendance on the roster, and checking in with the code shown at the venue.

The venue code is an HMAC of the session, the day and the current minute, so it needs no
storage, works only for its session and day, and expires by itself: the code of this
minute and of the minute before are accepted.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Select, String, bindparam, literal, select

from ethics.audit.services import record
from ethics.core.bulk import upsert, upsert_row
from ethics.core.extensions import db
from ethics.core.refusals import NotFound, Refusal
from ethics.training import summary
from ethics.training.models import (
    RUNNING,
    Attendance,
    Registration,
    RegistrationStatus,
    SessionDay,
    TrainingSession,
)

CODE_PERIOD = 60  # seconds a code is shown
EARLY_CHECK_IN = timedelta(minutes=30)


class CheckInError(Refusal):
    """A refusal the person can read."""


class MarksClosed(CheckInError):
    """The session is closed: its attendance is part of its results now."""

    status = 409


class NotOnRoster(NotFound):
    """The day or the registration does not belong to the session (a guessed or stale id)."""


def mark(session_id: int, person_id: int, day_id: int, present: bool, source: str = "roster") -> None:
    """Insert or update one mark, in one statement that also checks the cell: the day and the
    registration belong to the session, and the session still takes marks. A double click is
    harmless; a refusal is explained by a second query, only then."""
    db.session.flush()  # the cell is checked in the database, where pending registrations must be
    connection = db.session.connection()  # a Core statement: the ORM's execution path would cost more
    params = {"session_id": session_id, "person_id": person_id, "day_id": day_id, "present": present,
              "source": source}
    if connection.execute(_checked_upsert(connection.dialect.name), params).first() is None:
        if _session_status(session_id, person_id, day_id) is None:
            raise NotOnRoster()
        raise MarksClosed(_l("Attendance can no longer be changed: the session is closed."))
    summary.refresh([person_id], session_id)


@cache
def _checked_upsert(dialect: str):
    """INSERT ... SELECT the cell ... ON CONFLICT DO UPDATE, built once per dialect: building it
    per mark cost a third of the request."""
    table = Attendance.__table__
    cell = _cell_query(TrainingSession.id).add_columns(
        bindparam("present", type_=Boolean), bindparam("source", type_=String)).where(
        TrainingSession.status.in_(RUNNING))
    statement = upsert(dialect)(table).from_select(["session_id", "day_id", "person_id", "present", "source"], cell)
    return statement.on_conflict_do_update(
        index_elements=["day_id", "person_id"],
        set_={"present": statement.excluded.present, "source": statement.excluded.source},
    ).returning(table.c.person_id)


def _cell_query(*columns) -> Select:
    return (select(*columns, SessionDay.id, Registration.person_id)
            .join(SessionDay, SessionDay.session_id == TrainingSession.id)
            .join(Registration, Registration.session_id == TrainingSession.id)
            .where(TrainingSession.id == bindparam("session_id"), SessionDay.id == bindparam("day_id"),
                   Registration.person_id == bindparam("person_id")))


def _session_status(session_id: int, person_id: int, day_id: int) -> str | None:
    return db.session.execute(_cell_query(TrainingSession.status), {
        "session_id": session_id, "person_id": person_id, "day_id": day_id}).scalar()


def upsert_attendance(session_id: int, day_id: int, person_id: int, present: bool, source: str,
                      checked_in_at: datetime | None = None) -> None:
    """For callers that have checked the cell themselves (check-in, imports)."""
    upsert_row(Attendance, ["day_id", "person_id"], day_id=day_id, person_id=person_id, session_id=session_id,
               present=present, source=source, checked_in_at=checked_in_at)


def mark_all_present(session_id: int, day_id: int) -> int:
    """Mark every confirmed registrant present on the day, in one statement; returns how many
    marks it added or turned to present. A mark already present (a check-in, with its time) stays
    as it is, so a second click, or two at once, adds nothing and is not audited again."""
    session = db.session.scalar(select(TrainingSession).join(SessionDay).where(
        TrainingSession.id == session_id, SessionDay.id == day_id))
    if session is None:
        raise NotOnRoster()
    if not session.running:
        raise MarksClosed(_l("Attendance can no longer be changed: the session is closed."))
    connection = db.session.connection()
    marked = connection.execute(_all_present(connection.dialect.name), {"session_id": session_id, "day_id": day_id})
    people = marked.scalars().all()
    count = len(people)
    summary.refresh(people, session_id)
    if count:
        day = next(day for day in session.days if day.id == day_id)
        record("training.mark_all_present", session, day=day.day.isoformat(), count=count)
    return count


@cache
def _all_present(dialect: str):
    """INSERT ... SELECT the day's confirmed registrants ... ON CONFLICT turn an absent mark present."""
    table = Attendance.__table__
    confirmed = (select(SessionDay.session_id, SessionDay.id, Registration.person_id, literal(True), literal("roster"))
                 .join(Registration, Registration.session_id == SessionDay.session_id)
                 .join(TrainingSession, TrainingSession.id == SessionDay.session_id)
                 .where(SessionDay.id == bindparam("day_id"), SessionDay.session_id == bindparam("session_id"),
                        Registration.status == RegistrationStatus.CONFIRMED, TrainingSession.status.in_(RUNNING)))
    statement = upsert(dialect)(table).from_select(["session_id", "day_id", "person_id", "present", "source"], confirmed)
    return statement.on_conflict_do_update(
        index_elements=["day_id", "person_id"], set_={"present": True, "source": "roster"},
        where=table.c.present.is_(False),
    ).returning(table.c.person_id)


def check_in_times(session_id: int) -> dict[tuple[int, int], datetime]:
    """(person id, day id) -> when they checked in, for the marks that are still their check-in."""
    rows = db.session.execute(select(Attendance.person_id, Attendance.day_id, Attendance.checked_in_at).where(
        Attendance.session_id == session_id, Attendance.source == "check_in", Attendance.present,
        Attendance.checked_in_at.is_not(None)))
    return {(row.person_id, row.day_id): row.checked_in_at for row in rows}


def attendance_map(session_id: int) -> dict[tuple[int, int], bool]:
    """(person id, day id) -> present, for the whole session in one query."""
    rows = db.session.execute(select(Attendance.person_id, Attendance.day_id, Attendance.present)
                              .where(Attendance.session_id == session_id))
    return {(row.person_id, row.day_id): row.present for row in rows}


def present_on(person_id: int, day_ids: list[int]) -> set[int]:
    """The days among `day_ids` the person is marked present on (checked in, or by HR)."""
    return set(db.session.scalars(select(Attendance.day_id).where(
        Attendance.person_id == person_id, Attendance.day_id.in_(day_ids), Attendance.present)))


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
               TrainingSession.status.in_(RUNNING))
    ).unique().all()
    slot = _slot(now)
    for registration in registrations:
        day = today_of(registration.session, now)
        if day is None:  # not possible: the query joined today's day
            continue
        if code == code_for(day, slot) or code == code_for(day, slot - 1):
            break
        if any(code == code_for(day, old) for old in range(slot - 30, slot - 1)):
            raise CheckInError(_l("This code has expired. Use the code shown on the screen now."), field="code")
    else:
        raise CheckInError(_l("This code is not valid for any of your sessions today."), field="code")
    if not registration.confirmed:
        raise CheckInError(_l("You do not have a confirmed seat in this session."), field="code")
    if not in_window(day, now):
        raise CheckInError(_l("Check-in is open from 30 minutes before the start until the end of the day."), field="code")
    already = db.session.scalar(select(Attendance.present).where(Attendance.day_id == day.id,
                                                                 Attendance.person_id == person_id))
    if already:
        raise CheckInError(_l("You have already checked in today."), field="code")
    session = registration.session
    upsert_attendance(session.id, day.id, person_id, True, source="check_in", checked_in_at=now.replace(microsecond=0))
    summary.refresh([person_id], session.id)
    record("training.check_in", session, day=day.day.isoformat())
    return session
