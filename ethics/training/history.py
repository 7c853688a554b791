"""What each person sees: their sessions, history and certificates; supervisors' gaps."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import joinedload, selectinload

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds
from ethics.people.models import Person
from ethics.people.services import visible_people
from ethics.training.models import (
    Attendance,
    Certificate,
    Course,
    MandatoryCourse,
    Registration,
    RegistrationStatus,
    TrainingSession,
)
from ethics.training.registrations import open_to
from ethics.web.pagination import Page


def registrations_of(person_id: int) -> list[Registration]:
    """Every registration of the person, newest session first, with what the page shows."""
    return list(db.session.scalars(
        select(Registration).join(TrainingSession).where(Registration.person_id == person_id)
        .options(joinedload(Registration.session).selectinload(TrainingSession.days))
        .order_by(TrainingSession.first_day.desc())))


def coming_up(registrations: list[Registration], today: date) -> list[Registration]:
    """Seats, confirmed or waiting, in sessions not yet over nor closed."""
    return [r for r in registrations if not r.cancelled and r.session.last_day >= today and not r.session.results_final]


def days_present(person_id: int) -> dict[int, int]:
    rows = db.session.execute(select(Attendance.session_id, db.func.count()).where(
        Attendance.person_id == person_id, Attendance.present).group_by(Attendance.session_id))
    return dict(rows.all())


def certificates_of(person_id: int) -> dict[int, Certificate]:
    """Registration id -> certificate."""
    rows = db.session.scalars(select(Certificate).join(Registration).where(Registration.person_id == person_id))
    return {certificate.registration_id: certificate for certificate in rows}


def open_sessions_for(person_id: int, today: date) -> list[TrainingSession]:
    registered = exists().where(Registration.session_id == TrainingSession.id, Registration.person_id == person_id,
                                Registration.status != RegistrationStatus.CANCELLED)
    return list(db.session.scalars(
        select(TrainingSession).where(open_to(person_id), ~registered, TrainingSession.first_day >= today)
        .options(selectinload(TrainingSession.days)).order_by(TrainingSession.first_day).limit(100)))


def _missing_mandatory(account, fiscal_year: int) -> Select:
    """(person id, course id) in the account's scope: mandatory this year (named, or every year:
    a pair once, whichever says it), not yet passed. Driven by the year's few mandatory courses,
    so that only the people of their personnel types are looked for in the registrations."""
    first, last = fiscal_year_bounds(fiscal_year)
    scope = visible_people(account).where(Person.active).subquery()
    mandatory = (select(MandatoryCourse.course_id, MandatoryCourse.personnel_type)
                 .where(MandatoryCourse.applies_in(fiscal_year)).distinct().subquery())
    passed = exists().where(Registration.person_id == scope.c.id, Registration.passed.is_(True),
                            Registration.session_id == TrainingSession.id,
                            TrainingSession.course_id == mandatory.c.course_id,
                            TrainingSession.first_day.between(first, last))
    return (select(scope.c.id, mandatory.c.course_id).select_from(mandatory)
            .join(scope, scope.c.personnel_type == mandatory.c.personnel_type).where(~passed)
            .order_by(scope.c.first_name, scope.c.last_name, scope.c.id, mandatory.c.course_id))


def count_missing_mandatory(account, fiscal_year: int) -> int:
    return db.session.scalar(select(db.func.count()).select_from(
        _missing_mandatory(account, fiscal_year).order_by(None).subquery())) or 0


def missing_mandatory(account, fiscal_year: int, page: int) -> Page:
    """(person, course) pairs in the account's scope: mandatory this year, not yet passed."""
    query = _missing_mandatory(account, fiscal_year)
    total = count_missing_mandatory(account, fiscal_year)
    per_page = 50
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_({r[0] for r in rows}))
                                                  .options(joinedload(Person.unit)))}
    courses = {c.id: c for c in db.session.scalars(select(Course).where(Course.id.in_({r[1] for r in rows})))}
    return Page(items=[(people[pid], courses[cid]) for pid, cid in rows], total=total, page=page, pages=pages)
