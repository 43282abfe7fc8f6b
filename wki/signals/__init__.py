"""Signals: intake (form, CSV, partner API), normalisation, matching against the register mirror as of
each signal's reference date, and grouping of unregistered collectors into suspects."""

from flask import Blueprint, Flask

from wki.core.auth import Role
from wki.core.features import DASHBOARD, RECIPIENTS, REGISTRATION_PAGE, AdminLink, Feature, HousekeepingTask, NavEntry

bp = Blueprint("signals", __name__, url_prefix="/signalen", cli_group="signals")
# Administrators issue and revoke partner tokens: a page of the administration (wki/signals/partner_views.py).
partners_bp = Blueprint("partners", __name__, url_prefix="/beheer/partners")
# The partner API: token-authenticated JSON, no session, no CSRF (wki/signals/api.py).
api_bp = Blueprint("signals_api", __name__, url_prefix="/api/v1")
# Who reads signals and suspects.
READERS = frozenset({Role.INSPECTEUR, Role.HANDHAVER})

from wki.signals import api, audit_actions, cli, partner_views, views  # noqa: E402,F401
from wki.signals.jobs import JOBS  # noqa: E402
from wki.signals.panels import signals_panel  # noqa: E402
from wki.signals.recipients import suspect_recipients  # noqa: E402
from wki.signals.tiles import signal_tiles  # noqa: E402


def _setup(app: Flask) -> None:
    from wki.signals.work import register_work

    register_work()


def _purge_orphan_attachments() -> int:
    from wki.signals.attachments import purge_orphan_attachments

    return purge_orphan_attachments()


feature = Feature(
    name="signals",
    blueprints=(bp, partners_bp, api_bp),
    nav=NavEntry("signalen", "Signalen", "signals.index", READERS, order=20),
    models=("wki.signals.models",),
    jobs=JOBS,
    contributions=((DASHBOARD, signal_tiles), (REGISTRATION_PAGE, signals_panel), (RECIPIENTS, suspect_recipients)),
    housekeeping=(HousekeepingTask("losse_bijlagen_verwijderd", "bijlagen die bij geen signaal horen",
                                   _purge_orphan_attachments),),
    admin_links=(AdminLink("Partnertokens", "partners.partners", current_prefix="partners.partner", order=70,
                           description="tokens voor de koppeling waarmee partners signalen insturen, uitgeven en intrekken"),),
    audit_actions=audit_actions.SignalAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
    setup=_setup,
)
