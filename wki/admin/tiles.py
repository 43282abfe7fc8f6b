"""The administration's dashboard tiles: accounts that need attention, and jobs that fail or are late."""

from __future__ import annotations

from typing import Any

from flask import url_for

from wki.core.auth import Role
from wki.core.features import Tile


def admin_tiles(user: Any) -> list[Tile]:
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
