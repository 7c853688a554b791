"""Accounts, sign-in, passwords and invitations. Views call these; tests call them directly."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session, joinedload, lazyload

from ethics.audit.services import changes, record
from ethics.auth import mail, passwords
from ethics.auth.models import ROLES, Account, AccountRole, Invitation, SignIn, SupervisedUnit
from ethics.core.bulk import upsert_row
from ethics.core.data_versions import Domain, cached
from ethics.core.database import read_only
from ethics.core.extensions import db
from ethics.core.i18n import readers_moment
from ethics.core.links import absolute_url
from ethics.core.refusals import Refusal
from ethics.core.text import like_pattern
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
    signed_in = sign_in(username, password)
    return signed_in.account if signed_in else None


@dataclass
class SignedIn:
    account: Account
    # When the password changed since the account's previous sign-in: the owner is told.
    password_changed_at: datetime | None = None


def sign_in(username: str, password: str) -> SignedIn | None:
    """`authenticate`, also saying whether the password changed since the previous sign-in."""
    account = find_account(username)
    if account is None:
        passwords.burn_time(password)
        return None
    ok, upgraded = passwords.verify(account.password_hash, password)
    if not ok or not account.active:
        return None
    if upgraded:
        account.password_hash = upgraded
    previous = db.session.scalar(select(SignIn.at).where(SignIn.account_id == account.id))
    changed = account.password_changed_at
    note_sign_in(account.id)
    return SignedIn(account, changed if changed and previous and changed > previous else None)


def note_sign_in(account_id: int) -> None:
    """Keep the time of the account's latest sign-in (one statement, so two at once cannot clash)."""
    upsert_row(SignIn, ["account_id"], account_id=account_id, at=utcnow())


def remember_locale(account: Account, locale: str) -> None:
    """Keep the language the owner chose, for their next sign-in on any browser. One statement
    that leaves the edit version alone: an administrator editing the account meanwhile is not
    told it changed."""
    db.session.execute(update(Account).where(Account.id == account.id).values(locale=locale))


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
    account.password_changed_at = utcnow()
    end_all_sessions(account)


def change_password(account: Account, old_password: str, new_password: str) -> None:
    ok, _ = passwords.verify(account.password_hash, old_password)
    if not ok:
        raise WrongPassword(_l("Your current password is not correct."), field="old_password")
    set_password(account, new_password)
    _tell_owner_password_changed(account, via="own")


def person_email(account: Account) -> str:
    return (account.person.email or "").strip() if account.person is not None else ""


def _tell_owner_password_changed(account: Account, via: str) -> None:
    """Mail the owner when mail is set and they have an email; the next sign-in shows it anyway
    (password_changed_at), and the audit log keeps it."""
    email = person_email(account)
    mailed = mail.configured() and bool(email)
    if mailed:
        mail.queue(account, _("Your password was changed"),
                   _("The password of your account %(username)s in the ethics system was changed on %(when)s. "
                     "If you did not change it, tell an administrator at once.",
                     username=account.username, when=readers_moment(account.password_changed_at or utcnow())))
    record("auth.password_changed", account, actor=account, via=via,
           notice=f"mail to {email}" if mailed else "at the next sign-in")


# --- sign-in links: a new account's invitation, or a password reset --------------------

PLAIN_ROLES = frozenset({"employee", "supervisor"})


def privileged_among(person_ids: list[int]) -> set[int]:
    """Those of the people whose account holds a role beyond employee and supervisor (people's
    account_guard asks before an email change: sign-in links are mailed there)."""
    found: set[int] = set()
    for start in range(0, len(person_ids), 1000):
        found.update(db.session.scalars(
            select(Account.person_id).join(AccountRole, Account.id == AccountRole.account_id)
            .where(Account.person_id.in_(person_ids[start:start + 1000]), AccountRole.role.not_in(PLAIN_ROLES))))
    return found
LINK_NEEDS_ADMIN = _l("The link cannot be mailed to this person (no mail server is set, or their record has no "
                      "email), and only an administrator may hand it over for this account. Ask an administrator "
                      "to create the link.")
LINK_NOT_VALID = _l("This link is not valid any more. Ask an administrator or HR for a new one.")


@dataclass
class SignInLink:
    """Where a new link went: "mail" (to `to`, the person's email), "screen" (`token` is shown
    once to `to`, the issuer, and kept nowhere) or "withheld" (nobody may see it: ask an admin)."""

    how: str
    to: str = ""
    token: str | None = None
    kind: str = "invitation"  # "invitation" for a first password, "reset" for an account that has one


def may_be_shown_link(viewer: Account | None, account: Account) -> bool:
    """Who may see another person's one-time link when it cannot be mailed: an administrator;
    HR only for a new account (no password yet) with no role beyond employee and supervisor.
    Resetting an existing password or handing over a committee, HR or admin account would let
    HR sign in as that person. `viewer` None: a link issued before issuers were kept."""
    if viewer is not None and viewer.has_role("admin"):
        return True
    return (viewer is None or viewer.has_role("hr")) and account.password_hash is None and account.roles <= PLAIN_ROLES


def link_delivery(issuer: Account, account: Account) -> str:
    """Where a new link for the account would go: "mail", "screen" (to the issuer) or "withheld"."""
    if mail.configured() and person_email(account):
        return "mail"
    return "screen" if may_be_shown_link(issuer, account) else "withheld"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _close_open_links(account: Account) -> list[int]:
    closed = []
    for old in db.session.scalars(select(Invitation).where(Invitation.account_id == account.id,
                                                           Invitation.used_at.is_(None))):
        old.used_at = utcnow()
        closed.append(old.id)
    return closed


def issue_sign_in_link(issuer: Account, account: Account) -> SignInLink:
    """A new single-use link for the account's owner to set their password, replacing any open
    one; the current password keeps working until the link is used. Mailed to the person when
    mail is set and they have an email; otherwise shown once to the issuer when they may see it
    (may_be_shown_link); otherwise withheld. Every outcome is audited, never with the token."""
    if "admin" in account.roles and not issuer.has_role("admin"):
        raise AuthError(_l("Only an administrator can change an administrator's account."))
    kind = "reset" if account.password_hash else "invitation"
    email = person_email(account)
    how = link_delivery(issuer, account)
    to = email if how == "mail" else issuer.username
    if how == "withheld":
        record("auth.invitation_withheld", account, kind=kind, roles=sorted(account.roles),
               reason="no mail to the person, and only an administrator may be shown this account's link")
        return SignInLink("withheld", kind=kind)
    replaced = _close_open_links(account)
    token = secrets.token_urlsafe(32)
    days = current_app.config["ETHICS_INVITATION_DAYS"]
    invitation = Invitation(account=account, token_hash=_token_hash(token), expires_at=utcnow() + timedelta(days=days),
                            delivery=how, issued_by_id=issuer.id)
    db.session.add(invitation)
    db.session.flush()
    record("auth.invitation_issued", account, invitation=invitation.id, kind=kind, delivery=how, to=to,
           expires_at=invitation.expires_at.isoformat(timespec="minutes"), replaced=replaced)
    if how == "mail":
        link = absolute_url("auth.accept_invitation", token=token)
        subject = _("Set your password") if kind == "invitation" else _("Set a new password")
        mail.queue(account, subject, _(
            "Open this link to set the password of your account %(username)s in the ethics system. It works once, "
            "for %(days)d days. Until you use it, your current password (if you have one) keeps working. If you "
            "did not expect it, ignore it and tell an administrator.\n\n%(link)s",
            username=account.username, days=days, link=link))
        return SignInLink("mail", email, kind=kind)
    return SignInLink("screen", to, token, kind)


def _unusable(invitation: Invitation | None) -> str | None:
    """Why a link cannot be used, or None."""
    if invitation is None:
        return "unknown"
    if invitation.used_at is not None:
        return "used or replaced"
    if invitation.expires_at < utcnow():
        return "expired"
    if invitation.delivery == "screen" and not may_be_shown_link(invitation.issued_by, invitation.account):
        return "the account's roles changed: its issuer may not hand it over any more"
    return None


def open_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    return None if _unusable(invitation) else invitation


def note_unusable_invitation(token: str) -> None:
    """Audit an attempt to open a link that cannot be used: unknown, used, replaced or expired."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    record("auth.invitation_refused", invitation.account if invitation else None,
           invitation=invitation.id if invitation else None, reason=_unusable(invitation) or "unknown")


def accept_invitation(token: str, new_password: str) -> Account:
    """Set the password; the link cannot be used again, even by a parallel request."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token)).with_for_update()
    )
    if invitation is None or _unusable(invitation):
        raise AuthError(LINK_NOT_VALID, field="new_password")
    account = invitation.account
    kind = "reset" if account.password_hash else "invitation"
    set_password(account, new_password)
    invitation.used_at = utcnow()
    record("auth.invitation_accepted", account, actor=account, invitation=invitation.id, kind=kind)
    _tell_owner_password_changed(account, via=f"{invitation.delivery} link")
    return account


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


def accounts_matching(text: str) -> Select:
    """Accounts by username or the linked person's name; every account for no text."""
    query = select(Account).outerjoin(Account.person)
    for word in text.split():
        like = like_pattern(word)
        query = query.where(or_(*(column.ilike(like, escape="\\") for column in (
            Account.username, Person.first_name, Person.last_name))))
    return query


def search_accounts(text: str, page: int) -> Page:
    """Accounts by username or the linked person's name, paginated in SQL."""
    return paginate(accounts_matching(text).options(joinedload(Account.person), joinedload(Account.last_sign_in))
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
