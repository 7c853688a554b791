"""Many rows at once (COPY on PostgreSQL, executemany elsewhere): the rows land whole, in the
caller's transaction, and count as a write of their domain for the caches."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ethics.audit.models import AuditEntry
from ethics.audit.services import record_many, verify_chain
from ethics.core.bulk import COPY_FROM, among, insert_rows
from ethics.core.extensions import db
from ethics.people.models import Person
from tests.conftest import citizen_id
from tests.test_cache import versions


def person_row(n: int, unit_id: int) -> dict:
    return {"citizen_id": citizen_id(800000 + n), "title": "", "first_name": f"ชื่อ{n}", "last_name": "สกุล",
            "personnel_type": "civil_servant", "unit_id": unit_id, "position": "", "position_level": "",
            "email": "", "supervisor_id": None, "service_start_date": date(2020, 1 + n // 28, n % 28 + 1), "active": True,
            "version": 1}


@pytest.mark.parametrize("size", [3, COPY_FROM + 2])  # INSERT below COPY_FROM rows, COPY on PostgreSQL from it
def test_rows_land_with_their_types_and_raise_their_domain_version(app, make_unit, size):
    unit = make_unit()
    before = versions()
    insert_rows(Person.__table__, [person_row(n, unit.id) for n in range(size)])
    db.session.commit()
    assert versions()["people"] == before["people"] + 1
    stored = db.session.execute(select(Person.first_name, Person.service_start_date).order_by(Person.id)).all()
    assert stored == [(f"ชื่อ{n}", date(2020, 1 + n // 28, n % 28 + 1)) for n in range(size)]


def test_rows_go_back_with_a_rollback(app, make_unit):
    unit = make_unit()
    before = versions()
    insert_rows(Person.__table__, [person_row(0, unit.id)])
    db.session.rollback()
    assert db.session.scalar(select(Person.id)) is None
    assert versions() == before


def test_audit_entries_written_at_once_keep_their_details_and_the_chain(app):
    record_many("person.import", [("Person", "1", {"status": "new", "ชื่อ": "ก"}), ("Person", "2", {"status": "x"})])
    db.session.commit()
    assert [e.details for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq))] == \
        [{"status": "new", "ชื่อ": "ก"}, {"status": "x"}]
    assert verify_chain() is None


def test_among_finds_exactly_the_listed_keys(app, make_unit):
    unit = make_unit()
    insert_rows(Person.__table__, [person_row(n, unit.id) for n in range(3)])
    wanted = [citizen_id(800000), citizen_id(800002), citizen_id(999999)]
    found = db.session.scalars(select(Person.citizen_id).where(among(Person.citizen_id, wanted)))
    assert sorted(found) == sorted(wanted[:2])
