"""The job registry, the single-scheduler lock, the scheduler process and ``flask scheduler``."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from wki import scheduler as scheduler_module
from wki.core.clock import AMSTERDAM, utcnow
from wki.core.extensions import db
from wki.core.features import Job, registry
from wki.core.formatting import fmt_datetime
from wki.core.jobs import JobRun, get_job, registered_jobs
from wki.scheduler import SchedulerLock, build_scheduler


def _runs(**where) -> list[JobRun]:
    return list(db.session.scalars(sa.select(JobRun).filter_by(**where).order_by(JobRun.id)))


class TestRegistry:
    def test_job_names_are_unique_and_described(self, db_session):
        names = [j.name for j in registered_jobs()]
        assert len(names) == len(set(names))
        for job in registered_jobs():
            assert job.title and callable(job.func)
            assert job.trigger in {"cron", "interval"}
            assert job.max_age_hours > 0

    def test_configured_maximum_ages_name_registered_jobs(self, app):
        assert set(app.config["JOB_MAX_AGE_HOURS"]) <= {j.name for j in registered_jobs(app)}

    def test_get_job(self, db_session):
        assert get_job("housekeeping").name == "housekeeping"
        with pytest.raises(KeyError):
            get_job("bestaat-niet")


class TestBuildScheduler:
    def test_registers_every_job_in_the_registry(self, app):
        scheduler = build_scheduler(app)
        registered = {job.id: job for job in scheduler.get_jobs()}
        assert list(registered) == [j.name for j in registered_jobs(app)]
        for spec in registered_jobs(app):
            job = registered[spec.name]
            assert job.name == spec.title
            assert job.func is scheduler_module.run_job_now
            assert job.args == (app, spec.name)
            assert job.kwargs == {"trigger": "schema"}
            assert job.max_instances == 1
            assert job.coalesce is True
            assert job.misfire_grace_time == 3600

    def test_housekeeping_runs_at_a_quarter_past_three_dutch_time(self, app):
        [job] = [j for j in build_scheduler(app).get_jobs() if j.id == "housekeeping"]
        # The night summer time begins (29 March 2026): 03:15 exists in CEST and is 01:15 UTC.
        after = datetime(2026, 3, 28, 12, 0, tzinfo=AMSTERDAM)
        fire = job.trigger.get_next_fire_time(None, after)
        assert fire.astimezone(AMSTERDAM).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 15)
        assert fire.utcoffset() == timedelta(hours=2)

    def test_the_syncs_run_at_half_past_two_and_a_quarter_to_three_dutch_time(self, app):
        jobs = {j.id: j for j in build_scheduler(app).get_jobs()}
        after = datetime(2026, 1, 10, 12, 0, tzinfo=AMSTERDAM)
        for name, expected in (("register-sync", datetime(2026, 1, 11, 2, 30)),
                               ("exempt-sync", datetime(2026, 1, 11, 2, 45))):
            fire = jobs[name].trigger.get_next_fire_time(None, after)
            assert fire.astimezone(AMSTERDAM).replace(tzinfo=None) == expected
            assert fire.utcoffset() == timedelta(hours=1)

    def test_the_sync_time_comes_from_the_configuration(self, app, monkeypatch):
        monkeypatch.setitem(app.config, "REGISTER_SYNC_HOUR", 5)
        monkeypatch.setitem(app.config, "REGISTER_SYNC_MINUTE", 5)
        [job] = [j for j in build_scheduler(app).get_jobs() if j.id == "register-sync"]
        fire = job.trigger.get_next_fire_time(None, datetime(2026, 1, 10, 12, 0, tzinfo=AMSTERDAM))
        assert fire.astimezone(AMSTERDAM).replace(tzinfo=None) == datetime(2026, 1, 11, 5, 5)
        assert get_job("register-sync", app).schedule(app.config) == {"hour": 5, "minute": 5}
        assert get_job("housekeeping", app).schedule(app.config) == {"hour": 3, "minute": 15}


class TestSchedulerLock:
    """Only one scheduler is active: a file lock beside SQLite, an advisory lock in PostgreSQL."""

    def _advisory_locks(self, app) -> int:
        with app.app_context(), db.engine.connect() as conn:
            return conn.execute(sa.text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :k "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ), {"k": scheduler_module.ADVISORY_LOCK_KEY}).scalar()

    def test_second_lock_waits_until_the_first_is_released(self, app):
        first, second = SchedulerLock(app), SchedulerLock(app)
        try:
            assert first.try_acquire()
            assert not second.try_acquire()
            assert not second.try_acquire()  # asking again changes nothing
            first.release()
            assert second.try_acquire()
            assert not first.try_acquire()
        finally:
            first.release()
            second.release()

    def test_release_frees_the_lock_for_good(self, app):
        lock = SchedulerLock(app)
        assert lock.try_acquire()
        lock.release()
        lock.release()  # twice is harmless
        again = SchedulerLock(app)
        assert again.try_acquire()
        again.release()

    def test_uses_the_right_kind_of_lock(self, app, tmp_path):
        lock = SchedulerLock(app)
        with app.app_context():
            dialect = db.engine.dialect.name
        try:
            assert lock.try_acquire()
            if dialect == "postgresql":
                assert lock._conn is not None and lock._file is None
                assert self._advisory_locks(app) == 1
            else:
                assert lock._file is not None and lock._conn is None
                assert lock._file.name == app.config["SCHEDULER_LOCK_PATH"]
        finally:
            lock.release()
        if dialect == "postgresql":
            # Closing only returns the connection to the pool, where a session-level lock would live on.
            assert self._advisory_locks(app) == 0


class FakeLock:
    def __init__(self, app, answers=(True,)):
        self.answers = list(answers)
        self.released = False

    def try_acquire(self) -> bool:
        return self.answers.pop(0)

    def still_held(self) -> bool:
        return True

    def release(self) -> None:
        self.released = True


class FakeScheduler:
    started = False

    def start(self) -> None:
        FakeScheduler.started = True

    def shutdown(self, wait: bool = True) -> None:
        FakeScheduler.started = False


class TestRunScheduler:
    @pytest.fixture
    def fakes(self, monkeypatch):
        locks: list[FakeLock] = []
        answers: list[bool] = [True]

        def make_lock(app):
            locks.append(FakeLock(app, answers))
            return locks[-1]

        FakeScheduler.started = False
        monkeypatch.setattr(scheduler_module, "SchedulerLock", make_lock)
        monkeypatch.setattr(scheduler_module, "build_scheduler", lambda app: FakeScheduler())
        sleeps: list[float] = []
        monkeypatch.setattr(scheduler_module.time, "sleep", sleeps.append)
        return {"locks": locks, "answers": answers, "sleeps": sleeps}

    def test_marks_interrupted_runs_catches_up_stale_jobs_and_starts(self, app, db_session, fakes, monkeypatch):
        monkeypatch.setitem(app.config, "REGISTER_SYNC_SOURCE", "")
        monkeypatch.setitem(app.config, "EXEMPT_SYNC_SOURCE", "")
        hanging = JobRun(job_name="housekeeping", trigger="schema", started_at=utcnow() - timedelta(hours=1))
        db_session.add(hanging)
        db_session.flush()

        scheduler_module.run_scheduler(app)
        db_session.expire_all()

        assert hanging.outcome == "afgebroken"
        caught_up = [r for r in _runs(job_name="housekeeping") if r.id != hanging.id]
        assert [(r.trigger, r.outcome) for r in caught_up] == [("schema", "geslaagd")]
        # The syncs never succeeded either; without a configured source they run and fail, visibly.
        assert [(r.job_name, r.outcome) for r in _runs() if r.job_name.endswith("-sync")] == [
            ("register-sync", "mislukt"), ("exempt-sync", "mislukt")]
        assert FakeScheduler.started
        assert fakes["locks"][0].released

    def test_fresh_jobs_are_not_run_again_at_start(self, app, db_session, fakes):
        for job in registered_jobs():
            db_session.add(JobRun(job_name=job.name, trigger="schema", outcome="geslaagd",
                                  started_at=utcnow() - timedelta(hours=1), finished_at=utcnow() - timedelta(hours=1)))
        db_session.flush()
        scheduler_module.run_scheduler(app)
        assert len(_runs()) == len(registered_jobs())

    def test_stands_by_while_another_scheduler_holds_the_lock(self, app, db_session, fakes):
        fakes["answers"][:] = [False, False, True]
        scheduler_module.run_scheduler(app, standby_poll_seconds=7, run_missed=False)
        assert fakes["sleeps"] == [7, 7]
        assert FakeScheduler.started
        assert _runs(job_name="housekeeping") == []  # run_missed=False


class TestSchedulerCli:
    def test_run_job_records_a_manual_run(self, cli, db_session):
        result = cli.invoke(args=["scheduler", "run-job", "housekeeping"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("housekeeping: geslaagd")
        [run] = _runs(job_name="housekeeping")
        assert run.trigger == "handmatig"
        assert run.outcome == "geslaagd"
        assert run.counts == {"oude_taakuitvoeringen_verwijderd": 0, "mislukte_aanmeldingen_verwijderd": 0,
                          "losse_bijlagen_verwijderd": 0,
                              "losse_documenten_verwijderd": 0, "los_bewijs_verwijderd": 0,
                              "losse_zaakbijlagen_verwijderd": 0}

    def test_unknown_job_gives_a_dutch_error(self, cli, db_session):
        result = cli.invoke(args=["scheduler", "run-job", "bestaat-niet"])
        assert result.exit_code != 0
        assert "Onbekende taak 'bestaat-niet'" in result.output
        assert _runs() == []

    def test_a_failing_job_exits_non_zero(self, cli, db_session, monkeypatch):
        def broken():
            raise RuntimeError("stuk")

        monkeypatch.setattr(registry(cli.app), "jobs", [Job("kapot", "Altijd mis", broken, "interval", {"hours": 1})])
        result = cli.invoke(args=["scheduler", "run-job", "kapot"])
        assert result.exit_code == 1
        assert "kapot: mislukt" in result.output
        [run] = _runs(job_name="kapot")
        assert "RuntimeError: stuk" in run.error

    def test_list_shows_jobs_and_their_last_success(self, cli, db_session):
        result = cli.invoke(args=["scheduler", "list"])
        assert result.exit_code == 0
        assert "housekeeping" in result.output
        assert "laatst geslaagd: nooit (te oud)" in result.output

        cli.invoke(args=["scheduler", "run-job", "housekeeping"])
        [run] = _runs(job_name="housekeeping")
        result = cli.invoke(args=["scheduler", "list"])
        assert f"laatst geslaagd: {fmt_datetime(run.finished_at)} (op tijd)" in result.output
