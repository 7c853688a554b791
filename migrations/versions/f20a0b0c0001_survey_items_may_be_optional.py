"""survey items may be optional: the database fills in "required" (true) for rows written without it

Every item was required until now, and rows keep their value; the server default means an item
inserted without saying (an older script, a hand-made row) stays required as well.

Revision ID: f20a0b0c0001
Revises: f19c0a1b0001
Create Date: 2026-11-30 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f20a0b0c0001'
down_revision = 'f19c0a1b0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_item', schema=None) as batch_op:
        batch_op.alter_column('required', existing_type=sa.Boolean(), existing_nullable=False,
                              server_default=sa.true())


def downgrade():
    with op.batch_alter_table('survey_item', schema=None) as batch_op:
        batch_op.alter_column('required', existing_type=sa.Boolean(), existing_nullable=False,
                              server_default=None)
