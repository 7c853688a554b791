"""Reading and writing the CSV and XLSX files that imports take and exports give.

Reads .xlsx, and .csv in UTF-8 (with or without BOM) or Windows-874 as Excel on Thai Windows
saves it. Writes cells that can never run as formulas in Excel, and reading undoes exactly
that escaping so a round trip is exact: the CSV escapes a formula start with a leading ',
the XLSX stores such text as a text cell (no ' needed) and numbers and dates as numbers and
dates, shown in the Buddhist Era.
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import unicodedata
import zipfile
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from ethics.core.text import printable

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
BE_YEARS_FROM = 2400  # a date cell of this year or later was typed with its Buddhist Era year
XLSX_MAGIC = b"PK\x03\x04"


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


class TooManyRows(SpreadsheetError):
    """The file has more data rows than an import takes (found while reading, before any check)."""

    def __init__(self, limit: int) -> None:
        super().__init__(_l("more than %(n)d rows", n=limit))
        self.limit = limit


def escape_cell(value) -> str:
    """Text Excel will show as text: a leading ' before a formula start (or an existing '),
    without the control characters a spreadsheet cannot hold (stored before they were refused)."""
    text = "" if value is None else printable(str(value))
    return "'" + text if text.startswith((*DANGEROUS_START, "'")) else text


def unescape_cell(text: str) -> str:
    if len(text) >= 2 and text[0] == "'" and text[1] in (*DANGEROUS_START, "'"):
        return text[1:]
    return text


def _cell_text(value) -> str:
    if isinstance(value, str):  # every CSV cell, most XLSX ones
        return unescape_cell(value.strip())
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year >= BE_YEARS_FROM:
            # 01/04/2555 typed into Excel or LibreOffice becomes a date in the year 2555: read it as the
            # Buddhist Era date it was typed as, in the DD/MM/YYYY (B.E.) form the imports take as text
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_cell(str(value).strip())


@dataclass
class Table:
    """Rows keyed by canonical column name, each with its Excel row number (header = 1). A row's
    dict holds its non-empty cells only; blank rows are left out. This is the one copy of the
    file's rows an import holds: importers keep these dicts rather than copies of them."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


DECODE_CHUNK = 1024 * 1024


def _csv_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as it, else Windows-874; decoded
    a megabyte at a time and thrown away, so no second copy of the file is made to find out."""
    view = memoryview(data)
    for encoding in ("utf-8-sig", "cp874"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(view), DECODE_CHUNK):
                decoder.decode(view[start:start + DECODE_CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SpreadsheetError(_l("The file is neither UTF-8 nor Windows-874 text."))


def _csv_rows(data: bytes) -> Generator[Sequence, None, None]:
    encoding = _csv_encoding(data)
    with io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="") as text:
        yield from csv.reader(text)


def _first_sheet(data: bytes):
    """The workbook's first worksheet in openpyxl's read-only mode, opened without reading it.

    openpyxl's own loader sizes every sheet when it opens the workbook: it parses the sheet's
    XML up to a <dimension> element, and a file that leaves that element out (it is optional)
    is parsed to its end, keeping an element per row: a million-row sheet cost seconds and
    hundreds of megabytes before a row could be counted. The sheets here are read without a
    size anyway: a declared one is the file's word, not its content (trusted, a one-cell file
    declaring A1:XFD1048576 would read as a million rows of 16,384 cells each). Without it each
    row is as long as its last cell, and nothing follows the last row."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            pass

    class FirstSheetReader(ExcelReader):
        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    self.wb._sheets.append(UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings))
                    return

    reader = FirstSheetReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _xlsx_rows(data: bytes, max_unpacked: int) -> Generator[Sequence, None, None]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > max_unpacked:
                raise SpreadsheetError(_l("The spreadsheet is too large once unpacked."))
        workbook = _first_sheet(data)
        sheet = workbook.worksheets[0]
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(_l("The file is not a readable Excel (.xlsx) workbook.")) from None
    try:
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def sniff(filename: str, data: bytes) -> None:
    """Refuse at upload what cannot be a spreadsheet: wrong extension or content."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise SpreadsheetError(_l("Upload a .csv or .xlsx file."))
    if not data:
        raise SpreadsheetError(_l("The file is empty."))
    if suffix == ".xlsx" and not data.startswith(XLSX_MAGIC):
        raise SpreadsheetError(_l("The file is not a readable Excel (.xlsx) workbook."))
    if suffix == ".csv" and (data.startswith(XLSX_MAGIC) or b"\x00" in data[:4096]):
        raise SpreadsheetError(_l("The file is not CSV text."))


def _has_text(raw: Sequence) -> bool:
    return any(_cell_text(cell) for cell in raw if cell is not None)


def read_table(filename: str, data: bytes, aliases: dict[str, str], max_unpacked: int = 200 * 1024 * 1024,
               max_rows: int | None = None) -> Table:
    """Parse an uploaded file; headers are matched through `aliases` (lower-case text -> column).

    Rows stream from the file (openpyxl's read-only mode, the csv reader) and only the cells of
    known columns are kept. A file with more than `max_rows` data rows raises TooManyRows as
    soon as row max_rows + 1 is read: the rest of the file is never read, no row is checked."""
    sniff(filename, data)
    raw_rows = _xlsx_rows(data, max_unpacked) if Path(filename).suffix.lower() == ".xlsx" else _csv_rows(data)
    try:
        header = next(raw_rows, None)
        if header is None:
            raise SpreadsheetError(_l("The file is empty."))
        columns = [aliases.get(_cell_text(cell).lower(), "") for cell in header]
        known = [(index, column) for index, column in enumerate(columns) if column]
        rows: list[tuple[int, dict[str, str]]] = []
        for number, raw in enumerate(raw_rows, start=2):
            values = {}
            for index, column in known:
                if index < len(raw) and (text := _cell_text(raw[index])):
                    values[column] = text
            if not values and not _has_text(raw):
                continue  # a blank row
            if max_rows is not None and len(rows) >= max_rows:
                raise TooManyRows(max_rows)
            rows.append((number, values))
    except csv.Error:
        raise SpreadsheetError(_l("The CSV file is malformed.")) from None
    finally:
        raw_rows.close()
    return Table(columns=[c for c in columns if c], rows=rows)


def aliases_for(columns: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Map every accepted header text (English name and Thai names) to its column."""
    return {alias.lower(): name for name, others in columns.items() for alias in (name, *others)}


# --- writing --------------------------------------------------------------------

def write_csv(stream, header: list[str], rows: Iterable[Iterable]) -> None:
    """RFC 4180 CSV, UTF-8 with BOM so Excel reads Thai correctly."""
    stream.write("\ufeff")
    writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(value) for value in row])


def iter_csv(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The same CSV as write_csv, in chunks, for a streamed download."""
    buffer = io.StringIO()
    write_csv(buffer, header, [])
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for count, row in enumerate(rows, start=1):
        writer.writerow([escape_cell(value) for value in row])
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# How a date cell looks: Excel's Thai locale (041E) with the Thai Buddhist calendar (07) and Western
# digits (01), so 2012-04-01 shows as 01/04/2555. LibreOffice reads it as [$-41E][~buddhist]DD/MM/YYYY
# and shows the same. The cell holds the date itself, so sorting, filtering and date arithmetic work.
BE_DATE_FORMAT = "[$-107041E]dd/mm/yyyy"
BE_DATETIME_FORMAT = "[$-107041E]dd/mm/yyyy hh:mm"
PAGE_FOOTER = "หน้า &P / &N"  # page P of N, in every printed sheet's footer
PAPER_FONT = "TH Sarabun New"


def xlsx_text(value) -> str:
    """A text cell's text: as it is, less the characters a spreadsheet cannot hold. A text cell
    never runs as a formula, so no ' goes before "=1+1". Reading takes a ' off before a formula
    start (the CSV's escaping, and XLSX files exported before cells were typed), so text that
    really starts with one carries one more."""
    text = "" if value is None else printable(str(value))
    return "'" + text if text.startswith("'") and unescape_cell(text) != text else text


def decimal_format(value: Decimal) -> str:
    """A Decimal's digits as given: Decimal("85.50") shows as 85.50 (its CSV text), not 85.5."""
    exponent = value.as_tuple().exponent
    return "0." + "0" * -exponent if isinstance(exponent, int) and exponent < 0 else "0"


def two_places(value: float | None) -> Decimal | str:
    """A score or mean to two places: a number cell showing 85.50 in the XLSX, "85.50" in the CSV
    (as f"{value:.2f}" wrote it); none is an empty cell."""
    return "" if value is None else Decimal(f"{value:.2f}")


def text_width(text: str) -> int:
    """Columns of a line of text: Thai vowel and tone marks above or below a letter take none, and
    Thai letters are about one unit of Excel's column width each."""
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def lines_of(text: str, width: float) -> int:
    """Lines a wrapped cell of this column width needs (a unit kept for the cell's padding)."""
    room = max(1.0, width - 1)
    return sum(max(1, math.ceil(text_width(line) / room)) for line in text.split("\n"))


def row_height(values: Sequence, widths: Sequence[float], font_size: float, least: float = 0) -> float:
    """Points a row of wrapped cells needs to show all its text (one line at the least)."""
    lines = max((lines_of(str(value), width) for value, width in zip(values, widths, strict=False)
                 if value not in (None, "")), default=1)
    return max(least, round(lines * font_size * 1.5 + 4, 1))


def _longest(texts: Iterable) -> int:
    return max((text_width(line) for text in texts if text not in (None, "") for line in str(text).split("\n")),
               default=0)


def column_widths(header: Sequence, rows: Sequence[Sequence], given: Sequence[float] = (),
                  least: float = 6, most: float = 40, header_most: float = 16) -> list[float]:
    """The given widths; a column without one is as wide as its longest text, within least..most,
    its header's text counting up to header_most (a header wraps onto a second line sooner)."""
    widths = list(given)
    for index in range(len(widths), len(header)):
        longest = max(min(header_most, _longest([header[index]])),
                      _longest(row[index] for row in rows if index < len(row)))
        widths.append(min(most, max(least, longest + 2)))
    return widths


def set_up_for_paper(sheet, widths: Sequence[float], landscape: bool = False, header_rows: int = 1,
                     first_header_row: int = 1) -> None:
    """A4, as many pages tall as needed but one page wide, the header rows (header_rows of them from
    first_header_row) printed again at the top of every page and "หน้า P / N" at the foot. Works on
    streaming (write-only) sheets too: call it before the first row is written."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    sheet.print_options.horizontalCentered = True
    if header_rows:
        sheet.print_title_rows = f"{first_header_row}:{first_header_row + header_rows - 1}"
    sheet.oddFooter.center.text = PAGE_FOOTER
    sheet.oddFooter.center.font = PAPER_FONT
    sheet.oddFooter.center.size = 12


def thin_box():
    """The thin border on every side of a printed table's cells."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


@dataclass(frozen=True)
class Paper:
    """A sheet meant to be printed (see set_up_for_paper): every cell in a Thai font, wrapped, with
    a border, each row tall enough for its text; columns as wide as `widths` says, the others as
    wide as their text (up to 40); rows after the header at least `least_height` points tall (room
    to sign, say)."""

    widths: Sequence[float] = ()
    landscape: bool = False
    least_height: float = 0
    font_size: int = 14
    header_rows: int = 1


NUMBERS = (int, float, Decimal)


class _Cells:
    """The cells openpyxl's streaming writer writes for an appended row, in place of its own
    guesses: text is a text cell even when it reads "=1+1" (openpyxl would store a formula) or
    "#N/A" (an error); numbers are numbers, a Decimal shown with its digits; dates are dates shown
    in the Buddhist Era. The writer writes each cell before it asks for the next, so one cell
    object per number format serves the whole sheet (openpyxl's own loop makes a new one after
    each styled cell, two a row in the attendance export), and no value goes through the
    exception openpyxl raises and catches for a cell object passed to append."""

    def __init__(self, sheet, paper: Paper | None) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font

        self.sheet, self.paper, self.new = sheet, paper, WriteOnlyCell
        self.plain = WriteOnlyCell(sheet)
        self.formatted: dict[str, Any] = {}
        self.border = thin_box()
        self.alignment = Alignment(wrap_text=True, vertical="top")
        size = paper.font_size if paper else 11
        self.fonts = (Font(name=PAPER_FONT, size=size), Font(name=PAPER_FONT, size=size, bold=True))

    def _formatted(self, number_format: str):
        cell = self.formatted.get(number_format)
        if cell is None:
            cell = self.formatted[number_format] = self.new(self.sheet)
            cell.number_format = number_format
        return cell

    def _on_paper(self, cell, header: bool):
        """The cell again, wrapped, with a border, in the paper's font (bold in the header)."""
        out = self.new(self.sheet)
        out.number_format, out.value = cell.number_format, cell.value
        out.data_type = cell.data_type
        out.font, out.alignment, out.border = self.fonts[header], self.alignment, self.border
        return out

    def __call__(self, values: Iterable, row_index: int) -> Iterator:
        plain, paper = self.plain, self.paper
        for column, value in enumerate(values, start=1):
            if isinstance(value, str):
                if not value and not paper:
                    continue
                cell = plain
                cell.value = xlsx_text(value)
                if cell.data_type != "s":  # openpyxl took it for a formula or an error
                    cell.data_type = "s"
            elif value is None:
                if not paper:
                    continue
                cell = plain
                cell.value = None
            elif isinstance(value, NUMBERS) and not isinstance(value, bool) and math.isfinite(value):
                cell = self._formatted(decimal_format(value)) if isinstance(value, Decimal) else plain
                cell.value = value
            elif isinstance(value, date):  # a datetime too
                cell = self._formatted(BE_DATETIME_FORMAT if isinstance(value, datetime) else BE_DATE_FORMAT)
                cell.value = value
            else:
                cell = plain
                cell.value = xlsx_text(value)
                cell.data_type = "s"
            if paper:
                cell = self._on_paper(cell, row_index <= paper.header_rows)
            cell.column, cell.row = column, row_index
            yield cell


@dataclass
class Sheet:
    """One worksheet of a workbook: its title, header row(s) and rows, and how it prints (None: not for paper)."""

    title: str
    header: list
    rows: Iterable[Iterable]
    paper: Paper | None = None


def write_xlsx(target, header: list[str], rows: Iterable[Iterable], title: str = "data",
               paper: Paper | None = None) -> None:
    """A workbook of one sheet (see write_sheets)."""
    write_sheets(target, [Sheet(title, header, rows, paper)])


def write_sheets(target, sheets: Iterable[Sheet]) -> None:
    """A streaming (write-only) workbook: text as text cells (formula-looking text too, without the
    CSV's leading '), numbers as numbers, dates as dates shown in the Buddhist Era (see _Cells).

    Rows stream to the file as they come; a sheet for paper (small, by nature) is read whole first,
    to size its columns and rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for chosen in sheets:
        sheet = workbook.create_sheet(chosen.title)
        paper = chosen.paper
        sheet._values_to_row = _Cells(sheet, paper)  # the writer asks the sheet for each row's cells
        if paper is None:
            sheet.append(chosen.header)
            for row in chosen.rows:
                sheet.append(row)
            continue
        table = [list(chosen.header), *(list(row) for row in chosen.rows)]
        widths = column_widths(chosen.header, table[1:], paper.widths)
        set_up_for_paper(sheet, widths, paper.landscape, paper.header_rows)
        for number, row in enumerate(table, start=1):
            least = paper.least_height if number > paper.header_rows else 0
            sheet.row_dimensions[number].height = row_height(row, widths, paper.font_size, least)
            sheet.append(row)
    workbook.save(target)


def write_file(path: str | Path, header: list[str], rows: Iterable[Iterable]) -> None:
    """Write .csv or .xlsx by the path's extension."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, header, rows)
    elif path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as stream:
            write_csv(stream, header, rows)
    else:
        raise SpreadsheetError(_l("Export to a .csv or .xlsx file."))
