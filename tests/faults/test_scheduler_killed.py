"""The scheduler process (``flask scheduler run``) killed with SIGKILL during a register sync, then started
again: the interrupted run is recorded as interrupted, the catch-up applies the snapshot once, and the
mirror holds each version once."""

from __future__ import annotations

import time

import sqlalchemy as sa

from tests.faults.data import register_file

ROWS = 2000


def _rows(own, sql: str) -> list[tuple]:
    engine = sa.create_engine(own.url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def _sync_runs(own) -> list[tuple]:
    return _rows(own, "SELECT trigger, outcome FROM job_run WHERE job_name = 'register-sync' ORDER BY id")


def wait_until(condition, timeout: float = 90, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.2)


def test_a_scheduler_killed_during_a_sync_catches_up_once(own):
    source = register_file(own.tmp / "register.csv", ROWS)
    first = own.processes.start("scheduler", "run", WKI_REGISTER_SYNC_SOURCE=str(source),
                                WKI_TEST_PAUSE_SQL="insert into registration_version", WKI_TEST_PAUSE_AT="1")
    first.wait_for("PAUSED")  # the catch-up's sync, inside its import's transaction
    first.kill()
    assert _sync_runs(own) == [("schema", "bezig")]
    assert _rows(own, "SELECT count(*) FROM registration_version") == [(0,)]
    assert _rows(own, "SELECT count(*) FROM register_sync_run WHERE kind = 'register'") == [(0,)]

    second = own.processes.start("scheduler", "run", WKI_REGISTER_SYNC_SOURCE=str(source))
    wait_until(lambda: len(_sync_runs(own)) == 2 and _sync_runs(own)[1][1] != "bezig", what="the catch-up sync")
    second.kill()

    assert _sync_runs(own) == [("schema", "afgebroken"), ("schema", "geslaagd")]
    assert _rows(own, "SELECT outcome FROM register_sync_run WHERE kind = 'register'") == [("toegepast",)]
    assert _rows(own, "SELECT status FROM register_snapshot WHERE kind = 'register'") == [("toegepast",)]
    assert _rows(own, "SELECT count(*), count(DISTINCT registratienummer) FROM registration_version") == [(ROWS, ROWS)]
    # The other jobs caught up once as well (none ran twice after the restart).
    per_job = _rows(own, "SELECT job_name, count(*) FROM job_run WHERE outcome <> 'afgebroken' GROUP BY job_name")
    assert per_job and all(n == 1 for _name, n in per_job), per_job
