"""Reminders: who each kind reaches on which day, once each, and HR's switches."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.core.fiscal import format_date
from ethics.mail.models import OutboxMessage
from ethics.recognition.models import AwardRound, CommitteeMember, Nomination, NominationStatus, RoundStatus
from ethics.reminders import services
from ethics.reminders.models import ReminderKind
from ethics.survey import answering, campaigns
from ethics.training.registrations import register

TODAY = date(2026, 11, 30)


def outbox(kind: ReminderKind) -> list[str]:
    db.session.commit()
    return sorted(db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == f"reminder.{kind.value}")))


@pytest.fixture
def emails(org):
    for name, person in org["people"].items():
        person.email = f"{name}@example.go.th"
    db.session.commit()
    return org


def test_the_day_before_a_session_its_confirmed_people_are_reminded_once(emails, make_session):
    session = make_session(first_day=TODAY + timedelta(days=1), capacity=1)
    me, inside = emails["people"]["me"], emails["people"]["inside"]
    register(session.id, me, TODAY)
    register(session.id, inside, TODAY)  # waiting list: not reminded
    db.session.commit()
    assert services.send_due(TODAY - timedelta(days=1)) == 0  # two days before: nothing yet
    assert services.send_due(TODAY) == 1
    assert services.send_due(TODAY) == 0  # a second run the same day reminds nobody twice
    assert outbox(ReminderKind.SESSION_TOMORROW) == ["me@example.go.th"]


def award_round(status: RoundStatus, **dates) -> AwardRound:
    found = AwardRound(year=2569, title="ข้าราชการพลเรือนดีเด่น ประจำปี 2569", status=status,
                       nominations_open=TODAY - timedelta(days=30), nominations_close=TODAY + timedelta(days=3),
                       **dates)
    db.session.add(found)
    db.session.commit()
    return found


def test_supervisors_with_a_draft_or_no_nomination_are_reminded_three_days_before_nominations_close(emails, make_account):
    found = award_round(RoundStatus.NOMINATING)
    busy = make_account("busy", ("supervisor", "employee"), person=emails["people"]["inside"])
    db.session.add(Nomination(round_id=found.id, person_id=emails["people"]["me"].id, unit_id=emails["units"]["dev"].id,
                              nominated_by=busy.id, status=NominationStatus.SUBMITTED))
    db.session.commit()
    services.send_due(TODAY)
    assert outbox(ReminderKind.NOMINATIONS_CLOSING) == ["boss@example.go.th"]  # "supervisor", who nominated nobody


def test_members_who_have_not_scored_everyone_are_reminded_three_days_before_scoring_ends(emails, make_account):
    found = award_round(RoundStatus.SCORING, scoring_deadline=TODAY + timedelta(days=3))
    member = make_account("member", ("committee", "employee"), person=emails["people"]["outside"])
    db.session.add(CommitteeMember(round_id=found.id, account_id=member.id))
    db.session.add(Nomination(round_id=found.id, person_id=emails["people"]["me"].id, unit_id=emails["units"]["dev"].id,
                              nominated_by=emails["accounts"]["supervisor"].id, status=NominationStatus.ELIGIBLE))
    db.session.commit()
    services.send_due(TODAY)
    assert outbox(ReminderKind.SCORING_CLOSING) == ["outside@example.go.th"]


def test_the_survey_reminds_only_those_who_have_not_answered(emails):
    today = TODAY
    campaign = campaigns.create(campaigns.CampaignData(fiscal_year=2570, title="ขวัญกำลังใจ 2570",
                                                       opens_on=today - timedelta(days=10),
                                                       closes_on=today + timedelta(days=3)))
    db.session.commit()
    campaigns.open_campaign(campaign)
    db.session.commit()
    answering.submit(campaign.id, emails["people"]["me"].id, {item.id: 4 for item in campaign.items}, "", today=today)
    services.send_due(today)
    reminded = outbox(ReminderKind.SURVEY_CLOSING)
    assert "me@example.go.th" not in reminded and "inside@example.go.th" in reminded


def test_a_kind_hr_switched_off_is_not_sent_and_the_switch_is_audited(client, auth, emails, make_session):
    session = make_session(first_day=TODAY + timedelta(days=1))
    register(session.id, emails["people"]["me"], TODAY)
    db.session.commit()
    auth.login("hr")
    kept_on = [kind.value for kind in ReminderKind if kind != ReminderKind.SESSION_TOMORROW]
    assert client.post("/reminders/", data={"on": kept_on}).status_code == 302
    assert services.send_due(TODAY) == 0
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "reminders.switch"))
    page = client.get("/reminders/").text
    assert f'value="{ReminderKind.SESSION_TOMORROW.value}"' in page and 'checked' in page
    auth.login("employee")
    assert client.get("/reminders/").status_code == 403


def test_links_written_outside_any_request_use_the_base_url(app):
    from ethics.core.links import absolute_url

    app.config["ETHICS_BASE_URL"] = "https://ethics.example.go.th"
    with app.app_context():  # as in the worker
        assert absolute_url("training.session", session_id=7) == "https://ethics.example.go.th/training/sessions/7"


def test_everyone_registered_hears_when_a_session_moves_or_is_cancelled_once_per_change(emails, make_session):
    from ethics.training import catalogue

    session = make_session(first_day=TODAY + timedelta(days=10))
    register(session.id, emails["people"]["me"], TODAY)
    db.session.commit()

    def save(**changes):
        day = session.days[0]
        data = catalogue.SessionData(code=session.code, course_id=session.course_id, first_day=session.first_day,
                                     last_day=session.last_day, starts=day.starts, ends=day.ends, venue=session.venue,
                                     capacity=session.capacity, trainer=session.trainer, unit_id=session.unit_id,
                                     plan_activity_code="", registration_deadline=None, open_to_all=True,
                                     status=session.status)
        catalogue.save_session(session, catalogue.SessionData(**{**data.__dict__, **changes}))
        db.session.commit()

    save(trainer="วิทยากรใหม่")  # nothing people plan by
    assert outbox(ReminderKind.SESSION_CHANGED) == []
    save(first_day=TODAY + timedelta(days=12), last_day=TODAY + timedelta(days=12))
    save(status="cancelled")
    assert outbox(ReminderKind.SESSION_CHANGED) == ["me@example.go.th"] * 2
    moved = db.session.scalars(select(OutboxMessage.body_text).where(OutboxMessage.kind == "reminder.session_changed")
                               .order_by(OutboxMessage.id)).first()
    new_day = format_date(TODAY + timedelta(days=12))  # "12 ธ.ค. 2569": the Thai reader's date, never 2026-12-12
    assert f"เปลี่ยนเป็นวันที่ {new_day} ถึง {new_day} เวลา 09:00–16:00 น." in moved, moved


def test_a_passed_attendee_hears_that_the_certificate_is_ready(emails, make_session):
    from ethics.training.attendance import mark
    from ethics.training.results import close

    session = make_session(first_day=TODAY - timedelta(days=1))
    me = emails["people"]["me"]
    register(session.id, me, TODAY - timedelta(days=3))
    for day in session.days:
        mark(session.id, me.id, day.id, True)
    close(session, TODAY)
    db.session.commit()
    services.send_due(TODAY)
    assert outbox(ReminderKind.CERTIFICATE_READY) == ["me@example.go.th"]
