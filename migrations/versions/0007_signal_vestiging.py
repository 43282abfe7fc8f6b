"""A signal's vestigingsnummer: partners write the 12-digit number of an establishment in the KvK column
too; it is kept and matched against the register's vestigingsnummers, where before the whole file was
refused for it.

Revision ID: 0007_signal_vestiging
Revises: 0006_exempt_key_with_place
Create Date: 2026-12-04 20:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_signal_vestiging'
down_revision = '0006_exempt_key_with_place'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vestiging', sa.String(length=12), nullable=True))


def downgrade():
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_column('vestiging')
