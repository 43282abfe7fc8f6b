"""The worker process (``flask worker run``) killed with SIGKILL in the middle of a mailing, a large signals
import and a full re-match, then started again: each completes exactly once.

The kill comes at a chosen statement (``WKI_TEST_PAUSE_SQL``, tests/faults/processes.py): the process
stops inside the transaction that writes it and the test kills it there. The next worker finds the item's
heartbeat older than ``WORKER_STALE_SECONDS`` and takes it over."""

from __future__ import annotations

import time
from datetime import date

import sqlalchemy as sa

from tests.faults.data import assert_mailing_complete, mailing_state, signal_file, started_mailing
from tests.register.helpers import load, register_row
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.extensions import db
from wki.core.worker import WorkItem, WorkStatus
from wki.register.queries import mirror_state
from wki.signals import imports, rematch
from wki.signals.models import Signal, SignalImport

STALE = 2
WORKER_CONFIG = {"WORKER_STALE_SECONDS": STALE, "WORKER_HEARTBEAT_SECONDS": 0.3, "MAILING_CLAIM_BATCH": 3}


def _items(app, kind: str) -> list[WorkItem]:
    with app.app_context():
        items = list(db.session.scalars(sa.select(WorkItem).where(WorkItem.kind == kind).order_by(WorkItem.id)))
        db.session.expunge_all()
        db.session.remove()
        return items


def _audit(app, action: str) -> int:
    with app.app_context():
        n = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == action))
        db.session.remove()
        return n or 0


def _kill_at(own, sql: str, at: int):
    """Start a worker, let it run until the ``at``-th statement beginning with ``sql``, and kill it there."""
    worker = own.processes.start("worker", "run", "--processes", "1", "--poll", "0.2", config=WORKER_CONFIG,
                                 WKI_TEST_PAUSE_SQL=sql, WKI_TEST_PAUSE_AT=str(at))
    worker.wait_for("PAUSED")
    worker.kill()
    time.sleep(STALE + 0.5)  # the dead worker's heartbeat (and its mailing claims) are stale now


def _run_again(own) -> None:
    again = own.processes.start("worker", "run", "--once", "--processes", "1", config=WORKER_CONFIG)
    assert again.finish() == 0, again.stderr()


def test_a_mailing_killed_part_way_is_finished_once(own):
    count = 12
    mailing_id = started_mailing(own.app, count)
    _kill_at(own, "insert into document ", 5)  # the fifth letter's transaction, before it commits

    before = mailing_state(own.app, mailing_id)
    assert before["status"] == "bezig" and before["documents"] == 4  # four committed, the fifth rolled back
    _run_again(own)

    assert_mailing_complete(own.app, mailing_id, count)
    parts = _items(own.app, "documents.mailing")
    assert {p.status for p in parts} == {WorkStatus.DONE}
    assert max(p.attempts for p in parts) == 2  # the killed part was taken over, once
    assert _audit(own.app, "mailing.klaar") == 1


def _signals(app) -> dict:
    with app.app_context():
        rows = db.session.execute(sa.select(Signal.bron, Signal.referentie, Signal.register_state,
                                            Signal.matched_at)).all()
        state = {"count": len(rows), "distinct": len({(r.bron, r.referentie) for r in rows}),
                 "unjudged": sum(1 for r in rows if r.matched_at is None),
                 "imports": db.session.scalar(sa.select(sa.func.count()).select_from(SignalImport)),
                 "states": {r.register_state for r in rows}}
        db.session.remove()
        return state


def _queue_import(own, rows: int) -> int:
    data = signal_file(own.tmp / "signalen.csv", rows).read_bytes()
    with own.app.app_context():
        item, created = imports.queue_import(data, file_name="signalen.csv", actor=Actor.process("inspecteur@example.nl"))
        db.session.commit()
        item_id = item.id
        db.session.remove()
    return item_id


def test_a_large_import_killed_while_storing_is_stored_and_judged_once(own):
    rows = 1500
    _queue_import(own, rows)
    _kill_at(own, "insert into signal ", 1)  # the bulk insert of the first step, before it commits
    assert _signals(own.app)["count"] == 0  # the first step is one transaction: nothing of it stayed

    _run_again(own)
    state = _signals(own.app)
    assert state["count"] == state["distinct"] == rows and state["imports"] == 1
    assert state["unjudged"] == 0
    [item] = _items(own.app, imports.IMPORT_WORK)
    assert item.status == WorkStatus.DONE and item.attempts == 2
    assert item.result["counts"] == {"nieuw": rows, "dubbel": 0, "ongeldig": 0}
    assert _audit(own.app, "signalen.geimporteerd") == 1
    assert _audit(own.app, "signalen.beoordeeld") == 1


def test_a_large_import_killed_while_judging_is_judged_once_and_not_stored_again(own):
    rows = 1500
    _queue_import(own, rows)
    _kill_at(own, "update signal ", 1)  # the judging, after the stored signals were committed with a checkpoint
    stored = _signals(own.app)
    assert stored["count"] == rows and stored["unjudged"] == rows  # stored once, judged not yet

    _run_again(own)
    state = _signals(own.app)
    assert state["count"] == state["distinct"] == rows and state["imports"] == 1 and state["unjudged"] == 0
    [item] = _items(own.app, imports.IMPORT_WORK)
    assert item.status == WorkStatus.DONE and item.attempts == 2
    assert _audit(own.app, "signalen.geimporteerd") == 1
    assert _audit(own.app, "signalen.beoordeeld") == 1


def test_a_full_rematch_killed_part_way_rematches_every_signal_once(own):
    rows = 1500
    _queue_import(own, rows)
    _run_again(own)  # stored and judged against an empty register
    judged_before = _signals(own.app)
    assert judged_before["unjudged"] == 0
    with own.app.app_context():  # the register changes: every open signal waits to be judged again
        load([register_row(n) for n in range(1, 51)], date(2026, 4, 1))
        assert rematch.stale_count() == rows
        item, _ = rematch.queue_rematch(actor=Actor.process("inspecteur@example.nl"))
        db.session.commit()
        state_now = mirror_state()
        db.session.remove()

    _kill_at(own, "update signal ", 1)
    assert _signals(own.app)["states"] == judged_before["states"]  # the killed re-match left nothing
    assert _audit(own.app, "signalen.beoordeeld") == 1  # the import's judging only

    _run_again(own)
    state = _signals(own.app)
    assert state["states"] == {state_now} and state["count"] == rows
    with own.app.app_context():
        assert rematch.stale_count() == 0
        db.session.remove()
    [item] = _items(own.app, rematch.REMATCH_WORK)
    assert item.status == WorkStatus.DONE and item.attempts == 2
    assert item.result["counts"]["beoordeeld"] == rows
    assert _audit(own.app, "signalen.beoordeeld") == 2  # the import's judging and the re-match, once
