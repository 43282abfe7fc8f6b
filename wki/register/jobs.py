"""The register's scheduled jobs: fetch the register and the exempt list from their configured sources
(wki/register/sync.py). A run that fails or is refused fails the job; a quarantined file does not (it waits
for an administrator)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wki.core.features import Job


def _register_sync() -> dict[str, Any]:
    from wki.register.models import SnapshotKind
    from wki.register.sync import scheduled_sync

    return scheduled_sync(SnapshotKind.REGISTER)


def _exempt_sync() -> dict[str, Any]:
    from wki.register.models import SnapshotKind
    from wki.register.sync import scheduled_sync

    return scheduled_sync(SnapshotKind.EXEMPT)


def _sync_freshness(kind: str) -> Callable[[], dict[str, Any]]:
    def freshness() -> dict[str, Any]:
        from wki.register.services import sync_freshness

        return sync_freshness(kind)

    return freshness


JOBS = (
    Job("register-sync", "Register synchroniseren (Justis)", _register_sync,
        "cron", {"hour": 2, "minute": 30}, max_age_hours=48,
        config_trigger_args={"hour": "REGISTER_SYNC_HOUR", "minute": "REGISTER_SYNC_MINUTE"},
        freshness=_sync_freshness("register"),
        confirmation="Het register wordt bij de bron opgehaald en ingelezen: wat de bron nu zegt, wordt de stand "
                     "van het register (een bestand dat te veel zou verwijderen, gaat in quarantaine)."),
    Job("exempt-sync", "Lijst van vrijgestelden synchroniseren", _exempt_sync,
        "cron", {"hour": 2, "minute": 45}, max_age_hours=48,
        config_trigger_args={"hour": "EXEMPT_SYNC_HOUR", "minute": "EXEMPT_SYNC_MINUTE"},
        freshness=_sync_freshness("vrijgestelden"),
        confirmation="De lijst van vrijgestelden wordt bij de bron opgehaald en ingelezen: wat de bron nu zegt, "
                     "wordt de stand van de lijst (een bestand dat te veel zou verwijderen, gaat in quarantaine)."),
)
