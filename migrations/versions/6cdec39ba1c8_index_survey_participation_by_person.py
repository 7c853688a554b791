"""index survey participation by person, so deleting a person checks it without a scan

Revision ID: 6cdec39ba1c8
Revises: 4937b2e075d7
Create Date: 2026-11-26 11:05:34.826340

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6cdec39ba1c8'
down_revision = '4937b2e075d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_participation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_participation_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_participation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_participation_person_id'))

