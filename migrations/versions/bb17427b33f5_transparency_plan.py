"""transparency plan: strategies, measures, activities, manual entries, snapshots

Revision ID: bb17427b33f5
Revises: be5fa1cbd6d3
Create Date: 2026-11-26 08:30:40.626724

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bb17427b33f5'
down_revision = 'be5fa1cbd6d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('fiscal_year', name=op.f('uq_plan_fiscal_year'))
    )
    op.create_table('plan_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('locked_on', sa.Date(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_snapshot_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_snapshot')),
    sa.UniqueConstraint('plan_id', 'name', name=op.f('uq_plan_snapshot_plan_id'))
    )
    with op.batch_alter_table('plan_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_snapshot_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_strategy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('objective', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_strategy_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_strategy')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_plan_strategy_plan_id'))
    )
    with op.batch_alter_table('plan_strategy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_strategy_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('strategy_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['strategy_id'], ['plan_strategy.id'], name=op.f('fk_plan_measure_strategy_id_plan_strategy'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_measure')),
    sa.UniqueConstraint('strategy_id', 'number', name=op.f('uq_plan_measure_strategy_id'))
    )
    with op.batch_alter_table('plan_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_measure_strategy_id'), ['strategy_id'], unique=False)

    op.create_table('plan_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('responsible', sa.Text(), nullable=False),
    sa.Column('target', sa.String(length=255), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('result_text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['plan_measure.id'], name=op.f('fk_plan_activity_measure_id_plan_measure'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_activity')),
    sa.UniqueConstraint('measure_id', 'number', name=op.f('uq_plan_activity_measure_id'))
    )
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_activity_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_activity_measure_id'), ['measure_id'], unique=False)

    op.create_table('plan_manual_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence_name', sa.String(length=255), nullable=False),
    sa.Column('evidence_type', sa.String(length=100), nullable=False),
    sa.Column('evidence', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['plan_activity.id'], name=op.f('fk_plan_manual_entry_activity_id_plan_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_manual_entry'))
    )
    with op.batch_alter_table('plan_manual_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_manual_entry_activity_id'), ['activity_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_manual_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_manual_entry_activity_id'))

    op.drop_table('plan_manual_entry')
    with op.batch_alter_table('plan_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_activity_measure_id'))
        batch_op.drop_index(batch_op.f('ix_plan_activity_code'))

    op.drop_table('plan_activity')
    with op.batch_alter_table('plan_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_measure_strategy_id'))

    op.drop_table('plan_measure')
    with op.batch_alter_table('plan_strategy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_strategy_plan_id'))

    op.drop_table('plan_strategy')
    with op.batch_alter_table('plan_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_snapshot_plan_id'))

    op.drop_table('plan_snapshot')
    op.drop_table('plan')
