"""Failed-login counters: in Redis when ETHICS_REDIS_URL is set, in memory otherwise.

Guessing is slowed without letting anyone lock a person out (OWASP ASVS 2.2.1). The address is
the client's as ProxyFix reports it: X-Forwarded-For counts only behind ETHICS_PROXY_HOPS trusted
proxies, so a forged header changes nothing.

- One address: 5 failures a minute, whatever the accounts, and that address is turned away.
- One account from one address: 20 failures an hour, and that address is turned away for that
  account only; the owner still signs in from anywhere else.
- One account from every address together: 100 failures an hour, the most ASVS allows, and then
  only browsers the account has not signed in on are turned away.
- A browser the account signed in on before carries a signed device cookie (OWASP "device
  cookies"): it is counted on its own (20 failures an hour) and none of the limits above stop it,
  so neither a guesser behind the same office address nor one spread over many addresses locks
  the owner out of their own browser.
"""
from __future__ import annotations

import secrets

from flask import Flask, Response, current_app
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

PER_ADDRESS = parse("5/minute")
PER_ACCOUNT_AND_ADDRESS = parse("20/hour")
PER_ACCOUNT = parse("100/hour")
PER_DEVICE = parse("20/hour")

DEVICE_COOKIE = "ethics_device"
DEVICE_DAYS = 180


def init_app(app: Flask) -> None:
    storage = storage_from_string(app.config.get("ETHICS_REDIS_URL") or "memory://")
    app.extensions["ethics_login_limiter"] = MovingWindowRateLimiter(storage)


def _limiter() -> MovingWindowRateLimiter:
    return current_app.extensions["ethics_login_limiter"]


def blocked_by(address: str, username: str, device: str | None = None) -> str | None:
    """The limit that turns this attempt away ("device", "address", "account and address",
    "account"), or None."""
    limiter, user = _limiter(), username.lower()
    if device:
        return None if limiter.test(PER_DEVICE, "login-device", user, device) else "device"
    if not limiter.test(PER_ADDRESS, "login-address", address):
        return "address"
    if not limiter.test(PER_ACCOUNT_AND_ADDRESS, "login-account-address", user, address):
        return "account and address"
    if not limiter.test(PER_ACCOUNT, "login-account", user):
        return "account"
    return None


def count_failure(address: str, username: str, device: str | None = None) -> None:
    limiter, user = _limiter(), username.lower()
    if device:
        limiter.hit(PER_DEVICE, "login-device", user, device)
        return
    limiter.hit(PER_ADDRESS, "login-address", address)
    limiter.hit(PER_ACCOUNT_AND_ADDRESS, "login-account-address", user, address)
    limiter.hit(PER_ACCOUNT, "login-account", user)


def reset() -> None:
    _limiter().storage.reset()


# --- device cookies ------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="ethics-login-device")  # type: ignore[arg-type]


def known_device(cookie: str | None, username: str) -> str | None:
    """The device's id when the cookie is genuine and was given to this username's account."""
    if not cookie or not username:
        return None
    try:
        user, device = _serializer().loads(cookie)
    except (BadSignature, ValueError, TypeError):
        return None
    return device if isinstance(device, str) and user == username.strip().lower() else None


def remember_device(response: Response, username: str, cookie: str | None) -> None:
    """After a successful sign-in: keep the browser's cookie when it is this account's, else give one."""
    if known_device(cookie, username):
        return
    value = _serializer().dumps([username.strip().lower(), secrets.token_urlsafe(16)])
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_DAYS * 86400, path="/login", httponly=True,
                        samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
