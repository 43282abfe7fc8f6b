"""Landing pages of the sections whose feature has not landed yet.

Each says what the section is for and who uses it. Installed last: a section that an installed feature
already declares in the navigation (``Feature.nav``) gets no placeholder, so a placeholder disappears as soon
as its feature exists, without anyone editing this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Flask, render_template

from wki.core.auth import Role, requires_roles
from wki.core.features import Feature, NavEntry, registry


@dataclass(frozen=True)
class PendingSection:
    key: str
    title: str
    text: str
    roles: frozenset[Role]
    order: int


PENDING = (
    PendingSection("toezicht", "Toezicht",
                   "Inspecties van geregistreerde incassobureaus aan de kwaliteitseisen: checklists, bewijs, "
                   "vier-ogenbeoordeling en risicogestuurde prioriteiten.",
                   frozenset({Role.INSPECTEUR, Role.HANDHAVER}), 30),
    PendingSection("handhaving", "Handhaving",
                   "Handhavingszaken: waarschuwingen, voornemens, zienswijzen en besluiten (lasten onder dwangsom, "
                   "bestuurlijke boetes) met hun wettelijke termijnen.",
                   frozenset({Role.HANDHAVER}), 40),
    PendingSection("documenten", "Documenten",
                   "Informatiebrieven aan de sector en besluiten als archiefwaardige PDF's.",
                   frozenset({Role.VOORLICHTING, Role.HANDHAVER}), 50),
)


def _page_view(section: PendingSection) -> Callable[[], str]:
    def view() -> str:
        return render_template("sections/section.html", key=section.key, title=section.title, text=section.text)

    view.__name__ = section.key
    return requires_roles(*section.roles)(view)


def _setup(app: Flask) -> None:
    installed = registry(app).section_keys()
    bp = Blueprint("sections", __name__)
    for section in PENDING:
        if section.key in installed:
            continue
        bp.add_url_rule(f"/{section.key}", endpoint=section.key, view_func=_page_view(section), methods=["GET"])
        registry(app).add_nav(NavEntry(section.key, section.title, f"sections.{section.key}", section.roles,
                                       order=section.order))
    app.register_blueprint(bp)


feature = Feature(name="sections", setup=_setup)
