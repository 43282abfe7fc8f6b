"""A throwaway feature, built through the feature contract alone (wki/core/features.py): a blueprint, a
navigation entry with its roles, a dashboard tile, a scheduled job and a housekeeping task. Installed only by
the tests that prove the contract (tests/core/test_feature_contract.py, tests/test_routes_access.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for

from wki.core.auth import Role, requires_roles
from wki.core.features import DASHBOARD, Feature, HousekeepingTask, Job, NavEntry, Tile

ROLES = frozenset({Role.INSPECTEUR})
bp = Blueprint("proef", __name__, url_prefix="/proef")
RUNS: list[str] = []


@bp.get("/")
@requires_roles(*ROLES)
def index() -> str:
    return "Proefpagina"


def proef_tiles(user: Any) -> list[Tile]:
    if not user.has_role(Role.INSPECTEUR):
        return []
    return [Tile("Proef", "Proeftegels", 7, url_for("proef.index"))]


def _job() -> dict[str, Any]:
    RUNS.append("job")
    return {"proeven": 1}


def _tidy() -> int:
    RUNS.append("housekeeping")
    return 3


feature = Feature(
    name="proef",
    blueprints=(bp,),
    nav=NavEntry("proef", "Proefsectie", "proef.index", ROLES, order=35),
    jobs=(Job("proef-taak", "Proeftaak draaien", _job, "cron", {"hour": 4, "minute": 5}, max_age_hours=24),),
    contributions=((DASHBOARD, proef_tiles),),
    housekeeping=(HousekeepingTask("proefrijen_verwijderd", "proefrijen", _tidy),),
)

# A feature that lands in a section that so far had a placeholder: the placeholder must make way.
enforcement_feature = Feature(
    name="handhaving-proef",
    nav=NavEntry("handhaving", "Handhaving", "proef.index", frozenset({Role.HANDHAVER}), order=40),
)
