"""The public transparency page in a real browser: the administrator opens it, then a visitor who never
signs in reads it on a phone in Thai and English, downloads the PDF, and finds it from the sign-in page."""
from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from ethics.core.extensions import db
from ethics.plan.services import add_entry
from tests.e2e.test_foundation_journeys import sign_in
from tests.plan.test_public import make_plan


def test_admin_opens_the_page_and_a_visitor_reads_it_in_both_languages(page, browser, live_server, org):
    plan = make_plan()
    add_entry(plan.activities[-1], date(2026, 2, 1), "4", "", None)
    db.session.commit()

    sign_in(page, live_server, username="admin")
    page.goto(f"{live_server}/organisation/")
    page.get_by_label("ชื่อส่วนราชการ (ภาษาไทย)").fill("สำนักงานจังหวัดระยอง")
    page.locator("#public_page").check()
    page.locator("#public_values-0").check()  # live values
    page.get_by_test_id("organisation-form").get_by_role("button", name="บันทึก").click()
    expect(page.get_by_text("บันทึกแล้ว")).to_be_visible()

    visitor = browser.new_context(locale="th-TH", viewport={"width": 390, "height": 844}, accept_downloads=True)
    errors: list[str] = []
    phone = visitor.new_page()
    phone.on("pageerror", lambda error: errors.append(str(error)))
    try:
        phone.goto(f"{live_server}/transparency")
        expect(phone.locator("html")).to_have_attribute("lang", "th")
        expect(phone.get_by_test_id("public-value-2.1.1")).to_contain_text("4")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits a phone
        assert visitor.cookies() == []  # nothing kept for an anonymous reader

        phone.get_by_test_id("language").click()
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Transparency plan, fiscal year 2569")

        with phone.expect_download() as download:
            phone.get_by_test_id("public-pdf").click()
        assert download.value.suggested_filename == "report-2569.pdf"
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(4) == b"%PDF"

        phone.goto(f"{live_server}/login")  # where a visitor without the address finds it
        phone.get_by_test_id("transparency-link").click()
        expect(phone.get_by_test_id("public-value-2.1.1")).to_contain_text("4")
    finally:
        visitor.close()
    assert errors == []
