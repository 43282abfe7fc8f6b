"""The candidates a signal was compared with, for the person who decides a doubtful verdict: the parties
the matcher weighed (registrations and exempt offices), best first, with the words that agreed and
differed and the evidence for and against each.

Revision ID: 0005_signal_candidates
Revises: 0004_signal_list_indexes
Create Date: 2026-12-04 18:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0005_signal_candidates'
down_revision = '0004_signal_list_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('candidates', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_column('candidates')
