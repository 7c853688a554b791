"""trainings: courses, sessions, registrations, attendance, certificates

Revision ID: e94db047fde4
Revises: 8217af88566a
Create Date: 2026-11-26 07:40:48.861040

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e94db047fde4'
down_revision = '8217af88566a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title_th', sa.String(length=255), nullable=False),
    sa.Column('title_en', sa.String(length=255), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('default_hours', sa.Float(), nullable=False),
    sa.Column('min_attendance', sa.Float(), nullable=False),
    sa.Column('pass_score', sa.Float(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('min_attendance > 0 AND min_attendance <= 1', name=op.f('ck_course_attendance_share')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('code', name=op.f('uq_course_code'))
    )
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_category'), ['category'], unique=False)

    op.create_table('mandatory_course',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('personnel_type', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_mandatory_course_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'fiscal_year', 'personnel_type', name=op.f('pk_mandatory_course'))
    )
    op.create_table('training_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('venue', sa.String(length=255), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('taken', sa.Integer(), nullable=False),
    sa.Column('trainer', sa.String(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('plan_activity_code', sa.String(length=32), nullable=False),
    sa.Column('registration_deadline', sa.Date(), nullable=True),
    sa.Column('open_to_all', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR taken <= capacity', name=op.f('ck_training_session_seats')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_training_session_course_id_course')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_training_session_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_session')),
    sa.UniqueConstraint('code', name=op.f('uq_training_session_code'))
    )
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_first_day'), ['first_day'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_plan_activity_code'), ['plan_activity_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_session_unit_id'), ['unit_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('post_test_score', sa.Float(), nullable=True),
    sa.Column('completed', sa.Boolean(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_registration_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_registration_session_id_training_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_registration_session_id'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_session_id'), ['session_id'], unique=False)

    op.create_table('session_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_session_day_session_id_training_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_day')),
    sa.UniqueConstraint('session_id', 'day', name=op.f('uq_session_day_session_id'))
    )
    with op.batch_alter_table('session_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_day_session_id'), ['session_id'], unique=False)

    op.create_table('session_invitation',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_session_invitation_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_session_invitation_session_id_training_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'person_id', name=op.f('pk_session_invitation'))
    )
    with op.batch_alter_table('session_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_invitation_person_id'), ['person_id'], unique=False)

    op.create_table('attendance',
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['day_id'], ['session_day.id'], name=op.f('fk_attendance_day_id_session_day'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attendance_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_attendance_session_id_training_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('day_id', 'person_id', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_session_id'), ['session_id'], unique=False)

    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=32), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_certificate_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_certificate_registration_id')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificate_serial')),
    sa.UniqueConstraint('token', name=op.f('uq_certificate_token'))
    )


def downgrade():
    op.drop_table('certificate')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_session_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_person_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('session_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_invitation_person_id'))

    op.drop_table('session_invitation')
    with op.batch_alter_table('session_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_day_session_id'))

    op.drop_table('session_day')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_session_id'))
        batch_op.drop_index(batch_op.f('ix_registration_person_id'))

    op.drop_table('registration')
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_session_unit_id'))
        batch_op.drop_index(batch_op.f('ix_training_session_status'))
        batch_op.drop_index(batch_op.f('ix_training_session_plan_activity_code'))
        batch_op.drop_index(batch_op.f('ix_training_session_first_day'))
        batch_op.drop_index(batch_op.f('ix_training_session_course_id'))

    op.drop_table('training_session')
    op.drop_table('mandatory_course')
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_category'))

    op.drop_table('course')
