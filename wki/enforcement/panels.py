"""The cases panels on other features' pages: "Handhavingszaken" on a registration's page (slot
``REGISTRATION_PAGE``) and "Zaken" on a suspect's page (slot ``SUSPECT_PAGE``; the title takes the place of
the page's note that no case was opened yet). For the enforcement readers: every case about the party, newest
first, linked to its page; for enforcement officers a button to open one while none is open. One query.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from wki.core.auth import user_has_any_role
from wki.core.features import Panel
from wki.enforcement import OFFICERS, READERS
from wki.enforcement.queries import CaseSummary, cases_about_registration, cases_about_suspect

REGISTRATION_TEMPLATE = "enforcement/_registration_panel.html"
SUSPECT_TEMPLATE = "enforcement/_suspect_panel.html"
REGISTRATION_TITLE = "Handhavingszaken"
SUSPECT_TITLE = "Zaken"  # exactly: the suspect page shows its placeholder while no panel has this title
OPEN_FROM_SUSPECT = "enforcement.open_from_suspect"
OPEN_CASE = "enforcement.open_case"


def _context(cases: list[CaseSummary], user: Any, open_endpoint: str) -> dict[str, Any]:
    running = next((c for c in cases if c.is_open), None)
    return {
        "zaken": cases,
        "loopt": running,
        # The button only where the opening action exists (it comes with the case services).
        "mag_openen": (user_has_any_role(user, OFFICERS) and running is None
                       and open_endpoint in current_app.view_functions),
    }


def registration_panel(registratienummer: str, version: Any, user: Any) -> Panel | None:
    if not user_has_any_role(user, READERS):
        return None
    context = _context(cases_about_registration(registratienummer), user, OPEN_CASE)
    return Panel(REGISTRATION_TITLE, REGISTRATION_TEMPLATE, {**context, "registratienummer": registratienummer},
                 order=30)


def suspect_panel(suspect: Any, user: Any) -> Panel | None:
    if not user_has_any_role(user, READERS):
        return None
    context = _context(cases_about_suspect(int(suspect.id)), user, OPEN_FROM_SUSPECT)
    return Panel(SUSPECT_TITLE, SUSPECT_TEMPLATE, {**context, "suspect_id": int(suspect.id)}, order=30)
