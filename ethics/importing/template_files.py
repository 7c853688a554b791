"""The blank workbook each import page offers. Its first sheet's row 1 holds the column names the
importer reads, each header cell with a comment saying what goes there in Thai and English; a
second sheet lists the columns and the values they accept. The importer reads only the first
sheet and takes its row 1 as the header, so the file imports as it is once rows are filled in.
Every cell of the first sheet is formatted as text: a citizen ID keeps its 13 digits and a plan
code such as 1.2.1 never becomes a date."""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

TEXT = "@"


@dataclass(frozen=True)
class Allowed:
    """The values one column accepts: (value, Thai, English) each."""

    column: str
    values: list[tuple[str, str, str]]


@dataclass(frozen=True)
class Guide:
    """What a template says of its columns: each one's description in Thai and English, and the
    values some accept (read when the file is made: unit codes, labels in both languages)."""

    columns: dict[str, tuple[str, str]]
    allowed: Callable[[], list[Allowed]] = field(default=lambda: [])


DATES = [("2026-10-01", "ปี-เดือน-วัน เป็นปีคริสต์ศักราช", "YYYY-MM-DD, Common Era year"),
         ("01/10/2569", "วัน/เดือน/ปี เป็นปีพุทธศักราช", "DD/MM/YYYY, Buddhist Era year")]
YES_NO = [("yes", "พิมพ์ yes (หรือ 1, true) หมายถึง ใช่", "yes (or 1, true)"),
          ("no", "พิมพ์ no (หรือ 0, false) หมายถึง ไม่ใช่", "no (or 0, false)")]


def in_both_languages(labels: Iterable[tuple[str, object]]) -> list[tuple[str, str, str]]:
    """(code, label) pairs as (code, Thai label, English label)."""
    labels = list(labels)
    with force_locale("th"):
        thai = [str(label) for _code, label in labels]
    with force_locale("en"):
        english = [str(label) for _code, label in labels]
    return [(code, th, en) for (code, _label), th, en in zip(labels, thai, english, strict=True)]


def template_xlsx(importer) -> bytes:
    """The importer's blank file: its columns in row 1, described, and the guide sheet."""
    guide: Guide = importer.guide
    workbook = Workbook()
    data = workbook.active
    data.title = "data"
    data.append(list(importer.columns))
    for index, name in enumerate(importer.columns, start=1):
        th, en = guide.columns[name]
        required = "จำเป็นต้องกรอก / required\n" if name in importer.required else ""
        cell = data.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.comment = Comment(f"{required}{th}\n{en}", "ethics", width=320, height=140)
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(14, len(name) + 4)
        data.column_dimensions[letter].number_format = TEXT
    data.freeze_panes = "A2"
    _guide_sheet(workbook.create_sheet("คำอธิบาย (guide)"), importer, guide)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _guide_sheet(sheet, importer, guide: Guide) -> None:
    bold = Font(bold=True)
    sheet.append(["column", "หัวคอลัมน์ภาษาไทยที่ใช้แทนได้", "คำอธิบาย", "Description", "จำเป็น / Required"])
    for name, (th, en) in guide.columns.items():
        sheet.append([name, ", ".join(importer.columns[name]), th, en,
                      "จำเป็น / required" if name in importer.required else ""])
    sheet.append([])
    sheet.append(["ค่าที่ใช้ได้ / Allowed values"])
    sheet.append(["column", "value", "ภาษาไทย", "English"])
    header_rows = (1, sheet.max_row - 1, sheet.max_row)
    for allowed in guide.allowed():
        for value, th, en in allowed.values:
            sheet.append([allowed.column, value, th, en])
    for row in header_rows:
        for cell in sheet[row]:
            cell.font = bold
    for letter, width in zip("ABCDE", (24, 30, 50, 50, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.number_format = TEXT
