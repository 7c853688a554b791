"""organisation: the issuing agency and its signatories; who signs for a unit and for a session

Revision ID: f17a0a9a0001
Revises: f16a0e3d0002
Create Date: 2026-11-30 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f17a0a9a0001'
down_revision = 'f16a0e3d0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signatory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('position', sa.String(length=255), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatory'))
    )
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_th', sa.String(length=255), nullable=False),
    sa.Column('name_en', sa.String(length=255), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=255), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('honour_signatory_id', sa.Integer(), nullable=True),
    sa.Column('report_certifier_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['honour_signatory_id'], ['signatory.id'],
                            name=op.f('fk_organisation_honour_signatory_id_signatory')),
    sa.ForeignKeyConstraint(['report_certifier_id'], ['signatory.id'],
                            name=op.f('fk_organisation_report_certifier_id_signatory')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )
    for table in ('unit', 'training_session'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('signatory_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_signatory_id_signatory'), 'signatory',
                                        ['signatory_id'], ['id'])
    op.execute("INSERT INTO data_version (domain, version) VALUES ('organisation', 0)")


def downgrade():
    for table in ('training_session', 'unit'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_signatory_id_signatory'), type_='foreignkey')
            batch_op.drop_column('signatory_id')
    op.drop_table('organisation')
    op.drop_table('signatory')
    op.execute("DELETE FROM data_version WHERE domain = 'organisation'")
