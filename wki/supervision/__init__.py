"""Supervision (Toezicht): the requirement catalogue, inspections with checklists and evidence, automatic
checks, four-eyes review and risk-based priorities."""

from flask import Blueprint

from wki.core.auth import Role
from wki.core.features import REGISTRATION_PAGE, Feature, HousekeepingTask, Job, NavEntry

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


def _store_priorities() -> dict[str, int]:
    from wki.supervision.priorities import store_priorities

    return store_priorities()


feature = Feature(
    name="supervision",
    blueprints=(bp,),
    nav=NavEntry("toezicht", "Toezicht", "supervision.planning", READERS, order=30),
    models=("wki.supervision.models",),
    contributions=((REGISTRATION_PAGE, registration_panel),),
    # The planning page's priorities, computed here for every web process (about a second at the market's
    # size) so that a page view only reads them.
    jobs=(Job("supervision-priorities", "Prioriteiten van de planning berekenen", _store_priorities,
              "interval", {"minutes": 2}, max_age_hours=2,
              config_trigger_args={"minutes": "SUPERVISION_PRIORITY_REFRESH_MINUTES"}),),
    housekeeping=(HousekeepingTask("los_bewijs_verwijderd", "opgeslagen bewijsstukken die bij geen inspectie "
                                   "horen (van een afgebroken upload)", _purge_orphan_evidence),),
    cli=(supervision_cli, catalogue_cli),
    audit_actions=audit_actions.SupervisionAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
)
