from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.training import counting
from ethics.training.attendance import CheckInError, check_in, code_for, current_code, mark
from ethics.training.models import Certificate, Registration
from ethics.training.registrations import register
from ethics.training.results import ClosingError, close, revoke, set_score

TODAY = date(2026, 11, 26)


def attend(session, person, days):
    register(session.id, person, TODAY)
    for day in session.days[:days]:
        mark(session.id, person.id, day.id, True)
    db.session.commit()


def registration_of(session, person):
    return db.session.scalar(select(Registration).where(Registration.session_id == session.id,
                                                        Registration.person_id == person.id))


def test_pass_rule_needs_the_attendance_share(make_course, make_session, make_person):
    course = make_course(min_attendance=0.8)
    session = make_session(course, days=5)
    full, four, three = make_person(), make_person(), make_person()
    attend(session, full, 5)
    attend(session, four, 4)
    attend(session, three, 3)
    passed = close(session, date(2026, 12, 6))
    db.session.commit()
    assert {r.person_id for r in passed} == {full.id, four.id}
    assert registration_of(session, three).completed is False
    assert session.status == "held"


def test_post_test_threshold(make_course, make_session, make_person):
    session = make_session(make_course(pass_score=60))
    good, poor = make_person(), make_person()
    attend(session, good, 1)
    attend(session, poor, 1)
    with pytest.raises(ClosingError, match="post-test"):
        close(session, date(2026, 12, 1))
    set_score(session, registration_of(session, good), 75)
    set_score(session, registration_of(session, poor), 40)
    close(session, date(2026, 12, 1))
    assert registration_of(session, good).passed and not registration_of(session, poor).passed
    assert registration_of(session, poor).completed


def test_closed_session_cannot_change(make_session, make_person):
    session, person = make_session(), make_person()
    attend(session, person, 1)
    close(session, date(2026, 12, 1))
    with pytest.raises(ClosingError):
        close(session, date(2026, 12, 2))
    with pytest.raises(CheckInError):
        mark(session.id, person.id, session.days[0].id, False)
    with pytest.raises(ClosingError):
        set_score(session, registration_of(session, person), 10)


def test_certificates_are_issued_to_those_who_passed_and_can_be_revoked(make_session, make_person):
    session, person = make_session(), make_person()
    attend(session, person, 1)
    close(session, date(2026, 12, 1))
    db.session.commit()
    certificate = db.session.scalar(select(Certificate))
    assert certificate.serial == f"ETH-2570-{certificate.id:06d}" and certificate.valid
    assert len(certificate.token) >= 40
    with pytest.raises(ClosingError):
        revoke(certificate, "  ", date(2026, 12, 2))
    revoke(certificate, "ออกผิดคน", date(2026, 12, 2))
    assert not certificate.valid


def test_check_in_codes_work_only_for_their_session_day_and_window(app, make_session, make_person):
    session, other = make_session(first_day=date(2026, 12, 1)), make_session(first_day=date(2026, 12, 1))
    person = make_person()
    register(session.id, person, TODAY)
    db.session.commit()
    day = session.days[0]
    at_ten = datetime(2026, 12, 1, 10, 0, 5)
    with pytest.raises(CheckInError, match="not valid"):
        check_in(person.id, current_code(other.days[0], at_ten), at_ten)
    with pytest.raises(CheckInError, match="expired"):
        check_in(person.id, current_code(day, datetime(2026, 12, 1, 9, 50)), at_ten)
    late = datetime(2026, 12, 1, 17, 0)
    with pytest.raises(CheckInError, match="Check-in is open"):
        check_in(person.id, current_code(day, late), late)
    assert check_in(person.id, current_code(day, at_ten), at_ten).id == session.id
    with pytest.raises(CheckInError, match="already"):
        check_in(person.id, current_code(day, at_ten), at_ten)
    stranger = make_person()
    with pytest.raises(CheckInError, match="not valid"):
        check_in(stranger.id, current_code(day, at_ten), at_ten)


def test_previous_minutes_code_is_still_accepted(app, make_session, make_person):
    session, person = make_session(first_day=date(2026, 12, 1)), make_person()
    register(session.id, person, TODAY)
    db.session.commit()
    now = datetime(2026, 12, 1, 10, 0, 30)
    previous = code_for(session.days[0], int(now.timestamp()) // 60 - 1)
    check_in(person.id, previous, now)


@pytest.fixture
def boundary_world(make_course, make_session, make_person, make_unit, make_plan_activity):
    for year, code in ((2569, "2.1.1"), (2570, "2.1.1"), (2570, "1.1.4")):
        make_plan_activity(year, code)
    unit_a, unit_b = make_unit("A"), make_unit("B")
    course = make_course(category="whistleblower")
    before = make_session(course, first_day=date(2026, 9, 30), plan_activity_code="2.1.1")
    on_first_day = make_session(course, first_day=date(2026, 10, 1), plan_activity_code="2.1.1")
    last_day = make_session(course, first_day=date(2027, 9, 30), days=2, plan_activity_code="2.1.1")
    cancelled = make_session(course, first_day=date(2026, 11, 1), plan_activity_code="2.1.1")
    make_session(course, first_day=date(2026, 11, 2), plan_activity_code="2.1.1")  # held by nobody
    other_activity = make_session(course, first_day=date(2026, 11, 3), plan_activity_code="1.1.4")
    civil = make_person(unit_a, personnel_type="civil_servant")
    worker = make_person(unit_b, personnel_type="permanent_employee")
    absent = make_person(unit_a)
    attend(before, civil, 1)
    attend(on_first_day, civil, 1)
    attend(last_day, civil, 1)
    attend(last_day, worker, 2)
    register(last_day.id, absent, TODAY)
    attend(other_activity, absent, 1)
    attend(cancelled, absent, 1)
    cancelled.status = "cancelled"
    close(on_first_day, date(2026, 10, 1))
    db.session.commit()
    return {"units": (unit_a, unit_b), "people": (civil, worker, absent)}


def test_counting_rules_at_the_fiscal_year_boundary(boundary_world):
    unit_a, unit_b = boundary_world["units"]
    sessions = counting.sessions_of(2570, plan_activity="2.1.1")
    people = counting.participants(sessions)
    assert people.total == 2
    assert people.by_personnel_type == {"civil_servant": 1, "permanent_employee": 1}
    assert people.by_unit == {unit_a.id: 1, unit_b.id: 1}
    assert counting.sessions_held(sessions) == 2  # 1 Oct 2026 and 30 Sep 2027; not the empty one
    assert counting.passed(sessions).total == 1
    assert counting.participants(counting.sessions_of(2569, plan_activity="2.1.1")).total == 1


def test_counting_by_category(boundary_world):
    assert counting.participants(counting.sessions_of(2570, category="whistleblower")).total == 3
    assert counting.participants(counting.sessions_of(2570, category="ethics")).total == 0
