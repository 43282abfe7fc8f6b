"""``/healthz``: database reachability, the age of the last successful job runs and of the register sync."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify

from wki.core.auth import public
from wki.extensions import db

bp = Blueprint("healthz", __name__)


@bp.get("/healthz")
@public
def health():
    from wki.core.jobs import job_freshness
    from wki.register.services import sync_freshness

    body: dict = {"status": "ok", "database": {"ok": True}, "jobs": {}}
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - report, never crash the health check
        db.session.rollback()
        body["status"] = "error"
        body["database"] = {"ok": False, "error": type(exc).__name__}
        return jsonify(body), 503
    for job in job_freshness():
        body["jobs"][job["name"]] = {
            "last_success": job["last_success"].isoformat() if job["last_success"] else None,
            "age_seconds": None if job["age_seconds"] is None else round(job["age_seconds"]),
            "max_age_hours": job["max_age_hours"],
            "stale": job["stale"],
        }
        if job["stale"]:
            body["status"] = "degraded"
    # One small query: when the register mirror last synced successfully (a sync or an import by hand).
    sync = sync_freshness()
    body["register_sync"] = {
        "last_success": sync["last_success"].isoformat() if sync["last_success"] else None,
        "age_seconds": None if sync["age_seconds"] is None else round(sync["age_seconds"]),
        "max_age_hours": sync["max_age_hours"],
        "stale": sync["stale"],
    }
    if sync["stale"]:
        body["status"] = "degraded"
    return jsonify(body), 200
