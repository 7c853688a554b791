from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text, update

from ethics.audit.models import AuditEntry
from ethics.audit.services import record, verify_chain
from ethics.core.extensions import db


@pytest.fixture
def chain(app):
    for n in range(5):
        record("test.event", number=n)
    db.session.commit()


def test_intact_chain_verifies(runner, chain):
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0
    assert "intact (5 entries)" in result.output


def test_altered_entry_is_named(runner, chain):
    db.session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor_label="someone-else"))
    db.session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1
    assert "entry 3: altered" in result.output


def test_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(runner, chain):
    from ethics.audit.services import entry_hash

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.seq == 2))
    entry.details = {"number": 99}
    entry.hash = entry_hash(entry)
    db.session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "entry 3: out of chain" in result.output


def test_removed_entry_is_named(runner, chain):
    db.session.execute(text("DELETE FROM audit_entry WHERE seq = 4"))
    db.session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "entry 4: missing (removed)" in result.output


def test_inserted_entry_is_named(runner, chain):
    from ethics.audit.services import entry_hash

    forged = AuditEntry(seq=6, created_at=db.session.scalar(select(AuditEntry.created_at)), actor_id=None,
                        actor_label="forger", action="test.event", target_type="", target_id="", details={},
                        ip="", prev_hash="f" * 64)
    forged.hash = entry_hash(forged)
    db.session.add(forged)
    db.session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and "entry 6: out of chain" in result.output


def test_rolled_back_change_leaves_no_entry(app):
    record("test.event")
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry)) is None


def test_concurrent_writers_keep_one_unbroken_chain(app):
    """Twenty threads append at once; every entry lands once, in one chain."""
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def write(n):
        with app.app_context():
            try:
                start.wait()
                for k in range(5):
                    record("test.concurrent", writer=n, k=k)
                    db.session.commit()
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == 100
    assert verify_chain() is None
