import io
import shutil
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
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "=1+1"  # a text cell: no ' needed, none shown
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == "0012345678901"
    table = read_table("out.xlsx", path.read_bytes(), ALIASES)
    assert table.rows == [(2, {"name": "=1+1", "code": "0012345678901"})]


FORMULA_LOOKING = ["=1+1", '=HYPERLINK("http://x")', "+66812345678", "-5", "@SUM(A1)", "#N/A", "#REF!", "ก=1"]


def test_formula_looking_text_is_a_text_cell_without_an_apostrophe(tmp_path):
    path = tmp_path / "out.xlsx"
    spreadsheets.write_xlsx(path, ["name"], [[text] for text in FORMULA_LOOKING])
    cells = [row[0] for row in load_workbook(path).active.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in cells] == [(text, "s") for text in FORMULA_LOOKING]
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml and 't="e"' not in xml  # no formula, no error cell
    assert "'" not in xml.split("<sheetData>")[1]
    assert [values["name"] for _, values in read_table("out.xlsx", path.read_bytes(), ALIASES).rows] == FORMULA_LOOKING


@pytest.mark.parametrize("text", ["'=x", "'+1", "''", "'x", "'"])
def test_text_that_starts_with_an_apostrophe_round_trips_through_xlsx(tmp_path, text):
    path = tmp_path / "out.xlsx"
    spreadsheets.write_xlsx(path, ["name"], [[text]])
    assert read_table("out.xlsx", path.read_bytes(), ALIASES).rows == [(2, {"name": text})]


def test_xlsx_cells_are_typed_and_the_csv_is_the_text_it_was(tmp_path):
    from datetime import date, datetime
    from decimal import Decimal

    from tests.xlsx import assert_be_date, assert_number, assert_text

    header = ["text", "id", "count", "score", "mean", "day", "moment", "none", "empty"]
    row = ["สมชาย", "0012345678901", 12, Decimal("85.50"), 3.25, date(2012, 4, 1), datetime(2012, 4, 1, 9, 30), None, ""]
    xlsx, csv_path = tmp_path / "out.xlsx", tmp_path / "out.csv"
    spreadsheets.write_file(xlsx, header, [row])
    spreadsheets.write_file(csv_path, header, [row])
    cells = load_workbook(xlsx).active[2]
    assert_text(cells[0], "สมชาย")
    assert_text(cells[1], "0012345678901")  # an ID stays text, its leading zeros kept
    assert_number(cells[2], 12)
    assert_number(cells[3], 85.5)
    assert cells[3].number_format == "0.00"  # shows 85.50, as the CSV writes it
    assert_number(cells[4], 3.25)
    assert_be_date(cells[5], date(2012, 4, 1))
    assert cells[6].is_date and cells[6].value == datetime(2012, 4, 1, 9, 30)
    assert cells[6].number_format == spreadsheets.BE_DATETIME_FORMAT
    assert cells[7].value is None and cells[8].value is None
    assert csv_path.read_text(encoding="utf-8-sig").splitlines()[1] == \
        "สมชาย,0012345678901,12,85.50,3.25,2012-04-01,2012-04-01 09:30:00,,"


def test_the_buddhist_era_date_format():
    """Excel: Thai locale, Thai Buddhist calendar, Western digits; openpyxl (and so the imports)
    reads a cell in it as a date."""
    from openpyxl.styles.numbers import is_date_format

    assert spreadsheets.BE_DATE_FORMAT == "[$-107041E]dd/mm/yyyy"
    assert is_date_format(spreadsheets.BE_DATE_FORMAT) and is_date_format(spreadsheets.BE_DATETIME_FORMAT)


def test_date_cells_typed_in_the_buddhist_era_read_as_be_dates(tmp_path):
    """01/04/2555 typed into Excel or LibreOffice is a date cell in the year 2555: it reads as the text
    the imports take for a Buddhist Era date; a Common Era date cell reads as YYYY-MM-DD as before."""
    from datetime import date, datetime

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["name", "code"])
    workbook.active.append([datetime(2555, 4, 1), date(2012, 4, 1)])
    workbook.active.append([datetime(2400, 1, 1, 8, 0), datetime(2399, 12, 31)])
    path = tmp_path / "typed.xlsx"
    workbook.save(path)
    table = read_table("typed.xlsx", path.read_bytes(), ALIASES)
    assert table.rows == [(2, {"name": "01/04/2555", "code": "2012-04-01"}),
                          (3, {"name": "01/01/2400", "code": "2399-12-31"})]


def test_text_width_leaves_out_thai_marks_above_and_below():
    assert spreadsheets.text_width("น้ำ") == 2 and spreadsheets.text_width("abc") == 3
    assert spreadsheets.lines_of("ก" * 20, 11) == 2 and spreadsheets.lines_of("ก\nข", 30) == 2
    assert spreadsheets.row_height(["ก" * 30, "ข"], [11, 11], 14) > spreadsheets.row_height(["ก", "ข"], [11, 11], 14)
    assert spreadsheets.row_height(["ก"], [11], 14, least=30) == 30


def test_a_sheet_for_paper(tmp_path):
    from tests.xlsx import assert_for_paper, assert_number

    path = tmp_path / "paper.xlsx"
    long_name = "นางสาวสมหญิง ใจดีมีสุขสวัสดิ์ " * 3
    spreadsheets.write_xlsx(path, ["ลำดับ", "ชื่อ-นามสกุล", "ลงชื่อ"], [[1, long_name, ""], [2, "นายสมชาย", None]],
                            paper=spreadsheets.Paper(widths=(6, 20), landscape=True, least_height=30))
    sheet = load_workbook(path).active
    assert_for_paper(sheet, landscape=True)
    assert sheet.column_dimensions["A"].width == 6 and sheet.column_dimensions["B"].width == 20
    assert sheet.column_dimensions["C"].width >= 6  # sized to its text
    assert sheet.row_dimensions[2].height > sheet.row_dimensions[3].height >= 30  # room to sign
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert all(cell.border.left.style == "thin" for row in sheet.iter_rows() for cell in row)  # empty ones too
    assert_number(sheet["A2"], 1)


@pytest.mark.parametrize("paper", [None, spreadsheets.Paper()])
def test_write_xlsx_streams_in_openpyxls_write_only_mode(tmp_path, monkeypatch, paper):
    import openpyxl

    made = []

    def workbook(*args, **kwargs):
        made.append(kwargs.get("write_only"))
        return real(*args, **kwargs)

    real = openpyxl.Workbook
    monkeypatch.setattr(openpyxl, "Workbook", workbook)
    spreadsheets.write_xlsx(tmp_path / "out.xlsx", ["a"], ([n] for n in range(3)), paper=paper)
    assert made == [True]
    assert [row[0] for row in load_workbook(tmp_path / "out.xlsx").active.iter_rows(values_only=True)] == ["a", 0, 1, 2]


LIBREOFFICE = shutil.which("soffice")


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice (soffice) is not installed here: the XLSX export "
                                                "was not opened by a real spreadsheet program in this run")
def test_libreoffice_reads_the_xlsx_as_typed(tmp_path):
    """LibreOffice converts an export to CSV quoting every text cell (filter option 7) and writing
    each cell as shown (option 9): text cells come out quoted, formula-looking text as it was (not
    evaluated), numbers unquoted with their digits, and the date unquoted in its Buddhist Era year."""
    import subprocess
    from datetime import date
    from decimal import Decimal

    path = tmp_path / "export.xlsx"
    spreadsheets.write_xlsx(path, ["name", "formula", "phone", "at", "count", "score", "day"],
                            [["สมชาย", "=1+1", "+66812345678", "@SUM(A1)", 5, Decimal("85.50"), date(2012, 4, 1)]])
    subprocess.run([LIBREOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,false,true",
                    "--outdir", str(tmp_path / "out"), str(path)], check=True, capture_output=True, timeout=180)
    lines = (tmp_path / "out" / "export.csv").read_text(encoding="utf-8-sig").splitlines()
    fields = lines[1].split(",")
    assert fields[:4] == ['"สมชาย"', '"=1+1"', '"+66812345678"', '"@SUM(A1)"']  # text, not run, no '
    assert fields[4:6] == ["5", "85.50"]  # numbers
    assert not fields[6].startswith('"') and "2555" in fields[6] and "2012" not in fields[6]  # 01/04/2555


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
