"""Who is asking the API: the bearer token, never the session cookie.

Every use is rate-limited per token (bad tokens per address, to slow guessing) and written to
the audit log under the token's name once the answer is built and before it leaves: on
PostgreSQL in the transaction the request read in, on SQLite in a short one of its own. A
refusal is written before it is answered. The counters live in Redis when ETHICS_REDIS_URL is
set and in memory otherwise, like the sign-in counters (ethics/auth/throttle.py).
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
from sqlalchemy import update

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
    if reason != "missing":
        with write_transaction(db.session):
            record("api.refused", reason=reason, path=request.path)
    return tokens.TokenRefused(_l("Send a valid token: Authorization: Bearer TOKEN."), status=401,
                               headers={"WWW-Authenticate": 'Bearer realm="api"'})


def _bearer() -> str | None:
    kind, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if kind.lower() == "bearer" and secret.strip() else None


def admit(scope: str) -> tokens.Bearer:
    """The reader behind this request's token when it may read `scope`, looked up in the request's
    own transaction; else the refusal to answer, raised once it is audited."""
    secret = _bearer()
    if secret is None:
        raise _unauthorised("missing")
    token = tokens.find(secret, utc_now())
    if token is None:
        raise _unauthorised("unknown, expired or revoked token")
    limit = parse(current_app.config["ETHICS_API_RATE_LIMIT"])
    if not _limiter().hit(limit, "api-token", str(token.token_id)):
        raise _too_many(limit, "api-token", str(token.token_id))
    if (refused := tokens.refusal_of(token, scope)) is not None:
        with write_transaction(db.session):
            record_many("api.denied", [("", "", _details(token, scope))], actor=token)
        raise refused
    return token


def _details(token: tokens.Bearer, scope: str) -> dict:
    return {"token": token.token_name, "token_id": token.token_id, "scope": scope, "path": request.path}


def note_use(token: tokens.Bearer, scope: str, answered: bool) -> None:
    """Write the use's entry (and, to the minute, the token's last use) before the answer leaves.
    On PostgreSQL an answered request writes it in the transaction it read in, and a transaction
    that writes the entry alone does not wait for the disk to commit (docs/api.md). One that also
    writes the last use does: it raises the tokens' data version, which a crash must not undo
    (a version number used twice would bring back a lookup kept before a revocation)."""
    now = utc_now()
    query = {k: v[:20] for k, v in request.args.items() if k in LOGGED_ARGS}
    # The last use to the minute: the audit log has every use, the tokens page needs no more.
    stamp = token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP
    with write_transaction(db.session, continue_reads=answered):
        record_many("api.read", [("", "", {**_details(token, scope), "query": query})], actor=token,
                    durable=stamp)
        if stamp:
            db.session.execute(update(ApiToken).where(ApiToken.id == token.token_id).values(last_used_at=now))


def token_required(scope: str):
    """Only a request with a usable token holding `scope`, whose account still has its roles; its
    entry is written once the answer is built, so a read and its entry take one transaction."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            g.api_reader = reader = admit(scope)
            try:
                answer = view(*args, **kwargs)
            except Exception:
                note_use(reader, scope, answered=False)
                raise
            note_use(reader, scope, answered=True)
            return answer

        wrapped.api_scope = scope
        return wrapped

    return decorate


def reader_sees_records() -> bool:
    return bool(g.api_reader.roles.intersection(tokens.RECORD_ROLES))
