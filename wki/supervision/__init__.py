"""Supervision (Toezicht): the requirement catalogue, inspections with checklists and evidence, automatic
checks, four-eyes review and risk-based priorities."""

from flask import Blueprint

from wki.core.auth import Role
from wki.core.features import Feature

bp = Blueprint("supervision", __name__, url_prefix="/toezicht", cli_group=None)
INSPECTORS = frozenset({Role.INSPECTEUR})

feature = Feature(
    name="supervision",
    models=("wki.supervision.models",),
)
