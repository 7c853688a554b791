"""a plan activity names the population its indicator counts (personnel types; empty = everyone)

Revision ID: c3a1f0d2e8b4
Revises: ab55fa9f9313
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a1f0d2e8b4'
down_revision = 'ab55fa9f9313'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personnel_types', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.drop_column('personnel_types')
