"""GET /healthz: 200 when the database answers, its schema is current, a worker beat lately (or
none is expected) and the last audit verification was intact; 503 naming the failing part."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ethics.audit.services import ChainBreak, Verification, keep_verification
from ethics.core import tasks
from ethics.core.extensions import db
from ethics.operations import heartbeat
from tests.test_worker import worker  # noqa: F401  # a real `flask worker` process


def test_healthy_without_sign_in_and_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ok" and response.json["failing"] == []
    assert {"database", "migrations", "worker", "audit"} <= response.json.keys()
    assert response.json["worker"] == {"ok": True, "mode": "in process"}  # tasks run in the web process: no worker to wait for
    assert response.headers["Cache-Control"] == "no-store"


def test_a_schema_behind_the_migrations_fails(client):
    db.session.execute(text("UPDATE alembic_version SET version_num = 'f19c0a1b0001'"))
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["failing"] == ["migrations"]
    assert response.json["migrations"]["revision"] == "f19c0a1b0001"


def test_an_unreachable_database_fails_without_trying_the_rest(client, monkeypatch):
    def unreachable(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["failing"] == ["database", "migrations", "audit"]


def test_a_broken_audit_chain_fails_and_says_where_not_who(client, org):
    keep_verification(Verification(entries=12, problem=ChainBreak(7, "altered")), by="worker")
    db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["failing"] == ["audit"]
    assert response.json["audit"]["broken_at"] == 7 and "altered" not in response.text


@pytest.fixture
def queued(app, tmp_path):
    """Tasks go to a queue a worker would run, as in production."""
    app.config.update(ETHICS_TASKS_IMMEDIATE=False, ETHICS_TASKS_SQLITE=str(tmp_path / "tasks.db"))
    tasks.configure(app)
    yield
    tasks.queue.flush()
    app.config["ETHICS_TASKS_IMMEDIATE"] = True
    tasks.configure(app)


def test_a_worker_silent_for_more_than_90_seconds_fails(client, queued):
    assert client.get("/healthz").json["worker"] == {"ok": False, "mode": "worker", "last_seen": None}
    tasks.queue.put(heartbeat.KEY, time.time() - 100)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["failing"] == ["worker"]
    assert response.json["worker"]["seconds_ago"] == 100
    heartbeat.heartbeat.call_local()  # what the worker runs each minute
    assert client.get("/healthz").status_code == 200


def test_a_running_worker_is_seen_within_seconds_of_starting(client, worker):  # noqa: F811
    deadline = time.monotonic() + 30
    while (response := client.get("/healthz")).status_code != 200:
        assert time.monotonic() < deadline and worker.poll() is None, response.json
        time.sleep(0.2)
    assert response.json["worker"]["ok"] and response.json["worker"]["mode"] == "worker"
