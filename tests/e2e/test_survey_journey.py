"""The survey journey in a real browser: open a campaign, answer once, close, see suppressed results."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.core.fiscal import format_input_date, local_now
from ethics.survey import answering, campaigns
from ethics.survey.models import MoraleCampaign
from tests.e2e.dialogs import accept_confirmations
from tests.e2e.test_foundation_journeys import sign_in


@pytest.fixture
def world(org, make_unit, make_person):
    big, tiny = make_unit("BIG", "กลุ่มงานใหญ่"), make_unit("TINY", "กลุ่มงานเล็ก")
    # Four in the small unit: with the employee's one sheet the hidden units pool five, so the big one shows.
    others = [make_person(big) for _ in range(6)] + [make_person(tiny) for _ in range(4)]
    db.session.commit()
    return {"others": [person.id for person in others], **org}


def test_campaign_from_opening_to_suppressed_results(browser, live_server, world):
    hr_context, employee_context = browser.new_context(locale="th-TH"), browser.new_context(locale="th-TH")
    hr, employee = hr_context.new_page(), employee_context.new_page()
    accept_confirmations(hr)

    sign_in(hr, live_server, "hr")
    hr.goto(f"{live_server}/survey/campaigns/new")
    hr.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2570")
    hr.get_by_label("ชื่อการสำรวจ").fill("วัดระดับขวัญกำลังใจ 2570")
    today = local_now().date()
    hr.get_by_label("วันเปิด").fill(format_input_date(today - timedelta(days=1)))
    hr.get_by_label("วันปิด").fill(format_input_date(today + timedelta(days=30)))
    hr.get_by_role("button", name="บันทึก").click()
    expect(hr.get_by_test_id("open-campaign")).to_be_visible()
    hr.get_by_role("button", name="บันทึก").click()  # the draft saved as the browser shows it keeps every item
    expect(hr.locator(".flash.success")).to_be_visible()
    db.session.commit()
    draft = db.session.scalar(select(MoraleCampaign))
    assert [(item.text_th, item.text_en) for item in draft.items] == [
        item for _th, _en, items in campaigns.DEFAULT_TEMPLATE for item in items]
    hr.get_by_test_id("open-campaign").click()
    expect(hr.get_by_test_id("campaign-status")).to_have_text("เปิดอยู่")

    db.session.commit()
    campaign = db.session.scalar(select(MoraleCampaign))
    values = {item.id: 4 for item in campaign.items}
    for person_id in world["others"]:
        answering.submit(campaign.id, person_id, values, "")

    sign_in(employee, live_server, "employee")
    employee.get_by_role("link", name="แบบสำรวจ", exact=True).click()
    employee.get_by_role("button", name="ตอบแบบสำรวจ").click()
    first_group = employee.locator("[role=radiogroup]").first
    first_group.get_by_label("5").check()
    expect(employee.locator("[data-progress]").first).to_have_attribute("value", "1")
    employee.get_by_role("button", name="ส่งคำตอบ").click()
    expect(employee.get_by_role("alert")).to_contain_text("กรุณาตอบทุกข้อ")
    expect(employee.locator("[role=radiogroup]").first.get_by_label("5")).to_be_checked()  # nothing lost
    for group in employee.locator("[role=radiogroup]").all():
        group.get_by_label("4").check()
    employee.get_by_role("button", name="ส่งคำตอบ").click()
    expect(employee.get_by_test_id("receipt")).to_be_visible()
    employee.goto(f"{live_server}/survey/{campaign.id}")
    expect(employee.get_by_test_id("already-answered")).to_be_visible()

    hr.reload()
    hr.get_by_test_id("close-campaign").click()
    groups = hr.get_by_test_id("groups")
    expect(groups.locator("[data-group='กลุ่มงานเล็ก']")).to_contain_text("ไม่แสดง")
    expect(groups.locator("[data-group='กลุ่มงานใหญ่']")).to_contain_text("4.00")
    expect(hr.get_by_test_id("response-rate")).to_be_visible()
    hr.screenshot(path="test-artifacts/survey-results.png", full_page=True)
    for context in (hr_context, employee_context):
        context.close()
