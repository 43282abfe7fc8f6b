"""The administration (Beheer): users, the audit trail, jobs and the work queue."""

from flask import Blueprint

from wki.core.auth import Role
from wki.core.features import DASHBOARD, AdminLink, Feature, NavEntry

bp = Blueprint("admin", __name__, url_prefix="/beheer")
ADMINISTRATORS = frozenset({Role.BEHEERDER})

from wki.admin import audit_actions, views  # noqa: E402,F401
from wki.admin.tiles import admin_tiles  # noqa: E402

feature = Feature(
    name="admin",
    blueprints=(bp,),
    nav=NavEntry("beheer", "Beheer", "admin.index", ADMINISTRATORS, order=90),
    contributions=((DASHBOARD, admin_tiles),),
    audit_actions=audit_actions.AdminAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
    admin_links=(
        AdminLink("Beheer", "admin.index", order=0),
        AdminLink("Gebruikers", "admin.users", current_prefix="admin.user", order=10),
        AdminLink("Audittrail", "admin.audit_log", current_prefix="admin.audit", order=20),
        AdminLink("Taken", "admin.job_runs", current_prefix="admin.job", order=30),
        AdminLink("Werk in de wachtrij", "admin.work_items", current_prefix="admin.work", order=40),
        AdminLink("Feestdagen en termijnen", "admin.equated_days", current_prefix="admin.equated_day", order=50,
                  description="de feestdagen van de Algemene termijnenwet, de dagen die bij besluit zijn "
                              "gelijkgesteld, en een termijn berekenen"),
    ),
)
