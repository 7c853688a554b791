"""Importing org units and the staff roster from CSV or XLSX (the columns the README documents)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import cast

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table as SqlTable
from sqlalchemy import bindparam, select, update

from ethics.audit.services import record, record_many
from ethics.core.bulk import among, insert_rows
from ethics.core.extensions import db
from ethics.core.fiscal import parse_date
from ethics.core.spreadsheets import Table
from ethics.importing.base import ImportPlan, RowChange, RowError, compared
from ethics.importing.template_files import DATES, Allowed, Guide, in_both_languages
from ethics.people import account_guard
from ethics.people.citizen_id import is_valid, mask, normalise
from ethics.people.models import PERSONNEL_TYPE_LABELS, PERSONNEL_TYPE_THAI, Person, PersonnelType, Unit
from ethics.people.services import creates_cycle
from ethics.people.signals import people_moved

CHUNK = 1000


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- units ------------------------------------------------------------------------

UNIT_COLUMNS = {
    "code": ("รหัสหน่วยงาน", "รหัส"),
    "name_th": ("ชื่อหน่วยงาน", "ชื่อภาษาไทย"),
    "name_en": ("ชื่อภาษาอังกฤษ",),
    "parent_code": ("รหัสหน่วยงานแม่", "หน่วยงานต้นสังกัด"),
}


def unit_codes(column: str) -> Allowed:
    """The units already kept, which a row may name as its parent or unit."""
    units = db.session.execute(select(Unit.code, Unit.name_th, Unit.name_en).order_by(Unit.code)).all()
    return Allowed(column, [(code, name_th, name_en or "") for code, name_th, name_en in units])


UNIT_GUIDE = Guide({
    "code": ("รหัสหน่วยงาน ไม่เกิน 32 ตัวอักษร ไม่ซ้ำกัน", "The unit's code, at most 32 characters, unique"),
    "name_th": ("ชื่อหน่วยงานภาษาไทย", "The unit's name in Thai"),
    "name_en": ("ชื่อหน่วยงานภาษาอังกฤษ (ถ้ามี)", "The unit's name in English (optional)"),
    "parent_code": ("รหัสหน่วยงานแม่ ในแฟ้มนี้หรือที่มีอยู่แล้ว เว้นว่างสำหรับหน่วยงานระดับบนสุด",
                    "The parent unit's code, in this file or already kept; blank for a top-level unit"),
}, lambda: [unit_codes("parent_code")])


class UnitImporter:
    kind = "units"
    title = _l("Org units")
    columns = UNIT_COLUMNS
    required = ("code", "name_th")
    options: tuple[str, ...] = ()
    roles = ("admin", "hr")
    guide = UNIT_GUIDE

    @staticmethod
    def _rows(rows: list[tuple[int, dict[str, str]]]) -> Iterator[tuple[int, str, str, str, str | None]]:
        """(number, code, name_th, name_en, parent code or None) of each of the table's rows, as
        they are read: the table's rows stay the one copy of the file, also for apply()."""
        for number, values in rows:
            yield (number, values.get("code", ""), values.get("name_th", ""), values.get("name_en", ""),
                   values.get("parent_code", "") or None)

    def plan(self, table: Table, options: dict, progress) -> ImportPlan:
        plan = ImportPlan()
        existing = {unit.code: unit for unit in db.session.scalars(select(Unit))}
        parent_code_of = {unit.code: unit.parent.code if unit.parent else None for unit in existing.values()}
        seen: dict[str, int] = {}
        for number, code, name_th, _name_en, parent in self._rows(table.rows):
            errors = []
            if not code:
                errors.append(RowError(number, "code", _l("a value is required")))
            elif len(code) > 32:
                errors.append(RowError(number, "code", _l("at most 32 characters"), code))
            elif code in seen:
                errors.append(RowError(number, "code", _l("duplicated in the file (also row %(row)d)", row=seen[code]),
                                       code))
            if not name_th:
                errors.append(RowError(number, "name_th", _l("a value is required")))
            if code and code not in seen:
                seen[code] = number
            plan.errors.extend(errors)
            if code:
                parent_code_of[code] = parent
        for number, code, _name, _en, parent in self._rows(table.rows):
            if parent is not None and parent not in parent_code_of:
                plan.errors.append(RowError(number, "parent_code", _l("unknown unit %(code)s", code=parent)))
            elif parent is not None and code and creates_cycle(parent_code_of, code):
                plan.errors.append(RowError(number, "parent_code", _l("this makes a cycle in the unit tree"), parent))
        progress(len(table.rows), len(table.rows))
        for number, code, name_th, name_en, parent in self._rows(table.rows):
            unit = existing.get(code)
            new = {"name_th": name_th, "name_en": name_en, "parent_code": parent}
            if unit is None:
                plan.changes.append(RowChange(number, "new", f"{code} {name_th}"))
                continue
            old = {"name_th": unit.name_th, "name_en": unit.name_en or "",
                   "parent_code": unit.parent.code if unit.parent else None}
            plan.changes.append(compared(number, f"{code} {name_th}", old, new, new))
        plan.state = table.rows
        return plan

    def apply(self, plan: ImportPlan, filename: str) -> None:
        statuses = {change.row: change.status for change in plan.changes}
        units = {unit.code: unit for unit in db.session.scalars(select(Unit))}
        for number, code, name_th, name_en, _parent in self._rows(plan.state):
            if statuses[number] == "unchanged":
                continue
            unit = units.get(code) or Unit(code=code)
            unit.name_th, unit.name_en = name_th, name_en
            units[code] = unit
            db.session.add(unit)
        db.session.flush()
        for number, code, _name, _en, parent in self._rows(plan.state):
            if statuses[number] != "unchanged":
                units[code].parent_id = units[parent].id if parent else None
                record(f"unit.import_{statuses[number]}", units[code], after={"code": code, "parent_code": parent})
        db.session.flush()
        record("import.units", file=filename, **plan.counts())


# --- roster -----------------------------------------------------------------------

ROSTER_COLUMNS = {
    "citizen_id": ("เลขประจำตัวประชาชน",),
    "title": ("คำนำหน้า",),
    "first_name": ("ชื่อ",),
    "last_name": ("นามสกุล",),
    "personnel_type": ("ประเภทบุคลากร",),
    "unit_code": ("รหัสหน่วยงาน",),
    "position": ("ตำแหน่ง",),
    "position_level": ("ระดับ",),
    "email": ("อีเมล",),
    "supervisor_citizen_id": ("เลขประจำตัวประชาชนผู้บังคับบัญชา",),
    "service_start_date": ("วันที่เริ่มรับราชการ",),
}
ROSTER_HEADER = list(ROSTER_COLUMNS)
COMPARED = ("title", "first_name", "last_name", "personnel_type", "unit_code", "position", "position_level",
            "email", "supervisor_citizen_id", "service_start_date", "active")
LIMITS = {"title": 64, "first_name": 120, "last_name": 120, "position": 255, "position_level": 120, "email": 255}


PERSONNEL_TYPES = frozenset(PersonnelType)


def _masked(name: str, text: str) -> str:
    """A supervisor's citizen ID shows masked in the preview, as everywhere on screen."""
    return mask(text) if name == "supervisor_citizen_id" and text else text


def typed_id(text: str) -> str:
    """A refused citizen ID as an error line shows it. With all 13 characters it is masked as on
    screen; with 10 or more digits (a real one with a digit dropped or doubled is nearly someone's
    ID) only its last three characters stay, so the line still tells its length; a shorter value
    shows as typed."""
    if len(text) == 13:
        return mask(text)
    if sum(character.isdigit() for character in text) >= 10:
        return "x" * (len(text) - 3) + text[-3:]
    return text


def parse_personnel_type(text: str) -> PersonnelType | None:
    if text in PERSONNEL_TYPES:
        return PersonnelType(text)
    return PERSONNEL_TYPE_THAI.get(text)


@dataclass
class RosterState:
    records: dict[str, dict] = field(default_factory=dict)  # citizen_id -> normalised values
    rows: dict[str, int] = field(default_factory=dict)  # citizen_id -> row number
    deactivate: list[int] = field(default_factory=list)  # ids of people missing from the file


def _ids_of(citizen_ids: list[str]) -> dict[str, int]:
    """citizen ID -> person id for the stored ones among these, a thousand per query."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(citizen_ids))):
        found.update(db.session.execute(select(Person.citizen_id, Person.id).where(among(Person.citizen_id, chunk))).all())
    return found


def personnel_types(column: str = "personnel_type") -> Allowed:
    """Each personnel type as its code and as its Thai label, which the column accepts alike."""
    thai = {kind: label for label, kind in PERSONNEL_TYPE_THAI.items()}
    return Allowed(column, [(code, thai[PersonnelType(code)], en)
                                      for code, _th, en in in_both_languages(PERSONNEL_TYPE_LABELS.items())])


ROSTER_GUIDE = Guide({
    "citizen_id": ("เลขประจำตัวประชาชน 13 หลัก (มีหรือไม่มีขีดก็ได้)", "The 13-digit citizen ID (dashes optional)"),
    "title": ("คำนำหน้าชื่อ เช่น นาย นาง นางสาว", "Title, e.g. นาย, นาง, นางสาว"),
    "first_name": ("ชื่อ", "First name"),
    "last_name": ("นามสกุล", "Last name"),
    "personnel_type": ("ประเภทบุคลากร: รหัสหรือชื่อภาษาไทย (ดูแผ่นงานคำอธิบาย)",
                       "Personnel type: its code or Thai label (see the guide sheet)"),
    "unit_code": ("รหัสหน่วยงานที่สังกัด (ดูแผ่นงานคำอธิบาย)", "The code of the person's unit (see the guide sheet)"),
    "position": ("ตำแหน่ง", "Position"),
    "position_level": ("ระดับ เช่น ชำนาญการ", "Level, e.g. ชำนาญการ"),
    "email": ("อีเมล", "Email"),
    "supervisor_citizen_id": ("เลขประจำตัวประชาชนของผู้บังคับบัญชา (อยู่ในแฟ้มนี้หรือมีอยู่แล้ว)",
                              "The supervisor's citizen ID (in this file or already kept)"),
    "service_start_date": ("วันที่เริ่มรับราชการ: วัน/เดือน/ปี พ.ศ. หรือ ปี-เดือน-วัน ค.ศ.",
                           "Service start date: DD/MM/YYYY in the Buddhist Era or YYYY-MM-DD"),
}, lambda: [personnel_types(), unit_codes("unit_code"), Allowed("service_start_date", DATES)])


class RosterImporter:
    kind = "roster"
    title = _l("Staff roster")
    columns = ROSTER_COLUMNS
    required = ("citizen_id", "first_name", "last_name", "personnel_type", "unit_code")
    options = ("deactivate_missing",)
    roles = ("admin", "hr")
    guide = ROSTER_GUIDE

    def _check_row(self, number: int, values: dict, units: dict[str, int]) -> tuple[dict, list[RowError]]:
        errors: list[RowError] = []

        def problem(column, reason, value=""):
            errors.append(RowError(number, column, reason, value))

        # Normalised in place: the table's row becomes the record, not a second copy of it. Its
        # empty cells are absent (read as ""), and filled in only for a record that is kept.
        record_ = values
        value = record_.get
        for name in ("citizen_id", "supervisor_citizen_id"):
            if name in record_:
                record_[name] = normalise(record_[name])
        for name in self.required:
            if not value(name):
                problem(name, _l("a value is required"))
        if value("citizen_id") and not is_valid(record_["citizen_id"]):
            problem("citizen_id", _l("not a valid citizen ID (13 digits with a correct check digit)"),
                    typed_id(record_["citizen_id"]))
        if value("personnel_type"):
            kind = parse_personnel_type(record_["personnel_type"])
            if kind is None:
                problem("personnel_type", _l("unknown personnel type %(value)s", value=record_["personnel_type"]))
            record_["personnel_type"] = kind.value if kind else ""
        if value("unit_code") and record_["unit_code"] not in units:
            problem("unit_code", _l("unknown unit %(code)s", code=record_["unit_code"]))
        for name, limit in LIMITS.items():
            if len(value(name, "")) > limit:
                problem(name, _l("at most %(n)d characters", n=limit), record_[name])
        if value("email"):
            try:
                validate_email(record_["email"], check_deliverability=False)
            except EmailNotValidError:
                problem("email", _l("not a valid email address"), record_["email"])
        if value("supervisor_citizen_id"):
            if not is_valid(record_["supervisor_citizen_id"]):
                problem("supervisor_citizen_id", _l("not a valid citizen ID (13 digits with a correct check digit)"),
                        typed_id(record_["supervisor_citizen_id"]))
            elif record_["supervisor_citizen_id"] == value("citizen_id"):
                problem("supervisor_citizen_id", _l("a person cannot supervise themselves"))
        if value("service_start_date"):
            try:
                record_["service_start_date"] = parse_date(record_["service_start_date"]).isoformat()
            except ValueError:
                problem("service_start_date", _l("not a possible date (use YYYY-MM-DD or DD/MM/YYYY in B.E.)"),
                        record_["service_start_date"])
        return record_, errors

    def plan(self, table: Table, options: dict, progress) -> ImportPlan:
        plan, state = ImportPlan(), RosterState()
        units = dict(db.session.execute(select(Unit.code, Unit.id)).all())
        total = len(table.rows)
        for done, (number, values) in enumerate(table.rows, start=1):
            record_, errors = self._check_row(number, values, units)
            cid = record_.get("citizen_id", "")
            if cid and cid in state.rows:
                errors.append(RowError(number, "citizen_id",
                                       _l("duplicated in the file (also row %(row)d)", row=state.rows[cid]), mask(cid)))
            elif cid:
                for name in ROSTER_COLUMNS:
                    record_.setdefault(name, "")
                record_["active"] = True
                state.rows[cid] = number
                state.records[cid] = record_
            plan.errors.extend(errors)
            if done % CHUNK == 0:
                progress(done, total)
        existing = self._existing(list(state.records) + [r["supervisor_citizen_id"] for r in state.records.values()])
        for cid, record_ in state.records.items():
            boss = record_["supervisor_citizen_id"]
            if boss and is_valid(boss) and boss not in state.records and boss not in existing:
                plan.errors.append(RowError(state.rows[cid], "supervisor_citizen_id",
                                            _l("unknown supervisor %(id)s", id=mask(boss))))
        progress(total, total)
        for cid, record_ in state.records.items():
            label = f"{record_['title']}{record_['first_name']} {record_['last_name']} ({mask(cid)})"
            old = existing.get(cid)
            if old is None:
                plan.changes.append(RowChange(state.rows[cid], "new", label))
            else:
                plan.changes.append(compared(state.rows[cid], label, old, record_, COMPARED, _masked))
        if not options.get("by_admin"):
            self._guard_emails(state, existing, plan)
        if options.get("deactivate_missing"):
            active = db.session.execute(select(Person.id, Person.citizen_id).where(Person.active)).all()
            state.deactivate = [row.id for row in active if row.citizen_id not in state.records]
            plan.extra["deactivated"] = len(state.deactivate)
        plan.state = state
        return plan

    @staticmethod
    def _guard_emails(state: RosterState, existing: dict[str, dict], plan: ImportPlan) -> None:
        """Only an administrator changes the email a privileged account's sign-in links go to."""
        moved = {old["id"]: cid for cid, old in existing.items()
                 if cid in state.records and old["email"].lower() != state.records[cid]["email"].lower()}
        for person_id in account_guard.privileged_among(list(moved)):
            plan.errors.append(RowError(state.rows[moved[person_id]], "email", account_guard.ONLY_ADMIN))

    def _existing(self, citizen_ids: list[str]) -> dict[str, dict]:
        """The stored people among these IDs, in the import's terms, a thousand per query."""
        wanted = sorted({cid for cid in citizen_ids if cid})
        found: dict[str, dict] = {}
        boss = db.aliased(Person)
        for chunk in _chunks(wanted):
            query = (select(Person, Unit.code, boss.citizen_id).join(Unit, Person.unit_id == Unit.id)
                     .outerjoin(boss, Person.supervisor_id == boss.id).where(among(Person.citizen_id, chunk)))
            for person, unit_code, boss_cid in db.session.execute(query):
                found[person.citizen_id] = {
                    "id": person.id, "title": person.title or "", "first_name": person.first_name,
                    "last_name": person.last_name, "personnel_type": person.personnel_type,
                    "unit_code": unit_code, "position": person.position or "",
                    "position_level": person.position_level or "", "email": person.email or "",
                    "supervisor_citizen_id": boss_cid or "",
                    "service_start_date": person.service_start_date.isoformat() if person.service_start_date else "",
                    "active": person.active,
                }
        return found

    def apply(self, plan: ImportPlan, filename: str) -> None:
        """Bulk inserts (`insert_rows`; no RETURNING: its batched statements cost more to send
        than the rows, so ids are read back) and updates; a supervisor who is new in the same
        file is linked last, when everyone has an id."""
        state: RosterState = plan.state
        statuses = {change.row: change.status for change in plan.changes}
        units = dict(db.session.execute(select(Unit.code, Unit.id)).all())
        new = [cid for cid in state.records if statuses[state.rows[cid]] == "new"]
        changed = [cid for cid in state.records if statuses[state.rows[cid]] == "updated"]
        existing = self._existing(changed)
        ids = {cid: existing[cid]["id"] for cid in existing}
        bosses = {cid: state.records[cid]["supervisor_citizen_id"] for cid in new + changed}
        arriving = set(new)
        ids.update(_ids_of([boss for boss in bosses.values() if boss and boss not in ids and boss not in arriving]))
        later = {cid: boss for cid, boss in bosses.items() if boss and boss not in ids}

        def columns(cid):
            record_ = state.records[cid]
            start, boss = record_["service_start_date"], bosses[cid]
            return {
                "title": record_["title"], "first_name": record_["first_name"], "last_name": record_["last_name"],
                "personnel_type": record_["personnel_type"], "unit_id": units[record_["unit_code"]],
                "position": record_["position"], "position_level": record_["position_level"],
                "email": record_["email"], "active": True,
                "service_start_date": date.fromisoformat(start) if start else None,
                "supervisor_id": ids.get(boss) if boss else None,
            }

        person = cast(SqlTable, Person.__table__)
        if new:
            insert_rows(person, [{"citizen_id": cid, "version": 1, **columns(cid)} for cid in new])
            ids.update(_ids_of(new))
        if changed:
            db.session.execute(
                update(person).where(person.c.id == bindparam("_id"))
                .values(version=person.c.version + 1, **{name: bindparam(name) for name in columns(changed[0])}),
                # in id order, as the training summaries lock people: no two writers wait for each other
                sorted(({"_id": ids[cid], **columns(cid)} for cid in changed), key=itemgetter("_id")),
            )
        moved = [ids[cid] for cid in changed if (existing[cid]["personnel_type"], existing[cid]["unit_code"])
                 != (state.records[cid]["personnel_type"], state.records[cid]["unit_code"])]
        if moved:
            people_moved.send(None, ids=moved)
        if later:
            db.session.execute(
                update(person).where(person.c.id == bindparam("_id")).values(supervisor_id=bindparam("boss")),
                sorted(({"_id": ids[cid], "boss": ids[boss]} for cid, boss in later.items()), key=itemgetter("_id")),
            )
        if state.deactivate:
            for chunk in _chunks(state.deactivate):
                db.session.execute(update(person).where(person.c.id.in_(chunk))
                                   .values(active=False, version=person.c.version + 1))
        fields_by_row = {change.row: change.fields for change in plan.changes}

        def shown(values: dict, cid: str) -> dict:
            names = fields_by_row[state.rows[cid]]
            return {n: mask(values[n]) if n == "supervisor_citizen_id" and values[n] else values[n] for n in names}

        audit: list[tuple[str, str, dict]] = [("Person", str(ids[cid]), {"status": "new", "citizen_id": mask(cid)})
                                              for cid in new]
        audit += [("Person", str(ids[cid]), {"status": "updated", "citizen_id": mask(cid),
                                             "before": shown(existing[cid], cid), "after": shown(state.records[cid], cid)})
                  for cid in changed]
        audit += [("Person", str(pid), {"status": "deactivated"}) for pid in state.deactivate]
        record_many("person.import", audit)
        record("import.roster", file=filename, **plan.counts())
        db.session.expire_all()
