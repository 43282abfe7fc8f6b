"""Page indexes: what the main pages search and count without reading whole tables (issue 15).

- the signals' last matching and last decision (``max`` over them is the cheap fingerprint the counts above
  the list and the planning page's cache are keyed on), and the normalised domain, e-mail domain and phone
  number the search compares by equality;
- on PostgreSQL only, trigram indexes (``pg_trgm``) for the "contains" searches (``lower(column) LIKE
  '%text%'``): a signal's collector name, reference, name key (also as is, for similar suspects) and e-mail
  address, and a registration's name, trade names, place, number and KvK number. SQLite has no such index; its searches stay table scans, which
  at its sizes is fast enough.

Revision ID: 0020_page_indexes
Revises: 0019_retention
Create Date: 2026-12-05 15:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_page_indexes'
down_revision = '0019_retention'
branch_labels = None
depends_on = None

BTREE = (
    ("ix_signal_matched_at", "signal", ["matched_at"]),
    ("ix_signal_decided_at", "signal", ["decided_at"]),
    ("ix_signal_domain", "signal", ["domain"]),
    ("ix_signal_email_domain", "signal", ["email_domain"]),
    ("ix_signal_phone", "signal", ["phone"]),
)

# (index, table, expression): GIN trigram indexes for contains-searches, PostgreSQL only.
TRIGRAM = (
    ("ix_signal_naam_incassant_trgm", "signal", "lower(naam_incassant)"),
    ("ix_signal_referentie_trgm", "signal", "lower(referentie)"),
    ("ix_signal_name_key_trgm", "signal", "lower(name_key)"),
    # The suspect page's "mogelijk dezelfde" compares the bare key (name_key LIKE '%word%'): 31 ms -> 0.4 ms.
    ("ix_signal_name_key_bare_trgm", "signal", "name_key"),
    ("ix_signal_email_raw_trgm", "signal", "lower(email_raw)"),
    ("ix_registration_version_naam_trgm", "registration_version", "lower(naam)"),
    ("ix_registration_version_handelsnamen_trgm", "registration_version", "lower(handelsnamen)"),
    ("ix_registration_version_plaats_trgm", "registration_version", "lower(plaats)"),
    ("ix_registration_version_nummer_trgm", "registration_version", "lower(registratienummer)"),
    ("ix_registration_version_kvk_trgm", "registration_version", "kvk_nummer"),
)


def upgrade():
    for name, table, columns in BTREE:
        op.create_index(name, table, columns, unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, expression in TRIGRAM:
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name, _table, _expression in reversed(TRIGRAM):
            op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, table, _columns in reversed(BTREE):
        op.drop_index(name, table_name=table)
