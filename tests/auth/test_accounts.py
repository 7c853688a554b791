from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ethics.auth.models import Account
from ethics.auth.services import AccountChanges, AuthError, save_account
from ethics.core.extensions import db
from ethics.core.fiscal import format_date, local_now


def test_hr_gives_an_account_with_an_invitation_link(client, auth, org):
    auth.login("hr")
    person = org["people"]["outside"]
    form = client.get(f"/accounts/new?person={person.id}").text
    assert 'data-testid="unit-picker-supervised_unit_ids"' in form and "<select multiple" not in form  # no Ctrl-click
    assert f'<input type="checkbox" name="supervised_unit_ids" value="{org["units"]["audit"].id}"' in form
    response = client.post(f"/accounts/new?person={person.id}",
                           data={"username": "somchai", "roles": ["employee", "supervisor"],
                                 "supervised_unit_ids": [org["units"]["audit"].id], "active": "y"})
    assert response.status_code == 200  # the link is in this answer only, kept nowhere
    assert "/invitation/" in response.text
    account = db.session.scalar(select(Account).where(Account.username == "somchai"))
    assert "/invitation/" not in client.get(f"/accounts/{account.id}").text
    assert account.roles == {"employee", "supervisor"} and account.person_id == person.id
    assert account.supervised_unit_ids == [org["units"]["audit"].id]
    assert account.password_hash is None


def test_hr_cannot_grant_admin(client, auth, org):
    auth.login("hr")
    response = client.post("/accounts/new", data={"username": "sneaky", "roles": ["admin"], "active": "y"})
    assert response.status_code == 422
    assert db.session.scalar(select(Account).where(Account.username == "sneaky")) is None


def test_hr_cannot_edit_an_admin(org):
    with pytest.raises(AuthError):
        save_account(org["accounts"]["hr"], org["accounts"]["admin"],
                     AccountChanges("admin", {"employee"}, None, set(), True))


def test_admin_can_grant_admin(org):
    account = save_account(org["accounts"]["admin"], None, AccountChanges("second-admin", {"admin"}, None, set(), True))
    assert account.roles == {"admin"}


def test_extra_form_fields_are_ignored(client, auth, org):
    auth.login("employee")
    client.post("/password", data={"role": "admin", "roles": "admin", "old_password": "x", "new_password": "y",
                                   "confirm": "y"})
    assert org["accounts"]["employee"].roles == {"employee"}


def test_one_person_one_account(org):
    with pytest.raises(AuthError):
        save_account(org["accounts"]["admin"], None,
                     AccountChanges("twin", {"employee"}, org["people"]["me"].id, set(), True))


def test_stale_account_edit_is_refused(client, auth, org):
    auth.login("hr")
    target = org["accounts"]["employee"]
    response = client.post(f"/accounts/{target.id}", data={"username": "employee", "roles": ["employee"],
                                                            "active": "y", "version": target.version - 1 or 99})
    assert response.status_code == 409


def test_editing_roles_and_scope_keeps_an_existing_role(client, auth, org):
    auth.login("hr")
    target = org["accounts"]["supervisor"]
    response = client.post(f"/accounts/{target.id}", data={
        "username": "supervisor", "roles": ["supervisor", "employee", "committee"],
        "supervised_unit_ids": [org["units"]["audit"].id], "active": "y", "version": target.version})
    assert response.status_code == 302
    assert target.roles == {"supervisor", "employee", "committee"}
    assert target.supervised_unit_ids == [org["units"]["audit"].id]


def test_accounts_list_searches_and_paginates(client, auth, org, make_account):
    for n in range(60):
        make_account(f"user{n:02d}")
    auth.login("hr")
    first = client.get("/accounts")
    assert "user00" in first.text and "user59" not in first.text
    assert "user59" in client.get("/accounts?page=2").text
    found = client.get("/accounts?q=user07")
    assert "user07" in found.text and "user08" not in found.text
    by_name = client.get("/accounts?q=หัวหน้า")
    assert "supervisor" in by_name.text and "user07" not in by_name.text


def test_accounts_list_shows_the_last_sign_in(client, auth, org):
    auth.login("hr")
    row = re.search(r"<tr>(?:(?!</tr>).)*>hr<(?:(?!</tr>).)*</tr>", client.get("/accounts?q=hr").text, re.S).group(0)
    assert format_date(local_now().date(), "th") in row
