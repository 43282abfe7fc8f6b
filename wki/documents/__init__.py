"""Documents: letter types and the texts staff write for them, archival PDFs (WeasyPrint, PDF/A-3b) in the
house style, issued documents with their kenmerk in the content-addressed store, and mass mailings run by
the worker, delivered by post (a print file) and e-mail."""

from flask import Blueprint, Flask

from wki.core.auth import Role
from wki.core.features import REGISTRATION_PAGE, SUSPECT_PAGE, Feature, HousekeepingTask, NavEntry

bp = Blueprint("documents", __name__, url_prefix="/documenten", cli_group=None)
# Who sees the section: everyone who writes to the sector or to a party.
READERS = frozenset({Role.VOORLICHTING, Role.INSPECTEUR, Role.HANDHAVER, Role.BEHEERDER})
# Who prepares and approves mass mailings (approval: another person than the one who made it).
MAILERS = frozenset({Role.VOORLICHTING, Role.BEHEERDER})

from wki.documents import audit_actions, mailing_views, views  # noqa: E402,F401
from wki.documents.cli import documents_cli  # noqa: E402
from wki.documents.mailing_cli import mailings_cli  # noqa: E402
from wki.documents.panels import registration_panel, suspect_panel  # noqa: E402


def _setup(app: Flask) -> None:
    from wki.documents.work import register_work

    register_work()


def _purge_orphan_documents() -> int:
    from wki.documents.issuing import purge_orphan_documents

    return purge_orphan_documents()


feature = Feature(
    name="documents",
    blueprints=(bp,),
    nav=NavEntry("documenten", "Documenten", "documents.index", READERS, order=50),
    models=("wki.documents.models",),
    contributions=((REGISTRATION_PAGE, registration_panel), (SUSPECT_PAGE, suspect_panel)),
    housekeeping=(HousekeepingTask("losse_documenten_verwijderd", "opgeslagen pdf's die bij geen uitgegeven "
                                   "document horen (van een afgebroken uitgifte)", _purge_orphan_documents),),
    cli=(documents_cli, mailings_cli),
    audit_actions=audit_actions.DocumentAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
    setup=_setup,
)
