"""Absolute links, for what leaves the browser (a certificate's verification line and QR code,
mail, calendar files): built from ETHICS_BASE_URL, never from a request's Host header, which
whoever sends the request chooses."""
from __future__ import annotations

from flask import current_app, has_request_context, url_for

DEVELOPMENT_SERVER = "http://127.0.0.1:5000"  # where `make run` serves


def absolute_url(endpoint: str, **values) -> str:
    """The page's address under ETHICS_BASE_URL (required in production); without it, in
    development, the address the development server was reached at, or `make run`'s own
    address for what the worker writes outside any request."""
    base = current_app.config.get("ETHICS_BASE_URL")
    if not has_request_context():
        with current_app.test_request_context(base_url=base or DEVELOPMENT_SERVER):
            return url_for(endpoint, _external=True, **values)
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
