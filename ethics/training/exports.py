"""Attendance of a fiscal year (streamed: 500,000 rows in little memory) and sign-in sheets."""
from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator

from flask import Response, send_file, stream_with_context
from sqlalchemy import case, func, select

from ethics.core.extensions import db
from ethics.core.fiscal import format_date
from ethics.core.spreadsheets import XLSX_MIMETYPE, Paper, iter_csv, write_xlsx
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


def sign_in_sheet_xlsx(session: TrainingSession, roster: list[Registration]) -> bytes:
    """A printable list with one signature column per day, for paper backup."""
    days = [format_date(day.day) for day in session.days]
    header = ["ลำดับ", "ชื่อ-นามสกุล", "หน่วยงาน", "ตำแหน่ง", *[f"ลงชื่อ {day}" for day in days]]
    rows = [[n, r.person.full_name, r.person.unit.name_th, r.person.position, *[""] * len(days)]
            for n, r in enumerate(roster, start=1)]
    buffer = io.BytesIO()
    # printed: room to sign in each row; landscape once the day columns no longer fit a portrait page
    write_xlsx(buffer, header, rows, title=session.code[:31],
               paper=Paper(widths=(6, 28, 26, 24), landscape=len(days) > 1, least_height=30))
    return buffer.getvalue()
