"""data versions: one per domain, raised by every commit that writes it, so caches stay correct across processes

Revision ID: 4d47d9af1c86
Revises: 6cdec39ba1c8
Create Date: 2026-11-26 12:55:21.501166

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d47d9af1c86'
down_revision = '6cdec39ba1c8'
branch_labels = None
depends_on = None

DOMAINS = ['audit', 'auth', 'importing', 'people', 'plan', 'recognition', 'survey', 'training']


def upgrade():
    op.create_table('data_version',
    sa.Column('domain', sa.String(length=40), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('domain', name=op.f('pk_data_version'))
    )
    versions = sa.table('data_version', sa.column('domain', sa.String), sa.column('version', sa.BigInteger))
    op.bulk_insert(versions, [{'domain': name, 'version': 0} for name in DOMAINS])


def downgrade():
    op.drop_table('data_version')
