"""the organisation opens the public transparency page and chooses live values or the latest snapshot

Revision ID: f20a0b0c0003
Revises: f20a0b0c0002
Create Date: 2026-11-30 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f20a0b0c0003'
down_revision = 'f20a0b0c0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_page', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('public_values', sa.String(length=16), nullable=False, server_default='live'))


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('public_values')
        batch_op.drop_column('public_page')
