"""The mirror of the Justis register: snapshots with full history, as-of queries, scheduled sync."""

from flask import Blueprint

from wki.core.auth import Role
from wki.core.features import DASHBOARD, RECIPIENTS, AdminLink, Feature, HealthCheck, NavEntry

bp = Blueprint("register", __name__, url_prefix="/register", cli_group="register")
# Everyone who works here reads the register.
READERS = frozenset(Role)

from wki.register import audit_actions, cli, views  # noqa: E402,F401
from wki.register.jobs import JOBS  # noqa: E402
from wki.register.recipients import register_recipients  # noqa: E402
from wki.register.services import register_work, sync_freshness  # noqa: E402
from wki.register.tiles import register_tiles  # noqa: E402

feature = Feature(
    name="register",
    blueprints=(bp,),
    nav=NavEntry("register", "Register", "register.index", READERS, order=10),
    models=("wki.register.models",),
    jobs=JOBS,
    contributions=((DASHBOARD, register_tiles), (RECIPIENTS, register_recipients)),
    # When the mirror last synced successfully (a sync or an import by hand).
    health=(HealthCheck("register_sync", sync_freshness),),
    admin_links=(
        AdminLink("Registersynchronisaties", "register.sync_runs", current_prefix="register.sync_run", order=50,
                  description="elke import en synchronisatie met de uitkomst en de fouten per regel"),
        AdminLink("Registersnapshots", "register.snapshots", current_prefix="register.snapshot", order=60,
                  description="de ingelezen bestanden, en die in quarantaine goedkeuren of verwerpen"),
    ),
    audit_actions=audit_actions.RegisterAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
    setup=lambda app: register_work(),
)
