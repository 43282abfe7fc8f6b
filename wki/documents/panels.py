"""The documents panel on a registration's and a suspect's page: what was sent to that party."""

from __future__ import annotations

from typing import Any

from wki.core.features import Panel


def registration_panel(registratienummer: str, version: Any, user: Any) -> Panel | None:
    return None


def suspect_panel(suspect: Any, user: Any) -> Panel | None:
    return None
