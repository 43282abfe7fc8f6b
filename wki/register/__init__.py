"""The mirror of the Justis register: snapshots with full history, as-of queries, scheduled sync."""

from flask import Blueprint

bp = Blueprint("register", __name__, url_prefix="/register", cli_group="register")

from wki.dashboard.tiles import PROVIDERS  # noqa: E402
from wki.register import cli, views  # noqa: E402,F401
from wki.register.tiles import register_tiles  # noqa: E402

# The register's dashboard tiles; once, however often the application is created.
if register_tiles not in PROVIDERS:
    PROVIDERS.append(register_tiles)
