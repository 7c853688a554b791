"""The training-records import and attendance export contracts, through the CLI."""
from __future__ import annotations

import csv
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from ethics.core.extensions import db
from ethics.training import counting
from ethics.training.models import Attendance, Course, Registration, TrainingSession
from tests.xlsx import assert_be_date, assert_number, assert_text, column

HEADER = "session_code,course_code,course_title,category,plan_activity,session_date,hours,venue,citizen_id,attended,passed"


@pytest.fixture
def people(org):
    return org["people"]


def as_text(value) -> str:
    """A typed XLSX cell's value as the CSV writes it."""
    return "" if value is None else value.date().isoformat() if isinstance(value, datetime) else str(value)


def write(tmp_path, lines, name="records.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return str(path)


def sheet(people):
    a, b = people["me"].citizen_id, people["inside"].citizen_id
    return [
        f"S2551-01,ETH01,จริยธรรมสำหรับข้าราชการ,ethics,,2008-03-10,6,ศาลากลาง,{a},yes,yes",
        f"S2551-01,ETH01,จริยธรรมสำหรับข้าราชการ,ethics,,11/03/2551,6,ศาลากลาง,{a},1,yes",
        f"S2551-01,ETH01,จริยธรรมสำหรับข้าราชการ,ethics,,2008-03-10,6,ศาลากลาง,{b},true,",
        f"S2551-01,ETH01,จริยธรรมสำหรับข้าราชการ,ethics,,2008-03-11,6,ศาลากลาง,{b},no,",
    ]


def test_import_creates_course_session_days_and_attendance(runner, people, tmp_path):
    result = runner.invoke(args=["import-training-records", write(tmp_path, sheet(people))])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "new 4, updated 0, unchanged 0"
    session = db.session.scalar(select(TrainingSession))
    assert session.code == "S2551-01" and session.status == "held" and len(session.days) == 2
    assert db.session.scalar(select(Course.title_th)) == "จริยธรรมสำหรับข้าราชการ"
    assert db.session.scalar(select(func.count()).select_from(Attendance).where(Attendance.present)) == 3
    passed = db.session.scalar(select(Registration.passed).where(Registration.person_id == people["me"].id))
    assert passed is True
    sessions = counting.sessions_of(2551)
    assert counting.participants(sessions).total == 2 and counting.passed(sessions).total == 1
    again = runner.invoke(args=["import-training-records", write(tmp_path, sheet(people))])
    assert again.output.strip() == "new 0, updated 0, unchanged 4"


@pytest.mark.parametrize("line, message", [
    ("S1,C1,ชื่อ,ethics,,2008-03-10,6,,{x},yes,", "row 2: citizen_id: unknown person"),
    ("S1,C1,ชื่อ,sports,,2008-03-10,6,,{a},yes,", "row 2: category: unknown category sports"),
    ("S1,C1,ชื่อ,ethics,,2008-02-30,6,,{a},yes,", "row 2: session_date: not a possible date"),
    ("S1,C1,ชื่อ,ethics,,2008-03-10,6,,{a},maybe,", "row 2: attended: use yes/no"),
    ("S1,C1,ชื่อ,ethics,1.1.4,2008-03-10,6,,{a},yes,", "row 2: plan_activity: 1.1.4 is not in the plan of fiscal year 2551"),
    ("S1,C1,ชื่อ,ethics,,2008-03-10,six,,{a},yes,", "row 2: hours: not a number"),
])
def test_bad_rows(runner, people, tmp_path, line, message):
    from ethics.people.citizen_id import check_digit

    unknown = "999999999999" + str(check_digit("999999999999"))
    line = line.format(a=people["me"].citizen_id, x=unknown)
    result = runner.invoke(args=["import-training-records", write(tmp_path, [line])])
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0


def test_conflicting_course_data_and_passed_values(runner, people, tmp_path):
    a = people["me"].citizen_id
    result = runner.invoke(args=["import-training-records", write(tmp_path, [
        f"S1,C1,ชื่อหนึ่ง,ethics,,2008-03-10,6,,{a},yes,yes",
        f"S1,C1,ชื่อสอง,ethics,,2008-03-11,6,,{a},yes,no",
    ])])
    assert result.exit_code == 1
    assert "row 3: course_code: conflicting course data for C1" in result.output
    assert "row 3: passed: conflicts with row 2" in result.output


def test_duplicate_day_for_one_person(runner, people, tmp_path):
    a = people["me"].citizen_id
    result = runner.invoke(args=["import-training-records", write(tmp_path, [
        f"S1,C1,ชื่อ,ethics,,2008-03-10,6,,{a},yes,",
        f"S1,C1,ชื่อ,ethics,,10/03/2551,6,,{a},no,",
    ])])
    assert result.exit_code == 1 and "row 3: session_date: duplicated in the file (also row 2)" in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_attendance_columns(runner, people, tmp_path, fmt):
    runner.invoke(args=["import-training-records", write(tmp_path, sheet(people))])
    output = tmp_path / f"attendance.{fmt}"
    result = runner.invoke(args=["export-attendance", "--fiscal-year", "2551", "--output", str(output)])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        rows = list(csv.reader(output.open(encoding="utf-8-sig")))
    else:  # the contract: days_attended a number cell; and the dates are date cells shown in the B.E.
        workbook = load_workbook(output).active
        for cell in column(workbook, "days_attended"):
            assert_number(cell)
        for cell in column(workbook, "first_date") + column(workbook, "last_date"):
            assert_be_date(cell)
        for cell in column(workbook, "citizen_id"):
            assert_text(cell)
        rows = [[as_text(cell) for cell in row] for row in workbook.iter_rows(values_only=True)]
    assert rows[0] == ["session_code", "course_code", "category", "first_date", "last_date", "citizen_id", "name",
                       "unit", "personnel_type", "days_attended", "completed", "passed"]
    by_person = {row[5]: row for row in rows[1:]}
    me = by_person[people["me"].citizen_id]
    assert me[:5] == ["S2551-01", "ETH01", "ethics", "2008-03-10", "2008-03-11"]
    assert me[9:] == ["2", "yes", "yes"]
    assert by_person[people["inside"].citizen_id][9:] == ["1", "", ""]
    empty = tmp_path / f"empty.{fmt}"
    runner.invoke(args=["export-attendance", "--fiscal-year", "2552", "--output", str(empty)])
    assert empty.exists()
