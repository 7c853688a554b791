"""A session's state changes by its own buttons, shown only when they apply; and its plan activity
is chosen from the plan of its fiscal year."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.training import signals, states
from ethics.training.models import TrainingSession
from ethics.training.registrations import register
from tests.training.test_views import session_form

FIRST = date(2026, 12, 1)  # a two-day session: 1 and 2 December 2026, fiscal year 2570


def names(session, today):
    return [transition.name for transition in states.transitions(session, today)]


def english(app, text) -> str:
    with app.test_request_context(headers={"Cookie": "ethics_lang=en"}):
        return str(text)


def test_the_changes_that_apply_follow_the_state_the_date_and_the_roster(app, make_session, org):
    planned = make_session(first_day=FIRST, days=2, status="planned")
    assert names(planned, FIRST - timedelta(days=1)) == ["open", "cancel"]  # not started: nothing to close
    on_the_day = states.transitions(planned, FIRST)
    assert [t.name for t in on_the_day] == ["open", "close", "cancel"]
    close = on_the_day[1]
    assert english(app, close.label) == "Mark as held"  # nobody registered: no certificate to issue
    assert close.needs_reason  # the last day has not ended
    after = states.transitions(planned, FIRST + timedelta(days=2))
    assert [t.name for t in after] == ["close", "cancel"]  # too late to open registration
    assert not after[0].needs_reason

    running = make_session(first_day=FIRST, days=2, status="open")
    register(running.id, org["people"]["me"], FIRST)
    db.session.commit()
    assert names(running, FIRST + timedelta(days=1)) == ["close", "cancel"]
    closing = states.transitions(running, FIRST + timedelta(days=1))[0]
    assert english(app, closing.label) == "Close the session and issue certificates"
    running.status = "cancelled"
    assert names(running, FIRST + timedelta(days=5)) == []
    running.status = "held"
    assert names(running, FIRST + timedelta(days=5)) == []


def test_a_change_that_does_not_apply_is_refused_and_changes_nothing(make_session):
    session = make_session(first_day=FIRST, status="open")
    with pytest.raises(states.ChangeNotApplicable) as refused:
        states.change_state(session, "open", FIRST - timedelta(days=3))
    assert refused.value.status == 409
    with pytest.raises(states.ChangeNotApplicable):
        states.change_state(session, "close", FIRST - timedelta(days=3))  # not started yet
    with pytest.raises(states.ChangeNotApplicable):
        states.change_state(session, "reopen", FIRST)
    assert session.status == "open"


def test_hr_opens_registration_by_its_button_and_the_audit_log_keeps_it(client, auth, org, make_session, monkeypatch):
    session = make_session(first_day=FIRST, status="planned")
    monkeypatch.setattr("ethics.training.views.local_now", lambda: datetime(2026, 11, 20, 10))
    auth.login("hr")
    page = client.get(f"/training/sessions/{session.id}").text
    assert 'data-testid="change-open"' in page and 'data-testid="change-cancel"' in page
    assert 'data-testid="change-close"' not in page  # nothing to close before the first day
    assert client.post(f"/training/sessions/{session.id}/state", data={"change": "open"}).status_code == 302
    assert db.session.get(TrainingSession, session.id).status == "open"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "session.status"))
    assert entry.details == {"before": "planned", "after": "open"}
    page = client.get(f"/training/sessions/{session.id}").text
    assert 'data-testid="change-open"' not in page and "เปิดรับสมัคร" in page


def test_a_stale_or_forged_change_is_refused_with_409(client, auth, org, make_session, monkeypatch):
    session = make_session(first_day=FIRST, status="open")
    monkeypatch.setattr("ethics.training.views.local_now", lambda: datetime(2026, 11, 20, 10))
    auth.login("hr")
    client.set_cookie("ethics_lang", "en")
    stale = client.post(f"/training/sessions/{session.id}/state", data={"change": "open"})
    assert stale.status_code == 409 and "does not apply to the session as it is now" in stale.text
    early = client.post(f"/training/sessions/{session.id}/state", data={"change": "close"})
    assert early.status_code == 409
    assert db.session.get(TrainingSession, session.id).status == "open"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "session.status")) is None


def test_only_hr_changes_a_state(client, auth, org, make_session):
    session = make_session(first_day=FIRST, status="planned")
    auth.login("employee")
    assert client.post(f"/training/sessions/{session.id}/state", data={"change": "open"}).status_code == 403
    assert db.session.get(TrainingSession, session.id).status == "planned"


def test_closing_before_the_last_day_has_ended_needs_a_reason(client, auth, org, make_session, monkeypatch):
    session = make_session(first_day=FIRST, days=2, status="open")
    register(session.id, org["people"]["me"], FIRST)
    db.session.commit()
    monkeypatch.setattr("ethics.training.views.local_now", lambda: datetime.combine(FIRST, time(15)))
    auth.login("hr")
    client.set_cookie("ethics_lang", "en")
    page = client.get(f"/training/sessions/{session.id}").text
    assert 'data-testid="reason-close"' in page and "Close the session and issue certificates" in page
    refused = client.post(f"/training/sessions/{session.id}/state", data={"change": "close", "reason": "  "})
    assert refused.status_code == 422 and "Give the reason for closing the session before its last day" in refused.text
    assert db.session.get(TrainingSession, session.id).status == "open"
    done = client.post(f"/training/sessions/{session.id}/state", data={"change": "close", "reason": "วิทยากรป่วย"})
    assert done.status_code == 302
    assert db.session.get(TrainingSession, session.id).status == "held"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "session.status"))
    assert entry.details == {"before": "open", "after": "held", "reason": "วิทยากรป่วย"}


def test_the_kept_session_page_follows_the_date(client, auth, org, make_session, monkeypatch):
    session = make_session(first_day=FIRST, days=2, status="open")
    now = {"moment": datetime(2026, 11, 30, 10)}
    monkeypatch.setattr("ethics.training.views.local_now", lambda: now["moment"])
    auth.login("hr")
    client.get("/")
    assert 'data-testid="change-close"' not in client.get(f"/training/sessions/{session.id}").text
    now["moment"] = datetime(2026, 12, 3, 10)  # the day after the last: nothing in the data changed
    page = client.get(f"/training/sessions/{session.id}").text
    assert 'data-testid="change-close"' in page and 'data-testid="reason-close"' not in page


def test_cancelling_asks_first_and_tells_everyone_registered(client, auth, org, make_session, monkeypatch):
    session = make_session(first_day=FIRST, status="open")
    monkeypatch.setattr("ethics.training.views.local_now", lambda: datetime(2026, 11, 20, 10))
    auth.login("hr")
    page = client.get(f"/training/sessions/{session.id}").text
    cancel_form = page.split('data-testid="change-cancel"')[0].rsplit("<form", 1)[1]
    assert "data-confirm=" in cancel_form
    told = []
    with signals.session_changed.connected_to(lambda sender, changed: told.append((sender.id, changed))):
        assert client.post(f"/training/sessions/{session.id}/state", data={"change": "cancel"}).status_code == 302
    assert told == [(session.id, ["cancelled"])]
    assert db.session.get(TrainingSession, session.id).status == "cancelled"
    page = client.get(f"/training/sessions/{session.id}").text
    assert 'data-testid="state-changes"' not in page and f"/training/sessions/{session.id}/edit" not in page
    # a cancelled session is no longer edited: nobody is told of a seat or a change of it any more
    assert client.get(f"/training/sessions/{session.id}/edit").status_code == 302
    client.set_cookie("ethics_lang", "en")
    refused = client.post(f"/training/sessions/{session.id}/edit", follow_redirects=True,
                          data=session_form(session.course, code=session.code, venue="ห้องใหม่"))
    assert "This session is cancelled and can no longer be changed." in refused.text
    assert db.session.get(TrainingSession, session.id).venue != "ห้องใหม่"


def test_the_edit_form_has_no_status_a_new_session_is_planned_and_an_edit_keeps_the_state(
        client, auth, org, make_course, make_session):
    course = make_course(code="ETH")
    auth.login("hr")
    assert 'name="status"' not in client.get("/training/sessions/new").text
    assert client.post("/training/sessions/new", data=session_form(course, status="open")).status_code == 302
    created = db.session.scalar(select(TrainingSession))
    assert created.status == "planned"
    opened = make_session(course, first_day=FIRST, status="open")
    form = session_form(course, code=opened.code, status="cancelled", venue="ห้องใหม่")
    assert client.post(f"/training/sessions/{opened.id}/edit", data=form).status_code == 302
    db.session.refresh(opened)
    assert (opened.venue, opened.status) == ("ห้องใหม่", "open")


# --- the plan activity ----------------------------------------------------------------

@pytest.fixture
def plans(make_plan_activity):
    make_plan_activity(2570, "1.1.4")
    make_plan_activity(2570, "2.1.1")
    make_plan_activity(2571, "3.1.1")


def test_the_activity_is_chosen_from_the_plan_of_the_sessions_year(client, auth, org, make_course, plans):
    course = make_course()
    auth.login("hr")
    # a new session's form offers the plan of today's year; saving checks the submitted dates' year
    response = client.post("/training/sessions/new", data=session_form(course, plan_activity_code="2.1.1"))
    assert response.status_code == 302
    assert db.session.scalar(select(TrainingSession.plan_activity_code)) == "2.1.1"
    edit = client.get(f"/training/sessions/{db.session.scalar(select(TrainingSession.id))}/edit").text
    options = edit.split('name="plan_activity_code"')[1].split("</select>")[0]
    assert "1.1.4 กิจกรรม 1.1.4" in options and "2.1.1 กิจกรรม 2.1.1" in options and "3.1.1" not in options
    assert '<option value="">' in options and 'selected value="2.1.1"' in options


def test_an_activity_not_in_the_year_of_the_submitted_dates_is_refused_beside_the_field(
        client, auth, org, make_course, plans):
    course = make_course()
    auth.login("hr")
    client.set_cookie("ethics_lang", "en")
    wrong_year = client.post("/training/sessions/new", data=session_form(course, plan_activity_code="3.1.1"))
    assert wrong_year.status_code == 422
    assert 'class="field-error" id="plan_activity_code-error">3.1.1 is not in the plan of fiscal year 2570' \
        in wrong_year.text
    offered = wrong_year.text.split('name="plan_activity_code"')[1].split("</select>")[0]
    assert "1.1.4 กิจกรรม 1.1.4" in offered  # the submitted dates' year offered
    next_year = session_form(course, first_day="01/12/2570", last_day="01/12/2570", plan_activity_code="3.1.1")
    assert client.post("/training/sessions/new", data=next_year).status_code == 302
    assert db.session.scalar(select(TrainingSession.plan_activity_code)) == "3.1.1"


def test_the_session_page_names_the_activity_and_links_it_for_hr_only(client, auth, org, make_session, plans):
    from ethics.plan.services import plan_for

    session = make_session(first_day=FIRST, plan_activity_code="2.1.1")
    activity = next(a for a in plan_for(2570).activities if a.code == "2.1.1")
    auth.login("hr")
    shown = client.get(f"/training/sessions/{session.id}").text.split('data-testid="plan-activity"')[1].split("</dd>")[0]
    assert f'href="/plan/2570/activities/{activity.id}"' in shown and "กิจกรรม 2.1.1" in shown
    auth.login("employee")
    shown = client.get(f"/training/sessions/{session.id}").text.split('data-testid="plan-activity"')[1].split("</dd>")[0]
    assert "href" not in shown and "2.1.1" in shown and "กิจกรรม 2.1.1" in shown
