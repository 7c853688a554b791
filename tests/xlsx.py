"""Reading an exported workbook back as a spreadsheet program sees it: each cell's type and number
format, and how a sheet meant for paper prints."""
from __future__ import annotations

import io
import math
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ethics.core.spreadsheets import BE_DATE_FORMAT


def first_sheet(data: bytes | str | Path):
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    return load_workbook(source).worksheets[0]


def column(sheet, name: str) -> list:
    """The cells under a header (row 1) named so."""
    header = [cell.value for cell in sheet[1]]
    index = header.index(name) + 1
    return [sheet.cell(row=row, column=index) for row in range(2, sheet.max_row + 1)]


def assert_number(cell, value=None) -> None:
    assert cell.data_type == "n" and isinstance(cell.value, int | float), (cell.coordinate, cell.value, cell.data_type)
    if value is not None:
        assert cell.value == value, (cell.coordinate, cell.value)


def assert_text(cell, value: str | None = None) -> None:
    assert cell.data_type == "s" and isinstance(cell.value, str), (cell.coordinate, cell.value, cell.data_type)
    if value is not None:
        assert cell.value == value, (cell.coordinate, cell.value)


def assert_be_date(cell, day: date | None = None) -> None:
    """A date cell (not text), in the number format that shows its Buddhist Era year."""
    assert cell.is_date and isinstance(cell.value, datetime), (cell.coordinate, cell.value, cell.data_type)
    assert cell.number_format == BE_DATE_FORMAT, cell.number_format
    if day is not None:
        assert cell.value.date() == day


def assert_for_paper(sheet, landscape: bool | None = None, title_rows: str = "$1:$1") -> None:
    """A4, one page wide and as many tall as needed, the header rows repeated on every page, page
    numbers in the footer, every used column with a width, every cell wrapped and every row at
    least as tall as its wrapped text: a line per column width of characters (marks above and below
    letters counted too), 12 pt a line of 14 pt text (less than any font needs)."""
    assert int(sheet.page_setup.paperSize) == 9  # A4
    if landscape is not None:
        assert sheet.page_setup.orientation == ("landscape" if landscape else "portrait")
    assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == title_rows
    assert sheet.oddFooter.center.text == "หน้า &P / &N"
    widths = [sheet.column_dimensions[get_column_letter(index)].width for index in range(1, sheet.max_column + 1)]
    assert all(width and width > 0 for width in widths), widths
    merged = {cell for area in sheet.merged_cells.ranges for cell in area.cells}
    for row in sheet.iter_rows():
        height = sheet.row_dimensions[row[0].row].height
        for cell in row:
            if cell.value in (None, "") or (cell.row, cell.column) in merged:
                continue
            assert cell.alignment.wrap_text, cell.coordinate
            width = widths[cell.column - 1]
            needed = sum(max(1, math.ceil(len(line) / width)) for line in str(cell.value).split("\n")) * 12
            assert height and height >= needed, (cell.coordinate, height, needed)
