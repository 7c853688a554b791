import io
import zipfile

import pytest
from openpyxl import load_workbook

from ethics.core import spreadsheets
from ethics.core.spreadsheets import SpreadsheetError, TooManyRows, escape_cell, read_table, unescape_cell

ALIASES = {"name": "name", "ชื่อ": "name", "code": "code"}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "'=x", "'x", "plain", "", "ก=1"])
def test_escape_then_unescape_round_trips(value):
    escaped = escape_cell(value)
    assert not escaped.startswith(spreadsheets.DANGEROUS_START)
    assert unescape_cell(escaped) == value


def test_csv_export_quotes_and_escapes(tmp_path):
    path = tmp_path / "out.csv"
    spreadsheets.write_file(path, ["name", "code"], [['=HYPERLINK("x")', "a,b"], ["line\nbreak", "-5"]])
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[1] == '"\'=HYPERLINK(""x"")","a,b"'
    assert "'-5" in text
    table = read_table("out.csv", path.read_bytes(), ALIASES)
    assert [values for _, values in table.rows] == [{"name": '=HYPERLINK("x")', "code": "a,b"},
                                                      {"name": "line\nbreak", "code": "-5"}]


def test_xlsx_export_stores_text_not_formulas(tmp_path):
    path = tmp_path / "out.xlsx"
    spreadsheets.write_file(path, ["name", "code"], [["=1+1", "0012345678901"]])
    sheet = load_workbook(path).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "'=1+1"
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == "0012345678901"
    table = read_table("out.xlsx", path.read_bytes(), ALIASES)
    assert table.rows == [(2, {"name": "=1+1", "code": "0012345678901"})]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_csv_encodings_are_detected(encoding):
    data = "ชื่อ,code\nสมชาย,A1\n".encode(encoding)
    table = read_table("x.csv", data, ALIASES)
    assert table.rows == [(2, {"name": "สมชาย", "code": "A1"})]


def test_row_numbers_count_like_excel_and_skip_blank_rows():
    table = read_table("x.csv", b"name,code\na,1\n,\nb,2\n", ALIASES)
    assert [number for number, _ in table.rows] == [2, 4]


@pytest.mark.parametrize("filename, data", [
    ("x.txt", b"name\n"),
    ("x.csv", b""),
    ("x.csv", b"PK\x03\x04rest"),
    ("x.xlsx", b"name,code\n"),
    ("x.xlsx", b"PK\x03\x04 not really a zip"),
])
def test_unreadable_files_are_refused(filename, data):
    with pytest.raises(SpreadsheetError):
        read_table(filename, data, ALIASES)


def test_xlsx_unpacked_size_is_limited():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 2_000_000)
    with pytest.raises(SpreadsheetError, match="too large"):
        read_table("bomb.xlsx", buffer.getvalue(), ALIASES, max_unpacked=1_000_000)


def test_xlsx_numbers_and_dates_become_text(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["name", "code"])
    workbook.active.append([1101700203451, datetime(2020, 5, 1)])
    path = tmp_path / "typed.xlsx"
    workbook.save(path)
    table = read_table("typed.xlsx", path.read_bytes(), ALIASES)
    assert table.rows == [(2, {"name": "1101700203451", "code": "2020-05-01"})]


def test_workbook_xml_is_parsed_with_defusedxml():
    """openpyxl switches to defusedxml when it is installed; entity-expansion bombs then fail safely."""
    from openpyxl import xml

    assert xml.DEFUSEDXML is True


def test_more_data_rows_than_the_limit_stop_the_reading(monkeypatch):
    read = []
    rows = spreadsheets._csv_rows

    def counted(data):
        for row in rows(data):
            read.append(row)
            yield row

    monkeypatch.setattr(spreadsheets, "_csv_rows", counted)
    data = b"name,code\n" + b"a,1\n" * 3 + b",\n\n" + b"b,2\n" * 100
    assert len(read_table("x.csv", data, ALIASES, max_rows=103).rows) == 103  # blank rows do not count
    read.clear()
    with pytest.raises(TooManyRows, match="more than 5 rows") as refused:
        read_table("x.csv", data, ALIASES, max_rows=5)
    assert refused.value.limit == 5
    assert len(read) == 1 + 3 + 2 + 3  # the header, 3 rows, 2 blank ones, then 3 more: the 6th data row ends it


def _workbook(sheet_xml: str) -> bytes:
    """A workbook of one sheet with this XML, as a file from any writer may have it."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = sheet_xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, content)
    return out.getvalue()


SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>code</t></is></c>'
         '</row><row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c></row></sheetData></worksheet>')


def test_an_xlsx_declared_size_is_not_trusted():
    data = _workbook(SHEET.format(dimension='<dimension ref="A1:Z5000"/>'))
    rows = list(spreadsheets._xlsx_rows(data, 10_000_000))
    assert rows == [("name", "code"), ("a",)]  # not 5,000 rows of 26 cells
    assert read_table("x.xlsx", data, ALIASES).rows == [(2, {"name": "a"})]


def test_opening_an_xlsx_does_not_parse_its_sheet(monkeypatch):
    """openpyxl's loader parses a sheet without <dimension> to its end when the workbook opens."""
    from openpyxl.worksheet._reader import WorkSheetParser

    def refuse(self):
        raise AssertionError("the sheet was parsed for its size")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", refuse)
    data = _workbook(SHEET.format(dimension=""))
    assert read_table("x.xlsx", data, ALIASES).rows == [(2, {"name": "a"})]
