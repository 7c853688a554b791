"""Units and people: who may see whom, search, and audited changes."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import joinedload

from ethics.audit.services import changes, record
from ethics.core.extensions import db
from ethics.core.refusals import Refusal, StaleEdit
from ethics.core.text import like_pattern
from ethics.organisation.services import check_signatory
from ethics.people import account_guard
from ethics.people.citizen_id import is_valid, mask, normalise
from ethics.people.models import Person, PersonnelType, Unit
from ethics.people.signals import people_moved
from ethics.web.pagination import Page, paginate

PAGE_SIZE = 25


class PeopleError(Refusal):
    """A people or unit rule refused a value."""


def _store_audited(model, record_, data, snapshot, action: str, before_entry=None):
    """Create or update a record from a dataclass and log what changed, before and after.
    `before_entry(record)` runs once the change is flushed and before the audit entry takes the
    chain's lock: whatever it locks must come first, as in every other writer (no deadlock)."""
    creating = record_ is None
    before = {} if creating else snapshot(record_)
    if creating:
        record_ = model()
        db.session.add(record_)
    for name in (f.name for f in fields(data)):
        setattr(record_, name, getattr(data, name))
    db.session.flush()
    if before_entry is not None:
        before_entry(record_)
    old, new = changes(before, snapshot(record_))
    record(f"{action}.create" if creating else f"{action}.update", record_, before=old, after=new)
    return record_


# --- the unit tree -------------------------------------------------------------

def subtree_ids(root_ids) -> Select:
    """A SELECT of the given units and all units below them (recursive CTE)."""
    return _subtree_of(tuple(sorted(root_ids)))


@lru_cache(maxsize=256)
def _subtree_of(root_ids: tuple[int, ...]) -> Select:
    """One CTE object per set of roots, so that a statement combining several scoped queries
    (a person's nominations in every round, say) names it once."""
    tree = select(Unit.id).where(Unit.id.in_(root_ids)).cte("subtree", recursive=True)
    tree = tree.union(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return select(tree.c.id)


def all_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.code)))


def unit_tree() -> list[tuple[Unit, int]]:
    """Every unit with its depth, parents before children, for indented display."""
    units = all_units()
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def creates_cycle(parents: dict[str, str | None], code: str) -> bool:
    """True when following parent links from `code` comes back to it."""
    seen, current = set(), parents.get(code)
    while current is not None:
        if current == code or current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


@dataclass
class UnitData:
    code: str
    name_th: str
    name_en: str
    parent_id: int | None
    signatory_id: int | None = None  # its head, who signs its sessions' certificates


def unit_snapshot(unit: Unit) -> dict:
    return {"code": unit.code, "name_th": unit.name_th, "name_en": unit.name_en, "parent_id": unit.parent_id,
            "signatory_id": unit.signatory_id}


def save_unit(unit: Unit | None, data: UnitData, expected_version: int | None = None) -> Unit:
    clash = db.session.scalar(select(Unit).where(Unit.code == data.code))
    if clash is not None and clash is not unit:
        raise PeopleError(_l("Another unit already has this code."), field="code")
    if unit is not None and expected_version is not None and unit.version != expected_version:
        raise StaleEdit()
    if unit is not None and data.parent_id is not None:
        below = db.session.scalars(subtree_ids([unit.id])).all()
        if data.parent_id in below:
            raise PeopleError(_l("A unit cannot be placed under itself or one of its sub-units."), field="parent_id")
    check_signatory(data.signatory_id)
    return _store_audited(Unit, unit, data, unit_snapshot, "unit")


# --- people ----------------------------------------------------------------------

def find_person_by_citizen_id(citizen_id: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.citizen_id == normalise(citizen_id)))


def visible_people(account) -> Select:
    """People the account may look up: everyone for HR and admins, their units for supervisors."""
    query = select(Person)
    if account.has_role("admin", "hr"):
        return query
    if account.has_role("supervisor") and account.supervised_unit_ids:
        return query.where(Person.unit_id.in_(subtree_ids(account.supervised_unit_ids)))
    return query.where(Person.id == account.person_id) if account.person_id else query.where(false())


def get_visible_person(account, person_id: int) -> Person | None:
    return db.session.scalar(visible_people(account).where(Person.id == person_id))


def can_manage_people(account) -> bool:
    return account.has_role("admin", "hr")


@dataclass
class PeopleFilter:
    q: str = ""
    unit_id: int | None = None
    personnel_type: str = ""
    status: str = "active"  # active | inactive | all
    sort: str = "name"
    page: int = 1
    locale: str = "th"  # the language the Unit column is shown in, and so sorted by


SORTS = {
    "name": (Person.first_name, Person.last_name),
    "-name": (Person.first_name.desc(), Person.last_name.desc()),
    "type": (Person.personnel_type, Person.first_name),
}


def _by_unit_name(locale: str) -> tuple:
    """By the unit's name as the Unit column shows it (an English name where there is one), then
    by its code where two units share a name."""
    shown = Unit.name_th if locale == "th" else func.coalesce(func.nullif(Unit.name_en, ""), Unit.name_th)
    return shown, Unit.code, Person.first_name


def search_people(account, flt: PeopleFilter) -> Page:
    """Filter, sort and paginate in SQL: two queries whatever the roster's size."""
    query = visible_people(account).join(Person.unit)
    text = flt.q.strip()
    if text:
        digits = normalise(text)
        if digits.isdigit():
            query = query.where(Person.citizen_id.startswith(digits))
        else:
            for word in map(like_pattern, text.split()):
                query = query.where(or_(*(column.ilike(word, escape="\\") for column in (
                    Person.first_name, Person.last_name, Unit.name_th, Unit.name_en, Unit.code))))
    if flt.unit_id:
        query = query.where(Person.unit_id.in_(subtree_ids([flt.unit_id])))
    if flt.personnel_type in set(PersonnelType):
        query = query.where(Person.personnel_type == flt.personnel_type)
    if flt.status != "all":
        query = query.where(Person.active.is_(flt.status != "inactive"))
    order = _by_unit_name(flt.locale) if flt.sort == "unit" else SORTS.get(flt.sort, SORTS["name"])
    ordered = query.options(joinedload(Person.unit)).order_by(*order, Person.id)
    return paginate(ordered, flt.page, PAGE_SIZE)


@dataclass
class PersonData:
    citizen_id: str
    title: str
    first_name: str
    last_name: str
    personnel_type: str
    unit_id: int
    position: str
    position_level: str
    email: str
    supervisor_id: int | None
    service_start_date: date | None
    active: bool


PERSON_FIELDS = [f.name for f in fields(PersonData)]


def person_snapshot(person: Person) -> dict:
    """What the audit log keeps of a person: the citizen ID only masked (PDPA)."""
    snapshot = {name: getattr(person, name) for name in PERSON_FIELDS}
    snapshot["citizen_id"] = mask(person.citizen_id or "")
    snapshot["service_start_date"] = person.service_start_date.isoformat() if person.service_start_date else None
    return snapshot


def save_person(person: Person | None, data: PersonData, expected_version: int | None = None,
                by_admin: bool = False) -> Person:
    """Create or update one person, with the same rules as the roster import."""
    if not is_valid(data.citizen_id):
        raise PeopleError(_l("This citizen ID is not valid (wrong length or check digit)."), field="citizen_id")
    clash = find_person_by_citizen_id(data.citizen_id)
    if clash is not None and clash is not person:
        raise PeopleError(_l("Another person already has this citizen ID."), field="citizen_id")
    if person is not None and expected_version is not None and person.version != expected_version:
        raise StaleEdit()
    if data.supervisor_id is not None:
        if person is not None and data.supervisor_id == person.id:
            raise PeopleError(_l("A person cannot supervise themselves."), field="supervisor_id")
        if db.session.get(Person, data.supervisor_id) is None:
            raise PeopleError(_l("Unknown supervisor."), field="supervisor_id")
    if db.session.get(Unit, data.unit_id) is None:
        raise PeopleError(_l("Unknown unit."), field="unit_id")
    if person is not None:
        account_guard.check_email_change(person.id, person.email, data.email, by_admin)
    placed = None if person is None else (person.personnel_type, person.unit_id)

    def moved(stored: Person) -> None:  # the training summaries lock rows before the audit chain, as marks do
        if placed is not None and placed != (stored.personnel_type, stored.unit_id):
            people_moved.send(None, ids=[stored.id])

    return _store_audited(Person, person, data, person_snapshot, "person", before_entry=moved)


def reveal_citizen_id(person: Person) -> str:
    """HR's explicit look at a full citizen ID; always logged."""
    record("person.citizen_id_revealed", person)
    return person.citizen_id


def supervisor_choices(unit_id: int | None, current: int | None) -> list[Person]:
    """People of the unit and the units above it: where a supervisor is found in practice."""
    if unit_id is None:
        return []
    chain, unit = [], db.session.get(Unit, unit_id)
    while unit is not None and unit.id not in chain:
        chain.append(unit.id)
        unit = unit.parent
    query = select(Person).where(or_(Person.unit_id.in_(chain) & Person.active, Person.id == current))
    return list(db.session.scalars(query.order_by(Person.first_name, Person.last_name).limit(500)))
