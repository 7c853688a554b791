"""Documents name the agency at the top and close with the block of whoever signs them: the
session's chosen signatory or its unit's head for training certificates, the organisation's choices
for certificates of honour and the report, a blank line to sign by hand when nobody is chosen."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.organisation.services import SignatureBlock, unit_head
from ethics.people.services import UnitData, save_unit
from ethics.training import attendance, results
from ethics.training.catalogue import SessionData, save_session
from ethics.training.models import Certificate
from ethics.training.registrations import register
from tests.pdf import pdf_text, squeezed
from tests.test_pdf_text import announced, trainee  # noqa: F401  # fixtures

BLANK = "(..................................................)"


def head_of(unit, signatory) -> None:
    save_unit(unit, UnitData(unit.code, unit.name_th, unit.name_en, unit.parent_id, signatory_id=signatory.id))
    db.session.commit()


def certificate_text(client, auth, make_session, person, unit=None, signatory=None) -> str:
    session = make_session(first_day=date(2026, 11, 30))
    save_session(session, SessionData(session.code, session.course_id, session.first_day, session.last_day,
                                      session.days[0].starts, session.days[0].ends, session.venue, None, "",
                                      unit.id if unit else None, "", None, True, "open",
                                      signatory.id if signatory else None))
    register(session.id, person, session.first_day)
    attendance.mark(session.id, person.id, session.days[0].id, True)
    results.close(session, session.last_day)
    db.session.commit()
    auth.login("hr")
    certificate = db.session.scalar(select(Certificate))
    return pdf_text(client.get(f"/training/certificates/{certificate.id}.pdf").data)


def test_a_training_certificate_is_signed_by_the_head_of_the_nearest_unit_that_has_one(
        client, auth, org, agency, make_session):
    head_of(org["units"]["province"], agency["governor"])
    text = squeezed(certificate_text(client, auth, make_session, org["people"]["me"], org["units"]["dev_team"]))
    assert "สำนักงานจังหวัดระยอง" in text  # the issuing agency
    assert "ลงชื่อ" in text and "(นายสมชายใจดี)" in text and "ผู้ว่าราชการจังหวัดระยอง" in text


def test_the_session_s_chosen_signatory_signs_instead_of_the_unit_head(client, auth, org, agency, make_session):
    head_of(org["units"]["province"], agency["governor"])
    text = squeezed(certificate_text(client, auth, make_session, org["people"]["me"], org["units"]["dev"],
                                     signatory=agency["centre"]))
    assert "(นายอนันต์ทองคำ)" in text and "ผู้อำนวยการศูนย์พัฒนา" in text and "นายสมชาย" not in text


def test_without_a_signatory_the_certificate_leaves_a_line_to_sign_by_hand(client, auth, org, make_session):
    text = certificate_text(client, auth, make_session, org["people"]["me"])
    assert "ลงชื่อ" in text and BLANK in text


def test_unit_head_walks_up_the_tree(app, org, agency):
    dev = org["units"]["dev"]
    assert unit_head(org["units"]["dev_team"]) is None
    head_of(dev, agency["centre"])
    assert unit_head(org["units"]["dev_team"]) == agency["centre"] and unit_head(org["units"]["audit"]) is None


def test_a_signature_image_is_printed_on_the_line(app, agency):
    from ethics.organisation.services import ImageChange, SignatoryData, save_signatory
    from tests.organisation.conftest import picture

    signed = save_signatory(None, SignatoryData("ก", "ข"), ImageChange(upload=picture(size=(300, 100))))
    assert SignatureBlock.of(signed).signature.startswith("data:image/png;base64,")
    assert SignatureBlock.of(None, "ผู้รับรอง") == SignatureBlock("", "", None, "ผู้รับรอง")


def test_the_certificate_of_honour_is_signed_for_the_organisation(client, auth, agency, announced):  # noqa: F811
    _round, winner = announced
    auth.login("hr")
    text = squeezed(pdf_text(client.get(f"/recognition/nominations/{winner.id}/certificate.pdf").data))
    assert "สำนักงานจังหวัดระยอง" in text and "(นายสมชายใจดี)" in text and "ผู้ว่าราชการจังหวัดระยอง" in text


@pytest.fixture
def plan_year(app):
    from ethics.demo.plan import seed as seed_plan

    seed_plan(2570)
    db.session.commit()
    return 2570


def test_the_report_has_its_header_period_date_and_both_signatures(client, auth, org, agency, make_person,
                                                                   make_account, plan_year):
    preparer = make_person(org["units"]["province"], title="นาง", first_name="พรทิพย์", last_name="บุญมา",
                           position="นักวิเคราะห์นโยบายและแผน", position_level="ชำนาญการ")
    make_account("planner", ("hr", "employee"), person=preparer)
    db.session.commit()
    auth.login("planner")
    pages = pdf_text(client.get(f"/plan/{plan_year}/report.pdf").data).split("\f")
    text = squeezed("".join(pages))
    assert squeezed(pages[0]).startswith("สำนักงานจังหวัดระยองศาลากลางจังหวัดระยอง")
    assert "ระยะเวลา1ตุลาคม2569ถึง30กันยายน2570" in text and "ข้อมูลณวันที่" in text
    assert "(นางพรทิพย์บุญมา)นักวิเคราะห์นโยบายและแผนชำนาญการ" in text and "ผู้จัดทำ" in text
    assert "(นางสาวมาลีศรีสุข)หัวหน้าสำนักงานจังหวัดระยอง" in text and "ผู้รับรอง" in text
    assert len(pages) > 2 and "-2-" in squeezed(pages[1]) and "-1-" not in squeezed(pages[0])


def test_the_report_from_the_command_line_leaves_the_preparer_to_sign_by_hand(runner, agency, plan_year, tmp_path):
    output = tmp_path / "report.pdf"
    result = runner.invoke(args=["export-report", "--fiscal-year", str(plan_year), "--format", "pdf",
                                 "--output", str(output)])
    assert result.exit_code == 0, result.output
    text = pdf_text(output.read_bytes())
    assert BLANK in text and "(นางสาวมาลี ศรีสุข)" in text
