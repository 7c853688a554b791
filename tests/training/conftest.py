from __future__ import annotations

from datetime import date, time

import itertools

import pytest

from ethics.extensions import db
from ethics.training.catalogue import CourseData, SessionData, save_course, save_session


_serial = itertools.count(1)


@pytest.fixture
def make_course(app):
    def make(code=None, category="ethics", min_attendance=1.0, pass_score=None, **values):
        code = code or f"C{next(_serial)}"
        course = save_course(None, CourseData(code=code, title_th=values.get("title_th", f"หลักสูตร {code}"),
                                              title_en=values.get("title_en", ""), category=category,
                                              default_hours=6, min_attendance=min_attendance, pass_score=pass_score))
        db.session.commit()
        return course

    return make


@pytest.fixture
def make_session(app, make_course):
    def make(course=None, first_day=date(2026, 12, 1), days=1, capacity=None, status="open", open_to_all=True,
             plan_activity_code="", code="", deadline=None):
        from datetime import timedelta

        course = course or make_course()
        session = save_session(None, SessionData(
            code=code, course_id=course.id, first_day=first_day, last_day=first_day + timedelta(days=days - 1),
            starts=time(9, 0), ends=time(16, 0), venue="ห้องประชุม", capacity=capacity, trainer="วิทยากร",
            unit_id=None, plan_activity_code=plan_activity_code, registration_deadline=deadline,
            open_to_all=open_to_all, status=status))
        db.session.commit()
        return session

    return make
