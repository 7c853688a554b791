"""reminders: HR's switches and what was sent; a round's scoring deadline

Revision ID: f16a0e3d0002
Revises: f16a0a11b0c5
Create Date: 2026-11-30 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f16a0e3d0002'
down_revision = 'f16a0a11b0c5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_switch',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_reminder_switch'))
    )
    op.create_table('reminder_sent',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('about', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_reminder_sent_person_id_person'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kind', 'about', 'person_id', name=op.f('pk_reminder_sent'))
    )
    with op.batch_alter_table('award_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scoring_deadline', sa.Date(), nullable=True))
    op.execute("INSERT INTO data_version (domain, version) VALUES ('reminders', 0)")


def downgrade():
    with op.batch_alter_table('award_round', schema=None) as batch_op:
        batch_op.drop_column('scoring_deadline')
    op.drop_table('reminder_sent')
    op.drop_table('reminder_switch')
    op.execute("DELETE FROM data_version WHERE domain = 'reminders'")
