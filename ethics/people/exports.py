"""The roster export: the import's columns, so an unedited export imports as unchanged."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from ethics.core.extensions import db
from ethics.people.models import Person, Unit


def roster_rows() -> Iterator[list]:
    """Active people, streamed from the database a thousand at a time; the service start date stays
    a date (a date cell shown in the Buddhist Era in the XLSX, YYYY-MM-DD in the CSV)."""
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
    for *values, started in db.session.execute(query):
        yield ["" if value is None else str(value) for value in values] + [started or ""]

