"""Enforcement (Handhaving): cases from a finding or a suspect to an approved, issued decision, with the
statutory deadlines around them, fines and penalty orders."""

from flask import Blueprint

from wki.core.auth import Role
from wki.core.features import Feature, NavEntry

bp = Blueprint("enforcement", __name__, url_prefix="/handhaving", cli_group=None)
# Who sees the section: enforcement officers do the work; inspectors and administrators read along.
READERS = frozenset({Role.HANDHAVER, Role.INSPECTEUR, Role.BEHEERDER})
# Who opens cases, prepares, approves and issues their documents.
OFFICERS = frozenset({Role.HANDHAVER})

feature = Feature(
    name="enforcement",
    blueprints=(bp,),
    nav=NavEntry("handhaving", "Handhaving", "enforcement.cases", READERS, order=40),
    models=("wki.enforcement.models",),
)

from wki.enforcement import standin_views, views  # noqa: E402,F401
