"""the training summaries also count every session of a year and of each month (the plan dashboard's participation by unit and by month)

Revision ID: f21a0b0c0008
Revises: f20a0b0c0007
Create Date: 2026-12-01 05:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f21a0b0c0008'
down_revision = 'f20a0b0c0007'
branch_labels = None
depends_on = None


def upgrade():
    # The summaries recomputed from the raw rows, with the year's and the months' keys the writes now keep.
    from ethics.training.summary import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.execute("DELETE FROM training_tally WHERE activity_code LIKE '*%'")
    op.execute("DELETE FROM training_participation WHERE activity_code LIKE '*%'")
