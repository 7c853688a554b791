"""Registrations mail through the outbox (ethics.mail), received here by a real SMTP server in
process; the outbox's own rules are in tests/mail/test_outbox.py."""
from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale, gettext

from ethics.core.extensions import db
from ethics.training.registrations import cancel, invite, register
from tests.mail.server import SmtpServer

TODAY = date(2026, 11, 26)


def subject(text: str, session) -> str:
    """A subject as the recipient (Thai by default) reads it."""
    with force_locale("th"):
        return gettext(text, session=f"{session.course.title_th} ({session.code})")


@pytest.fixture
def smtp(app):
    server = SmtpServer("mailer", "secret").start()
    app.config["ETHICS_SMTP_URL"] = server.url
    yield server
    server.stop()


def test_confirmation_waitlist_and_promotion_mails_after_commit(smtp, make_session, make_person):
    session = make_session(capacity=1)
    first, second = make_person(email="a@example.go.th"), make_person(email="b@example.go.th")
    register(session.id, first, TODAY)
    register(session.id, second, TODAY)
    assert smtp.messages == []  # nothing leaves before the transaction commits
    db.session.commit()
    assert [(m["To"], m["Subject"]) for m in smtp.messages] == [
        ("a@example.go.th", subject("Your seat is confirmed: %(session)s", session)),
        ("b@example.go.th", subject("You are on the waiting list: %(session)s", session))]
    assert smtp.logins == ["mailer"]
    cancel(session.id, first)
    db.session.commit()
    promoted = smtp.messages[-1]
    assert (promoted["To"], promoted["Subject"]) == (
        "b@example.go.th", subject("A seat is yours, from the waiting list: %(session)s", session))


def test_rolled_back_registration_mails_nobody(smtp, make_session, make_person):
    session = make_session()
    register(session.id, make_person(email="c@example.go.th"), TODAY)
    db.session.rollback()
    db.session.commit()
    assert smtp.messages == []


def test_invitations_are_mailed(smtp, make_session, make_person):
    session = make_session(open_to_all=False)
    people = [make_person(email=f"p{n}@example.go.th") for n in range(3)]
    invite(session, [p.id for p in people])
    db.session.commit()
    assert sorted(m["To"] for m in smtp.messages) == ["p0@example.go.th", "p1@example.go.th", "p2@example.go.th"]
    assert {m["Subject"] for m in smtp.messages} == {subject("Invitation to training: %(session)s", session)}


def test_without_smtp_mail_goes_to_the_log(app, make_session, make_person, caplog):
    caplog.set_level("INFO", logger="ethics.mail.sender")
    session = make_session()
    register(session.id, make_person(email="d@example.go.th"), TODAY)
    db.session.commit()
    assert "mail to d@example.go.th" in caplog.text
