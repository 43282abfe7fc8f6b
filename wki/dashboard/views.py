from flask import redirect, render_template, url_for
from flask_login import current_user

from wki.core.auth import login_required_any, public
from wki.core.features import tiles_for
from wki.dashboard import bp


@bp.get("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("auth.login"))


@bp.get("/overzicht")
@login_required_any
def index():
    tiles = tiles_for(current_user)
    sections: dict[str, list] = {}
    for tile in tiles:
        sections.setdefault(tile.section, []).append(tile)
    return render_template("dashboard/index.html", sections=sections)
