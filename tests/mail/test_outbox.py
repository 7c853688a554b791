"""The outbox, against a real SMTP server in process: messages are rows of the transaction that
causes them, real e-mails in the recipient's language, sent by a task that delivers each
exactly once, also when the server was down and comes back."""
from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask_babel import force_locale, gettext
from huey.storage import MemoryStorage
from sqlalchemy import func, select

from ethics.audit.models import AuditEntry
from ethics.core import tasks
from ethics.core.extensions import db
from ethics.mail import services
from ethics.mail.models import MailStatus, OutboxMessage
from ethics.people.models import Person
from ethics.training.registrations import cancel, invite, register
from tests.conftest import citizen_id
from tests.mail.server import SmtpServer

TODAY = date(2026, 11, 26)
BASE_URL = "https://ethics.example.go.th"
SENDER = "ระบบคุณธรรม จังหวัดระยอง <ethics@rayong.example.go.th>"


def translated(locale: str, text: str, **values) -> str:
    """A text as the message's language has it (the catalogue's translation, or the text itself)."""
    with force_locale(locale):
        return gettext(text, **values)


@pytest.fixture
def smtp(app):
    server = SmtpServer().start()
    app.config.update(ETHICS_SMTP_URL=server.url, ETHICS_BASE_URL=BASE_URL, ETHICS_MAIL_FROM=SENDER)
    yield server
    server.stop()


class Worker:
    """Runs the queue as `flask --app ethics worker` does: scheduled tasks once they are due
    (`later` pretends that much time has passed), then every queued task in turn."""

    queue = tasks.queue

    def run(self, later: timedelta = timedelta(0)) -> int:
        db.session.commit()  # end the test's own transaction, as a worker is another process
        moment = datetime.now(UTC).replace(tzinfo=None) + later
        for task in self.queue.read_schedule(moment):
            self.queue.enqueue(task)
        ran = 0
        while (task := self.queue.dequeue()) is not None:
            self.queue.execute(task, timestamp=moment)
            ran += 1
        return ran


@pytest.fixture
def worker(app):
    """Tasks are queued, not run at once, until the test runs the worker."""
    queue = tasks.queue
    queue.storage_class, queue.storage_kwargs = MemoryStorage, {}
    queue.immediate = False
    queue.storage = queue.create_storage()
    yield Worker()
    queue.flush()
    queue.immediate = True


def rows(status: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if status:
        query = query.where(OutboxMessage.status == status)
    db.session.expire_all()
    return list(db.session.scalars(query))


def test_a_message_is_a_row_of_the_transaction_and_leaves_after_its_commit(smtp, make_session, make_person):
    session = make_session()
    person = make_person(email="a@example.go.th")
    register(session.id, person, TODAY)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1  # in this transaction
    assert smtp.messages == []
    db.session.commit()
    (message,) = smtp.messages
    assert message["To"] == "a@example.go.th"
    (row,) = rows()
    assert (row.status, row.attempts, row.kind, row.person_id) == ("sent", 1, "training.confirmed", person.id)
    assert row.sent_at is not None and row.message_id == message["Message-ID"]


def test_a_rolled_back_change_leaves_no_message_and_mails_nobody(smtp, make_session, make_person):
    session = make_session(open_to_all=False)
    people = [make_person(email=f"r{n}@example.go.th") for n in range(3)]
    register(make_session().id, people[0], TODAY)
    invite(session, [p.id for p in people])
    db.session.rollback()
    db.session.commit()  # a later commit sends nothing of the rolled-back change
    assert rows() == [] and smtp.messages == []


def test_a_message_is_a_real_email_with_the_sessions_calendar(smtp, make_session, make_person):
    session = make_session(first_day=date(2026, 12, 1), days=2)
    person = make_person(email="b@example.go.th", first_name="สมหญิง", last_name="ใจดี", title="นาง")
    register(session.id, person, TODAY)
    db.session.commit()
    (message,) = smtp.messages
    row = rows()[0]
    sent_on = parsedate_to_datetime(message["Date"])
    assert sent_on.utcoffset() == timedelta(hours=7)  # Thai time
    assert abs(sent_on - datetime.now(UTC)) < timedelta(minutes=1)
    assert message["Message-ID"] == row.message_id and row.message_id.endswith("@rayong.example.go.th>")
    assert message["From"].addresses[0].addr_spec == "ethics@rayong.example.go.th"
    assert smtp.raw_header(0, "From") == SENDER
    assert smtp.envelopes == [("ethics@rayong.example.go.th", ["b@example.go.th"])]
    assert message.get_content_type() == "multipart/mixed"
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"{BASE_URL}/training/sessions/{session.id}"
    assert link in text and f'href="{link}"' in html
    assert translated("th", "Dear %(name)s,", name="นางสมหญิง ใจดี") in text
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == f"{session.code}.ics"
    calendar = attachment.get_content()
    assert calendar.startswith("BEGIN:VCALENDAR") and calendar.count("BEGIN:VEVENT") == 2
    assert "DTSTART;TZID=Asia/Bangkok:20261201T090000" in calendar  # the session's hours, in Bangkok
    assert "DTEND;TZID=Asia/Bangkok:20261202T160000" in calendar
    assert f"URL:{link}" in calendar and "LOCATION:ห้องประชุม" in calendar


def test_thai_by_default_with_buddhist_era_dates(smtp, make_course, make_session, make_person):
    course = make_course(title_th="จริยธรรมสำหรับผู้บริหาร", title_en="Ethics for executives")
    session = make_session(course=course, first_day=date(2026, 12, 1))
    person = make_person(email="c@example.go.th", first_name="สมชาย", last_name="ดีงาม")
    invite(session, [person.id])
    db.session.commit()
    (message,) = smtp.messages
    assert message["Subject"] == translated("th", "Invitation to training: %(session)s",
                                            session=f"จริยธรรมสำหรับผู้บริหาร ({session.code})")
    assert message["Subject"].startswith("ขอเชิญเข้ารับการอบรม")
    text = message.get_body(("plain",)).get_content()
    for expected in ("นายสมชาย ดีงาม", "1 ธ.ค. 2569 09:00–16:00", "สถานที่: ห้องประชุม", "ชั่วโมง: 6",
                     "วิทยากร: วิทยากร", translated("th", "Register on the session's page:")):
        assert expected in text
    assert "Ethics for executives" not in text
    html = message.get_body(("html",)).get_content()
    assert 'lang="th"' in html and "1 ธ.ค. 2569" in html and "จริยธรรมสำหรับผู้บริหาร" in html
    assert rows()[0].language == "th"


def test_english_for_a_person_who_uses_the_site_in_english(app, smtp, make_course, make_session, org):
    me = org["people"]["me"]
    me.email = "me@example.go.th"
    course = make_course(title_th="จริยธรรม", title_en="Ethics")
    session = make_session(course=course, first_day=date(2026, 12, 1))
    client = app.test_client()
    client.set_cookie("ethics_lang", "en")
    client.post("/login", data={"username": "employee", "password": "correct-horse-battery"})
    assert client.post(f"/training/sessions/{session.id}/register").status_code == 302
    (message,) = smtp.messages
    assert message["Subject"] == f"Your seat is confirmed: Ethics ({session.code})"
    text = message.get_body(("plain",)).get_content()
    for expected in (f"Dear {me.full_name},", "Your seat in the training below is confirmed.", "1 Dec 2026 09:00–16:00",
                     "Venue: ห้องประชุม", "Hours: 6", "The session's page:"):
        assert expected in text
    assert 'lang="en"' in message.get_body(("html",)).get_content()


def test_a_promotion_from_the_waiting_list_says_so(smtp, make_session, make_person):
    session = make_session(capacity=1)
    first, second = make_person(email="first@example.go.th"), make_person(email="second@example.go.th")
    register(session.id, first, TODAY)
    register(session.id, second, TODAY)
    db.session.commit()
    waiting = smtp.to("second@example.go.th")[0]
    assert waiting["Subject"].startswith(translated("th", "You are on the waiting list: %(session)s", session=""))
    assert list(waiting.iter_attachments()) == []  # no seat, no calendar entry
    cancel(session.id, first)
    db.session.commit()
    promoted = smtp.to("second@example.go.th")[-1]
    title = f"{session.course.title_th} ({session.code})"
    assert promoted["Subject"] == translated("th", "A seat is yours, from the waiting list: %(session)s", session=title)
    assert promoted["Subject"] != translated("th", "Your seat is confirmed: %(session)s", session=title)
    text = promoted.get_body(("plain",)).get_content()
    assert translated("th", "A seat has freed up in the training below: you have moved from the waiting list to a "
                            "confirmed seat.") in text
    assert translated("th", "Your seat in the training below is confirmed.") not in text
    assert [a.get_filename() for a in promoted.iter_attachments()] == [f"{session.code}.ics"]
    assert [row.kind for row in rows()] == ["training.confirmed", "training.waitlisted", "training.promoted"]
    register(session.id, first, TODAY)  # back, on the waiting list; a confirmation later is not a promotion
    db.session.commit()
    assert rows()[-1].kind == "training.waitlisted"


def test_no_message_holds_another_persons_data(smtp, make_session, make_person):
    session = make_session(open_to_all=False)
    people = [make_person(email=f"p{n}@example.go.th", first_name=f"คนที่{n}") for n in range(3)]
    make_person(email="", first_name="ไม่มีอีเมล")
    invite(session, [p.id for p in people] + [db.session.scalar(select(Person.id).where(Person.email == ""))])
    db.session.commit()
    assert sorted(m["To"] for m in smtp.messages) == ["p0@example.go.th", "p1@example.go.th", "p2@example.go.th"]
    for person in people:
        (message,) = smtp.to(person.email)
        body = message.as_string() + message.get_body(("plain",)).get_content() + message.get_body(("html",)).get_content()
        assert person.full_name in message.get_body(("plain",)).get_content()
        for other in people:
            if other is not person:
                assert other.email not in body and other.full_name not in body and other.citizen_id not in body


def test_without_a_mail_server_mail_goes_to_the_log_and_counts_as_sent(app, make_session, make_person, caplog):
    caplog.set_level("INFO", logger="ethics.mail.sender")
    register(make_session().id, make_person(email="d@example.go.th"), TODAY)
    db.session.commit()
    assert "mail to d@example.go.th" in caplog.text
    assert [row.status for row in rows()] == ["sent"]


def test_the_demo_takes_back_its_mail(smtp, make_session, make_person):
    register(make_session().id, make_person(email="demo@example.go.th"), TODAY)
    services.discard_pending()
    db.session.commit()
    assert rows() == [] and smtp.messages == []


def test_with_the_server_down_500_invitations_answer_at_once_and_each_arrives_once_when_it_is_back(
        app, client, auth, org, smtp, worker, make_session):
    unit = org["units"]["audit"]
    db.session.add_all(Person(citizen_id=citizen_id(700000 + n), title="นาย", first_name=f"ผู้รับ{n}",
                              last_name="ทดสอบ", personnel_type="civil_servant", unit=unit,
                              email=f"invitee{n}@example.go.th") for n in range(500))
    db.session.commit()
    session = make_session(open_to_all=False)
    smtp.stop()
    auth.login("hr")
    started = time.monotonic()
    response = client.post(f"/training/sessions/{session.id}/invite", data={"unit_id": unit.id, "confirm": "1"})
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and elapsed < 10, elapsed
    queued = rows()
    assert len(queued) == 500 and {(row.status, row.attempts) for row in queued} == {("queued", 0)}
    assert tasks.queue.pending_count() == 5  # in batches of 100, none run by the request

    worker.run()  # the server is down: every message waits, with its try counted and the reason
    assert {(row.status, row.attempts) for row in rows()} == {("queued", 1)}
    assert "Connection refused" in rows()[0].last_error or "ConnectionRefused" in rows()[0].last_error
    assert smtp.messages == [] and tasks.queue.scheduled_count() == 5

    smtp.start()
    worker.run(later=timedelta(minutes=1))  # the retries, a minute later
    assert {(row.status, row.attempts, row.last_error) for row in rows()} == {("sent", 2, "")}
    assert len(smtp.messages) == 500
    assert sorted(m["To"] for m in smtp.messages) == sorted(f"invitee{n}@example.go.th" for n in range(500))
    assert len({m["Message-ID"] for m in smtp.messages}) == 500
    assert smtp.connections == 5  # one conversation per batch of 100, not one per message

    services.deliver([row.message_id for row in rows()])  # a duplicate task, or a late retry, sends nothing
    assert services.resend_unsent() == 0
    worker.run(later=timedelta(hours=1))
    assert len(smtp.messages) == 500 and tasks.queue.scheduled_count() == 0


def test_a_refused_recipient_waits_or_fails_while_the_others_go(smtp, worker, make_session, make_person):
    session = make_session(open_to_all=False)
    people = [make_person(email=f"{name}@example.go.th") for name in ("ok", "busy", "unknown")]
    smtp.refuse = {"busy@example.go.th": "451 4.3.0 mailbox busy, try later",
                   "unknown@example.go.th": "550 5.1.1 no such user"}
    invite(session, [p.id for p in people])
    db.session.commit()
    worker.run()
    by_address = {row.recipient: row for row in rows()}
    assert [m["To"] for m in smtp.messages] == ["ok@example.go.th"]
    assert (by_address["busy@example.go.th"].status, by_address["busy@example.go.th"].attempts) == ("queued", 1)
    assert "451" in by_address["busy@example.go.th"].last_error
    assert by_address["unknown@example.go.th"].status == "failed"  # refused for good: not tried again
    assert "550 5.1.1 no such user" in by_address["unknown@example.go.th"].last_error
    smtp.refuse = {}
    worker.run(later=timedelta(minutes=1))
    assert sorted(m["To"] for m in smtp.messages) == ["busy@example.go.th", "ok@example.go.th"]
    assert {row.recipient: (row.status, row.attempts) for row in rows()} == {
        "ok@example.go.th": ("sent", 1), "busy@example.go.th": ("sent", 2), "unknown@example.go.th": ("failed", 1)}


def test_a_message_out_of_tries_fails_and_a_later_run_does_not_send_it(smtp, worker, make_session, make_person):
    register(make_session().id, make_person(email="late@example.go.th"), TODAY)
    db.session.commit()
    smtp.stop()
    waited = timedelta(0)
    for delay in (0, 1, 2, 4, 8, 16):  # the first try and five retries, backing off
        waited += timedelta(minutes=delay)
        assert worker.run(later=waited) == 1
    (row,) = rows()
    assert (row.status, row.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert tasks.queue.scheduled_count() == 0  # given up
    smtp.start()
    services.deliver([row.message_id])  # a stray task does not send a failed message...
    worker.run()
    assert smtp.messages == []
    services.resend(row.id)  # ...an administrator does
    db.session.commit()
    worker.run()
    assert [m["To"] for m in smtp.messages] == ["late@example.go.th"]
    assert (rows()[0].status, rows()[0].attempts) == ("sent", services.MAX_ATTEMPTS + 1)


def test_without_a_worker_a_failed_send_is_failed_at_once_and_sent_again_on_request(smtp, make_session, make_person):
    """ETHICS_TASKS_IMMEDIATE: nothing would run a retry, so the message is failed for an administrator to see."""
    smtp.stop()
    register(make_session().id, make_person(email="now@example.go.th"), TODAY)
    db.session.commit()
    (row,) = rows()
    assert (row.status, row.attempts) == ("failed", 1) and row.last_error
    smtp.start()
    assert services.resend_unsent() == 1
    db.session.commit()
    assert [m["To"] for m in smtp.messages] == ["now@example.go.th"]
    assert (rows()[0].status, rows()[0].attempts) == ("sent", 2)
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "mail.resend_unsent")) == {"count": 1}


def test_a_worker_that_died_while_sending_leaves_a_claim_taken_over_later(smtp, worker, make_session, make_person):
    register(make_session().id, make_person(email="claimed@example.go.th"), TODAY)
    db.session.commit()
    (row,) = rows()
    row.status, row.claimed_by, row.claimed_at = MailStatus.SENDING, "gone", datetime.now(UTC).replace(tzinfo=None)
    db.session.commit()
    worker.run()
    assert smtp.messages == [] and rows()[0].status == "sending"  # another worker's: left alone
    rows()[0].claimed_at -= services.CLAIM_EXPIRES + timedelta(seconds=1)
    db.session.commit()
    services.resend_unsent()
    db.session.commit()
    worker.run()
    assert [m["To"] for m in smtp.messages] == ["claimed@example.go.th"] and rows()[0].status == "sent"


def test_a_mail_server_address_that_is_not_one_fails_the_message_with_the_reason(app, make_session, make_person):
    app.config["ETHICS_SMTP_URL"] = "https://mail.example.go.th"
    register(make_session().id, make_person(email="g@example.go.th"), TODAY)
    db.session.commit()
    (row,) = rows()
    assert row.status == "failed" and "ETHICS_SMTP_URL must look like smtp://" in row.last_error


def test_credentials_in_the_url_sign_in(app, make_session, make_person):
    server = SmtpServer("mailer", "s3cret/with:odd@chars").start()
    app.config["ETHICS_SMTP_URL"] = f"smtp://mailer:s3cret%2Fwith%3Aodd%40chars@127.0.0.1:{server.port}"
    try:
        register(make_session().id, make_person(email="e@example.go.th"), TODAY)
        db.session.commit()
        assert server.logins == ["mailer"] and [m["To"] for m in server.messages] == ["e@example.go.th"]
    finally:
        server.stop()


def test_queue_for_person_takes_lazy_texts_in_the_recipients_language(app, smtp, make_person):
    from flask_babel import lazy_gettext as _l

    person = make_person(email="f@example.go.th")
    assert services.queue_for_person(make_person(email=""), "reminder.test", _l("Set your password")) is None
    services.queue_for_person(person, "reminder.test", _l("Set your password"),
                              paragraphs=[_l("Your seat is confirmed."), "<b>not markup</b>"],
                              link=f"{BASE_URL}/x", link_label=_l("Open"))
    services.queue_for_person(person, "reminder.test", _l("Set your password"), locale="en",
                              paragraphs=[_l("Your seat is confirmed.")])
    db.session.commit()
    thai, english = smtp.messages
    assert thai["Subject"] == "ตั้งรหัสผ่านของท่าน" and english["Subject"] == "Set your password"
    assert "ยืนยันที่นั่งของท่านแล้ว" in thai.get_body(("plain",)).get_content()
    html = thai.get_body(("html",)).get_content()
    assert "&lt;b&gt;not markup&lt;/b&gt;" in html and f'href="{BASE_URL}/x"' in html
    assert "Your seat is confirmed." in english.get_body(("plain",)).get_content()
