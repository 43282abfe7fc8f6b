"""The work queue (``wki.core.worker``): long work (large signal files, re-matching everything, later
mailings) is queued in ``work_item`` and done by ``flask worker run`` instead of inside a web request.
The row is also the work's record: status, attempts, who claimed it and their heartbeat, progress, the
result or the error. The idempotency key is unique, so the same request sent twice queues once.

Revision ID: 0011_work_queue
Revises: 0010_sequences
Create Date: 2026-12-06 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0011_work_queue'
down_revision = '0010_sequences'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table('work_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('payload', JSON, nullable=False),
    sa.Column('input_data', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=200), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('progress_done', sa.Integer(), nullable=False),
    sa.Column('progress_total', sa.Integer(), nullable=True),
    sa.Column('progress_note', sa.String(length=200), nullable=True),
    sa.Column('result', JSON, nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('created_by', sa.String(length=320), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_item')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_work_item_idempotency_key'))
    )
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.create_index('ix_work_item_status_id', ['status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_item_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_item_created_by'), ['created_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_item_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_item_created_at'))
        batch_op.drop_index(batch_op.f('ix_work_item_created_by'))
        batch_op.drop_index(batch_op.f('ix_work_item_kind'))
        batch_op.drop_index('ix_work_item_status_id')
    op.drop_table('work_item')
