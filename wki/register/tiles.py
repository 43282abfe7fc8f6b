"""The register's dashboard tiles: expiring registrations for everyone, the mirror's health for beheer."""

from __future__ import annotations

from typing import Any

from flask import url_for

from wki.core.auth import Role, user_has_any_role
from wki.core.features import Tile

SECTION = "Register"


def register_tiles(user: Any) -> list[Tile]:
    from wki.register import READERS, page_queries, queries, services

    tiles: list[Tile] = []
    if user_has_any_role(user, READERS):
        counts = queries.expiry_counts()
        tiles += [
            Tile(SECTION, "Registraties verlopen binnen 30 dagen", counts["30"],
                 url_for("register.index", verloop="30", sorteer="geldig_tot"), attention=True),
            Tile(SECTION, "Registraties verlopen binnen 60 dagen", counts["60"],
                 url_for("register.index", verloop="60", sorteer="geldig_tot")),
            Tile(SECTION, "Geldigheid verstreken zonder verlenging", counts["verstreken"],
                 url_for("register.index", verloop="verstreken", sorteer="geldig_tot"), attention=True,
                 hint="Ingeschreven, maar de geldigheidsdatum is voorbij en het register toont geen verlenging."),
        ]
    if user_has_any_role(user, {Role.BEHEERDER}):
        freshness = services.sync_freshness()
        tiles += [
            Tile(SECTION, "Snapshots in quarantaine", page_queries.count_quarantined(),
                 url_for("register.snapshots", status="quarantaine"), attention=True,
                 hint="Wachten op goedkeuren of verwerpen door een beheerder."),
            # A status, not a count: "0 te oud" read as if something were too old.
            Tile(SECTION, "Registersynchronisatie", 1 if freshness["stale"] else 0,
                 url_for("register.sync_runs"), attention=True, status=freshness["label"],
                 hint=f"{freshness['summary']} Termijn: {freshness['max_age_hours']} uur."),
        ]
    return tiles
