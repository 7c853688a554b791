"""A real `flask --app ethics worker` process takes an uploaded roster off the queue (SQLite
storage, and Redis when ETHICS_TEST_REDIS_URL is set), and stops cleanly on SIGTERM."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from ethics.core import tasks
from ethics.core.extensions import db
from ethics.people.models import Person
from tests.conftest import citizen_id

HEADER = "citizen_id,title,first_name,last_name,personnel_type,unit_code"
STORAGES = ["sqlite", *(["redis"] if os.environ.get("ETHICS_TEST_REDIS_URL") else [])]


def database_url(app) -> str:
    """The test database as the worker process must reach it (its PostgreSQL schema included)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    return f"{url}?options={quote(options)}" if options else url


@pytest.fixture(params=STORAGES)
def worker(request, app, tmp_path):
    queue_env = ({"ETHICS_REDIS_URL": os.environ["ETHICS_TEST_REDIS_URL"]} if request.param == "redis"
                 else {"ETHICS_TASKS_SQLITE": str(tmp_path / "tasks.db")})
    app.config.update(ETHICS_TASKS_IMMEDIATE=False, ETHICS_TASKS_SQLITE=str(tmp_path / "tasks.db"),
                      ETHICS_REDIS_URL=queue_env.get("ETHICS_REDIS_URL"))
    tasks.configure(app)
    tasks.queue.flush()
    env = {**os.environ, **queue_env, "ETHICS_DATABASE_URL": database_url(app), "SECRET_KEY": app.config["SECRET_KEY"],
           "ETHICS_AUDIT_KEY": app.config["ETHICS_AUDIT_KEY"]}
    env.pop("ETHICS_TASKS_IMMEDIATE", None)
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "ethics", "worker", "--workers", "1"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()
    tasks.queue.flush()
    app.config["ETHICS_TASKS_IMMEDIATE"] = True
    tasks.configure(app)


def wait_for(client, url: str, status: str) -> str:
    deadline = time.monotonic() + 60
    while f'data-status="{status}"' not in (page := client.get(url).text):
        assert time.monotonic() < deadline, page
        time.sleep(0.2)
    return page


def test_the_worker_checks_and_applies_an_upload_then_stops_cleanly(worker, client, auth, org):
    auth.login("hr")
    rows = "\n".join(f"{citizen_id(610000 + n)},นาย,ชื่อ{n},สกุล,civil_servant,AUD" for n in range(300))
    data = {"file": (io.BytesIO(f"{HEADER}\n{rows}\n".encode()), "roster.csv")}
    job_url = client.post("/imports/roster", data=data, content_type="multipart/form-data").headers["Location"]
    wait_for(client, job_url, "ready")  # the web process only queued it: the worker checked it
    client.post(job_url + "/apply")
    wait_for(client, job_url, "done")
    assert db.session.scalar(select(func.count()).select_from(Person)) == 4 + 300
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
