"""Thai by default, English on a switch remembered in a cookie; BE dates in templates."""
from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import get_locale

from ethics import fiscal
from ethics.extensions import babel

LOCALES = ("th", "en")
LOCALE_COOKIE = "ethics_lang"


def select_locale() -> str:
    """The cookie's choice, Thai by default; English outside requests (CLI output for scripts)."""
    if not has_request_context():
        return "en"
    chosen = request.cookies.get(LOCALE_COOKIE)
    return chosen if chosen in LOCALES else "th"


def current_locale() -> str:
    return str(get_locale() or "th")


def thai_date(day, thai_digits: bool = False) -> str:
    return fiscal.format_date(day, current_locale(), thai_digits)


def init_app(app: Flask) -> None:
    from ethics import PROJECT_ROOT

    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )
    app.jinja_env.filters["thai_date"] = thai_date
    app.jinja_env.filters["input_date"] = fiscal.format_input_date
    app.jinja_env.filters["thai_date_long"] = fiscal.format_date_long
    app.jinja_env.globals["current_locale"] = current_locale
