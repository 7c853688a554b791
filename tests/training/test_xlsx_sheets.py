"""The training spreadsheets as a spreadsheet program reads them: the sign-in sheet printed on A4, and
session dates typed into Excel or LibreOffice with their Buddhist Era year."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.training.exports import sign_in_sheet, sign_in_sheet_xlsx
from ethics.training.models import Registration, SessionDay, TrainingSession
from ethics.training.registrations import register
from tests.xlsx import assert_for_paper, assert_number, assert_text, first_sheet

RECORDS = ["session_code", "course_code", "course_title", "category", "plan_activity", "session_date", "hours", "venue",
           "citizen_id", "attended", "passed"]


@pytest.mark.parametrize("hours, header_rows, columns", [((9, 16), 2, 7), ((9, 12), 1, 6)], ids=["two-halves", "morning"])
def test_the_sign_in_sheet_prints_on_a4(org, make_session, make_person, hours, header_rows, columns):
    session = make_session(first_day=date(2026, 12, 1), capacity=30)
    session.days[0].starts, session.days[0].ends = (time(hour, 0) for hour in hours)
    long_unit = org["units"]["audit"]
    long_unit.name_th = "กลุ่มงานพัฒนาทรัพยากรบุคคลและส่งเสริมคุณธรรมจริยธรรมของสำนักงานจังหวัด"
    people = [org["people"]["me"], make_person(long_unit, first_name="=สมหญิง", position="+นักทรัพยากรบุคคล",
                                               position_level="ชำนาญการพิเศษ")]
    for person in people:
        register(session.id, person, date(2026, 11, 26))
    db.session.commit()
    roster = list(db.session.scalars(select(Registration).where(Registration.session_id == session.id)
                                     .order_by(Registration.id)))
    sheet = first_sheet(sign_in_sheet_xlsx(sign_in_sheet(session, roster, None)))
    first = 3 + header_rows  # under the title, the day and the header
    assert_for_paper(sheet, landscape=False, title_rows=f"$3:${first - 1}")
    assert sheet.max_column == columns  # a signature column for each half of a day with two
    assert_number(sheet.cell(row=first, column=1), 1)  # the running number is a number
    assert_number(sheet.cell(row=first + 1, column=1), 2)
    assert_text(sheet.cell(row=first + 1, column=2), people[1].full_name)  # "=สมหญิง" stays text, with no '
    assert_text(sheet.cell(row=first + 1, column=3), "+นักทรัพยากรบุคคล ชำนาญการพิเศษ")
    assert all(sheet.row_dimensions[row].height >= 30 for row in (first, first + 1))  # room to sign
    # the long unit name wraps onto more lines than the short one: its row is taller
    assert sheet.row_dimensions[first + 1].height > sheet.row_dimensions[first].height
    assert sheet.column_dimensions["B"].width >= len(people[1].full_name)  # a name never wraps
    assert sheet.column_dimensions["E"].width >= 12  # a signature column wide enough to sign in


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
