"""A case's page. A placeholder so that the lists and panels can link to it: the case services bring the real
page (with its timeline and forms) and replace this module."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template

from wki.core.auth import requires_roles
from wki.core.extensions import db
from wki.enforcement import READERS, bp
from wki.enforcement.models import Case


@bp.get("/zaken/<int:case_id>")
@requires_roles(*READERS)
def case(case_id: int) -> Any:
    found = db.session.get(Case, case_id)
    if found is None:
        abort(404)
    return render_template("enforcement/case_placeholder.html", case=found)
