"""a closed campaign's answers are tallied per unit and item (how many gave each scale point), for its results

Revision ID: f20a0b0c0006
Revises: f20a0b0c0005
Create Date: 2026-11-30 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f20a0b0c0006'
down_revision = 'f20a0b0c0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_tally',
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('unit_label', sa.String(length=255), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        *(sa.Column(f'n{point}', sa.Integer(), nullable=False) for point in range(1, 6)),
        sa.ForeignKeyConstraint(['campaign_id'], ['morale_campaign.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['item_id'], ['survey_item.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', 'unit_label', 'item_id'),
    )
    # The campaigns closed before this release: their answers, tallied as closing now does.
    op.execute(
        "INSERT INTO survey_tally (campaign_id, unit_label, item_id, n1, n2, n3, n4, n5) "
        "SELECT r.campaign_id, r.unit_label, a.item_id, "
        + ", ".join(f"sum(CASE WHEN a.value = {point} THEN 1 ELSE 0 END)" for point in range(1, 6))
        + " FROM survey_answer a JOIN survey_response r ON r.id = a.response_id "
        "JOIN morale_campaign c ON c.id = r.campaign_id AND c.status = 'closed' "
        "GROUP BY r.campaign_id, r.unit_label, a.item_id")


def downgrade():
    op.drop_table('survey_tally')
