"""Retention of personal data (AVG): when a signal was closed (the start of its retention period) and when
its personal data was removed, the same mark on enforcement cases, the record of every retention run (counts
per kind of record, no personal data) and of every request for access or erasure (art. 15/17 AVG; the search
terms only as a keyed hash).

Signals closed before this revision get the best date there is: the person's decision, else the signal's
creation.

Revision ID: 0019_retention
Revises: 0018_enforcement_letters
Create Date: 2026-12-05 15:30:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0019_retention'
down_revision = '0018_enforcement_letters'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TS = sa.DateTime(timezone=True)

REQUEST_KIND = ("inzage", "wissing")
# table → [(column, allowed values)], held against the enums by tests/test_migrations.py
CHECKS = {
    'privacy_request': [('kind', REQUEST_KIND)],
}


def _in(column, values):
    return column + " IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', TS, nullable=True))
        batch_op.add_column(sa.Column('pseudonymised_at', TS, nullable=True))
        batch_op.create_index(batch_op.f('ix_signal_closed_at'), ['closed_at'], unique=False)
    op.execute("UPDATE signal SET closed_at = COALESCE(decided_at, created_at) WHERE status = 'afgehandeld'")

    with op.batch_alter_table('enforcement_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pseudonymised_at', TS, nullable=True))

    op.create_table('retention_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', TS, nullable=False),
    sa.Column('finished_at', TS, nullable=True),
    sa.Column('actor', sa.String(length=320), nullable=False),
    sa.Column('counts', JSON, nullable=False),
    sa.Column('kept', JSON, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_run'))
    )
    with op.batch_alter_table('retention_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_run_started_at'), ['started_at'], unique=False)

    op.create_table('privacy_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('terms_hash', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('counts', JSON, nullable=False),
    sa.Column('kept', JSON, nullable=False),
    sa.Column('handled_by', sa.String(length=320), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', TS, nullable=False),
    sa.CheckConstraint(_in('"kind"', REQUEST_KIND), name=op.f('ck_privacy_request_kind')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user_account.id'],
                            name=op.f('fk_privacy_request_handled_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_request'))
    )
    with op.batch_alter_table('privacy_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_request_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('privacy_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_request_created_at'))
    op.drop_table('privacy_request')
    with op.batch_alter_table('retention_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_run_started_at'))
    op.drop_table('retention_run')
    with op.batch_alter_table('enforcement_case', schema=None) as batch_op:
        batch_op.drop_column('pseudonymised_at')
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_closed_at'))
        batch_op.drop_column('pseudonymised_at')
        batch_op.drop_column('closed_at')
