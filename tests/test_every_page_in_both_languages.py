"""Every page, in Thai and in English, as an administrator and as HR: a Thai page shows no English
built-in message (WTForms', Flask-WTF's) and asks for no text the Thai catalogue lacks.

Pages are the GET routes, and the POST routes sent empty, which answer with their forms' refusals."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import Domain

from tests.test_access_matrix import read_matrix, signed_in, url_for_route, world  # noqa: F401  # fixture

CATALOGUE = Path(__file__).resolve().parent.parent / "translations" / "th" / "LC_MESSAGES" / "messages.po"
# The beginnings of WTForms' and Flask-WTF's own messages, as they read untranslated.
BUILT_IN_ENGLISH = ("This field is required", "Not a valid", "Invalid", "Field must be", "Field cannot be",
                    "Number must be", "Date must be", "CSRF", "The CSRF token", "File does not have",
                    "Choices cannot be", "This field cannot", "This field is disabled")
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "value", "data-confirm")


class ShownText(HTMLParser):
    """What a reader sees or hears of a page: its text and its labelling attributes, no markup."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def shown_text(html: str) -> str:
    parser = ShownText()
    parser.feed(html)
    return "\n".join(parser.parts)


def untranslated_msgids() -> set[str]:
    with CATALOGUE.open("rb") as po:
        return {message.id for message in read_po(po) if isinstance(message.id, str) and message.id
                and not message.string}


@pytest.fixture
def asked_untranslated(monkeypatch) -> set[str]:
    """Every text asked of the Thai catalogue that it does not have (in Python or in a template)."""
    missing: set[str] = set()
    original = Domain.get_translations

    class Recording:
        def __init__(self, translations):
            self.translations = translations

        def __getattr__(self, name):
            return getattr(self.translations, name)

        def _note(self, key, text):
            if key not in self.translations._catalog:
                missing.add(text)

        def ugettext(self, text):
            self._note(text, text)
            return self.translations.ugettext(text)

        gettext = ugettext

        def ungettext(self, singular, plural, n):
            self._note((singular, 0), singular)
            return self.translations.ungettext(singular, plural, n)

        ngettext = ungettext

        def upgettext(self, context, text):
            self._note(f"{context}\x04{text}", text)
            return self.translations.upgettext(context, text)

        def unpgettext(self, context, singular, plural, n):
            self._note((f"{context}\x04{singular}", 0), singular)
            return self.translations.unpgettext(context, singular, plural, n)

    def recording(domain):
        translations = original(domain)
        return Recording(translations) if hasattr(translations, "_catalog") and translations._catalog else translations

    monkeypatch.setattr(Domain, "get_translations", recording)
    return missing


def pages(app, world, role, language):  # noqa: F811
    """(route, body) of every page `role` may open, then of every form it may send, sent empty."""
    matrix = read_matrix()
    client = signed_in(app, role)
    client.set_cookie("ethics_lang", language)
    for (endpoint, method), allowed in sorted(matrix.items()):
        if method == "GET" and allowed[role] == "✓":
            response = client.get(url_for_route(app, endpoint, role, world))
            assert response.status_code < 500, endpoint
            if response.mimetype == "text/html":
                yield endpoint, response.text
    for (endpoint, method), allowed in sorted(matrix.items()):
        if method == "POST" and allowed[role] == "✓" and endpoint not in ("auth.logout", "home.language"):
            poster = signed_in(app, role)
            poster.set_cookie("ethics_lang", language)
            response = poster.post(url_for_route(app, endpoint, role, world), data={})
            assert response.status_code < 500, endpoint
            if response.mimetype == "text/html" and response.status_code != 302:
                yield f"{endpoint} (POST)", response.text


@pytest.mark.parametrize("role", ["admin", "hr"])
def test_no_thai_page_shows_english_built_in_text_or_asks_for_a_missing_translation(app, world, role,  # noqa: F811
                                                                                     asked_untranslated):
    empty = untranslated_msgids()
    english, untranslated, seen = {}, {}, 0
    for route, html in pages(app, world, role, "th"):
        seen += 1
        text = shown_text(html)
        if found := [phrase for phrase in BUILT_IN_ENGLISH if phrase in text]:
            english[route] = found
        if found := sorted(msgid for msgid in empty if msgid in text):
            untranslated[route] = found
    assert seen > 60  # the walk reached the app's pages
    assert english == {}, english
    assert untranslated == {}, untranslated
    assert not asked_untranslated, f"asked of the Thai catalogue, which lacks them: {sorted(asked_untranslated)}"


def test_english_pages_answer_and_keep_english_built_in_messages(app, world):  # noqa: F811
    posted = dict(pages(app, world, "admin", "en"))
    assert len(posted) > 60
    assert any("This field is required." in shown_text(html) for html in posted.values())
