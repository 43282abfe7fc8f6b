"""``/healthz``: database reachability and the age of each job's last success."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from wki.core.clock import utcnow
from wki.core.jobs import JobRun
from wki.extensions import db


def _success(ago: timedelta) -> JobRun:
    run = JobRun(job_name="housekeeping", trigger="schema", outcome="geslaagd", started_at=utcnow() - ago,
                 finished_at=utcnow() - ago)
    db.session.add(run)
    db.session.flush()
    return run


def test_ok_when_the_database_answers_and_every_job_is_fresh(client, db_session):
    run = _success(timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    job = body["jobs"]["housekeeping"]
    assert job["last_success"] == run.finished_at.isoformat()
    assert job["age_seconds"] == pytest.approx(3600, abs=30)
    assert job["max_age_hours"] == 48
    assert job["stale"] is False


def test_lists_every_registered_job(client, db_session):
    from wki.scheduler import JOBS

    assert set(client.get("/healthz").get_json()["jobs"]) == {j.name for j in JOBS}


def test_degraded_when_a_job_never_succeeded(client, db_session):
    db_session.add(JobRun(job_name="housekeeping", trigger="schema", outcome="mislukt", started_at=utcnow(),
                          finished_at=utcnow(), error="RuntimeError: stuk"))
    db_session.flush()
    response = client.get("/healthz")
    assert response.status_code == 200  # the application itself works; monitoring reads the status
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["jobs"]["housekeeping"] == {"last_success": None, "age_seconds": None, "max_age_hours": 48,
                                            "stale": True}


def test_degraded_when_the_last_success_is_too_old(client, db_session):
    _success(timedelta(hours=49))
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded"
    assert body["jobs"]["housekeeping"]["stale"] is True
    assert body["jobs"]["housekeeping"]["age_seconds"] == pytest.approx(49 * 3600, abs=30)


def test_error_503_when_the_database_is_unreachable(client, db_session, monkeypatch):
    def unreachable(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("verbinding geweigerd door 10.0.0.5"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert body["jobs"] == {}
    assert "10.0.0.5" not in response.get_data(as_text=True)  # no connection details leak


def test_public_and_never_cached(client, db_session):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_reachable_while_a_logged_in_user_must_change_password(login_as, db_session):
    c = login_as(must_change_password=True)
    assert c.get("/healthz").status_code == 200
