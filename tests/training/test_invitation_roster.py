"""The roster HR marks: everyone confirmed present for a day in one click, the check-in time
beside a mark, and the people invited who did not register."""
from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.training import attendance
from ethics.training.attendance import check_in, current_code, mark, mark_all_present
from ethics.training.models import Attendance, TrainingSession
from ethics.training.registrations import cancel, invite, register
from tests.training.test_registrations import run_in_threads

TODAY = date(2026, 11, 26)


def marks(day_id) -> dict[int, tuple[bool, str]]:
    return {row.person_id: (row.present, row.source) for row in db.session.execute(
        select(Attendance.person_id, Attendance.present, Attendance.source).where(Attendance.day_id == day_id))}


def audited(action="training.mark_all_present") -> list[dict]:
    return list(db.session.scalars(select(AuditEntry.details).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


@pytest.fixture
def roster(make_session, make_person):
    """Two seats: three confirmed (one cancels, freeing a seat for the one waiting), one waiting."""
    session = make_session(capacity=3, days=2)
    absent, checked_in, plain, waiting, leaving = (make_person(first_name=name) for name in
                                                   ("ขาด", "เช็คอิน", "ธรรมดา", "สำรอง", "ยกเลิก"))
    for person in (absent, checked_in, leaving, waiting):
        register(session.id, person, TODAY)
    cancel(session.id, leaving)  # the seat goes to `waiting`
    register(session.id, plain, TODAY)  # full again: on the waiting list
    day = session.days[0]
    mark(session.id, absent.id, day.id, False)
    moment = datetime.combine(day.day, time(8, 47))
    check_in(checked_in.id, current_code(day, moment), moment)
    db.session.commit()
    return {"session": session, "day": day, "absent": absent, "checked_in": checked_in, "plain": plain,
            "waiting": waiting, "leaving": leaving}


def test_all_present_marks_every_confirmed_registrant_once(client, auth, org, roster):
    session, day = roster["session"], roster["day"]
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    url = f"/training/sessions/{session.id}/days/{day.id}/present"
    page = client.get(f"/training/sessions/{session.id}").text
    assert re.search(rf'action="{url}"\s+data-confirm="Mark everyone with a confirmed seat present on ', page)  # asks first
    response = client.post(url)
    assert response.status_code == 302 and response.headers["Location"].endswith("#roster")
    assert "2 people marked present." in client.get(response.headers["Location"]).text
    assert marks(day.id) == {roster["absent"].id: (True, "roster"), roster["checked_in"].id: (True, "check_in"),
                             roster["waiting"].id: (True, "roster")}  # not the waiting `plain`, not who cancelled
    assert marks(session.days[1].id) == {}  # only that day
    assert audited() == [{"day": day.day.isoformat(), "count": 2}]

    again = client.post(url)
    assert "Everyone confirmed was already marked present." in client.get(again.headers["Location"]).text
    assert len(marks(day.id)) == 3 and len(audited()) == 1


def test_all_present_keeps_the_check_in_time_shown_beside_the_mark(client, auth, org, roster):
    session, day, person = roster["session"], roster["day"], roster["checked_in"]
    mark_all_present(session.id, day.id)
    db.session.commit()
    auth.login("hr")
    page = client.get(f"/training/sessions/{session.id}").text
    assert page.split(f'data-testid="checked-in-{person.id}-{day.id}"')[1].split("</small>")[0].endswith(" 08:47 น.")
    client.set_cookie("ethics_lang", "en")
    page = client.get(f"/training/sessions/{session.id}").text
    assert page.split(f'data-testid="checked-in-{person.id}-{day.id}"')[1].split("</small>")[0] == ">checked in 08:47"
    assert page.count('class="check-in-time"') == 1  # HR's own marks have no check-in time


def test_hr_changing_a_checked_in_mark_removes_its_time(client, auth, org, roster):
    session, day, person = roster["session"], roster["day"], roster["checked_in"]
    mark(session.id, person.id, day.id, False)
    mark(session.id, person.id, day.id, True)
    db.session.commit()
    assert attendance.check_in_times(session.id) == {}


def test_all_present_refuses_a_closed_session_and_a_day_of_another(client, auth, org, roster, make_session):
    session, day = roster["session"], roster["day"]
    other = make_session()
    auth.login("hr")
    assert client.post(f"/training/sessions/{other.id}/days/{day.id}/present").status_code == 404
    db.session.get(TrainingSession, session.id).status = "cancelled"
    db.session.commit()
    assert client.post(f"/training/sessions/{session.id}/days/{day.id}/present").status_code == 409
    assert marks(day.id) == {roster["absent"].id: (False, "roster"), roster["checked_in"].id: (True, "check_in")}


def test_two_clicks_at_once_store_each_mark_once_and_audit_once(app, roster):
    session_id, day_id = roster["session"].id, roster["day"].id
    assert run_in_threads(app, 2, lambda _n: mark_all_present(session_id, day_id)) == []
    assert len(marks(day_id)) == 3 and all(present for present, _source in marks(day_id).values())
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 3
    assert audited() == [{"day": roster["day"].day.isoformat(), "count": 2}]


def test_the_roster_shows_who_was_invited_and_did_not_register(client, auth, org, roster, make_person):
    session = roster["session"]
    silent = make_person(first_name="ไม่ตอบ", position="นักวิชาการ")
    invite(session, [silent.id, roster["absent"].id])
    db.session.commit()
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    page = client.get(f"/training/sessions/{session.id}").text
    assert "Invited, not registered: 1 person" in page
    part = page.split('data-testid="not-registered"')[1].split("</table>")[0]
    assert silent.full_name in part and "นักวิชาการ" in part and roster["absent"].full_name not in part
