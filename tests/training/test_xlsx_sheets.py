"""The training spreadsheets as a spreadsheet program reads them: the sign-in sheet printed on A4, and
session dates typed into Excel or LibreOffice with their Buddhist Era year."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.training.exports import sign_in_sheet_xlsx
from ethics.training.models import Registration, SessionDay, TrainingSession
from ethics.training.registrations import register
from tests.xlsx import assert_for_paper, assert_number, assert_text, first_sheet

RECORDS = ["session_code", "course_code", "course_title", "category", "plan_activity", "session_date", "hours", "venue",
           "citizen_id", "attended", "passed"]


@pytest.mark.parametrize("days, landscape", [(1, False), (3, True)])
def test_the_sign_in_sheet_prints_on_a4(org, make_session, make_person, days, landscape):
    session = make_session(first_day=date(2026, 12, 1), days=days, capacity=30)
    long_unit = org["units"]["audit"]
    long_unit.name_th = "กลุ่มงานพัฒนาทรัพยากรบุคคลและส่งเสริมคุณธรรมจริยธรรมของสำนักงานจังหวัด"
    people = [org["people"]["me"], make_person(long_unit, first_name="=สมหญิง", position="+นักทรัพยากรบุคคลชำนาญการพิเศษ")]
    for person in people:
        register(session.id, person, date(2026, 11, 26))
    db.session.commit()
    roster = list(db.session.scalars(select(Registration).where(Registration.session_id == session.id)
                                     .order_by(Registration.id)))
    sheet = first_sheet(sign_in_sheet_xlsx(session, roster))
    assert_for_paper(sheet, landscape=landscape)
    assert sheet.max_column == 4 + days and sheet.max_row == 3
    assert [sheet.cell(row=1, column=4 + n).value.startswith("ลงชื่อ") for n in range(1, days + 1)] == [True] * days
    assert_number(sheet["A2"], 1)  # the running number is a number
    assert_number(sheet["A3"], 2)
    assert_text(sheet["B3"], people[1].full_name)  # "=สมหญิง" stays text, with no '
    assert_text(sheet["D3"], "+นักทรัพยากรบุคคลชำนาญการพิเศษ")
    assert all(sheet.row_dimensions[row].height >= 30 for row in (2, 3))  # room to sign
    # the long unit name wraps onto more lines than the short one: its row is taller
    assert sheet.row_dimensions[3].height > sheet.row_dimensions[2].height
    assert sheet.column_dimensions["E"].width >= 16  # a signature column wide enough to sign in


def test_a_session_date_typed_with_its_buddhist_era_year_in_a_spreadsheet_imports(runner, org, tmp_path):
    """01/04/2555 typed into Excel or LibreOffice is a date cell in the year 2555: it is 1 April 2012."""
    workbook = Workbook()
    workbook.active.append(RECORDS)
    workbook.active.append(["S2555-01", "ETH01", "จริยธรรม", "ethics", "", datetime(2555, 4, 1), 6, "",
                            org["people"]["me"].citizen_id, "yes", ""])
    path = tmp_path / "records.xlsx"
    workbook.save(path)
    result = runner.invoke(args=["import-training-records", str(path)])
    assert result.exit_code == 0, result.output
    session = db.session.scalar(select(TrainingSession).where(TrainingSession.code == "S2555-01"))
    assert [day.day for day in db.session.scalars(select(SessionDay).where(SessionDay.session_id == session.id))] == \
        [date(2012, 4, 1)]
