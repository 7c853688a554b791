"""The first journeys in a real browser: sign in, search people, import a roster."""
from __future__ import annotations

import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from ethics.core.extensions import db
from tests.conftest import PASSWORD, citizen_id

HEADER = ("citizen_id,title,first_name,last_name,personnel_type,unit_code,position,position_level,email,"
          "supervisor_citizen_id,service_start_date")


@pytest.fixture
def world(org):
    db.session.commit()
    return org


def sign_in(page, base, username="hr", password=PASSWORD):
    page.goto(f"{base}/login")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_sign_in_wrong_then_right_then_out(page, live_server, world):
    sign_in(page, live_server, password="wrong-password!")
    expect(page.get_by_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")).to_be_visible()
    sign_in(page, live_server)
    expect(page.get_by_role("heading", name=re.compile("ยินดีต้อนรับ"))).to_be_visible()
    page.get_by_test_id("logout").click()
    expect(page.get_by_text("ออกจากระบบเรียบร้อยแล้ว")).to_be_visible()


def test_switch_to_english_and_back(page, live_server, world):
    page.goto(f"{live_server}/login")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="ภาษาไทย").click()
    expect(page.get_by_role("heading", name="เข้าสู่ระบบ")).to_be_visible()


def test_active_search_finds_people_without_a_reload(page, live_server, world):
    sign_in(page, live_server)
    page.get_by_role("link", name="บุคลากร", exact=True).first.click()
    expect(page.get_by_test_id("result-count")).to_have_text("พบ 4 คน")
    page.evaluate("window.marker = 'same page'")
    page.get_by_label("ค้นหา").fill("นอกสังกัด")
    expect(page.get_by_test_id("result-count")).to_have_text("พบ 1 คน")
    assert page.evaluate("window.marker") == "same page"  # htmx swapped the results in place
    outside = world["people"]["outside"]
    page.get_by_label("ค้นหา").fill(outside.citizen_id[:12])
    expect(page.get_by_test_id("result-count")).to_have_text("พบ 1 คน")
    assert outside.citizen_id[:12] not in page.url
    page.get_by_role("link", name=re.compile("นอกสังกัด")).click()
    expect(page.get_by_text(outside.masked_citizen_id)).to_be_visible()
    page.get_by_role("button", name="แสดง (มีการบันทึก)").click()
    expect(page.get_by_test_id("citizen-id-full")).to_contain_text(outside.citizen_id[-3:-1])


def excel_file(path, rows):
    workbook = Workbook()
    for row in [HEADER.split(","), *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return str(path)


def test_roster_upload_with_errors_then_fixed(page, live_server, world, tmp_path):
    new_id = citizen_id(880001)
    bad = excel_file(tmp_path / "roster.xlsx", [
        [new_id, "นาง", "วันดี", "มีสุข", "พนักงานราชการ", "NOPE"],
        ["1234567890123", "นาย", "ผิด", "เลข", "ข้าราชการ", "AUD", "", "", "", "", "31/02/2569"],
    ])
    sign_in(page, live_server)
    page.goto(f"{live_server}/imports/roster")
    page.set_input_files("input[type=file]", bad)
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("ไม่พบหน่วยงาน NOPE")
    expect(errors).to_contain_text("เลขประจำตัวประชาชนไม่ถูกต้อง")
    expect(errors).to_contain_text("วันที่ไม่ถูกต้อง")
    expect(page.get_by_text("ยังไม่มีการบันทึกข้อมูลใด ๆ")).to_be_visible()

    fixed = excel_file(tmp_path / "roster-fixed.xlsx", [[new_id, "นาง", "วันดี", "มีสุข", "พนักงานราชการ", "AUD"]])
    page.get_by_role("button", name="อัปโหลดไฟล์ที่แก้ไขแล้ว").click()
    page.set_input_files("input[type=file]", fixed)
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("เพิ่มใหม่ 1")
    page.get_by_test_id("apply-import").click()
    expect(page.get_by_test_id("import-done")).to_be_visible()

    page.goto(f"{live_server}/people")
    page.get_by_label("ค้นหา").fill("วันดี")
    expect(page.get_by_test_id("result-count")).to_have_text("พบ 1 คน")
    expect(page.get_by_role("cell", name="พนักงานราชการ")).to_be_visible()
