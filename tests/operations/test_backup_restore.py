"""The restore drill, on SQLite and PostgreSQL: data, a backup taken while 50 people check in at once,
a restore into a new database, every table compared, the audit chain verified. And the refusals:
a database holding data, a damaged or foreign file, a missing PostgreSQL client."""
from __future__ import annotations

import gzip
import threading
from datetime import date, datetime, time

import pytest
from flask import g
from sqlalchemy import func, select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db
from ethics.operations.backup import OperationError, run_pg_tool
from ethics.training.attendance import check_in, current_code
from ethics.training.models import Attendance, Participation, Tally
from ethics.training.registrations import register
from tests.conftest import POSTGRES, make_tables
from tests.operations.conftest import scratch_database


@pytest.fixture
def database_config(tmp_path):
    """The `app` fixture (and every factory) on a whole database of its own, as pg_dump backs up."""
    with scratch_database(tmp_path, "source") as url:
        make_tables({"SQLALCHEMY_DATABASE_URI": url})
        yield {"SQLALCHEMY_DATABASE_URI": url}


# what the check-ins (a mark, its summary rows, its audit entry) and the restore write
MOVING = {"attendance", "training_participation", "training_tally", "audit_entry", "data_version", "audit_verification"}
PEOPLE = 50


def every_table(app) -> dict[str, list[tuple]]:
    with app.app_context(), db.engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key))]
                for table in db.metadata.sorted_tables}


@pytest.fixture
def roster(app, org, make_person, make_session):
    """A session of 50 confirmed people, on the day it runs, with its check-in code."""
    session = make_session(first_day=date(2026, 12, 1))
    people = [make_person(org["units"]["audit"]) for _ in range(PEOPLE)]
    for person in people:
        register(session.id, person, date(2026, 11, 26))
    db.session.commit()
    now = datetime.combine(session.first_day, time(9, 5))
    people_ids, code = [person.id for person in people], current_code(session.days[0], now)
    db.session.commit()  # the test's own transaction holds no lock while the check-ins run
    return people_ids, now, code


def check_in_as(app, person_id: int, now: datetime, code: str, started: threading.Event) -> None:
    with app.app_context():
        g.audit_actor = (person_id, f"person-{person_id}")  # so each check-in's entry names its person
        check_in(person_id, code, now)
        db.session.commit()
        started.set()


def test_restore_drill_a_backup_during_50_check_ins_restores_every_table_and_the_chain(app, roster, fresh_app, tmp_path):
    people, now, code = roster
    started = threading.Event()
    threads = [threading.Thread(target=check_in_as, args=(app, person_id, now, code, started)) for person_id in people]
    for thread in threads:
        thread.start()
    assert started.wait(timeout=30)
    backup = tmp_path / "ethics.backup"
    made = app.test_cli_runner().invoke(args=["backup", "--output", str(backup)])
    for thread in threads:
        thread.join()
    assert made.exit_code == 0, made.output
    source = every_table(app)
    assert len(source["attendance"]) == PEOPLE

    with fresh_app.app_context():  # the CLI runs in the app context it finds
        restored = fresh_app.test_cli_runner().invoke(args=["restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert "audit chain intact" in restored.output
    target = every_table(fresh_app)
    for name in source.keys() - MOVING:
        assert target[name] == source[name], name
    # the chain as it stood at the backup: a prefix of today's, then the restore's own entry
    *kept, restore_entry = target["audit_entry"]
    assert kept == source["audit_entry"][:len(kept)]
    with fresh_app.app_context():
        assert restore_entry == tuple(db.session.execute(select(AuditEntry.__table__).order_by(AuditEntry.seq.desc())).first())
        assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.seq.desc()).limit(1)) == "operations.restore"
        # every check-in fully there (its mark and its entry) or fully absent
        marked = set(db.session.scalars(select(Attendance.person_id).where(Attendance.present)))
        logged = set(db.session.scalars(select(AuditEntry.actor_id).where(AuditEntry.action == "training.check_in")))
        assert marked == logged
        summarised = set(db.session.scalars(select(Participation.person_id).where(Participation.activity_code == "*")))
        assert summarised == marked and sum(db.session.scalars(select(Tally.participants))) == 2 * len(marked)
        assert set(target["attendance"]) <= set(source["attendance"])


def test_the_backup_is_compressed_and_its_size_and_checksum_are_in_the_audit_log(app, runner, org, tmp_path):
    backup = tmp_path / "ethics.backup"
    result = runner.invoke(args=["backup", "--output", str(backup)])
    assert result.exit_code == 0, result.output
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    assert entry.action == "operations.backup"
    assert entry.details["bytes"] == backup.stat().st_size and entry.details["sha256"] in result.output
    assert backup.stat().st_mode & 0o777 == 0o600  # it holds everything: its owner only
    assert (tmp_path / "ethics.backup.sha256").read_text() == f"{entry.details['sha256']}  ethics.backup\n"
    if POSTGRES:
        assert backup.read_bytes()[:5] == b"PGDMP"  # the custom format, compressed
    else:
        assert gzip.decompress(backup.read_bytes())[:16] == b"SQLite format 3\x00"
    again = runner.invoke(args=["backup", "--output", str(backup)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_restore_refuses_a_database_that_holds_data_unless_forced(app, runner, org, tmp_path, make_unit):
    backup = tmp_path / "ethics.backup"
    assert runner.invoke(args=["backup", "--output", str(backup)]).exit_code == 0
    make_unit("LATER")  # written after the backup
    refused = runner.invoke(args=["restore", str(backup)])
    assert refused.exit_code == 1 and "not empty" in refused.output and "--force" in refused.output
    assert db.session.scalar(select(func.count()).where(db.metadata.tables["unit"].c.code == "LATER")) == 1
    forced = runner.invoke(args=["restore", "--force", str(backup)])
    assert forced.exit_code == 0, forced.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).where(db.metadata.tables["unit"].c.code == "LATER")) == 0


def test_a_damaged_or_foreign_file_changes_nothing(app, org, fresh_app, tmp_path):
    backup = tmp_path / "ethics.backup"
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(backup)]).exit_code == 0
    damaged = bytearray(backup.read_bytes())
    damaged[-10] ^= 0xFF
    backup.write_bytes(bytes(damaged))
    foreign = tmp_path / "other.backup"
    foreign.write_bytes(gzip.compress(b"sqlite?") if POSTGRES else b"PGDMP\x01\x0e")
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a backup")
    with fresh_app.app_context():
        for file, message in ((backup, "does not match its checksum"), (foreign, "is a backup of a"),
                              (stranger, "is not a backup"), (tmp_path / "missing", "does not exist")):
            result = fresh_app.test_cli_runner().invoke(args=["restore", str(file)])
            assert result.exit_code == 1 and message in result.output, result.output
        assert not db.inspect(db.engine).get_table_names()


def test_a_cut_backup_without_its_checksum_changes_nothing_even_when_forced(app, org, tmp_path):
    """Nothing is dropped or overwritten before the whole file has been read."""
    backup = tmp_path / "ethics.backup"
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(backup)]).exit_code == 0
    backup.with_name("ethics.backup.sha256").unlink()
    backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    before = every_table(app)
    db.session.remove()
    result = app.test_cli_runner().invoke(args=["restore", "--force", str(backup)])
    assert result.exit_code == 1, result.output
    assert every_table(app) == before


def test_a_missing_postgresql_client_is_named(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(OperationError, match="pg_dump was not found: install the PostgreSQL client"):
        run_pg_tool("pg_dump", ["--version"], {})


def test_a_database_where_only_the_schema_was_made_counts_as_empty(app, org, fresh_app, tmp_path):
    backup = tmp_path / "ethics.backup"
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(backup)]).exit_code == 0
    with fresh_app.app_context():
        db.create_all()  # tables and their bookkeeping rows, as `db upgrade` leaves them
        result = fresh_app.test_cli_runner().invoke(args=["restore", str(backup)])
        assert result.exit_code == 0, result.output
        assert db.session.scalar(select(func.count()).select_from(db.metadata.tables["account"])) == len(org["accounts"])
