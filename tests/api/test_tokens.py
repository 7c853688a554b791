"""Personal access tokens: made and revoked on the account's page, stored hashed, never more than
the account's roles (checked at every use), rate-limited and audited by name; cookies never
authenticate the API and its errors are JSON."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from ethics.api import guard, tokens
from ethics.api.models import ApiToken
from ethics.audit.models import AuditEntry
from ethics.auth.models import AccountRole
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.core.refusals import NotFound
from tests.api.conftest import bearer
from tests.conftest import PASSWORD, POSTGRES


def test_a_token_is_kept_only_as_a_hash_and_expires_in_a_year(org):
    issued = tokens.issue(org["accounts"]["hr"], "dashboard", ["indicators:read"])
    db.session.commit()
    stored = db.session.scalar(select(ApiToken))
    assert issued.secret.startswith("eth_") and len(issued.secret) > 40
    assert stored.secret_hash == tokens.secret_hash(issued.secret) and issued.secret not in repr(stored.__dict__)
    assert timedelta(days=364) < stored.expires_at - stored.created_at <= timedelta(days=365)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api.token_created"))
    assert entry.details["name"] == "dashboard" and issued.secret not in str(entry.details)


@pytest.mark.parametrize(("role", "scopes", "name", "field"), [
    ("employee", ["indicators:read"], "mine", "scopes"),  # beyond the account's roles
    ("supervisor", ["survey:read"], "mine", "scopes"),
    ("admin", ["everything:write"], "mine", "scopes"),
    ("admin", [], "mine", "scopes"),
    ("admin", ["indicators:read"], "   ", "name"),
])
def test_a_token_beyond_the_roles_or_badly_named_is_refused(org, role, scopes, name, field):
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.issue(org["accounts"][role], name, scopes)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(ApiToken)) is None


def test_names_are_unique_per_account(org):
    tokens.issue(org["accounts"]["admin"], "ministry", ["indicators:read"])
    with pytest.raises(tokens.TokenRefused):
        tokens.issue(org["accounts"]["admin"], " ministry ", ["indicators:read"])
    tokens.issue(org["accounts"]["hr"], "ministry", ["indicators:read"])  # another account's own


def test_the_page_shows_a_new_token_once_and_revokes_it(app, org, auth, client):
    auth.login("hr")
    page = client.get("/me/tokens")
    assert page.status_code == 200 and "indicators:read" in page.text and "recognition:read" in page.text
    made = client.post("/me/tokens", data={"name": "กระทรวง", "scopes": ["indicators:read"], "days": "30"})
    secret = re.search(r'data-testid="token-secret">(eth_[^<]+)<', made.text).group(1)
    assert client.get("/api/v1/fiscal-years", headers=bearer(secret)).status_code == 200
    again = client.get("/me/tokens")
    assert secret not in again.text and "กระทรวง" in again.text
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/me/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/fiscal-years", headers=bearer(secret)).status_code == 401


def test_the_page_refuses_a_scope_the_roles_do_not_give(org, auth, client):
    auth.login("employee")
    page = client.get("/me/tokens")
    assert "indicators:read" not in page.text and "recognition:read" in page.text
    refused = client.post("/me/tokens", data={"name": "x", "scopes": ["indicators:read"], "days": "30"})
    assert refused.status_code == 422 and db.session.scalar(select(ApiToken)) is None


def test_nobody_revokes_another_accounts_token(org, make_token):
    make_token("hr")
    token = db.session.scalar(select(ApiToken))
    with pytest.raises(NotFound):
        tokens.revoke(org["accounts"]["admin"], token.id)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer eth_not-a-token", "Basic YWRtaW46eA==", "bearer  "])
def test_no_or_a_bad_token_is_401_in_json(client, org, header):
    response = client.get("/api/v1/fiscal-years", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and response.is_json
    assert response.json["error"] == "unauthorized" and response.json["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_does_not_authenticate_the_api(org, auth, client):
    auth.login("admin")
    assert client.get("/").status_code == 200
    response = client.get("/api/v1/fiscal-years")
    assert response.status_code == 401 and response.is_json


def test_expired_and_revoked_tokens_and_disabled_accounts_are_refused(org, make_token, client, monkeypatch):
    """Each on the next request, though a token's lookup is kept between its uses."""
    secret = make_token("admin")

    def answer() -> int:
        return client.get("/api/v1/fiscal-years", headers=bearer(secret)).status_code

    assert answer() == 200
    token = db.session.scalar(select(ApiToken))
    token.revoked_at = utc_now()
    db.session.commit()
    assert answer() == 401
    token.revoked_at = None
    db.session.commit()
    assert answer() == 200
    org["accounts"]["admin"].active = False
    db.session.commit()
    assert answer() == 401
    org["accounts"]["admin"].active = True
    db.session.commit()
    assert answer() == 200
    expiry = token.expires_at
    monkeypatch.setattr(guard, "utc_now", lambda: expiry + timedelta(seconds=1))  # time alone, no write
    assert answer() == 401
    monkeypatch.undo()
    token.expires_at = utc_now() - timedelta(seconds=1)
    db.session.commit()
    assert answer() == 401


def test_beyond_the_scope_is_403(make_token, client):
    secret = make_token("admin", ["recognition:read"])
    response = client.get("/api/v1/fiscal-years", headers=bearer(secret))
    assert response.status_code == 403 and response.json["error"] == "forbidden"
    assert client.get("/api/v1/recognition/rounds", headers=bearer(secret)).status_code == 200


def test_removing_a_role_takes_effect_on_the_next_request(org, make_token, client):
    secret = make_token("hr", ["indicators:read"])
    assert client.get("/api/v1/fiscal-years", headers=bearer(secret)).status_code == 200
    db.session.delete(db.session.get(AccountRole, (org["accounts"]["hr"].id, "hr")))
    db.session.commit()
    response = client.get("/api/v1/fiscal-years", headers=bearer(secret))
    assert response.status_code == 403 and response.is_json
    denied = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api.denied"))
    assert denied.details["token"] == "hr indicators:read"


def test_every_use_is_audited_under_the_tokens_name(org, make_token, client):
    secret = make_token("admin", ["indicators:read"], name="ministry dashboard")
    client.get("/api/v1/fiscal-years?page=1&q=1234567890123", headers=bearer(secret))
    client.get("/api/v1/fiscal-years", headers=bearer(secret))
    assert client.get("/api/v1/plans/2600", headers=bearer(secret)).status_code == 404  # no answer, still a use
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api.read").order_by(AuditEntry.seq)).all()
    assert [(e.actor_label, e.details["token"], e.details["path"]) for e in entries] == [
        ("admin", "ministry dashboard", "/api/v1/fiscal-years")] * 2 + [("admin", "ministry dashboard", "/api/v1/plans/2600")]
    assert entries[0].details["query"] == {"page": "1"}
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_a_reads_entry_does_not_wait_for_the_disk_on_postgresql(org, make_token, client):
    """Only a token's use commits without waiting for the disk, and only on PostgreSQL: the call
    that takes the chain's lock turns synchronous_commit off for that transaction alone, unless it
    also stamps the token's last use (which raises the tokens' data version: that must last)."""
    secret = make_token("admin", ["indicators:read"])
    settings: list[str] = []
    calls: list[dict] = []

    def listener(connection, _cursor, statement, parameters, *_):
        if statement.startswith("INSERT INTO audit_entry") and POSTGRES:
            settings.append(connection.exec_driver_sql("SHOW synchronous_commit").scalar())
        if "audit_chain_tail" in statement:
            calls.append(parameters)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get("/api/v1/fiscal-years", headers=bearer(secret))  # the first use: stamped
        client.get("/api/v1/fiscal-years", headers=bearer(secret))  # within the minute: not stamped
        client.get("/api/v1/fiscal-years", headers={"Authorization": "Bearer eth_unknown"})
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    if POSTGRES:
        assert settings == ["on", "off", "on"]
        assert [call["durable"] for call in calls] == [True, False, True]
    else:
        assert calls == []
    assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("api.%"))
                              .order_by(AuditEntry.seq)).all()[-3:] == ["api.read", "api.read", "api.refused"]


def test_no_answer_leaves_without_its_entry(org, make_token, client, monkeypatch):
    """The entry is written before the answer is returned: when it cannot be, nothing is answered."""
    secret = make_token("admin", ["indicators:read"])

    def failing(*_args, **_kwargs):
        raise RuntimeError("the audit log cannot be written")

    answered = client.get("/api/v1/fiscal-years", headers=bearer(secret)).json
    monkeypatch.setattr(guard, "record_many", failing)
    refused = client.get("/api/v1/fiscal-years", headers=bearer(secret))
    assert refused.status_code == 500 and refused.json["error"] == "internal_server_error"
    assert "items" in answered and "items" not in refused.json


def test_a_use_is_written_in_the_reading_transaction_only_when_it_holds_no_changes(app, make_unit):
    """The entry may go on in the request's own transaction (PostgreSQL), but a change left in
    that transaction is rolled back first, never committed with the entry."""
    from ethics.core.database import write_transaction

    unit = make_unit()
    db.session.commit()
    unit.name_en = "changed by a reading request"
    with write_transaction(db.session, continue_reads=True):
        pass
    db.session.expire_all()
    assert unit.name_en != "changed by a reading request"


def test_each_token_is_rate_limited_with_429_and_retry_after(app, make_token, client):
    app.config["ETHICS_API_RATE_LIMIT"] = "3/minute"
    secret, other = make_token("admin", name="a"), make_token("hr", name="b")
    answers = [client.get("/api/v1/fiscal-years", headers=bearer(secret)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/api/v1/fiscal-years", headers=bearer(secret))
    assert limited.json["error"] == "too_many_requests" and int(limited.headers["Retry-After"]) >= 1
    assert client.get("/api/v1/fiscal-years", headers=bearer(other)).status_code == 200


def test_guessing_tokens_from_one_address_is_limited(client, org):
    answers = {client.get("/api/v1/fiscal-years", headers=bearer(f"eth_guess{n}")).status_code for n in range(21)}
    assert answers == {401, 429}


def test_errors_under_the_api_are_json_and_the_webs_stay_pages(make_token, client):
    secret = make_token("admin")
    missing = client.get("/api/v1/plans/2560", headers=bearer(secret))
    assert missing.status_code == 404 and missing.json["error"] == "not_found"
    assert client.get("/api/v1/nothing-here").json["error"] == "not_found"
    bad = client.get("/api/v1/fiscal-years?page=0", headers=bearer(secret))
    assert bad.status_code == 422 and bad.json["error"] == "unprocessable_entity" and "page" in bad.json["message"]
    unknown = client.get("/api/v1/fiscal-years?pgae=2", headers=bearer(secret))
    assert unknown.status_code == 422 and "pgae" in unknown.json["message"]
    web = client.get("/no-such-page")
    assert web.status_code == 404 and web.mimetype == "text/html"


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_csrf_applies_to_the_token_page_but_not_to_the_api(csrf_app, org, make_token):
    client = csrf_app.test_client()
    token = re.search(r'value="([^"]+)"', client.get("/login").text.split('name="csrf_token"')[1]).group(1)
    client.post("/login", data={"username": "hr", "password": PASSWORD, "csrf_token": token})
    assert client.post("/me/tokens", data={"name": "x", "scopes": ["indicators:read"], "days": "30"}).status_code == 400
    assert db.session.scalar(select(ApiToken)) is None
    secret = make_token("admin")
    response = csrf_app.test_client().post("/api/v1/fiscal-years", headers=bearer(secret))
    assert response.status_code == 405 and response.is_json


def test_create_token_prints_the_token_alone(runner, org):
    result = runner.invoke(args=["create-token", "hr", "--name", "ministry", "--scope", "indicators:read",
                                 "--scope", "trainings:read", "--days", "30"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert result.output == secret + "\n" and re.fullmatch(r"eth_[\w-]{40,}", secret)
    assert db.session.scalar(select(ApiToken.scopes)) == ["indicators:read", "trainings:read"]


@pytest.mark.parametrize(("args", "reason"), [
    (["nobody", "--name", "x", "--scope", "indicators:read"], "no account"),
    (["hr", "--name", "x", "--scope", "everything"], "everything"),
    (["employee", "--name", "x", "--scope", "indicators:read"], "indicators:read"),
])
def test_create_token_refuses_an_unknown_user_or_scope(runner, org, args, reason):
    result = runner.invoke(args=["create-token", *args])
    assert result.exit_code == 1 and reason in result.output
    assert db.session.scalar(select(ApiToken)) is None


def test_the_limits_come_from_the_environment_and_a_bad_one_stops_the_start(monkeypatch, app_config):
    from ethics import create_app

    monkeypatch.setenv("ETHICS_API_RATE_LIMIT", "7/minute")
    assert create_app(app_config).config["ETHICS_API_RATE_LIMIT"] == "7/minute"
    monkeypatch.setenv("ETHICS_API_RATE_LIMIT", "lots")
    with pytest.raises(ValueError):
        create_app(app_config)
