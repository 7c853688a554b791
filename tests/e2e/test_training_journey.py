"""The training journey in a real browser: from scheduling to a verified certificate."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.core.fiscal import format_input_date, local_now
from ethics.training.catalogue import CourseData, save_course
from ethics.training.models import Certificate, Registration
from tests.e2e.dialogs import accept_confirmations
from tests.e2e.test_foundation_journeys import sign_in


@pytest.fixture
def world(org):
    save_course(None, CourseData("ETH01", "การเสริมสร้างคุณธรรมจริยธรรม", "Ethics", "ethics", 6, 1.0, None))
    db.session.commit()
    return org


def test_session_from_planned_to_verified_certificate(browser, live_server, world):
    hr_context, employee_context, boss_context = (browser.new_context(locale="th-TH") for _ in range(3))
    hr, employee, boss = hr_context.new_page(), employee_context.new_page(), boss_context.new_page()
    for page in (hr, employee, boss):
        page.set_default_timeout(15_000)
    today = format_input_date(local_now().date())

    sign_in(hr, live_server, "hr")
    hr.get_by_role("link", name="การอบรม", exact=True).first.click()
    hr.get_by_role("button", name="จัดการอบรมรุ่นใหม่").click()
    hr.get_by_label("วันแรก").fill(today)
    hr.get_by_label("วันสุดท้าย").fill(today)
    hr.get_by_label("เวลาเริ่ม").fill("00:01")
    hr.get_by_label("เวลาสิ้นสุด").fill("23:59")
    hr.get_by_label("สถานที่").fill("ห้องประชุมศาลากลาง")
    hr.get_by_label("จำนวนที่นั่ง (เว้นว่าง: ไม่จำกัด)").fill("20")
    hr.get_by_label("เปิดให้บุคลากรทุกคน").check()
    hr.get_by_role("button", name="บันทึก").click()
    expect(hr.get_by_test_id("session-status")).to_have_text("วางแผนไว้")  # planned: no one can register yet
    hr.get_by_test_id("change-open").click()  # its own button, no status field
    expect(hr.get_by_test_id("session-status")).to_have_text("เปิดรับสมัคร")
    session_url = hr.url

    for page, username in ((employee, "employee"), (boss, "supervisor")):
        sign_in(page, live_server, username)
        page.get_by_role("link", name="การอบรมของฉัน").first.click()
        page.get_by_test_id("available").get_by_role("link", name="การเสริมสร้างคุณธรรมจริยธรรม").click()
        page.get_by_role("button", name="ลงทะเบียน").click()
        expect(page.get_by_text("ยืนยันที่นั่งของท่านแล้ว").first).to_be_visible()

    hr.goto(session_url)
    boss_id = world["people"]["boss"].id
    toggle = hr.locator(f"[data-testid^='att-{boss_id}-']")
    hr.evaluate("window.marker = 'no reload'")
    toggle.click()
    expect(hr.locator(f"[data-testid^='att-{boss_id}-']")).to_have_text("มา")
    assert hr.evaluate("window.marker") == "no reload"

    venue = hr_context.new_page()
    venue.goto(session_url + "/venue")
    code = venue.get_by_test_id("venue-code").inner_text().strip()
    assert re.fullmatch(r"\d{6}", code)
    expect(venue.get_by_role("img", name="คิวอาร์โค้ดสำหรับลงชื่อเข้าอบรม")).to_be_visible()

    employee.goto(f"{live_server}/training/check-in")
    employee.get_by_label("รหัสลงชื่อเข้าอบรม").fill("000000" if code != "000000" else "111111")
    employee.get_by_role("button", name="ลงชื่อเข้าอบรม").click()
    expect(employee.get_by_text("รหัสนี้ไม่ตรงกับการอบรมใดของท่านในวันนี้")).to_be_visible()
    employee.get_by_label("รหัสลงชื่อเข้าอบรม").fill(code)
    employee.get_by_role("button", name="ลงชื่อเข้าอบรม").click()
    expect(employee.get_by_text("ลงชื่อเข้าอบรมแล้ว")).to_be_visible()

    hr.reload()
    me_id = world["people"]["me"].id
    expect(hr.locator(f"[data-testid^='att-{me_id}-']")).to_have_text("มา")
    accept_confirmations(hr)
    hr.reload()
    hr.get_by_test_id("reason-close").fill("จัดครบตามกำหนดการแล้ว")  # closed on its only day: before it has ended
    hr.get_by_test_id("change-close").click()
    expect(hr.get_by_test_id("session-status")).to_have_text("จัดแล้ว")
    expect(hr.get_by_test_id(f"passed-{me_id}")).to_be_visible()

    employee.goto(f"{live_server}/training/")
    with employee.expect_download() as download:
        employee.get_by_test_id("certificate-link").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    db.session.commit()  # end the test's read snapshot, to see what the server wrote
    token = db.session.scalar(select(Certificate.token).join(Registration).where(Registration.person_id == me_id))
    public = browser.new_context().new_page()
    public.goto(f"{live_server}/verify/{token}")
    expect(public.get_by_test_id("validity")).to_have_text("วุฒิบัตรนี้ถูกต้อง")
    expect(public.get_by_test_id("verification")).to_contain_text(world["people"]["me"].first_name)
    for context in (hr_context, employee_context, boss_context):
        context.close()
