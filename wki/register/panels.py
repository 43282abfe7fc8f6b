"""Panels on a registration's page that other features contribute (signals, inspections, cases).

The register sits below those features (STYLE.md: ``enforcement → compliance → signals → register``),
so it cannot ask them; instead each of them appends a provider to ``REGISTRATION_PANELS`` when it is
imported, as the dashboard's tile providers do. A provider gets the registration number, the
version the page shows and the current user, and returns a ``Panel`` or ``None`` (nothing to show,
or not for this user's roles). The page renders each panel as a section with its own heading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wki.register.models import RegistrationVersion


@dataclass(frozen=True)
class Panel:
    title: str  # the section's heading (level 2)
    template: str  # included with ``panel`` in its context, e.g. "signals/_registration_panel.html"
    context: dict[str, Any] = field(default_factory=dict)  # plain data for the template
    order: int = 100  # lower first


PanelProvider = Callable[[str, RegistrationVersion, Any], Panel | None]
REGISTRATION_PANELS: list[PanelProvider] = []


def panels_for(registratienummer: str, version: RegistrationVersion, user: Any) -> list[Panel]:
    panels = [p for provider in REGISTRATION_PANELS if (p := provider(registratienummer, version, user)) is not None]
    return sorted(panels, key=lambda p: p.order)
