"""Counting distinct people, with the breakdowns every indicator shows: by personnel type and unit."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from ethics.extensions import db
from ethics.people.models import Person


@dataclass
class Count:
    total: int
    by_personnel_type: dict[str, int] = field(default_factory=dict)
    by_unit: dict[int, int] = field(default_factory=dict)


def people_count(people: Select) -> Count:
    """Total, by personnel type and by unit, of a SELECT of person ids (may repeat)."""
    ids = people.distinct().subquery()
    rows = db.session.execute(
        select(Person.personnel_type, Person.unit_id, func.count())
        .join(ids, ids.c.person_id == Person.id).group_by(Person.personnel_type, Person.unit_id)
    ).all()
    count = Count(total=sum(row[2] for row in rows))
    for kind, unit_id, number in rows:
        count.by_personnel_type[kind] = count.by_personnel_type.get(kind, 0) + number
        count.by_unit[unit_id] = count.by_unit.get(unit_id, 0) + number
    return count
