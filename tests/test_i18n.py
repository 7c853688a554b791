from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_has_a_thai_translation(tmp_path):
    """Extract the messages afresh, so a text added without a translation fails here."""
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "--no-location", "."],
                   cwd=ROOT, check=True, capture_output=True)
    extracted = {message.id for message in read_po(pot.open("rb")) if message.id}
    catalogue = read_po((ROOT / "translations/th/LC_MESSAGES/messages.po").open("rb"))
    translated = {message.id for message in catalogue
                  if message.id and all(message.string if isinstance(message.string, tuple) else [message.string])
                  and "fuzzy" not in message.flags}
    assert sorted(extracted - translated, key=str) == []


def test_thai_is_the_default_and_english_is_remembered(client):
    assert 'lang="th"' in client.get("/login").text
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Max-Age=31536000" in response.headers["Set-Cookie"]
    page = client.get("/login").text
    assert 'lang="en"' in page and "Sign in" in page
    client.post("/language", data={"lang": "th", "next": "/login"})
    assert "เข้าสู่ระบบ" in client.get("/login").text


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(client):
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert "Set-Cookie" not in response.headers


def test_dates_show_in_buddhist_era_in_thai_and_common_era_in_english(client, auth, org):
    person = org["people"]["inside"]
    person.service_start_date = date(2026, 11, 26)
    from ethics.core.extensions import db

    db.session.commit()
    auth.login("hr")
    assert "26 พ.ย. 2569" in client.get(f"/people/{person.id}").text
    client.set_cookie("ethics_lang", "en")
    assert "26 Nov 2026" in client.get(f"/people/{person.id}").text


def test_resolved_texts_follow_the_language_they_are_asked_in(app):
    """Memoised per request, but per language too: a PDF rendered in English inside a Thai request
    must not take the Thai words remembered a moment before."""
    from flask_babel import force_locale

    from ethics.core.i18n import resolved
    from ethics.survey.results import LEVEL_NAMES

    with app.test_request_context(headers={"Cookie": "ethics_lang=th"}):
        thai = resolved(LEVEL_NAMES)
        with force_locale("en"):
            english = resolved(LEVEL_NAMES)
        assert english == ["Lowest", "Low", "Moderate", "High", "Highest"]
        assert thai == ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"] and resolved(LEVEL_NAMES) is thai
