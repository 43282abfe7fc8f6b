from flask import render_template

from wki.core.auth import SECTION_ROLES, requires_roles
from wki.sections import bp

SECTIONS = {
    "toezicht": ("Toezicht", "Inspecties van geregistreerde incassobureaus aan de kwaliteitseisen: checklists, "
                 "bewijs, vier-ogenbeoordeling en risicogestuurde prioriteiten."),
    "handhaving": ("Handhaving", "Handhavingszaken: waarschuwingen, voornemens, zienswijzen en besluiten "
                   "(lasten onder dwangsom, bestuurlijke boetes) met hun wettelijke termijnen."),
    "documenten": ("Documenten", "Informatiebrieven aan de sector en besluiten als archiefwaardige PDF's."),
}


def _section_page(key: str):
    title, text = SECTIONS[key]
    return render_template("sections/section.html", key=key, title=title, text=text)


@bp.get("/toezicht")
@requires_roles(*SECTION_ROLES["toezicht"])
def toezicht():
    return _section_page("toezicht")


@bp.get("/handhaving")
@requires_roles(*SECTION_ROLES["handhaving"])
def handhaving():
    return _section_page("handhaving")


@bp.get("/documenten")
@requires_roles(*SECTION_ROLES["documenten"])
def documenten():
    return _section_page("documenten")
