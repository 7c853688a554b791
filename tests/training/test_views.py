from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of, format_date, local_now
from ethics.people.models import Person
from ethics.training.attendance import current_code
from ethics.training.models import Attendance, Certificate, Registration, TrainingSession
from ethics.training.registrations import register
from tests.conftest import PASSWORD, citizen_id, count_queries
from tests.pdf import pdf_text

TODAY = date(2026, 11, 26)


@pytest.fixture
def open_session(make_session):
    """Starts in five days: 'upcoming' and 'open' are judged against the real date."""
    return make_session(first_day=local_now().date() + timedelta(days=5), days=2, capacity=30)


def session_form(course, **changes):
    data = {"course_id": course.id, "code": "", "first_day": "01/12/2569", "last_day": "02/12/2569",
            "starts": "09:00", "ends": "16:00", "venue": "ห้องประชุมชั้น 3", "capacity": "20", "trainer": "อ.สมศักดิ์",
            "unit_id": "", "plan_activity_code": "", "registration_deadline": "", "open_to_all": "y", "status": "open"}
    data.update(changes)
    return data


def test_hr_schedules_a_two_day_session_with_be_dates(client, auth, org, make_course):
    course = make_course(code="ETH")
    auth.login("hr")
    response = client.post("/training/sessions/new", data=session_form(course))
    assert response.status_code == 302
    session = db.session.scalar(select(TrainingSession))
    assert session.code == "ETH-2570-01" and [d.day for d in session.days] == [date(2026, 12, 1), date(2026, 12, 2)]
    page = client.get(f"/training/sessions/{session.id}")
    assert "1 ธ.ค. 2569" in page.text and "ห้องประชุมชั้น 3" in page.text


@pytest.mark.parametrize("changes, message", [
    ({"last_day": "30/11/2569"}, "before the first day"),
    ({"first_day": "31/02/2569"}, "Enter a real date"),
    ({"ends": "08:00"}, "end time"),
    ({"capacity": "0"}, "Number must be"),
    ({"venue": ""}, "required"),
    ({"plan_activity_code": "9.9.9"}, "9.9.9 is not in the plan of fiscal year 2570"),
])
def test_bad_session_input_changes_nothing(client, auth, org, make_course, changes, message):
    course = make_course()
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    response = client.post("/training/sessions/new", data=session_form(course, **changes))
    assert response.status_code == 422 and message in response.text
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0


def test_employee_registers_and_sees_it(client, auth, org, open_session):
    auth.login("employee")
    available = client.get("/training/").text.split('data-testid="available"')[1].split("</table>")[0]
    assert open_session.course.title_th in available
    response = client.post(f"/training/sessions/{open_session.id}/register")
    assert response.status_code == 302
    assert "ยืนยันที่นั่งของท่านแล้ว" in client.get(response.headers["Location"]).text
    mine = client.get("/training/").text
    assert open_session.course.title_th in mine
    client.post(f"/training/sessions/{open_session.id}/register")
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_invited_only_session_is_invisible_to_others(client, auth, org, make_session):
    hidden = make_session(open_to_all=False)
    auth.login("employee")
    assert client.get(f"/training/sessions/{hidden.id}").status_code == 404
    assert client.post(f"/training/sessions/{hidden.id}/register").status_code == 404


def test_hr_invites_by_unit_and_the_invitee_can_register(client, auth, org, make_session):
    hidden = make_session(open_to_all=False)
    auth.login("hr")
    invite = {"unit_id": org["units"]["dev"].id, "personnel_type": "", "name": "", "confirm": "1"}
    client.post(f"/training/sessions/{hidden.id}/invite", data=invite)
    auth.login("employee")
    assert client.get(f"/training/sessions/{hidden.id}").status_code == 200
    client.post(f"/training/sessions/{hidden.id}/register")
    assert db.session.scalar(select(Registration.status)) == "confirmed"


def test_attendance_toggle_with_htmx_returns_the_cell(client, htmx_client, auth, org, open_session):
    person = org["people"]["me"]
    register(open_session.id, person, TODAY)
    db.session.commit()
    htmx_client.post("/login", data={"username": "hr", "password": PASSWORD})
    day = open_session.days[0]
    url = f"/training/sessions/{open_session.id}/attendance/{person.id}/{day.id}"
    cell = htmx_client.post(url, data={"present": "1"})
    assert cell.status_code == 200 and cell.text.lstrip().startswith("<td>") and 'aria-pressed="true"' in cell.text
    assert db.session.scalar(select(Attendance.present)) is True
    htmx_client.post(url, data={"present": "0"})
    assert db.session.scalar(select(Attendance.present)) is False
    auth.login("hr")
    plain = client.post(url, data={"present": "1"})
    assert plain.status_code == 302 and f"#person-{person.id}" in plain.headers["Location"]


def test_attendance_for_someone_not_on_the_roster_is_404(client, auth, org, open_session):
    auth.login("hr")
    outsider = org["people"]["outside"]
    response = client.post(f"/training/sessions/{open_session.id}/attendance/{outsider.id}/{open_session.days[0].id}",
                           data={"present": "1"})
    assert response.status_code == 404


def test_a_mark_must_name_a_day_of_the_session_and_a_session_still_taking_marks(client, auth, org, make_session,
                                                                                 open_session):
    person = org["people"]["me"]
    other = make_session()
    register(open_session.id, person, TODAY)
    register(other.id, person, TODAY)
    db.session.commit()
    auth.login("hr")
    foreign_day = client.post(f"/training/sessions/{open_session.id}/attendance/{person.id}/{other.days[0].id}",
                              data={"present": "1"})
    assert foreign_day.status_code == 404
    other.status = "held"
    db.session.commit()
    closed = client.post(f"/training/sessions/{other.id}/attendance/{person.id}/{other.days[0].id}",
                         data={"present": "1"})
    assert closed.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_roster_of_500_runs_a_bounded_number_of_queries(client, auth, org, make_session, make_unit):
    unit = make_unit("MANY")
    small = make_session(capacity=None)
    big = make_session(capacity=None, days=3)
    people = [Person(citizen_id=citizen_id(700000 + n), first_name=f"ผู้เข้าอบรม{n}", last_name="ทดสอบ",
                     personnel_type="civil_servant", unit=unit, active=True) for n in range(500)]
    db.session.add_all(people)
    db.session.commit()
    for person in people[:3]:
        register(small.id, person, TODAY)
    for person in people:
        register(big.id, person, TODAY)
    db.session.commit()
    auth.login("hr")
    client.get("/")  # the first request after signing in reads the account afresh (ethics/auth/services.py)
    with count_queries() as few:
        assert client.get(f"/training/sessions/{small.id}").status_code == 200
    with count_queries() as many:
        page = client.get(f"/training/sessions/{big.id}")
    assert page.text.count('data-testid="att-') == 1500
    assert len(many) == len(few) <= 15


def test_check_in_through_the_web(client, auth, org, open_session, monkeypatch):
    person = org["people"]["me"]
    register(open_session.id, person, TODAY)
    db.session.commit()
    moment = datetime.combine(open_session.first_day, time(9, 10))
    monkeypatch.setattr("ethics.training.views.local_now", lambda: moment)
    auth.login("employee")
    assert client.post("/training/check-in", data={"code": "000000"}).status_code == 422
    response = client.post("/training/check-in", data={"code": current_code(open_session.days[0], moment)})
    assert response.status_code == 302
    assert db.session.scalar(select(Attendance.source)) == "check_in"


def close_with_a_certificate(client, auth, person, session, monkeypatch) -> Certificate | None:
    """HR marks `person` present every day and closes the session the day after its last."""
    register(session.id, person, TODAY)
    db.session.commit()
    auth.login("hr")
    for day in session.days:
        client.post(f"/training/sessions/{session.id}/attendance/{person.id}/{day.id}", data={"present": "1"})
    after = datetime.combine(session.last_day + timedelta(days=1), time(10))
    monkeypatch.setattr("ethics.training.views.local_now", lambda: after)
    client.post(f"/training/sessions/{session.id}/state", data={"change": "close"})
    return db.session.scalar(select(Certificate))


def test_close_issue_download_and_verify_a_certificate(client, auth, org, open_session, monkeypatch, app):
    person = org["people"]["me"]
    certificate = close_with_a_certificate(client, auth, person, open_session, monkeypatch)
    assert certificate is not None and open_session.status == "held"
    auth.login("employee")
    pdf = client.get(f"/training/certificates/{certificate.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    other = app.test_client()
    other.post("/login", data={"username": "committee", "password": PASSWORD})
    assert other.get(f"/training/certificates/{certificate.id}.pdf").status_code == 404
    public = app.test_client().get(f"/verify/{certificate.token}")
    assert public.status_code == 200 and person.full_name in public.text and "วุฒิบัตรนี้ถูกต้อง" in public.text
    assert person.citizen_id not in public.text and person.masked_citizen_id not in public.text
    assert "ถูกเพิกถอน" not in pdf_text(pdf.data)
    auth.login("hr")
    client.post(f"/training/certificates/{certificate.id}/revoke", data={"reason": "ออกผิดคน"})
    assert "ถูกเพิกถอนแล้ว" in app.test_client().get(f"/verify/{certificate.token}").text
    assert app.test_client().get("/verify/not-a-token").status_code == 404
    auth.login("employee")  # a revoked certificate never downloads as a valid one: it is stamped across the page
    assert "ถูกเพิกถอนแล้ว" in pdf_text(client.get(f"/training/certificates/{certificate.id}.pdf").data)


def test_a_certificates_verification_line_comes_from_the_base_url_never_the_host_header(
        client, auth, org, open_session, monkeypatch, app):
    person = org["people"]["me"]
    certificate = close_with_a_certificate(client, auth, person, open_session, monkeypatch)
    app.config["ETHICS_BASE_URL"] = "https://ethics.example.go.th"
    forged = {"Host": "attacker.example"}  # signed in under that host too, so its cookie goes with the request
    client.post("/login", data={"username": "hr", "password": PASSWORD}, headers=forged)
    pdf = client.get(f"/training/certificates/{certificate.id}.pdf", headers=forged)
    assert pdf.status_code == 200
    text = "".join(pdf_text(pdf.data).split())
    assert f"https://ethics.example.go.th/verify/{certificate.token}" in text and "attacker" not in text


def test_history_is_for_the_person_their_supervisor_and_hr(client, auth, org):
    me, inside, outside = org["people"]["me"], org["people"]["inside"], org["people"]["outside"]
    auth.login("employee")
    assert client.get(f"/training/people/{me.id}").status_code == 200
    assert client.get(f"/training/people/{inside.id}").status_code == 404
    auth.login("supervisor")
    assert client.get(f"/training/people/{inside.id}").status_code == 200
    assert client.get(f"/training/people/{outside.id}").status_code == 404
    auth.login("hr")
    assert client.get(f"/training/people/{outside.id}").status_code == 200


def test_a_supervisor_opens_the_sessions_their_people_attended_and_no_others(client, auth, org, make_session):
    """Their team's history links to these sessions (issue 22): the link leads to the session,
    read-only, without the roster; a session none of their people registered for stays not found."""
    from ethics.training import results

    theirs, others = make_session(open_to_all=True), make_session(open_to_all=True, first_day=date(2026, 12, 2))
    register(theirs.id, org["people"]["inside"], TODAY)
    register(others.id, org["people"]["outside"], TODAY)
    db.session.commit()
    for session in (theirs, others):  # once held, nobody but HR and the registered could see them before
        results.close(session, session.last_day)
    db.session.commit()
    auth.login("supervisor")
    history = client.get(f"/training/people/{org['people']['inside'].id}").text
    assert f'href="/training/sessions/{theirs.id}"' in history
    page = client.get(f"/training/sessions/{theirs.id}")
    assert page.status_code == 200 and 'id="roster"' not in page.text and org["people"]["inside"].full_name not in page.text
    assert client.get(f"/training/sessions/{others.id}").status_code == 404
    auth.login("employee")  # an employee is not anyone's supervisor
    assert client.get(f"/training/sessions/{theirs.id}").status_code == 404


def test_supervisor_sees_who_lacks_mandatory_courses(client, auth, org, make_course, make_session):
    from ethics.training.catalogue import CourseData, save_course

    course = make_course(code="MAND", title_th="จริยธรรมภาคบังคับ")
    save_course(course, CourseData("MAND", "จริยธรรมภาคบังคับ", "", "ethics", 6, 1.0, None, 2570, ["civil_servant"]))
    db.session.commit()
    auth.login("supervisor")
    page = client.get("/training/team?fy=2570").text
    assert "ในสังกัด" in page and "นอกสังกัด" not in page and "จริยธรรมภาคบังคับ" in page


def test_ics_file_parses_back_and_follows_the_session_through_a_move_and_a_cancellation(
        app, client, auth, org, open_session):
    from icalendar import Calendar

    from ethics.core.fiscal import BANGKOK
    from ethics.training import catalogue

    app.config["ETHICS_BASE_URL"] = "https://ethics.example.go.th"
    auth.login("hr")  # HR still sees the session once it is cancelled

    def events():
        body = client.get(f"/training/sessions/{open_session.id}.ics").data
        assert [line for line in body.split(b"\r\n") if len(line) > 75] == []  # folded at 75 octets
        calendar = Calendar.from_ical(body)
        assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Asia/Bangkok"]
        return calendar.walk("VEVENT")

    first = events()
    assert len(first) == 2 and first[0]["DTSTART"].dt == datetime.combine(open_session.first_day, time(9), BANGKOK)
    assert str(first[0]["UID"]) == f"session-{open_session.id}-day-1@ethics.example.go.th"
    day = open_session.days[0]
    data = catalogue.SessionData(code=open_session.code, course_id=open_session.course_id,
                                 first_day=open_session.first_day + timedelta(days=7),
                                 last_day=open_session.last_day + timedelta(days=7), starts=day.starts, ends=day.ends,
                                 venue=open_session.venue, capacity=open_session.capacity, trainer="", unit_id=None,
                                 plan_activity_code="", registration_deadline=None, open_to_all=True, status="open")
    catalogue.save_session(open_session, data)
    db.session.commit()
    moved = events()
    assert [str(e["UID"]) for e in moved] == [str(e["UID"]) for e in first]  # the same events, replaced
    assert moved[0]["SEQUENCE"] > first[0]["SEQUENCE"]
    catalogue.save_session(open_session, catalogue.SessionData(**{**data.__dict__, "status": "cancelled"}))
    db.session.commit()
    assert {str(e["STATUS"]) for e in events()} == {"CANCELLED"}


@pytest.mark.parametrize("fmt, magic", [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_sign_in_sheets(client, auth, org, open_session, fmt, magic):
    register(open_session.id, org["people"]["me"], TODAY)
    db.session.commit()
    auth.login("hr")
    response = client.get(f"/training/sessions/{open_session.id}/sign-in-sheet.{fmt}")
    assert response.status_code == 200 and response.data.startswith(magic)


def test_sessions_list_and_calendar(client, auth, org, open_session):
    auth.login("hr")
    assert open_session.code in client.get(f"/training/sessions?fy={fiscal_year_of(open_session.first_day)}").text
    year = fiscal_year_of(open_session.first_day)
    calendar = client.get(f"/training/sessions?fy={year}&view=calendar").text
    assert format_date(open_session.first_day).split(" ", 1)[1] in calendar and open_session.code in calendar
    assert open_session.code not in client.get(f"/training/sessions?fy={year - 1}").text
