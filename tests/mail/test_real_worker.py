"""A real `flask --app ethics worker` process sends what a request queued, each message once."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from ethics.core import tasks
from ethics.core.extensions import db
from ethics.mail.models import OutboxMessage
from tests.mail.server import SmtpServer
from tests.mail.test_outbox import BASE_URL
from tests.test_worker import worker  # noqa: F401  (the fixture: a worker process on this test's database)


@pytest.fixture
def mail_server(app, monkeypatch):
    """Listed before `worker`, so that the worker process is started with this mail server."""
    server = SmtpServer().start()
    for name, value in (("ETHICS_SMTP_URL", server.url), ("ETHICS_BASE_URL", BASE_URL)):
        monkeypatch.setenv(name, value)
        app.config[name] = value
    yield server
    server.stop()


def test_the_worker_sends_the_invitations_a_request_queued(mail_server, worker, client, auth, org,  # noqa: F811
                                                           make_session, make_person):
    assert not tasks.queue.immediate  # the request only queues: the worker process sends
    session = make_session(open_to_all=False)
    people = [make_person(org["units"]["audit"], email=f"w{n}@example.go.th") for n in range(30)]
    auth.login("hr")
    assert client.post(f"/training/sessions/{session.id}/invite", data={"unit_id": org["units"]["audit"].id,
                                                                      "confirm": "1"}).status_code == 302
    deadline = time.monotonic() + 60
    while db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent")) < 30:
        assert time.monotonic() < deadline, "the worker did not send the mail"
        db.session.commit()
        time.sleep(0.2)
    assert sorted(m["To"] for m in mail_server.messages) == sorted(p.email for p in people)
    assert mail_server.connections == 1
