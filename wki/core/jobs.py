"""Jobs: what a scheduled job is, the registry the features add their jobs to, and recorded runs.

Each feature declares its jobs in its own ``jobs.py`` and lists them in its ``Feature`` (wki/core/features.py);
``registered_jobs()`` is what the installed features brought. Every scheduled or manual run leaves a row in
``job_run`` (job, start, end, outcome, counts, error). A job runs by the schedule (``flask scheduler run``,
wki/scheduler.py), by ``flask scheduler run-job`` and by "Nu uitvoeren" (Beheer → Taken: a work item of kind
``jobs.run`` the worker runs), always through ``run_job``.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Mapped, mapped_column

from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.db import Base, rows_affected
from wki.core.errors import database_unreachable
from wki.core.extensions import db
from wki.core.features import Job, registry
from wki.core.service import service
from wki.core.status import LabelledEnum, Style, check_constraint, enum_column_type


def registered_jobs(app: Flask | None = None) -> list[Job]:
    """The jobs of the installed features, in the order they were installed."""
    return list(registry(app).jobs)


def get_job(name: str, app: Flask | None = None) -> Job:
    for job in registered_jobs(app):
        if job.name == name:
            return job
    raise KeyError(name)


class JobOutcome(LabelledEnum):
    SUCCEEDED = "geslaagd", "Geslaagd", Style.OK
    FAILED = "mislukt", "Mislukt", Style.ERROR
    INTERRUPTED = "afgebroken", "Afgebroken", Style.WARNING
    RUNNING = "bezig", "Bezig", Style.INFO


class JobTrigger(LabelledEnum):
    SCHEDULE = "schema", "Volgens schema"
    MANUAL = "handmatig", "Handmatig"


class JobRun(Base):
    __tablename__ = "job_run"
    __table_args__ = (check_constraint("outcome", JobOutcome), check_constraint("trigger", JobTrigger))

    id: Mapped[int] = mapped_column(primary_key=True)
    job_name: Mapped[str] = mapped_column(sa.String(80), index=True)
    trigger: Mapped[JobTrigger] = mapped_column(enum_column_type(JobTrigger), default=JobTrigger.SCHEDULE)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    outcome: Mapped[JobOutcome] = mapped_column(enum_column_type(JobOutcome), default=JobOutcome.RUNNING, index=True)
    counts: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()




def run_recorded(name: str, func: Callable[[], dict[str, Any] | None], *, trigger: str = JobTrigger.SCHEDULE,
                 on_start: Callable[[int], None] | None = None, guard: Callable[[], None] | None = None) -> JobRun:
    """Run ``func`` as one transaction, recorded in ``job_run``.

    The run row is committed first (so a long run is visible while it runs), the job's own work is
    committed once at the end, and a failure rolls the work back and records the error instead.

    The returned run is detached with its final values loaded, so it stays readable after the
    session ends (``run_job_now`` runs the job in an app context of its own and returns from it).

    For a run done by the worker (``jobs.run``, wki/scheduler.py): ``on_start(run_id)`` is called in the
    transaction that stores the run row (the worker records the run on its item there), and ``guard()``
    at the start of the job's transaction and of the failure's (the worker's heartbeat and claim check).
    """
    if trigger == JobTrigger.SCHEDULE:
        _close_unrecorded_runs(name)
    run = JobRun(job_name=name, trigger=trigger, started_at=utcnow(), outcome=JobOutcome.RUNNING)
    db.session.add(run)
    db.session.flush()
    run_id, started_at = run.id, run.started_at
    if on_start is not None:
        on_start(run_id)
    db.session.commit()
    try:
        if guard is not None:
            guard()
        counts = func() or {}
        run = _run_row(run_id)
        run.outcome = JobOutcome.SUCCEEDED
        run.counts = counts
        run.finished_at = utcnow()
        _commit_detached(run)
        current_app.logger.info("job finished", extra={"job": name, "counts": counts, "run_id": run_id})
    except Exception as exc:  # noqa: BLE001 - a job's failure is recorded, never lost
        db.session.rollback()
        error = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=20)}"[:20000]
        current_app.logger.exception("job failed", extra={"job": name, "run_id": run_id})
        try:
            if guard is not None:
                guard()  # a worker that lost its item records nothing: the item's new owner decides
            run = _run_row(run_id)
            run.outcome = JobOutcome.FAILED
            run.finished_at = utcnow()
            run.error = error
            _commit_detached(run)
        except sa.exc.SQLAlchemyError as unrecorded:
            if not database_unreachable(unrecorded):
                raise
            # The database went away with the job: nothing of the job was committed, and its run row still
            # says 'bezig' until the job's next scheduled run (or the next scheduler) marks it 'afgebroken'.
            db.session.rollback()
            current_app.logger.error("job failed and its outcome could not be recorded: the database is unreachable",
                                     extra={"job": name, "run_id": run_id})
            run = JobRun(id=run_id, job_name=name, trigger=trigger, started_at=started_at,
                         outcome=JobOutcome.FAILED, finished_at=utcnow(), error=error)
    return run


def _close_unrecorded_runs(name: str) -> None:
    """Scheduled runs of job ``name`` still 'bezig' when its next scheduled run begins ended without their
    outcome being recorded (the database was gone when they failed): only the one active scheduler runs
    scheduled jobs, one run of a job at a time, so none of them is still running."""
    db.session.execute(
        sa.update(JobRun).where(JobRun.job_name == name, JobRun.outcome == JobOutcome.RUNNING,
                                JobRun.trigger == JobTrigger.SCHEDULE)
        .values(outcome=JobOutcome.INTERRUPTED, finished_at=utcnow(),
                error="De uitkomst kon niet worden vastgelegd (de database was niet bereikbaar); er is niets "
                      "van deze run bewaard.")
    )


def _run_row(run_id: int) -> JobRun:
    run = db.session.get(JobRun, run_id)
    assert run is not None  # committed by run_recorded before the job began; runs are never deleted
    return run


def _commit_detached(run: JobRun) -> None:
    # Committing expires every loaded attribute; a detached object could then never load them again.
    db.session.flush()
    db.session.expunge(run)
    db.session.commit()


MANUAL_RUN_PRESUMED_DEAD = timedelta(hours=24)


def mark_interrupted_runs() -> int:
    """Runs still 'bezig' when a scheduler starts were cut off by a crash or kill: say so.

    Scheduled runs belong to the one active scheduler, so any left over are dead. A manual run
    (``flask scheduler run-job``) may be running right now in another process; it is only presumed
    dead once it has been 'bezig' for longer than ``MANUAL_RUN_PRESUMED_DEAD``.
    """
    stale_manual = sa.and_(JobRun.trigger != JobTrigger.SCHEDULE, JobRun.started_at < utcnow() - MANUAL_RUN_PRESUMED_DEAD)
    stmt = (
        sa.update(JobRun).where(JobRun.outcome == JobOutcome.RUNNING, sa.or_(JobRun.trigger == JobTrigger.SCHEDULE, stale_manual))
        .values(outcome=JobOutcome.INTERRUPTED, finished_at=utcnow(), error="Het proces stopte voordat de taak klaar was.")
    )
    count = rows_affected(db.session.execute(stmt))
    db.session.commit()
    return count


def mark_run_interrupted(run_id: int) -> None:
    """One run cut off by the death of its process: a worker's, found by the worker that takes its item over
    (the run's work was never committed; its row still says 'bezig')."""
    db.session.execute(
        sa.update(JobRun).where(JobRun.id == run_id, JobRun.outcome == JobOutcome.RUNNING)
        .values(outcome=JobOutcome.INTERRUPTED, finished_at=utcnow(), error="Het proces stopte voordat de taak klaar was.")
    )


def list_runs(*, job_name: str | None = None, outcome: str | None = None, page: int = 1, per_page: int = 50) -> Any:
    stmt = sa.select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc())
    if job_name:
        stmt = stmt.where(JobRun.job_name == job_name)
    if outcome:
        stmt = stmt.where(JobRun.outcome == outcome)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def get_run(run_id: int) -> JobRun | None:
    return db.session.get(JobRun, run_id)


def last_success_by_job() -> dict[str, datetime]:
    stmt = (
        sa.select(JobRun.job_name, sa.func.max(JobRun.finished_at))
        .where(JobRun.outcome == JobOutcome.SUCCEEDED).group_by(JobRun.job_name)
    )
    return {name: when for name, when in db.session.execute(stmt) if when is not None}


def purge_old_runs() -> int:
    """Housekeeping: job runs older than ``JOB_RUN_KEEP_DAYS`` go (a job every two minutes writes 720 a day),
    except each job's newest success, which its freshness (the dashboard, ``/healthz``, the scheduler's
    catch-up) is read from, and runs still going. Job runs are operations records; the audit trail keeps who
    ran a job by hand."""
    cutoff = utcnow() - timedelta(days=int(current_app.config["JOB_RUN_KEEP_DAYS"]))
    newest_success = (sa.select(sa.func.max(JobRun.id)).where(JobRun.outcome == JobOutcome.SUCCEEDED)
                      .group_by(JobRun.job_name))
    return rows_affected(db.session.execute(sa.delete(JobRun).where(
        JobRun.started_at < cutoff, JobRun.outcome != JobOutcome.RUNNING, JobRun.id.not_in(newest_success))))


def count_recent_failures(*, hours: int = 24) -> int:
    since = utcnow() - timedelta(hours=hours)
    stmt = sa.select(sa.func.count()).select_from(JobRun).where(
        JobRun.outcome.in_([JobOutcome.FAILED, JobOutcome.INTERRUPTED]), JobRun.started_at >= since
    )
    return db.session.scalar(stmt) or 0


def job_freshness(*, own_runs_only: bool = False) -> list[dict[str, Any]]:
    """For each registered job: last success, its age, and whether that is older than allowed. A job with a
    status of its own (``Job.freshness``: a sync) shows that, unless ``own_runs_only`` (the scheduler's
    catch-up of missed runs asks whether the job itself ran, not whether its list is fresh)."""
    last = last_success_by_job()
    now = utcnow()
    result = []
    for job in registered_jobs():
        own = job.freshness() if job.freshness is not None and not own_runs_only else None
        if own is not None:  # (a sync: its list imported by hand or approved from quarantine counts too)
            result.append({"name": job.name, "title": job.title, "last_success": own["last_success"],
                           "age_seconds": own["age_seconds"], "max_age_hours": own["max_age_hours"],
                           "stale": own["stale"]})
            continue
        when = last.get(job.name)
        max_age_h = current_app.config["JOB_MAX_AGE_HOURS"].get(job.name, job.max_age_hours)
        age = (now - when).total_seconds() if when else None
        result.append({
            "name": job.name, "title": job.title, "last_success": when, "age_seconds": age,
            "max_age_hours": max_age_h, "stale": age is None or age > max_age_h * 3600,
        })
    return result


def run_job(name: str, *, trigger: str = "handmatig", on_start: Callable[[int], None] | None = None,
            guard: Callable[[], None] | None = None) -> JobRun:
    """Run one job in the current app context, recorded in ``job_run`` (``run_recorded``): the one way every job
    is run, by the schedule, by ``flask scheduler run-job`` and by the worker (``jobs.run``)."""
    job = get_job(name)
    return run_recorded(job.name, job.func, trigger=trigger, on_start=on_start, guard=guard)


# app.extensions key: the active scheduler's check that it still holds its lock (set by wki/scheduler.py).
SCHEDULER_GUARD = "wki.scheduler_guard"


def run_job_now(app: Flask, name: str, *, trigger: str = "handmatig") -> JobRun | None:
    """Run one job in its own app context, recorded like a scheduled run. A scheduled run is first checked
    with the scheduler (wki/scheduler.py: is it still the active one?); None: not run."""
    get_job(name, app)
    guard = app.extensions.get(SCHEDULER_GUARD)
    if trigger == JobTrigger.SCHEDULE and guard is not None and not guard():
        logging.getLogger("wki.scheduler").error("scheduled run of %s skipped: this scheduler is no longer the "
                                                 "active one", name)
        return None
    with app.app_context():
        return run_job(name, trigger=trigger)


# --- "Nu uitvoeren": a job run by the worker (wki/core/worker.py) ------------------------------------------

RUN_WORK = "jobs.run"


@service
def queue_run(name: str, *, actor: Actor) -> tuple[Any, bool]:
    """Queue a run of job ``name`` for the worker; returns (work item, created). One at a time per job: while
    one waits or runs, asking again (a double click, a second administrator) returns that one."""
    from wki.core import worker

    job = get_job(name)
    return worker.enqueue(RUN_WORK, payload={"job": job.name, "titel": job.title},
                          key=worker.idempotency_key(RUN_WORK, job.name), actor=actor)


def run_job_work(ctx: Any) -> dict[str, Any]:
    """The worker's handler of ``jobs.run``: the job through ``run_job``, recorded as a manual run (as
    ``flask scheduler run-job`` records it), with the run's id on the item.

    The run's id is committed with the run row (``on_start``), so a worker that takes the item over after a
    crash knows it: a run that had finished is not done again; one that was cut off (its work rolled back)
    is marked 'afgebroken' and the job runs once more.
    """
    from wki.core.worker import WorkRefused

    name = ctx.payload.get("job", "")
    try:
        get_job(name)
    except KeyError:
        raise WorkRefused(f"Onbekende taak: {name}.") from None
    previous = ctx.result.get("job_run_id")
    run = get_run(previous) if previous else None
    if run is not None and run.outcome == "bezig":
        mark_run_interrupted(run.id)
        run = None
    if run is None:
        ctx.progress(0, 1, "Taak uitvoeren")
        run = run_job(name, trigger="handmatig", on_start=lambda run_id: ctx.checkpoint(job_run_id=run_id),
                      guard=ctx.touch)
        ctx.progress(1, 1, None)  # run_recorded committed: this touch begins the item's final transaction
    outcome = {"job_run_id": run.id, "uitkomst": run.outcome, **(run.counts or {})}
    if run.outcome != "geslaagd":
        raise WorkRefused(f"De taak is {JobOutcome.label_of(run.outcome).lower()}; de foutmelding "
                          f"staat bij run {run.id}.", result=outcome)
    return outcome


def register_work(app: Flask) -> None:
    """The kind of work "Nu uitvoeren" queues (installed with core, wki/core/setup.py)."""
    from wki.core.worker import register_kind

    register_kind(RUN_WORK, "Taak nu uitvoeren", run_job_work, key_while_active=True)
