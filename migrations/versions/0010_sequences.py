"""Sequences: numbers issued one after another per year (``wki.core.sequences``), first for the references
of signals entered by staff (IJV-<year>-<six digits>), later for kenmerken and zaaknummers. Until now a
staff reference was the highest reference of the year plus one, compared as text, so a partner's
reference such as "IJV-2026-9" broke every later staff form, and parallel forms got the same number.

The counter of each year starts at the highest staff reference issued so far, so that no reference is
issued twice: signals entered through the staff form whose reference has the issued form. (The same
format lives in ``wki.signals.services.staff_reference``; this copy keeps the migration independent of
later code.) Downgrading drops the counters; the old way finds its numbers in the signals again.

Revision ID: 0010_sequences
Revises: 0009_one_time_secrets
Create Date: 2026-12-05 12:00:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_sequences'
down_revision = '0009_one_time_secrets'
branch_labels = None
depends_on = None

REFERENCE_SEQUENCE = "signal_reference"
STAFF_REFERENCE = re.compile(r"^IJV-(\d{4})-(\d{6})$")
FORM_CHANNEL = "formulier"


def upgrade():
    counter = op.create_table('sequence_counter',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'year', name=op.f('pk_sequence_counter'))
    )
    signal = sa.table("signal", sa.column("referentie", sa.String), sa.column("channel", sa.String))
    conn = op.get_bind()
    highest: dict[int, int] = {}
    rows = conn.execute(sa.select(signal.c.referentie).where(signal.c.channel == FORM_CHANNEL,
                                                             signal.c.referentie.like("IJV-%"))).scalars()
    for reference in rows:
        match = STAFF_REFERENCE.match(reference)
        if match:
            year, number = int(match.group(1)), int(match.group(2))
            highest[year] = max(highest.get(year, 0), number)
    if highest:
        op.bulk_insert(counter, [{"name": REFERENCE_SEQUENCE, "year": year, "value": value}
                                 for year, value in sorted(highest.items())])


def downgrade():
    op.drop_table('sequence_counter')
