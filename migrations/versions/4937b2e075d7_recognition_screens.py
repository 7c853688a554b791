"""recognition screens: disciplinary flags, evidence files, score range, certificates of honour

Revision ID: 4937b2e075d7
Revises: fdb44f4a65d5
Create Date: 2026-11-26 09:45:26.010006

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4937b2e075d7'
down_revision = 'fdb44f4a65d5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('disciplinary_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_disciplinary_flag_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disciplinary_flag'))
    )
    with op.batch_alter_table('disciplinary_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disciplinary_flag_person_id'), ['person_id'], unique=False)

    op.create_table('nomination_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_nomination_evidence_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination_evidence'))
    )
    with op.batch_alter_table('nomination_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_evidence_nomination_id'), ['nomination_id'], unique=False)

    with op.batch_alter_table('award_criterion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_score', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('award_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finalised_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('announced_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_serial', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('certificate_token', sa.String(length=43), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_nomination_certificate_serial'), ['certificate_serial'])
        batch_op.create_unique_constraint(batch_op.f('uq_nomination_certificate_token'), ['certificate_token'])



def downgrade():
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_nomination_certificate_token'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_nomination_certificate_serial'), type_='unique')
        batch_op.drop_column('certificate_token')
        batch_op.drop_column('certificate_serial')

    with op.batch_alter_table('award_round', schema=None) as batch_op:
        batch_op.drop_column('announced_at')
        batch_op.drop_column('finalised_at')

    with op.batch_alter_table('award_criterion', schema=None) as batch_op:
        batch_op.drop_column('min_score')

    with op.batch_alter_table('nomination_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_evidence_nomination_id'))

    op.drop_table('nomination_evidence')
    with op.batch_alter_table('disciplinary_flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disciplinary_flag_person_id'))

    op.drop_table('disciplinary_flag')
