"""The plan journey in a real browser: import a plan, watch an indicator move, drill down, lock, export."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from ethics.core.extensions import db
from ethics.training.attendance import mark
from ethics.training.registrations import register
from tests.e2e.dialogs import accept_confirmations, confirm
from tests.e2e.test_foundation_journeys import sign_in


@pytest.fixture
def world(org, make_session):
    session = make_session(first_day=date(2026, 12, 1))  # linked to 1.1.1 once a plan has it
    db.session.commit()
    return {"session": session, **org}


def link(session, code: str) -> None:
    """Link the session to a plan activity through the same service as HR's form."""
    from ethics.training.catalogue import SessionData, save_session

    save_session(session, SessionData(
        code=session.code, course_id=session.course_id, first_day=session.first_day, last_day=session.last_day,
        starts=session.days[0].starts, ends=session.days[0].ends, venue=session.venue, capacity=session.capacity,
        trainer=session.trainer, unit_id=session.unit_id, plan_activity_code=code,
        registration_deadline=session.registration_deadline, open_to_all=session.open_to_all, status=session.status))
    db.session.commit()


def test_plan_from_import_to_locked_pdf(page, live_server, world, tmp_path):
    workbook = Workbook()
    workbook.active.append(["fiscal_year", "code", "strategy", "measure", "activity", "indicator", "responsible",
                            "target", "source"])
    workbook.active.append([2570, "1.1.1", "ส่งเสริมจิตสำนึก", "ส่งเสริมคุณธรรม", "อบรมจริยธรรม",
                            "จำนวนข้าราชการที่เข้าร่วมกิจกรรม", "สนจ.ระยอง", "100 คน", "training_participants"])
    workbook.active.append([2570, "1.1.2", "ส่งเสริมจิตสำนึก", "ส่งเสริมคุณธรรม", "ประชาสัมพันธ์", "ความถี่",
                            "สนจ.ระยอง", "12 ครั้ง", "manual"])
    path = tmp_path / "plan.xlsx"
    workbook.save(path)

    sign_in(page, live_server, "hr")
    page.goto(f"{live_server}/imports/plan")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("เพิ่มใหม่ 2")
    page.get_by_test_id("apply-import").click()
    expect(page.get_by_test_id("import-done")).to_be_visible()

    page.goto(f"{live_server}/plan/2570")
    expect(page.get_by_test_id("value-1.1.1")).to_have_text("0")
    session = world["session"]
    link(session, "1.1.1")
    for person in (world["people"]["me"], world["people"]["inside"]):
        register(session.id, person, date(2026, 11, 26))
        mark(session.id, person.id, session.days[0].id, True)
    db.session.commit()
    page.reload()
    expect(page.get_by_test_id("value-1.1.1")).to_have_text("2")

    page.get_by_test_id("value-1.1.1").get_by_role("link").click()
    expect(page.get_by_test_id("activity-value")).to_have_text("2")
    expect(page.get_by_test_id("drill-down")).to_contain_text(world["people"]["me"].first_name)

    page.goto(f"{live_server}/plan/2570")
    page.get_by_label("ชื่อฉบับบันทึก").fill("รอบ 6 เดือน")
    page.get_by_test_id("lock-snapshot").click()
    confirm(page)  # the page asks before locking
    expect(page.get_by_test_id("locked-1.1.1")).to_have_text("2")
    with page.expect_download() as download:
        page.get_by_role("button", name="รายงาน (PDF)").click()
    assert download.value.suggested_filename == "report-2570-รอบ 6 เดือน.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_hr_limits_an_indicator_to_civil_servants_and_copies_the_plan_on(page, live_server, world):
    from ethics.plan.models import Activity, Measure, Plan, Strategy

    plan = Plan(fiscal_year=2570, strategies=[Strategy(number=1, name="ส่งเสริมจิตสำนึก", measures=[
        Measure(number=1, name="ส่งเสริมคุณธรรม", activities=[
            Activity(number=1, code="1.1.1", name="อบรมจริยธรรม", indicator="จำนวนข้าราชการที่เข้าร่วมกิจกรรม",
                     source="training_participants", personnel_types=[])])])])
    db.session.add(plan)
    db.session.commit()
    session = world["session"]
    link(session, "1.1.1")
    world["people"]["inside"].personnel_type = "permanent_employee"
    for person in (world["people"]["me"], world["people"]["inside"]):
        register(session.id, person, date(2026, 11, 26))
        mark(session.id, person.id, session.days[0].id, True)
    db.session.commit()

    accept_confirmations(page)
    sign_in(page, live_server, "hr")
    page.goto(f"{live_server}/plan/2570")
    expect(page.get_by_test_id("value-1.1.1")).to_have_text("2")
    page.get_by_test_id("value-1.1.1").get_by_role("link").click()
    page.get_by_text("แก้ไขกิจกรรม").click()
    page.get_by_label("ข้าราชการ", exact=True).check()
    page.get_by_role("button", name="บันทึก").first.click()
    expect(page.get_by_test_id("population")).to_contain_text("ข้าราชการ")
    expect(page.get_by_test_id("activity-value")).to_have_text("1")
    expect(page.get_by_test_id("drill-down")).not_to_contain_text(world["people"]["inside"].first_name)

    page.goto(f"{live_server}/plan/2570")
    page.get_by_test_id("copy-plan").get_by_role("combobox").select_option("2571")
    page.get_by_test_id("copy-plan").get_by_role("button").click()
    expect(page).to_have_url(f"{live_server}/plan/2571")
    expect(page.get_by_test_id("value-1.1.1")).to_have_text("0")


def test_the_plan_index_on_a_phone_shows_the_newest_years_progress(browser, live_server, org):
    """Four plans: the newest three with their progress bars, the oldest with its activities; no
    sideways scrolling at 390 px."""
    from ethics.demo.plan import seed
    from ethics.plan.services import copy_plan

    seed()  # the plans of 2551 and 2552
    for year in (2553, 2554):
        copy_plan(2552, year)
    db.session.commit()
    context = browser.new_context(locale="th-TH", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server, "hr")
    page.goto(f"{live_server}/plan/")
    for year in (2554, 2553, 2552):
        expect(page.get_by_test_id(f"plan-progress-{year}")).to_be_visible()
    expect(page.get_by_test_id("plan-activities-2551")).to_contain_text("19 กิจกรรม")
    expect(page.locator("progress")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
