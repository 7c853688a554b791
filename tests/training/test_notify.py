from __future__ import annotations

from datetime import date

import pytest

from ethics.core.extensions import db
from ethics.training import notify
from ethics.training.registrations import cancel, invite, register

TODAY = date(2026, 11, 26)


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        self.address = (host, port)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def login(self, user, password):
        self.credentials = (user, password)

    def send_message(self, message):
        FakeSMTP.sent.append((self.address, message["To"], message["Subject"]))


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(notify.smtplib, "SMTP", FakeSMTP)
    app.config["ETHICS_SMTP_URL"] = "smtp://mailer:secret@mail.example.go.th:2525"
    return FakeSMTP.sent


def test_confirmation_waitlist_and_promotion_mails_after_commit(smtp, make_session, make_person):
    session = make_session(capacity=1)
    first, second = make_person(email="a@example.go.th"), make_person(email="b@example.go.th")
    register(session.id, first, TODAY)
    register(session.id, second, TODAY)
    assert smtp == []  # nothing leaves before the transaction commits
    db.session.commit()
    assert [(to, subject.split(":")[0]) for _, to, subject in smtp] == [
        ("a@example.go.th", "Your seat is confirmed"), ("b@example.go.th", "You are on the waiting list")]
    assert smtp[0][0] == ("mail.example.go.th", 2525)
    cancel(session.id, first)
    db.session.commit()
    assert smtp[-1][1:] == ("b@example.go.th", f"Your seat is confirmed: {session.code}")


def test_rolled_back_registration_mails_nobody(smtp, make_session, make_person):
    session = make_session()
    register(session.id, make_person(email="c@example.go.th"), TODAY)
    db.session.rollback()
    db.session.commit()
    assert smtp == []


def test_invitations_are_mailed(smtp, make_session, make_person):
    session = make_session(open_to_all=False)
    people = [make_person(email=f"p{n}@example.go.th") for n in range(3)]
    invite(session, [p.id for p in people])
    db.session.commit()
    assert sorted(to for _, to, _ in smtp) == ["p0@example.go.th", "p1@example.go.th", "p2@example.go.th"]


def test_without_smtp_mail_goes_to_the_log(app, make_session, make_person, caplog):
    caplog.set_level("INFO", logger="ethics.training.notify")
    session = make_session()
    register(session.id, make_person(email="d@example.go.th"), TODAY)
    db.session.commit()
    assert "mail to d@example.go.th" in caplog.text
