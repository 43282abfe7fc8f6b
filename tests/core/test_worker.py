"""The worker (``wki.core.worker``): queueing with an idempotency key, claiming, running and recording
items, re-claiming the item of a worker that died (exactly once), several workers at once on SQLite and
PostgreSQL, stopping, the CLI, and ``scripts/run.sh`` starting the worker beside web and scheduler."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.core.test_sequences import database_kinds, isolated_app
from wki.core import worker
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.clock import utcnow
from wki.core.extensions import db
from wki.core.sequences import current_value, next_value
from wki.core.worker import WorkItem, WorkRefused, WorkStatus

YEAR = 2026


def _count(ctx) -> dict:
    """Counts its own committed runs in a sequence (a rolled-back run gives its number back)."""
    return {"keer": next_value(f"w{ctx.item_id}", YEAR)}


def _fails(ctx) -> dict:
    next_value(f"w{ctx.item_id}", YEAR)
    raise RuntimeError("kapot")


def _refuses(ctx) -> dict:
    next_value(f"w{ctx.item_id}", YEAR)
    raise WorkRefused("Het bestand is niet ingelezen.", result={"fouten": [1, 2]})


class Crash(BaseException):
    """Stands in for the process dying half-way (kill -9): not an Exception, nothing of it is recorded."""


CRASH_ONCE: set[int] = set()


def _two_steps(ctx) -> dict:
    """A resumable handler: step 1 is committed with its checkpoint; the first attempt dies after it."""
    if "stap1" not in ctx.result:
        ctx.progress(0, 2, "stap 1")
        first = next_value(f"s1-{ctx.item_id}", YEAR)
        ctx.progress(1, 2, "stap 2")
        ctx.checkpoint(stap1=first)
    if ctx.item_id not in CRASH_ONCE:
        CRASH_ONCE.add(ctx.item_id)
        next_value(f"s2-{ctx.item_id}", YEAR)  # never committed
        raise Crash
    return {"stap2": next_value(f"s2-{ctx.item_id}", YEAR)}


@pytest.fixture(autouse=True)
def test_kinds() -> Iterator[None]:
    """Kinds of work for these tests only."""
    worker.register_kind("test.count", "Tellen", _count)
    worker.register_kind("test.fails", "Mislukt", _fails)
    worker.register_kind("test.refuses", "Geweigerd", _refuses)
    worker.register_kind("test.steps", "In stappen", _two_steps)
    worker.register_kind("test.single", "Eén tegelijk", _count, key_while_active=True)
    yield
    for name in ("test.count", "test.fails", "test.refuses", "test.steps", "test.single"):
        worker.KINDS.pop(name, None)


def _queue(kind: str = "test.count", **kwargs) -> WorkItem:
    item, created = worker.enqueue(kind, actor=Actor.process("tester@inspectie.example.nl"), **kwargs)
    assert created
    db.session.commit()
    return item


def _audit_actions(item_id: int) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "work_item", AuditEvent.object_id == str(item_id)).order_by(AuditEvent.id)))


# ---------------------------------------------------------------- queueing


class TestQueue:
    def test_an_item_is_queued_run_and_recorded(self, db_session):
        item = _queue(payload={"a": 1}, input_data=b"bestand")
        assert item.status == WorkStatus.QUEUED and item.attempts == 0
        assert worker.count_waiting() == 1

        assert worker.run_one("proef") == (item.id, WorkStatus.DONE)
        db_session.expire_all()
        assert item.status == WorkStatus.DONE
        assert item.result == {"keer": 1}
        assert item.attempts == 1 and item.claimed_by.startswith("proef:")
        assert item.claimed_at <= item.heartbeat_at and item.finished_at is not None
        assert item.input_data is None  # the upload is not kept once the work is done
        assert _audit_actions(item.id) == ["werk.ingepland", "werk.klaar"]
        assert worker.count_waiting() == 0
        assert worker.run_one("proef") is None

    def test_the_same_key_never_queues_twice(self, db_session):
        """A double click or a refresh after POST: the first item comes back."""
        first, created = worker.enqueue("test.count", key="bestand:abc", actor=Actor.process("a"))
        again, created_again = worker.enqueue("test.count", key="bestand:abc", actor=Actor.process("a"))
        assert created and not created_again and again.id == first.id
        worker.run_one("proef")
        done, created_after = worker.enqueue("test.count", key="bestand:abc", actor=Actor.process("a"))
        assert not created_after and done.id == first.id and done.status == WorkStatus.DONE
        assert db_session.scalar(sa.select(sa.func.count()).select_from(WorkItem)) == 1

    def test_a_key_held_while_active_is_free_again_when_done(self, db_session):
        """Re-matching: one at a time, and after it is done a new one may be asked for."""
        first, _ = worker.enqueue("test.single", key="één", actor=Actor.process("a"))
        same, created = worker.enqueue("test.single", key="één", actor=Actor.process("a"))
        assert not created and same.id == first.id
        worker.run_one("proef")
        second, created = worker.enqueue("test.single", key="één", actor=Actor.process("a"))
        assert created and second.id != first.id

    def test_a_long_key_is_hashed_to_fit(self):
        key = worker.idempotency_key("signals.import", "x" * 500)
        assert len(key) <= worker.KEY_MAX
        assert key != worker.idempotency_key("signals.import", "x" * 499 + "y")

    def test_an_unknown_kind_is_refused(self, db_session):
        with pytest.raises(ValueError, match="no handler"):
            worker.enqueue("test.onbekend")

    def test_the_oldest_item_goes_first(self, db_session):
        items = [_queue() for _ in range(3)]
        assert [worker.run_one("proef")[0] for _ in range(3)] == [i.id for i in items]


# ---------------------------------------------------------------- failures


class TestFailures:
    def test_a_failing_handler_rolls_its_work_back_and_records_the_error(self, db_session):
        item = _queue("test.fails", input_data=b"bewaard")
        assert worker.run_one("proef") == (item.id, WorkStatus.FAILED)
        db_session.expire_all()
        assert item.status == WorkStatus.FAILED and item.finished_at is not None
        assert item.error.startswith("RuntimeError: kapot") and "Traceback" in item.error
        assert "Er is niets opgeslagen" in item.message  # the person's message has no traceback
        assert current_value(f"w{item.id}", YEAR) == 0
        assert item.input_data == b"bewaard"  # kept, for whoever looks into it
        assert _audit_actions(item.id)[-1] == "werk.mislukt"

    def test_a_refusal_keeps_its_message_and_result(self, db_session):
        item = _queue("test.refuses")
        worker.run_one("proef")
        db_session.expire_all()
        assert item.status == WorkStatus.FAILED
        assert item.message == "Het bestand is niet ingelezen."
        assert item.result == {"fouten": [1, 2]}
        assert current_value(f"w{item.id}", YEAR) == 0

    def test_an_item_taken_over_meanwhile_is_not_finished_by_the_old_worker(self, db_session):
        """Our heartbeat lapsed and another worker took the item: our work is rolled back."""
        item = _queue()

        def taken_over(ctx) -> dict:
            next_value(f"w{ctx.item_id}", YEAR)
            db.session.execute(sa.update(WorkItem).where(WorkItem.id == ctx.item_id).values(claimed_by="ander:1:x"))
            return {}

        worker.register_kind("test.count", "Tellen", taken_over)
        assert worker.run_one("proef") == (item.id, WorkStatus.RUNNING)
        db_session.expire_all()
        assert item.status == WorkStatus.RUNNING and current_value(f"w{item.id}", YEAR) == 0


# ---------------------------------------------------------------- a worker that died


def _running(age: timedelta, attempts: int = 1, kind: str = "test.count") -> WorkItem:
    """An item a worker claimed and then stopped answering for (killed) ``age`` ago."""
    when = utcnow() - age
    item = WorkItem(kind=kind, payload={}, status=WorkStatus.RUNNING, attempts=attempts, claimed_by="dood:1:x",
                    claimed_at=when, heartbeat_at=when, created_at=when)
    db.session.add(item)
    db.session.commit()
    return item


class TestReclaim:
    def test_an_item_with_an_old_heartbeat_is_claimed_again_and_done_once(self, db_session):
        item = _running(timedelta(minutes=30))
        assert worker.run_one("levend") == (item.id, WorkStatus.DONE)
        db_session.expire_all()
        assert item.status == WorkStatus.DONE and item.attempts == 2 and item.claimed_by.startswith("levend:")
        assert current_value(f"w{item.id}", YEAR) == 1
        assert "werk.overgenomen" in _audit_actions(item.id)

    def test_an_item_whose_worker_is_alive_is_left_alone(self, db_session):
        _running(timedelta(seconds=20))
        assert worker.run_one("levend") is None

    def test_the_stale_limit_is_configurable(self, app, db_session, monkeypatch):
        monkeypatch.setitem(app.config, "WORKER_STALE_SECONDS", 10)
        item = _running(timedelta(seconds=20))
        assert worker.run_one("levend") == (item.id, WorkStatus.DONE)

    def test_an_item_that_killed_its_worker_too_often_is_failed(self, db_session):
        item = _running(timedelta(hours=1), attempts=worker.MAX_ATTEMPTS)
        later = _queue()
        assert worker.run_one("levend") == (later.id, WorkStatus.DONE)
        db_session.expire_all()
        assert item.status == WorkStatus.FAILED and "3 keer afgebroken" in item.message
        assert current_value(f"w{item.id}", YEAR) == 0

    def test_a_crash_after_a_checkpoint_resumes_after_it(self, db_session):
        """Step 1 was committed with its checkpoint: the next attempt does only step 2."""
        item = _queue("test.steps")
        with pytest.raises(Crash):
            worker.run_one("eerste")
        db_session.expire_all()
        # Stopped hard but not killed: the item is queued again at once, its checkpoint kept.
        assert item.status == WorkStatus.QUEUED and item.result == {"stap1": 1}
        assert (item.progress_done, item.progress_total, item.progress_note) == (1, 2, "stap 2")
        assert current_value(f"s1-{item.id}", YEAR) == 1 and current_value(f"s2-{item.id}", YEAR) == 0

        assert worker.run_one("tweede") == (item.id, WorkStatus.DONE)
        db_session.expire_all()
        assert item.result == {"stap1": 1, "stap2": 1}
        assert item.progress_done == 2 and item.progress_note is None
        assert current_value(f"s1-{item.id}", YEAR) == 1 and current_value(f"s2-{item.id}", YEAR) == 1


# ---------------------------------------------------------------- the process


class TestProcess:
    def test_once_processes_what_waits_and_stops(self, app, db_session):
        items = [_queue() for _ in range(3)]
        assert worker.run_worker(app, once=True, name="proef") == 3
        db_session.expire_all()
        assert {i.status for i in items} == {WorkStatus.DONE}

    def test_a_stop_request_finishes_the_current_item_first(self, app, db_session):
        stop = worker.StopFlag()

        def stopping(ctx) -> dict:
            stop.event.set()  # SIGTERM arrives while this item runs
            return _count(ctx)

        worker.register_kind("test.count", "Tellen", stopping)
        first, second = _queue(), _queue()
        assert worker.run_worker(app, stop=stop, name="proef", poll_seconds=0.1) == 1
        db_session.expire_all()
        assert first.status == WorkStatus.DONE and second.status == WorkStatus.QUEUED

    def test_sigterm_sets_the_stop_flag_and_the_handlers_are_restored(self):
        import os
        import signal

        before = signal.getsignal(signal.SIGTERM)
        stop = worker.StopFlag()
        restore = stop.install()
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            assert stop.event.wait(5)
        finally:
            restore()
        assert signal.getsignal(signal.SIGTERM) == before

    def test_the_cli_runs_once(self, app, db_session):
        item = _queue()
        result = app.test_cli_runner().invoke(args=["worker", "run", "--once"])
        assert result.exit_code == 0, result.output
        assert "1 taak verwerkt." in result.output
        db_session.expire_all()
        assert item.status == WorkStatus.DONE

    def test_the_cli_lists_waiting_work(self, app, db_session):
        _queue()
        result = app.test_cli_runner().invoke(args=["worker", "list"])
        assert result.exit_code == 0 and "In de wachtrij" in result.output and "Tellen" in result.output


# ---------------------------------------------------------------- several workers at once, both databases


def _workers_at_once(app, count: int) -> tuple[list[int], list[str]]:
    """``count`` workers in threads, each with its own app context, session and connection, started
    together, each running until nothing waits."""
    barrier = threading.Barrier(count)
    processed: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            n = worker.run_worker(app, once=True, name=f"werker{i}")
        except Exception as exc:  # noqa: BLE001 - reported by the test
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        else:
            with lock:
                processed.append(n)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a worker hangs"
    return processed, errors


@pytest.mark.parametrize("kind", database_kinds())
def test_several_workers_do_every_item_exactly_once(kind, tmp_path):
    """Four workers, thirty items (two of them left by a killed worker): each item done once, by one."""
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            ids = [worker.enqueue("test.count", actor=Actor.process("t"))[0].id for _ in range(28)]
            db.session.commit()
            ids += [_running(timedelta(hours=1)).id for _ in range(2)]
        processed, errors = _workers_at_once(app, 4)
        assert errors == []
        assert sum(processed) == 30
        with app.app_context():
            items = db.session.scalars(sa.select(WorkItem).order_by(WorkItem.id)).all()
            assert [i.id for i in items] == ids
            assert {i.status for i in items} == {WorkStatus.DONE}
            assert all(current_value(f"w{i}", YEAR) == 1 for i in ids)
            if kind == "postgresql":  # they shared the work (on SQLite one may take it all: claims take turns)
                assert len({i.claimed_by.rsplit(":", 2)[0] for i in items}) > 1


@pytest.mark.parametrize("kind", database_kinds())
def test_a_killed_workers_item_is_taken_by_one_of_two_workers_once(kind, tmp_path):
    with isolated_app(kind, tmp_path) as app:
        with app.app_context():
            item_id = _running(timedelta(hours=1)).id
        processed, errors = _workers_at_once(app, 2)
        assert errors == [] and sorted(processed) == [0, 1]
        with app.app_context():
            item = db.session.get(WorkItem, item_id)
            assert item.status == WorkStatus.DONE and item.attempts == 2
            assert current_value(f"w{item_id}", YEAR) == 1


@pytest.mark.parametrize("kind", database_kinds())
def test_a_live_workers_item_is_never_taken_however_old_its_heartbeat(kind, tmp_path, monkeypatch):
    """Even with every heartbeat counted as old, an item whose worker is inside its transaction is not
    claimed: PostgreSQL's SKIP LOCKED passes over the row its touch holds; on SQLite the claim waits for
    the write lock, and by then the item is done."""
    with isolated_app(kind, tmp_path) as app:
        app.config["WORKER_STALE_SECONDS"] = 0
        started, release = threading.Event(), threading.Event()

        def slow(ctx) -> dict:
            started.set()
            release.wait(30)
            return _count(ctx)

        worker.register_kind("test.count", "Tellen", slow)
        with app.app_context():
            item_id = worker.enqueue("test.count")[0].id
            db.session.commit()
        ran: list = []
        other: list = []

        def claim_other() -> None:
            with app.app_context():
                other.append(worker.run_one("ander"))
                db.session.remove()

        first = threading.Thread(target=lambda: ran.append(worker.run_worker(app, once=True, name="traag")))
        first.start()
        second = threading.Thread(target=claim_other)
        try:
            assert started.wait(30)
            second.start()
            second.join(timeout=3)
            if kind == "postgresql":
                assert not second.is_alive() and other == [None]
        finally:
            release.set()
            first.join(60)
            if second.is_alive() or second.ident is not None:
                second.join(60)
        assert ran == [1] and other == [None]
        with app.app_context():
            assert db.session.get(WorkItem, item_id).status == WorkStatus.DONE
            assert current_value(f"w{item_id}", YEAR) == 1


# ---------------------------------------------------------------- the start script


def test_run_sh_starts_the_worker_beside_the_scheduler_and_the_web():
    script = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    lines = [line.strip() for line in script.splitlines() if not line.strip().startswith("#")]
    assert any(line.startswith(".venv/bin/flask scheduler run") and line.endswith("&") for line in lines)
    assert any(line.startswith(".venv/bin/flask worker run") and line.endswith("&") for line in lines)
    assert any(line.startswith(".venv/bin/flask run") for line in lines)
    # Stopped with the script, like the scheduler.
    trap = next(line for line in lines if line.startswith("trap"))
    assert "worker_pid" in trap and "scheduler_pid" in trap
    # Started after the migrations, before the web application (which runs in the foreground).
    order = [next(i for i, line in enumerate(lines) if line.startswith(p))
             for p in (".venv/bin/flask db upgrade", ".venv/bin/flask worker run", ".venv/bin/flask run")]
    assert order == sorted(order)


# ---------------------------------------------------------------- the administrator's page


def test_the_admin_page_lists_the_work_and_shows_a_failure(admin_client, db_session):
    item = _queue("test.fails")
    worker.run_one("proef")
    _queue()
    html = admin_client.get("/beheer/werk").get_data(as_text=True)
    assert "Werk in de wachtrij" in html and f"Mislukt #{item.id}" in html and "In de wachtrij" in html
    failed_only = admin_client.get("/beheer/werk?status=failed").get_data(as_text=True)
    assert f"Mislukt #{item.id}" in failed_only and "Tellen #" not in failed_only
    detail = admin_client.get(f"/beheer/werk/{item.id}").get_data(as_text=True)
    assert "RuntimeError: kapot" in detail and "Er ging iets mis" in detail
    assert admin_client.get(f"/beheer/werk/{item.id + 1000}").status_code == 404


@pytest.mark.parametrize("kind", database_kinds())
def test_a_handler_that_commits_and_works_on_keeps_its_item(kind, tmp_path):
    """A handler that commits part-way and then works longer than the stale timeout (a register sync, a job)
    keeps its item: the heartbeat thread refreshes it, so another worker never takes it over and does the
    work a second time."""
    with isolated_app(kind, tmp_path) as app:
        app.config["WORKER_STALE_SECONDS"] = 1
        app.config["WORKER_HEARTBEAT_SECONDS"] = 0.1
        started, release = threading.Event(), threading.Event()

        def long_after_a_commit(ctx) -> dict:
            db.session.commit()  # as a job does on its own: the item's row and the write lock are free again
            started.set()
            release.wait(30)
            return _count(ctx)

        worker.register_kind("test.count", "Tellen", long_after_a_commit)
        with app.app_context():
            item_id = worker.enqueue("test.count")[0].id
            db.session.commit()
        ran: list = []
        first = threading.Thread(target=lambda: ran.append(worker.run_worker(app, once=True, name="lang")))
        first.start()
        try:
            assert started.wait(30)
            time.sleep(2.5)  # well past the stale timeout
            with app.app_context():
                assert worker.run_one("ander") is None  # nothing to take: the heartbeat is fresh
                db.session.remove()
        finally:
            release.set()
            first.join(60)
        assert ran == [1]
        with app.app_context():
            item = db.session.get(WorkItem, item_id)
            assert item.status == WorkStatus.DONE and item.attempts == 1
            assert current_value(f"w{item_id}", YEAR) == 1
