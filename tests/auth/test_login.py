from __future__ import annotations

import os
import re
import time
from datetime import timedelta

import pytest
from limits import parse
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from ethics.audit.models import AuditEntry
from ethics.auth import throttle
from ethics.auth.models import Account
from ethics.core.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def alice(make_account):
    return make_account("alice", ("employee",))


def _without_tokens(page: str, username: str) -> str:
    """The page minus what legitimately differs: the CSRF token and the echoed username."""
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrf_token"[^>]*', "", page).replace(f'value="{username}"', "")


def actions():
    return [entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def entries(action):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def test_login_then_logout(client, auth, alice):
    response = auth.login("alice")
    assert response.status_code == 302
    assert client.get("/me").status_code == 200
    auth.logout()
    assert client.get("/me").status_code == 302


def test_unknown_user_and_wrong_password_look_the_same(client, auth, alice):
    wrong = auth.login("alice", "not-the-password")
    unknown = auth.login("nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong username or password." in wrong.text or "ไม่ถูกต้อง" in wrong.text
    assert _without_tokens(wrong.text, "alice") == _without_tokens(unknown.text, "nobody")
    assert actions() == ["auth.login_failed", "auth.login_failed"]


def test_sixth_failure_in_a_minute_from_one_address_gets_429(client, auth, alice, make_account):
    for attempt in range(5):
        assert auth.login(f"user{attempt}", "wrong-password").status_code == 401
    assert auth.login("alice", PASSWORD).status_code == 429
    assert "auth.login_throttled" in actions()


def client_at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_guessing_from_one_address_does_not_stop_the_owner_signing_in_from_another(app, alice):
    guesser = client_at(app, "198.51.100.66")
    for _ in range(5):
        assert guesser.post("/login", data={"username": "alice", "password": "x" * 9}).status_code == 401
    assert guesser.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 429
    assert client_at(app, "192.0.2.10").post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 302
    assert guesser.post("/login", data={"username": "alice", "password": "x" * 9}).status_code == 429  # still throttled
    throttled = entries("auth.login_throttled")
    assert [entry.details["limit"] for entry in throttled] == ["address", "address"]
    assert {entry.ip for entry in throttled} == {"198.51.100.66"}


def test_one_account_from_one_address_is_throttled_after_twenty_failures_in_an_hour(app, alice, monkeypatch):
    monkeypatch.setattr(throttle, "PER_ADDRESS", parse("1000/minute"))  # a slow guesser, under the address limit
    guesser = client_at(app, "198.51.100.66")
    for _ in range(20):
        assert guesser.post("/login", data={"username": "alice", "password": "x" * 9}).status_code == 401
    assert guesser.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 429
    assert guesser.post("/login", data={"username": "bob", "password": "x" * 9}).status_code == 401  # other accounts
    assert client_at(app, "192.0.2.10").post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 302
    assert entries("auth.login_throttled")[0].details["limit"] == "account and address"


def test_guessing_spread_over_many_addresses_is_capped_without_locking_the_owners_browser(app, alice):
    owner = client_at(app, "192.0.2.10")
    assert owner.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 302
    assert owner.get_cookie(throttle.DEVICE_COOKIE, path="/login") is not None
    owner.post("/logout")
    with app.test_request_context():
        for n in range(100):  # ASVS 2.2.1: at most 100 failures an hour for one account
            throttle.count_failure(f"203.0.113.{n}", "alice")
    stranger = client_at(app, "203.0.113.200")
    assert stranger.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 429
    assert entries("auth.login_throttled")[-1].details["limit"] == "account"
    assert owner.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 302


def test_a_guesser_behind_the_owners_own_address_does_not_lock_the_owners_browser_out(app, alice):
    office = "192.0.2.10"
    owner = client_at(app, office)
    assert owner.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 302
    owner.post("/logout")
    insider = client_at(app, office)
    for _ in range(5):
        insider.post("/login", data={"username": "alice", "password": "x" * 9})
    assert insider.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 429
    assert owner.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 302


def test_a_device_cookie_is_counted_on_its_own_and_cannot_be_forged(app, alice, make_account):
    make_account("mallory")
    mallory = client_at(app, "198.51.100.66")
    assert mallory.post("/login", data={"username": "mallory", "password": PASSWORD}).status_code == 302
    own_cookie = mallory.get_cookie(throttle.DEVICE_COOKIE, path="/login").value
    with app.test_request_context():
        assert throttle.known_device(own_cookie, "mallory") is not None
        assert throttle.known_device(own_cookie, "alice") is None  # given to mallory's account only
        assert throttle.known_device(own_cookie[:-2] + "xx", "mallory") is None
    for _ in range(5):
        mallory.post("/login", data={"username": "alice", "password": "x" * 9})
    assert mallory.post("/login", data={"username": "alice", "password": PASSWORD}).status_code == 429
    for _ in range(20):  # the device's own limit
        assert mallory.post("/login", data={"username": "mallory", "password": "x" * 9}).status_code == 401
    assert mallory.post("/login", data={"username": "mallory", "password": PASSWORD}).status_code == 429
    assert entries("auth.login_throttled")[-1].details["limit"] == "device"


def test_a_forged_forwarded_for_header_does_not_escape_the_address_limit(app, alice):
    guesser = client_at(app, "198.51.100.66")
    for n in range(5):
        guesser.post("/login", data={"username": "alice", "password": "x" * 9},
                     headers={"X-Forwarded-For": f"10.9.9.{n}"})
    response = guesser.post("/login", data={"username": "alice", "password": PASSWORD},
                            headers={"X-Forwarded-For": "10.9.9.99"})
    assert response.status_code == 429


@pytest.mark.skipif(not os.environ.get("ETHICS_TEST_REDIS_URL"), reason="ETHICS_TEST_REDIS_URL not set (.ci/run sets it)")
def test_counters_are_shared_through_redis(app_config, alice):
    from ethics import create_app

    config = {**app_config, "ETHICS_REDIS_URL": os.environ["ETHICS_TEST_REDIS_URL"]}
    first, second = create_app(config), create_app(config)
    with first.app_context():
        throttle.reset()
    for _ in range(5):
        first.test_client().post("/login", data={"username": "alice", "password": "wrong-password"})
    with second.app_context():
        assert throttle.blocked_by("127.0.0.1", "alice") == "address"
        throttle.reset()


def test_login_issues_a_fresh_session(client, auth, alice):
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    auth.login("alice")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_ends_every_session_of_the_account(app, auth, client, alice):
    auth.login("alice")
    other = app.test_client()
    other.post("/login", data={"username": "alice", "password": PASSWORD})
    copied = app.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    assert copied.get("/me").status_code == 200
    auth.logout()
    assert copied.get("/me").status_code == 302
    assert other.get("/me").status_code == 302


def test_disabling_an_account_ends_its_sessions(client, auth, alice, make_account):
    auth.login("alice")
    assert client.get("/me").status_code == 200
    from ethics.auth.services import AccountChanges, save_account

    admin = make_account("boss", ("admin",))
    save_account(admin, alice, AccountChanges("alice", {"employee"}, None, set(), active=False))
    db.session.commit()
    assert client.get("/me").status_code == 302
    assert auth.login("alice").status_code == 401


def test_idle_timeout(app, client, auth, alice):
    auth.login("alice")
    with client.session_transaction() as session:
        session["seen_at"] -= app.config["ETHICS_IDLE_TIMEOUT"].total_seconds() + 1
    response = client.get("/me")
    assert response.status_code == 302 and "expired=1" in response.headers["Location"]


def test_activity_keeps_a_session_alive_without_rewriting_the_cookie_on_every_request(app, client, auth, alice):
    auth.login("alice")
    client.get("/me")
    assert "Set-Cookie" not in client.get("/me").headers  # seen a moment ago: nothing to re-sign
    with client.session_transaction() as session:
        session["seen_at"] -= app.config["ETHICS_IDLE_TIMEOUT"].total_seconds() - 5  # nearly idle
    assert client.get("/me").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 5  # the request counted as activity


def test_absolute_timeout(app, client, auth, alice):
    auth.login("alice")
    with client.session_transaction() as session:
        session["login_at"] -= app.config["ETHICS_ABSOLUTE_TIMEOUT"].total_seconds() + 1
    assert client.get("/me").status_code == 302


def test_session_cookie_flags(client, auth, alice):
    response = auth.login("alice")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_old_hashes_are_upgraded_at_login(auth, make_account):
    account = make_account("legacy")
    account.password_hash = generate_password_hash(PASSWORD)  # Werkzeug's default scrypt
    db.session.commit()
    assert auth.login("legacy").status_code == 302
    db.session.expire_all()
    assert db.session.get(Account, account.id).password_hash.startswith("$argon2id$")


def test_open_redirect_is_refused(client, alice):
    response = client.post("/login?next=//evil.example/x", data={"username": "alice", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_login_is_audited(auth, alice):
    auth.login("alice")
    assert actions() == ["auth.login"]


def test_idle_limit_is_configurable(app):
    assert app.config["ETHICS_IDLE_TIMEOUT"] == timedelta(minutes=30)


def test_a_sign_in_is_kept_apart_from_the_accounts_so_kept_pages_and_edits_survive_it(client, auth, alice):
    from ethics.auth.models import SignIn
    from tests.test_cache import versions

    before = versions()
    version = alice.version
    auth.login("alice")
    after = versions()
    assert after["sign_in"] == before["sign_in"] + 1 and after["auth"] == before["auth"]
    db.session.refresh(alice)
    assert alice.version == version and db.session.get(SignIn, alice.id) is not None
    first = db.session.get(SignIn, alice.id).at
    auth.logout()
    auth.login("alice")
    db.session.expire_all()
    assert db.session.get(SignIn, alice.id).at >= first
