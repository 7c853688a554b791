"""The date picker and the 24-hour time fields in a real browser: a Thai page's calendar shows and
writes the Buddhist Era, an English page's the Common Era, by mouse and by keyboard."""
from __future__ import annotations

import re
from datetime import date, time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.training.catalogue import CourseData, save_course
from ethics.training.models import TrainingSession
from tests.e2e.test_foundation_journeys import sign_in


@pytest.fixture
def world(org):
    save_course(None, CourseData("ETH01", "การเสริมสร้างคุณธรรมจริยธรรม", "Ethics", "ethics", 6, 1.0, None))
    db.session.commit()
    return org


def picker_of(page, field_id):
    """The field's picker: its calendar button and the dialog the button opens."""
    box = page.locator(".datepicker", has=page.locator(f"#{field_id}"))
    return box.locator(".datepicker-toggle"), box.get_by_role("dialog")


def test_thai_picker_shows_and_writes_the_buddhist_era(page, live_server, world):
    sign_in(page, live_server)
    page.goto(f"{live_server}/training/sessions/new")
    first_day = page.get_by_role("textbox", name="วันแรก")
    for field_id in ("first_day", "last_day", "registration_deadline"):
        expect(page.locator(f"#{field_id}-format")).to_have_text("วว/ดด/ปปปป เป็นปีพุทธศักราช เช่น 01/10/2569")
    expect(first_day).to_have_attribute("placeholder", "วว/ดด/ปปปป")

    toggle, dialog = picker_of(page, "first_day")
    toggle.click()
    expect(dialog).to_be_visible()
    expect(dialog.locator("select")).to_have_value(str(date.today().year))  # CE underneath,
    assert re.fullmatch(r"25\d\d", dialog.locator("select option:checked").inner_text())  # BE shown
    dialog.get_by_role("button", name=re.compile(r"^15 ")).click()  # Thai day labels: "15 <month>"
    expect(dialog).to_be_hidden()
    expect(first_day).to_have_value(re.compile(r"^15/\d\d/25\d\d$"))
    expect(first_day).to_be_focused()

    first_day.fill("15/03/2570")  # typed: the calendar opens on it
    toggle.click()
    expect(dialog.get_by_text("มีนาคม", exact=True)).to_be_visible()
    expect(dialog.locator("select option:checked")).to_have_text("2570")
    dialog.locator("select").select_option(label="2571")  # the year list is in the Buddhist Era too
    dialog.get_by_role("button", name="5 มีนาคม", exact=True).click()
    expect(first_day).to_have_value("05/03/2571")
    toggle.click()
    dialog.locator("[part~='previous']").click()  # named "Previous month" in the page's language
    expect(dialog.get_by_text("กุมภาพันธ์", exact=True)).to_be_visible()
    dialog.locator("select").select_option(label="2570")
    dialog.locator("[part~='next']").click()
    dialog.get_by_role("button", name="20 มีนาคม", exact=True).click()
    expect(first_day).to_have_value("20/03/2570")

    last_toggle, last_dialog = picker_of(page, "last_day")  # by keyboard alone
    last_toggle.focus()
    page.keyboard.press("Enter")
    expect(last_dialog.locator("calendar-month button[tabindex='0']")).to_be_focused()  # today, with no value
    page.keyboard.press("Escape")
    expect(last_dialog).to_be_hidden()
    expect(last_toggle).to_be_focused()
    page.get_by_role("textbox", name="วันสุดท้าย").fill("20/03/2570")
    page.get_by_role("textbox", name="วันสุดท้าย").press("Alt+ArrowDown")
    expect(last_dialog.get_by_role("button", name="20 มีนาคม", exact=True)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(last_dialog.get_by_role("button", name="21 มีนาคม", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="วันสุดท้าย")).to_have_value("21/03/2570")

    page.get_by_label("สถานที่").fill("ห้องประชุมศาลากลาง")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_test_id("session-status")).to_be_visible()
    expect(page.get_by_text("20 มี.ค. 2570 09:00–16:00 น.")).to_be_visible()
    session = db.session.scalar(select(TrainingSession))
    assert (session.first_day, session.last_day) == (date(2027, 3, 20), date(2027, 3, 21))


def test_english_picker_shows_and_writes_the_common_era_and_times_stay_24_hour(browser, live_server, world):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)  # CSP too
    sign_in(page, live_server)
    page.get_by_role("button", name="English").click()
    page.goto(f"{live_server}/training/sessions/new")
    first_day = page.get_by_role("textbox", name="First day")
    expect(first_day).to_have_attribute("placeholder", "dd/mm/yyyy")
    expect(page.locator("#first_day-format")).to_have_text("DD/MM/YYYY, e.g. 01/10/2026.")
    for name, value in (("Starts at", "09:00"), ("Ends at", "16:00")):  # a browser in English, and no AM/PM
        expect(page.get_by_role("textbox", name=name)).to_have_value(value)

    toggle, dialog = picker_of(page, "first_day")
    first_day.fill("15/01/2027")
    toggle.click()
    dialog.get_by_role("button", name="Previous month").click()  # into the year before: its list follows
    expect(dialog.get_by_text("December", exact=True)).to_be_visible()
    expect(dialog.locator("select option:checked")).to_have_text("2026")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    first_day.fill("15/03/2027")
    toggle.click()
    expect(dialog.get_by_text("March", exact=True)).to_be_visible()
    expect(dialog.locator("select option:checked")).to_have_text("2027")
    dialog.get_by_role("button", name="Next month").click()
    expect(dialog.get_by_text("April", exact=True)).to_be_visible()
    dialog.get_by_role("button", name="1 April", exact=True).click()
    expect(first_day).to_have_value("01/04/2027")

    page.get_by_role("textbox", name="Last day").fill("01/04/2027")
    page.get_by_role("textbox", name="Starts at").fill("13:30")
    page.get_by_role("textbox", name="Ends at").fill("1630")
    page.get_by_label("Venue").fill("City hall")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("1 Apr 2027 13:30–16:30")).to_be_visible()
    session = db.session.scalar(select(TrainingSession))
    assert (session.first_day, session.days[0].starts, session.days[0].ends) == (date(2027, 4, 1), time(13, 30),
                                                                                time(16, 30))
    context.close()
    assert errors == []
