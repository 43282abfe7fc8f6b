"""The mirror of the Justis register: snapshots with full history, as-of queries, scheduled sync."""

from flask import Blueprint

bp = Blueprint("register", __name__, url_prefix="/register", cli_group="register")

from wki.register import cli  # noqa: E402,F401
