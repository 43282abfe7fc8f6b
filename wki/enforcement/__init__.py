"""Enforcement (Handhaving): cases from a finding or a suspect to an approved, issued decision, with the
statutory deadlines around them, fines and penalty orders."""

from flask import Blueprint

from wki.core.auth import Role
from wki.core.features import (
    DASHBOARD,
    REGISTRATION_PAGE,
    RISK_FACTORS,
    SUSPECT_PAGE,
    AdminLink,
    Feature,
    HousekeepingTask,
    Job,
    NavEntry,
)

bp = Blueprint("enforcement", __name__, url_prefix="/handhaving", cli_group=None)
# Who sees the section: enforcement officers do the work; inspectors and administrators read along.
READERS = frozenset({Role.HANDHAVER, Role.INSPECTEUR, Role.BEHEERDER})
# Who opens cases, prepares, approves and issues their documents.
OFFICERS = frozenset({Role.HANDHAVER})

from wki.enforcement import audit_actions, decisions, list_views, views  # noqa: E402,F401
from wki.enforcement.fine_cli import fines_cli  # noqa: E402
from wki.enforcement.fine_views import bp_fines  # noqa: E402
from wki.enforcement.panels import registration_panel, suspect_panel  # noqa: E402
from wki.enforcement.queries import risk_factors  # noqa: E402
from wki.enforcement.tiles import enforcement_tiles  # noqa: E402


def _send_reminders() -> dict:
    from wki.enforcement.timelimits import send_reminders

    return send_reminders()


def _purge_orphan_attachments() -> int:
    from wki.enforcement.procedure import purge_orphan_attachments

    return purge_orphan_attachments()


feature = Feature(
    name="enforcement",
    blueprints=(bp, bp_fines),
    nav=NavEntry("handhaving", "Handhaving", "enforcement.cases", READERS, order=40),
    models=("wki.enforcement.models", "wki.enforcement.fines"),
    jobs=(Job("enforcement-reminders", "Herinneringen aan aflopende termijnen in handhavingszaken", _send_reminders,
              "cron", {"hour": 7, "minute": 15}),),
    contributions=((REGISTRATION_PAGE, registration_panel), (SUSPECT_PAGE, suspect_panel),
                   (DASHBOARD, enforcement_tiles), (RISK_FACTORS, risk_factors)),
    housekeeping=(HousekeepingTask("losse_zaakbijlagen_verwijderd", "opgeslagen bijlagen die bij geen handhavingszaak "
                                   "horen (van een afgebroken upload)", _purge_orphan_attachments),),
    cli=(fines_cli,),
    admin_links=(AdminLink("Boetes", "fines.index", current_prefix="fines.", order=60,
                           description="Bedragen van de boetecategorieën en het boetebeleid met hun datum; "
                                       "nieuwe bedragen invoeren en bevestigen (vier ogen)."),),
    audit_actions=audit_actions.EnforcementAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
)
