"""Issue 19 in a real browser: HR picks units by filtering a checkbox list, edits items in place
(htmx swaps only the dimension's list), previews the survey before opening it, and makes an item
optional, which a person then leaves blank."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.core.fiscal import format_input_date, local_now
from ethics.survey.models import MoraleCampaign
from tests.e2e.dialogs import accept_confirmations
from tests.e2e.test_foundation_journeys import sign_in


def test_hr_picks_units_edits_items_in_place_and_previews(page, live_server, org):
    audit = org["units"]["audit"]
    sign_in(page, live_server, "hr")
    page.goto(f"{live_server}/survey/campaigns/new")
    page.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2570")
    page.get_by_label("ชื่อการสำรวจ").fill("วัดระดับขวัญกำลังใจ 2570")
    page.get_by_label("วันเปิด").fill("01/11/2569")
    page.get_by_label("วันปิด").fill("31/12/2569")
    picker = page.get_by_test_id("unit-picker-unit_ids")
    options = picker.locator(".unit-options li")
    expect(picker.locator("[data-unit-filter]")).to_be_visible()
    picker.locator("[data-unit-filter]").fill(audit.name_th[:6])
    picker.locator("[data-unit-filter]").press("Enter")  # filters, never sends the form
    visible = options.filter(has_text=audit.name_th)
    expect(visible).to_have_count(1)
    assert options.evaluate_all("items => items.filter(item => !item.hidden).length") < options.count()
    visible.get_by_role("checkbox").check()
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.get_by_test_id("open-campaign")).to_be_visible()
    db.session.commit()
    campaign = db.session.scalar(select(MoraleCampaign))
    assert campaign.audience["unit_ids"] == [audit.id]

    first = campaign.dimensions[0]
    section = page.get_by_test_id(f"dimension-{first.id}")
    section.locator("summary").click()
    adding = section.locator("details form")
    adding.locator("input[name=text_th]").fill("ข้อที่เพิ่มในเบราว์เซอร์")
    page.evaluate("window.notReloaded = true")
    adding.locator("button[value=add]").click()
    items = page.get_by_test_id(f"dimension-{first.id}").locator("ol > li")
    expect(items).to_have_count(len(first.items) + 1)
    items.last.locator("button[value=up]").click()
    expect(items.nth(len(first.items) - 1).locator("input[name=text_th]")).to_have_value("ข้อที่เพิ่มในเบราว์เซอร์")
    assert page.evaluate("window.notReloaded") is True  # swapped in place

    page.get_by_test_id("preview-link").click()
    expect(page.get_by_test_id("preview-banner")).to_be_visible()
    expect(page.get_by_text("ข้อที่เพิ่มในเบราว์เซอร์")).to_be_visible()
    expect(page.locator("button[type=submit]", has_text="ส่งคำตอบ")).to_have_count(0)


def test_hr_makes_an_item_optional_and_a_person_skips_it(browser, live_server, org):
    hr_context, employee_context = browser.new_context(locale="th-TH"), browser.new_context(locale="th-TH")
    hr, employee = hr_context.new_page(), employee_context.new_page()
    accept_confirmations(hr)  # opening asks first
    sign_in(hr, live_server, "hr")
    hr.goto(f"{live_server}/survey/campaigns/new")
    hr.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2570")
    hr.get_by_label("ชื่อการสำรวจ").fill("วัดระดับขวัญกำลังใจ 2570")
    today = local_now().date()
    hr.get_by_label("วันเปิด").fill(format_input_date(today - timedelta(days=1)))
    hr.get_by_label("วันปิด").fill(format_input_date(today + timedelta(days=30)))
    hr.get_by_role("button", name="บันทึก", exact=True).click()
    expect(hr.get_by_test_id("open-campaign")).to_be_visible()
    db.session.commit()
    campaign = db.session.scalar(select(MoraleCampaign))
    skipped = campaign.items[0]
    editor = hr.locator(f"li[data-item='{skipped.id}'] form")
    editor.locator("input[name=required]").uncheck()
    editor.locator("button[value=save]").click()
    expect(hr.locator(f"li[data-item='{skipped.id}'] input[name=required]")).not_to_be_checked()
    hr.get_by_test_id("open-campaign").click()
    expect(hr.get_by_test_id("campaign-status")).to_have_text("เปิดอยู่")

    sign_in(employee, live_server, "employee")
    employee.goto(f"{live_server}/survey/{campaign.id}")
    expect(employee.locator(f"#item-{skipped.id}-label .optional")).to_be_visible()
    for group in employee.locator("[role=radiogroup]").all()[1:]:
        group.get_by_label("4").check()
    employee.get_by_role("button", name="ส่งคำตอบ").click()
    expect(employee.get_by_test_id("receipt")).to_be_visible()
    for context in (hr_context, employee_context):
        context.close()
