"""The start page: a list per role of what waits for the signed-in person, each item a link from a
domain's provider; empty groups say what will appear; its SQL does not grow with the data."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from ethics.audit import waiting as audit_waiting
from ethics.audit.models import AuditEntry, AuditVerification
from ethics.audit.services import latest_checkpoint, record
from ethics.audit.tasks import verify_nightly, write_checkpoint
from ethics.auth import waiting as auth_waiting
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_bounds, fiscal_year_of, local_now, utc_now
from ethics.importing import services as imports
from ethics.importing import waiting as import_waiting
from ethics.importing.models import ImportJob, JobStatus
from ethics.mail import services as mail
from ethics.mail import waiting as mail_waiting
from ethics.mail.models import MailStatus, OutboxMessage
from ethics.plan import waiting as plan_waiting
from ethics.recognition import nominations, rounds
from ethics.recognition.models import Nomination, NominationStatus
from ethics.survey import answering
from ethics.training import attendance, registrations, results
from ethics.training.models import MandatoryCourse
from ethics.web.home import WaitingItem, register, waiting_for
from tests.conftest import PASSWORD, count_queries
from tests.home import in_english, shown  # noqa: F401  # fixture
from tests.recognition.conftest import committee, justified, open_round, scoring_round, submit_all  # noqa: F401
from tests.survey.conftest import all_fives, make_campaign  # noqa: F401  # fixture

TODAY = local_now().date()


def signed_in(app, username: str):
    client = app.test_client()
    client.set_cookie("ethics_lang", "en")
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def section(page: str, role: str) -> str:
    """The HTML of one role's group on the page ('' when it is not there)."""
    found = re.search(rf'<section class="waiting" data-testid="waiting-{role}".*?</section>', page, re.S)
    return found.group(0) if found else ""


# --- the registry ----------------------------------------------------------------------

@pytest.mark.usefixtures("in_english")
def test_groups_follow_the_roles_held_in_a_fixed_order_with_what_each_would_show(app, org):
    register(app, "committee", lambda account, today: [WaitingItem("Extra", "/x", 2)], "extra things")
    groups = waiting_for(org["accounts"]["committee"], TODAY)  # committee and employee
    assert [(g.role, str(g.label)) for g in groups] == [("employee", "Employee"), ("committee", "Committee member")]
    assert WaitingItem("Extra", "/x", 2) in groups[1].items and "extra things" in groups[1].shows
    assert [g.role for g in waiting_for(org["accounts"]["admin"], TODAY)] == ["admin"]


# --- providers of the plumbing-side domains ------------------------------------------

@pytest.mark.usefixtures("in_english")
def test_hr_follows_their_own_imports_until_applied(app, org):
    hr, admin = org["accounts"]["hr"], org["accounts"]["admin"]
    mine = imports.create_job(imports.REGISTRY["roster"], "roster.xlsx", b"x", {}, hr.id, "th")
    imports.create_job(imports.REGISTRY["roster"], "theirs.xlsx", b"x", {}, admin.id, "th")
    db.session.commit()
    assert shown(import_waiting.own_jobs(hr, TODAY)) == {"Import: Staff roster": (
        None, "roster.xlsx · Queued: this import starts when an earlier one ends.", f"/imports/jobs/{mine.id}")}
    mine.status = JobStatus.READY
    db.session.commit()
    assert "roster.xlsx · Checked: ready to apply" in shown(import_waiting.own_jobs(hr, TODAY))["Import: Staff roster"]
    mine.status = JobStatus.DONE
    db.session.commit()
    assert import_waiting.own_jobs(hr, TODAY) == []
    mine.status, mine.status_at = JobStatus.CHECKING, utc_now() - ImportJob.LOST_AFTER - timedelta(minutes=1)
    db.session.commit()
    assert import_waiting.own_jobs(hr, TODAY) == []  # its process is gone: its page says interrupted


@pytest.mark.usefixtures("in_english")
def test_hr_reaches_this_years_plan_or_learns_there_is_none(app, org, make_plan_activity):
    hr, year = org["accounts"]["hr"], fiscal_year_of(TODAY)
    assert shown(plan_waiting.this_year(hr, TODAY)) == {f"No plan for fiscal year {year} yet": (None, "", "/plan/")}
    make_plan_activity(year - 1, "1.1.1")
    assert list(shown(plan_waiting.this_year(hr, TODAY))) == [f"No plan for fiscal year {year} yet"]
    make_plan_activity(year, "1.1.1")
    assert shown(plan_waiting.this_year(hr, TODAY)) == {f"Plan of fiscal year {year}": (None, "", f"/plan/{year}")}


@pytest.mark.usefixtures("in_english")
def test_the_administrator_counts_accounts_and_failed_mail(app, org):
    admin = org["accounts"]["admin"]
    assert shown(auth_waiting.accounts(admin, TODAY)) == {"Accounts": (5, "", "/accounts")}
    assert shown(mail_waiting.failures(admin, TODAY)) == {"Outbox: messages that failed": (0, "", "/mail")}
    for n in range(2):
        mail.queue_message(f"n{n}@example.go.th", "test", f"Message {n}", paragraphs=["x"])
    db.session.commit()
    for message in db.session.scalars(select(OutboxMessage)):
        message.status = MailStatus.FAILED
    db.session.commit()
    assert mail_waiting.failures(admin, TODAY)[0].count == 2 == mail.counts()["failed"]


@pytest.mark.usefixtures("in_english")
def test_the_administrator_sees_the_last_verification_and_checkpoint_of_the_audit_log(app, org, tmp_path):
    admin = org["accounts"]["admin"]
    (item,) = audit_waiting.audit_state(admin, TODAY)
    assert item.url == "/audit"
    assert str(item.detail) == ("The chain has not been verified yet: the worker verifies it each night. "
                                "No checkpoint has been written (ETHICS_AUDIT_CHECKPOINT_FILE).")
    app.config["ETHICS_AUDIT_CHECKPOINT_FILE"] = str(tmp_path / "checkpoints.txt")
    record("test.event")
    db.session.commit()
    write_checkpoint()
    assert verify_nightly.call_local() is True
    record("test.event")  # the log moves on; the page tells of the verification and checkpoint made
    db.session.commit()
    (item,) = audit_waiting.audit_state(admin, TODAY)
    entries = latest_checkpoint().seq - 1
    assert re.fullmatch(rf"Verified intact \d+ \w{{3}} 20\d\d \d\d:\d\d \({entries} entries\)\. "
                        rf"Last checkpoint written .+ \d\d:\d\d, at entry {entries}", str(item.detail)), item.detail
    db.session.execute(update(AuditEntry).where(AuditEntry.seq == 1).values(actor_label="someone else"))
    db.session.commit()
    assert verify_nightly.call_local() is False  # the worker's nightly walk finds the altered entry ...
    (item,) = audit_waiting.audit_state(admin, TODAY)
    assert str(item.detail).startswith("BROKEN at entry 1, found ")  # ... and the next morning's page says so
    kept = db.session.scalars(select(AuditVerification).order_by(AuditVerification.id)).all()
    assert [(v.intact, v.broken_at, v.by) for v in kept] == [(True, None, "worker"), (False, 1, "worker")]


# --- the page, per role -----------------------------------------------------------------

def test_employee_page_lists_the_open_survey_then_says_what_will_appear(app, org, make_campaign):  # noqa: F811
    campaign = make_campaign()
    page = signed_in(app, "employee").get("/").text
    employee = section(page, "employee")
    assert f'href="/survey/{campaign.id}"' in employee and "Answer the survey" in employee
    assert [section(page, role) for role in ("supervisor", "committee", "hr", "admin")] == [""] * 4
    answering.submit(campaign.id, org["people"]["me"].id, all_fives(campaign), "")
    employee = section(signed_in(app, "employee").get("/").text, "employee")
    assert "Answer the survey" not in employee and 'data-testid="empty"' in employee
    assert "Nothing waits for you here now" in employee and "a morale survey open to you" in employee


def test_supervisor_page_has_their_own_and_their_teams_groups(app, org, make_course):
    course = make_course()
    db.session.add(MandatoryCourse(course_id=course.id, fiscal_year=fiscal_year_of(TODAY), personnel_type="civil_servant"))
    closes = min(TODAY + timedelta(days=9), fiscal_year_bounds(fiscal_year_of(TODAY))[1])  # inside the round's year
    rounds.create_round(fiscal_year_of(TODAY), TODAY, closes)
    db.session.commit()
    page = signed_in(app, "supervisor").get("/").text
    supervisor = section(page, "supervisor")
    assert 'href="/training/team"' in supervisor and '<span class="count" data-testid="count">3</span>' in supervisor
    assert "Nominations close on" in supervisor
    assert section(page, "employee") and not section(page, "hr")


def test_committee_page_shows_progress_in_the_round_being_scored(app, org, scoring_round):  # noqa: F811
    page = signed_in(app, "member").get("/").text
    scoring = section(page, "committee")
    assert f'href="/recognition/rounds/{scoring_round["round"].id}"' in scoring
    assert "Nominees to score" in scoring and "0 of 3 scored" in scoring


def test_hr_page_has_sessions_imports_rounds_campaigns_and_the_plan(app, org, make_session, make_campaign):  # noqa: F811
    make_session(first_day=TODAY + timedelta(days=3), status="planned")
    make_campaign()
    open_round(year=fiscal_year_of(TODAY))
    imports.create_job(imports.REGISTRY["roster"], "roster.xlsx", b"x", {}, org["accounts"]["hr"].id, "th")
    db.session.commit()
    hr = section(signed_in(app, "hr").get("/").text, "hr")
    for text in ("Sessions to open for registration", "Import: Staff roster", "Award rounds: Taking nominations",
                 "Morale survey taking answers", f"No plan for fiscal year {fiscal_year_of(TODAY)} yet"):
        assert text in hr
    assert 'href="/mail"' not in hr


def test_admin_page_has_accounts_audit_outbox_and_organisation(app, org):
    page = signed_in(app, "admin").get("/").text
    admin = section(page, "admin")
    for link in ('href="/accounts"', 'href="/audit"', 'href="/mail"', 'href="/organisation/"'):
        assert link in admin
    assert [section(page, role) for role in ("employee", "hr")] == ["", ""]


# --- bounded SQL ------------------------------------------------------------------------

@pytest.fixture
def everyone(org, make_account, make_person):
    """One account holding every role, supervising the development centre."""
    return make_account("everyone", ("admin", "hr", "supervisor", "committee", "employee"),
                        person=make_person(org["units"]["dev_team"]), supervised=[org["units"]["dev"]])


def grow(world, n: int, make_session, make_person, make_account, award_round):
    """n more of each record the page counts: seats, certificates, people, nominations, imports, mail, accounts."""
    me, account = world["me"], world["account"]
    for k in range(n):
        ahead = make_session(first_day=TODAY + timedelta(days=2 + k))
        registrations.register(ahead.id, me, TODAY)
        past = make_session(first_day=TODAY - timedelta(days=1 + k))
        registrations.register(past.id, me, TODAY)
        attendance.mark(past.id, me.id, past.days[0].id, True)
        results.close(past, TODAY)
        person = make_person(world["team"])
        db.session.add(Nomination(round_id=award_round.id, person_id=person.id, nominated_by=world["nominator"].id,
                                  unit_id=person.unit_id, status=NominationStatus.ELIGIBLE))
        imports.create_job(imports.REGISTRY["roster"], f"r{k}.xlsx", b"x", {}, account.id, "th")
        mail.queue_message(f"n{k}@example.go.th", "test", "x", paragraphs=["x"])
        make_account(f"more-{n}-{k}", ("employee",))
    db.session.commit()
    for message in db.session.scalars(select(OutboxMessage)):
        message.status = MailStatus.FAILED
    db.session.commit()


def queries_of_the_page(client) -> int:
    client.get("/")  # the first request after a change reads the account afresh
    with count_queries() as statements:
        page = client.get("/")
    assert page.status_code == 200
    return len(statements)


def test_the_page_runs_as_many_queries_however_much_there_is(app, org, everyone, make_session, make_person,
                                                              make_account, make_campaign, make_course):  # noqa: F811
    me = everyone.person
    make_campaign()
    db.session.add(MandatoryCourse(course_id=make_course().id, fiscal_year=fiscal_year_of(TODAY),
                                   personnel_type="civil_servant"))
    today_s = make_session(first_day=TODAY)
    registrations.register(today_s.id, me, TODAY)
    nominating = rounds.create_round(fiscal_year_of(TODAY), TODAY, TODAY)
    nominations.nominate(nominating, make_person(org["units"]["dev_team"]), everyone.id, justified(nominating))
    scored = open_round(year=2560)
    submit_all(scored, [make_person(org["units"]["audit"])], org["accounts"]["supervisor"].id)
    rounds.add_member(scored, everyone, is_chair=True)
    rounds.start_screening(scored)
    rounds.start_scoring(scored)
    db.session.commit()
    world = {"me": me, "account": everyone, "team": org["units"]["dev_team"],
             "nominator": org["accounts"]["supervisor"]}
    grow(world, 1, make_session, make_person, make_account, scored)
    client = signed_in(app, "everyone")
    few = queries_of_the_page(client)
    page = client.get("/").text
    assert all(section(page, role) for role in ("employee", "supervisor", "committee", "hr", "admin"))
    grow(world, 12, make_session, make_person, make_account, scored)
    assert queries_of_the_page(client) == few
    page = client.get("/").text
    assert "1 of 14 scored" not in page and "0 of 14 scored" in page  # the 13 nominations, and the first one
