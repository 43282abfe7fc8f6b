"""The dashboard: the tiles every installed feature contributes (slot ``DASHBOARD``), for the user's roles."""

from flask import Blueprint

from wki.core.features import Feature

bp = Blueprint("dashboard", __name__)

from wki.dashboard import views  # noqa: E402,F401

feature = Feature(name="dashboard", blueprints=(bp,))
