"""The outbox page (administrators only), sending a failed message again, and send-test-mail."""
from __future__ import annotations

from datetime import date
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.mail import services
from ethics.mail.models import OutboxMessage
from ethics.training.registrations import register
from tests.conftest import PASSWORD
from tests.mail.server import SmtpServer
from tests.mail.test_outbox import SENDER, rows, smtp  # noqa: F401  (smtp: the fixture)

TODAY = date(2026, 11, 26)


def signed_in(app, username):
    client = app.test_client()
    client.set_cookie("ethics_lang", "en")
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def failed(smtp, make_session, make_person):  # noqa: F811
    """A confirmation the mail server could not take (it was down), with the server back up."""
    smtp.stop()
    register(make_session().id, make_person(email="member@example.go.th"), TODAY)
    db.session.commit()
    smtp.start()
    (message,) = rows()
    assert message.status == "failed"
    return message


def test_the_outbox_lists_messages_without_their_text_and_an_admin_sends_a_failed_one_again(app, org, smtp, failed):  # noqa: F811
    admin = signed_in(app, "admin")
    page = admin.get("/mail").text
    for shown in ("member@example.go.th", failed.subject, "training.confirmed", "Failed", "Connection refused",
                  f"/mail/{failed.id}/resend"):
        assert shown in page
    assert "09:00–16:00" not in page and "ห้องประชุม" not in page  # no message text on the list
    assert "member@example.go.th" in admin.get("/mail?status=failed").text
    assert "member@example.go.th" not in admin.get("/mail?status=sent").text
    assert admin.get("/mail?status=nonsense&page=99").status_code == 200
    detail = admin.get(f"/mail/{failed.id}").text
    assert "09:00–16:00" in detail and failed.message_id.strip("<>") in detail

    response = admin.post(f"/mail/{failed.id}/resend")
    assert response.status_code == 302
    assert "The message is queued to be sent again." in admin.get(response.headers["Location"]).text
    assert [m["To"] for m in smtp.messages] == ["member@example.go.th"]
    assert smtp.messages[0]["Message-ID"] == failed.message_id
    assert (rows()[0].status, rows()[0].attempts) == ("sent", 2)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "mail.resend"))
    assert entry.actor_label == "admin" and entry.target_id == str(failed.id)
    assert entry.details == {"kind": "training.confirmed", "to": "member@example.go.th", "attempts": 1}
    assert admin.post(f"/mail/{failed.id}/resend").status_code == 409  # sent: never twice
    assert len(smtp.messages) == 1


@pytest.mark.parametrize("role", ["hr", "supervisor", "committee", "employee"])
def test_nobody_but_an_administrator_sees_or_sends_mail(app, org, smtp, failed, role):  # noqa: F811
    client = signed_in(app, role)
    for response in (client.get("/mail"), client.get(f"/mail/{failed.id}"),
                     client.post(f"/mail/{failed.id}/resend"), client.post("/mail/resend-unsent")):
        assert response.status_code == 403
        assert "member@example.go.th" not in response.text
    assert smtp.messages == [] and rows()[0].status == "failed"


def test_send_every_unsent_message_again(app, org, smtp, failed):  # noqa: F811
    admin = signed_in(app, "admin")
    response = admin.post("/mail/resend-unsent")
    assert "1 message is queued to be sent again." in admin.get(response.headers["Location"]).text
    assert [m["To"] for m in smtp.messages] == ["member@example.go.th"]
    assert 'data-testid="resend-unsent"' not in admin.get("/mail").text  # nothing left unsent


def test_an_account_message_is_never_shown(app, org, smtp, make_person):  # noqa: F811
    committee = org["accounts"]["committee"]
    committee.person = make_person(email="member@example.go.th")
    db.session.commit()
    smtp.stop()
    admin = signed_in(app, "admin")
    assert admin.post(f"/accounts/{committee.id}/invitation").status_code == 302  # mailed: the server is down
    (message,) = rows()
    assert message.status == "failed" and "/invitation/" in message.body_text
    page = admin.get(f"/mail/{message.id}").text
    assert 'data-testid="withheld"' in page and "/invitation/" not in page


def test_administrators_reach_the_outbox_from_the_menu_and_the_start_page(app, org):
    assert signed_in(app, "admin").get("/").text.count('href="/mail"') == 2
    assert 'href="/mail"' not in signed_in(app, "hr").get("/").text


def test_the_list_is_newest_first_fifty_a_page(app, org):
    for n in range(55):
        services.queue_message(f"n{n}@example.go.th", "test", f"Message {n}", paragraphs=["x"])
    db.session.commit()
    admin = signed_in(app, "admin")
    first, second = admin.get("/mail").text, admin.get("/mail?page=2").text
    assert first.index("n54@example.go.th") < first.index("n53@example.go.th")
    assert "n5@example.go.th" in first and "n4@example.go.th" not in first
    assert "n4@example.go.th" in second and "n0@example.go.th" in second and "n5@example.go.th" not in second


# --- send-test-mail -------------------------------------------------------------------

def test_send_test_mail_exits_0_when_the_server_accepted_it(app, runner, smtp):  # noqa: F811
    result = runner.invoke(args=["send-test-mail", "postmaster@example.go.th"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"sent to postmaster@example.go.th through smtp://127.0.0.1:{smtp.port}"
    (message,) = smtp.messages
    assert message["To"] == "postmaster@example.go.th" and parsedate_to_datetime(message["Date"])
    assert message["Message-ID"].endswith("@rayong.example.go.th>") and smtp.raw_header(0, "From") == SENDER
    assert [part.get_content_type() for part in message.walk()] == ["multipart/alternative", "text/plain", "text/html"]
    assert db.session.scalar(select(OutboxMessage)) is None  # straight out, not through the outbox


@pytest.mark.parametrize("problem", ["down", "refused", "wrong password"])
def test_send_test_mail_exits_1_with_the_reason(app, runner, smtp, problem):  # noqa: F811
    expected = {"down": "Connection refused", "refused": "550 5.1.1 no such user",
                "wrong password": "535"}[problem]
    if problem == "down":
        smtp.stop()
    elif problem == "refused":
        smtp.refuse = {"nobody@example.go.th": "550 5.1.1 no such user"}
    else:
        server = SmtpServer("mailer", "secret").start()
        app.config["ETHICS_SMTP_URL"] = f"smtp://mailer:wrong@127.0.0.1:{server.port}"
    result = runner.invoke(args=["send-test-mail", "nobody@example.go.th"])
    if problem == "wrong password":
        server.stop()
    assert result.exit_code == 1 and result.output.startswith("not sent: ") and expected in result.output
    assert smtp.messages == []


def test_send_test_mail_without_a_mail_server_exits_1(app, runner, caplog):
    caplog.set_level("INFO", logger="ethics.mail.sender")
    result = runner.invoke(args=["send-test-mail", "postmaster@example.go.th"])
    assert result.exit_code == 1
    assert "not sent: ETHICS_SMTP_URL is not set, so the message was written to the log" in result.output
    assert "mail to postmaster@example.go.th" in caplog.text


def test_the_demo_mails_nobody(runner, smtp):  # noqa: F811
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert rows() == [] and smtp.messages == []
