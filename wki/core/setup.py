"""What core itself brings to the application, installed before every feature: the nightly housekeeping job,
the kind of queued work behind "Nu uitvoeren" (Beheer → Taken), and the deadline engine's days equated with
holidays (their table, their audit actions and ``flask deadlines``), and ``flask backup``."""

from __future__ import annotations

from flask import Flask

from wki.core import audit, audit_actions
from wki.core.backup_cli import backup_cli
from wki.core.deadlines_cli import deadlines_cli
from wki.core.features import Feature, HousekeepingTask
from wki.core.housekeeping import HOUSEKEEPING_JOB
from wki.core.jobs import purge_old_runs, register_work


def _setup(app: Flask) -> None:
    register_work(app)
    # A feature declares one enum of actions; core's second vocabulary (equated days) is registered here.
    audit.register_actions(audit_actions.EquatedDayAction)
    audit.register_actions(audit_actions.BackupAction)


feature = Feature(
    name="core",
    models=("wki.core.audit", "wki.core.jobs", "wki.core.sequences", "wki.core.worker", "wki.core.workflow",
            "wki.core.equated_days"),
    jobs=(HOUSEKEEPING_JOB,),
    housekeeping=(HousekeepingTask("oude_taakuitvoeringen_verwijderd", "uitvoeringen van taken ouder dan de "
                                   "bewaartermijn (behalve de laatste geslaagde per taak)", purge_old_runs),),
    audit_actions=audit_actions.WorkAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
    cli=(deadlines_cli, backup_cli),
    setup=_setup,
)
