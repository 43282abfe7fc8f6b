"""``/healthz``: database reachability, the age of each job's last success and of the last register sync."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from wki.core.clock import utcnow
from wki.core.jobs import JobRun
from wki.extensions import db
from wki.register.models import RegisterSyncRun, SyncOutcome
from wki.scheduler import JOBS


def _success(ago: timedelta, job_name: str = "housekeeping") -> JobRun:
    run = JobRun(job_name=job_name, trigger="schema", outcome="geslaagd", started_at=utcnow() - ago,
                 finished_at=utcnow() - ago)
    db.session.add(run)
    db.session.flush()
    return run


def _sync(ago: timedelta, outcome: str = SyncOutcome.APPLIED, kind: str = "register") -> RegisterSyncRun:
    run = RegisterSyncRun(kind=kind, trigger="schema", source="https://justis.example.nl/register.csv",
                          started_at=utcnow() - ago, finished_at=utcnow() - ago, outcome=outcome, message="")
    db.session.add(run)
    db.session.flush()
    return run


def _all_fresh() -> None:
    for job in JOBS:
        if job.name != "housekeeping":
            _success(timedelta(hours=1), job.name)
    _sync(timedelta(hours=1))


def test_ok_when_the_database_answers_and_every_job_is_fresh(client, db_session):
    run = _success(timedelta(hours=1))
    _all_fresh()
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


class TestRegisterSync:
    def test_never_synced_is_stale(self, client, db_session):
        for job in JOBS:
            _success(timedelta(hours=1), job.name)
        _sync(timedelta(hours=1), outcome=SyncOutcome.FAILED)  # a failure is no success
        _sync(timedelta(hours=1), kind="vrijgestelden")  # another dataset
        body = client.get("/healthz").get_json()
        assert body["register_sync"] == {"last_success": None, "age_seconds": None, "max_age_hours": 48,
                                         "stale": True}
        assert body["status"] == "degraded"

    def test_a_recent_success_is_fresh(self, client, db_session):
        for job in JOBS:
            _success(timedelta(hours=1), job.name)
        _sync(timedelta(hours=5))
        run = _sync(timedelta(hours=1), outcome=SyncOutcome.NOT_MODIFIED)  # a 304 is a success too
        body = client.get("/healthz").get_json()
        assert body["status"] == "ok"
        sync = body["register_sync"]
        assert sync["last_success"] == run.finished_at.isoformat()  # the latest of the two
        assert sync["age_seconds"] == pytest.approx(3600, abs=30)
        assert sync["stale"] is False

    def test_an_old_success_is_stale_even_with_a_later_failure(self, client, db_session):
        for job in JOBS:
            _success(timedelta(hours=1), job.name)
        _sync(timedelta(hours=49))
        _sync(timedelta(hours=1), outcome=SyncOutcome.QUARANTINED)
        body = client.get("/healthz").get_json()
        assert body["register_sync"]["stale"] is True
        assert body["register_sync"]["age_seconds"] == pytest.approx(49 * 3600, abs=30)
        assert body["status"] == "degraded"

    def test_the_configured_maximum_age_counts(self, app, client, db_session, monkeypatch):
        monkeypatch.setitem(app.config, "REGISTER_SYNC_MAX_AGE_HOURS", 72)
        _sync(timedelta(hours=60))
        sync = client.get("/healthz").get_json()["register_sync"]
        assert sync["max_age_hours"] == 72 and sync["stale"] is False


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
