"""audit entries are keyed (HMAC-SHA256); the scheme column marks the existing ones unkeyed SHA-256

`scheme` says how an entry's hash was made: 'hmac-sha256' under ETHICS_AUDIT_KEY for new
entries, 'sha256' (unkeyed) for every entry written before this revision, which keeps its hash.
The column is added with a server default so that every existing row is marked 'sha256' in the
same statement; the default is then dropped, so that only the application says what a new
entry is. The first keyed entry's HMAC covers the last unkeyed entry's hash. A downgrade drops
the column: keyed entries then no longer verify with the older code.

Revision ID: e15a0d170001
Revises: c3a1f0d2e8b4
Create Date: 2026-11-30 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e15a0d170001'
down_revision = 'c3a1f0d2e8b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheme', sa.String(length=16), nullable=False, server_default='sha256'))
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('scheme', existing_type=sa.String(length=16), existing_nullable=False,
                              server_default=None)


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('scheme')
