"""Sequences (``wki.core.sequences``): one number after another per name and year, gapless (a rolled-back
number comes again), distinct under concurrency on SQLite and PostgreSQL; migration 0010 starts the staff
references' counter after the references issued before it."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from config import TestingConfig
from wki import create_app
from wki.core.extensions import db
from wki.core.sequences import SequenceCounter, current_value, next_value


def database_kinds() -> list[str]:
    """SQLite always, PostgreSQL when ``TEST_DATABASE_URL`` points at one (no skipped tests: CI fails those)."""
    kinds = ["sqlite"]
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        kinds.append("postgresql")
    return kinds


@contextmanager
def isolated_app(kind: str, tmp_path: Path, *, revision: str = "head") -> Iterator[Flask]:
    """An application on an empty database of its own, migrated to ``revision``, dropped afterwards: for
    tests that really commit from several threads (the audit trail refuses the clean-up a shared
    database would need)."""
    drop = None
    if kind == "postgresql":
        base = sa.make_url(os.environ["TEST_DATABASE_URL"])
        name = f"wki_seq_{uuid.uuid4().hex[:10]}"
        server = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = base.set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with server.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.dispose()
    else:
        url = f"sqlite:///{tmp_path / 'volgnummers.sqlite3'}"

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "volgnummertest-" + "x" * 32
        SCHEDULER_LOCK_PATH = str(tmp_path / "scheduler.lock")
        SIGNAL_ATTACHMENT_DIR = str(tmp_path / "bijlagen")
        DOCUMENT_STORE_DIR = str(tmp_path / "documenten")
        EVIDENCE_STORE_DIR = str(tmp_path / "bewijs")

    application = create_app(Config)
    try:
        with application.app_context():
            from flask_migrate import upgrade

            upgrade(revision=revision)
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        if drop:
            drop()


def run_at_once(app: Flask, count: int, work) -> tuple[list, list[str]]:
    """``work(i)`` in ``count`` threads started together, each in its own app context (its own session
    and connection) and committing its own transaction; returns (results, errors)."""
    barrier = threading.Barrier(count)
    results: list = []
    errors: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                result = work(i)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported by the test, never lost in a thread
                db.session.rollback()
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
            else:
                with lock:
                    results.append(result)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs"
    return results, errors


# ---------------------------------------------------------------- one after another


def test_a_years_first_number_is_one_and_each_next_one_more(db_session):
    assert [next_value("test.kenmerk", 2026) for _ in range(3)] == [1, 2, 3]
    assert current_value("test.kenmerk", 2026) == 3


def test_names_and_years_count_apart(db_session):
    assert next_value("test.kenmerk", 2026) == 1
    assert next_value("test.kenmerk", 2027) == 1
    assert next_value("test.zaaknummer", 2026) == 1
    assert next_value("test.kenmerk", 2026) == 2
    assert current_value("test.zaaknummer", 2027) == 0


def test_a_rolled_back_number_is_issued_again(db_session):
    """Gapless: the number belongs to the caller's transaction (unlike a database SEQUENCE)."""
    assert next_value("test.kenmerk", 2026) == 1
    savepoint = db_session.begin_nested()
    assert next_value("test.kenmerk", 2026) == 2
    savepoint.rollback()
    assert next_value("test.kenmerk", 2026) == 2


def test_sqlite_before_3_35_gives_the_same_numbers(db_session, monkeypatch):
    """The three-statement path for a SQLite library without ``ON CONFLICT … RETURNING`` (PostgreSQL
    never takes it)."""
    monkeypatch.setattr("wki.core.sequences._sqlite_has_upsert_returning", lambda: False)
    assert [next_value("test.kenmerk", 2026) for _ in range(3)] == [1, 2, 3]
    assert next_value("test.kenmerk", 2027) == 1
    savepoint = db_session.begin_nested()
    assert next_value("test.kenmerk", 2026) == 4
    savepoint.rollback()
    assert next_value("test.kenmerk", 2026) == 4


def test_a_name_is_required_and_short(db_session):
    for name in ("", "x" * 51):
        with pytest.raises(ValueError, match="sequence name"):
            next_value(name, 2026)


@pytest.mark.parametrize("kind", database_kinds())
def test_ten_callers_at_once_get_ten_consecutive_numbers(kind, tmp_path):
    """Each in its own transaction on its own connection, all started together: none fails, none waits
    for nothing, and the numbers are 1..10 without a gap or a repeat."""
    with isolated_app(kind, tmp_path) as app:
        results, errors = run_at_once(app, 10, lambda i: next_value("test.kenmerk", 2026))
        assert errors == []
        assert sorted(results) == list(range(1, 11))
        with app.app_context():
            assert current_value("test.kenmerk", 2026) == 10


# ---------------------------------------------------------------- migration 0010


@pytest.mark.parametrize("kind", database_kinds())
def test_the_upgrade_starts_the_staff_counter_after_the_issued_references(kind, tmp_path):
    """Only references of the staff form in the form it issued count: a partner's "IJV-2026-000099" or a
    hand-typed "IJV-2026-9" do not move the counter (the service passes over a number already taken)."""
    from flask_migrate import upgrade

    from wki.signals.models import Signal

    with isolated_app(kind, tmp_path, revision="0009_one_time_secrets") as app, app.app_context():
        day = date(2026, 3, 1)
        db.session.execute(sa.insert(Signal), [
            {"bron": bron, "referentie": referentie, "channel": channel, "ontvangen_op": day, "reference_date": day,
             "status": "open"}
            for bron, referentie, channel in [
                ("consument", "IJV-2025-000007", "formulier"),
                ("consument", "IJV-2026-000003", "formulier"),
                ("gemeente", "IJV-2026-000012", "formulier"),
                ("gemeente", "IJV-2026-000099", "api"),
                ("consument", "IJV-2026-9", "formulier"),
                ("consument", "BRF-1", "formulier"),
            ]])
        db.session.commit()
        upgrade()
        counters = db.session.execute(sa.select(SequenceCounter.name, SequenceCounter.year, SequenceCounter.value)
                                      .order_by(SequenceCounter.year)).all()
        assert [tuple(row) for row in counters] == [("signal_reference", 2025, 7), ("signal_reference", 2026, 12)]
        assert next_value("signal_reference", 2026) == 13
        db.session.rollback()
