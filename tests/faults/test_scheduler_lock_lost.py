"""The active scheduler's database connection breaks. On PostgreSQL its advisory lock goes with the
connection, and the scheduler standing by takes it: the first must then stop running jobs (never two active
schedulers), stand by, and take over again when the second dies. On SQLite the lock is a file lock beside the
database, which no database outage releases."""

from __future__ import annotations

import time

import sqlalchemy as sa

from tests.faults.data import exempt_file, register_file, rows_of, wait_until
from tests.faults.proxy import Proxy
from wki.core.jobs import registered_jobs
from wki.scheduler import SchedulerLock


def test_a_scheduler_that_lost_its_lock_stands_by_and_no_job_runs_twice(own):
    if own.kind == "sqlite":
        first, second = SchedulerLock(own.app), SchedulerLock(own.app)
        try:
            assert first.try_acquire() and first.still_held()
            assert not second.still_held()  # asks for the lock: the first one has it
            assert first.still_held()
        finally:
            first.release()
            second.release()
        return

    url = sa.make_url(own.url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    try:
        env = {"WKI_REGISTER_SYNC_SOURCE": str(register_file(own.tmp / "register.csv", 100)),
               "WKI_EXEMPT_SYNC_SOURCE": str(exempt_file(own.tmp / "vrijgestelden.csv", 10)),
               "WKI_SCHEDULER_STANDBY_SECONDS": "0.3"}
        through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        first = own.processes.start("scheduler", "run", TEST_DATABASE_URL=through_proxy, **env)
        first.wait_for("LOCKED")
        names = {job.name for job in registered_jobs(own.app)}

        def caught_up() -> bool:
            done = rows_of(own.url, "SELECT DISTINCT job_name FROM job_run WHERE outcome <> 'bezig'")
            return {name for (name,) in done} == names

        wait_until(caught_up, what="the first scheduler's catch-up")
        second = own.processes.start("scheduler", "run", **env)
        time.sleep(1.5)
        assert "LOCKED" not in second.seen and second.lines.empty()

        proxy.drop()  # the first one's connections break: the server releases its advisory lock
        second.wait_for("LOCKED")
        proxy.restore()
        wait_until(lambda: "lost its lock" in first.log.read_text(errors="replace"), what="the first to stand by")
        assert first.running()

        second.kill()
        first.wait_for("LOCKED")  # it takes over again
        time.sleep(1)
        runs = rows_of(own.url, "SELECT job_name, outcome FROM job_run ORDER BY id")
        assert sorted(n for n, _o in runs) == sorted(names), runs  # each job once, by one scheduler at a time
    finally:
        proxy.close()
