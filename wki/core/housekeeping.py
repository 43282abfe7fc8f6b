"""Retention of short-lived records (the audit trail is never touched)."""

from __future__ import annotations

from typing import Any


def run_housekeeping() -> dict[str, Any]:
    from wki.auth.services import purge_login_failures

    return {"mislukte_aanmeldingen_verwijderd": purge_login_failures()}
