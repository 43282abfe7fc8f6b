from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/beheer")

from wki.admin import views  # noqa: E402,F401
