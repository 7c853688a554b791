"""training invitations wait for registration to open and are sent once; check-ins keep their time

Revision ID: f19c0a1b0001
Revises: f18b0e1a0002
Create Date: 2026-11-30 14:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f19c0a1b0001'
down_revision = 'f18b0e1a0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('session_invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(), nullable=True))
    # Until now an invitation was mailed the moment it was made.
    op.execute("UPDATE session_invitation SET sent_at = CURRENT_TIMESTAMP")
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('checked_in_at')
    with op.batch_alter_table('session_invitation', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
