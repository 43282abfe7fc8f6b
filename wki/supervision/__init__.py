"""Supervision (Toezicht): the requirement catalogue, inspections with checklists and evidence, automatic
checks, four-eyes review and risk-based priorities."""

from flask import Blueprint

from wki.core.auth import Role
from wki.core.features import REGISTRATION_PAGE, Feature, HousekeepingTask, NavEntry

bp = Blueprint("supervision", __name__, url_prefix="/toezicht", cli_group=None)
# Who sees the section: inspectors do the work; enforcement officers read findings they may act on;
# administrators look after the catalogue.
READERS = frozenset({Role.INSPECTEUR, Role.HANDHAVER, Role.BEHEERDER})
# Who starts, fills in, reviews and closes inspections.
INSPECTORS = frozenset({Role.INSPECTEUR})

from wki.supervision import audit_actions, catalogue_views, planning_views, views  # noqa: E402,F401
from wki.supervision.catalogue_cli import catalogue_cli  # noqa: E402
from wki.supervision.cli import supervision_cli  # noqa: E402
from wki.supervision.panels import registration_panel  # noqa: E402


def _purge_orphan_evidence() -> int:
    from wki.supervision.inspections import purge_orphan_evidence

    return purge_orphan_evidence()


feature = Feature(
    name="supervision",
    blueprints=(bp,),
    nav=NavEntry("toezicht", "Toezicht", "supervision.planning", READERS, order=30),
    models=("wki.supervision.models",),
    contributions=((REGISTRATION_PAGE, registration_panel),),
    housekeeping=(HousekeepingTask("los_bewijs_verwijderd", "opgeslagen bewijsstukken die bij geen inspectie "
                                   "horen (van een afgebroken upload)", _purge_orphan_evidence),),
    cli=(supervision_cli, catalogue_cli),
    audit_actions=audit_actions.SupervisionAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
)
