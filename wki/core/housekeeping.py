"""Retention of short-lived records and stray files, by the features' housekeeping tasks (the audit trail is
never touched). One nightly job runs every task the installed features declared (``Feature.housekeeping``)."""

from __future__ import annotations

from typing import Any

from wki.core.features import Job, registry


def run_housekeeping() -> dict[str, Any]:
    return {task.key: task.run() for task in registry().housekeeping}


def confirmation() -> str:
    """What running it by hand removes, from the installed tasks: "Mislukte aanmeldingen en bijlagen die bij geen
    signaal horen, worden definitief verwijderd."."""
    whats = [task.what for task in registry().housekeeping]
    if not whats:
        return "Er zijn geen opschoontaken; er wordt niets verwijderd."
    listed = whats[0] if len(whats) == 1 else ", ".join(whats[:-1]) + " en " + whats[-1]
    return f"{listed[0].upper()}{listed[1:]}, worden definitief verwijderd."


HOUSEKEEPING_JOB = Job(
    "housekeeping", "Opschonen (mislukte aanmeldingen, verlopen gegevens)", run_housekeeping,
    "cron", {"hour": 3, "minute": 15}, max_age_hours=48, confirmation=confirmation)
