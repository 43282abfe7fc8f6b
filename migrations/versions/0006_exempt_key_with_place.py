"""An exempt office without a KvK number is its profession, name and place: a firm's offices in two places
under one name are two entries of the list, where before such a list was refused as holding one office
twice. The stored keys of offices without a KvK number get the place appended, written as ``exempt_key``
writes it (lower case, spacing collapsed), so the next import recognises every office it already holds.

Revision ID: 0006_exempt_key_with_place
Revises: 0005_signal_candidates
Create Date: 2026-12-04 19:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_exempt_key_with_place'
down_revision = '0005_signal_candidates'
branch_labels = None
depends_on = None

versions = sa.table('exempt_party_version', sa.column('id', sa.Integer), sa.column('party_key', sa.String),
                    sa.column('plaats', sa.String), sa.column('kvk_nummer', sa.String))
without_kvk = sa.or_(versions.c.kvk_nummer.is_(None), versions.c.kvk_nummer == '')


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.select(versions.c.id, versions.c.party_key, versions.c.plaats).where(without_kvk)).all()
    updates = [{'_id': row.id, '_key': f"{row.party_key}|{' '.join((row.plaats or '').lower().split())}"}
               for row in rows]
    if updates:
        bind.execute(versions.update().where(versions.c.id == sa.bindparam('_id'))
                     .values(party_key=sa.bindparam('_key')), updates)


def downgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.select(versions.c.id, versions.c.party_key).where(without_kvk)).all()
    updates = [{'_id': row.id, '_key': row.party_key.rsplit('|', 1)[0]} for row in rows if row.party_key.count('|') >= 3]
    if updates:
        bind.execute(versions.update().where(versions.c.id == sa.bindparam('_id'))
                     .values(party_key=sa.bindparam('_key')), updates)
