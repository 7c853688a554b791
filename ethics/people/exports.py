"""The roster export: the import's columns, so an unedited export imports as unchanged."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from ethics.core.extensions import db
from ethics.people.models import Person, Unit


def roster_rows() -> Iterator[list[str]]:
    """Active people, streamed from the database a thousand at a time."""
    boss = db.aliased(Person)
    query = (
        select(Person.citizen_id, Person.title, Person.first_name, Person.last_name, Person.personnel_type,
               Unit.code, Person.position, Person.position_level, Person.email, boss.citizen_id,
               Person.service_start_date)
        .join(Unit, Person.unit_id == Unit.id)
        .outerjoin(boss, Person.supervisor_id == boss.id)
        .where(Person.active)
        .order_by(Unit.code, Person.citizen_id)
        .execution_options(yield_per=1000)
    )
    for row in db.session.execute(query):
        values = list(row)
        values[-1] = values[-1].isoformat() if values[-1] else ""
        yield ["" if value is None else str(value) for value in values]

