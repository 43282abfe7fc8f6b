"""Every status-like column (a job run's outcome and trigger, a work item's status, a snapshot's kind and
status, a registration's status, a change's kind, a sync run's kind/trigger/outcome, a signal's source,
channel, status and verdicts, a suspect's status, a link's kind, a partner token's source) accepts only
its enum's values: a CHECK constraint each, ``ck_<table>_<column>``. Stored values do not change.

The value lists are written out here (a migration must not change when the enums do later); the test
``test_0012_checks_the_same_values_as_the_enums`` (tests/test_migrations.py) holds them against the enums in wki/.

SQLite cannot add a constraint to a table: batch mode copies the table. migrations/env.py turns SQLite's
foreign keys off for the run, so that the copy can replace a table that other tables refer to (signal,
suspect, register_snapshot, partner_token), and checks every reference before the commit.

Revision ID: 0012_status_checks
Revises: 0011_work_queue
Create Date: 2026-12-05 04:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_status_checks'
down_revision = '0011_work_queue'
branch_labels = None
depends_on = None

JOB_OUTCOME = ("geslaagd", "mislukt", "afgebroken", "bezig")
JOB_TRIGGER = ("schema", "handmatig")
WORK_STATUS = ("queued", "running", "done", "failed")
SNAPSHOT_KIND = ("register", "vrijgestelden")
SNAPSHOT_STATUS = ("toegepast", "quarantaine", "verworpen")
REGISTRATION_STATUS = ("ingeschreven", "doorgehaald", "verlopen")
CHANGE_KIND = ("nieuw", "gewijzigd", "verdwenen", "teruggekeerd")
SYNC_TRIGGER = ("schema", "handmatig", "import")
SYNC_OUTCOME = ("toegepast", "ongewijzigd", "niet_gewijzigd", "quarantaine", "afgewezen", "mislukt")
SOURCE = ("consument", "schuldhulpverlener", "gemeente", "toezichthouder", "kvk", "anoniem", "overig")
CHANNEL = ("formulier", "bestand", "api")
SIGNAL_STATUS = ("open", "afgehandeld")
VERDICT = ("geregistreerd", "registratie_niet_geldig", "vrijgesteld", "niet_geregistreerd", "onzeker")
SUSPECT_STATUS = ("actief", "opgeheven")
LINK_KIND = ("samen", "apart")

# table → [(column, allowed values)]
CHECKS = {
    'job_run': [('outcome', JOB_OUTCOME), ('trigger', JOB_TRIGGER)],
    'work_item': [('status', WORK_STATUS)],
    'register_snapshot': [('kind', SNAPSHOT_KIND), ('status', SNAPSHOT_STATUS)],
    'registration_version': [('status', REGISTRATION_STATUS)],
    'register_change': [('kind', CHANGE_KIND)],
    'register_sync_run': [('kind', SNAPSHOT_KIND), ('trigger', SYNC_TRIGGER), ('outcome', SYNC_OUTCOME)],
    'signal': [('bron', SOURCE), ('channel', CHANNEL), ('status', SIGNAL_STATUS), ('auto_verdict', VERDICT),
               ('decided_verdict', VERDICT)],
    'suspect': [('status', SUSPECT_STATUS)],
    'suspect_link': [('kind', LINK_KIND)],
    'partner_token': [('bron', SOURCE)],
}


def _expression(column, values):
    return f'"{column}" IN ({", ".join(repr(v) for v in values)})'


def upgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in checks:
                batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'), _expression(column, values))


def downgrade():
    for table, checks in reversed(CHECKS.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _values in reversed(checks):
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
