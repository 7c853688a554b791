from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ethics.core.extensions import Model
from ethics.organisation.models import Signatory
from ethics.people.models import Person, Unit


class Category(StrEnum):
    ETHICS = "ethics"
    INTERNAL_CONTROL = "internal_control"
    WHISTLEBLOWER = "whistleblower"
    COMPETENCY = "competency"
    RELIGIOUS = "religious"
    OTHER = "other"


CATEGORY_LABELS = {
    Category.ETHICS: _l("Ethics and morality"),
    Category.INTERNAL_CONTROL: _l("Internal control"),
    Category.WHISTLEBLOWER: _l("Whistleblower volunteers"),
    Category.COMPETENCY: _l("Competency"),
    Category.RELIGIOUS: _l("Religious practice"),
    Category.OTHER: _l("Other"),
}


class SessionStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    HELD = "held"
    CANCELLED = "cancelled"


# Before it is closed (or cancelled) a session's seats can be given up and its attendance marked.
RUNNING = (SessionStatus.PLANNED, SessionStatus.OPEN)


STATUS_LABELS = {
    SessionStatus.PLANNED: _l("Planned"),
    SessionStatus.OPEN: _l("Open for registration"),
    SessionStatus.HELD: _l("Held"),
    SessionStatus.CANCELLED: _l("Cancelled"),
}


class Course(Model):
    """A course in the catalogue, with the rule that decides who passes."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title_th: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str] = mapped_column(String(255), default="")
    category: Mapped[str] = mapped_column(String(32), index=True)
    default_hours: Mapped[float] = mapped_column(Float, default=6)
    min_attendance: Mapped[float] = mapped_column(Float, default=1.0)  # share of days, 0-1
    pass_score: Mapped[float | None] = mapped_column(Float)  # post-test threshold, or no post-test
    version: Mapped[int] = mapped_column(Integer, default=1)

    mandatory: Mapped[list[MandatoryCourse]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("min_attendance > 0 AND min_attendance <= 1", name="attendance_share"),)

    def title(self, locale: str = "th") -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_th

    @property
    def category_label(self):
        return CATEGORY_LABELS[Category(self.category)]


EVERY_YEAR = 0  # MandatoryCourse.fiscal_year of a course mandatory in every fiscal year


class MandatoryCourse(Model):
    """A course every person of a personnel type must take in a fiscal year, or in every fiscal
    year (`fiscal_year` EVERY_YEAR): either way, passing it once in a year meets it for that year."""

    __tablename__ = "mandatory_course"

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    personnel_type: Mapped[str] = mapped_column(String(32), primary_key=True)

    @property
    def every_year(self) -> bool:
        return self.fiscal_year == EVERY_YEAR

    @classmethod
    def applies_in(cls, fiscal_year: int):
        """A condition on MandatoryCourse: mandatory in this fiscal year, named or every year."""
        return cls.fiscal_year.in_((fiscal_year, EVERY_YEAR))


class TrainingSession(Model):
    """One run of a course: its days, venue and seats. `taken` counts confirmed seats."""

    __tablename__ = "training_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    venue: Mapped[str] = mapped_column(String(255), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    taken: Mapped[int] = mapped_column(Integer, default=0)
    trainer: Mapped[str] = mapped_column(String(255), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    signatory_id: Mapped[int | None] = mapped_column(ForeignKey("signatory.id"))  # None: the unit's head signs
    plan_activity_code: Mapped[str] = mapped_column(String(32), default="", index=True)
    registration_deadline: Mapped[date | None] = mapped_column(Date)
    open_to_all: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=SessionStatus.PLANNED, index=True)
    first_day: Mapped[date] = mapped_column(Date, index=True)  # kept equal to min(days.day) for fast year filters
    version: Mapped[int] = mapped_column(Integer, default=1)

    course: Mapped[Course] = relationship(lazy="joined", innerjoin=True)
    unit: Mapped[Unit | None] = relationship()
    signatory: Mapped[Signatory | None] = relationship()
    days: Mapped[list[SessionDay]] = relationship(cascade="all, delete-orphan", order_by="SessionDay.day",
                                                  lazy="selectin", back_populates="session")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("capacity IS NULL OR taken <= capacity", name="seats"),)

    @property
    def status_label(self):
        return STATUS_LABELS[SessionStatus(self.status)]

    @property
    def running(self) -> bool:
        """Planned or open: seats can be given up, attendance and scores marked, the session closed."""
        return self.status in RUNNING

    @property
    def results_final(self) -> bool:
        """Held: closing applied the pass rule, so nothing about it changes any more."""
        return self.status == SessionStatus.HELD

    @property
    def last_day(self) -> date:
        return self.days[-1].day if self.days else self.first_day

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)


class SessionDay(Model):
    __tablename__ = "session_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    starts: Mapped[time] = mapped_column(Time, default=time(9, 0))
    ends: Mapped[time] = mapped_column(Time, default=time(16, 0))

    session: Mapped[TrainingSession] = relationship(back_populates="days")

    __table_args__ = (UniqueConstraint("session_id", "day"),)


class SessionInvitation(Model):
    """Who HR invited: the session is open to them even when it is not open to all. `sent_at`:
    when the invitation went out (its mail queued); None while it waits for registration to open."""

    __tablename__ = "session_invitation"

    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Registration(Model):
    """One person's place in a session, and their result once it is closed."""

    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(DateTime)
    post_test_score: Mapped[float | None] = mapped_column(Float)
    completed: Mapped[bool | None] = mapped_column(Boolean)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    person: Mapped[Person] = relationship()
    session: Mapped[TrainingSession] = relationship()

    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    @property
    def confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def cancelled(self) -> bool:
        return self.status == RegistrationStatus.CANCELLED


class Attendance(Model):
    """Present (or marked absent) on one day of a session."""

    __tablename__ = "attendance"

    day_id: Mapped[int] = mapped_column(ForeignKey("session_day.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"), index=True)
    present: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(16), default="roster")  # roster | check_in | import
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime)  # Bangkok wall-clock, as the session's days


class Certificate(Model):
    """A passed attendee's certificate; the token in its QR code opens the public check."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")

    registration: Mapped[Registration] = relationship()

    @property
    def valid(self) -> bool:
        return self.revoked_on is None


class Participation(Model):
    """One person's standing in one plan activity in one fiscal year, by the counting rules
    (ethics/training/counting.py): present on a day of, or passed, a counted session of the
    activity. Kept by the writes (ethics/training/summary.py) with the person's personnel type and
    unit at the time, which say which tally cell the person is counted in."""

    __tablename__ = "training_participation"

    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    personnel_type: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int] = mapped_column(Integer)
    attended: Mapped[bool] = mapped_column(Boolean)
    passed: Mapped[bool] = mapped_column(Boolean)


class Tally(Model):
    """How many distinct people attended and passed an activity in a fiscal year, per personnel
    type and unit: the Participation rows counted, so the report reads one row per cell."""

    __tablename__ = "training_tally"

    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    personnel_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participants: Mapped[int] = mapped_column(Integer)
    passed: Mapped[int] = mapped_column(Integer)
