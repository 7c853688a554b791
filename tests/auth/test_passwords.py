from __future__ import annotations

from datetime import timedelta

import pytest

from ethics import create_app
from ethics.auth import passwords, services
from ethics.auth.models import Invitation
from ethics.core.extensions import db
from tests.conftest import PASSWORD, password_hash


@pytest.mark.parametrize("candidate", ["short", "password1", "12345678", "qwertyuiop", "alice"])
def test_weak_passwords_are_refused(candidate):
    assert passwords.policy_problem(candidate, "alice") is not None


@pytest.mark.parametrize("candidate", ["correct horse battery staple", "ก" * 8, "x" * 128, "ethics-demo"])
def test_good_and_long_passwords_are_accepted(candidate):
    assert passwords.policy_problem(candidate) is None


def meets_asvs_appendix_c(stored: str) -> bool:
    memory = int(stored.split("m=")[1].split(",")[0])
    iterations = int(stored.split("t=")[1].split(",")[0])
    return stored.startswith("$argon2id$") and memory >= 19 * 1024 and iterations >= 2


def test_hash_meets_asvs_appendix_c():
    assert meets_asvs_appendix_c(passwords.hash_password("correct horse battery staple"))


def test_an_app_made_from_its_environment_hashes_with_the_real_parameters(tmp_path, monkeypatch):
    """Only the test suite's config mapping lowers them (tests/conftest.py CHEAP_HASHING)."""
    monkeypatch.setenv("ETHICS_PASSWORD_HASHER", '{"time_cost": 1, "memory_cost": 8}')
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}"})
    with app.app_context():
        assert meets_asvs_appendix_c(passwords.hash_password("correct horse battery staple"))
        ok, replacement = passwords.verify(password_hash(), PASSWORD)  # a cheap hash would be replaced at sign-in
        assert ok and replacement is not None and meets_asvs_appendix_c(replacement)


def test_change_password_needs_the_old_one(client, auth, make_account):
    make_account("alice")
    auth.login("alice")
    response = client.post("/password", data={"old_password": "wrong", "new_password": "new long secret 1",
                                               "confirm": "new long secret 1"})
    assert response.status_code == 422
    response = client.post("/password", data={"old_password": PASSWORD, "new_password": "new long secret 1",
                                               "confirm": "new long secret 1"})
    assert response.status_code == 302
    assert client.get("/me").status_code == 302  # signed out everywhere
    assert auth.login("alice", "new long secret 1").status_code == 302


def test_change_password_refuses_a_common_one(client, auth, make_account):
    make_account("alice")
    auth.login("alice")
    response = client.post("/password", data={"old_password": PASSWORD, "new_password": "password123",
                                               "confirm": "password123"})
    assert response.status_code == 422
    assert services.authenticate("alice", PASSWORD) is not None  # the old password still works


@pytest.fixture
def admin(make_account):
    return make_account("boss", ("admin",))


def issue(admin, account) -> str:
    return services.issue_sign_in_link(admin, account).token


def test_invitation_sets_the_first_password_once(client, make_account, admin):
    account = make_account("newbie")
    account.password_hash = None
    token = issue(admin, account)
    db.session.commit()
    assert client.get(f"/invitation/{token}").status_code == 200
    response = client.post(f"/invitation/{token}", data={"new_password": "my own secret 42", "confirm": "my own secret 42"})
    assert response.status_code == 302
    assert client.get(f"/invitation/{token}").status_code == 404
    again = client.post(f"/invitation/{token}", data={"new_password": "another secret 42", "confirm": "another secret 42"})
    assert again.status_code == 404
    assert services.authenticate("newbie", "my own secret 42") is not None


def test_expired_and_replaced_invitations_do_not_work(client, make_account, admin):
    account = make_account("newbie")
    first = issue(admin, account)
    second = issue(admin, account)
    db.session.commit()
    assert client.get(f"/invitation/{first}").status_code == 404
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.used_at.is_(None)))
    invitation.expires_at -= timedelta(days=30)
    db.session.commit()
    assert client.get(f"/invitation/{second}").status_code == 404


def test_invitation_tokens_are_random_and_stored_hashed(make_account, admin):
    account = make_account("newbie")
    tokens = {issue(admin, account) for _ in range(5)}
    db.session.commit()
    assert len(tokens) == 5 and all(len(token) >= 40 for token in tokens)
    stored = {row.token_hash for row in db.session.scalars(db.select(Invitation))}
    assert not tokens & stored
