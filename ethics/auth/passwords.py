"""Password policy and hashing (argon2id), with old hashes upgraded at login.

argon2-cffi's defaults (argon2id, 64 MiB, t=3) exceed ASVS appendix C; Werkzeug's default
scrypt parameters do not, so such hashes are verified once and replaced.

The parameters are argon2-cffi's defaults unless the app is created with `ETHICS_PASSWORD_HASHER`
in its config mapping (the test suite's cheap ones: a sign-in there would otherwise cost a tenth
of a second of both cores). No environment variable sets it, so a deployment cannot lower them.
"""
from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, has_app_context
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128
DEFAULT_HASHER = PasswordHasher()


def init_app(app: Flask) -> None:
    if parameters := app.config.get("ETHICS_PASSWORD_HASHER"):
        app.extensions["ethics_password_hasher"] = PasswordHasher(**parameters)


def _hasher() -> PasswordHasher:
    return current_app.extensions.get("ethics_password_hasher", DEFAULT_HASHER) if has_app_context() else DEFAULT_HASHER


@cache
def _common_passwords() -> frozenset[str]:
    """zxcvbn ships a ranked list of the 30,000 most common leaked passwords."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def policy_problem(password: str, username: str = ""):
    """The reason a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_LENGTH)
    if password.lower() in _common_passwords() or (username and password.lower() == username.lower()):
        return _l("This password is too common or easy to guess. Choose another.")
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Check a password; also return a replacement hash when the stored one is outdated."""
    if not stored_hash:
        return False, None
    if not stored_hash.startswith("$argon2"):
        ok = check_password_hash(stored_hash, password)
        return ok, (hash_password(password) if ok else None)
    hasher = _hasher()
    try:
        hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, (hash_password(password) if hasher.check_needs_rehash(stored_hash) else None)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not-a-real-password")


def burn_time(password: str) -> None:
    """Spend as long as a real check so an unknown username is not told apart by timing."""
    verify(_dummy_hash(_hasher()), password)
