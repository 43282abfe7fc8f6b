"""The "Inspecties" panel on a registration's page (to be written)."""

from __future__ import annotations

from typing import Any

from wki.core.features import Panel


def registration_panel(registratienummer: str, version: Any, user: Any) -> Panel | None:
    return None
