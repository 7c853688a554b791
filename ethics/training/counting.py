"""The counting rules every screen, export and plan indicator uses.

For a plan activity A and fiscal year FY, the sessions of A in FY are the sessions linked to A
that are not cancelled and whose first day falls in FY. Then:
participants = distinct people present on at least one day of such a session;
passed = distinct people who passed such a session;
sessions held = such sessions with at least one person present.
Each count breaks down by personnel type and by unit.

The report reads participants and passes per activity, and the dashboard the year's participants
(`activity_participants`, `activity_passed`, `year_participants`), from the summary rows the
writes keep (ethics/training/summary.py), which equal these rules applied to the raw rows: each
person is counted once per activity (or year, or month) and year, under the personnel type and
unit they have now. The functions over a SELECT of sessions apply the rules
to the raw rows, for any other set of sessions.
"""
from __future__ import annotations

from sqlalchemy import Select, distinct, exists, func, literal, select

from ethics.core.extensions import db
from ethics.core.fiscal import FISCAL_MONTHS, fiscal_year_bounds
from ethics.people.counting import Count, people_counts
from ethics.training import summary
from ethics.training.models import Attendance, Course, Registration, SessionStatus, TrainingSession


def _counted(fiscal_year: int) -> tuple:
    first, last = fiscal_year_bounds(fiscal_year)
    return TrainingSession.status != SessionStatus.CANCELLED, TrainingSession.first_day.between(first, last)


def sessions_of(fiscal_year: int, *, plan_activity: str | None = None, category: str | None = None) -> Select:
    """SELECT of the ids of the counted sessions: not cancelled, first day in the fiscal year."""
    query = select(TrainingSession.id).where(*_counted(fiscal_year))
    if plan_activity is not None:
        query = query.where(TrainingSession.plan_activity_code == plan_activity)
    if category is not None:
        query = query.join(Course).where(Course.category == category)
    return query


def sessions_by_activity(fiscal_year: int, codes: list[str]) -> Select:
    """SELECT of (session id, activity code) of the counted sessions linked to any of `codes`, so
    one query counts every activity of a report."""
    return select(TrainingSession.id, TrainingSession.plan_activity_code.label("key")).where(
        *_counted(fiscal_year), TrainingSession.plan_activity_code.in_(codes))


def _keyed(sessions: Select):
    """Session ids, or (id, key) pairs, as a subquery of both (the key is "" when not given)."""
    columns = list(sessions.subquery().c)
    key = columns[1] if len(columns) > 1 else literal("")
    return select(columns[0].label("id"), key.label("key")).subquery()


def activity_participants(fiscal_year: int, codes: list[str]) -> dict[str, Count]:
    """Per activity code: the distinct people present on a day of its sessions of the year."""
    return summary.counts(fiscal_year, codes)


def activity_passed(fiscal_year: int, codes: list[str]) -> dict[str, Count]:
    """Per activity code: the distinct people who passed one of its sessions of the year."""
    return summary.counts(fiscal_year, codes, passed=True)


def participants_by(sessions: Select) -> dict[str, Count]:
    keyed = _keyed(sessions)
    return people_counts(select(keyed.c.key, Attendance.person_id.label("person_id"))
                         .join(keyed, keyed.c.id == Attendance.session_id).where(Attendance.present))


def passed_by(sessions: Select) -> dict[str, Count]:
    keyed = _keyed(sessions)
    return people_counts(select(keyed.c.key, Registration.person_id.label("person_id"))
                         .join(keyed, keyed.c.id == Registration.session_id).where(Registration.passed.is_(True)))


def sessions_held_by(sessions: Select) -> dict[str, int]:
    keyed = _keyed(sessions)
    held = exists().where(Attendance.session_id == keyed.c.id, Attendance.present)
    return dict(db.session.execute(select(keyed.c.key, func.count(distinct(keyed.c.id))).where(held)
                                   .group_by(keyed.c.key)).all())


def attendees(sessions: Select) -> Select:
    """SELECT of the ids of the people present on a day of these sessions (the participants)."""
    return select(Attendance.person_id).where(Attendance.session_id.in_(sessions), Attendance.present)


def passers(sessions: Select) -> Select:
    """SELECT of the ids of the people who passed these sessions."""
    return select(Registration.person_id).where(Registration.session_id.in_(sessions), Registration.passed.is_(True))


def listed(sessions: Select) -> list[TrainingSession]:
    """The sessions themselves, by first day, for a list of what a count is made of."""
    return list(db.session.scalars(select(TrainingSession).where(TrainingSession.id.in_(sessions))
                                   .order_by(TrainingSession.first_day)))


def year_participants(fiscal_year: int) -> tuple[Count, list[tuple[int, int]]]:
    """Distinct people present on a day of the year's sessions, and per month of the sessions'
    first days (October first): one query over the summary rows' year and month cells."""
    months = {summary.month_key(month): month for month in FISCAL_MONTHS}
    found = summary.counts(fiscal_year, [summary.EVERY_SESSION, *months])
    by_month = {month: found[key].total for key, month in months.items() if key in found}
    return found.get(summary.EVERY_SESSION, Count(0)), [(month, by_month.get(month, 0)) for month in FISCAL_MONTHS]


def participants(sessions: Select) -> Count:
    return participants_by(sessions).get("", Count(0))


def passed(sessions: Select) -> Count:
    return passed_by(sessions).get("", Count(0))


def sessions_held(sessions: Select) -> int:
    return sessions_held_by(sessions).get("", 0)
