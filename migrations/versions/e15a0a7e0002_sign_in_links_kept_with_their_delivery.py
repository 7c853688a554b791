"""sign-in links keep how they were delivered and who issued them; accounts keep when the password last changed

Revision ID: e15a0a7e0002
Revises: e15a0d170001
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e15a0a7e0002'
down_revision = 'e15a0d170001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))

    # Links issued before this revision were shown on screen, by an issuer nobody kept: they stay
    # usable only where HR may still hand one over (a new employee or supervisor account).
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivery', sa.String(length=16), nullable=False, server_default='screen'))
        batch_op.add_column(sa.Column('issued_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_invitation_issued_by_id_account'), 'account', ['issued_by_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invitation_issued_by_id_account'), type_='foreignkey')
        batch_op.drop_column('issued_by_id')
        batch_op.drop_column('delivery')

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
