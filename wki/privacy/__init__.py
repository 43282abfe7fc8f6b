"""Personal data (AVG): retention periods per kind of record with their legal basis, the nightly job that
removes the debtors' personal data after them, and requests for access or erasure (art. 15/17 AVG).

Each feature removes its own rows' data (``signals.services``, ``enforcement.services``); this feature decides
what is due and what a retention duty keeps, records each run and request, and shows them under Beheer."""

from flask import Blueprint

from wki.core.auth import Role
from wki.core.features import AdminLink, Feature, Job

bp = Blueprint("privacy", __name__, url_prefix="/beheer/avg")
ADMINISTRATORS = frozenset({Role.BEHEERDER})

from wki.privacy import audit_actions, views  # noqa: E402,F401
from wki.privacy.retention import JOB_NAME  # noqa: E402


def _run_retention() -> dict:
    from wki.privacy.retention import run_retention

    return run_retention()


feature = Feature(
    name="privacy",
    blueprints=(bp,),
    models=("wki.privacy.models",),
    jobs=(Job(JOB_NAME, "Bewaartermijnen persoonsgegevens toepassen (AVG)", _run_retention, "cron",
              {"hour": 3, "minute": 40}, max_age_hours=48,
              confirmation="Verwijdert de persoonsgegevens van debiteuren uit afgehandelde signalen, afgeronde "
                           "handhavingszaken en oude importverslagen waarvan de bewaartermijn voorbij is, met hun "
                           "bijlagen. Dat kan niet ongedaan worden gemaakt."),),
    admin_links=(AdminLink("Persoonsgegevens (AVG)", "privacy.index", current_prefix="privacy.", order=70,
                           description="bewaartermijnen met hun grondslag, wat nu verwijderd moet worden en wat "
                                       "eerder is verwijderd; verzoeken om inzage of wissing (art. 15 en 17 AVG)"),),
    audit_actions=audit_actions.PrivacyAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
)
