"""Enforcement (Handhaving). This branch (fines) holds only the fine tables, the calculation and their pages;
the enforcement feature's own ``__init__`` replaces this one and keeps what is marked below."""

from wki.core.features import AdminLink, Feature

# --- fines: keep in the feature's own __init__ ---------------------------------------------------------------
from wki.enforcement import fine_audit  # noqa: E402
from wki.enforcement.fine_cli import fines_cli  # noqa: E402
from wki.enforcement.fine_views import bp_fines  # noqa: E402

feature = Feature(
    name="enforcement",
    blueprints=(bp_fines,),
    models=("wki.enforcement.fines",),
    cli=(fines_cli,),
    admin_links=(AdminLink("Boetes", "fines.index", current_prefix="fines.", order=60,
                           description="Bedragen van de boetecategorieën en het boetebeleid met hun datum; "
                                       "nieuwe bedragen invoeren en bevestigen (vier ogen)."),),
    audit_actions=fine_audit.FineAction,
    audit_object_types=fine_audit.OBJECT_TYPES,
)
