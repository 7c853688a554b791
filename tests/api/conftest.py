"""A token factory: a secret for one of `org`'s accounts with the scopes asked for."""
from __future__ import annotations

import pytest

from ethics.api import tokens
from ethics.core.extensions import db

ALL_SCOPES = tuple(tokens.SCOPES)


@pytest.fixture
def make_token(org):
    def make(role: str = "admin", scopes=ALL_SCOPES, name: str | None = None, days: int = 365) -> str:
        account = org["accounts"][role]
        allowed = [scope for scope in scopes if scope in tokens.scopes_for(account)]
        secret = tokens.issue(account, name or f"{role} {'+'.join(allowed)}", allowed, days).secret
        db.session.commit()
        return secret

    return make


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
