"""Pages of the Documenten section."""

from __future__ import annotations

from flask import render_template

from wki.core.auth import requires_roles
from wki.documents import READERS, bp


@bp.get("/")
@requires_roles(*READERS)
def index():
    return render_template("documents/index.html")
