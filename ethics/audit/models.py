from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, JSON, Boolean, DateTime, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from ethics.core.extensions import Model

LEGACY = "sha256"  # unkeyed SHA-256: entries written before the log was keyed
KEYED = "hmac-sha256"  # HMAC-SHA256 under ETHICS_AUDIT_KEY: every entry written since


class AuditEntry(Model):
    """One link of the chain: `hash` covers the content and the previous entry's hash, made as
    `scheme` says (see ethics.audit.services)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC (naive)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_label: Mapped[str] = mapped_column(String(150), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(64), default="")
    target_id: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    scheme: Mapped[str] = mapped_column(String(16), default=KEYED)


# PostgreSQL: the chain's lock and its last entry in one round trip, which every audited write
# waits for. Each statement of a VOLATILE function takes a fresh snapshot (READ COMMITTED), so the
# read after the lock sees every entry committed before the lock was granted. `durable` false lets
# a transaction that records reads only commit without waiting for the disk (docs/api.md).
CHAIN_TAIL = "audit_chain_tail(bigint, boolean)"  # its signature, for DROP FUNCTION
CHAIN_TAIL_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_chain_tail(lock_key bigint, durable boolean)
RETURNS TABLE (seq integer, hash varchar) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NOT durable THEN
        PERFORM set_config('synchronous_commit', 'off', true);
    END IF;
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN QUERY SELECT entry.seq, entry.hash FROM audit_entry AS entry ORDER BY entry.seq DESC LIMIT 1;
END
$$
"""
event.listen(AuditEntry.__table__, "after_create", DDL(CHAIN_TAIL_FUNCTION).execute_if(dialect="postgresql"))


class AuditVerification(Model):
    """The outcome of one walk of the chain (the worker's nightly one, or `audit-verify`), kept
    outside the chain: the administrator's start page tells when the log was last checked and
    how it was."""

    __tablename__ = "audit_verification"

    id: Mapped[int] = mapped_column(primary_key=True)
    verified_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC (naive)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    intact: Mapped[bool] = mapped_column(Boolean)
    broken_at: Mapped[int | None] = mapped_column(Integer)  # the first entry found altered, removed or inserted
    problem: Mapped[str] = mapped_column(String(500), default="")  # as audit-verify prints it (English)
    by: Mapped[str] = mapped_column(String(16))  # "worker" or "command"
