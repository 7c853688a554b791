"""the audit chain's lock and last entry in one call on PostgreSQL; the audit log has no data version

Revision ID: f22a0b0c0009
Revises: f21a0b0c0008
Create Date: 2026-12-01 11:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f22a0b0c0009'
down_revision = 'f21a0b0c0008'
branch_labels = None
depends_on = None


# As ethics/audit/models.py had it at this revision (a migration keeps its own copy).
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


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CHAIN_TAIL_FUNCTION)
    # Nothing is computed from the audit log, so its writes no longer raise a version (ethics/core/data_versions.py).
    op.execute("DELETE FROM data_version WHERE domain = 'audit'")


def downgrade():
    op.execute("INSERT INTO data_version (domain, version) VALUES ('audit', 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_chain_tail(bigint, boolean)")
