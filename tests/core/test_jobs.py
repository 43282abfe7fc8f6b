"""Recorded job runs, their freshness, and the housekeeping job."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from wki.auth.models import LoginFailure
from wki.core import jobs
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.core.housekeeping import run_housekeeping
from wki.core.jobs import JobRun


def _failure(age: timedelta, email: str = "iemand@inspectie.example.nl") -> LoginFailure:
    row = LoginFailure(email=email, ip_address="192.0.2.1", occurred_at=utcnow() - age)
    db.session.add(row)
    db.session.flush()
    return row


def _run(job_name: str, outcome: str, *, finished_ago: timedelta | None, started_ago: timedelta | None = None,
         trigger: str = "schema") -> JobRun:
    now = utcnow()
    started_ago = started_ago if started_ago is not None else (finished_ago or timedelta()) + timedelta(minutes=1)
    run = JobRun(job_name=job_name, trigger=trigger, outcome=outcome, started_at=now - started_ago,
                 finished_at=None if finished_ago is None else now - finished_ago)
    db.session.add(run)
    db.session.flush()
    return run


def _login_failure_count(email: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure).where(LoginFailure.email == email))


class TestRunRecorded:
    def test_success_records_counts_and_keeps_the_work(self, db_session):
        def job():
            _failure(timedelta(), email="werk@inspectie.example.nl")
            return {"gemaakt": 1}

        before = utcnow()
        run = jobs.run_recorded("proef", job, trigger="handmatig")
        db_session.expire_all()

        stored = db_session.get(JobRun, run.id)
        assert stored.job_name == "proef"
        assert stored.trigger == "handmatig"
        assert stored.outcome == "geslaagd"
        assert stored.counts == {"gemaakt": 1}
        assert stored.error is None
        assert before - timedelta(seconds=1) <= stored.started_at <= stored.finished_at
        assert stored.duration_seconds >= 0
        assert _login_failure_count("werk@inspectie.example.nl") == 1

    def test_a_job_returning_nothing_records_empty_counts(self, db_session):
        run = jobs.run_recorded("proef", lambda: None)
        assert run.outcome == "geslaagd"
        assert run.counts == {}

    def test_failure_records_the_error_and_rolls_back_the_jobs_writes(self, db_session, caplog):
        def job():
            _failure(timedelta(), email="halfweg@inspectie.example.nl")
            raise RuntimeError("de bron gaf geen antwoord")

        with caplog.at_level(logging.ERROR, logger="wki"):
            run = jobs.run_recorded("proef", job)
        run_id = run.id
        db_session.expire_all()

        stored = db_session.get(JobRun, run_id)
        assert stored.outcome == "mislukt"
        assert stored.finished_at is not None
        assert stored.error.startswith("RuntimeError: de bron gaf geen antwoord")
        assert "Traceback" in stored.error and "in job" in stored.error
        assert stored.counts is None
        assert _login_failure_count("halfweg@inspectie.example.nl") == 0
        assert any(r.getMessage() == "job failed" and r.exc_info for r in caplog.records)

    def test_failure_after_a_database_error_is_still_recorded(self, db_session):
        """A failed statement (PostgreSQL aborts the transaction) must not lose the run's record."""

        def job():
            db.session.execute(sa.text("SELECT * FROM tabel_die_niet_bestaat"))

        run = jobs.run_recorded("proef", job)
        assert run.outcome == "mislukt"
        assert "tabel_die_niet_bestaat" in run.error

    def test_the_run_is_visible_as_running_while_the_job_runs(self, db_session):
        seen = {}

        def job():
            seen["runs"] = [(r.job_name, r.outcome) for r in db.session.scalars(sa.select(JobRun))]
            return {}

        jobs.run_recorded("zichtbaar", job)
        assert ("zichtbaar", "bezig") in seen["runs"]

    def test_returned_run_can_be_read_after_its_session_ends(self, app, db_session):
        """The CLI prints the outcome after run_job_now's app context (and session) are gone."""
        from wki.core.jobs import run_job_now

        run = run_job_now(app, "housekeeping")
        assert run.outcome == "geslaagd"
        assert run.trigger == "handmatig"
        assert "mislukte_aanmeldingen_verwijderd" in run.counts


class TestInterruptedRuns:
    def test_running_runs_are_marked_interrupted(self, db_session):
        hanging = _run("proef", "bezig", finished_ago=None, started_ago=timedelta(hours=2))
        other = _run("housekeeping", "bezig", finished_ago=None, started_ago=timedelta(minutes=5))
        done = _run("proef", "geslaagd", finished_ago=timedelta(hours=1))

        assert jobs.mark_interrupted_runs() == 2
        db_session.expire_all()

        for run in (hanging, other):
            assert run.outcome == "afgebroken"
            assert run.finished_at is not None
            assert run.error == "Het proces stopte voordat de taak klaar was."
        assert done.outcome == "geslaagd"
        assert done.error is None

    def test_recent_manual_run_elsewhere_is_left_alone(self, db_session):
        """A `flask scheduler run-job` still running in another process is not marked; a day-old one is."""
        running = _run("housekeeping", "bezig", finished_ago=None, started_ago=timedelta(minutes=3),
                       trigger="handmatig")
        dead = _run("housekeeping", "bezig", finished_ago=None, started_ago=timedelta(hours=25),
                    trigger="handmatig")

        assert jobs.mark_interrupted_runs() == 1
        db_session.expire_all()
        assert running.outcome == "bezig"
        assert dead.outcome == "afgebroken"

    def test_nothing_to_mark(self, db_session):
        _run("proef", "mislukt", finished_ago=timedelta(hours=1))
        assert jobs.mark_interrupted_runs() == 0


class TestFreshness:
    def _housekeeping(self) -> dict:
        [entry] = [j for j in jobs.job_freshness() if j["name"] == "housekeeping"]
        return entry

    def test_every_registered_job_is_listed(self, db_session):

        assert [j["name"] for j in jobs.job_freshness()] == [j.name for j in jobs.registered_jobs()]

    def test_never_succeeded_is_stale(self, db_session):
        _run("housekeeping", "mislukt", finished_ago=timedelta(minutes=5))
        _run("housekeeping", "bezig", finished_ago=None)
        entry = self._housekeeping()
        assert entry["last_success"] is None
        assert entry["age_seconds"] is None
        assert entry["stale"] is True
        assert entry["title"]

    def test_recent_success_is_fresh(self, db_session):
        run = _run("housekeeping", "geslaagd", finished_ago=timedelta(hours=2))
        entry = self._housekeeping()
        assert entry["last_success"] == run.finished_at
        assert entry["age_seconds"] == pytest.approx(7200, abs=30)
        assert entry["max_age_hours"] == 48
        assert entry["stale"] is False

    def test_success_older_than_the_maximum_age_is_stale(self, db_session):
        _run("housekeeping", "geslaagd", finished_ago=timedelta(hours=49))
        _run("housekeeping", "mislukt", finished_ago=timedelta(hours=1))  # a later failure does not help
        assert self._housekeeping()["stale"] is True

    def test_the_latest_success_counts(self, db_session):
        _run("housekeeping", "geslaagd", finished_ago=timedelta(hours=100))
        recent = _run("housekeeping", "geslaagd", finished_ago=timedelta(hours=1))
        _run("proef", "geslaagd", finished_ago=timedelta(minutes=1))  # another job's run
        entry = self._housekeeping()
        assert entry["last_success"] == recent.finished_at
        assert entry["stale"] is False

    def test_configured_maximum_age_wins(self, app, db_session, monkeypatch):
        monkeypatch.setitem(app.config["JOB_MAX_AGE_HOURS"], "housekeeping", 100)
        _run("housekeeping", "geslaagd", finished_ago=timedelta(hours=60))
        entry = self._housekeeping()
        assert entry["max_age_hours"] == 100
        assert entry["stale"] is False

    def test_recent_failures_are_counted(self, db_session):
        _run("proef", "mislukt", finished_ago=timedelta(hours=1))
        _run("proef", "afgebroken", finished_ago=timedelta(hours=2))
        _run("proef", "mislukt", finished_ago=timedelta(hours=30), started_ago=timedelta(hours=30))
        _run("proef", "geslaagd", finished_ago=timedelta(hours=1))
        assert jobs.count_recent_failures() == 2
        assert jobs.count_recent_failures(hours=48) == 3


class TestListRuns:
    def test_newest_first_and_filtered(self, db_session):
        old = _run("housekeeping", "geslaagd", finished_ago=timedelta(hours=5))
        new = _run("housekeeping", "mislukt", finished_ago=timedelta(hours=1))
        other = _run("proef", "geslaagd", finished_ago=timedelta(hours=3))
        assert [r.id for r in jobs.list_runs().items] == [new.id, other.id, old.id]
        assert [r.id for r in jobs.list_runs(job_name="housekeeping").items] == [new.id, old.id]
        assert [r.id for r in jobs.list_runs(outcome="geslaagd").items] == [other.id, old.id]
        assert jobs.get_run(new.id) is new
        assert jobs.get_run(new.id + 1000) is None


class TestHousekeeping:
    def test_deletes_login_failures_older_than_30_days_and_keeps_newer_ones(self, db_session):
        old = _failure(timedelta(days=31), email="oud@inspectie.example.nl")
        just_old = _failure(timedelta(days=30, minutes=1), email="oud@inspectie.example.nl")
        recent = _failure(timedelta(days=29, hours=23), email="nieuw@inspectie.example.nl")
        today = _failure(timedelta(minutes=1), email="nieuw@inspectie.example.nl")
        ids = {r.id for r in (old, just_old, recent, today)}

        assert run_housekeeping()["mislukte_aanmeldingen_verwijderd"] == 2
        db_session.expire_all()

        remaining = set(db.session.scalars(sa.select(LoginFailure.id).where(LoginFailure.id.in_(ids))))
        assert remaining == {recent.id, today.id}

    def test_is_idempotent(self, db_session):
        _failure(timedelta(days=40))
        assert run_housekeeping()["mislukte_aanmeldingen_verwijderd"] == 1
        assert run_housekeeping()["mislukte_aanmeldingen_verwijderd"] == 0

    def test_never_touches_the_audit_trail(self, db_session, audit_event_at):
        evt = audit_event_at(utcnow() - timedelta(days=400), action="oud.audit")
        run_housekeeping()
        assert db_session.get(type(evt), evt.id) is not None


class TestOldJobRuns:
    def test_old_runs_go_but_each_jobs_newest_success_and_running_runs_stay(self, app, db_session, monkeypatch):
        monkeypatch.setitem(app.config, "JOB_RUN_KEEP_DAYS", 90)
        old = timedelta(days=91)
        gone = [_run("proef-a", "geslaagd", finished_ago=old + timedelta(days=1)),
                _run("proef-a", "mislukt", finished_ago=old),
                _run("proef-b", "afgebroken", finished_ago=None, started_ago=old)]
        newest_old_success = _run("proef-a", "geslaagd", finished_ago=old)
        only_success_b = _run("proef-b", "geslaagd", finished_ago=timedelta(days=200), trigger="handmatig")
        still_running = _run("proef-c", "bezig", finished_ago=None, started_ago=old)
        recent = _run("proef-c", "mislukt", finished_ago=timedelta(days=89))
        kept = {newest_old_success.id, only_success_b.id, still_running.id, recent.id}

        assert run_housekeeping()["oude_taakuitvoeringen_verwijderd"] == 3
        db_session.expire_all()
        ids = {r.id for r in gone} | kept
        assert set(db_session.scalars(sa.select(JobRun.id).where(JobRun.id.in_(ids)))) == kept
        assert jobs.last_success_by_job()["proef-a"] == newest_old_success.finished_at, "freshness still readable"
        assert run_housekeeping()["oude_taakuitvoeringen_verwijderd"] == 0, "nothing twice"

    def test_the_period_is_configurable(self, app, db_session, monkeypatch):
        monkeypatch.setitem(app.config, "JOB_RUN_KEEP_DAYS", 7)
        week_old = _run("proef-d", "mislukt", finished_ago=timedelta(days=8))
        assert jobs.purge_old_runs() == 1
        db_session.expire_all()
        assert db_session.get(JobRun, week_old.id) is None
