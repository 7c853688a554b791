"""Writing and verifying the audit chain.

Entries are written in the same transaction as the change they describe, so a rolled-back
change leaves no entry. Writers are serialised (a PostgreSQL advisory lock, SQLite's BEGIN
IMMEDIATE) so the chain stays in order under concurrent requests; on PostgreSQL the lock and the
read of the last entry are one call (CHAIN_TAIL_FUNCTION in ethics/audit/models.py).

Keyed chain. An entry's `hash` is an HMAC-SHA256 under ETHICS_AUDIT_KEY of its canonical
content, which includes the previous entry's hash (`prev_hash`). The key is not in the
database, so someone who can write to the database but lacks the key cannot alter, insert or
remove an entry and re-sign the entries after it. Entries written before the log was keyed
(migration e15a0d170001) keep their unkeyed SHA-256 (`scheme` says which); they may only come
before every keyed entry, the first keyed entry's HMAC covers the last unkeyed entry's hash,
and a new database starts keyed: a rewrite of the old part shows at the first keyed entry, and
an unkeyed entry after a keyed one is a break, so a downgrade has to turn every keyed entry
into an unkeyed one, which the chain cannot show but any checkpoint taken since does.

Checkpoints. A chain cannot show that its newest entries were cut off: deleting the last
entries, all of them, or rewriting the whole log into unkeyed hashes leaves a chain that
verifies. A checkpoint, `checkpoint SEQ HASH` (the last entry's seq and hash; `checkpoint 0`
followed by GENESIS, 64 zeros, for an empty log), kept away from the database server, catches
that: verifying against it fails unless entry SEQ is still in the chain with that HASH.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import cast

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import Table, select, text

from ethics.audit.models import KEYED, LEGACY, AuditEntry, AuditVerification
from ethics.core.bulk import insert_rows
from ethics.core.extensions import db

GENESIS = "0" * 64  # the previous hash of entry 1, and the hash in the checkpoint of an empty log
_LOCK_KEY = 7_240_001  # advisory-lock id reserved for the audit chain


def _canonical(entry) -> bytes:
    content = [
        entry.seq,
        entry.created_at.isoformat(),
        entry.actor_id,
        entry.actor_label,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.details,
        entry.ip,
        entry.prev_hash,
    ]
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def audit_key() -> bytes:
    """ETHICS_AUDIT_KEY, which keys every entry; writing or verifying without it is refused."""
    key = current_app.config.get("ETHICS_AUDIT_KEY") or ""
    if not key:
        raise RuntimeError("ETHICS_AUDIT_KEY is not set: the audit log can be neither written nor verified")
    return key.encode()


def legacy_hash(entry) -> str:
    """The unkeyed SHA-256 of entries written before the log was keyed."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


def keyed_hash(entry, key: bytes) -> str:
    """HMAC-SHA256 under `key` of the scheme's name and the canonical content (previous hash included)."""
    return hmac.new(key, KEYED.encode() + b"\n" + _canonical(entry), hashlib.sha256).hexdigest()


def entry_hash(entry, key: bytes | None = None) -> str:
    """The hash of an entry, stored or being written (anything with the entry's attributes), as its
    scheme makes it; keyed ones under ETHICS_AUDIT_KEY unless `key` is given."""
    if entry.scheme == LEGACY:
        return legacy_hash(entry)
    return keyed_hash(entry, audit_key() if key is None else key)


def _current_actor() -> tuple[int | None, str]:
    if has_app_context() and (actor := g.get("audit_actor")):
        return actor
    if not has_request_context():
        return None, "system"
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return current_user.id, current_user.username
    return None, "anonymous"


def _lock_chain(durable: bool = True):
    """Serialise writers; returns (seq, hash) of the last entry or None. A transaction that is not
    `durable` records reads only, and may commit on PostgreSQL without waiting for the disk."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":  # see CHAIN_TAIL_FUNCTION
        return session.execute(text("SELECT seq, hash FROM audit_chain_tail(:key, :durable)"),
                               {"key": _LOCK_KEY, "durable": durable}).first()
    return session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()


def _describe(target) -> tuple[str, str]:
    if target is None:
        return "", ""
    return type(target).__name__, str(getattr(target, "id", "") or "")


@dataclass(slots=True)
class _Draft:
    """An entry being written: plain attributes, so a 20,000-row import does not build ORM objects."""

    created_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    details: dict
    ip: str
    seq: int = 0
    prev_hash: str = ""
    hash: str = ""
    scheme: str = KEYED


COLUMNS = ("seq", "created_at", "actor_id", "actor_label", "action", "target_type", "target_id", "details", "ip",
           "prev_hash", "hash", "scheme")


def _chain(entries: list[_Draft], durable: bool = True) -> list[_Draft]:
    """Give new entries their places after the current last one, each keyed under ETHICS_AUDIT_KEY."""
    key = audit_key()
    last = _lock_chain(durable)
    seq, previous = (last.seq, last.hash) if last else (0, GENESIS)
    for entry in entries:
        seq += 1
        entry.seq, entry.prev_hash, entry.scheme = seq, previous, KEYED
        entry.hash = previous = keyed_hash(entry, key)
    return entries


def _drafts(action: str, items: list[tuple[str, str, dict]], actor=None) -> list[_Draft]:
    """Entries for (target type, target id, details) items, sharing one actor, address and time (UTC)."""
    actor_id, actor_label = (actor.id, actor.username) if actor is not None else _current_actor()
    created = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    ip = (request.remote_addr or "") if has_request_context() else ""
    return [_Draft(created, actor_id, actor_label, action, target_type, target_id, details, ip)
            for target_type, target_id, details in items]


def record(action: str, target=None, *, before=None, after=None, actor=None, **details) -> AuditEntry:
    """Append an entry to the chain inside the caller's transaction."""
    payload = dict(details)
    if before is not None:
        payload["before"] = before
    if after is not None:
        payload["after"] = after
    (draft,) = _chain(_drafts(action, [(*_describe(target), payload)], actor))
    entry = AuditEntry(**{column: getattr(draft, column) for column in COLUMNS})
    db.session.add(entry)
    db.session.flush()
    return entry


def record_many(action: str, items: list[tuple[str, str, dict]], actor=None, durable: bool = True) -> None:
    """Append one entry per (target type, target id, details) at once, as plain rows: for imports of
    many rows, and for the API's entry at every use, where building an ORM object would cost more
    than the insert. `durable=False` only for a transaction that records reads (see _lock_chain)."""
    entries = _chain(_drafts(action, items, actor), durable)
    if entries:
        values = attrgetter(*COLUMNS)
        insert_rows(cast(Table, AuditEntry.__table__), [dict(zip(COLUMNS, values(entry), strict=False)) for entry in entries])


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that differ, so entries say what changed."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


_CHECKPOINT_LINE = re.compile(r"checkpoint[ \t]+([0-9]+)[ \t]+([0-9a-fA-F]{64})")


@dataclass(frozen=True)
class Checkpoint:
    """Where the log stood: its last entry's seq and hash (0 and GENESIS when it was empty)."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, line: str) -> Checkpoint:
        """Read the line `audit-checkpoint` printed; ValueError when it is not one."""
        match = _CHECKPOINT_LINE.fullmatch(line.strip())
        if not match:
            raise ValueError('expected "checkpoint SEQ HASH": SEQ a whole number, HASH 64 hexadecimal digits')
        return cls(int(match[1]), match[2].lower())

    def __str__(self) -> str:
        return f"checkpoint {self.seq} {self.hash}"


@dataclass
class ChainBreak:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.reason}"


@dataclass
class CheckpointMissing:
    """The chain holds together, but not the entry a checkpoint saw: the log was cut, rewritten or emptied."""

    checkpoint: Checkpoint
    found: str

    def __str__(self) -> str:
        return (f"checkpoint missing: entry {self.checkpoint.seq} with hash {self.checkpoint.hash} is no longer "
                f"in the log ({self.found}); the log was cut, rewritten or emptied")


@dataclass
class Verification:
    entries: int = 0
    unkeyed: int = 0  # entries from before the log was keyed, all at its start
    problem: ChainBreak | CheckpointMissing | None = None


def latest_checkpoint() -> Checkpoint:
    """The checkpoint of the log as it stands: its last entry, or GENESIS when it is empty."""
    last = db.session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    return Checkpoint(last.seq, last.hash) if last else Checkpoint(0, GENESIS)


def _first_fault(entry: AuditEntry, expected_seq: int, previous_hash: str, keyed_before: bool,
                 key: bytes) -> ChainBreak | None:
    if entry.seq != expected_seq:
        return ChainBreak(expected_seq, f"missing (removed); the chain jumps to entry {entry.seq}")
    if entry.scheme not in (LEGACY, KEYED):
        return ChainBreak(entry.seq, f"altered: it names no known hash scheme ({entry.scheme!r})")
    if entry.scheme == LEGACY and keyed_before:
        return ChainBreak(entry.seq, "downgraded: an unkeyed entry after keyed ones (rewritten without the key)")
    if entry_hash(entry, key) != entry.hash:
        if entry.scheme == KEYED:
            return ChainBreak(entry.seq, "altered: its content does not match its keyed hash "
                                         "(rewritten without the key, or ETHICS_AUDIT_KEY is not the key it was written with)")
        return ChainBreak(entry.seq, "altered: its content does not match its hash")
    if entry.prev_hash != previous_hash:
        return ChainBreak(entry.seq, "out of chain: it does not follow the previous entry "
                                     "(inserted, or the previous entry was rewritten)")
    return None


def verify(checkpoint: Checkpoint | None = None) -> Verification:
    """Walk the chain in order: the first entry that was altered, removed, inserted or downgraded,
    else, when a checkpoint is given, whether its entry is still there with its hash."""
    key = audit_key()
    result = Verification()
    expected_seq, previous_hash, keyed_before = 1, GENESIS, False
    held = GENESIS if checkpoint is not None and checkpoint.seq == 0 else None  # the hash the log has at checkpoint.seq
    query = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000)
    for entry in db.session.scalars(query):
        if fault := _first_fault(entry, expected_seq, previous_hash, keyed_before, key):
            result.problem = fault
            return result
        if checkpoint is not None and entry.seq == checkpoint.seq:
            held = entry.hash
        result.entries += 1
        result.unkeyed += entry.scheme == LEGACY
        keyed_before = keyed_before or entry.scheme == KEYED
        expected_seq, previous_hash = entry.seq + 1, entry.hash
    if checkpoint is not None and held != checkpoint.hash:
        if held is not None:
            found = f"entry {checkpoint.seq} now has hash {held}"
        elif result.entries:
            found = f"the log ends at entry {expected_seq - 1}"
        else:
            found = "the log is empty"
        result.problem = CheckpointMissing(checkpoint, found)
    return result


def keep_verification(result: Verification, by: str) -> AuditVerification:
    """Remember a walk's outcome (in the caller's transaction) for the start page."""
    problem = result.problem
    kept = AuditVerification(verified_at=datetime.now(UTC).replace(tzinfo=None), entries=result.entries,
                             intact=problem is None, broken_at=problem.seq if isinstance(problem, ChainBreak) else None,
                             problem=str(problem or "")[:500], by=by)
    db.session.add(kept)
    return kept


def last_verification() -> AuditVerification | None:
    return db.session.scalars(select(AuditVerification).order_by(AuditVerification.id.desc()).limit(1)).first()


def verify_chain(checkpoint: Checkpoint | None = None) -> ChainBreak | CheckpointMissing | None:
    """The first problem `verify` finds, or None when the log is intact."""
    return verify(checkpoint).problem

