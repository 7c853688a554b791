"""Accounts, sign-in, passwords and invitations. Views call these; tests call them directly."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload, lazyload

from ethics.audit.services import changes, record
from ethics.auth import passwords
from ethics.auth.models import ROLES, Account, AccountRole, Invitation, SignIn, SupervisedUnit
from ethics.core.bulk import upsert_row
from ethics.core.data_versions import Domain, cached
from ethics.core.database import read_only
from ethics.core.extensions import db
from ethics.core.refusals import Refusal
from ethics.people.models import Person
from ethics.web.pagination import Page, paginate


class AuthError(Refusal):
    """A refusal with a message the user can read."""


class WrongPassword(AuthError):
    """The current password given to confirm a change does not match."""


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def find_account(username: str) -> Account | None:
    return db.session.scalar(select(Account).where(func.lower(Account.username) == username.strip().lower()))


def authenticate(username: str, password: str) -> Account | None:
    """The account when the password matches and it is active; None for every other case alike."""
    account = find_account(username)
    if account is None:
        passwords.burn_time(password)
        return None
    ok, upgraded = passwords.verify(account.password_hash, password)
    if not ok or not account.active:
        return None
    if upgraded:
        account.password_hash = upgraded
    note_sign_in(account.id)
    return account


def note_sign_in(account_id: int) -> None:
    """Keep the time of the account's latest sign-in (one statement, so two at once cannot clash)."""
    upsert_row(SignIn, ["account_id"], account_id=account_id, at=utcnow())


def end_all_sessions(account: Account) -> None:
    account.session_version += 1


def sign_out(account: Account) -> None:
    """Signing out ends the account's sessions on every device."""
    end_all_sessions(account)
    record("auth.logout", account)


def set_password(account: Account, new_password: str) -> None:
    problem = passwords.policy_problem(new_password, account.username)
    if problem:
        raise AuthError(problem, field="new_password")
    account.password_hash = passwords.hash_password(new_password)
    end_all_sessions(account)


def change_password(account: Account, old_password: str, new_password: str) -> None:
    ok, _ = passwords.verify(account.password_hash, old_password)
    if not ok:
        raise WrongPassword(_l("Your current password is not correct."), field="old_password")
    set_password(account, new_password)
    record("auth.password_changed", account, actor=account)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_invitation(account: Account) -> str:
    """Replace any open invitation with a new single-use token; return the token once."""
    for old in db.session.scalars(select(Invitation).where(Invitation.account_id == account.id,
                                                           Invitation.used_at.is_(None))):
        old.used_at = utcnow()
    token = secrets.token_urlsafe(32)
    days = current_app.config["ETHICS_INVITATION_DAYS"]
    db.session.add(Invitation(account=account, token_hash=_token_hash(token), expires_at=utcnow() + timedelta(days=days)))
    record("auth.invitation_issued", account)
    return token


def open_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def accept_invitation(token: str, new_password: str) -> Account:
    """Set the first password; the link cannot be used again, even by a parallel request."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token)).with_for_update()
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        raise AuthError(_l("This invitation link is not valid any more. Ask HR for a new one."), field="new_password")
    set_password(invitation.account, new_password)
    invitation.used_at = utcnow()
    record("auth.invitation_accepted", invitation.account, actor=invitation.account)
    return invitation.account


@dataclass
class AccountChanges:
    username: str
    roles: set[str]
    person_id: int | None
    supervised_unit_ids: set[int]
    active: bool


def grantable_roles(granter: Account) -> tuple[str, ...]:
    """HR may give every role but admin; only an admin makes another admin."""
    return ROLES if granter.has_role("admin") else tuple(r for r in ROLES if r != "admin")


def _snapshot(account: Account) -> dict:
    return {
        "username": account.username,
        "roles": sorted(account.roles),
        "person_id": account.person_id,
        "supervised_unit_ids": sorted(account.supervised_unit_ids),
        "active": account.active,
    }


def save_account(granter: Account, account: Account | None, data: AccountChanges) -> Account:
    """Create or update an account within what the granter may give."""
    allowed = set(grantable_roles(granter))
    if account is not None and "admin" in account.roles and "admin" not in allowed:
        raise AuthError(_l("Only an administrator can change an administrator's account."), field="username")
    if data.roles - allowed:
        raise AuthError(_l("You cannot give the role %(role)s.", role=", ".join(sorted(data.roles - allowed))),
                        field="username")
    clash = find_account(data.username)
    if clash is not None and clash is not account:
        raise AuthError(_l("This username is taken."), field="username")
    if data.person_id is not None:
        owner = db.session.scalar(select(Account).where(Account.person_id == data.person_id))
        if owner is not None and owner is not account:
            raise AuthError(_l("This person already has an account (%(username)s).", username=owner.username),
                            field="username")
    creating = account is None
    before = {} if account is None else _snapshot(account)
    if account is None:
        account = Account(created_at=utcnow(), session_version=1)
        db.session.add(account)
    elif before["active"] and not data.active:
        end_all_sessions(account)
    account.username = data.username.strip()
    account.person_id = data.person_id
    account.role_rows = [AccountRole(role=role) for role in sorted(data.roles)]
    account.supervised = [SupervisedUnit(unit_id=unit_id) for unit_id in sorted(data.supervised_unit_ids)]
    account.active = data.active
    db.session.flush()
    old, new = changes(before, _snapshot(account))
    record("account.create" if creating else "account.update", account, before=old, after=new)
    return account


def create_account_with_password(username: str, roles: set[str], password: str, person_id: int | None = None) -> Account:
    """For the CLI: an account whose first password the operator types."""
    unknown = roles - set(ROLES)
    if unknown:
        raise AuthError(f"unknown role: {', '.join(sorted(unknown))}")
    if find_account(username):
        raise AuthError(f"username {username} is taken")
    account = Account(username=username, created_at=utcnow(), person_id=person_id, session_version=1, active=True,
                      role_rows=[AccountRole(role=role) for role in sorted(roles)])
    set_password(account, password)
    db.session.add(account)
    db.session.flush()
    record("account.create", account, after={"username": username, "roles": sorted(roles), "person_id": person_id})
    return account


ACCOUNTS_PER_PAGE = 50


def search_accounts(text: str, page: int) -> Page:
    """Accounts by username or the linked person's name, paginated in SQL."""
    query = select(Account).outerjoin(Account.person)
    for word in text.split():
        like = f"%{word}%"
        query = query.where(or_(Account.username.ilike(like), Person.first_name.ilike(like),
                                Person.last_name.ilike(like)))
    return paginate(query.options(joinedload(Account.person), joinedload(Account.last_sign_in))
                    .order_by(Account.username), page, ACCOUNTS_PER_PAGE)


def load_session_user(user_id: str) -> Account | None:
    """Flask-Login loader: the id carries the session version, so old cookies stop working.

    Every request runs it, so the account with its roles is kept per process while no account
    changes (the `auth` data version, ethics/core/data_versions.py) and put into the request's session
    without a query; a disabled account, a new session version or new roles are seen at once."""
    account_id, _, version = user_id.partition(".")
    if not (account_id.isdigit() and version.isdigit()):
        return None
    kept = cached(("account", int(account_id)), (Domain.AUTH,), lambda: _detached_account(int(account_id)))
    if kept is None or not kept.active or kept.session_version != int(version):
        return None
    return db.session.merge(kept, load=False)


def _detached_account(account_id: int) -> Account | None:
    """The account and its roles, loaded apart from the request's own session so that the copy
    kept for later requests never changes with this request."""
    with read_only(), Session(db.engine) as session:
        return session.get(Account, account_id, options=[joinedload(Account.role_rows), lazyload(Account.supervised)])
