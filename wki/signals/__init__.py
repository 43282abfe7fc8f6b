"""Signals: intake (form, CSV, partner API), normalisation, matching against the register mirror as of
each signal's reference date, and grouping of unregistered collectors into suspects."""

from flask import Blueprint

bp = Blueprint("signals", __name__, url_prefix="/signalen", cli_group="signals")
# Administrators issue and revoke partner tokens: a page of the administration (wki/signals/partner_views.py).
partners_bp = Blueprint("partners", __name__, url_prefix="/beheer/partners")
# The partner API: token-authenticated JSON, no session, no CSRF (wki/signals/api.py).
api_bp = Blueprint("signals_api", __name__, url_prefix="/api/v1")

from wki.signals import api, cli, partner_views, views  # noqa: E402,F401
from wki.signals.panels import register_panels  # noqa: E402
from wki.signals.tiles import register_tiles  # noqa: E402

register_tiles()
register_panels()
