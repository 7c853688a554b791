"""Attendance of a fiscal year (streamed: 500,000 rows in little memory) and the sign-in sheet of a session."""
from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time

from flask import Response, send_file, stream_with_context
from sqlalchemy import case, func, select

from ethics.core.extensions import db
from ethics.core.fiscal import format_date_long, to_be
from ethics.core.spreadsheets import (
    PAPER_FONT,
    XLSX_MIMETYPE,
    column_widths,
    iter_csv,
    row_height,
    set_up_for_paper,
    text_width,
    thin_box,
    write_xlsx,
    xlsx_text,
)
from ethics.organisation.services import SignatureBlock
from ethics.people.models import Person, Unit
from ethics.training.counting import sessions_of
from ethics.training.models import Attendance, Course, Registration, RegistrationStatus, SessionDay, TrainingSession
from ethics.web.render import attachment

ATTENDANCE_HEADER = ["session_code", "course_code", "category", "first_date", "last_date", "citizen_id", "name",
                     "unit", "personnel_type", "days_attended", "completed", "passed"]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def attendance_rows(fiscal_year: int) -> Iterator[list]:
    """One row per person per counted session of the year, in session then person order."""
    counted = sessions_of(fiscal_year).subquery()
    present = (select(Attendance.session_id, Attendance.person_id,
                      func.sum(case((Attendance.present, 1), else_=0)).label("days"))
               .group_by(Attendance.session_id, Attendance.person_id).subquery())
    last_day = select(SessionDay.session_id, func.max(SessionDay.day).label("day")).group_by(SessionDay.session_id).subquery()
    query = (
        select(TrainingSession.code, Course.code, Course.category, TrainingSession.first_day, last_day.c.day,
               Person.citizen_id, Person.title, Person.first_name, Person.last_name, Unit.code, Person.personnel_type,
               func.coalesce(present.c.days, 0), Registration.completed, Registration.passed)
        .select_from(Registration)
        .join(counted, counted.c.id == Registration.session_id)
        .join(TrainingSession, TrainingSession.id == Registration.session_id)
        .join(Course, Course.id == TrainingSession.course_id)
        .join(last_day, last_day.c.session_id == TrainingSession.id)
        .join(Person, Person.id == Registration.person_id)
        .join(Unit, Unit.id == Person.unit_id)
        .outerjoin(present, (present.c.session_id == Registration.session_id) & (present.c.person_id == Registration.person_id))
        .where(Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(TrainingSession.first_day, TrainingSession.code, Person.citizen_id)
        .execution_options(yield_per=2000)
    )
    for (session_code, course_code, category, first, last, cid, title, first_name, last_name, unit, kind, days,
         completed, passed) in db.session.execute(query):
        # dates and the day count stay typed: date and number cells in the XLSX, the same text in the CSV
        yield [session_code, course_code, category, first, last, cid,
               f"{title}{first_name} {last_name}", unit, kind, days, _yes_no(completed), _yes_no(passed)]


def attendance_response(fiscal_year: int, fmt: str) -> Response:
    name = f"attendance-{fiscal_year}.{fmt}"
    if fmt == "csv":
        return Response(stream_with_context(iter_csv(ATTENDANCE_HEADER, attendance_rows(fiscal_year))),
                        mimetype="text/csv",
                        headers=attachment(name))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (send_file closes it once the response is sent)
    write_xlsx(spool, ATTENDANCE_HEADER, attendance_rows(fiscal_year), title="attendance")
    spool.seek(0)
    return send_file(spool, download_name=name, as_attachment=True,
                     mimetype=XLSX_MIMETYPE)


# --- the sign-in sheet (ใบลงชื่อ) -----------------------------------------------------------

NOON, LUNCH_ENDS = time(12, 0), time(13, 0)
HALVES = ("เช้า", "บ่าย")
PERSON_COLUMNS = ("ลำดับ", "ชื่อ - สกุล", "ตำแหน่ง", "หน่วยงาน")
SIGNATURE, REMARK = "ลายมือชื่อ", "หมายเหตุ"
OFFICER = "ผู้รับผิดชอบ"
DOTS = ".................................................."
PORTRAIT_NAME_CHARS = 26  # what the name column of a portrait page holds (templates/training/sign_in_sheet_pdf.html)


@dataclass(frozen=True)
class SignInDay:
    """One day's sheet; `halves` names a signature column per half when the day runs through lunch."""

    day: date
    starts: time
    ends: time
    venue: str

    @property
    def halves(self) -> tuple[str, ...]:
        return HALVES if self.starts < NOON and self.ends > LUNCH_ENDS else ()

    @property
    def when(self) -> str:
        """The line under the title: วันที่ 1 ธันวาคม 2569 เวลา 09.00 - 16.00 น. ณ <venue>."""
        when = f"วันที่ {format_date_long(self.day)} เวลา {self.starts:%H.%M} - {self.ends:%H.%M} น."
        return f"{when} ณ {self.venue}" if self.venue else when

    @property
    def sheet_title(self) -> str:
        """dd-mm-BE: a worksheet's name can hold neither / nor more than 31 characters."""
        return f"{self.day.day:02d}-{self.day.month:02d}-{to_be(self.day.year)}"


@dataclass(frozen=True)
class SignInRow:
    number: int
    name: str
    position: str
    unit: str


@dataclass(frozen=True)
class SignInSheet:
    """What both the PDF and the XLSX print: a table per day, then the officer who signs for it."""

    title: str
    days: list[SignInDay]
    rows: list[SignInRow]
    officer: SignatureBlock

    @property
    def landscape(self) -> bool:
        """Portrait unless a name would not fit its column: a name never wraps."""
        return any(text_width(row.name) > PORTRAIT_NAME_CHARS for row in self.rows)


def sign_in_sheet(session: TrainingSession, roster: list[Registration], officer: Person | None) -> SignInSheet:
    """The sheet of the confirmed `roster`; `officer`, who prints it, signs each day's table (a blank
    block, filled by hand, when the account is nobody on the roster)."""
    rows = [SignInRow(number, r.person.full_name, r.person.position_title,
                      r.person.unit.name_th) for number, r in enumerate(roster, start=1)]
    days = [SignInDay(day.day, day.starts, day.ends, session.venue) for day in session.days]
    return SignInSheet(f"ใบลงชื่อผู้เข้ารับการอบรม หลักสูตร {session.course.title_th}", days, rows,
                       SignatureBlock.of_person(officer, OFFICER))


SIGN_IN_FONT = 14
SIGN_IN_ROW = 30  # points: room to sign
SIGN_WIDTH, REMARK_WIDTH = 24, 12  # the signature columns share SIGN_WIDTH
FIRST_HEADER_ROW = 3  # under the title and the day


def _header_grid(day: SignInDay) -> list[list[str]]:
    """The header's rows: a second one under ลายมือชื่อ naming the halves when the day has two."""
    if not day.halves:
        return [[*PERSON_COLUMNS, SIGNATURE, REMARK]]
    return [[*PERSON_COLUMNS, SIGNATURE, *[""] * (len(day.halves) - 1), REMARK],
            [*[""] * len(PERSON_COLUMNS), *day.halves, ""]]


def _signature_lines(block: SignatureBlock) -> list[str]:
    """The block as templates/_document.html prints it, a line a row."""
    return [f"ลงชื่อ {DOTS} {block.role}".strip(), f"({block.name or DOTS})", block.position or f"ตำแหน่ง {DOTS}"]


def _font(bold: bool = False, size: int = SIGN_IN_FONT):
    from openpyxl.styles import Font

    return Font(name=PAPER_FONT, size=size, bold=bold)


class _SheetWriter:
    """Cells in the paper's Thai font, the table's with a border and wrapped, each row as tall as its text."""

    def __init__(self, sheet, widths: list[float]) -> None:
        from openpyxl.styles import Alignment

        self.sheet, self.widths = sheet, widths
        self.border = thin_box()
        self.wrap = Alignment(wrap_text=True, vertical="center")
        self.centred = Alignment(wrap_text=True, horizontal="center", vertical="center")

    def table_row(self, row: int, values: list, header: bool = False) -> None:
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=row, column=column)
            if isinstance(value, int):
                cell.value = value
            elif value:
                cell.value, cell.data_type = xlsx_text(value), "s"  # text, even when it reads like a formula
            cell.font, cell.border = _font(bold=header), self.border
            cell.alignment = self.centred if header else self.wrap
        least = 0 if header else SIGN_IN_ROW
        self.sheet.row_dimensions[row].height = row_height(values, self.widths, SIGN_IN_FONT, least)

    def line(self, row: int, text: str, bold: bool = False, size: int = SIGN_IN_FONT) -> None:
        """Text centred across the table's width."""
        cell = self.sheet.cell(row=row, column=1, value=xlsx_text(text))
        cell.data_type, cell.font, cell.alignment = "s", _font(bold, size), self.centred
        self.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(self.widths))
        self.sheet.row_dimensions[row].height = row_height([text], [sum(self.widths)], size)


def _merge_header(sheet, grid: list[list[str]]) -> None:
    """ลายมือชื่อ across its halves, every other heading down both header rows."""
    if len(grid) == 1:
        return
    top, bottom = FIRST_HEADER_ROW, FIRST_HEADER_ROW + 1
    halves = [column for column, text in enumerate(grid[1], start=1) if text]
    sheet.merge_cells(start_row=top, start_column=halves[0], end_row=top, end_column=halves[-1])
    for column in range(1, len(grid[0]) + 1):
        if column not in halves:
            sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)


def _write_day(sheet, sign_in: SignInSheet, day: SignInDay) -> None:
    grid = _header_grid(day)
    signs = len(day.halves) or 1
    rows = [[row.number, row.name, row.position, row.unit, *[""] * signs, ""] for row in sign_in.rows]
    widths = column_widths(PERSON_COLUMNS[:2], rows, (6,), most=100)  # a name never wraps
    widths = [*column_widths(PERSON_COLUMNS, rows, widths, most=30), *[SIGN_WIDTH / signs] * signs, REMARK_WIDTH]
    set_up_for_paper(sheet, widths, sign_in.landscape, header_rows=len(grid), first_header_row=FIRST_HEADER_ROW)
    writer = _SheetWriter(sheet, widths)
    writer.line(1, sign_in.title, bold=True, size=16)
    writer.line(2, day.when)
    for offset, headings in enumerate(grid):
        writer.table_row(FIRST_HEADER_ROW + offset, headings, header=True)
    _merge_header(sheet, grid)
    first = FIRST_HEADER_ROW + len(grid)
    for offset, row in enumerate(rows):
        writer.table_row(first + offset, row)
    for offset, text in enumerate(_signature_lines(sign_in.officer)):
        writer.line(first + len(rows) + 1 + offset, text)


def sign_in_sheet_xlsx(sign_in: SignInSheet) -> bytes:
    """A worksheet per day, as the PDF lays it out, printed on A4 one page wide with its header on every page."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for day in sign_in.days:
        _write_day(workbook.create_sheet(day.sheet_title), sign_in, day)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
