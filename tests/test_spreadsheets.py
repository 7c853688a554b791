import io
import zipfile

import pytest
from openpyxl import load_workbook

from ethics.core import spreadsheets
from ethics.core.spreadsheets import SpreadsheetError, escape_cell, read_table, unescape_cell

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
