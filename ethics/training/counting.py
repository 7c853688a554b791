"""The counting rules every screen, export and plan indicator uses.

For a plan activity A and fiscal year FY, the sessions of A in FY are the sessions linked to A
that are not cancelled and whose first day falls in FY. Then:
participants = distinct people present on at least one day of such a session;
passed = distinct people who passed such a session;
sessions held = such sessions with at least one person present.
Each count breaks down by personnel type and by unit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, distinct, exists, func, select

from ethics.extensions import db
from ethics.fiscal import fiscal_year_bounds
from ethics.people.models import Person
from ethics.training.models import Attendance, Course, Registration, SessionStatus, TrainingSession


@dataclass
class Count:
    total: int
    by_personnel_type: dict[str, int] = field(default_factory=dict)
    by_unit: dict[int, int] = field(default_factory=dict)


def sessions_of(fiscal_year: int, *, plan_activity: str | None = None, category: str | None = None) -> Select:
    """SELECT of the ids of the counted sessions: not cancelled, first day in the fiscal year."""
    first, last = fiscal_year_bounds(fiscal_year)
    query = select(TrainingSession.id).where(TrainingSession.status != SessionStatus.CANCELLED,
                                             TrainingSession.first_day.between(first, last))
    if plan_activity is not None:
        query = query.where(TrainingSession.plan_activity_code == plan_activity)
    if category is not None:
        query = query.join(Course).where(Course.category == category)
    return query


def _people_count(people: Select) -> Count:
    """Total, by personnel type and by unit, of a SELECT of person ids (may repeat)."""
    ids = people.distinct().subquery()
    rows = db.session.execute(
        select(Person.personnel_type, Person.unit_id, func.count())
        .join(ids, ids.c.person_id == Person.id).group_by(Person.personnel_type, Person.unit_id)
    ).all()
    count = Count(total=sum(row[2] for row in rows))
    for kind, unit_id, number in rows:
        count.by_personnel_type[kind] = count.by_personnel_type.get(kind, 0) + number
        count.by_unit[unit_id] = count.by_unit.get(unit_id, 0) + number
    return count


def participants(sessions: Select) -> Count:
    return _people_count(select(Attendance.person_id.label("person_id"))
                         .where(Attendance.session_id.in_(sessions), Attendance.present))


def passed(sessions: Select) -> Count:
    return _people_count(select(Registration.person_id.label("person_id"))
                         .where(Registration.session_id.in_(sessions), Registration.passed.is_(True)))


def sessions_held(sessions: Select) -> int:
    held = exists().where(Attendance.session_id == TrainingSession.id, Attendance.present)
    return db.session.scalar(select(func.count(distinct(TrainingSession.id)))
                             .where(TrainingSession.id.in_(sessions), held)) or 0
