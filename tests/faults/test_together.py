"""Two schedulers and two workers started at once (real processes): one scheduler holds the lock and runs
each job once while the other stands by, and takes over when the first dies; two workers do every work item
of a mailing once. PostgreSQL (the advisory lock, SKIP LOCKED) and SQLite (the file lock, the write lock)."""

from __future__ import annotations

import queue
import time

import sqlalchemy as sa

from tests.faults.data import (
    assert_mailing_complete,
    exempt_file,
    register_file,
    rows_of,
    started_mailing,
    wait_until,
)
from tests.faults.processes import AppProcess
from wki.core.extensions import db
from wki.core.jobs import registered_jobs
from wki.core.worker import WorkItem, WorkStatus


def _first(processes: list[AppProcess], marker: str, timeout: float = 90) -> AppProcess:
    """The process that prints ``marker`` first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            try:
                line = process.lines.get(timeout=0.05)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"{process.args} ended: {process.stderr()}")
            process.seen.append(line)
            if line.startswith(marker):
                return process
    raise AssertionError(f"no {marker!r} within {timeout} s: {[p.seen for p in processes]}")


def test_two_schedulers_run_each_job_once_and_the_second_takes_over(own):
    env = {"WKI_REGISTER_SYNC_SOURCE": str(register_file(own.tmp / "register.csv", 300)),
           "WKI_EXEMPT_SYNC_SOURCE": str(exempt_file(own.tmp / "vrijgestelden.csv", 20)),
           "WKI_SCHEDULER_STANDBY_SECONDS": "0.3",
           # Both stop inside the register sync's import, whichever becomes the active one.
           "WKI_TEST_PAUSE_SQL": "insert into registration_version", "WKI_TEST_PAUSE_AT": "1"}
    schedulers = [own.processes.start("scheduler", "run", **env) for _ in range(2)]
    active = _first(schedulers, "PAUSED")
    standby = next(s for s in schedulers if s is not active)
    assert "LOCKED" in active.seen and "LOCKED" not in standby.seen
    time.sleep(1)  # the standby asks for the lock three more times meanwhile, in vain
    assert standby.running() and "LOCKED" not in standby.seen and standby.lines.empty()

    active.kill()
    standby.wait_for("LOCKED")
    standby.wait_for("PAUSED")  # its own catch-up of the sync the first one did not finish
    standby.resume()
    names = {job.name for job in registered_jobs(own.app)}

    def all_ran() -> bool:
        done = rows_of(own.url, "SELECT DISTINCT job_name FROM job_run WHERE outcome IN ('geslaagd', 'mislukt')")
        return {name for (name,) in done} == names

    wait_until(all_ran, what="every job's catch-up")
    time.sleep(1)
    standby.kill()

    runs = rows_of(own.url, "SELECT job_name, outcome FROM job_run ORDER BY id")
    assert [o for n, o in runs if n == "register-sync"] == ["afgebroken", "geslaagd"], runs
    finished = [n for n, o in runs if o != "afgebroken"]
    assert sorted(finished) == sorted(names), runs  # each job once
    assert rows_of(own.url, "SELECT count(*), count(DISTINCT registratienummer) FROM registration_version") == [
        (300, 300)]
    assert rows_of(own.url, "SELECT outcome FROM register_sync_run WHERE kind = 'register'") == [("toegepast",)]


def test_two_workers_started_at_once_do_each_item_once(own):
    count = 16
    mailing_id = started_mailing(own.app, count)
    config = {"WORKER_STALE_SECONDS": 30, "MAILING_CLAIM_BATCH": 2}
    workers = [own.processes.start("worker", "run", "--once", "--processes", "1", config=config) for _ in range(2)]
    for process in workers:
        assert process.finish() == 0, process.stderr()

    assert_mailing_complete(own.app, mailing_id, count)
    with own.app.app_context():
        items = list(db.session.scalars(sa.select(WorkItem)))
        assert items and {i.status for i in items} == {WorkStatus.DONE}
        assert {i.attempts for i in items} == {1}  # nobody took an item another worker was doing
        db.session.remove()
