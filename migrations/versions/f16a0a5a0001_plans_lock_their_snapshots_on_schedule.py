"""plans may lock their six-month and annual snapshots on schedule (HR's switch)

Revision ID: f16a0a5a0001
Revises: e15a0a7e0002
Create Date: 2026-11-30 08:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f16a0a5a0001'
down_revision = 'e15a0a7e0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_snapshots', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('auto_snapshots')
