"""Absolute links, for what leaves the browser (a certificate's verification line and QR code,
mail, calendar files): built from ETHICS_BASE_URL, never from a request's Host header, which
whoever sends the request chooses."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

DEVELOPMENT_SERVER = "http://127.0.0.1:5000"  # where `make run` serves


def absolute_url(endpoint: str, **values) -> str:
    """The page's address under ETHICS_BASE_URL (required in production); without it, in
    development, the address the development server was reached at, or `make run`'s own
    address for what the worker writes outside any request."""
    base = current_app.config.get("ETHICS_BASE_URL")
    if not has_request_context():
        # Built on the URL map alone: a request context would run the app's request hooks here.
        site = urlsplit(base or DEVELOPMENT_SERVER)
        adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
        return adapter.build(endpoint, values, force_external=True)
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
