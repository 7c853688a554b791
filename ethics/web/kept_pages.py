"""Pages kept per reader while the data they show is unchanged (see ethics.core.data_versions)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from flask import Response, g, make_response, request, session
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ethics.core.data_versions import Domain, cached
from ethics.core.i18n import current_locale

CSRF_PLACEHOLDER = b"\x00csrf\x00"  # cannot occur in rendered HTML, so replacing it is exact
HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target")


class _NotKept(Exception):
    def __init__(self, response: Response):
        super().__init__()
        self.response = response


def cached_page(*depends_on: Domain, day: Callable[[], date] | None = None):
    """Keep a page's HTML per reader, path, form and locale while the domains it shows and the
    accounts (the layout's menu) and the organisation (its header and footer) are unchanged. The
    reader's CSRF token is taken out of what is kept and the current one put back, so a kept page
    never carries a stale or foreign token.
    Only the body and its type are kept: for views that answer with a rendered page that depends
    on the data and the reader, never on the clock (nothing raises a version at midnight): a page
    that follows the date passes `day`, the view's own today, and is kept per day."""
    domains_shown = tuple(sorted({Domain.AUTH, Domain.ORGANISATION, *depends_on}))

    def decorate(view):
        @wraps(view)
        def wrapped(**kwargs):
            if "_flashes" in session:  # a message to show once: render the page afresh
                return view(**kwargs)
            key = ("page", request.endpoint, request.full_path, current_user.get_id(), current_locale(),
                   tuple(sorted((k, v) for k, v in request.form.items(multi=True) if k != "csrf_token")),
                   tuple(request.headers.get(h) for h in HTMX_HEADERS), day() if day else None)
            try:
                body, mimetype = cached(key, domains_shown, lambda: _page_to_keep(view, kwargs))
            except _NotKept as refused:  # a refusal, a redirect, a page with a message: as it came
                return refused.response
            return Response(body.replace(CSRF_PLACEHOLDER, generate_csrf().encode()), mimetype=mimetype)

        return wrapped

    return decorate


def _page_to_keep(view, kwargs) -> tuple[bytes, str]:
    response = make_response(view(**kwargs))
    if response.status_code != 200 or response.is_streamed or request_ctx.flashes:  # messages show once
        raise _NotKept(response)
    body = response.get_data()  # kept encoded: bytes replace and send far faster than Thai text
    token = g.get("csrf_token")
    return (body.replace(token.encode(), CSRF_PLACEHOLDER) if token else body), response.mimetype or "text/html"
