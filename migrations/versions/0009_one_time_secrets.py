"""One-time secrets: values a user must see exactly once (a temporary password, the second-factor
setup secret, fresh recovery codes) are kept here, server-side, instead of in the signed session
cookie, which anyone holding the cookie can read. The session holds only the random key; a row
belongs to the user who may see it, expires after a few minutes and is deleted once shown.

Revision ID: 0009_one_time_secrets
Revises: 0008_platform_pages
Create Date: 2026-12-05 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0009_one_time_secrets'
down_revision = '0008_platform_pages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('one_time_secret',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_one_time_secret_owner_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_time_secret')),
    sa.UniqueConstraint('key', name=op.f('uq_one_time_secret_key'))
    )
    with op.batch_alter_table('one_time_secret', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_one_time_secret_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_one_time_secret_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('one_time_secret', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_one_time_secret_expires_at'))
        batch_op.drop_index(batch_op.f('ix_one_time_secret_owner_id'))
    op.drop_table('one_time_secret')
