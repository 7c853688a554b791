"""audit verifications are kept for the start page

Revision ID: f18b0e1a0002
Revises: f18a0c1a0001
Create Date: 2026-11-30 14:20:50.031269

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f18b0e1a0002'
down_revision = 'f18a0c1a0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_verification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('intact', sa.Boolean(), nullable=False),
    sa.Column('broken_at', sa.Integer(), nullable=True),
    sa.Column('problem', sa.String(length=500), nullable=False),
    sa.Column('by', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_verification'))
    )
    with op.batch_alter_table('audit_verification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_verification_verified_at'), ['verified_at'], unique=False)



def downgrade():
    with op.batch_alter_table('audit_verification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_verification_verified_at'))

    op.drop_table('audit_verification')
