"""`import-training-records`: historical sign-in sheets, one row per person per session day."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.core.fiscal import fiscal_year_of, parse_date, utc_now
from ethics.importing.base import ImportPlan, RowChange, RowError, compared, missing_values
from ethics.importing.template_files import DATES, YES_NO, Allowed, Guide, in_both_languages
from ethics.people.citizen_id import is_valid, mask, normalise
from ethics.people.imports import typed_id
from ethics.people.models import Person
from ethics.training import plan_link, summary
from ethics.training.attendance import upsert_attendance
from ethics.training.models import (
    CATEGORY_LABELS,
    Attendance,
    Category,
    Course,
    Registration,
    RegistrationStatus,
    SessionDay,
    SessionStatus,
    TrainingSession,
)

COLUMNS = {
    "session_code": ("รหัสรุ่น",), "course_code": ("รหัสหลักสูตร",), "course_title": ("ชื่อหลักสูตร",),
    "category": ("ประเภทหลักสูตร",), "plan_activity": ("กิจกรรมตามแผน",), "session_date": ("วันที่อบรม",),
    "hours": ("ชั่วโมง",), "venue": ("สถานที่",), "citizen_id": ("เลขประจำตัวประชาชน",),
    "attended": ("เข้าอบรม",), "passed": ("ผ่าน",),
}
YES = {"yes", "1", "true", "y"}
NO = {"no", "0", "false", "n"}


@dataclass
class Row:
    number: int
    session_code: str
    course_code: str
    day: date
    person_id: int
    attended: bool
    passed: bool | None


@dataclass
class State:
    rows: list[Row] = field(default_factory=list)
    courses: dict[str, dict] = field(default_factory=dict)  # code -> title, category, hours
    sessions: dict[str, dict] = field(default_factory=dict)  # code -> course_code, venue, plan_activity


def _flag(text: str) -> bool | None:
    lowered = text.strip().lower()
    return True if lowered in YES else False if lowered in NO else None


GUIDE = Guide({
    "session_code": ("รหัสรุ่นการอบรม แถวที่มีรหัสเดียวกันคือรุ่นเดียวกัน", "The session's code: rows with the same code are one session"),
    "course_code": ("รหัสหลักสูตร", "The course's code"),
    "course_title": ("ชื่อหลักสูตร (สำหรับหลักสูตรใหม่)", "The course's title (for a new course)"),
    "category": ("ประเภทหลักสูตร (ดูแผ่นงานคำอธิบาย) จำเป็นสำหรับหลักสูตรใหม่",
                 "The course's category (see the guide sheet); required for a new course"),
    "plan_activity": ("รหัสกิจกรรมในแผนของปีงบประมาณนั้น เช่น 1.1.4 หรือเว้นว่าง",
                      "A plan activity's code in that fiscal year's plan, e.g. 1.1.4, or blank"),
    "session_date": ("วันที่อบรม: วัน/เดือน/ปี พ.ศ. หรือ ปี-เดือน-วัน ค.ศ. หนึ่งแถวต่อคนต่อวัน",
                     "The session day: DD/MM/YYYY in the Buddhist Era or YYYY-MM-DD; one row per person per day"),
    "hours": ("จำนวนชั่วโมง", "Hours"),
    "venue": ("สถานที่", "Venue"),
    "citizen_id": ("เลขประจำตัวประชาชน 13 หลักของผู้เข้าอบรม", "The attendee's 13-digit citizen ID"),
    "attended": ("เข้าอบรมวันนั้นหรือไม่", "Whether the person attended that day"),
    "passed": ("ผลการอบรมของรุ่นนี้ หรือเว้นว่าง", "The person's result for the session, or blank"),
}, lambda: [Allowed("category", in_both_languages(CATEGORY_LABELS.items())), Allowed("session_date", DATES),
            Allowed("attended, passed", YES_NO)])


class TrainingRecordImporter:
    kind = "training-records"
    title = _l("Training records")
    columns = COLUMNS
    required = ("session_code", "course_code", "session_date", "citizen_id", "attended")
    options: tuple[str, ...] = ()
    roles = ("admin", "hr")
    guide = GUIDE

    def plan(self, table, options: dict, progress) -> ImportPlan:
        plan, state = ImportPlan(), State()
        wanted = {normalise(values.get("citizen_id", "")) for _, values in table.rows}
        people = dict(db.session.execute(select(Person.citizen_id, Person.id).where(
            Person.citizen_id.in_([cid for cid in wanted if is_valid(cid)]))).all()) if wanted else {}
        known_courses = {c.code: c for c in db.session.scalars(select(Course))}
        passed_seen: dict[tuple[str, int], tuple[bool, int]] = {}
        days_seen: dict[tuple[str, int, date], int] = {}
        for done, (number, values) in enumerate(table.rows, start=1):
            errors = self._check(number, values, people, known_courses, state, passed_seen, days_seen)
            plan.errors.extend(errors)
            if done % 1000 == 0:
                progress(done, len(table.rows))
        if plan.ok:
            self._changes(plan, state)
        plan.state = state
        return plan

    def _check(self, number, values, people, known_courses, state, passed_seen, days_seen) -> list[RowError]:
        errors: list[RowError] = []

        def problem(column, reason, value=""):
            errors.append(RowError(number, column, reason, value))

        errors.extend(missing_values(number, values, self.required))
        if errors:
            return errors
        cid = normalise(values["citizen_id"])
        if not is_valid(cid):
            problem("citizen_id", _l("not a valid citizen ID (13 digits with a correct check digit)"), typed_id(cid))
        elif cid not in people:
            problem("citizen_id", _l("unknown person %(id)s", id=mask(cid)))
        try:
            day = parse_date(values["session_date"])
        except ValueError:
            problem("session_date", _l("not a possible date (use YYYY-MM-DD or DD/MM/YYYY in B.E.)"),
                    values["session_date"].strip())
            day = None
        attended = _flag(values["attended"])
        if attended is None:
            problem("attended", _l("use yes/no, 1/0 or true/false"), values["attended"].strip())
        passed = _flag(values.get("passed", "")) if values.get("passed", "").strip() else None
        if values.get("passed", "").strip() and passed is None:
            problem("passed", _l("use yes/no, 1/0 or true/false"), values["passed"].strip())
        category = values.get("category", "").strip()
        if category and category not in set(Category):
            problem("category", _l("unknown category %(value)s", value=category))
        hours = values.get("hours", "").strip()
        try:
            hours_value = float(hours) if hours else None
        except ValueError:
            problem("hours", _l("not a number"), hours)
            hours_value = None
        course_code, session_code = values["course_code"].strip(), values["session_code"].strip()
        course = {"title": values.get("course_title", "").strip(), "category": category, "hours": hours_value}
        existing = known_courses.get(course_code)
        reference = state.courses.setdefault(course_code, course if existing is None else {
            "title": existing.title_th, "category": existing.category, "hours": existing.default_hours})
        for key in ("title", "category"):
            if course[key] and reference[key] and course[key] != reference[key]:
                problem("course_code" if key == "title" else "category",
                        _l("conflicting course data for %(code)s", code=course_code), course[key])
            elif course[key] and not reference[key]:
                reference[key] = course[key]
        if existing is None and not reference["category"]:
            problem("category", _l("a value is required"))
        session = state.sessions.setdefault(session_code, {"course_code": course_code, "venue": values.get("venue", "").strip(),
                                                           "plan_activity": values.get("plan_activity", "").strip(),
                                                           "first_row": number})
        if session["course_code"] != course_code:
            problem("course_code", _l("session %(code)s belongs to another course in this file", code=session_code))
        activity = values.get("plan_activity", "").strip()
        if activity and day and not plan_link.activity_exists(fiscal_year_of(day), activity):
            problem("plan_activity", _l("%(code)s is not in the plan of fiscal year %(year)d",
                                        code=activity, year=fiscal_year_of(day)))
        if day is None or cid not in people:
            return errors
        person_id = people[cid]
        if (session_code, person_id, day) in days_seen:
            problem("session_date", _l("duplicated in the file (also row %(row)d)",
                                       row=days_seen[(session_code, person_id, day)]), values["session_date"].strip())
        days_seen[(session_code, person_id, day)] = number
        if passed is not None:
            earlier = passed_seen.setdefault((session_code, person_id), (passed, number))
            if earlier[0] != passed:
                problem("passed", _l("conflicts with row %(row)d for the same person and session", row=earlier[1]),
                        values["passed"].strip())
        if not errors and attended is not None:  # attended is None only with an error above
            state.rows.append(Row(number, session_code, course_code, day, person_id, attended, passed))
        return errors

    def _changes(self, plan: ImportPlan, state: State) -> None:
        codes = list(state.sessions)
        stored = db.session.execute(
            select(TrainingSession.code, SessionDay.day, Attendance.person_id, Attendance.present)
            .join(SessionDay, SessionDay.session_id == TrainingSession.id)
            .join(Attendance, Attendance.day_id == SessionDay.id)
            .where(TrainingSession.code.in_(codes))).all() if codes else []
        marks = {(code, day, person_id): present for code, day, person_id, present in stored}
        for row in state.rows:
            old = marks.get((row.session_code, row.day, row.person_id))
            label = f"{row.session_code} {row.day.isoformat()}"
            plan.changes.append(RowChange(row.number, "new", label) if old is None else
                                compared(row.number, label, {"attended": old}, {"attended": row.attended}, ["attended"]))

    def apply(self, plan: ImportPlan, filename: str) -> None:
        state: State = plan.state
        courses = {c.code: c for c in db.session.scalars(select(Course).where(Course.code.in_(list(state.courses))))}
        for code, data in state.courses.items():
            if code not in courses:
                courses[code] = Course(code=code, title_th=data["title"] or code, title_en="", category=data["category"],
                                       default_hours=data["hours"] or 6, min_attendance=1.0)
                db.session.add(courses[code])
        db.session.flush()
        sessions = {s.code: s for s in db.session.scalars(select(TrainingSession).where(
            TrainingSession.code.in_(list(state.sessions))))}
        days_by_session: dict[str, set[date]] = defaultdict(set)
        for row in state.rows:
            days_by_session[row.session_code].add(row.day)
        for code, data in state.sessions.items():
            session = sessions.get(code)
            if session is None:
                session = sessions[code] = TrainingSession(
                    code=code, course=courses[data["course_code"]], venue=data["venue"], capacity=None, taken=0,
                    plan_activity_code=data["plan_activity"], status=SessionStatus.HELD, open_to_all=False,
                    first_day=min(days_by_session[code]))
                db.session.add(session)
            have = {day.day for day in session.days}
            session.days.extend(SessionDay(day=day) for day in sorted(days_by_session[code] - have))
            session.first_day = min(day.day for day in session.days)
        db.session.flush()
        self._registrations(state, sessions)
        day_ids = {(s.code, d.day): d.id for s in sessions.values() for d in s.days}
        for row in state.rows:
            upsert_attendance(sessions[row.session_code].id, day_ids[(row.session_code, row.day)], row.person_id,
                              row.attended, "import")
        # a session's first day may have moved earlier: its other people are counted anew too
        summary.refresh(summary.people_of(s.id for s in sessions.values()))
        record("import.training_records", file=filename, sessions=len(state.sessions), **plan.counts())

    @staticmethod
    def _registrations(state: State, sessions: dict[str, TrainingSession]) -> None:
        """Everyone on a sheet holds a confirmed place; their result is the `passed` column."""
        results: dict[tuple[str, int], bool | None] = {}
        for row in state.rows:
            key = (row.session_code, row.person_id)
            results[key] = row.passed if row.passed is not None else results.get(key)
        existing = {(r.session_id, r.person_id): r for r in db.session.scalars(select(Registration).where(
            Registration.session_id.in_([s.id for s in sessions.values()])))}
        for (code, person_id), passed in results.items():
            session = sessions[code]
            registration = existing.get((session.id, person_id))
            if registration is None:
                registration = Registration(session_id=session.id, person_id=person_id, registered_at=utc_now(),
                                            status=RegistrationStatus.CONFIRMED)
                db.session.add(registration)
                session.taken += 1
            if passed is not None:
                registration.passed = registration.completed = passed
