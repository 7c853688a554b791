"""The course catalogue and the scheduling of sessions."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds, fiscal_year_of
from ethics.core.refusals import Refusal, StaleEdit
from ethics.organisation.services import check_signatory
from ethics.training import plan_link, signals, summary
from ethics.training.models import (
    EVERY_YEAR,
    RUNNING,
    Category,
    Course,
    MandatoryCourse,
    Registration,
    SessionDay,
    SessionStatus,
    TrainingSession,
)
from ethics.training.registrations import promote_waiting, send_held_invitations
from ethics.training.results import score_missing

MAX_DAYS = 31


class CatalogueError(Refusal):
    """A course or session rule refused a value."""


@dataclass
class CourseData:
    code: str
    title_th: str
    title_en: str
    category: str
    default_hours: float
    min_attendance: float
    pass_score: float | None
    mandatory_year: int | None = None
    mandatory_types: list[str] = field(default_factory=list)
    mandatory_every_year: bool = False  # the types are then mandatory in every fiscal year


def save_course(course: Course | None, data: CourseData, expected_version: int | None = None) -> Course:
    if data.category not in set(Category):
        raise CatalogueError(_l("Unknown category."), field="category")
    if not 0 < data.min_attendance <= 1:
        raise CatalogueError(_l("Attendance must be between 1 and 100 percent."), field="min_attendance")
    clash = db.session.scalar(select(Course).where(Course.code == data.code))
    if clash is not None and clash is not course:
        raise CatalogueError(_l("Another course already has this code."), field="code")
    if data.mandatory_every_year and data.mandatory_year:
        raise CatalogueError(_l("Give a fiscal year or choose every year, not both."), field="mandatory_year")
    if course is not None and expected_version is not None and course.version != expected_version:
        raise StaleEdit()
    creating = course is None
    course = course or Course()
    for name in ("code", "title_th", "title_en", "category", "default_hours", "min_attendance", "pass_score"):
        setattr(course, name, getattr(data, name))
    year = EVERY_YEAR if data.mandatory_every_year else data.mandatory_year
    if year is not None:  # the types chosen replace that year's (or every year's): none chosen, none left
        course.mandatory = [row for row in course.mandatory if row.fiscal_year != year] + [
            MandatoryCourse(fiscal_year=year, personnel_type=kind) for kind in sorted(set(data.mandatory_types))]
    db.session.add(course)
    db.session.flush()
    record("course.create" if creating else "course.update", course, code=course.code)
    return course


@dataclass
class SessionData:
    code: str
    course_id: int
    first_day: date
    last_day: date
    starts: time
    ends: time
    venue: str
    capacity: int | None
    trainer: str
    unit_id: int | None
    plan_activity_code: str
    registration_deadline: date | None
    open_to_all: bool
    status: str
    signatory_id: int | None = None  # who signs its certificates; None: the head of its unit


def next_session_code(course: Course, first_day: date) -> str:
    """COURSE-FY-NN: readable on sign-in sheets and unique."""
    year = fiscal_year_of(first_day)
    prefix = f"{course.code}-{year}-"
    taken = db.session.scalar(select(func.count()).select_from(TrainingSession)
                              .where(TrainingSession.code.startswith(prefix))) or 0
    return f"{prefix}{taken + 1:02d}"


def save_session(session: TrainingSession | None, data: SessionData, expected_version: int | None = None) -> TrainingSession:
    """Create or change a session, whoever asks (a form, the demo, a test): every rule is checked,
    the plan activity it names included."""
    course = db.session.get(Course, data.course_id)
    if course is None:
        raise CatalogueError(_l("Unknown course."), field="course_id")
    if data.last_day < data.first_day:
        raise CatalogueError(_l("The last day is before the first day."), field="last_day")
    if (data.last_day - data.first_day).days >= MAX_DAYS:
        raise CatalogueError(_l("A session lasts at most %(n)d days.", n=MAX_DAYS), field="last_day")
    if data.ends <= data.starts:
        raise CatalogueError(_l("The end time must be after the start time."), field="ends")
    if data.capacity is not None and data.capacity < 1:
        raise CatalogueError(_l("Capacity must be at least 1, or empty for no limit."), field="capacity")
    if data.registration_deadline and data.registration_deadline > data.last_day:
        raise CatalogueError(_l("The registration deadline is after the session."), field="registration_deadline")
    year = fiscal_year_of(data.first_day)
    if data.plan_activity_code and not plan_link.activity_exists(year, data.plan_activity_code):
        # as the training import demands: a session never counts towards an activity that is not there
        raise CatalogueError(_l("%(code)s is not in the plan of fiscal year %(year)d", code=data.plan_activity_code,
                                year=year), field="plan_activity_code")
    check_signatory(data.signatory_id)
    if data.status == SessionStatus.HELD or data.status not in set(SessionStatus):
        raise CatalogueError(_l("A session becomes held only by closing it."), field="status")
    code = data.code or next_session_code(course, data.first_day)
    clash = db.session.scalar(select(TrainingSession).where(TrainingSession.code == code))
    if clash is not None and clash is not session:
        raise CatalogueError(_l("Another session already has this code."), field="code")
    if session is not None:
        if expected_version is not None and session.version != expected_version:
            raise StaleEdit()
        if session.results_final:
            raise CatalogueError(_l("This session is closed and can no longer be changed."), field="status")
        if session.status == SessionStatus.CANCELLED:  # nobody is to be told of seats or changes any more
            raise CatalogueError(_l("This session is cancelled and can no longer be changed."), field="status")
        if data.capacity is not None and data.capacity < session.taken:
            raise CatalogueError(_l("%(n)d seats are already taken.", n=session.taken), field="capacity")
    creating = session is None
    before = None if session is None else _what_people_plan_by(session)
    session = session or TrainingSession(taken=0)
    for name in ("course_id", "venue", "capacity", "trainer", "unit_id", "plan_activity_code",
                 "registration_deadline", "open_to_all", "status", "signatory_id"):
        setattr(session, name, getattr(data, name))
    session.code = code
    _set_days(session, data)
    db.session.add(session)
    db.session.flush()
    if not creating:
        promote_waiting(session)  # a larger capacity frees seats for those waiting
        send_held_invitations(session)  # when registration has just opened
        # its first day (so its fiscal year), activity, status or days may have changed what it counts for
        summary.refresh(summary.people_of([session.id]))
    record("session.create" if creating else "session.update", session, code=session.code, status=session.status)
    if before is not None and (changed := [name for name, value in _what_people_plan_by(session).items()
                                           if before[name] != value]):
        signals.session_changed.send(session, changed=changed)
    return session


def _what_people_plan_by(session: TrainingSession) -> dict:
    day = session.days[0] if session.days else None
    return {"first_day": session.first_day, "last_day": session.last_day, "starts": day and day.starts,
            "ends": day and day.ends, "venue": session.venue, "cancelled": session.status == SessionStatus.CANCELLED}


def _set_days(session: TrainingSession, data: SessionData) -> None:
    """One SessionDay per calendar day; days kept keep their id (and their attendance)."""
    wanted = [data.first_day + timedelta(days=n) for n in range((data.last_day - data.first_day).days + 1)]
    by_day = {day.day: day for day in session.days}
    session.days = [by_day.get(day) or SessionDay(day=day) for day in wanted]
    for day in session.days:
        day.starts, day.ends = data.starts, data.ends
    session.first_day = data.first_day


def sessions_in_year(fiscal_year: int):
    """SELECT of the sessions whose first day falls in the fiscal year."""
    first, last = fiscal_year_bounds(fiscal_year)
    return select(TrainingSession).where(TrainingSession.first_day.between(first, last))


class Need(StrEnum):
    """What HR still has to do about a session: the sessions page lists them, the start page counts them."""

    TO_OPEN = "to_open"
    TO_CLOSE = "to_close"
    SCORES = "scores"

    @property
    def label(self):
        return NEED_LABELS[self]


NEED_LABELS = {Need.TO_OPEN: _l("Sessions to open for registration"), Need.TO_CLOSE: _l("Sessions to close"),
               Need.SCORES: _l("Sessions with post-test scores to enter")}


def needing(need: Need, today: date):
    """A condition on TrainingSession: planned with a day still ahead (to open); not closed nor
    cancelled with every day past (to close); not closed, with a post-test and an attendee
    still without a score (scores)."""
    ahead = exists().where(SessionDay.session_id == TrainingSession.id, SessionDay.day >= today)
    if need == Need.TO_OPEN:
        return (TrainingSession.status == SessionStatus.PLANNED) & ahead
    running = TrainingSession.status.in_(RUNNING)
    if need == Need.TO_CLOSE:
        return running & ~ahead
    post_test = exists().where(Course.id == TrainingSession.course_id, Course.pass_score.is_not(None))
    return running & post_test & exists().where(Registration.session_id == TrainingSession.id, score_missing())


def sessions_needing(fiscal_year: int, need: Need, today: date):
    """SELECT of the fiscal year's sessions HR has `need` to do about."""
    return sessions_in_year(fiscal_year).where(needing(need, today))
