"""An administrator sets up the agency in a real browser: name, logo, a signatory with a signature
image, who signs the certificates of honour; then removes a signatory nobody needs."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.organisation.models import Organisation
from tests.e2e.dialogs import confirm
from tests.e2e.test_foundation_journeys import sign_in, world  # noqa: F401  # fixture
from tests.organisation.conftest import picture


def test_admin_sets_up_the_agency_and_its_signatories(page, live_server, world, tmp_path):  # noqa: F811
    logo, signature = tmp_path / "emblem.png", tmp_path / "signature.jpg"
    logo.write_bytes(picture())
    signature.write_bytes(picture("JPEG", size=(300, 100)))
    sign_in(page, live_server, username="admin")
    page.get_by_role("link", name="ข้อมูลส่วนราชการ").click()

    page.get_by_role("button", name="เพิ่มผู้ลงนาม").click()
    page.get_by_label("ชื่อ-นามสกุล ตามที่พิมพ์ในวงเล็บ").fill("นายสมชาย ใจดี")
    page.get_by_label("ตำแหน่ง ตามที่พิมพ์ใต้ชื่อ").fill("ผู้ว่าราชการจังหวัดระยอง")
    page.get_by_label("ภาพลายมือชื่อ (ไม่บังคับ").set_input_files(signature)
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("cell", name="ผู้ว่าราชการจังหวัดระยอง")).to_be_visible()
    expect(page.locator("img.signature-image")).to_have_count(1)

    page.get_by_label("ชื่อส่วนราชการ (ภาษาไทย)").fill("สำนักงานจังหวัดระยอง")
    page.get_by_label("ตราสัญลักษณ์ (PNG").set_input_files(logo)
    page.get_by_label("ผู้ลงนามในประกาศเกียรติคุณ").select_option(label="นายสมชาย ใจดี, ผู้ว่าราชการจังหวัดระยอง")
    page.get_by_test_id("organisation-form").get_by_role("button", name="บันทึก").click()
    expect(page.get_by_text("บันทึกแล้ว")).to_be_visible()
    expect(page.get_by_test_id("logo-preview")).to_be_visible()
    expect(page.get_by_label("ชื่อส่วนราชการ (ภาษาไทย)")).to_have_value("สำนักงานจังหวัดระยอง")
    saved = db.session.scalar(select(Organisation))
    assert saved.honour_signatory.name == "นายสมชาย ใจดี" and saved.logo.startswith(b"\x89PNG")

    page.get_by_role("button", name="เพิ่มผู้ลงนาม").click()
    page.get_by_label("ชื่อ-นามสกุล ตามที่พิมพ์ในวงเล็บ").fill("นางสาวมาลี ศรีสุข")
    page.get_by_label("ตำแหน่ง ตามที่พิมพ์ใต้ชื่อ").fill("หัวหน้าสำนักงานจังหวัดระยอง")
    page.get_by_role("button", name="บันทึก").click()
    page.get_by_role("row", name="นางสาวมาลี ศรีสุข").get_by_role("button", name="นำออก").click()
    confirm(page)
    expect(page.get_by_text("นำ นางสาวมาลี ศรีสุข ออกแล้ว")).to_be_visible()
    expect(page.get_by_role("row", name="นางสาวมาลี ศรีสุข")).to_have_count(0)
