"""Approve and discard of one quarantined snapshot at the same moment: exactly one wins (issue 10).

Each request commits for real on its own connection, so this test gets a database of its own (a SQLite
file, or a PostgreSQL database when ``TEST_DATABASE_URL`` says so), as test_kill.py does. The first
decision is held open (decided and flushed, not yet committed) until the second has started; without the
import lock and the re-read of the status, the second read "quarantaine" and both were recorded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import _make_database_url, make_test_config
from tests.register.helpers import register_row, to_csv
from wki import create_app
from wki.core.actors import Actor
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.register import services

ROWS = [register_row(n) for n in range(1, 21)]


@pytest.fixture
def own_app(tmp_path) -> Iterator[Flask]:
    url, drop = _make_database_url(tmp_path)
    app = create_app(make_test_config(tmp_path, url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.remove()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop()


def _held_snapshot(app: Flask) -> int:
    with app.app_context():
        services.import_snapshot("register", to_csv(ROWS), snapshot_date=date(2026, 1, 1), actor=Actor.process("test"))
        db.session.commit()
        result = services.import_snapshot("register", to_csv(ROWS[5:]), snapshot_date=date(2026, 2, 1),
                                          actor=Actor.process("test"))
        assert result.outcome == "quarantaine"
        snapshot_id = result.snapshot.id
        db.session.commit()
        db.session.remove()
    return snapshot_id


def _decide(app: Flask, how: str, snapshot_id: int) -> None:
    if how == "approve":
        services.approve_snapshot(snapshot_id, reason="akkoord", actor=Actor.process("beheerder-a"))
    else:
        services.discard_snapshot(snapshot_id, reason="onvolledig", actor=Actor.process("beheerder-b"))


@pytest.mark.parametrize("first, second", [("approve", "discard"), ("discard", "approve")])
def test_approve_and_discard_at_once_one_wins(own_app, first, second):
    snapshot_id = _held_snapshot(own_app)
    decided, second_started = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def run_first() -> None:
        with own_app.app_context():
            try:
                _decide(own_app, first, snapshot_id)
                decided.set()
                second_started.wait(30)
                time.sleep(1.0)  # the second decision reads the status (or waits for the lock) meanwhile
                db.session.commit()
                outcomes[first] = "ok"
            except Exception as exc:  # noqa: BLE001 - reported below
                db.session.rollback()
                outcomes[first] = f"{type(exc).__name__}: {exc}"
            finally:
                decided.set()
                db.session.remove()

    def run_second() -> None:
        decided.wait(30)
        with own_app.app_context():
            try:
                second_started.set()
                _decide(own_app, second, snapshot_id)
                db.session.commit()
                outcomes[second] = "ok"
            except ServiceError as exc:
                db.session.rollback()
                outcomes[second] = exc.message
            except Exception as exc:  # noqa: BLE001 - reported below
                db.session.rollback()
                outcomes[second] = f"{type(exc).__name__}: {exc}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(t.is_alive() for t in threads)

    assert outcomes[first] == "ok", outcomes
    done = "goedgekeurd en toegepast" if first == "approve" else "verworpen"
    assert outcomes[second] == f"Over deze snapshot is al beslist: ze is {done}.", outcomes
    with own_app.app_context():
        events = db.session.execute(sa.text(
            "SELECT action FROM audit_event WHERE object_type = 'register_snapshot' AND object_id = :id "
            "AND action IN ('register.snapshot_approved', 'register.snapshot_discarded')"),
            {"id": str(snapshot_id)}).scalars().all()
        status = db.session.execute(sa.text("SELECT status FROM register_snapshot WHERE id = :id"),
                                    {"id": snapshot_id}).scalar()
        current = db.session.execute(sa.text(
            "SELECT count(*) FROM registration_version WHERE valid_to IS NULL")).scalar()
        db.session.remove()
    assert events == [f"register.snapshot_{'approved' if first == 'approve' else 'discarded'}"]
    assert status == ("toegepast" if first == "approve" else "verworpen")
    assert current == (15 if first == "approve" else 20)
