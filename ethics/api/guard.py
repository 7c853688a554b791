"""Who is asking the API: the bearer token, never the session cookie.

Every use is rate-limited per token (bad tokens per address, to slow guessing) and written to
the audit log under the token's name, in one short transaction with the token's lookup, before
the answer is built. The counters live in Redis when ETHICS_REDIS_URL is set and in memory otherwise, like the
sign-in counters (ethics/auth/throttle.py).
"""
from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps

from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext as _l
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import text, update

from ethics.api import tokens
from ethics.api.models import ApiToken
from ethics.audit.services import record, record_many
from ethics.core.database import write_transaction
from ethics.core.extensions import db
from ethics.core.fiscal import utc_now

LAST_USED_STEP = timedelta(minutes=1)
LOGGED_ARGS = ("page", "per_page", "fiscal_year")  # only these: nothing a caller types reaches the log


def init_app(app: Flask) -> None:
    """A fixed window: one counter per token and minute, cheap enough for every request."""
    for name in ("ETHICS_API_RATE_LIMIT", "ETHICS_API_BAD_TOKEN_LIMIT"):
        parse(app.config[name])  # a bad setting stops the start, not a request
    storage = storage_from_string(app.config.get("ETHICS_REDIS_URL") or "memory://")
    app.extensions["ethics_api_limiter"] = FixedWindowRateLimiter(storage)


def _limiter() -> FixedWindowRateLimiter:
    return current_app.extensions["ethics_api_limiter"]


def _too_many(limit: RateLimitItem, *keys: str) -> tokens.TokenRefused:
    reset_at = _limiter().get_window_stats(limit, *keys).reset_time
    wait = max(1, int(reset_at - time.time()) + 1)
    return tokens.TokenRefused(_l("Too many requests. Please wait a while and try again."), status=429,
                               headers={"Retry-After": str(wait)})


def _unauthorised(reason: str) -> tokens.TokenRefused:
    """A missing, unknown, expired or revoked token: counted against the address, and audited."""
    address = request.remote_addr or "unknown"
    limit = parse(current_app.config["ETHICS_API_BAD_TOKEN_LIMIT"])
    if not _limiter().hit(limit, "api-bad-token", address):
        return _too_many(limit, "api-bad-token", address)
    if reason != "missing":  # in the caller's transaction, beside the lookup that failed
        record("api.refused", reason=reason, path=request.path)
    return tokens.TokenRefused(_l("Send a valid token: Authorization: Bearer TOKEN."), status=401,
                               headers={"WWW-Authenticate": 'Bearer realm="api"'})


def _bearer() -> str | None:
    kind, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if kind.lower() == "bearer" and secret.strip() else None


def authorise(scope: str) -> tokens.Bearer:
    """The reader behind this request's token when it may read `scope`; else raises the refusal to answer."""
    secret = _bearer()
    if secret is None:
        raise _unauthorised("missing")
    with write_transaction(db.session):  # one transaction: the lookup and the entry that records the use
        outcome = _use(secret, scope)
    if isinstance(outcome, tokens.TokenRefused):
        raise outcome
    return outcome


def _use(secret: str, scope: str) -> tokens.Bearer | tokens.TokenRefused:
    """Look the token up, count and audit its use: the reader, or the refusal to answer."""
    now = utc_now()
    token = tokens.find(secret, now)
    if token is None:
        return _unauthorised("unknown, expired or revoked token")
    limit = parse(current_app.config["ETHICS_API_RATE_LIMIT"])
    if not _limiter().hit(limit, "api-token", str(token.token_id)):
        return _too_many(limit, "api-token", str(token.token_id))
    if db.session.get_bind().dialect.name == "postgresql":
        # A read changes nothing, so its entry need not wait for the disk: a server crash may lose the
        # last fraction of a second of them, never a change's entry nor a gap in the chain (docs/api.md).
        db.session.execute(text("SET LOCAL synchronous_commit = off"))
    refused = tokens.refusal_of(token, scope)
    details = {"token": token.token_name, "token_id": token.token_id, "scope": scope, "path": request.path}
    if refused is not None:
        record_many("api.denied", [("", "", details)], actor=token)
        return refused
    query = {k: v[:20] for k, v in request.args.items() if k in LOGGED_ARGS}
    record_many("api.read", [("", "", {**details, "query": query})], actor=token)  # plain rows: no ORM object
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
        # to the minute: the audit log has every use, the token page needs no more
        db.session.execute(update(ApiToken).where(ApiToken.id == token.token_id).values(last_used_at=now))
    return token


def token_required(scope: str):
    """Only a request with a usable token holding `scope`, whose account still has its roles."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            g.api_reader = authorise(scope)
            return view(*args, **kwargs)

        wrapped.api_scope = scope
        return wrapped

    return decorate


def reader_sees_records() -> bool:
    return bool(g.api_reader.roles.intersection(tokens.RECORD_ROLES))
