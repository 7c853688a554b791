"""Reading and writing the CSV and XLSX files that imports take and exports give.

Reads .xlsx, and .csv in UTF-8 (with or without BOM) or Windows-874 as Excel on Thai Windows
saves it. Writes cells that can never run as formulas in Excel, and reading undoes exactly
that escaping so a round trip is exact.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ethics.core.text import printable

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
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


def write_xlsx(target, header: list[str], rows: Iterable[Iterable], title: str = "data") -> None:
    """A streaming (write-only) workbook whose every cell is stored as text.

    Every value goes in as an escaped string: none starts with "=" any more, so openpyxl stores
    each as a string cell, and plain values let its writer reuse one cell object per row (passing
    cell objects made it raise and catch an exception per cell: half the time of a big export).
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append([escape_cell(name) for name in header])
    for row in rows:
        sheet.append([escape_cell(value) for value in row])
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
