"""What trainings put on the start page, for the person, their supervisor and HR."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.training import attendance, registrations, results, waiting
from ethics.training.catalogue import Need
from ethics.training.models import Certificate, MandatoryCourse, Registration, SessionStatus
from tests.home import in_english, shown  # noqa: F401  # fixture

pytestmark = pytest.mark.usefixtures("in_english")

TODAY = date(2026, 12, 10)  # fiscal year 2570
SEATS = "Sessions coming up with your seat confirmed"


def seat(session, person) -> Registration:
    outcome = registrations.register(session.id, person, TODAY)
    db.session.commit()
    return outcome.registration


def present(session, person, day=0):
    attendance.mark(session.id, person.id, session.days[day].id, True)
    db.session.commit()


def test_a_confirmed_seat_coming_up_shows_until_it_is_given_up(org, make_session):
    employee, me = org["accounts"]["employee"], org["people"]["me"]
    assert waiting.seats_and_certificates(employee, TODAY) == []
    session = make_session(first_day=TODAY + timedelta(days=3))
    seat(session, me)
    assert shown(waiting.seats_and_certificates(employee, TODAY))[SEATS][0] == 1
    registrations.cancel(session.id, me)
    db.session.commit()
    assert waiting.seats_and_certificates(employee, TODAY) == []


def test_a_waiting_list_place_or_a_cancelled_session_is_no_confirmed_seat(org, make_session, make_person):
    employee, me = org["accounts"]["employee"], org["people"]["me"]
    full = make_session(first_day=TODAY + timedelta(days=3), capacity=1)
    seat(full, make_person())
    assert not seat(full, me).confirmed
    assert waiting.seats_and_certificates(employee, TODAY) == []
    cancelled = make_session(first_day=TODAY + timedelta(days=4))
    seat(cancelled, me)
    cancelled.status = SessionStatus.CANCELLED
    db.session.commit()
    assert waiting.seats_and_certificates(employee, TODAY) == []


def test_todays_session_offers_check_in_until_the_person_is_present(org, make_session):
    employee, me = org["accounts"]["employee"], org["people"]["me"]
    session = make_session(first_day=TODAY - timedelta(days=1), days=3, code="TODAY-01")
    seat(session, me)
    items = shown(waiting.seats_and_certificates(employee, TODAY))
    assert items == {"Check in": (None, f"Today: {session.course.title('en')}", "/training/check-in")}
    present(session, me, day=0)  # yesterday's mark is not today's check-in
    assert "Check in" in shown(waiting.seats_and_certificates(employee, TODAY))
    present(session, me, day=1)
    assert waiting.seats_and_certificates(employee, TODAY) == []
    assert waiting.seats_and_certificates(employee, TODAY + timedelta(days=1))[0].label == "Check in"


def test_a_certificate_is_new_for_thirty_days_and_never_once_revoked(org, make_session):
    employee, me = org["accounts"]["employee"], org["people"]["me"]
    session = make_session(first_day=TODAY - timedelta(days=2))
    seat(session, me)
    present(session, me)
    (passed,) = results.close(session, TODAY)
    db.session.commit()
    assert shown(waiting.seats_and_certificates(employee, TODAY))["New certificates"][:2] == (1, "")
    assert shown(waiting.seats_and_certificates(employee, TODAY + timedelta(days=30)))["New certificates"][0] == 1
    assert waiting.seats_and_certificates(employee, TODAY + timedelta(days=31)) == []
    certificate = db.session.scalar(select(Certificate).where(Certificate.registration_id == passed.id))
    results.revoke(certificate, "ออกให้ผิดคน", TODAY)
    db.session.commit()
    assert waiting.seats_and_certificates(employee, TODAY) == []


def test_an_account_without_a_person_has_no_seats(org):
    assert waiting.seats_and_certificates(org["accounts"]["committee"], TODAY) == []


def test_the_supervisor_counts_the_gaps_the_team_page_lists(client, auth, org, make_course, make_session):
    supervisor = org["accounts"]["supervisor"]
    assert waiting.team_gaps(supervisor, TODAY) == []
    course = make_course()
    db.session.add(MandatoryCourse(course_id=course.id, fiscal_year=2570, personnel_type="civil_servant"))
    db.session.commit()
    (item,) = waiting.team_gaps(supervisor, TODAY)
    assert (item.count, item.url) == (3, "/training/team")  # the boss, and the two people of the team below
    session = make_session(course=course, first_day=TODAY - timedelta(days=1))
    seat(session, org["people"]["inside"])
    present(session, org["people"]["inside"])
    results.close(session, TODAY)
    db.session.commit()
    assert waiting.team_gaps(supervisor, TODAY)[0].count == 2
    assert waiting.team_gaps(supervisor, date(2027, 10, 1)) == []  # nothing is mandatory in 2571


def test_hr_counts_sessions_to_open_close_and_score(org, make_course, make_session):
    hr = org["accounts"]["hr"]
    assert waiting.sessions_to_handle(hr, TODAY) == []
    make_session(first_day=TODAY + timedelta(days=5), status="planned")
    make_session(first_day=TODAY - timedelta(days=20), status="planned")  # its day passed: to close, not to open
    over = make_session(course=make_course(pass_score=60), first_day=TODAY - timedelta(days=1))
    seat(over, org["people"]["me"])
    seat(over, org["people"]["inside"])
    present(over, org["people"]["me"])  # the other was absent: closing needs no score of theirs
    items = shown(waiting.sessions_to_handle(hr, TODAY))
    assert items == {"Sessions to open for registration": (1, "", "/training/sessions?fy=2570&need=to_open"),
                     "Sessions to close": (2, "", "/training/sessions?fy=2570&need=to_close"),
                     "Sessions with post-test scores to enter": (1, "", "/training/sessions?fy=2570&need=scores")}
    mine = db.session.scalar(select(Registration).where(Registration.session_id == over.id,
                                                        Registration.person_id == org["people"]["me"].id))
    results.set_score(over, mine, 75)
    db.session.commit()
    assert "Sessions with post-test scores to enter" not in shown(waiting.sessions_to_handle(hr, TODAY))
    results.close(over, TODAY)
    db.session.commit()
    assert shown(waiting.sessions_to_handle(hr, TODAY))["Sessions to close"][0] == 1
    assert waiting.sessions_to_handle(hr, date(2027, 10, 1)) == []  # another fiscal year's sessions


def test_closing_still_waits_for_every_score(org, make_course, make_session):
    session = make_session(course=make_course(pass_score=60), first_day=TODAY - timedelta(days=1))
    seat(session, org["people"]["me"])
    present(session, org["people"]["me"])
    with pytest.raises(results.ClosingError, match=r"\(1 missing\)"):
        results.close(session, TODAY)


def test_the_sessions_page_lists_what_the_start_page_counts(client, auth, org, make_session):
    from ethics.core.fiscal import local_now

    today = local_now().date()
    planned = make_session(first_day=today + timedelta(days=5), status="planned", code="PLANNED-01")
    make_session(first_day=today + timedelta(days=6), code="OPEN-01")
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    page = client.get(f"/training/sessions?need={Need.TO_OPEN.value}").text
    assert planned.code in page and "OPEN-01" not in page and "Sessions to open for registration" in page
    everything = client.get("/training/sessions?need=nonsense").text
    assert planned.code in everything and "OPEN-01" in everything
