"""Accounts: logging in (password and second factor), one's own account, and the ``flask users`` commands."""

from flask import Blueprint, Flask

from wki.core.features import Feature, HousekeepingTask

bp = Blueprint("auth", __name__, url_prefix="/account")

from wki.auth import audit_actions, views  # noqa: E402,F401
from wki.auth.cli import users_cli  # noqa: E402


def _setup(app: Flask) -> None:
    """Who the logged-in user is: Flask-Login loads them through this feature, and sends strangers to its log-in
    page."""
    from wki.auth.services import load_user_for_session
    from wki.core.extensions import login_manager

    login_manager.login_view = "auth.login"
    login_manager.user_loader(load_user_for_session)


def _purge_login_failures() -> int:
    from wki.auth.services import purge_login_failures

    return purge_login_failures()


feature = Feature(
    name="auth",
    blueprints=(bp,),
    models=("wki.auth.models",),
    housekeeping=(HousekeepingTask("mislukte_aanmeldingen_verwijderd", "mislukte aanmeldingen",
                                   _purge_login_failures),),
    cli=(users_cli,),
    audit_actions=audit_actions.AuthAction,
    audit_object_types=audit_actions.OBJECT_TYPES,
    setup=_setup,
)
