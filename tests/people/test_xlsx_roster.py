"""The roster as a spreadsheet program has it: a date typed with its Buddhist Era year into Excel or
LibreOffice, and the export's typed cells."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from ethics.core.extensions import db
from ethics.people.models import Person
from tests.conftest import citizen_id
from tests.xlsx import assert_be_date, assert_text, column, first_sheet

HEADER = ["citizen_id", "title", "first_name", "last_name", "personnel_type", "unit_code", "position", "position_level",
          "email", "supervisor_citizen_id", "service_start_date"]
A = citizen_id(910001)


@pytest.fixture
def hr_unit(make_unit):
    return make_unit("HR", "กลุ่มบริหารทรัพยากรบุคคล")


def roster(tmp_path, started) -> str:
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append([A, "นาง", "สมหญิง", "ใจดี", "civil_servant", "HR", "", "", "", "", started])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    return str(path)


@pytest.mark.parametrize("started", [datetime(2555, 4, 1), date(2555, 4, 1), datetime(2012, 4, 1), "01/04/2555",
                                     "2012-04-01"])
def test_a_date_typed_with_its_buddhist_era_year_imports_as_the_same_day(runner, hr_unit, tmp_path, started):
    """01/04/2555 typed into Excel or LibreOffice becomes a date cell in the year 2555; it reads as the
    same day as the text 01/04/2555 (in a CSV too) and the Common Era date cell of 2012."""
    result = runner.invoke(args=["import-roster", roster(tmp_path, started)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Person.service_start_date).where(Person.citizen_id == A)) == date(2012, 4, 1)


def test_the_same_text_in_a_csv_is_the_same_day(runner, hr_unit, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(",".join(HEADER) + f"\n{A},นาง,สมหญิง,ใจดี,civil_servant,HR,,,,,01/04/2555\n", encoding="utf-8")
    assert runner.invoke(args=["import-roster", str(path)]).exit_code == 0
    assert db.session.scalar(select(Person.service_start_date).where(Person.citizen_id == A)) == date(2012, 4, 1)


def test_a_buddhist_era_date_cell_that_is_no_day_is_refused(runner, hr_unit, tmp_path):
    """29/02/2556 is a date in the Common Era calendar's year 2556 (a leap year), but 2013 was not one."""
    result = runner.invoke(args=["import-roster", roster(tmp_path, datetime(2556, 2, 29))])
    assert result.exit_code == 1
    assert "row 2: service_start_date: not a possible date" in result.output


def test_the_roster_export_has_typed_cells_and_imports_unchanged(runner, hr_unit, tmp_path):
    assert runner.invoke(args=["import-roster", roster(tmp_path, datetime(2555, 4, 1))]).exit_code == 0
    output = tmp_path / "export.xlsx"
    assert runner.invoke(args=["export-roster", "--output", str(output)]).exit_code == 0
    sheet = first_sheet(output)
    assert_text(column(sheet, "citizen_id")[0], A)
    assert_be_date(column(sheet, "service_start_date")[0], date(2012, 4, 1))  # shows 01/04/2555
    result = runner.invoke(args=["import-roster", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "new 0, updated 0, unchanged 1"
