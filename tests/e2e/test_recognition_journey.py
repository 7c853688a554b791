"""The selection journey in a real browser: HR opens a round, a supervisor nominates, HR screens
(one ineligible, with its reason), two members score (one blocked on a nominee by a declared
conflict), the chair finalises, HR announces, and the certificate of honour downloads and verifies."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of, format_input_date, local_now
from ethics.people.models import DisciplinaryFlag
from ethics.recognition.models import Nomination
from tests.e2e.dialogs import accept_confirmations
from tests.e2e.test_foundation_journeys import sign_in


@pytest.fixture
def world(org, make_account, make_person):
    unit = org["units"]["dev_team"]
    org["people"]["second"] = make_person(unit, first_name="ขยันยิ่ง")
    org["people"]["flagged"] = make_person(unit, first_name="มีเรื่อง")
    db.session.add(DisciplinaryFlag(person_id=org["people"]["flagged"].id, opened_on=date(2026, 1, 1),
                                    note="สอบข้อเท็จจริง"))
    org["accounts"]["member"] = make_account("member", ("committee", "employee"),
                                             person=make_person(org["units"]["audit"], first_name="กรรมการสอง"))
    db.session.commit()
    return org


def open_page(browser, live_server, username):
    page = browser.new_context(locale="th-TH").new_page()
    page.set_default_timeout(15_000)
    accept_confirmations(page)
    sign_in(page, live_server, username)
    return page


def nominate(page, person, text):
    page.get_by_role("button", name="เสนอชื่อ").click()
    page.locator(f"input[name=person_id][value='{person.id}']").check()  # the picker lists a few people at once
    for textarea in page.locator("textarea").all():
        textarea.fill(text)
    page.get_by_role("button", name="บันทึกร่าง").click()
    expect(page.get_by_test_id("nomination-status")).to_have_text("ร่าง")


def score(page, value):
    expect(page.get_by_test_id("save-scores")).to_be_visible()  # the declaration's answer is swapped in
    for box in page.locator("#scoring input[type=number]").all():
        box.fill(str(value))
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_test_id("scored")).to_be_visible()


def test_round_from_opening_to_a_verified_certificate_of_honour(browser, live_server, world):
    today = local_now().date()
    people = world["people"]
    hr = open_page(browser, live_server, "hr")
    hr.get_by_role("link", name="เชิดชูเกียรติ").click()
    hr.get_by_role("button", name="เปิดรอบการคัดเลือก").click()
    hr.get_by_label("ปี (พ.ศ.)").fill(str(fiscal_year_of(today)))
    hr.locator("#nominations_open").fill(format_input_date(today - timedelta(days=1)))
    hr.locator("#nominations_close").fill(format_input_date(today + timedelta(days=14)))
    hr.get_by_label("จำนวนรางวัลทั้งหมด (เว้นว่าง: ไม่จำกัด)").fill("1")
    hr.get_by_label("ไม่มีเรื่องทางวินัยที่ยังไม่ยุติ").check()
    hr.get_by_role("button", name="บันทึก").click()
    expect(hr.get_by_test_id("round-status")).to_have_text("เปิดรับการเสนอชื่อ")
    round_url = hr.url
    for username, chair in (("committee", True), ("member", False)):
        hr.locator("#account_id").select_option(str(world["accounts"][username].id))
        hr.get_by_label("ประธานกรรมการ").set_checked(chair)
        hr.get_by_role("button", name="เพิ่มเป็นกรรมการ").click()
    expect(hr.get_by_test_id("committee")).to_contain_text("ประธานกรรมการ")

    boss = open_page(browser, live_server, "supervisor")
    boss.goto(round_url)
    nominate(boss, people["inside"], "ตรงต่อเวลา เป็นแบบอย่างที่ดี")
    boss.get_by_label("ไฟล์หลักฐาน (PDF, PNG หรือ JPEG ไม่เกิน 5 MB)").set_input_files(
        {"name": "รางวัลเดิม.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 award letter"})
    boss.get_by_role("button", name="แนบไฟล์").click()
    expect(boss.get_by_test_id("evidence")).to_contain_text("รางวัลเดิม.pdf")
    boss.get_by_test_id("submit-nomination").click()
    expect(boss.get_by_test_id("nomination-status")).to_have_text("ส่งแล้ว")
    for person in (people["second"], people["flagged"]):
        boss.goto(round_url)
        nominate(boss, person, "ขยัน ซื่อสัตย์ เสียสละ")
        boss.get_by_test_id("submit-nomination").click()
        expect(boss.get_by_test_id("nomination-status")).to_have_text("ส่งแล้ว")

    hr.goto(round_url)
    hr.get_by_test_id("advance").click()
    expect(hr.get_by_test_id("round-status")).to_have_text("ตรวจคุณสมบัติ")
    hr.get_by_test_id("nominations").get_by_role("link", name=people["flagged"].full_name).click()
    expect(hr.get_by_test_id("nomination-status")).to_have_text("ขาดคุณสมบัติ")
    expect(hr.locator("[data-rule=no_disciplinary_flag]")).to_contain_text("มีเรื่องทางวินัยที่ยังไม่ยุติ")
    hr.goto(round_url)
    hr.get_by_test_id("advance").click()
    expect(hr.get_by_test_id("round-status")).to_have_text("คณะกรรมการให้คะแนน")

    member = open_page(browser, live_server, "member")
    chair = open_page(browser, live_server, "committee")
    for page in (member, chair):
        page.goto(round_url)
        expect(page.get_by_test_id("nominations")).not_to_contain_text(people["flagged"].full_name)
    member.get_by_role("link", name=people["inside"].full_name).click()
    member.get_by_label("ส่วนได้เสีย", exact=True).select_option("relative")
    member.locator("#scoring textarea[name=note]").fill("เป็นญาติทางภรรยา")
    member.locator("#scoring input[name=understood]").check()  # a conflict cannot be withdrawn
    member.get_by_test_id("declare").click()
    expect(member.get_by_test_id("blocked")).to_have_text("ท่านแจ้งส่วนได้เสียไว้ จึงไม่ให้คะแนนการเสนอชื่อนี้")
    member.goto(round_url)
    member.get_by_role("link", name=people["second"].full_name).click()
    member.get_by_test_id("declare").click()
    score(member, 6)
    for person, value in ((people["inside"], 9), (people["second"], 7)):
        chair.goto(round_url)
        chair.get_by_role("link", name=person.full_name).click()
        chair.get_by_test_id("declare").click()
        score(chair, value)
    chair.goto(round_url)
    expect(chair.get_by_test_id(f"progress-{_nomination_id(people['inside'])}-member")).to_have_text(
        "แจ้งส่วนได้เสียแล้ว")
    chair.get_by_test_id("finalise").click()
    expect(chair.get_by_test_id("round-status")).to_have_text("สรุปผลแล้ว")

    hr.goto(round_url)
    hr.get_by_test_id("advance").click()
    expect(hr.get_by_test_id("round-status")).to_have_text("ประกาศผลแล้ว")
    employee = open_page(browser, live_server, "employee")
    employee.goto(round_url + "/announcement")
    expect(employee.get_by_test_id("announcement")).to_contain_text(people["inside"].full_name)
    expect(employee.get_by_test_id("announcement")).not_to_contain_text(people["second"].full_name)
    hr.goto(round_url + "/announcement")
    with hr.expect_download() as download:
        hr.get_by_role("link", name="ประกาศเกียรติคุณ (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    db.session.commit()  # end the test's read snapshot, to see what the server wrote
    token = db.session.scalar(select(Nomination.certificate_token).where(Nomination.person_id == people["inside"].id))
    public = browser.new_context().new_page()
    public.goto(f"{live_server}/verify/honour/{token}")
    expect(public.get_by_test_id("validity")).to_have_text("ประกาศเกียรติคุณฉบับนี้ถูกต้อง")
    expect(public.get_by_test_id("verification")).to_contain_text(people["inside"].full_name)


def _nomination_id(person) -> int:
    db.session.commit()
    return db.session.scalar(select(Nomination.id).where(Nomination.person_id == person.id))
