"""Panels on a suspect's page that later features contribute: the cases opened about it ("Zaken").

Signals sit below enforcement (STYLE.md: ``enforcement → compliance → signals → register``), so the
suspect page cannot ask for cases; instead the enforcement feature appends a provider to
``SUSPECT_PANELS`` when it is imported, as it does for a registration's page
(``wki.register.panels.REGISTRATION_PANELS``). A provider gets the suspect and the current user and returns
a ``Panel`` (the register's dataclass: title, template, context, order) or ``None``. The page shows each
panel in its "Zaken" section, with the panel's title as a level-3 heading; with none, the section says that
no cases have been opened about the suspect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wki.register.panels import Panel
from wki.signals.models import Suspect

__all__ = ["SUSPECT_PANELS", "Panel", "SuspectPanelProvider", "panels_for_suspect"]

SuspectPanelProvider = Callable[[Suspect, Any], Panel | None]
SUSPECT_PANELS: list[SuspectPanelProvider] = []


def panels_for_suspect(suspect: Suspect, user: Any) -> list[Panel]:
    panels = [p for provider in SUSPECT_PANELS if (p := provider(suspect, user)) is not None]
    return sorted(panels, key=lambda p: p.order)
