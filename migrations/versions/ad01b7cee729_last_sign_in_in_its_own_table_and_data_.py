"""last sign-in in its own table and data domain, so a sign-in does not renew every kept page

Revision ID: ad01b7cee729
Revises: 4d47d9af1c86
Create Date: 2026-11-26 16:19:15.000041

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ad01b7cee729'
down_revision = '4d47d9af1c86'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_sign_in',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_account_sign_in_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_account_sign_in'))
    )
    op.execute("INSERT INTO account_sign_in (account_id, at) SELECT id, last_login_at FROM account "
               "WHERE last_login_at IS NOT NULL")
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('last_login_at')
    op.execute("INSERT INTO data_version (domain, version) VALUES ('sign_in', 0)")


def downgrade():
    op.execute("DELETE FROM data_version WHERE domain = 'sign_in'")
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE account SET last_login_at = (SELECT at FROM account_sign_in "
               "WHERE account_sign_in.account_id = account.id)")
    op.drop_table('account_sign_in')
