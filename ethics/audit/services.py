"""Writing and verifying the audit chain.

Entries are written in the same transaction as the change they describe, so a rolled-back
change leaves no entry. Writers are serialised (a PostgreSQL advisory lock, SQLite's BEGIN
IMMEDIATE) so the chain stays in order under concurrent requests.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import cast

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import Table, func, select, text

from ethics.audit.models import AuditEntry
from ethics.core.bulk import insert_rows
from ethics.core.extensions import db

GENESIS = "0" * 64
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


def entry_hash(entry) -> str:
    """The hash of an entry, stored or being written (anything with the entry's attributes)."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _current_actor() -> tuple[int | None, str]:
    if has_app_context() and (actor := g.get("audit_actor")):
        return actor
    if not has_request_context():
        return None, "system"
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return current_user.id, current_user.username
    return None, "anonymous"


def _lock_chain():
    """Serialise writers; returns (seq, hash) of the last entry or None."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
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


COLUMNS = ("seq", "created_at", "actor_id", "actor_label", "action", "target_type", "target_id", "details", "ip",
           "prev_hash", "hash")


def _chain(entries: list[_Draft]) -> list[_Draft]:
    """Give new entries their places after the current last one, hashing each."""
    last = _lock_chain()
    seq, previous = (last.seq, last.hash) if last else (0, GENESIS)
    for entry in entries:
        seq += 1
        entry.seq, entry.prev_hash = seq, previous
        entry.hash = previous = entry_hash(entry)
    return entries


def _drafts(action: str, items: list[tuple[str, str, dict]], actor=None) -> list[_Draft]:
    """Entries for (target type, target id, details) items, sharing one actor, address and time."""
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


def record_many(action: str, items: list[tuple[str, str, dict]]) -> None:
    """Append one entry per (target type, target id, details) at once: for imports of many rows."""
    entries = _chain(_drafts(action, items))
    if entries:
        values = attrgetter(*COLUMNS)
        insert_rows(cast(Table, AuditEntry.__table__), [dict(zip(COLUMNS, values(entry), strict=False)) for entry in entries])


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that differ, so entries say what changed."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


@dataclass
class ChainBreak:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.reason}"


def verify_chain() -> ChainBreak | None:
    """Walk the chain in order and return the first entry that was altered, removed or inserted."""
    expected_seq, previous_hash = 1, GENESIS
    query = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000)
    for entry in db.session.scalars(query):
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, f"missing (removed); the chain jumps to entry {entry.seq}")
        if entry_hash(entry) != entry.hash:
            return ChainBreak(entry.seq, "altered: its content does not match its hash")
        if entry.prev_hash != previous_hash:
            return ChainBreak(entry.seq, "out of chain: it does not follow the previous entry "
                                         "(inserted, or the previous entry was rewritten)")
        expected_seq, previous_hash = entry.seq + 1, entry.hash
    return None


def entry_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry)) or 0
