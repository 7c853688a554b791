"""Entries written before the log was keyed keep their unkeyed SHA-256 chain; keyed entries follow
them, the first covering the last unkeyed hash, and none may be turned back unnoticed."""
from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import inspect, select, text

from ethics.audit.models import KEYED, LEGACY, AuditEntry
from ethics.audit.services import record
from ethics.core.extensions import db
from tests.audit.conftest import GENESIS, hmac_under, plain_sha256, rewrite

KEYED_REVISION = "e15a0d170001"  # named, not "head": other migrations may branch from the same parent
OLD_COLUMNS = ("seq", "created_at", "actor_id", "actor_label", "action", "target_type", "target_id", "details", "ip",
               "prev_hash", "hash")


def old_rows(count: int) -> list[dict]:
    """Entries as the pre-upgrade code wrote them: unkeyed SHA-256, chained from GENESIS."""
    entries, previous = [], GENESIS
    for seq in range(1, count + 1):
        row = {"seq": seq, "created_at": datetime(2026, 11, 1, 2, seq), "actor_id": None, "actor_label": "สมชาย",
               "action": "person.update", "target_type": "Person", "target_id": str(seq),
               "details": {"before": {"ชื่อ": "เดิม"}, "after": {"ชื่อ": "ใหม่"}}, "ip": "10.0.0.1",
               "prev_hash": previous}
        row["hash"] = previous = plain_sha256(type("Old", (), row))
        entries.append(row)
    return entries


@pytest.fixture
def upgraded(app):
    """A log of three entries from before the upgrade, then two the application keyed."""
    db.session.execute(sa.insert(AuditEntry), [{**row, "scheme": LEGACY} for row in old_rows(3)])
    db.session.commit()
    record("test.event", number=4)
    record("test.event", number=5)
    db.session.commit()


def test_unkeyed_entries_then_keyed_ones_verify(app, upgraded, audit_verify, take_checkpoint):
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [entry.scheme for entry in entries] == [LEGACY] * 3 + [KEYED] * 2
    assert entries[3].prev_hash == entries[2].hash  # the first keyed entry covers the last unkeyed one
    assert entries[3].hash == hmac_under(app.config["ETHICS_AUDIT_KEY"])(entries[3])
    result = audit_verify(take_checkpoint())
    assert result.exit_code == 0
    assert result.output == ("audit chain intact (5 entries, the first 3 unkeyed from before the log was keyed; "
                             "checkpoint 5 present)\n")
    app.config["ETHICS_AUDIT_KEY"] = "not-the-key-the-log-was-written-with-0123456789"
    assert "audit chain broken at entry 4: altered" in audit_verify().output  # the unkeyed part needs no key


def test_a_log_from_before_the_upgrade_alone_verifies(app, audit_verify):
    db.session.execute(sa.insert(AuditEntry), [{**row, "scheme": LEGACY} for row in old_rows(4)])
    result = audit_verify()
    assert result.exit_code == 0 and "(4 entries, the first 4 unkeyed" in result.output


def test_a_rewrite_of_the_unkeyed_part_shows_at_the_first_keyed_entry(upgraded, audit_verify):
    def edit(entries):
        entries[2]["details"] = {"after": {"ชื่อ": "ปลอม"}}

    rewrite(plain_sha256, LEGACY, start=2, stop=3, edit=edit)  # only the unkeyed part: there is no key to re-sign 4
    result = audit_verify()
    assert result.exit_code == 1 and "audit chain broken at entry 4: out of chain" in result.output


def test_an_unkeyed_entry_after_keyed_ones_is_named(upgraded, audit_verify):
    record("test.event", number=6)
    db.session.commit()
    rewrite(plain_sha256, LEGACY, start=5)  # turn the last two back into unkeyed entries
    result = audit_verify()
    assert result.exit_code == 1
    assert "audit chain broken at entry 5: downgraded: an unkeyed entry after keyed ones" in result.output


def test_turning_every_keyed_entry_back_is_caught_by_a_checkpoint(upgraded, audit_verify, take_checkpoint):
    line = take_checkpoint()
    rewrite(plain_sha256, LEGACY, start=4)
    alone = audit_verify()
    assert alone.exit_code == 0 and "(5 entries, the first 5 unkeyed" in alone.output
    result = audit_verify(line)
    assert result.exit_code == 1 and "audit checkpoint missing: entry 5" in result.output


def test_the_migration_keeps_the_entries_written_before_it(empty_app):
    upgrade(revision="c3a1f0d2e8b4")
    old_table = sa.table("audit_entry", *(sa.column(name, sa.JSON if name == "details" else None)
                                          for name in OLD_COLUMNS))
    db.session.execute(sa.insert(old_table), old_rows(3))
    db.session.commit()
    upgrade(revision=KEYED_REVISION)
    assert db.session.execute(text("SELECT scheme FROM audit_entry ORDER BY seq")).scalars().all() == [LEGACY] * 3
    scheme = next(column for column in inspect(db.session.connection()).get_columns("audit_entry") if column["name"] == "scheme")
    assert scheme["default"] is None  # a new entry is keyed because the application says so, not by default
    db.session.commit()
    upgrade()  # the later migrations, which the application's writes and the command expect
    record("test.event", number=4)
    db.session.commit()
    assert db.session.scalar(select(AuditEntry.scheme).where(AuditEntry.seq == 4)) == KEYED
    result = empty_app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 0
    assert result.output == "audit chain intact (4 entries, the first 3 unkeyed from before the log was keyed)\n"


def test_a_new_database_starts_keyed(empty_app):
    upgrade()
    record("test.event")
    db.session.commit()
    first = db.session.scalar(select(AuditEntry))
    assert (first.seq, first.scheme, first.prev_hash) == (1, KEYED, GENESIS)
    db.session.commit()
    assert empty_app.test_cli_runner().invoke(args=["audit-verify"]).output == "audit chain intact (1 entries)\n"
