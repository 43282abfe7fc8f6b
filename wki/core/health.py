"""``/healthz``: database reachability, the age of the last successful job runs, and the freshness figures the
features declare (``Feature.health``: the register sync's).

The check answers within a few seconds even when the database does not: PostgreSQL connections give
up after ``DB_CONNECT_TIMEOUT_SECONDS`` (core/db_setup.py), the check's own queries after
``HEALTH_DB_TIMEOUT_SECONDS`` (statement timeout), and on SQLite the check waits for a lock at most
that long (busy timeout) instead of the application's usual 30 seconds. Any database error is a 503.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from wki.core import jobs as core_jobs
from wki.core.auth import public
from wki.core.db_setup import SQLITE_BUSY_TIMEOUT_MS
from wki.core.extensions import db
from wki.core.features import registry

bp = Blueprint("healthz", __name__)


def _bound_database_waits() -> Callable[[], None]:
    """Limit how long this request's queries may wait; return what undoes it (a no-op if nothing to undo)."""
    timeout_ms = max(1, round(float(current_app.config.get("HEALTH_DB_TIMEOUT_SECONDS", 3.0)) * 1000))
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        # Ends with the transaction, which the request ends; no other request ever sees it.
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {timeout_ms}")
        return lambda: None
    if conn.dialect.name == "sqlite":
        dbapi_connection = conn.connection.dbapi_connection
        assert dbapi_connection is not None  # a connection checked out of the pool is open
        dbapi_connection.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        def restore() -> None:
            # Pooled connections serve every other request: give this one its usual patience back.
            with contextlib.suppress(Exception):
                dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")

        return restore
    return lambda: None


@bp.get("/healthz")
@public
def health() -> ResponseReturnValue:
    body: dict = {"status": "ok", "database": {"ok": True}, "jobs": {}}
    restore: Callable[[], None] = lambda: None  # noqa: E731
    try:
        restore = _bound_database_waits()
        db.session.execute(sa.text("SELECT 1"))
        jobs = core_jobs.job_freshness(own_runs_only=True)  # whether the jobs run; the mirror's freshness is below
        # One small query each (the register's: when its mirror last synced, by a sync or an import by hand).
        figures = {check.name: check.check() for check in registry().health}
    except sa.exc.SQLAlchemyError as exc:  # report, never crash (nor hang) the health check
        restore()
        db.session.rollback()
        body["status"] = "error"
        body["database"] = {"ok": False, "error": type(exc).__name__}
        return jsonify(body), 503
    restore()
    for job in jobs:
        body["jobs"][job["name"]] = {
            "last_success": job["last_success"].isoformat() if job["last_success"] else None,
            "age_seconds": None if job["age_seconds"] is None else round(job["age_seconds"]),
            "max_age_hours": job["max_age_hours"],
            "stale": job["stale"],
        }
        if job["stale"]:
            body["status"] = "degraded"
    for name, figure in figures.items():
        body[name] = {
            "last_success": figure["last_success"].isoformat() if figure["last_success"] else None,
            "age_seconds": None if figure["age_seconds"] is None else round(figure["age_seconds"]),
            "max_age_hours": figure["max_age_hours"],
            "stale": figure["stale"],
        }
        if figure["stale"]:
            body["status"] = "degraded"
    return jsonify(body), 200
