"""Retention of short-lived records and stray files (the audit trail is never touched)."""

from __future__ import annotations

from typing import Any


def run_housekeeping() -> dict[str, Any]:
    from wki.auth.services import purge_login_failures
    from wki.signals.attachments import purge_orphan_attachments

    return {"mislukte_aanmeldingen_verwijderd": purge_login_failures(),
            "losse_bijlagen_verwijderd": purge_orphan_attachments()}
