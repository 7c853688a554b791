"""Structured logs (request id, account id, route, duration, one traceback), /metrics behind its token
or the internal network, and a grep of logs, health and metrics for anything personal."""
from __future__ import annotations

import json

import pytest

from ethics.core.extensions import db

TOKEN = "metrics-token-0123456789abcdef"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "ETHICS_LOG_FORMAT": "json", "ETHICS_METRICS": True, "ETHICS_METRICS_TOKEN": TOKEN}


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_each_request_logs_one_json_line_with_its_id_account_route_and_duration(client, auth, org, capsys):
    auth.login("employee")
    capsys.readouterr()
    response = client.get("/training/", headers={"X-Request-ID": "lb-4711.a"})
    (line,) = [entry for entry in json_lines(capsys.readouterr().err) if entry["logger"] == "ethics.request"]
    assert response.headers["X-Request-ID"] == "lb-4711.a" == line["request_id"]
    assert line["account_id"] == org["accounts"]["employee"].id and line["route"] == "/training/"
    assert line["status"] == 200 and line["duration_ms"] >= 0 and line["level"] == "INFO" and "time" in line


@pytest.mark.parametrize("given", ["", "has space", "x" * 65, "<script>"])
def test_an_insane_incoming_request_id_is_replaced(client, given):
    sent = client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"]
    assert sent != given and len(sent) == 32


def test_an_error_logs_its_traceback_once_with_the_request_id(app, client, capsys):
    def boom():
        raise RuntimeError("kaboom")

    app.add_url_rule("/boom", "boom", boom)
    response = client.get("/boom")
    assert response.status_code == 500
    output = capsys.readouterr().err
    assert output.count("Traceback") == 1
    (error,) = [entry for entry in json_lines(output) if "exc_info" in entry]
    assert "kaboom" in error["exc_info"] and error["request_id"] == response.headers["X-Request-ID"]


def test_plain_text_logs_by_default(app, client, capsys, monkeypatch):
    from ethics.operations import logs

    logs.configure("text")
    response = client.get("/healthz")
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"[{response.headers['X-Request-ID']} account=None]" in line and "GET /healthz 200" in line


def test_metrics_need_the_token(client):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    client.get("/healthz")
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    for name in ('ethics_http_requests_total{method="GET",route="/healthz",status="200"}',
                 "ethics_http_request_duration_seconds_bucket", "ethics_db_pool_checked_out", "ethics_task_queue_length"):
        assert name in response.text


def test_without_a_token_metrics_answer_the_internal_network_only(app, client):
    app.config["ETHICS_METRICS_TOKEN"] = None
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "1.1.1.1"}).status_code == 403


def test_metrics_do_not_exist_unless_switched_on(app, client):
    app.config["ETHICS_METRICS"] = False
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_nothing_personal_in_logs_health_or_metrics(client, auth, org, make_person, make_account, capsys):
    """A person's names, citizen ID, email and username never reach them; the account id may."""
    from ethics.mail.services import queue_message  # noqa: F401  # mail counts appear in the metrics

    person = make_person(org["units"]["audit"], first_name="กัญญาวีร์", last_name="ศรีสุวรรณ", email="kanya@example.org")
    make_account("kanya.w", ("hr", "employee"), person=person)
    db.session.commit()
    auth.login("kanya.w")
    client.get(f"/people/{person.id}")
    client.post("/people", data={"q": person.citizen_id})  # a search by citizen ID
    client.get("/people", query_string={"q": "กัญญาวีร์"})
    assert client.get("/audit").status_code == 403  # denied to HR: the refusal is logged
    client.post("/login", data={"username": "kanya.w", "password": "wrong password"})
    answers = [client.get("/healthz").text,
               client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text,
               capsys.readouterr().err]
    assert "ethics.request" in answers[2]  # the logs were captured
    assert '"denied GET /audit"' in answers[2]
    for secret in ("กัญญาวีร์", "ศรีสุวรรณ", person.citizen_id, "kanya@example.org", "kanya.w"):
        for answer in answers:
            assert secret not in answer


def test_the_account_id_of_a_log_line_costs_no_query_after_the_commit(app, org):
    """A view's commit expires the signed-in account; naming it in the request's last log line
    must not load it again (a second transaction per request, a write one for a POST on SQLite)."""
    from flask import g

    from ethics.operations.logs import _account_id
    from tests.conftest import count_queries

    account_id = org["accounts"]["hr"].id
    with app.test_request_context("/"):
        g._login_user = db.session.merge(org["accounts"]["hr"])
        db.session.commit()  # expires it, as the view's commit does
        with count_queries() as statements:
            logged = _account_id()
        assert logged == account_id and statements == []
