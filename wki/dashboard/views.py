from flask import redirect, render_template, url_for
from flask_login import current_user

from wki.core.auth import public
from wki.core.features import tiles_for
from wki.dashboard import bp


@bp.get("/")
@public
def index():
    """The overview, the way in for everyone logged in; anyone else is sent to the log-in page.

    Public, so that someone not logged in goes straight to the log-in form, without the "log in to see
    this page" message and the ``next`` detour that pages behind a log-in give.
    """
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    tiles = tiles_for(current_user)
    sections: dict[str, list] = {}
    for tile in tiles:
        sections.setdefault(tile.section, []).append(tile)
    return render_template("dashboard/index.html", sections=sections)


@bp.get("/overzicht")
@public
def index_moved():
    """The overview's former address (bookmarks): a permanent redirect to ``/``."""
    return redirect(url_for("dashboard.index"), 301)


# The pages every government website links to from its footer; public, like the log-in page they sit under.

@bp.get("/toegankelijkheid")
@public
def accessibility():
    return render_template("dashboard/accessibility.html")


@bp.get("/privacy")
@public
def privacy():
    return render_template("dashboard/privacy.html")


@bp.get("/contact")
@public
def contact():
    return render_template("dashboard/contact.html")
