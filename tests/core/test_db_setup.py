"""SQLite transactions (issue 10, finding 13): readers never wait for a writer, writers wait for each other.

Every test here runs on an application of its own on a SQLite file (whatever ``TEST_DATABASE_URL``
says), because the rolled-back test transaction of ``db_session`` would hide what other connections see.
Another connection plays the running import: it holds the write lock (``BEGIN IMMEDIATE``) while the
application reads or writes. Work that may block runs in a thread with a deadline, so that a test fails
in seconds rather than after SQLite's 30-second busy timeout.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from tests.conftest import IsolatedClient, login, make_test_config
from wki import create_app
from wki.auth.models import User
from wki.core.auth import Role
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.core.jobs import JobRun

PROMPT = 5.0  # seconds; a reader that waits for the writer waits 30


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    root = tmp_path_factory.mktemp("sqlite-locks")
    app = create_app(make_test_config(root, f"sqlite:///{root / 'wki.sqlite3'}"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        from tests.factories import UserFactory

        UserFactory(email="lezer@inspectie.example.nl", roles=[Role.INSPECTEUR])
        db.session.commit()
    app.config["TEST_DB_PATH"] = str(root / "wki.sqlite3")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def write_lock_held(app: Flask) -> Iterator[sqlite3.Connection]:
    """Another process's write transaction (an import), open until the block ends; then it commits."""
    conn = sqlite3.connect(app.config["TEST_DB_PATH"], isolation_level=None, timeout=1)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO job_run (job_name, trigger, outcome, started_at, counts) "
                 "VALUES ('import', 'handmatig', 'bezig', '2026-01-01 00:00:00', '{}')")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")
        conn.close()


def in_thread(func: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        started = time.monotonic()
        try:
            outcome["value"] = func()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def finished_within(seconds: float, func: Callable[[], Any]) -> Any:
    thread, outcome = in_thread(func)
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s (for the writer's lock?)"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_the_database_runs_in_wal_mode(sqlite_app):
    with sqlite_app.app_context():
        assert db.session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_get_requests_begin_deferred_and_others_immediate(sqlite_app):
    from wki.core.db_setup import _TXN

    for method, expected in (("GET", "deferred"), ("HEAD", "deferred"), ("POST", "immediate")):
        with sqlite_app.test_request_context("/", method=method):
            assert db.session.connection().info[_TXN] == expected
            db.session.rollback()
    with sqlite_app.app_context():  # the CLI, jobs, the scheduler, imports
        assert db.session.connection().info[_TXN] == "immediate"
        db.session.rollback()


def test_a_page_reads_while_an_import_holds_the_write_lock(sqlite_app):
    client = sqlite_app.test_client()
    login(client, "lezer@inspectie.example.nl")
    with write_lock_held(sqlite_app):
        response = finished_within(PROMPT, lambda: client.get("/register/"))
        assert response.status_code == 200
        health = finished_within(PROMPT, lambda: client.get("/healthz"))
        assert health.status_code == 200
        assert health.get_json()["database"] == {"ok": True}


def test_a_query_in_a_get_request_reads_while_the_write_lock_is_held(sqlite_app):
    def count_users() -> int:
        with sqlite_app.test_request_context("/register/", method="GET"):
            return db.session.scalar(sa.select(sa.func.count()).select_from(User))

    with write_lock_held(sqlite_app):
        assert finished_within(PROMPT, count_users) >= 1


def _record_job(trigger: str) -> int:
    run = JobRun(job_name="housekeeping", trigger=trigger, outcome="geslaagd", started_at=utcnow(),
                 finished_at=utcnow())
    db.session.add(run)
    db.session.commit()
    return run.id


def test_a_job_waits_for_the_writer_instead_of_failing(sqlite_app):
    """What BEGIN IMMEDIATE protected: a second writer waits for the lock (busy_timeout), no SQLITE_BUSY."""
    def job() -> int:
        with sqlite_app.app_context():
            return _record_job("schema")

    with write_lock_held(sqlite_app):
        thread, outcome = in_thread(job)
        thread.join(0.5)
        assert thread.is_alive(), "the job wrote while another transaction held the write lock"
    thread.join(PROMPT)
    assert not thread.is_alive() and "error" not in outcome, outcome.get("error")


def test_a_get_request_that_reads_then_writes_waits_for_the_writer(sqlite_app):
    """A GET that writes after reading (an export's audit event), while another writer commits in between.

    SQLite cannot upgrade a reading transaction while another writer holds the lock, nor once another
    writer committed after its snapshot; the first write restarts the transaction as BEGIN IMMEDIATE.
    """
    read = threading.Event()
    go_on = threading.Event()

    def export() -> int:
        with sqlite_app.test_request_context("/register/export.csv", method="GET"):
            db.session.scalar(sa.select(sa.func.count()).select_from(JobRun))  # the snapshot starts here
            read.set()
            go_on.wait(PROMPT)
            return _record_job("handmatig")

    thread, outcome = in_thread(export)
    assert read.wait(PROMPT)
    with write_lock_held(sqlite_app):  # commits a row after the export's snapshot began
        go_on.set()
        thread.join(0.5)
        assert thread.is_alive(), "the GET's write did not wait for the writer"
    thread.join(PROMPT)
    assert not thread.is_alive() and "error" not in outcome, outcome.get("error")


def test_a_savepoint_in_a_get_request_takes_the_write_lock_first(sqlite_app):
    from wki.core.db_setup import _TXN

    with sqlite_app.test_request_context("/", method="GET"):
        db.session.scalar(sa.select(sa.literal(1)))
        with db.session.begin_nested():
            assert db.session.connection().info[_TXN] == "immediate"
        db.session.rollback()


def test_the_busy_timeout_is_the_applications(sqlite_app, tmp_path: Path):
    with sqlite_app.app_context():
        assert db.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        db.session.rollback()
