"""Date and time fields as Thai and English readers use them: every date field shows its format
and opts into the picker in the page's era, a Common Era year typed in Thai is refused saying
which year to type, English pages take and show the Common Era, and times are 24-hour."""
from __future__ import annotations

from datetime import date, time

import lxml.html
import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.training.models import TrainingSession
from ethics.web.form_fields import AppForm, ThaiDateField
from tests.training.test_views import session_form

DATE_FIELDS = {
    "/training/sessions/new": ["first_day", "last_day", "registration_deadline"],
    "/survey/campaigns/new": ["opens_on", "closes_on"],
    "/recognition/rounds/new": ["nominations_open", "nominations_close", "scoring_deadline"],
}


def page_of(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.text)


@pytest.mark.parametrize("locale, era, mask, hint", [
    ("th", "be", "วว/ดด/ปปปป", "วว/ดด/ปปปป เป็นปีพุทธศักราช เช่น 01/10/2569"),
    ("en", "ce", "dd/mm/yyyy", "DD/MM/YYYY, e.g. 01/10/2026."),
])
def test_every_date_field_shows_its_format_and_opens_the_picker_in_the_pages_era(client, auth, org, locale, era,
                                                                                  mask, hint):
    client.set_cookie("ethics_lang", locale)
    auth.login("hr")
    person = org["people"]["inside"].id
    pages = {**DATE_FIELDS, f"/people/{person}/edit": ["service_start_date"], f"/people/{person}?tab=flags": ["opened_on"]}
    for url, names in pages.items():
        page = page_of(client.get(url))
        inputs = page.xpath("//input[@data-datepicker]")
        assert sorted(i.get("name") for i in inputs) == sorted(names), url
        for field in inputs:
            assert field.get("data-datepicker") == era and field.get("placeholder") == mask
            (shown,) = page.xpath(f"//*[@id='{field.get('id')}-format']")
            assert field.get("id") + "-format" in field.get("aria-describedby").split()
            assert shown.text_content() == hint, (url, field.get("name"))


def test_a_refused_date_keeps_its_format_hint_and_describes_both(client, auth, org, make_course):
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    response = client.post("/training/sessions/new", data=session_form(make_course(), first_day="31/02/2026"))
    (field,) = page_of(response).xpath("//input[@name='first_day']")
    assert field.get("aria-describedby").split() == ["first_day-error", "first_day-format"]


class DayForm(AppForm):
    day = ThaiDateField("Day")


def submitted_day(app, text: str, locale: str) -> DayForm:
    with app.test_request_context(method="POST", data={"day": text}, headers={"Cookie": f"ethics_lang={locale}"}):
        form = DayForm(meta={"csrf": False})
        form.validate()
        return form


def test_a_common_era_year_typed_in_thai_is_refused_saying_which_year_to_type(app):
    form = submitted_day(app, "30/11/2026", "th")
    assert form.day.data is None
    with app.test_request_context(), force_locale("th"):
        expected = gettext("Type the year in the Buddhist Era: %(typed)s is %(meant)s.", typed=2026, meant=2569)
    assert [str(error) for error in form.day.errors] == [expected]
    with app.test_request_context(), force_locale("en"):  # the message itself, before any translation
        assert gettext("Type the year in the Buddhist Era: %(typed)s is %(meant)s.", typed=2026, meant=2569) \
            == "Type the year in the Buddhist Era: 2026 is 2569."


@pytest.mark.parametrize("locale, text, expected", [
    ("th", "30/11/2569", date(2026, 11, 30)),
    ("en", "30/11/2026", date(2026, 11, 30)),
    ("en", "30/11/2569", date(2026, 11, 30)),
])
def test_each_language_takes_its_own_era(app, locale, text, expected):
    form = submitted_day(app, text, locale)
    assert form.day.errors == [] and form.day.data == expected


def test_thai_session_form_refuses_a_common_era_year_and_saves_nothing(client, auth, org, make_course):
    auth.login("hr")
    response = client.post("/training/sessions/new", data=session_form(make_course(), first_day="01/12/2026"))
    assert response.status_code == 422
    (error,) = page_of(response).xpath("//*[@id='first_day-error']")
    assert "2026" in error.text_content() and "2569" in error.text_content()
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0


def test_english_pages_take_and_show_the_common_era_and_24_hour_times(client, auth, org, make_course):
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    response = client.post("/training/sessions/new", data=session_form(
        make_course(), first_day="01/12/2026", last_day="02/12/2026", starts="13:30", ends="1630"))
    assert response.status_code == 302
    session = db.session.scalar(select(TrainingSession))
    assert [(d.day, d.starts, d.ends) for d in session.days] == [
        (date(2026, 12, 1), time(13, 30), time(16, 30)), (date(2026, 12, 2), time(13, 30), time(16, 30))]
    shown = client.get(f"/training/sessions/{session.id}").text
    assert "1 Dec 2026 13:30–16:30" in shown and "2569" not in shown and " PM" not in shown
    form = page_of(client.get(f"/training/sessions/{session.id}/edit"))
    assert form.xpath("//input[@name='first_day']/@value") == ["01/12/2026"]
    client.set_cookie("ethics_lang", "th")
    assert "1 ธ.ค. 2569 13:30–16:30 น." in client.get(f"/training/sessions/{session.id}").text
    form = page_of(client.get(f"/training/sessions/{session.id}/edit"))
    assert form.xpath("//input[@name='first_day']/@value") == ["01/12/2569"]


@pytest.mark.parametrize("locale", ["th", "en"])
def test_the_session_forms_times_are_typeable_24_hour_text(client, auth, org, locale):
    """A browser's own time input shows 09:00 AM where its language is English: these are text."""
    client.set_cookie("ethics_lang", locale)
    auth.login("hr")
    page = page_of(client.get("/training/sessions/new"))
    for name, value in (("starts", "09:00"), ("ends", "16:00")):
        (field,) = page.xpath(f"//input[@name='{name}']")
        assert (field.get("type"), field.get("value"), field.get("inputmode"), field.get("placeholder")) == (
            "text", value, "numeric", "09:00")
        assert field.get("pattern") == "([01]?[0-9]|2[0-3])[:.]?[0-5][0-9]"


@pytest.mark.parametrize("starts", ["9:00 AM", "25:00", "nine"])
def test_a_time_that_is_not_24_hour_is_refused(client, auth, org, make_course, starts):
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    response = client.post("/training/sessions/new", data=session_form(make_course(), starts=starts))
    assert response.status_code == 422 and "Enter a time as HH:MM in 24 hours" in response.text
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0
