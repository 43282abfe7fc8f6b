"""Signal lists at 100,000 signals: the default order (newest received first) as (ontvangen_op, id), so
a page is read from the index instead of sorting the table; and the decided registration, for the
registration page's panel.

Revision ID: 0004_signal_list_indexes
Revises: 0003_signals
Create Date: 2026-11-29 12:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_signal_list_indexes'
down_revision = '0003_signals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_signal_ontvangen_op_id', 'signal', ['ontvangen_op', 'id'], unique=False)
    op.create_index('ix_signal_decided_registration', 'signal', ['decided_registratienummer'], unique=False)


def downgrade():
    op.drop_index('ix_signal_decided_registration', table_name='signal')
    op.drop_index('ix_signal_ontvangen_op_id', table_name='signal')
