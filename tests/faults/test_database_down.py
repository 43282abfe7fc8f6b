"""The database unreachable during a web request, a worker item and a register sync: a clear error (a Dutch
503 page without a stack trace; a logged error, the item tried again, the run not left "bezig"), no partial
state, and recovery when the database returns. ``/healthz`` says 503 while it is down and 200 after.

PostgreSQL: for real, through a TCP proxy in front of the server (tests/faults/proxy.py) that cuts every
connection and refuses new ones. SQLite has no server; its honest equivalent is the database file's
directory becoming unavailable (a volume unmounted): the directory is moved away, so the file cannot be
opened, and a connection that has it open can no longer write (SQLite notices that the file moved)."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event

from tests.conftest import IsolatedClient, csrf_token, login, make_test_config
from tests.core.test_sequences import database_kinds
from tests.faults.data import register_file, signal_file, wait_until
from tests.faults.proxy import Proxy
from wki import create_app
from wki.core import worker
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.extensions import db
from wki.core.worker import WorkItem, WorkStatus
from wki.signals import imports


@dataclass
class Outage:
    kind: str
    app: Flask
    direct_url: str  # the database itself, not through the outage
    tmp: Path
    down: Any
    up: Any


@pytest.fixture(params=database_kinds())
def outage(request, tmp_path) -> Iterator[Outage]:
    """An application on a database of its own that the test can make unreachable and bring back."""
    drop_database = None
    proxy = None
    if request.param == "postgresql":
        base = sa.make_url(os.environ["TEST_DATABASE_URL"])
        name = f"wki_down_{uuid.uuid4().hex[:10]}"
        server = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

        def drop_database() -> None:
            with server.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.dispose()

        proxy = Proxy(base.host or "127.0.0.1", base.port or 5432)
        direct = base.set(database=name)
        url = direct.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        direct_url = direct.render_as_string(hide_password=False)
    else:
        folder = tmp_path / "db"
        folder.mkdir()
        url = direct_url = f"sqlite:///{folder / 'wki.sqlite3'}"
    config = make_test_config(tmp_path, url)
    config.WORKER_STALE_SECONDS = 1
    config.REGISTER_SYNC_SOURCE = str(register_file(tmp_path / "register.csv", 200))
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.remove()

    if proxy is not None:
        down, up = proxy.drop, proxy.restore
    else:
        gone = tmp_path / "db-weg"

        def down() -> None:
            (tmp_path / "db").rename(gone)
            with app.app_context():
                db.engine.dispose()  # no connection kept open from before: each one now finds no file

        def up() -> None:
            gone.rename(tmp_path / "db")

    try:
        yield Outage(request.param, app, direct_url, tmp_path, down, up)
    finally:
        if proxy is not None:
            proxy.restore() if proxy._listener is None else None
        elif not (tmp_path / "db").exists():
            up()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if proxy is not None:
            proxy.close()
        if drop_database:
            drop_database()


def _rows(outage: Outage, sql: str) -> list[tuple]:
    engine = sa.create_engine(outage.direct_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def _down_at(outage: Outage, statement: str) -> None:
    """Make the database unreachable right after the first statement that begins with ``statement`` (in this
    process), inside the transaction that wrote it."""
    with outage.app.app_context():
        engine = db.engine
    fired: list[bool] = []

    def listener(conn, cursor, text, parameters, context, executemany) -> None:
        if not fired and text.lstrip().lower().startswith(statement):
            fired.append(True)
            outage.down()

    event.listen(engine, "after_cursor_execute", listener)
    return lambda: event.remove(engine, "after_cursor_execute", listener)


# ---------------------------------------------------------------- a web request and /healthz


def test_a_request_gets_a_dutch_503_and_the_next_one_works_when_the_database_returns(outage):
    from tests import factories

    app = outage.app
    with app.app_context():
        person = factories.UserFactory(roles=[Role.BEHEERDER])
        email = person.email
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    login(client, email)
    assert client.get("/healthz").status_code == 200
    assert client.get("/beheer/werk").status_code == 200

    run_now = "/beheer/taken/housekeeping/uitvoeren"
    form = {"csrf_token": csrf_token(client, run_now), "bevestiging": "y"}

    outage.down()
    for method, url, data in (("get", "/beheer/werk", None), ("get", "/", None), ("post", run_now, form)):
        response = getattr(client, method)(url, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 503, (url, html[:500])
        assert "De database is op dit moment niet bereikbaar" in html and "Probeer het over enkele minuten" in html
        assert "Er is niets gewijzigd" in html
        assert "Traceback" not in html and "OperationalError" not in html and "psycopg" not in html
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"]["ok"] is False

    outage.up()
    assert _rows(outage, "SELECT count(*) FROM work_item") == [(0,)]  # the refused POST wrote nothing
    assert client.get("/beheer/werk").status_code == 200  # still logged in; the next request works
    assert client.get("/healthz").status_code == 200
    assert client.post(run_now, data=form).status_code == 302  # the same form, sent again, now works
    assert _rows(outage, "SELECT kind, status FROM work_item") == [("jobs.run", "queued")]


# ---------------------------------------------------------------- a worker item


def test_a_worker_item_that_loses_the_database_is_done_once_when_it_returns(outage):
    app = outage.app
    rows = 300
    data = signal_file(outage.tmp / "signalen.csv", rows).read_bytes()
    with app.app_context():
        item, _ = imports.queue_import(data, file_name="signalen.csv", actor=Actor.process("inspecteur@example.nl"))
        db.session.commit()
        item_id = item.id
        db.session.remove()

    remove = _down_at(outage, "insert into signal ")  # inside the import's transaction
    try:
        assert worker.run_worker(app, once=True, name="werker") == 0  # nothing done; the worker did not crash
    finally:
        remove()
    outage.up()
    # No partial state: the import's first step (the signals and their import record, with the item's
    # checkpoint) is there whole or not at all. PostgreSQL loses the transaction with the connection; the
    # SQLite connection that had the file open still commits it, and the outage meets the next one.
    stored = _rows(outage, "SELECT (SELECT count(*) FROM signal), (SELECT count(*) FROM signal_import)")
    assert stored in ([(0, 0)], [(rows, 1)])
    [(status, result)] = _rows(outage, f"SELECT status, result FROM work_item WHERE id = {item_id}")
    checkpoint = result if isinstance(result, dict) or result is None else json.loads(result)
    assert bool(checkpoint and "import_id" in checkpoint) == (stored == [(rows, 1)])
    assert status in ("queued", "running")  # waiting to be tried again (or taken over), not failed
    assert worker.run_worker(app, once=True, name="werker") == (1 if status == "queued" else 0)
    if status == "running":  # the database was gone when it failed: it is taken over once its heartbeat is old
        time.sleep(1.5)
        assert worker.run_worker(app, once=True, name="werker") == 1

    with app.app_context():
        done = db.session.get(WorkItem, item_id)
        assert done.status == WorkStatus.DONE, (done.message, done.error)
        db.session.remove()
    assert _rows(outage, "SELECT count(*), count(DISTINCT referentie) FROM signal") == [(rows, rows)]
    assert _rows(outage, "SELECT count(*) FROM signal_import") == [(1,)]
    assert _rows(outage, "SELECT count(*) FROM signal WHERE matched_at IS NULL") == [(0,)]


# ---------------------------------------------------------------- a register sync


def test_a_sync_that_loses_the_database_leaves_nothing_and_the_next_run_applies_once(outage):
    from wki.core.jobs import run_job_now

    app = outage.app
    remove = _down_at(outage, "insert into registration_version")
    try:
        failed = run_job_now(app, "register-sync", trigger="schema")  # does not raise: logged, reported
    finally:
        remove()
    assert failed.outcome == "mislukt" and "OperationalError" in failed.error
    outage.up()
    # All or nothing: the import, its snapshot and its sync record together (PostgreSQL loses them with the
    # connection; the SQLite connection that had the file open still commits them, and the outage meets the
    # job's next transaction).
    applied = _rows(outage, "SELECT (SELECT count(*) FROM registration_version), (SELECT count(*) FROM "
                            "register_snapshot), (SELECT count(*) FROM register_sync_run)")
    assert applied in ([(0, 0, 0)], [(200, 1, 1)])
    # Its run row could not be finished while the database was gone.
    assert _rows(outage, "SELECT outcome FROM job_run WHERE job_name = 'register-sync'") == [("bezig",)]

    again = run_job_now(app, "register-sync", trigger="schema")
    assert again.outcome == "geslaagd", again.error
    assert _rows(outage, "SELECT outcome FROM job_run WHERE job_name = 'register-sync' ORDER BY id") == [
        ("afgebroken",), ("geslaagd",)]
    assert _rows(outage, "SELECT count(*), count(DISTINCT registratienummer) FROM registration_version") == [
        (200, 200)]
    assert _rows(outage, "SELECT status FROM register_snapshot") == [("toegepast",)]  # applied once
    expected = ["toegepast"] if applied == [(0, 0, 0)] else ["toegepast", "ongewijzigd"]
    assert [o for (o,) in _rows(outage, "SELECT outcome FROM register_sync_run WHERE kind = 'register' "
                                        "ORDER BY id")] == expected


# ---------------------------------------------------------------- what counts as "unreachable"


def test_only_an_unreachable_database_counts_as_temporary_not_a_wrong_statement():
    import sqlite3

    from wki.core.errors import database_unreachable
    from wki.core.storage import StorageUnwritable

    def wrapped(error: Exception, cls=sa.exc.OperationalError) -> sa.exc.DBAPIError:
        return cls("SELECT 1", {}, error)

    assert database_unreachable(wrapped(sqlite3.OperationalError("database is locked")))
    assert database_unreachable(wrapped(sqlite3.OperationalError("unable to open database file")))
    assert not database_unreachable(wrapped(sqlite3.OperationalError("no such column: x")))
    assert not database_unreachable(wrapped(sqlite3.IntegrityError("UNIQUE constraint failed"), sa.exc.IntegrityError))
    assert worker.is_temporary(StorageUnwritable("De schijf is vol."))
    assert not worker.is_temporary(ValueError("kapot"))


# ---------------------------------------------------------------- a running worker process


def test_a_running_worker_survives_the_outage_and_works_on_when_the_database_returns(outage):
    from tests.faults.processes import Processes
    from wki.core import jobs

    app = outage.app
    with app.app_context():
        url = app.config["SQLALCHEMY_DATABASE_URI"]

    def queue() -> int:
        with app.app_context():
            item, created = jobs.queue_run("housekeeping", actor=Actor.process("beheerder@example.nl"))
            assert created
            db.session.commit()
            item_id = item.id
            db.session.remove()
        return item_id

    def status(item_id: int) -> str:
        return _rows(outage, f"SELECT status FROM work_item WHERE id = {item_id}")[0][0]

    processes = Processes(url, outage.tmp)
    try:
        process = processes.start("worker", "run", "--processes", "1", "--poll", "0.2",
                                  config={"WORKER_STALE_SECONDS": 1})
        first = queue()
        wait_until(lambda: status(first) == "done", what="the first item")

        outage.down()
        time.sleep(2)  # the worker asks for work ten times meanwhile, in vain
        assert process.running(), process.stderr()
        outage.up()

        second = queue()
        wait_until(lambda: status(second) == "done", what="the item queued after the database returned")
        assert process.running()
        assert _rows(outage, f"SELECT attempts FROM work_item WHERE id = {second}") == [(1,)]
        if outage.kind == "postgresql":  # its connections broke: logged, then new ones once the server answers
            assert "could not claim work" in process.log.read_text(errors="replace")
        # (SQLite: the worker's open connection still reads the moved file; it finds no work meanwhile.)
    finally:
        processes.close()


# ---------------------------------------------------------------- SQLite: the write lock held too long


def test_a_form_sent_while_another_process_holds_the_sqlite_write_lock_gets_a_503_and_changes_nothing(
        tmp_path, monkeypatch):
    """SQLite's other way of being unreachable: another process writes (an import, a backup) for longer than
    the busy timeout. Reading goes on (WAL); a form that writes gets the Dutch 503 page and changes nothing,
    and works once the lock is free."""
    import sqlite3

    from tests import factories
    from wki.core import db_setup

    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    monkeypatch.setattr(db_setup, "SQLITE_BUSY_TIMEOUT_MS", 300)  # 30 s in production; the test waits less
    path = tmp_path / "wki.sqlite3"
    app = create_app(make_test_config(tmp_path, f"sqlite:///{path}"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        person = factories.UserFactory(roles=[Role.BEHEERDER])
        email = person.email
        db.session.commit()
        db.session.remove()
    try:
        client = app.test_client()
        login(client, email)
        run_now = "/beheer/taken/housekeeping/uitvoeren"
        form = {"csrf_token": csrf_token(client, run_now), "bevestiging": "y"}

        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another process's long write
        try:
            assert client.get("/beheer/werk").status_code == 200  # reading goes on
            response = client.post(run_now, data=form)
            html = response.get_data(as_text=True)
            assert response.status_code == 503 and "De database is op dit moment niet bereikbaar" in html
            assert "Traceback" not in html and "locked" not in html
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkItem)) == 0
            db.session.remove()
        assert client.post(run_now, data=form).status_code == 302
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkItem)) == 1
            db.session.remove()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
