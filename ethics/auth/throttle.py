"""Failed-login counters: in Redis when ETHICS_REDIS_URL is set, in memory otherwise."""
from __future__ import annotations

from flask import Flask, current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

PER_ADDRESS = parse("5/minute")
PER_ACCOUNT = parse("20/hour")


def init_app(app: Flask) -> None:
    storage = storage_from_string(app.config.get("ETHICS_REDIS_URL") or "memory://")
    app.extensions["ethics_login_limiter"] = MovingWindowRateLimiter(storage)


def _limiter() -> MovingWindowRateLimiter:
    return current_app.extensions["ethics_login_limiter"]


def is_blocked(address: str, username: str) -> bool:
    limiter = _limiter()
    return not (
        limiter.test(PER_ADDRESS, "login-address", address)
        and limiter.test(PER_ACCOUNT, "login-account", username.lower())
    )


def count_failure(address: str, username: str) -> None:
    limiter = _limiter()
    limiter.hit(PER_ADDRESS, "login-address", address)
    limiter.hit(PER_ACCOUNT, "login-account", username.lower())


def reset() -> None:
    _limiter().storage.reset()
