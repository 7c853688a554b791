"""Invitations: nothing is chosen by default, a preview counts and names the people before
anything is sent, mail goes out when registration opens and once per person, and HR sees each
invitee's answer; a person who may not register is told why."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.mail.models import OutboxMessage
from ethics.people.models import Person
from ethics.training import invitations, registrations
from ethics.training.catalogue import SessionData, save_session
from ethics.training.invitations import Audience
from ethics.training.models import SessionInvitation, TrainingSession
from ethics.training.registrations import RegistrationError, cancel, invite, register
from tests.conftest import count_queries
from tests.training.test_registrations import run_in_threads

TODAY = date(2026, 11, 26)


def invitation_mails(person_id=None) -> int:
    query = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "training.invitation")
    return db.session.scalar(query if person_id is None else query.where(OutboxMessage.person_id == person_id))


def invited_ids(session) -> set[int]:
    return set(db.session.scalars(select(SessionInvitation.person_id).where(SessionInvitation.session_id == session.id)))


def open_registration(session) -> None:
    """Change the status as the edit form did (states.change_state is the session page's way)."""
    day = session.days[0]
    save_session(session, SessionData(
        code=session.code, course_id=session.course_id, first_day=session.first_day, last_day=session.last_day,
        starts=day.starts, ends=day.ends, venue=session.venue, capacity=session.capacity, trainer=session.trainer,
        unit_id=session.unit_id, plan_activity_code="", registration_deadline=None, open_to_all=session.open_to_all,
        status="open"))
    db.session.commit()


def people_of(unit, make_person, count, **values):
    return [make_person(unit, first_name=f"ผู้รับเชิญ{n:02d}", email=f"i{unit.code}{n}@example.go.th", **values)
            for n in range(count)]


# --- the form and its preview -----------------------------------------------------------

def test_nothing_chosen_is_refused_next_to_the_form_and_invites_nobody(client, auth, org, make_session):
    session = make_session(open_to_all=False)
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    for data in ({}, {"unit_id": "", "personnel_type": "", "name": "  "}, {"confirm": "1"}):
        response = client.post(f"/training/sessions/{session.id}/invite", data=data)
        assert response.status_code == 422
        assert "Choose a unit, a personnel type or a name to invite." in response.text
    assert invited_ids(session) == set() and invitation_mails() == 0


def test_the_invite_form_has_no_audience_chosen(client, auth, org, make_session):
    session = make_session(open_to_all=False)
    auth.login("hr")
    form = client.get(f"/training/sessions/{session.id}").text.split('data-testid="invite-form"')[1].split("</form>")[0]
    for name in ("unit_id", "personnel_type"):
        options = form.split(f'name="{name}"')[1].split("</select>")[0]
        assert re.findall(r'selected value="[^"]+"', options) == []


def test_the_preview_counts_and_names_before_anything_is_sent(client, auth, org, make_session, make_unit,
                                                                make_person, monkeypatch):
    monkeypatch.setattr(invitations, "PREVIEW_NAMES", 3)
    unit = make_unit("INV", "กองเชิญ")
    people = people_of(unit, make_person, 5, position="นักทรัพยากรบุคคล")
    session = make_session(open_to_all=False)
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    choice = {"unit_id": unit.id, "personnel_type": "", "name": "", "send": "now"}
    preview = client.post(f"/training/sessions/{session.id}/invite", data=choice)
    assert preview.status_code == 200
    shown = preview.text.split('data-testid="invite-preview"')[1].split("</article>")[0]
    assert "5 people would be invited" in shown and "and 2 more people" in shown
    assert [p.full_name in shown for p in people] == [True, True, True, False, False]
    assert "นักทรัพยากรบุคคล" in shown and "กองเชิญ" in shown
    assert 'name="confirm"' in shown and f'name="unit_id" value="{unit.id}"' in shown
    assert invited_ids(session) == set() and invitation_mails() == 0  # a preview sends nothing

    done = client.post(f"/training/sessions/{session.id}/invite", data={**choice, "confirm": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith("#invitees")
    assert invited_ids(session) == {p.id for p in people}
    assert invitation_mails() == 5
    assert "5 people invited: their invitations are mailed." in client.get(done.headers["Location"]).text


def test_the_preview_leaves_out_people_already_invited(client, auth, org, make_session, make_unit, make_person):
    unit = make_unit("AGN")
    people = people_of(unit, make_person, 3)
    session = make_session(open_to_all=False)
    invite(session, [people[0].id])
    db.session.commit()
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    preview = client.post(f"/training/sessions/{session.id}/invite", data={"unit_id": unit.id}).text
    assert "2 people would be invited" in preview
    assert "1 person of your choice is invited already and is not invited again." in preview


def test_a_person_is_invited_and_mailed_once(make_session, make_person):
    session = make_session(open_to_all=False)
    person = make_person(email="once@example.go.th")
    assert invite(session, [person.id, person.id]) == 1
    db.session.commit()
    assert invite(session, [person.id]) == 0
    db.session.commit()
    assert invitation_mails(person.id) == 1


def test_a_double_clicked_confirmation_invites_and_mails_each_person_once(app, make_session, make_unit, make_person):
    unit = make_unit("TWO")
    people = people_of(unit, make_person, 4)
    session_id, audience = make_session(open_to_all=False).id, Audience(unit_id=unit.id)

    def confirm(_n):
        invitations.invite(db.session.get(TrainingSession, session_id), audience, send_now=True)

    assert run_in_threads(app, 2, confirm) == []
    assert db.session.scalar(select(func.count()).select_from(SessionInvitation)) == 4
    assert {p.id: invitation_mails(p.id) for p in people} == {p.id: 1 for p in people}


# --- when the mail goes out -------------------------------------------------------------

def test_invitations_to_a_planned_session_wait_for_registration_to_open(make_session, make_person):
    session = make_session(status="planned", open_to_all=False)
    person = make_person(email="later@example.go.th")
    invite(session, [person.id])
    db.session.commit()
    assert invited_ids(session) == {person.id} and invitation_mails() == 0
    with pytest.raises(RegistrationError, match="Registration has not opened yet"):
        register(session.id, person, TODAY)
    db.session.rollback()

    open_registration(session)
    assert invitation_mails(person.id) == 1
    assert db.session.scalar(select(SessionInvitation.sent_at)) is not None
    assert register(session.id, person, TODAY).registration.confirmed

    assert registrations.send_held_invitations(session) == 0  # a second call, or a reopening, sends nothing
    db.session.commit()
    assert invitation_mails(person.id) == 1


def test_the_open_registration_button_sends_the_held_invitations(client, auth, org, make_session, make_person):
    session = make_session(status="planned", open_to_all=False, first_day=local_now().date() + timedelta(days=5))
    person = make_person(email="button@example.go.th")
    invite(session, [person.id])
    db.session.commit()
    auth.login("hr")
    assert client.post(f"/training/sessions/{session.id}/state", data={"change": "open"}).status_code == 302
    assert invitation_mails(person.id) == 1


def test_send_now_is_refused_until_registration_is_open(client, auth, org, make_session, make_person):
    session = make_session(status="planned", open_to_all=False)
    person = make_person(org["units"]["audit"])
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    for extra in ({}, {"confirm": "1"}):
        response = client.post(f"/training/sessions/{session.id}/invite",
                               data={"unit_id": org["units"]["audit"].id, "send": "now", **extra})
        assert response.status_code == 422 and "the invitations can go out only when it opens" in response.text
    assert invited_ids(session) == set()
    done = client.post(f"/training/sessions/{session.id}/invite",
                       data={"unit_id": org["units"]["audit"].id, "send": "on_open", "confirm": "1"})
    assert done.status_code == 302 and person.id in invited_ids(session) and invitation_mails() == 0
    page = client.get(done.headers["Location"]).text
    assert "people invited: their invitations are mailed when registration opens." in page


def test_a_closed_session_takes_no_invitations(make_session, make_person):
    session = make_session(status="cancelled", open_to_all=False)
    with pytest.raises(registrations.InvitationError):
        invite(session, [make_person().id])


# --- who was invited, and what they answered ---------------------------------------------

def test_hr_sees_each_invitee_and_their_answer(client, auth, org, make_session, make_unit, make_person):
    unit = make_unit("ANS", "กองตอบ")
    registered, waiting, cancelled, silent = people_of(unit, make_person, 4)
    session = make_session(open_to_all=False, capacity=1)
    invite(session, [registered.id, waiting.id, cancelled.id, silent.id])
    for person in (registered, waiting, cancelled):
        register(session.id, person, TODAY)
    db.session.commit()
    cancel(session.id, cancelled)  # took no seat: the waiting list stays as it is
    db.session.commit()
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    page = client.get(f"/training/sessions/{session.id}").text
    assert "4 people invited" in page.split('data-testid="invitation-answers"')[1].split("</p>")[0]
    table = page.split('data-testid="invitees"')[1].split("</table>")[0]
    rows = {row.split("</td>")[0].split("<td>")[-1]: row.split("</td>")[-2].split(">")[-1]
            for row in table.split("<tr>")[2:]}
    assert rows == {registered.full_name: "Registered", waiting.full_name: "Waiting list",
                    cancelled.full_name: "Cancelled", silent.full_name: "Not answered"}


def test_the_invitee_list_is_paginated_in_a_bounded_number_of_queries(client, auth, org, make_session, make_unit,
                                                                       monkeypatch):
    monkeypatch.setattr(invitations, "INVITEES_PER_PAGE", 10)
    unit = make_unit("MANYINV")
    people = [Person(citizen_id=f"3{n:012d}", first_name=f"ผู้ได้รับเชิญ{n:03d}", last_name="ทดสอบ",
                     personnel_type="civil_servant", unit=unit, active=True) for n in range(60)]
    db.session.add_all(people)
    few, many = make_session(open_to_all=False), make_session(open_to_all=False)
    db.session.commit()
    invite(few, [people[0].id])
    invite(many, [p.id for p in people])
    db.session.commit()
    auth.login("hr")
    client.get("/")
    with count_queries() as one:
        client.get(f"/training/sessions/{few.id}")
    with count_queries() as sixty:
        page = client.get(f"/training/sessions/{many.id}?page=2").text
    assert len(sixty) == len(one)
    listed = page.split('data-testid="invitees"')[1].split("</table>")[0]
    assert listed.count("<tr>") == 11 and "ผู้ได้รับเชิญ010" in listed and "ผู้ได้รับเชิญ009" not in listed
    assert "?page=3" in page


def test_the_invitee_list_is_for_hr_only(client, auth, org, make_session):
    session = make_session(open_to_all=True)
    invite(session, [org["people"]["inside"].id])
    db.session.commit()
    auth.login("employee")
    page = client.get(f"/training/sessions/{session.id}").text
    assert 'data-testid="invitees"' not in page and org["people"]["inside"].full_name not in page


# --- why a person may not register -------------------------------------------------------

def test_a_person_not_invited_is_told_the_session_is_by_invitation(client, auth, org, make_session, make_account,
                                                                    make_person):
    person = make_person(first_name="ฝ่ายบุคคล")
    make_account("hr-person", ("hr", "employee"), person=person)
    session = make_session(open_to_all=False)
    client.set_cookie("ethics_lang", "en")
    auth.login("hr-person")
    page = client.get(f"/training/sessions/{session.id}").text
    assert "Open for registration" in page.split('data-testid="session-status"')[1].split("</span>")[0]
    reason = page.split('data-testid="closed-reason"')[1].split("</p>")[0]
    assert "This session is by invitation, and you have not been invited." in reason
    assert "Registration is not open" not in page
    response = client.post(f"/training/sessions/{session.id}/register")
    assert "This session is by invitation" in client.get(response.headers["Location"]).text


@pytest.mark.parametrize("status, reason", [
    ("planned", "Registration has not opened yet."),
    ("held", "This session has taken place: registration is over."),
    ("cancelled", "This session is cancelled."),
])
def test_the_reason_names_the_sessions_state(app, make_session, make_person, status, reason):
    session, person = make_session(open_to_all=True), make_person()
    session.status = status
    assert str(registrations.closed_reason(session, person.id)) == reason


def test_an_invited_person_or_an_open_session_has_no_reason(make_session, make_person):
    person = make_person()
    by_invitation, everyone = make_session(open_to_all=False), make_session(open_to_all=True)
    assert registrations.closed_reason(everyone, person.id) is None
    assert registrations.closed_reason(by_invitation, person.id) is not None
    invite(by_invitation, [person.id])
    assert registrations.closed_reason(by_invitation, person.id) is None
