"""Priority lists: the planning page's priorities computed by the scheduler and shared by every web process.

Revision ID: 0021_priority_lists
Revises: 0020_page_indexes
Create Date: 2026-12-05 16:20:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021_priority_lists'
down_revision = '0020_page_indexes'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('priority_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('computed_at', TS, nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('entries', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_list')),
    sa.UniqueConstraint('as_of', 'fingerprint', name='uq_priority_list_as_of_fingerprint')
    )


def downgrade():
    op.drop_table('priority_list')
