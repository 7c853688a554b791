"""The counting rules every screen, export and plan indicator uses.

For a plan activity A and fiscal year FY, the sessions of A in FY are the sessions linked to A
that are not cancelled and whose first day falls in FY. Then:
participants = distinct people present on at least one day of such a session;
passed = distinct people who passed such a session;
sessions held = such sessions with at least one person present.
Each count breaks down by personnel type and by unit.
"""
from __future__ import annotations

from sqlalchemy import Select, distinct, exists, func, select

from ethics.extensions import db
from ethics.fiscal import fiscal_year_bounds
from ethics.people.counting import Count, people_count
from ethics.training.models import Attendance, Course, Registration, SessionStatus, TrainingSession


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


def participants(sessions: Select) -> Count:
    return people_count(select(Attendance.person_id.label("person_id"))
                         .where(Attendance.session_id.in_(sessions), Attendance.present))


def passed(sessions: Select) -> Count:
    return people_count(select(Registration.person_id.label("person_id"))
                         .where(Registration.session_id.in_(sessions), Registration.passed.is_(True)))


def sessions_held(sessions: Select) -> int:
    held = exists().where(Attendance.session_id == TrainingSession.id, Attendance.present)
    return db.session.scalar(select(func.count(distinct(TrainingSession.id)))
                             .where(TrainingSession.id.in_(sessions), held)) or 0
