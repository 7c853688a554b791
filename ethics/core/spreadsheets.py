"""Reading and writing the CSV and XLSX files that imports take and exports give.

Reads .xlsx, and .csv in UTF-8 (with or without BOM) or Windows-874 as Excel on Thai Windows
saves it. Writes cells that can never run as formulas in Excel, and reading undoes exactly
that escaping so a round trip is exact.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX_MAGIC = b"PK\x03\x04"


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


def escape_cell(value) -> str:
    """Text Excel will show as text: a leading ' before a formula start (or an existing ')."""
    text = "" if value is None else str(value)
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
    """Rows keyed by canonical column name, each with its Excel row number (header = 1)."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp874")
        except UnicodeDecodeError:
            raise SpreadsheetError(_l("The file is neither UTF-8 nor Windows-874 text.")) from None


def _xlsx_rows(data: bytes, max_unpacked: int) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > max_unpacked:
                raise SpreadsheetError(_l("The spreadsheet is too large once unpacked."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(_l("The file is not a readable Excel (.xlsx) workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
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


def read_table(filename: str, data: bytes, aliases: dict[str, str], max_unpacked: int = 200 * 1024 * 1024) -> Table:
    """Parse an uploaded file; headers are matched through `aliases` (lower-case text -> column)."""
    sniff(filename, data)
    if Path(filename).suffix.lower() == ".xlsx":
        raw_rows = _xlsx_rows(data, max_unpacked)
    else:
        raw_rows = csv.reader(io.StringIO(_decode_csv(data), newline=""))
    try:
        header = next(raw_rows, None)
        if header is None:
            raise SpreadsheetError(_l("The file is empty."))
        columns = [aliases.get(_cell_text(cell).lower(), "") for cell in header]
        rows = []
        for number, raw in enumerate(raw_rows, start=2):
            values = [_cell_text(cell) for cell in raw]
            if not any(values):
                continue
            rows.append((number, {col: val for col, val in zip(columns, values, strict=False) if col}))
    except csv.Error:
        raise SpreadsheetError(_l("The CSV file is malformed.")) from None
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
