"""What a request may carry, checked before any view runs: no NUL byte anywhere (PostgreSQL
cannot store one, so it must never reach a query), years that exist, ids that fit the id
columns, and redirects that stay on this site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, request, url_for
from werkzeug.routing import BaseConverter, IntegerConverter, ValidationError

from ethics.core.fiscal import YEARS
from ethics.core.text import has_hidden_characters


class YearConverter(BaseConverter):
    """`<year:fiscal_year>`: a Buddhist Era year the application deals in; any other is not found."""

    regex = r"\d{4}"

    def to_python(self, value: str) -> int:
        if int(value) not in YEARS:
            raise ValidationError()
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class IdConverter(IntegerConverter):
    """`<int:...>`: an id that fits the id columns (INTEGER: 32 bits on PostgreSQL), so a forged
    huge one is not found (404) rather than an error from the database."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def year_arg(default: int, name: str = "fy") -> int:
    """A year from the query string; one that is not a year the application deals in is not found."""
    given = request.args.get(name)
    if given is None:
        return default
    if not given.isdigit() or int(given) not in YEARS:
        abort(404)
    return int(given)


def local_path(target: str | None) -> str:
    """`target` when it is a path on this site, else the home page. Browsers drop tabs and line
    breaks from a URL, so "/\\t/evil.example" is "//evil.example": those count against it too."""
    if not target or has_hidden_characters(target) or "\\" in target:
        return url_for("home.index")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return url_for("home.index")
    return target


def _refuse_nul_bytes() -> None:
    values = [request.path, *request.args.values(), *request.form.values(), *request.args.keys(), *request.form.keys()]
    if any("\x00" in value for value in values):
        abort(400)


def init_app(app: Flask) -> None:
    app.url_map.converters["year"] = YearConverter
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_nul_bytes)
