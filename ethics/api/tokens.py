"""Personal access tokens: issuing, revoking and checking them at every use.

A token never carries more than its account: each scope names the roles that read the same data
on the web, and both the scopes and the account's roles are checked at every use, so removing a
role (or disabling the account) takes effect on the next request.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ethics.api.models import ApiToken
from ethics.audit.services import record
from ethics.auth.models import ROLES, Account, AccountRole
from ethics.core.data_versions import Domain, cached
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now
from ethics.core.refusals import NotFound, Refusal

PREFIX = "eth_"  # lets secret scanners and people recognise a leaked token
DEFAULT_DAYS = 365
MAX_DAYS = 365

# The roles that see the same data on the web (docs/access.md): plan pages, sessions and survey
# results are HR's and the administrator's; an announcement is everyone's.
SCOPES: dict[str, tuple[str, ...]] = {
    "indicators:read": ("admin", "hr"),
    "trainings:read": ("admin", "hr"),
    "survey:read": ("admin", "hr"),
    "recognition:read": ROLES,
}
SCOPE_LABELS = {
    "indicators:read": _l("Plan, indicator values and snapshots"),
    "trainings:read": _l("Training sessions and their counts"),
    "survey:read": _l("Published survey results"),
    "recognition:read": _l("Announced award winners"),
}
# The people behind an indicator: only for accounts that open an activity's records on the web.
RECORD_ROLES = ("admin", "hr")


class TokenRefused(Refusal):
    """A token that cannot be issued as asked (422), or a request it cannot make (401, 403, 429)."""

    def __init__(self, message, field: str | None = None, status: int = 422, headers: dict | None = None):
        super().__init__(message, field)
        self.status = status
        self.headers = headers or {}


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def scopes_for(account: Account) -> list[str]:
    """The scopes this account may give a token now."""
    return [scope for scope, roles in SCOPES.items() if account.has_role(*roles)]


@dataclass
class Issued:
    token: ApiToken
    secret: str  # shown once, kept nowhere


def issue(account: Account, name: str, scopes: list[str], days: int = DEFAULT_DAYS) -> Issued:
    """A new token for `account`: refused for an empty or repeated name, an unknown scope, or a
    scope beyond the account's roles."""
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name or len(name) > 100:
        raise TokenRefused(_l("Give the token a name of 1 to 100 characters."), "name")
    if db.session.scalar(select(ApiToken.id).where(ApiToken.account_id == account.id, ApiToken.name == name)):
        raise TokenRefused(_l("You already have a token with this name."), "name")
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise TokenRefused(_l("Unknown scope: %(scope)s", scope=", ".join(unknown)), "scopes")
    if not scopes:
        raise TokenRefused(_l("Choose at least one scope."), "scopes")
    beyond = [scope for scope in scopes if scope not in scopes_for(account)]
    if beyond:
        raise TokenRefused(_l("Your roles do not allow the scope %(scope)s.", scope=", ".join(beyond)), "scopes")
    if not 1 <= days <= MAX_DAYS:
        raise TokenRefused(_l("A token lasts from 1 to %(days)d days.", days=MAX_DAYS), "days")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utc_now()
    token = ApiToken(account_id=account.id, name=name, scopes=sorted(set(scopes)), secret_hash=secret_hash(secret),
                     created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record("api.token_created", token, actor=account, name=name, scopes=token.scopes,
           expires=token.expires_at.isoformat())
    return Issued(token, secret)


def tokens_of(account: Account) -> list[ApiToken]:
    """The account's tokens, the newest first (a few per account: not paginated)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.account_id == account.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke(account: Account, token_id: int) -> ApiToken:
    """Revoke one of the account's own tokens; anyone else's is not found."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        record("api.token_revoked", token, actor=account, name=token.name)
    return token


@dataclass(frozen=True)
class Bearer:
    """A usable token and the account it reads for, as one query gives them (plain values, not ORM
    objects, so that they can be kept between requests)."""

    token_id: int
    token_name: str
    scopes: tuple[str, ...]
    last_used_at: datetime | None
    expires_at: datetime
    id: int  # the account's, so that the audit entry names it as the actor
    username: str
    roles: frozenset[str]


def find(secret: str, now: datetime) -> Bearer | None:
    """The usable token with this secret, of an active account, with the account's roles; None for
    anything else. Kept per process while the tokens and the accounts are unchanged (their data
    versions), so a revocation, a disabled account or a role removed is seen by the next request
    as before, and only the expiry, which needs no write, is checked here at every use."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    hashed = secret_hash(secret)
    found = cached(("api-token", hashed), (Domain.API, Domain.AUTH), lambda: _lookup(hashed))
    return found if found is not None and found.expires_at > now else None


def _lookup(hashed: str) -> Bearer | None:
    """One row per role (an outer join), so one statement answers."""
    rows = db.session.execute(
        select(ApiToken.id, ApiToken.name, ApiToken.scopes, ApiToken.last_used_at, ApiToken.expires_at, Account.id,
               Account.username, AccountRole.role)
        .join(Account, Account.id == ApiToken.account_id).outerjoin(AccountRole, AccountRole.account_id == Account.id)
        .where(ApiToken.secret_hash == hashed, ApiToken.revoked_at.is_(None), Account.active.is_(True))).all()
    if not rows:
        return None
    token_id, name, scopes, last_used_at, expires_at, account_id, username, _ = rows[0]
    return Bearer(token_id, name, tuple(scopes), last_used_at, expires_at, account_id, username,
                  frozenset(row.role for row in rows if row.role))


def refusal_of(bearer: Bearer, scope: str) -> TokenRefused | None:
    """Why this token may not read `scope` now (beyond its scopes, or its account's roles), or None."""
    if scope not in bearer.scopes:
        return TokenRefused(_l("This token does not have the scope %(scope)s.", scope=scope), status=403)
    if not bearer.roles.intersection(SCOPES[scope]):
        return TokenRefused(_l("The token's account no longer has a role that reads %(scope)s.", scope=scope),
                            status=403)
    return None
