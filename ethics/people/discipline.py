"""Disciplinary flags HR records on a person; an open one makes them ineligible for awards."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ethics.audit.services import record
from ethics.core.extensions import db
from ethics.people.models import DisciplinaryFlag, Person
from ethics.people.services import PeopleError


def flags_of(person: Person) -> list[DisciplinaryFlag]:
    return list(db.session.scalars(select(DisciplinaryFlag).where(DisciplinaryFlag.person_id == person.id)
                                   .order_by(DisciplinaryFlag.opened_on.desc())))


def open_flag(person: Person, opened_on: date, note: str) -> DisciplinaryFlag:
    if not note.strip():
        raise PeopleError(_l("Describe the matter in a note."), field="note")
    flag = DisciplinaryFlag(person_id=person.id, opened_on=opened_on, note=note.strip())
    db.session.add(flag)
    db.session.flush()
    record("person.flag_open", person, flag=flag.id)
    return flag


def close_flag(flag: DisciplinaryFlag, closed_on: date) -> None:
    if flag.closed_on is not None:
        raise PeopleError(_l("This flag is already closed."), field="closed_on")
    if closed_on < flag.opened_on:
        raise PeopleError(_l("The closing date is before the opening date."), field="closed_on")
    flag.closed_on = closed_on
    record("person.flag_close", db.session.get(Person, flag.person_id), flag=flag.id)
