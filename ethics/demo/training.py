"""Demo trainings: the seed's fiscal year 2551 and the current one, made through the services."""
from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import select

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of
from ethics.people.models import Person, Unit
from ethics.plan.services import activity_exists
from ethics.training.attendance import mark
from ethics.training.catalogue import CourseData, SessionData, save_course, save_session
from ethics.training.models import Registration
from ethics.training.registrations import register
from ethics.training.results import close, set_score

COURSES = [
    ("ETH01", "การเสริมสร้างคุณธรรม จริยธรรม และความโปร่งใสในการปฏิบัติราชการ",
     "Ethics, integrity and transparency in public service", "ethics", 12, 1.0, None),
    ("REL01", "ปฏิบัติธรรมตามหลักศาสนาเพื่อพัฒนาจิตใจ", "Religious practice retreat", "religious", 6, 1.0, None),
    ("COMP01", "พัฒนาสมรรถนะข้าราชการตามหลักสมรรถนะ", "Competency development", "competency", 18, 0.8, 60.0),
    ("WB01", "อบรมอาสาสมัครแจ้งข่าว แจ้งเบาะแสการทุจริตและประพฤติมิชอบ",
     "Whistleblower volunteer training", "whistleblower", 6, 1.0, None),
    ("IC01", "การควบคุมภายในตามระเบียบคณะกรรมการตรวจเงินแผ่นดิน", "Internal control standards",
     "internal_control", 6, 1.0, 70.0),
]
# (course, first day, days, venue, plan activity, attendees, status)
HELD_2551 = [
    ("ETH01", date(2008, 3, 10), 2, "ห้องประชุมศาลากลางจังหวัดระยอง", "1.1.2", 60),
    ("REL01", date(2008, 7, 15), 1, "วัดป่าประดู่ อำเภอเมืองระยอง", "1.1.4", 40),
    ("COMP01", date(2008, 5, 20), 3, "ศูนย์พัฒนาข้าราชการจังหวัดระยอง", "1.3.1", 30),
    ("WB01", date(2008, 2, 5), 1, "ห้องประชุมศาลากลางจังหวัดระยอง", "2.1.1", 35),
    ("WB01", date(2008, 8, 12), 1, "ที่ว่าการอำเภอแกลง", "2.1.1", 25),
    ("IC01", date(2008, 6, 3), 1, "ห้องประชุมตรวจสอบภายใน", "", 20),
]


def _session(course, first_day: date, days: int, venue: str, plan_activity: str, capacity, status: str):
    """A session run by the province's civil servant development centre, whose director signs its
    certificates; linked to its plan activity when its year's plan has one (near the turn of the
    fiscal year a session of this year's demo may fall in a year without a plan)."""
    centre = db.session.scalar(select(Unit.id).where(Unit.code == "RYG-DEV"))
    if plan_activity and not activity_exists(fiscal_year_of(first_day), plan_activity):
        plan_activity = ""
    return save_session(None, SessionData(
        code="", course_id=course.id, first_day=first_day, last_day=first_day + timedelta(days=days - 1),
        starts=time(9, 0), ends=time(16, 0), venue=venue, capacity=capacity, trainer="วิทยากรจากสำนักงาน ก.พ.",
        unit_id=centre, plan_activity_code=plan_activity, registration_deadline=None, open_to_all=True, status="open"))


def _hold(rng: random.Random, session, people: list[Person], count: int, today: date) -> None:
    """Register `count` people, mark most of them present, score where needed, and close."""
    for person in rng.sample(people, count):
        register(session.id, person, session.first_day)
        for day in session.days:
            mark(session.id, person.id, day.id, rng.random() < 0.9)
    db.session.flush()
    if session.course.pass_score is not None:
        for registration in db.session.scalars(db.select(Registration).where(Registration.session_id == session.id)):
            set_score(session, registration, float(rng.randint(45, 98)))
    close(session, today)


def seed(rng: random.Random, people: list[Person], employee: Person, today: date) -> None:
    courses = {code: save_course(None, CourseData(code, th, en, category, hours, attendance, score))
               for code, th, en, category, hours, attendance, score in COURSES}
    for code, first_day, days, venue, activity, attendees in HELD_2551:
        _hold(rng, _session(courses[code], first_day, days, venue, activity, None, "open"), people, attendees,
              first_day + timedelta(days=days))
    year = fiscal_year_of(today)
    save_course(courses["ETH01"], CourseData(*COURSES[0][:7], mandatory_year=year, mandatory_types=["civil_servant"]))
    # This year's sessions link to this year's plan (a copy of FY2552's): 1.1.2 ethics development,
    # 2.1.4 internal-control training.
    done = _session(courses["REL01"], today - timedelta(days=20), 1, "วัดลุ่มมหาชัยชุมพล", "1.1.2", 40, "open")
    register(done.id, employee, done.first_day)
    mark(done.id, employee.id, done.days[0].id, True)
    _hold(rng, done, [p for p in people if p.id != employee.id], 25, today - timedelta(days=19))
    upcoming = _session(courses["ETH01"], today + timedelta(days=14), 2, "ห้องประชุมศาลากลางจังหวัดระยอง", "1.1.2",
                        30, "open")
    for person in rng.sample([p for p in people if p.id != employee.id], 12):
        register(upcoming.id, person, today)
    _session(courses["IC01"], today + timedelta(days=45), 1, "ที่ว่าการอำเภอบ้านฉาง", "2.1.4", 50, "open")
