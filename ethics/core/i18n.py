"""Thai by default, English on a switch remembered in a cookie (and on the account, by auth,
which applies it at sign-in); BE dates in templates; WTForms' own messages translated."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from functools import cache

from babel.support import NullTranslations, Translations
from blinker import Namespace
from flask import Flask, Response, g, has_app_context, has_request_context, request
from flask_babel import get_locale, get_translations

from ethics.core import fiscal
from ethics.core.config import PROJECT_ROOT
from ethics.core.extensions import babel

LOCALES = ("th", "en")
LOCALE_COOKIE = "ethics_lang"
# Sent with the signed-in account and the chosen locale: auth, above this layer, keeps it.
locale_chosen = Namespace().signal("locale-chosen")


def select_locale() -> str:
    """The cookie's choice, Thai by default; English outside requests (CLI output for scripts)."""
    if not has_request_context():
        return "en"
    chosen = request.cookies.get(LOCALE_COOKIE)
    return chosen if chosen in LOCALES else "th"


def keep_locale(response: Response, locale: str) -> None:
    """Remember the language in this browser for a year; it needs no account, so the login page has it."""
    response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                        secure=request.is_secure)


def current_locale() -> str:
    return str(get_locale() or "th")


def _translations():
    """Flask-Babel's catalogue lookup, remembered while the locale stays the same object: a
    500-row roster asks for it some 12,000 times, and each lookup costs about 40 µs."""
    locale = get_locale()
    memo = g.get("_translations")
    if memo is None or memo[0] is not locale:
        memo = g._translations = (locale, get_translations())
    return memo[1]


def resolved(texts: Sequence) -> list[str]:
    """A constant sequence of lazy strings in the reader's language, resolved once per request (or
    app context) and language: a results page writes a level for each of hundreds of units, and
    each lazy string resolved through Flask-Babel costs tens of µs."""
    if not has_app_context():
        return [str(text) for text in texts]
    memo = g.setdefault("_resolved", {})
    key = (id(texts), current_locale())
    kept = memo.get(key)
    if kept is None or kept[0] is not texts:  # (an id can be reused once its sequence is gone)
        kept = memo[key] = (texts, [str(text) for text in texts])
    return kept[1]


@cache
def _form_catalogue(locale: str) -> NullTranslations:
    return Translations.load(str(PROJECT_ROOT / "translations"), [locale], domain="wtforms")


class FormTranslations:
    """WTForms' and Flask-WTF's own messages ("This field is required.") in the reader's
    language. WTForms ships no Thai catalogue and Flask-WTF looks only in WTForms' folder, so
    every form takes ours (translations/<locale>/LC_MESSAGES/wtforms.po) through TranslatedMeta."""

    def gettext(self, string: str) -> str:
        return _form_catalogue(current_locale()).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _form_catalogue(current_locale()).ungettext(singular, plural, n)


FORM_TRANSLATIONS = FormTranslations()


class TranslatedMeta:
    """The `Meta` of every form and sub-form: WTForms asks it for the catalogue of its messages."""

    def get_translations(self, form) -> FormTranslations:
        return FORM_TRANSLATIONS


class NamedInTwoLanguages:
    """A record with a Thai name and an optional English one (a unit, the organisation)."""

    name_th: str
    name_en: str

    def name(self, locale: str = "th") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_th


class InReadersLanguage:
    """Words written out only when they are read, in the language they are read in: a mail's lazy
    message is rendered in its recipient's language, not the language of the request that queued
    it, so a date or a course title put into it must wait until then."""

    def __init__(self, write: Callable[[str], str]):
        self._write = write

    def __str__(self) -> str:
        return self._write(current_locale())


def readers_date(day: date) -> InReadersLanguage:
    return InReadersLanguage(lambda locale: fiscal.format_date(day, locale))


def readers_moment(stored: datetime) -> InReadersLanguage:
    """A stored UTC timestamp as the reader's date and Bangkok time."""
    return InReadersLanguage(lambda locale: fiscal.format_moment(fiscal.to_local(stored), locale))


def readers_time_range(starts: time, ends: time) -> InReadersLanguage:
    return InReadersLanguage(lambda locale: fiscal.format_time_range(starts, ends, locale))


def readers_title(record) -> InReadersLanguage:
    """A course's (or any record's) `title(locale)`: its English title for English readers when it has one."""
    return InReadersLanguage(record.title)


def thai_date(day, thai_digits: bool = False) -> str:
    return fiscal.format_date(day, current_locale(), thai_digits)


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PROJECT_ROOT / "translations"),
    )
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters["thai_date"] = thai_date
    app.jinja_env.filters["input_date"] = lambda day: fiscal.format_input_date(day, current_locale())
    app.jinja_env.filters["clock"] = lambda moment, seconds=False: fiscal.format_time(moment, current_locale(), seconds)
    app.jinja_env.filters["clock_range"] = lambda starts, ends: fiscal.format_time_range(starts, ends, current_locale())
    app.jinja_env.filters["thai_date_long"] = fiscal.format_date_long
    app.jinja_env.filters["local"] = fiscal.to_local
    app.jinja_env.globals["current_locale"] = current_locale
