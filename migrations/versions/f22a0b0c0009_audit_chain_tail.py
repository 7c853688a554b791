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


def upgrade():
    from ethics.audit.models import CHAIN_TAIL_FUNCTION

    if op.get_bind().dialect.name == "postgresql":
        op.execute(CHAIN_TAIL_FUNCTION)
    # Nothing is computed from the audit log, so its writes no longer raise a version (ethics/core/data_versions.py).
    op.execute("DELETE FROM data_version WHERE domain = 'audit'")


def downgrade():
    from ethics.audit.models import CHAIN_TAIL

    op.execute("INSERT INTO data_version (domain, version) VALUES ('audit', 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {CHAIN_TAIL}")
