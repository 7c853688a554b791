"""each person's attendance and passes per fiscal year and plan activity, and their counts per personnel type and unit, kept by the writes

Revision ID: f20a0b0c0007
Revises: f20a0b0c0006
Create Date: 2026-11-30 21:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f20a0b0c0007'
down_revision = 'f20a0b0c0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'training_participation',
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('activity_code', sa.String(length=32), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('personnel_type', sa.String(length=32), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('attended', sa.Boolean(), nullable=False),
        sa.Column('passed', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.PrimaryKeyConstraint('fiscal_year', 'activity_code', 'person_id'),
    )
    op.create_index(op.f('ix_training_participation_person_id'), 'training_participation', ['person_id'])
    op.create_table(
        'training_tally',
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('activity_code', sa.String(length=32), nullable=False),
        sa.Column('personnel_type', sa.String(length=32), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('participants', sa.Integer(), nullable=False),
        sa.Column('passed', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('fiscal_year', 'activity_code', 'personnel_type', 'unit_id'),
    )
    # The trainings recorded before this release, summed as the writes now keep them.
    from ethics.training.summary import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.drop_table('training_tally')
    op.drop_index(op.f('ix_training_participation_person_id'), table_name='training_participation')
    op.drop_table('training_participation')
