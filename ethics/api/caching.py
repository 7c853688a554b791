"""ETag and Last-Modified for the API from the data versions (ethics/core/data_versions.py):
a poller asking "changed since?" is answered 304 before anything is computed, and an answer
is computed once per process while the domains it shows are unchanged."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from flask import Response, request
from marshmallow import Schema
from werkzeug.http import http_date

from ethics.core.data_versions import Domain, cached, versions_of
from ethics.core.fiscal import utc_now


def conditional(depends_on: tuple[Domain, ...], schema: type[Schema], compute: Callable[[], dict], private: bool = False):
    """The JSON of what `compute()` gives, dumped through `schema` (the one the document names) and
    kept while `depends_on` is unchanged, or 304 Not Modified when the client's ETag (or
    Last-Modified) is still current. Headers go on either answer."""
    versions = versions_of(depends_on)
    tag = hashlib.sha256(repr((request.path, sorted(request.args.items(multi=True)), versions)).encode()).hexdigest()[:32]
    # When this process first saw these versions: never earlier than the change it reflects.
    seen = cached(("api-seen", depends_on), depends_on, lambda: utc_now().replace(microsecond=0))
    headers = {"ETag": f'"{tag}"', "Last-Modified": http_date(seen),
               "Cache-Control": "private, no-cache" if not private else "no-store"}
    if request.if_none_match:
        if request.if_none_match.contains(tag):
            return Response(status=304, headers=headers)
    elif request.if_modified_since and request.if_modified_since.replace(tzinfo=None) >= seen:
        return Response(status=304, headers=headers)
    body = cached(("api", request.path, tuple(sorted(request.args.items(multi=True)))), depends_on,
                  lambda: (json.dumps(schema().dump(compute()), ensure_ascii=False).encode(), "application/json"))
    return Response(body[0], mimetype=body[1], headers=headers)
