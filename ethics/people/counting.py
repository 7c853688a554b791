"""Counting distinct people, with the breakdowns every indicator shows: by personnel type and unit."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, literal, select

from ethics.core.extensions import db
from ethics.people.models import Person


@dataclass
class Count:
    total: int
    by_personnel_type: dict[str, int] = field(default_factory=dict)
    by_unit: dict[int, int] = field(default_factory=dict)
    # (personnel type, unit id) -> people: what lets a count be narrowed to a population exactly
    cells: dict[tuple[str, int], int] = field(default_factory=dict)

    def add(self, kind: str, unit_id: int, number: int) -> None:
        self.total += number
        self.by_personnel_type[kind] = self.by_personnel_type.get(kind, 0) + number
        self.by_unit[unit_id] = self.by_unit.get(unit_id, 0) + number
        self.cells[kind, unit_id] = self.cells.get((kind, unit_id), 0) + number

    def among(self, kinds) -> Count:
        """The same count over only the people of these personnel types (all of them if none)."""
        if not kinds:
            return self
        narrowed = Count(0)
        for (kind, unit_id), number in self.cells.items():
            if kind in kinds:
                narrowed.add(kind, unit_id, number)
        return narrowed


def people_counts(rows: Select) -> dict:
    """Per key, the total, by personnel type and by unit, of a SELECT of (key, person_id) rows
    (may repeat): one query for any number of keys."""
    pairs = rows.distinct().subquery()
    key, person_id = pairs.c
    result = db.session.execute(
        select(key, Person.personnel_type, Person.unit_id, func.count())
        .join(pairs, person_id == Person.id).group_by(key, Person.personnel_type, Person.unit_id))
    counts: dict = {}
    for row_key, kind, unit_id, number in result:
        counts.setdefault(row_key, Count(0)).add(kind, unit_id, number)
    return counts


def people_count(people: Select) -> Count:
    """Total, by personnel type and by unit, of a SELECT of person ids (may repeat)."""
    ids = people.subquery()
    return people_counts(select(literal("").label("key"), ids.c.person_id)).get("", Count(0))
