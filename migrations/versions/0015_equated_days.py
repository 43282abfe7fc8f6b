"""Days equated with a general holiday by decree (Algemene termijnenwet art. 3 lid 3), as administrators record
them for the deadline engine (``wki.core.equated_days``): one row per day, with its name and the decree.

Revision ID: 0015_equated_days
Revises: 0014_supervision
Create Date: 2026-12-05 12:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_equated_days'
down_revision = '0014_supervision'
branch_labels = None
depends_on = None

CHECKS: dict = {}  # no column with a fixed set of values


def upgrade():
    op.create_table('equated_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equated_day')),
    sa.UniqueConstraint('day', name=op.f('uq_equated_day_day'))
    )


def downgrade():
    op.drop_table('equated_day')
