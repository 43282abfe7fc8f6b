"""``/healthz``: database reachability, the age of each job's last success and of the last register sync."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import make_test_config
from wki import create_app
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.core.jobs import JobRun, registered_jobs
from wki.register.models import RegisterSyncRun, SyncOutcome


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
    for job in registered_jobs():
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
    from wki.core.jobs import registered_jobs

    assert set(client.get("/healthz").get_json()["jobs"]) == {j.name for j in registered_jobs()}


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
        for job in registered_jobs():
            _success(timedelta(hours=1), job.name)
        _sync(timedelta(hours=1), outcome=SyncOutcome.FAILED)  # a failure is no success
        _sync(timedelta(hours=1), kind="vrijgestelden")  # another dataset
        body = client.get("/healthz").get_json()
        assert body["register_sync"] == {"last_success": None, "age_seconds": None, "max_age_hours": 48,
                                         "stale": True}
        assert body["status"] == "degraded"

    def test_a_recent_success_is_fresh(self, client, db_session):
        for job in registered_jobs():
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
        for job in registered_jobs():
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


# ---------------------------------------------------------------- a database that does not answer (issue 10, finding 14)

ANSWER_WITHIN = 10.0  # seconds; without timeouts /healthz waited for minutes


def _get_within(client, seconds: float, path: str = "/healthz"):
    """``client.get(path)`` in a thread, failing the test if it has not answered within ``seconds``."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["response"] = client.get(path)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{path} did not answer within {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"], time.monotonic() - started


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word, like a hung database server."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    server.close()


def test_503_within_seconds_when_postgresql_accepts_but_never_answers(silent_server, tmp_path):
    """The health check's engine points at a server that accepts the connection and never answers."""
    class Silent(make_test_config(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/wki")):
        DB_CONNECT_TIMEOUT_SECONDS = 2

    app = create_app(Silent)
    try:
        response, seconds = _get_within(app.test_client(), ANSWER_WITHIN)
        assert response.status_code == 503
        assert response.get_json()["database"] == {"ok": False, "error": "OperationalError"}
        assert seconds < ANSWER_WITHIN
    finally:
        with app.app_context():
            db.engine.dispose()


def test_postgresql_connections_have_a_connect_timeout(silent_server, tmp_path):
    app = create_app(make_test_config(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/wki"))
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["connect_timeout"] == 5
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_the_check_waits_for_the_database_only_briefly(app, monkeypatch):
    """PostgreSQL: a lock keeps the check's query waiting; it gives up (statement timeout) and says 503.

    SQLite (WAL) never keeps a reader waiting for a writer (tests/core/test_db_setup.py); what could
    (a connection in exclusive locking mode) the check waits for at most HEALTH_DB_TIMEOUT_SECONDS, and
    the connection, which goes back to the pool, has its usual busy timeout again afterwards.
    """
    monkeypatch.setitem(app.config, "HEALTH_DB_TIMEOUT_SECONDS", 1.0)
    client = app.test_client()
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "postgresql":
        with app.app_context():
            conn = db.engine.connect()
            conn.exec_driver_sql("LOCK TABLE job_run IN ACCESS EXCLUSIVE MODE")
            try:
                response, seconds = _get_within(client, ANSWER_WITHIN)
            finally:
                conn.rollback()
                conn.close()
        assert response.status_code == 503
        assert response.get_json()["database"] == {"ok": False, "error": "OperationalError"}
        assert seconds < ANSWER_WITHIN
    else:
        from wki.core import jobs

        seen: list[int] = []
        real = jobs.job_freshness

        def spy(**kwargs):
            seen.append(db.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar())
            return real(**kwargs)

        monkeypatch.setattr(jobs, "job_freshness", spy)
        assert client.get("/healthz").status_code == 200
        assert seen == [1000]
        with app.app_context():
            assert db.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
            db.session.rollback()
    # Nothing of the bounded wait stays behind: the next check is healthy again.
    assert client.get("/healthz").status_code == 200
