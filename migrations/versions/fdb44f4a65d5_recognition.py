"""outstanding civil servant selection: rounds, criteria, committee, nominations, conflicts, scores

Revision ID: fdb44f4a65d5
Revises: bb17427b33f5
Create Date: 2026-11-26 08:46:17.261611

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fdb44f4a65d5'
down_revision = 'bb17427b33f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('award_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('nominations_open', sa.Date(), nullable=False),
    sa.Column('nominations_close', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('quota_total', sa.Integer(), nullable=True),
    sa.Column('quota_per_unit', sa.Integer(), nullable=True),
    sa.Column('tie_break', sa.String(length=32), nullable=False),
    sa.Column('tell_nominee_at_announcement', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_round')),
    sa.UniqueConstraint('year', name=op.f('uq_award_round_year'))
    )
    op.create_table('award_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['award_round.id'], name=op.f('fk_award_criterion_round_id_award_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_criterion'))
    )
    with op.batch_alter_table('award_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_criterion_round_id'), ['round_id'], unique=False)

    op.create_table('award_committee_member',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('is_chair', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_award_committee_member_account_id_account')),
    sa.ForeignKeyConstraint(['round_id'], ['award_round.id'], name=op.f('fk_award_committee_member_round_id_award_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'account_id', name=op.f('pk_award_committee_member'))
    )
    op.create_table('nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('nominated_by', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('justification', sa.JSON(), nullable=False),
    sa.Column('eligibility', sa.JSON(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('total_score', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['nominated_by'], ['account.id'], name=op.f('fk_nomination_nominated_by_account')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_nomination_person_id_person')),
    sa.ForeignKeyConstraint(['round_id'], ['award_round.id'], name=op.f('fk_nomination_round_id_award_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_nomination_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination')),
    sa.UniqueConstraint('round_id', 'person_id', name=op.f('uq_nomination_round_id'))
    )
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_status'), ['status'], unique=False)

    op.create_table('award_score',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_award_score_account_id_account')),
    sa.ForeignKeyConstraint(['criterion_id'], ['award_criterion.id'], name=op.f('fk_award_score_criterion_id_award_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_award_score_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nomination_id', 'account_id', 'criterion_id', name=op.f('pk_award_score')),
    )
    op.create_table('conflict_declaration',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_conflict_declaration_account_id_account')),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_conflict_declaration_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nomination_id', 'account_id', name=op.f('pk_conflict_declaration'))
    )


def downgrade():
    op.drop_table('conflict_declaration')
    op.drop_table('award_score')
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_status'))
        batch_op.drop_index(batch_op.f('ix_nomination_round_id'))
        batch_op.drop_index(batch_op.f('ix_nomination_person_id'))

    op.drop_table('nomination')
    op.drop_table('award_committee_member')
    with op.batch_alter_table('award_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_criterion_round_id'))

    op.drop_table('award_criterion')
    op.drop_table('award_round')
