"""import jobs: when the status last changed, so a job whose process died shows as interrupted

Revision ID: ab55fa9f9313
Revises: ad01b7cee729
Create Date: 2026-11-26 17:05:34.533967

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ab55fa9f9313'
down_revision = 'ad01b7cee729'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE import_job SET status_at = created_at")


def downgrade():
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_column('status_at')

