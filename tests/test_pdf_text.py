"""Every kind of PDF the application makes reads back, with pdftotext and with pypdf, as the text that was laid
out: ำ and the tone mark above it included ("ดำเนินการ", never "ดาเนินการ"; "น้ำหนัก", never "นาหนัก"). Search,
copy-paste, screen readers and archiving tools read this text layer, not the printed page."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ethics.core import documents
from ethics.core.extensions import db
from ethics.core.fiscal import local_now
from ethics.recognition import rounds, scoring
from ethics.recognition.models import ConflictKind
from ethics.survey import answering, campaigns
from ethics.training import attendance, results
from ethics.training.models import Certificate
from ethics.training.registrations import register
from tests.pdf import assert_text_layer
from tests.recognition.conftest import OPENS, open_round, submit_all

COURSE = "การดำเนินการตามประมวลจริยธรรมสำหรับผู้อำนวยการ"
COMMENT = "มีผลการดำเนินการโดดเด่น เสริมสร้างกำลังใจ"


@pytest.fixture
def pages(monkeypatch):
    """The HTML of each PDF, as it went to WeasyPrint."""
    made: list[str] = []

    def spy(html: str) -> str:
        made.append(printable(html))
        return made[-1]

    printable = documents.printable
    monkeypatch.setattr(documents, "printable", spy)
    return made


@pytest.fixture
def trainee(org, make_unit, make_person):
    unit = make_unit("DMR", "ศูนย์ดำรงธรรมจังหวัด", parent=org["units"]["province"])
    return make_person(unit, title="นางสาว", first_name="น้ำฝน", last_name="ค่ำคืนดี", position="ผู้อำนวยการ")


def certificate_for(make_course, make_session, person, days: int) -> Certificate:
    session = make_session(course=make_course(title_th=COURSE), first_day=date(2026, 11, 30), days=days)
    register(session.id, person, session.first_day)
    for day in session.days:
        attendance.mark(session.id, person.id, day.id, True)
    results.close(session, session.last_day)
    db.session.commit()
    return db.session.scalar(select(Certificate))


@pytest.mark.parametrize("days, dates", [
    (1, "เมื่อวันที่30พฤศจิกายน2569ณห้องประชุม"),  # one day: "on", never "between"
    (2, "ระหว่างวันที่30พฤศจิกายน2569ถึง1ธันวาคม2569ณห้องประชุม"),
], ids=["one-day", "two-days"])
def test_training_certificate(client, auth, make_course, make_session, trainee, pages, days, dates):
    certificate = certificate_for(make_course, make_session, trainee, days)
    auth.login("hr")
    body = client.get(f"/training/certificates/{certificate.id}.pdf").data
    for text in assert_text_layer(body, pages[-1]).values():
        assert "นางสาวน้ำฝนค่ำคืนดี" in text and f"ได้ผ่านการอบรมหลักสูตร{COURSE}" in text
        assert dates in text and ("ระหว่างวันที่" in text) == (days > 1)


def test_training_sign_in_sheet(client, auth, make_course, make_session, trainee, pages):
    session = make_session(course=make_course(title_th=COURSE), days=2)
    register(session.id, trainee, session.first_day)
    db.session.commit()
    auth.login("hr")
    body = client.get(f"/training/sessions/{session.id}/sign-in-sheet.pdf").data
    for text in assert_text_layer(body, pages[-1]).values():
        assert f"หลักสูตร{COURSE}" in text and "นางสาวน้ำฝนค่ำคืนดี" in text and "ศูนย์ดำรงธรรมจังหวัด" in text


@pytest.fixture
def announced(org, make_account, make_unit, make_person, trainee):
    """A round with three nominees, scored by two members with comments, finalised and announced."""
    chair = org["accounts"]["committee"]
    member = make_account("member", ("committee", "employee"), person=make_person(org["units"]["audit"]))
    award_round = open_round(quota_total=1)
    award_round.title = "ข้าราชการพลเรือนดีเด่น ประจำปี 2569"
    made = submit_all(award_round, [trainee, make_person(org["units"]["dev_team"], first_name="กำพล"),
                                    make_person(org["units"]["dev_team"], first_name="ต่ำต้อย")],
                      org["accounts"]["supervisor"].id)
    rounds.add_member(award_round, chair, is_chair=True)
    rounds.add_member(award_round, member, is_chair=False)
    rounds.start_screening(award_round)
    rounds.start_scoring(award_round)
    for nomination in made:
        for account in (chair, member):
            scoring.declare(nomination, account, ConflictKind.NONE, "")
            scoring.save_scores(nomination, account, {c.id: (10 - made.index(nomination), COMMENT)
                                                      for c in award_round.criteria})
    scoring.finalise(award_round, chair)
    rounds.announce(award_round, OPENS + timedelta(days=60))
    db.session.commit()
    return award_round, made[0]


def test_certificate_of_honour(client, auth, announced, pages):
    _award_round, winner = announced
    auth.login("hr")
    body = client.get(f"/recognition/nominations/{winner.id}/certificate.pdf").data
    for text in assert_text_layer(body, pages[-1]).values():
        assert "นางสาวน้ำฝนค่ำคืนดี" in text and "ผู้อำนวยการ" in text
        assert "ได้รับการคัดเลือกเป็นข้าราชการพลเรือนดีเด่นประจำปี2569" in text


def test_score_sheet(client, auth, announced, pages):
    award_round, _winner = announced
    auth.login("hr")
    body = client.get(f"/recognition/rounds/{award_round.id}/score-sheet.pdf").data
    for text in assert_text_layer(body, pages[-1]).values():
        assert "นางสาวน้ำฝนค่ำคืนดี" in text and "ต่ำต้อย" in text and "กำพล" in text and "".join(COMMENT.split()) in text
        assert "ศูนย์ดำรงธรรมจังหวัด" in text and "DMR" not in text  # units by name, never by code
        assert "(นายสมชายทดสอบ" in text and "member" not in text  # by full name; the username only without a person
        assert "ไม่มีกรรมการผู้ใดแจ้งว่ามีส่วนได้เสีย" in text  # every declaration was "none"
        assert text.count("ลงชื่อ") == 2 and text.index("ประธานกรรมการ(committee)") < text.index("กรรมการ(นายสมชาย")


def test_plan_report(client, auth, org, pages):
    from ethics.demo.plan import seed

    seed()
    db.session.commit()
    auth.login("hr")
    body = client.get("/plan/2551/report.pdf").data
    for text in assert_text_layer(body, pages[-1]).values():
        assert "รายงานผลการดำเนินการตามแผนปฏิบัติราชการใสสะอาด" in text
        assert "ระยะเวลาในการดำเนินการสอบสวนทางวินัยตามกฏหมายกำหนด" in text and "กำลังใจ" in text


def test_survey_results(client, auth, org, make_person, pages):
    people = [make_person(org["units"]["province"]) for _ in range(6)]  # eligible when the survey opens
    today = local_now().date()
    campaign = campaigns.create(campaigns.CampaignData(fiscal_year=2570, title="วัดระดับขวัญกำลังใจและน้ำใจในการทำงาน",
                                                       opens_on=today - timedelta(days=10),
                                                       closes_on=today + timedelta(days=30)))
    campaigns.open_campaign(campaign)
    db.session.commit()
    for person in people:
        answering.submit(campaign.id, person.id, {item.id: 4 for item in campaign.items}, "")
    answering.close_campaign(campaign)
    db.session.commit()
    auth.login("hr")
    body = client.get(f"/survey/campaigns/{campaign.id}/results.pdf").data
    for text in assert_text_layer(body, pages[-1]).values():
        assert "ผลการวัดระดับขวัญกำลังใจ" in text and "วัดระดับขวัญกำลังใจและน้ำใจในการทำงาน" in text
        assert "สำนักงานจังหวัด" in text
