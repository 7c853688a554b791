"""morale survey: campaigns, eligibility, participation and anonymous answers

Revision ID: be5fa1cbd6d3
Revises: e94db047fde4
Create Date: 2026-11-26 08:01:08.288079

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'be5fa1cbd6d3'
down_revision = 'e94db047fde4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('morale_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('allow_comment', sa.Boolean(), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_morale_campaign')),
    sa.UniqueConstraint('fiscal_year', name=op.f('uq_morale_campaign_fiscal_year'))
    )
    op.create_table('survey_dimension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_th', sa.String(length=255), nullable=False),
    sa.Column('name_en', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['morale_campaign.id'], name=op.f('fk_survey_dimension_campaign_id_morale_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_dimension'))
    )
    with op.batch_alter_table('survey_dimension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_dimension_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('survey_pending',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_label', sa.String(length=255), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['morale_campaign.id'], name=op.f('fk_survey_pending_campaign_id_morale_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_pending'))
    )
    with op.batch_alter_table('survey_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_pending_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('survey_response',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_label', sa.String(length=255), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['morale_campaign.id'], name=op.f('fk_survey_response_campaign_id_morale_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('survey_eligibility',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('unit_label', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['morale_campaign.id'], name=op.f('fk_survey_eligibility_campaign_id_morale_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_survey_eligibility_person_id_person')),
    sa.PrimaryKeyConstraint('campaign_id', 'person_id', name=op.f('pk_survey_eligibility'))
    )
    with op.batch_alter_table('survey_eligibility', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_eligibility_person_id'), ['person_id'], unique=False)

    op.create_table('survey_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text_th', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['dimension_id'], ['survey_dimension.id'], name=op.f('fk_survey_item_dimension_id_survey_dimension'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_item'))
    )
    with op.batch_alter_table('survey_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_item_dimension_id'), ['dimension_id'], unique=False)

    op.create_table('survey_participation',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['morale_campaign.id'], name=op.f('fk_survey_participation_campaign_id_morale_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_survey_participation_person_id_person')),
    sa.PrimaryKeyConstraint('campaign_id', 'person_id', name=op.f('pk_survey_participation'))
    )
    op.create_table('survey_answer',
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['survey_item.id'], name=op.f('fk_survey_answer_item_id_survey_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_response.id'], name=op.f('fk_survey_answer_response_id_survey_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'item_id', name=op.f('pk_survey_answer'))
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answer_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answer_item_id'))

    op.drop_table('survey_answer')
    op.drop_table('survey_participation')
    with op.batch_alter_table('survey_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_item_dimension_id'))

    op.drop_table('survey_item')
    with op.batch_alter_table('survey_eligibility', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_eligibility_person_id'))

    op.drop_table('survey_eligibility')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_campaign_id'))

    op.drop_table('survey_response')
    with op.batch_alter_table('survey_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_pending_campaign_id'))

    op.drop_table('survey_pending')
    with op.batch_alter_table('survey_dimension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_dimension_campaign_id'))

    op.drop_table('survey_dimension')
    op.drop_table('morale_campaign')
