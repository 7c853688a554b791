"""long PDFs are kept under the fingerprint of the HTML they were made from

Revision ID: f20a0b0c0005
Revises: f20a0b0c0003
Create Date: 2026-11-30 18:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f20a0b0c0005'
down_revision = 'f20a0b0c0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kept_document',
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade():
    op.drop_table('kept_document')
