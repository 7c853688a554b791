"""Sign-in links (a new account's invitation, a password reset) reach only the account's owner:
by mail when mail is set, otherwise shown once to an administrator (HR: only for a new employee
or supervisor account). The HR takeover of a committee account must fail."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from ethics.audit.models import AuditEntry
from ethics.auth import services
from ethics.auth.models import Account, Invitation
from ethics.core.extensions import db
from ethics.core.refusals import Refusal
from ethics.mail.models import OutboxMessage
from tests.conftest import PASSWORD
from tests.mail.server import SmtpServer

BASE_URL = "https://ethics.example.go.th"
LINK = re.compile(r'value="([^"]*/invitation/([^"/]+))"')
NEEDS_ADMIN = "only an administrator may hand it over for this account. Ask an administrator"


@pytest.fixture
def mailbox(app):
    """A real SMTP server in process; the messages it accepted, parsed."""
    server = SmtpServer("mailer", "secret").start()
    app.config["ETHICS_SMTP_URL"] = server.url
    yield server.messages
    server.stop()


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def base_url(app):
    app.config["ETHICS_BASE_URL"] = BASE_URL


def english(client):
    client.set_cookie("ethics_lang", "en")
    return client


def signed_in(app, username, password=PASSWORD, address="192.0.2.10"):
    client = english(app.test_client())
    client.environ_base["REMOTE_ADDR"] = address
    response = client.post("/login", data={"username": username, "password": password})
    return client, response


def entries(action):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def open_links(account):
    return list(db.session.scalars(select(Invitation).where(Invitation.account_id == account.id,
                                                            Invitation.used_at.is_(None))))


def use_link(client, token, password):
    return client.post(f"/invitation/{token}", data={"new_password": password, "confirm": password})


def test_hr_cannot_obtain_a_usable_link_for_a_committee_account(app, org):
    committee = org["accounts"]["committee"]
    hr, _ = signed_in(app, "hr")
    page = hr.get(f"/accounts/{committee.id}").text
    assert NEEDS_ADMIN in page and 'data-testid="invitation-link"' not in page
    response = hr.post(f"/accounts/{committee.id}/invitation")
    assert response.status_code == 302
    after = hr.get(response.headers["Location"]).text
    assert NEEDS_ADMIN in after and "/invitation/" not in after
    assert open_links(committee) == [] and db.session.scalar(select(Invitation)) is None
    (withheld,) = entries("auth.invitation_withheld")
    assert withheld.target_id == str(committee.id) and withheld.actor_label == "hr"
    assert withheld.details["kind"] == "reset" and "committee" in withheld.details["roles"]
    assert signed_in(app, "committee")[1].status_code == 302  # the member is not locked out


def test_hr_cannot_reset_an_admin_account(app, org):
    hr, _ = signed_in(app, "hr")
    assert hr.post(f"/accounts/{org['accounts']['admin'].id}/invitation").status_code == 403
    assert db.session.scalar(select(Invitation)) is None


def test_an_admin_gets_a_committee_link_once_built_from_the_base_url(app, org, base_url):
    committee = org["accounts"]["committee"]
    forged_host = "http://attacker.example"  # every request below names this Host
    admin = english(app.test_client())
    assert admin.post("/login", data={"username": "admin", "password": PASSWORD}, base_url=forged_host).status_code == 302
    response = admin.post(f"/accounts/{committee.id}/invitation", base_url=forged_host)
    assert response.status_code == 200
    link, token = LINK.search(response.text).groups()
    assert link == f"{BASE_URL}/invitation/{token}"  # never from the Host header
    cookie = admin.get_cookie("session", domain="attacker.example").value
    assert token not in json.dumps(app.session_interface.get_signing_serializer(app).loads(cookie))  # kept nowhere
    again = admin.get(f"/accounts/{committee.id}", base_url=forged_host).text
    assert token not in again and 'data-testid="invitation-link"' not in again
    (issued,) = entries("auth.invitation_issued")
    assert issued.details["delivery"] == "screen" and issued.details["to"] == "admin"
    assert issued.details["kind"] == "reset" and issued.actor_label == "admin"
    stored = db.session.scalar(select(Invitation))
    assert token not in json.dumps(issued.details) and stored.token_hash not in json.dumps(issued.details)
    assert stored.delivery == "screen" and stored.issued_by_id == org["accounts"]["admin"].id


def test_the_old_password_works_until_the_link_is_used(app, org):
    committee = org["accounts"]["committee"]
    token = services.issue_sign_in_link(org["accounts"]["admin"], committee).token
    db.session.commit()
    member, response = signed_in(app, "committee")
    assert response.status_code == 302 and member.get("/me").status_code == 200  # issuing changed nothing
    assert use_link(english(app.test_client()), token, "my own new secret 42").status_code == 302
    assert member.get("/me").status_code == 302  # using it ended the member's sessions
    assert signed_in(app, "committee")[1].status_code == 401
    assert signed_in(app, "committee", "my own new secret 42")[1].status_code == 302
    (accepted,) = entries("auth.invitation_accepted")
    assert accepted.actor_label == "committee" and accepted.details["kind"] == "reset"
    (changed,) = entries("auth.password_changed")
    assert changed.details == {"via": "screen link", "notice": "at the next sign-in"}


def test_a_used_replaced_or_expired_link_is_refused_and_audited(app, org):
    admin, committee = org["accounts"]["admin"], org["accounts"]["committee"]
    first = services.issue_sign_in_link(admin, committee).token
    second = services.issue_sign_in_link(admin, committee).token
    db.session.commit()
    client = english(app.test_client())
    assert client.get(f"/invitation/{first}").status_code == 404
    assert use_link(client, first, "my own new secret 42").status_code == 404
    db.session.scalar(select(Invitation).where(Invitation.used_at.is_(None))).expires_at -= timedelta(days=30)
    db.session.commit()
    assert client.get(f"/invitation/{second}").status_code == 404
    assert client.get("/invitation/made-up-token").status_code == 404
    reasons = [entry.details["reason"] for entry in entries("auth.invitation_refused")]
    assert reasons == ["used or replaced", "used or replaced", "expired", "unknown"]
    assert entries("auth.invitation_issued")[1].details["replaced"] == [entries("auth.invitation_issued")[0]
                                                                        .details["invitation"]]
    assert signed_in(app, "committee")[1].status_code == 302


def test_hr_hands_over_a_new_employee_link_but_cannot_reset_an_existing_password(app, org):
    hr, _ = signed_in(app, "hr")
    person = org["people"]["outside"]
    response = hr.post(f"/accounts/new?person={person.id}",
                       data={"username": "somchai", "roles": ["employee", "supervisor"], "active": "y"})
    assert response.status_code == 200
    _, token = LINK.search(response.text).groups()
    assert use_link(english(app.test_client()), token, "somchai's own secret").status_code == 302
    somchai = db.session.scalar(select(Account).where(Account.username == "somchai"))
    reset = hr.post(f"/accounts/{somchai.id}/invitation")
    assert reset.status_code == 302 and NEEDS_ADMIN in hr.get(reset.headers["Location"]).text
    assert open_links(somchai) == []
    assert [entry.details["kind"] for entry in entries("auth.invitation_withheld")] == ["reset"]


def test_an_hr_link_dies_when_the_account_gains_the_committee_role(app, org):
    hr, _ = signed_in(app, "hr")
    response = hr.post(f"/accounts/new?person={org['people']['outside'].id}",
                       data={"username": "newbie", "roles": ["employee"], "active": "y"})
    _, token = LINK.search(response.text).groups()
    newbie = db.session.scalar(select(Account).where(Account.username == "newbie"))
    hr.post(f"/accounts/{newbie.id}", data={"username": "newbie", "roles": ["employee", "committee"], "active": "y",
                                           "version": newbie.version})
    db.session.refresh(newbie)
    assert newbie.roles == {"employee", "committee"}
    assert use_link(english(app.test_client()), token, "taken over secret 1").status_code == 404
    db.session.refresh(newbie)
    assert newbie.password_hash is None
    (refused,) = entries("auth.invitation_refused")
    assert "roles changed" in refused.details["reason"] and refused.target_id == str(newbie.id)


def test_hr_creating_a_committee_account_without_mail_is_told_to_ask_an_admin(app, org):
    hr, _ = signed_in(app, "hr")
    response = hr.post(f"/accounts/new?person={org['people']['outside'].id}",
                       data={"username": "judge", "roles": ["committee", "employee"], "active": "y"})
    assert response.status_code == 302
    page = hr.get(response.headers["Location"]).text
    assert "The account was saved." in page and NEEDS_ADMIN in page and "/invitation/" not in page
    judge = db.session.scalar(select(Account).where(Account.username == "judge"))
    assert judge.password_hash is None and open_links(judge) == []
    assert entries("auth.invitation_withheld")[0].details["kind"] == "invitation"
    admin, _ = signed_in(app, "admin")
    assert LINK.search(admin.post(f"/accounts/{judge.id}/invitation").text)


def test_with_mail_the_link_goes_only_to_the_person(app, org, make_person, mailbox, base_url):
    member = make_person(org["units"]["audit"], email="member@example.go.th")
    committee = org["accounts"]["committee"]
    committee.person = member
    db.session.commit()
    hr, _ = signed_in(app, "hr")
    response = hr.post(f"/accounts/{committee.id}/invitation")
    assert response.status_code == 302
    assert "member@example.go.th" in hr.get(response.headers["Location"]).text
    (message,) = mailbox
    assert message["To"] == "member@example.go.th" and message["Subject"] == "Set a new password"
    token = re.search(rf"{re.escape(BASE_URL)}/invitation/(\S+)", text_of(message)).group(1)
    assert f'href="{BASE_URL}/invitation/{token}"' in message.get_body(("html",)).get_content()
    assert text_of(message).startswith(f"Dear {member.full_name},")
    stored = db.session.scalar(select(OutboxMessage))  # the link is kept only until it is sent
    assert (stored.status, stored.sensitive, stored.body_text, stored.body_html) == ("sent", True, "", "")
    (issued,) = entries("auth.invitation_issued")
    assert issued.details["delivery"] == "mail" and issued.details["to"] == "member@example.go.th"
    assert token not in json.dumps(issued.details) and token not in response.text
    assert signed_in(app, "committee")[1].status_code == 302  # still the old password
    assert use_link(english(app.test_client()), token, "my own new secret 42").status_code == 302
    notice = mailbox[-1]
    assert notice["To"] == "member@example.go.th" and notice["Subject"] == "Your password was changed"
    assert "tell an administrator" in text_of(notice)
    assert entries("auth.password_changed")[0].details["notice"] == "mail to member@example.go.th"


def test_the_owner_is_told_at_the_next_sign_in(app, org):
    token = services.issue_sign_in_link(org["accounts"]["admin"], org["accounts"]["committee"]).token
    db.session.commit()
    signed_in(app, "committee")  # an earlier sign-in
    use_link(english(app.test_client()), token, "my own new secret 42")
    member, response = signed_in(app, "committee", "my own new secret 42")
    notice = "Your password was changed on"
    assert notice in member.get(response.headers["Location"]).text
    member, response = signed_in(app, "committee", "my own new secret 42")
    assert notice not in member.get(response.headers["Location"]).text  # told once


def test_changing_ones_own_password_mails_the_owner(app, org, make_person, mailbox):
    org["accounts"]["employee"].person.email = "me@example.go.th"
    db.session.commit()
    me, _ = signed_in(app, "employee")
    assert me.post("/password", data={"old_password": PASSWORD, "new_password": "new long secret 1",
                                      "confirm": "new long secret 1"}).status_code == 302
    assert [(m["To"], m["Subject"]) for m in mailbox] == [("me@example.go.th", "Your password was changed")]
    (changed,) = entries("auth.password_changed")
    assert changed.details == {"via": "own", "notice": "mail to me@example.go.th"} and changed.actor_label == "employee"


def test_only_an_admin_changes_the_email_a_committee_members_links_go_to(app, org, make_person, make_account):
    """HR changing the address and then asking for a reset would mail HR the member's link."""
    from ethics.people.services import PersonData, save_person

    member = make_person(org["units"]["audit"], email="member@example.go.th")
    make_account("member", ("committee", "employee"), person=member)
    changed = PersonData(citizen_id=member.citizen_id, title=member.title, first_name=member.first_name,
                         last_name=member.last_name, personnel_type=member.personnel_type, unit_id=member.unit_id,
                         position=member.position, position_level=member.position_level, email="hr@example.go.th",
                         supervisor_id=None, service_start_date=None, active=True)
    with pytest.raises(Refusal) as refused:
        save_person(member, changed)
    assert refused.value.field == "email"
    db.session.rollback()
    assert db.session.get(type(member), member.id).email == "member@example.go.th"
    assert save_person(member, changed, by_admin=True).email == "hr@example.go.th"
    plain = make_person(org["units"]["audit"], email="plain@example.go.th")
    make_account("plain", ("employee",), person=plain)
    assert save_person(plain, PersonData(**{**changed.__dict__, "citizen_id": plain.citizen_id})).email == \
        "hr@example.go.th"
