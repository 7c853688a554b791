"""What the audit tests share: the CLI as scripts run it, and an attacker's view of the table."""
from __future__ import annotations

import hashlib
import hmac
import json
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, insert, select

from ethics.audit.models import AuditEntry
from ethics.core.extensions import db

ROW = ("seq", "created_at", "actor_id", "actor_label", "action", "target_type", "target_id", "details", "ip",
       "prev_hash", "hash", "scheme")
GENESIS = "0" * 64


def canonical(entry) -> bytes:
    """The canonical content, written out here again (as an attacker who read the code would)."""
    content = [entry.seq, entry.created_at.isoformat(), entry.actor_id, entry.actor_label, entry.action,
               entry.target_type, entry.target_id, entry.details, entry.ip, entry.prev_hash]
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def plain_sha256(entry) -> str:
    """The pre-upgrade hash, as ethics/audit/services.py computed it before the log was keyed."""
    return hashlib.sha256(canonical(entry)).hexdigest()


def hmac_under(key: str):
    def keyed(entry) -> str:
        return hmac.new(key.encode(), b"hmac-sha256\n" + canonical(entry), hashlib.sha256).hexdigest()

    return keyed


def rows() -> list[dict]:
    return [{name: getattr(entry, name) for name in ROW}
            for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def rewrite(hasher, scheme: str, start: int = 1, stop: int | None = None, edit=None, drop=()) -> None:
    """What someone with write access to the database does: drop entries, edit one, number the
    rest again and recompute the hashes from `start` on (to `stop`) with `hasher`, marking them `scheme`."""
    entries = [row for row in rows() if row["seq"] not in drop]
    if edit:
        edit({row["seq"]: row for row in entries})
    previous = GENESIS
    for seq, row in enumerate(entries, 1):
        row["seq"] = seq
        if start <= seq <= (stop or seq):
            row["prev_hash"], row["scheme"] = previous, scheme
            row["hash"] = hasher(SimpleNamespace(**row))
        previous = row["hash"]
    db.session.execute(delete(AuditEntry))
    if entries:
        db.session.execute(insert(AuditEntry), entries)
    db.session.commit()


@pytest.fixture
def take_checkpoint(runner):
    """Run audit-checkpoint; its one line, checked against the contract."""
    def take() -> str:
        result = runner.invoke(args=["audit-checkpoint"])
        assert result.exit_code == 0, result.output
        assert result.stdout.count("\n") == 1 and result.stdout.startswith("checkpoint ")
        return result.stdout

    return take


@pytest.fixture
def audit_verify(runner):
    def run(checkpoint: str | None = None):
        db.session.commit()  # the test's own transaction ends, as a separate process would see the table
        return runner.invoke(args=["audit-verify", *(["--checkpoint", checkpoint] if checkpoint is not None else [])])

    return run
