"""Enforcement (Handhaving): cases from a finding or a suspect to an approved, issued decision, with the
statutory deadlines around them, fines and penalty orders."""

from flask import Blueprint

from wki.core.auth import Role
from wki.core.features import DASHBOARD, REGISTRATION_PAGE, RISK_FACTORS, SUSPECT_PAGE, Feature, NavEntry

bp = Blueprint("enforcement", __name__, url_prefix="/handhaving", cli_group=None)
# Who sees the section: enforcement officers do the work; inspectors and administrators read along.
READERS = frozenset({Role.HANDHAVER, Role.INSPECTEUR, Role.BEHEERDER})
# Who opens cases, prepares, approves and issues their documents.
OFFICERS = frozenset({Role.HANDHAVER})

from wki.enforcement import list_views, views  # noqa: E402,F401
from wki.enforcement.panels import registration_panel, suspect_panel  # noqa: E402
from wki.enforcement.queries import risk_factors  # noqa: E402
from wki.enforcement.tiles import enforcement_tiles  # noqa: E402

feature = Feature(
    name="enforcement",
    blueprints=(bp,),
    nav=NavEntry("handhaving", "Handhaving", "enforcement.cases", READERS, order=40),
    models=("wki.enforcement.models",),
    contributions=((REGISTRATION_PAGE, registration_panel), (SUSPECT_PAGE, suspect_panel),
                   (DASHBOARD, enforcement_tiles), (RISK_FACTORS, risk_factors)),
)
