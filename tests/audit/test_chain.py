from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text, update

from ethics.audit.models import KEYED, AuditEntry
from ethics.audit.services import record, verify_chain
from ethics.core.extensions import db
from tests.audit.conftest import GENESIS, hmac_under, plain_sha256, rewrite


@pytest.fixture
def chain(app):
    for n in range(5):
        record("test.event", number=n)
    db.session.commit()


def test_intact_chain_verifies(audit_verify, chain):
    result = audit_verify()
    assert result.exit_code == 0
    assert result.output == "audit chain intact (5 entries)\n"


def test_every_entry_is_an_hmac_under_the_configured_key(app, chain):
    """Not a plain SHA-256 anyone could recompute: the key, which the database does not hold, is needed."""
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    keyed = hmac_under(app.config["ETHICS_AUDIT_KEY"])
    assert [entry.scheme for entry in entries] == [KEYED] * 5
    assert entries[0].prev_hash == GENESIS  # a new database starts keyed
    assert all(entry.hash == keyed(entry) != plain_sha256(entry) for entry in entries)
    assert [entry.prev_hash for entry in entries[1:]] == [entry.hash for entry in entries[:-1]]


def test_altered_entry_is_named(audit_verify, chain):
    db.session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor_label="someone-else"))
    result = audit_verify()
    assert result.exit_code == 1
    assert "audit chain broken at entry 3: altered" in result.output


def test_an_entry_re_hashed_with_plain_sha256_is_named(audit_verify, chain):
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.seq == 2))
    entry.details = {"number": 99}
    entry.hash = plain_sha256(entry)
    result = audit_verify()
    assert result.exit_code == 1 and "entry 2: altered: its content does not match its keyed hash" in result.output


@pytest.mark.parametrize("start", [1, 3])
def test_a_chain_re_signed_with_another_key_is_named(audit_verify, chain, start):
    def edit(entries):
        entries[3]["details"] = {"number": 99}

    rewrite(hmac_under("a-key-the-attacker-made-up-0123456789abcdef"), KEYED, start=start, edit=edit)
    result = audit_verify()
    assert result.exit_code == 1 and f"entry {start}: altered" in result.output


def test_verifying_under_another_key_fails(app, audit_verify, chain):
    """The key is what the chain proves: an operator who lost or changed it is told at entry 1."""
    app.config["ETHICS_AUDIT_KEY"] = "not-the-key-the-log-was-written-with-0123456789"
    result = audit_verify()
    assert result.exit_code == 1
    assert "entry 1: altered" in result.output and "ETHICS_AUDIT_KEY" in result.output


def test_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(audit_verify, chain):
    """Even with the key, rewriting one entry without re-signing the rest shows at the next."""
    from ethics.audit.services import entry_hash

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.seq == 2))
    entry.details = {"number": 99}
    entry.hash = entry_hash(entry)
    result = audit_verify()
    assert result.exit_code == 1 and "entry 3: out of chain" in result.output


def test_removed_entry_is_named(audit_verify, chain):
    db.session.execute(text("DELETE FROM audit_entry WHERE seq = 4"))
    result = audit_verify()
    assert result.exit_code == 1 and "entry 4: missing (removed)" in result.output


def test_inserted_entry_is_named(audit_verify, chain):
    from ethics.audit.services import entry_hash

    forged = AuditEntry(seq=6, created_at=db.session.scalar(select(AuditEntry.created_at)), actor_id=None,
                        actor_label="forger", action="test.event", target_type="", target_id="", details={},
                        ip="", prev_hash="f" * 64, scheme=KEYED)
    forged.hash = entry_hash(forged)
    db.session.add(forged)
    result = audit_verify()
    assert result.exit_code == 1 and "entry 6: out of chain" in result.output


def test_an_unknown_scheme_is_named(audit_verify, chain):
    db.session.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(scheme="none"))
    result = audit_verify()
    assert result.exit_code == 1 and "entry 2: altered: it names no known hash scheme" in result.output


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
