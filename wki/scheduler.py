"""The job registry and the ``flask scheduler run`` process.

Every scheduled job is listed in ``JOBS`` below, with the module that owns it. The scheduler runs in
its own process, never inside web workers (each forked worker would start its own scheduler and run
every job twice). Only one scheduler is active at a time: it holds a lock (a PostgreSQL advisory lock,
or a file lock beside the SQLite database); a second one stands by until the lock is free.

A job can also be run now, from Beheer → Taken: the page queues a work item of kind ``jobs.run`` and the
worker runs the job through ``run_job``, the function behind the schedule and ``flask scheduler run-job``
too, so the run is recorded in ``job_run`` like any other. That kind is registered here and not in core:
core imports no feature, and the registry of jobs (with each job's feature) is assembled in this module.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Flask

log = logging.getLogger("wki.scheduler")

ADVISORY_LOCK_KEY = 0x776B6901  # "wki" + 1


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    func: Callable[[], dict[str, Any] | None]
    trigger: str  # "cron" or "interval"
    trigger_args: dict[str, Any] = field(default_factory=dict)
    max_age_hours: int = 48
    # Trigger arguments read from the app's configuration at start (argument -> config key); they
    # override ``trigger_args``, which hold the defaults.
    config_trigger_args: dict[str, str] = field(default_factory=dict)
    # What running the job changes (Dutch), asked to be confirmed before an administrator runs it now
    # (Beheer → Taken); None for jobs that only recompute what the schedule recomputes anyway.
    confirmation: str | None = None
    # The job's status when its own runs are not the whole story (a sync's list is also imported by hand,
    # or approved from quarantine): a dict like ``register.services.sync_freshness``'s. Everything that shows
    # or acts on freshness (Beheer, the dashboard, ``flask scheduler list``, missed runs) reads it through
    # ``core.jobs.job_freshness``.
    freshness: Callable[[], dict[str, Any]] | None = None

    def schedule(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The trigger arguments with the configured values filled in."""
        args = dict(self.trigger_args)
        for name, key in self.config_trigger_args.items():
            if config.get(key) is not None:
                args[name] = config[key]
        return args


def _housekeeping() -> dict[str, Any]:
    from wki.core.housekeeping import run_housekeeping

    return run_housekeeping()


def _register_sync() -> dict[str, Any]:
    from wki.register.models import SnapshotKind
    from wki.register.sync import scheduled_sync

    return scheduled_sync(SnapshotKind.REGISTER)


def _exempt_sync() -> dict[str, Any]:
    from wki.register.models import SnapshotKind
    from wki.register.sync import scheduled_sync

    return scheduled_sync(SnapshotKind.EXEMPT)


def _signals_rematch() -> dict[str, Any]:
    from wki.signals.rematch import rematch_stale

    return rematch_stale(actor_email="job:signals-rematch")


def _signals_regroup() -> dict[str, Any]:
    from wki.signals.regrouping import regroup_suspects

    return {"mogelijke_overtreders": regroup_suspects()}


def _sync_freshness(kind: str) -> Callable[[], dict[str, Any]]:
    def freshness() -> dict[str, Any]:
        from wki.register.services import sync_freshness

        return sync_freshness(kind)

    return freshness


JOBS: list[Job] = [
    # wki/core/housekeeping.py: retention of short-lived security records.
    Job("housekeeping", "Opschonen (mislukte aanmeldingen, verlopen gegevens)", _housekeeping,
        "cron", {"hour": 3, "minute": 15}, max_age_hours=48,
        confirmation="Mislukte aanmeldingen en bijlagen die bij geen signaal horen, worden definitief verwijderd."),
    # wki/register/sync.py: fetch the register and the exempt list from their configured sources. A run
    # that fails or is refused fails the job; a quarantined file does not (it waits for an administrator).
    Job("register-sync", "Register synchroniseren (Justis)", _register_sync,
        "cron", {"hour": 2, "minute": 30}, max_age_hours=48,
        config_trigger_args={"hour": "REGISTER_SYNC_HOUR", "minute": "REGISTER_SYNC_MINUTE"},
        freshness=_sync_freshness("register"),
        confirmation="Het register wordt bij de bron opgehaald en ingelezen: wat de bron nu zegt, wordt de stand "
                     "van het register (een bestand dat te veel zou verwijderen, gaat in quarantaine)."),
    Job("exempt-sync", "Lijst van vrijgestelden synchroniseren", _exempt_sync,
        "cron", {"hour": 2, "minute": 45}, max_age_hours=48,
        config_trigger_args={"hour": "EXEMPT_SYNC_HOUR", "minute": "EXEMPT_SYNC_MINUTE"},
        freshness=_sync_freshness("vrijgestelden"),
        confirmation="De lijst van vrijgestelden wordt bij de bron opgehaald en ingelezen: wat de bron nu zegt, "
                     "wordt de stand van de lijst (een bestand dat te veel zou verwijderen, gaat in quarantaine)."),
    # wki/signals/engine.py: when the mirror changed (a sync, an import, an approved quarantine), every
    # open signal is judged again and the suspects regrouped; people's decisions are never touched.
    Job("signals-rematch", "Signalen opnieuw beoordelen na een registerwijziging", _signals_rematch,
        "interval", {"minutes": 10}, max_age_hours=2,
        config_trigger_args={"minutes": "SIGNAL_REMATCH_MINUTES"}),
    # A signal from the form or the API joins its suspect at once by a shortcut (engine.attach_signal);
    # the whole grouping is recomputed every night, so any difference does not outlive the day.
    Job("signals-regroup", "Mogelijke overtreders opnieuw groeperen", _signals_regroup,
        "cron", {"hour": 3, "minute": 30}, max_age_hours=48),
]


def get_job(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)


def run_job(name: str, *, trigger: str = "handmatig", on_start: Callable[[int], None] | None = None,
            guard: Callable[[], None] | None = None):
    """Run one job in the current app context, recorded in ``job_run`` (``core.jobs.run_recorded``): the one
    way every job is run, by the schedule, by ``flask scheduler run-job`` and by the worker (``jobs.run``)."""
    from wki.core.jobs import run_recorded

    job = get_job(name)
    return run_recorded(job.name, job.func, trigger=trigger, on_start=on_start, guard=guard)


def run_job_now(app: Flask, name: str, *, trigger: str = "handmatig"):
    """Run one job in its own app context, recorded like a scheduled run."""
    get_job(name)
    with app.app_context():
        return run_job(name, trigger=trigger)


# --- "Nu uitvoeren": a job run by the worker (wki/core/worker.py) ------------------------------------------

RUN_WORK = "jobs.run"


def queue_run(name: str, *, actor_email: str | None):
    """Queue a run of job ``name`` for the worker; returns (work item, created). One at a time per job: while
    one waits or runs, asking again (a double click, a second administrator) returns that one."""
    from wki.core import worker

    job = get_job(name)
    return worker.enqueue(RUN_WORK, payload={"job": job.name, "titel": job.title},
                          key=worker.idempotency_key(RUN_WORK, job.name), actor_email=actor_email)


def run_job_work(ctx: Any) -> dict[str, Any]:
    """The worker's handler of ``jobs.run``: the job through ``run_job``, recorded as a manual run (as
    ``flask scheduler run-job`` records it), with the run's id on the item.

    The run's id is committed with the run row (``on_start``), so a worker that takes the item over after a
    crash knows it: a run that had finished is not done again; one that was cut off (its work rolled back)
    is marked 'afgebroken' and the job runs once more.
    """
    from wki.core import jobs
    from wki.core.worker import WorkRefused

    name = ctx.payload.get("job", "")
    try:
        get_job(name)
    except KeyError:
        raise WorkRefused(f"Onbekende taak: {name}.") from None
    previous = ctx.result.get("job_run_id")
    run = jobs.get_run(previous) if previous else None
    if run is not None and run.outcome == "bezig":
        jobs.mark_run_interrupted(run.id)
        run = None
    if run is None:
        ctx.progress(0, 1, "Taak uitvoeren")
        run = run_job(name, trigger="handmatig", on_start=lambda run_id: ctx.checkpoint(job_run_id=run_id),
                      guard=ctx.touch)
        ctx.progress(1, 1, None)  # run_recorded committed: this touch begins the item's final transaction
    outcome = {"job_run_id": run.id, "uitkomst": run.outcome, **(run.counts or {})}
    if run.outcome != "geslaagd":
        raise WorkRefused(f"De taak is {jobs.OUTCOME_LABELS.get(run.outcome, run.outcome).lower()}; de foutmelding "
                          f"staat bij run {run.id}.", result=outcome)
    return outcome


def register_work() -> None:
    """The kind of work "Nu uitvoeren" queues (called at app setup)."""
    from wki.core.worker import register_kind

    register_kind(RUN_WORK, "Taak nu uitvoeren", run_job_work, key_while_active=True)


class SchedulerLock:
    """Held for as long as this scheduler is the active one."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._conn: Any = None
        self._file: Any = None

    def try_acquire(self) -> bool:
        from wki.extensions import db

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
    for job in JOBS:
        scheduler.add_job(
            run_job_now, job.trigger, args=[app, job.name], kwargs={"trigger": "schema"}, id=job.name,
            name=job.title, max_instances=1, coalesce=True, misfire_grace_time=3600, **job.schedule(app.config),
        )
    return scheduler


def run_scheduler(app: Flask, *, standby_poll_seconds: int = 30, run_missed: bool = True) -> None:
    """Block forever: wait for the lock, then run the schedule."""
    from wki.core.jobs import job_freshness, mark_interrupted_runs

    lock = SchedulerLock(app)
    announced = False
    while not lock.try_acquire():
        if not announced:
            log.info("another scheduler is active; standing by")
            announced = True
        time.sleep(standby_poll_seconds)
    try:
        with app.app_context():
            interrupted = mark_interrupted_runs()
            if interrupted:
                log.warning("marked %s interrupted job runs", interrupted)
            stale = [j["name"] for j in job_freshness(own_runs_only=True) if j["stale"]] if run_missed else []
        # A job that has not succeeded within its allowed age (new install, machine was off) runs now.
        for name in stale:
            run_job_now(app, name, trigger="schema")
        scheduler = build_scheduler(app)
        log.info("scheduler started with %s jobs", len(JOBS))
        scheduler.start()
    finally:
        lock.release()
