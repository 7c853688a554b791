"""`export-report --format xlsx` as a spreadsheet program reads it: the value column numeric for the
automatic rows (the contract), text as text, and the report printed on A4 one page wide."""
from __future__ import annotations

import math
from decimal import Decimal

import pytest

from ethics.plan import exports
from ethics.plan.services import plan_for
from tests.xlsx import assert_for_paper, assert_number, assert_text, first_sheet

VALUE, FIRST_ROW = exports.TITLES.index("ผล"), exports.HEADER_ROW + 1


@pytest.fixture
def demo(load_demo):
    """The whole demo province: the seed's plans fed by its trainings and survey."""
    load_demo()


def activity_rows(sheet) -> dict[str, tuple]:
    """Each activity's row of cells, by its code (column A)."""
    return {row[0].value: row for row in sheet.iter_rows(min_row=FIRST_ROW) if row[0].value and row[2].value}


def test_the_value_column_is_numeric_for_automatic_rows(runner, demo, tmp_path):
    output = tmp_path / "report.xlsx"
    result = runner.invoke(args=["export-report", "--fiscal-year", "2551", "--format", "xlsx", "--output", str(output)])
    assert result.exit_code == 0, result.output
    sheet = first_sheet(output)
    rows = activity_rows(sheet)
    automatic = [a for a in plan_for(2551).activities if a.source != "manual"]
    assert automatic and set(rows) == {a.code for a in plan_for(2551).activities}
    for activity in automatic:
        assert_number(rows[activity.code][VALUE])
    morale = next(a for a in automatic if a.source == "morale_index")
    assert rows[morale.code][VALUE].number_format == "0.00"  # a mean shown to two places, as in the CSV
    for code, row in rows.items():
        assert_text(row[0], code)  # "1.1.1" stays text
    assert_for_paper(sheet, landscape=True, title_rows="$3:$3")
    assert [cell.value for cell in sheet[exports.HEADER_ROW]] == exports.TITLES


def report_row(code, value, measure="มาตรการ", **changes) -> dict:
    return {"code": code, "strategy": "กลยุทธ์", "strategy_number": 1, "measure": measure, "measure_number": 1,
            "activity": f"กิจกรรม {code}", "indicator": "", "responsible": None, "target": "200 คน", "value": value,
            "result": "", "source": "manual", **changes}


def test_values_that_are_plain_numbers_are_numbers_and_the_rest_text():
    measure = "ส่งเสริมคุณธรรมจริยธรรมและสร้างจิตสำนึกในการปฏิบัติหน้าที่ด้วยความซื่อสัตย์สุจริต " * 3
    report = [report_row("1.1.1", "37", measure, source="training_participants"),
              report_row("1.1.2", "3.80", measure, source="morale_index"),
              report_row("1.1.3", "=1+1", measure), report_row("1.1.4", "ร้อยละ 80", measure),
              report_row("1.1.5", "", measure, source="nominees"), report_row("1.1.6", "007", measure)]
    sheet = first_sheet(exports.to_xlsx(report, 2570))
    rows = activity_rows(sheet)
    assert_number(rows["1.1.1"][VALUE], 37)
    assert_number(rows["1.1.2"][VALUE], 3.8)
    assert rows["1.1.2"][VALUE].number_format == "0.00"
    assert_text(rows["1.1.3"][VALUE], "=1+1")  # a text cell, never a formula, no '
    assert_text(rows["1.1.4"][VALUE], "ร้อยละ 80")
    assert rows["1.1.5"][VALUE].value is None  # no value yet: an empty cell
    assert_text(rows["1.1.6"][VALUE], "007")
    assert_text(rows["1.1.1"][5], "200 คน")
    assert_for_paper(sheet, landscape=True, title_rows="$3:$3")
    # the long measure is merged down its six rows, which together are tall enough for it
    merged = next(area for area in sheet.merged_cells.ranges if area.min_col == 2)
    assert (merged.min_row, merged.max_row) == (FIRST_ROW + 1, FIRST_ROW + 6)
    height = sum(sheet.row_dimensions[row].height for row in range(merged.min_row, merged.max_row + 1))
    assert height >= math.ceil(len(measure) / exports.WIDTHS[1]) * 12


@pytest.mark.parametrize("text, value", [("12", 12), ("0", 0), ("-3", -3), ("3.56", Decimal("3.56")),
                                         ("012", "012"), ("1,200", "1,200"), ("12 คน", "12 คน"), ("", "")])
def test_number_or_text(text, value):
    assert exports.number_or_text(text) == value and type(exports.number_or_text(text)) is type(value)
