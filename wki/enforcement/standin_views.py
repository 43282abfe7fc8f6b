"""TEMPORARY stand-in for the section's start page (``enforcement.cases``), which the list/overview pages
(branch h-pages) provide: the navigation links to it, so without it no page renders. Delete this module and
its import in ``wki/enforcement/__init__.py`` when h-pages is merged."""

from __future__ import annotations

from typing import Any

from flask import render_template_string

from wki.core.auth import requires_roles
from wki.enforcement import READERS, bp


@bp.get("/", endpoint="cases", strict_slashes=False)
@requires_roles(*READERS)
def cases_standin() -> Any:
    return render_template_string(
        '{% extends "layouts/base.html" %}{% block title %}Handhaving{% endblock %}{% block content %}'
        '<h1 class="nl-heading nl-heading--level-1">Handhaving</h1>'
        '<p class="utrecht-paragraph"><a class="utrecht-link" href="{{ url_for(\'enforcement.open_case\') }}">'
        'Zaak openen</a></p>{% endblock %}')
