"""Thai pages are Thai to the last message (WTForms' own included), English pages show the English
values that exist, and the language chosen is kept on the account, for its next sign-in anywhere."""
from __future__ import annotations

import contextvars
import re
from pathlib import Path

from babel.messages.pofile import read_po
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ethics.auth import services as auth_services
from ethics.auth.models import Account
from ethics.core.extensions import db
from tests.conftest import PASSWORD
from tests.plan.test_plan import demo  # noqa: F401  # fixture
from tests.test_every_page_in_both_languages import shown_text

ROOT = Path(__file__).resolve().parent.parent


def installed(package: str) -> Path:
    module = __import__(package)
    return Path(module.__file__).parent


def translated(po_path: Path) -> set[str]:
    with po_path.open("rb") as po:
        return {message.id if isinstance(message.id, str) else message.id[0] for message in read_po(po)
                if message.id and all(message.string if isinstance(message.string, tuple) else [message.string])}


# --- WTForms' and Flask-WTF's own messages -------------------------------------------------

def test_our_catalogue_translates_every_message_wtforms_and_flask_wtf_ship():
    with (installed("wtforms") / "locale" / "wtforms.pot").open("rb") as pot:
        shipped = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    flask_wtf_files = (installed("flask_wtf") / "file.py").read_text()
    shipped |= set(re.findall(r'gettext\(\s*"([^"]+)"', flask_wtf_files))  # FileRequired, FileAllowed
    assert shipped - translated(ROOT / "translations/th/LC_MESSAGES/wtforms.po") == set()


def test_form_messages_follow_the_readers_language(client, auth, org):
    auth.login("hr")
    thai = client.post("/training/courses/new", data={}).text
    assert "ต้องระบุช่องนี้" in thai and "This field is required" not in thai
    not_a_number = client.post("/recognition/rounds/new", data={"year": "abc"}).text
    assert "ต้องเป็นจำนวนเต็ม" in not_a_number and "Not a valid integer" not in not_a_number
    client.set_cookie("ethics_lang", "en")
    assert "This field is required." in client.post("/training/courses/new", data={}).text


def test_sub_forms_take_the_same_catalogue(app):
    """A round's criteria are a plain WTForms sub-form: its messages are translated all the same."""
    from ethics.recognition.forms import CriterionForm

    def first_error(language: str) -> str:
        with app.test_request_context(headers={"Cookie": f"ethics_lang={language}"}):
            form = CriterionForm(formdata=MultiDict({"min_score": "x"}))
            assert not form.validate()
            return form.min_score.errors[0]

    # Each in a context of its own, as a request has: the test's app context would keep the first locale.
    assert contextvars.Context().run(first_error, "th") == "ต้องเป็นจำนวนเต็ม"
    assert contextvars.Context().run(first_error, "en") == "Not a valid integer value."


def test_a_form_sent_without_its_token_is_refused_in_thai(app, org):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post("/login", data={"username": "hr", "password": PASSWORD})
    assert response.status_code == 400
    assert "แบบฟอร์มหมดอายุ" in response.text and "CSRF token" not in response.text


# --- the language kept per account ----------------------------------------------------------

def sign_in(app, username="hr"):
    browser = app.test_client()
    response = browser.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return browser, response


def language_cookie(response) -> str | None:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("ethics_lang=")]
    return found[0].split(";")[0].split("=")[1] if found else None


def test_the_language_chosen_follows_the_account_to_another_browser(app, org):
    account = org["accounts"]["hr"]
    version = account.version
    first, _ = sign_in(app)
    first.post("/language", data={"lang": "en", "next": "/"})
    db.session.expire_all()
    assert account.locale == "en"
    assert account.version == version  # not an edit: an administrator editing the account meanwhile is not refused

    other = app.test_client()  # another browser, Thai until its owner signs in
    assert 'lang="th"' in other.get("/login").text
    response = other.post("/login", data={"username": "hr", "password": PASSWORD})
    assert language_cookie(response) == "en"
    assert 'lang="en"' in other.get("/").text

    other.post("/language", data={"lang": "th", "next": "/"})
    _, again = sign_in(app)
    assert language_cookie(again) == "th"


def test_an_account_that_never_chose_keeps_the_browsers_language(app, org):
    browser = app.test_client()
    browser.set_cookie("ethics_lang", "en")
    response = browser.post("/login", data={"username": "hr", "password": PASSWORD})
    assert language_cookie(response) is None
    assert 'lang="en"' in browser.get("/").text


def test_choosing_a_language_signed_out_changes_no_account(client, org):
    assert client.post("/language", data={"lang": "en", "next": "/login"}).status_code == 302
    assert db.session.scalars(select(Account.locale).where(Account.locale.is_not(None))).all() == []


def test_remember_locale_writes_only_the_locale(app, org):
    account = org["accounts"]["employee"]
    version = account.version
    auth_services.remember_locale(account, "en")
    db.session.commit()
    db.session.expire_all()
    assert (account.locale, account.version) == ("en", version)


# --- English values on English pages --------------------------------------------------------

def test_english_pages_name_units_in_english(client, auth, org):
    dev = org["units"]["dev"]
    dev.name_en = "Development Centre"
    db.session.commit()
    auth.login("admin")
    pages = ("/people", f"/people/{org['people']['boss'].id}", f"/accounts/{org['accounts']['employee'].id}")
    for url in pages:
        assert "ศูนย์พัฒนา" in client.get(url).text, url
    client.set_cookie("ethics_lang", "en")
    for url in pages:
        page = client.get(url).text
        assert "Development Centre" in page and "ศูนย์พัฒนา" not in page, url


def test_the_plan_dashboard_names_units_and_morale_dimensions_in_the_readers_language(client, auth, demo):  # noqa: F811
    auth.login("hr", "ethics-demo")
    thai = client.get("/plan/2551").text
    assert "ค่าตอบแทนและสวัสดิการ" in thai and "Pay and benefits" not in thai
    client.set_cookie("ethics_lang", "en")
    english = client.get("/plan/2551").text
    assert "Pay and benefits" in english and "ค่าตอบแทนและสวัสดิการ" not in english
    shown_units = re.findall(r'<p class="bar-row"><small>([^<]+)</small><svg', english)
    assert shown_units and all(re.fullmatch(r"[\x00-\x7f]+", name) for name in shown_units), shown_units


def test_survey_campaigns_list_says_when_answers_are_taken(client, auth, org):
    from datetime import date

    from ethics.survey import campaigns

    campaigns.create(campaigns.CampaignData(2570, "ขวัญกำลังใจ", date(2026, 11, 1), date(2026, 12, 31)))
    db.session.commit()
    auth.login("hr")
    assert "วันที่อบรม" not in client.get("/survey/campaigns").text  # a survey is no training
    client.set_cookie("ethics_lang", "en")
    page = client.get("/survey/campaigns").text
    headings = re.findall(r"<th[^>]*>([^<]+)</th>", page)
    assert "Open for answers" in headings and "Dates" not in headings


# --- rule labels with their numbers ---------------------------------------------------------

def test_rule_labels_say_the_years_the_round_asks_for(client, auth, org):
    from tests.recognition.conftest import open_round

    award_round = open_round(rules={"min_service_years": 5, "not_awarded_years": 1, "no_disciplinary_flag": True})
    db.session.commit()
    auth.login("hr")
    thai = client.get(f"/recognition/rounds/{award_round.id}").text
    assert "อายุราชการไม่น้อยกว่า 5 ปี" in thai and "ไม่เคยได้รับรางวัลภายใน 1 ปีที่ผ่านมา" in thai
    assert " N " not in shown_text(thai)
    client.set_cookie("ethics_lang", "en")
    english = client.get(f"/recognition/rounds/{award_round.id}").text
    assert "At least 5 years of service; Not awarded in the last 1 year; No open disciplinary flag" in english
    form = client.get(f"/recognition/rounds/{award_round.id}/edit").text
    assert "Minimum years of service" in form and " N " not in shown_text(form)
