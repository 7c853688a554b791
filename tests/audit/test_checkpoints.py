"""Checkpoints kept outside the database: the command-line contract scripts rely on, and the
attacks only a checkpoint can catch (a cut tail, an emptied log, a log rewritten unkeyed)."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from ethics.audit.models import KEYED, LEGACY, AuditEntry, AuditVerification
from ethics.audit.services import record, record_many
from ethics.core.extensions import db
from tests.audit.conftest import hmac_under, plain_sha256, rewrite


def hash_of(seq: int) -> str:
    return db.session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq))


def test_an_empty_log_has_the_genesis_checkpoint(take_checkpoint, audit_verify):
    assert take_checkpoint() == "checkpoint 0 " + "0" * 64 + "\n"
    result = audit_verify(take_checkpoint())
    assert result.exit_code == 0 and result.output == "audit chain intact (0 entries; checkpoint 0 present)\n"


def test_the_checkpoint_is_the_last_entry(app, take_checkpoint, audit_verify):
    for n in range(5):
        record("test.event", number=n)
    db.session.commit()
    line = take_checkpoint()
    assert line == f"checkpoint 5 {hash_of(5)}\n"
    result = audit_verify(line)
    assert result.exit_code == 0 and result.output == "audit chain intact (5 entries; checkpoint 5 present)\n"
    record("test.event", number=5)  # the log grows past the checkpoint: still there
    result = audit_verify(line)
    assert result.exit_code == 0 and "intact (6 entries; checkpoint 5 present)" in result.output
    assert take_checkpoint() == f"checkpoint 6 {hash_of(6)}\n"


def test_each_run_of_audit_verify_is_kept_for_the_start_page(app, audit_verify):
    record("test.event")
    db.session.commit()
    assert audit_verify().exit_code == 0
    db.session.execute(text("UPDATE audit_entry SET actor_label = 'x' WHERE seq = 1"))
    db.session.commit()
    assert audit_verify().exit_code == 1
    db.session.expire_all()
    kept = db.session.scalars(select(AuditVerification).order_by(AuditVerification.id)).all()
    assert [(v.intact, v.entries, v.broken_at, v.by) for v in kept] == [(True, 1, None, "command"), (False, 0, 1, "command")]
    assert kept[1].problem.startswith("entry 1: altered")


def test_audit_verify_answers_the_same_when_its_outcome_cannot_be_kept(app, runner):
    """A database that cannot take the outcome (here: without its table) changes neither the
    output nor the exit code scripts rely on."""
    record("test.event")
    db.session.commit()
    AuditVerification.__table__.drop(db.engine)
    try:
        result = runner.invoke(args=["audit-verify"])
        assert result.exit_code == 0 and result.stdout == "audit chain intact (1 entries)\n"
        assert "warning: the outcome was not kept" in result.stderr
    finally:
        db.session.rollback()
        AuditVerification.__table__.create(db.engine)


def test_a_checkpoint_whose_hash_the_entry_no_longer_has(app, audit_verify):
    for n in range(3):
        record("test.event", number=n)
    result = audit_verify(f"checkpoint 2 {'a' * 64}")
    assert result.exit_code == 1
    assert result.output == (f"audit checkpoint missing: entry 2 with hash {'a' * 64} is no longer in the log "
                             f"(entry 2 now has hash {hash_of(2)}); the log was cut, rewritten or emptied\n")


@pytest.mark.parametrize("line", [
    "", "checkpoint", "checkpoint 5", f"checkpoint five {'a' * 64}", f"checkpoint 5 {'a' * 63}",
    f"checkpoint -5 {'a' * 64}", f"checkpoint 5 {'g' * 64}", f"5 {'a' * 64}", f"checkpoint 5 {'a' * 64} more",
    f"checkpoint ๕ {'a' * 64}", f"checkpoint 5 {'a' * 65}",
])
def test_a_malformed_checkpoint_is_a_usage_error(app, audit_verify, line):
    record("test.event")
    result = audit_verify(line)
    assert result.exit_code == 2
    assert "Invalid value for '--checkpoint'" in result.output
    assert 'expected "checkpoint SEQ HASH": SEQ a whole number, HASH 64 hexadecimal digits' in result.output


def test_a_checkpoint_as_kept_in_a_file_is_read_back(app, take_checkpoint, audit_verify):
    """Surrounding blanks and upper-case hex (a line copied by hand) are the same checkpoint."""
    record("test.event")
    line = take_checkpoint()
    assert audit_verify(f"  {line.upper().replace('CHECKPOINT', 'checkpoint')}  \n").exit_code == 0


# --- the attacks ------------------------------------------------------------------------------

@pytest.fixture
def log(app, take_checkpoint):
    """720 entries, with the checkpoints a cron job kept: after entry 300 and after entry 720."""
    record_many("test.event", [("Thing", str(n), {"n": n}) for n in range(1, 301)])
    db.session.commit()
    early = take_checkpoint()
    record_many("test.event", [("Thing", str(n), {"n": n}) for n in range(301, 721)])
    db.session.commit()
    return {"early": early, "last": take_checkpoint()}


def test_the_kept_checkpoints_hold_on_an_intact_log(log, audit_verify):
    assert log["early"].startswith("checkpoint 300 ") and log["last"].startswith("checkpoint 720 ")
    for line in (None, log["early"], log["last"]):
        result = audit_verify(line)
        assert result.exit_code == 0 and "audit chain intact (720 entries" in result.output


@pytest.mark.parametrize("cut, ends", [(1, "the log ends at entry 719"), (50, "the log ends at entry 670"),
                                       (720, "the log is empty")])
def test_a_cut_tail_or_an_emptied_log_is_caught_by_the_checkpoint(log, audit_verify, cut, ends):
    db.session.execute(text("DELETE FROM audit_entry WHERE seq > :keep"), {"keep": 720 - cut})
    alone = audit_verify()  # what is left is still a chain: the key cannot show a cut
    assert alone.exit_code == 0 and f"intact ({720 - cut} entries)" in alone.output
    result = audit_verify(log["last"])
    assert result.exit_code == 1
    assert f"audit checkpoint missing: entry 720 with hash {log['last'].split()[2]}" in result.output
    assert f"({ends}); the log was cut, rewritten or emptied" in result.output


def test_a_checkpoint_proves_the_log_up_to_its_entry_only(log, audit_verify):
    db.session.execute(text("DELETE FROM audit_entry WHERE seq > 670"))
    assert audit_verify(log["early"]).exit_code == 0  # entries 301-720 came after it
    assert audit_verify(log["last"]).exit_code == 1


def test_a_cut_tail_written_over_by_new_entries_is_caught(log, audit_verify):
    """Cut the last 50, then let the application write 60 more: entry 720 is back, with another hash."""
    db.session.execute(text("DELETE FROM audit_entry WHERE seq > 670"))
    db.session.commit()
    record_many("test.event", [("Thing", "x", {"n": n}) for n in range(60)])
    assert audit_verify().exit_code == 0
    result = audit_verify(log["last"])
    assert result.exit_code == 1 and f"(entry 720 now has hash {hash_of(720)})" in result.output


def test_deleting_an_entry_in_the_middle_is_named(log, audit_verify):
    db.session.execute(text("DELETE FROM audit_entry WHERE seq = 400"))
    result = audit_verify()
    assert result.exit_code == 1 and "audit chain broken at entry 400: missing (removed)" in result.output


def test_editing_an_entry_is_named(log, audit_verify):
    db.session.execute(text("UPDATE audit_entry SET actor_label = 'nobody' WHERE seq = 500"))
    result = audit_verify()
    assert result.exit_code == 1 and "audit chain broken at entry 500: altered" in result.output


def _the_old_attack(entries):
    entries[500]["details"] = {"n": 5000}


@pytest.mark.parametrize("start, scheme, broken", [
    (500, KEYED, "entry 500: altered: its content does not match its keyed hash"),
    (500, LEGACY, "entry 500: downgraded: an unkeyed entry after keyed ones"),
    (1, KEYED, "entry 1: altered"),
])
def test_the_old_attack_is_named_by_verify_alone(log, audit_verify, start, scheme, broken):
    """Edit entry 500, delete 700, number the rest again and recompute the hashes with plain SHA-256
    (what made the unkeyed chain say "intact")."""
    rewrite(plain_sha256, scheme, start=start, edit=_the_old_attack, drop={700})
    result = audit_verify()
    assert result.exit_code == 1 and f"audit chain broken at {broken}" in result.output


def test_the_old_attack_on_the_whole_log_is_caught_by_an_earlier_checkpoint(log, audit_verify):
    """Rewritten from entry 1 as if it had never been keyed, the log is a valid unkeyed chain; the
    summary says every entry is unkeyed, and any checkpoint taken before catches it."""
    rewrite(plain_sha256, LEGACY, start=1, edit=_the_old_attack, drop={700})
    alone = audit_verify()
    assert alone.exit_code == 0
    assert "(719 entries, the first 719 unkeyed from before the log was keyed)" in alone.output
    early = audit_verify(log["early"])
    assert early.exit_code == 1 and f"(entry 300 now has hash {hash_of(300)})" in early.output
    last = audit_verify(log["last"])
    assert last.exit_code == 1 and "(the log ends at entry 719)" in last.output


def test_a_rewrite_re_signed_with_a_wrong_key_is_named(log, audit_verify):
    rewrite(hmac_under("guessed-key-guessed-key-guessed-key-0000"), KEYED, start=500, edit=_the_old_attack,
            drop={700})
    result = audit_verify(log["early"])
    assert result.exit_code == 1 and "audit chain broken at entry 500: altered" in result.output
