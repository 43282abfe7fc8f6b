"""Dashboard tiles: each feature contributes counts that link to the list behind them.

A provider takes the current user and returns tiles for the roles that user holds; later features
(register, signals, inspections, cases) add their providers to ``PROVIDERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from wki.core.auth import Role


@dataclass(frozen=True)
class Tile:
    section: str
    label: str
    count: int
    url: str
    attention: bool = False  # shown as a warning when the count is not zero
    hint: str | None = None
    status: str | None = None  # shown instead of the count: the tile tells a state, not a number


def _beheer_tiles(user) -> list[Tile]:
    if not user.has_role(Role.BEHEERDER):
        return []
    from wki.auth.services import count_users
    from wki.core.jobs import count_recent_failures, job_freshness

    counts = count_users()
    # (A sync job counts by the mirror's sync status: job_freshness reads it, as Beheer's table does.)
    stale = sum(1 for j in job_freshness() if j["stale"])
    return [
        Tile("Beheer", "Actieve gebruikers", counts["active"], url_for("admin.users")),
        Tile("Beheer", "Geblokkeerde accounts", counts["locked"], url_for("admin.users"), attention=True),
        Tile("Beheer", "Gebruikers zonder tweestapsverificatie", counts["without_totp"], url_for("admin.users"),
             attention=True),
        Tile("Beheer", "Mislukte taken (24 uur)", count_recent_failures(),
             url_for("admin.job_runs", uitkomst="mislukt"), attention=True),
        Tile("Beheer", "Taken te lang niet geslaagd", stale, url_for("admin.job_runs"), attention=True,
             hint="Taken die niet binnen hun termijn zijn geslaagd."),
    ]


PROVIDERS: list[Callable[[object], list[Tile]]] = [_beheer_tiles]


def tiles_for(user) -> list[Tile]:
    result: list[Tile] = []
    for provider in PROVIDERS:
        result.extend(provider(user))
    return result
