"""The ``flask scheduler run`` process: runs the jobs the installed features registered (wki/core/jobs.py).

The scheduler runs in its own process, never inside web workers (each forked worker would start its own
scheduler and run every job twice). Only one scheduler is active at a time: it holds a lock (a PostgreSQL
advisory lock, or a file lock beside the SQLite database); a second one stands by until the lock is free.
Nothing but the command line (wki/cli.py) imports this module.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from typing import Any

import sqlalchemy as sa
from flask import Flask

from wki.core.jobs import SCHEDULER_GUARD, job_freshness, mark_interrupted_runs, registered_jobs, run_job_now

log = logging.getLogger("wki.scheduler")

ADVISORY_LOCK_KEY = 0x776B6901  # "wki" + 1


class SchedulerLock:
    """Held for as long as this scheduler is the active one."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._conn: Any = None
        self._file: Any = None

    def try_acquire(self) -> bool:
        from wki.core.extensions import db

        with self.app.app_context():
            engine = db.engine
            if engine.dialect.name == "postgresql":
                conn = engine.connect()
                got = conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar()
                conn.commit()
                if got:
                    self._conn = conn
                    return True
                conn.close()
                return False
        path = self.app.config["SCHEDULER_LOCK_PATH"]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 - held open for the process's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def still_held(self) -> bool:
        """Whether this scheduler still holds the lock. The advisory lock lives in one database session: if
        its connection broke (the server restarted, the network dropped), the server released it, and
        another scheduler may have taken it. Then try to take it again at once; False: another has it now."""
        if self._file is not None:
            return True
        if self._conn is not None:
            try:
                held = self._conn.execute(sa.text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :k AND granted "
                    "AND pid = pg_backend_pid()"), {"k": ADVISORY_LOCK_KEY}).scalar()
                self._conn.commit()
                if held:
                    return True
            except sa.exc.DBAPIError:
                pass
            conn, self._conn = self._conn, None
            with contextlib.suppress(Exception):
                conn.invalidate()
                conn.close()
        try:
            return self.try_acquire()
        except sa.exc.DBAPIError:  # the database is still gone: not ours to act on
            return False

    def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            # An advisory lock belongs to the database session, and close() only returns the connection
            # to the pool, session and lock alive: unlock explicitly. If that fails, the connection is
            # broken and its session (with the lock) gone; make sure it never goes back to the pool.
            try:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
                conn.commit()
            except sa.exc.DBAPIError:
                conn.invalidate()
            finally:
                conn.close()
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def build_scheduler(app: Flask) -> Any:
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(timezone=app.config["TIMEZONE"])
    for job in registered_jobs(app):
        scheduler.add_job(
            run_job_now, job.trigger, args=[app, job.name], kwargs={"trigger": "schema"}, id=job.name,
            name=job.title, max_instances=1, coalesce=True, misfire_grace_time=3600, **job.schedule(app.config),
        )
    return scheduler


def run_scheduler(app: Flask, *, standby_poll_seconds: float | None = None, run_missed: bool = True) -> None:
    """Block forever: wait for the lock, then run the schedule. A scheduler standing by asks for the lock
    every ``standby_poll_seconds`` (``SCHEDULER_STANDBY_SECONDS``, 30 by default): how long the jobs may
    wait when the active scheduler dies.

    The active scheduler checks that it still holds the lock before every scheduled run and every
    ``standby_poll_seconds`` in between; if it lost it (PostgreSQL: its connection broke, and another
    scheduler took the lock), it stops running jobs and stands by again: never two active at once."""
    if standby_poll_seconds is None:
        standby_poll_seconds = float(app.config.get("SCHEDULER_STANDBY_SECONDS", 30))
    while True:
        lock = SchedulerLock(app)
        announced = False
        while not _try_acquire(lock):
            if not announced:
                log.info("another scheduler is active; standing by")
                announced = True
            time.sleep(standby_poll_seconds)
        try:
            if not _serve(app, lock, standby_poll_seconds, run_missed):
                return
        except sa.exc.DBAPIError as exc:  # the database went away outside a job: stand by until it returns
            log.error("the database is unreachable (%s); this scheduler stands by", type(exc).__name__)


def _try_acquire(lock: SchedulerLock) -> bool:
    """The lock, or False while another scheduler holds it or the database cannot be reached."""
    try:
        return lock.try_acquire()
    except sa.exc.DBAPIError as exc:
        log.warning("the scheduler lock cannot be asked for: the database is unreachable (%s)", type(exc).__name__)
        return False


def _serve(app: Flask, lock: SchedulerLock, check_seconds: float, run_missed: bool) -> bool:
    """Be the active scheduler while ``lock`` is held: catch up, then run the schedule. Returns True when the
    lock was lost (stand by again), False when the schedule stopped otherwise."""
    lost = threading.Event()
    stop_watch = threading.Event()
    scheduler = build_scheduler(app)

    checking = threading.Lock()  # the lock's connection serves one thread at a time (the watch, a job's)

    def guard() -> bool:
        with checking:
            return _check()

    def _check() -> bool:
        if not lost.is_set() and lock.still_held():
            return True
        if not lost.is_set():
            log.error("this scheduler lost its lock (its database connection broke) and another took it; "
                      "it stops running jobs and stands by")
            lost.set()
            with contextlib.suppress(Exception):  # not started yet (the catch-up), or stopping already
                scheduler.shutdown(wait=False)
        return False

    def watch() -> None:
        while not stop_watch.wait(check_seconds) and guard():
            pass

    app.extensions[SCHEDULER_GUARD] = guard
    try:
        threading.Thread(target=watch, name="scheduler-lock-watch", daemon=True).start()
        with app.app_context():
            interrupted = mark_interrupted_runs()
            if interrupted:
                log.warning("marked %s interrupted job runs", interrupted)
            stale = [j["name"] for j in job_freshness(own_runs_only=True) if j["stale"]] if run_missed else []
        # A job that has not succeeded within its allowed age (new install, machine was off) runs now.
        for name in stale:
            if lost.is_set():
                break
            run_job_now(app, name, trigger="schema")
        if not lost.is_set():
            log.info("scheduler started with %s jobs", len(registered_jobs(app)))
            scheduler.start()
    finally:
        stop_watch.set()
        app.extensions.pop(SCHEDULER_GUARD, None)
        lock.release()
    return lost.is_set()
