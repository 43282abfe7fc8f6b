"""The worker: long work queued in the database and done by ``flask worker run``, outside web requests.

A feature queues a ``WorkItem`` (``enqueue``) and registers, at app setup, the handler of its kind
(``register_kind``); core names no feature. Web requests only queue, and show the item's progress; the
worker process claims items one at a time, runs their handlers and records the outcome on the item
itself (status, attempts, progress, result, error), with an audit event.

Why a table of our own and not a queue library (README, "The worker"): pgqueuer and procrastinate are
PostgreSQL-only; Celery (even with its SQLAlchemy transport) is a broker stack; Huey has SQLite and
PostgreSQL storages but keeps its queue on its own connections, outside our transactions, so an item could
not be queued with the request's audit event nor finished in the transaction of its work. The embedded
default is one SQLite file with no server, production PostgreSQL shared by several machines; this module
serves both with one table.

Claiming (``claim_next``): in one short transaction, the oldest item that is queued, or running with a
heartbeat older than ``WORKER_STALE_SECONDS`` (its worker died), is taken and marked running.

- PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED LIMIT 1``: two workers never take the same item, and
  neither waits for the other.
- SQLite: a worker's transactions begin with ``BEGIN IMMEDIATE`` (core/db_setup.py), so the claim holds
  the database's write lock from its first statement: claims take turns.

Liveness (no heartbeat thread needed): every transaction of an item begins by "touching" its row
(``WorkContext.touch``: heartbeat now, and a check that the claim is still ours) and every commit writes
the heartbeat again. On PostgreSQL that touch holds the row's lock for the whole transaction, so SKIP
LOCKED passes over an item whose worker is alive however long its transaction lasts; if the process dies,
the server ends its transaction, releases the lock, and after ``WORKER_STALE_SECONDS`` another worker
takes the item. On SQLite a running transaction holds the write lock, so nobody can claim anything until
it commits, and its commit writes a fresh heartbeat.

Exactly once: a handler's work and its result (or a checkpoint, ``WorkContext.checkpoint``) are written
in one transaction, together with the check that the claim is still this worker's. A handler that is
taken over after a crash finds its earlier checkpoints in ``ctx.result`` and continues from there; work
that was never committed is simply done again. An item whose worker died ``MAX_ATTEMPTS`` times is
failed rather than tried forever (a file that makes the worker run out of memory must not take every
worker down in turn).

A failure that passes by itself (``is_temporary``: the database unreachable, the document store full or
unwritable) does not fail the item: its transaction is rolled back, the item is queued again with a Dutch
message, and the worker looks again after its poll interval (``--once`` stops there).
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import socket
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Mapped, mapped_column

from wki.core import audit
from wki.core.actors import Actor
from wki.core.audit_actions import WorkAction
from wki.core.clock import utcnow
from wki.core.db import Base, rows_affected
from wki.core.errors import ServiceError, database_unreachable
from wki.core.extensions import db
from wki.core.service import service
from wki.core.status import LabelledEnum, Style, check_constraint, enum_column_type
from wki.core.storage import StorageUnwritable

log = logging.getLogger("wki.worker")

DEFAULT_STALE_SECONDS = 600
DEFAULT_POLL_SECONDS = 5
MAX_ATTEMPTS = 3
KEY_MAX = 200


class WorkStatus(LabelledEnum):
    QUEUED = "queued", "In de wachtrij", Style.NEUTRAL
    RUNNING = "running", "Bezig", Style.INFO
    DONE = "done", "Klaar", Style.OK
    FAILED = "failed", "Mislukt", Style.ERROR


STATUS_LABELS = WorkStatus.labels()
ACTIVE = (WorkStatus.QUEUED, WorkStatus.RUNNING)


class WorkItem(Base):
    """One piece of queued work; its row is also its record (shown on the progress and admin pages)."""

    __tablename__ = "work_item"
    __table_args__ = (sa.Index("ix_work_item_status_id", "status", "id"), check_constraint("status", WorkStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(80), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The input a handler needs besides its payload (an uploaded file), in the database so that a worker
    # on another machine can read it; cleared when the item is done. Deferred: lists never load it.
    input_data: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    status: Mapped[WorkStatus] = mapped_column(enum_column_type(WorkStatus), default=WorkStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(200))
    claimed_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int | None]
    progress_note: Mapped[str | None] = mapped_column(sa.String(200))
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(sa.Text)
    # Shown to the person who queued the item (Dutch); ``error`` (with a traceback) is for administrators.
    message: Mapped[str | None] = mapped_column(sa.Text)
    # Unique: the same request twice (a double click, a refresh after POST) finds the first item.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(KEY_MAX), unique=True)
    created_by: Mapped[str | None] = mapped_column(sa.String(320), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<WorkItem {self.id} {self.kind} {self.status}>"

    @property
    def finished(self) -> bool:
        return self.status in (WorkStatus.DONE, WorkStatus.FAILED)

    @property
    def duration_seconds(self) -> float | None:
        if self.claimed_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.claimed_at).total_seconds()


# --- the registry of kinds ------------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkKind:
    name: str
    title: str  # Dutch, for pages
    handler: Callable[[WorkContext], dict[str, Any] | None]
    # Release the idempotency key when the item finishes: "at most one at a time" (re-matching) rather than
    # "this very request once" (an upload).
    key_while_active: bool = False
    # The feature's own page of an item's outcome, linked from Beheer's page of the item: (url of the item,
    # Dutch link text); None: Beheer's page is the only one.
    result_link: Callable[[WorkItem], tuple[str, str]] | None = None


KINDS: dict[str, WorkKind] = {}


def register_kind(name: str, title: str, handler: Callable[[WorkContext], dict[str, Any] | None], *,
                  key_while_active: bool = False,
                  result_link: Callable[[WorkItem], tuple[str, str]] | None = None) -> None:
    """Called by a feature at app setup; registering a kind again replaces it (app factories run twice)."""
    KINDS[name] = WorkKind(name, title, handler, key_while_active, result_link)


def result_link(item: WorkItem) -> tuple[str, str] | None:
    """(url, link text) of the page where the item's feature shows its outcome, if it has one."""
    kind = KINDS.get(item.kind)
    return kind.result_link(item) if kind is not None and kind.result_link is not None else None


def kind_title(name: str) -> str:
    kind = KINDS.get(name)
    return kind.title if kind else name


# --- queueing -------------------------------------------------------------------------------------------

def idempotency_key(*parts: Any) -> str:
    """A key from its parts; long ones are hashed to fit the column."""
    key = ":".join(str(p) for p in parts)
    if len(key) > KEY_MAX:
        key = key[:KEY_MAX - 65] + ":" + hashlib.sha256(key.encode()).hexdigest()
    return key


@service
def enqueue(kind: str, *, payload: dict[str, Any] | None = None, input_data: bytes | None = None,
            key: str | None = None, actor: Actor | None = None) -> tuple[WorkItem, bool]:
    """Queue an item in the caller's transaction; returns (item, created). With ``key``, an item that
    already has it is returned instead (created False), also when the same request races this one."""
    if kind not in KINDS:
        raise ValueError(f"no handler registered for work kind {kind!r}")
    if key is not None:
        existing = _by_key(key)
        if existing is not None:
            return existing, False
    item = WorkItem(kind=kind, payload=payload or {}, input_data=input_data, status=WorkStatus.QUEUED,
                    idempotency_key=key, created_by=actor.label if actor else None, created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        existing = _by_key(key) if key is not None else None
        if existing is None:
            raise
        return existing, False
    audit.record(WorkAction.QUEUED, object_type="work_item", object_id=item.id, after={"soort": kind},
                 actor=actor)
    return item, True


def _by_key(key: str) -> WorkItem | None:
    return db.session.scalar(sa.select(WorkItem).where(WorkItem.idempotency_key == key))


def get_item(item_id: int) -> WorkItem | None:
    return db.session.get(WorkItem, item_id)


def list_items(*, kind: str | None = None, status: str | None = None, page: int = 1, per_page: int = 50) -> Any:
    stmt = sa.select(WorkItem).order_by(WorkItem.id.desc())
    if kind:
        stmt = stmt.where(WorkItem.kind == kind)
    if status:
        stmt = stmt.where(WorkItem.status == status)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def count_waiting() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(WorkItem)
                             .where(WorkItem.status.in_(ACTIVE))) or 0


# --- claiming -------------------------------------------------------------------------------------------

def worker_name() -> str:
    """Who claims: host and process, so that an administrator can find a worker that hangs."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _stale_cutoff() -> datetime:
    seconds = int(current_app.config.get("WORKER_STALE_SECONDS", DEFAULT_STALE_SECONDS))
    return utcnow() - timedelta(seconds=seconds)


@dataclass(frozen=True)
class Claim:
    item_id: int
    claimed_by: str
    attempt: int


def claim_next(claimed_by: str, *, kinds: list[str] | None = None) -> Claim | None:
    """Take the oldest item that waits (or whose worker died) and commit the claim; None when none waits."""
    now = utcnow()
    waiting = sa.or_(WorkItem.status == WorkStatus.QUEUED,
                     sa.and_(WorkItem.status == WorkStatus.RUNNING, WorkItem.heartbeat_at < _stale_cutoff()))
    stmt = sa.select(WorkItem.id, WorkItem.status, WorkItem.attempts).where(waiting)
    if kinds:
        stmt = stmt.where(WorkItem.kind.in_(kinds))
    # SKIP LOCKED on PostgreSQL; SQLite ignores FOR UPDATE (the transaction holds the write lock).
    stmt = stmt.order_by(WorkItem.id).limit(1).with_for_update(skip_locked=True)
    try:
        while True:
            row = db.session.execute(stmt).first()
            if row is None:
                db.session.commit()
                return None
            if row.status == WorkStatus.RUNNING and row.attempts >= MAX_ATTEMPTS:
                _fail_abandoned(row.id, row.attempts)
                continue
            claim_id = f"{claimed_by}:{uuid.uuid4().hex[:8]}"
            db.session.execute(sa.update(WorkItem).where(WorkItem.id == row.id).values(
                status=WorkStatus.RUNNING, attempts=WorkItem.attempts + 1, claimed_by=claim_id, claimed_at=now,
                heartbeat_at=now, error=None))
            if row.status == WorkStatus.RUNNING:
                log.warning("re-claiming work item %s: its worker stopped answering", row.id)
                audit.record(WorkAction.TAKEN_OVER, object_type="work_item", object_id=row.id,
                             after={"poging": row.attempts + 1, "door": claim_id}, actor=Actor.process("worker"))
            db.session.commit()
            return Claim(row.id, claim_id, row.attempts + 1)
    except BaseException:
        db.session.rollback()
        raise


def _fail_abandoned(item_id: int, attempts: int) -> None:
    message = (f"Het werk is {attempts} keer afgebroken doordat het verwerkende proces stopte; het wordt niet "
               "opnieuw geprobeerd. Neem contact op met de beheerder.")
    db.session.execute(sa.update(WorkItem).where(WorkItem.id == item_id).values(
        status=WorkStatus.FAILED, finished_at=utcnow(), message=message, error="worker stopped too often",
        input_data=None))
    _release_key(item_id)
    audit.record(WorkAction.FAILED, object_type="work_item", object_id=item_id, after={"reden": "afgebroken"},
                 actor=Actor.process("worker"))


def _release_key(item_id: int) -> None:
    item = db.session.get(WorkItem, item_id)
    kind = KINDS.get(item.kind) if item else None
    if item is not None and kind is not None and kind.key_while_active:
        item.idempotency_key = None


# --- running one item -----------------------------------------------------------------------------------

class LostClaim(Exception):
    """Another worker took this item over (our heartbeat had lapsed): our work is rolled back."""


class WorkContext:
    """What a handler gets: its payload and input, what an earlier attempt checkpointed, and the means to
    report progress and commit a step together with the item's state."""

    def __init__(self, claim: Claim, item: WorkItem) -> None:
        self.claim = claim
        self.item_id = item.id
        self.kind = item.kind
        self.payload: dict[str, Any] = dict(item.payload or {})
        self.result: dict[str, Any] = dict(item.result or {})
        self.created_by = item.created_by
        self.attempt = claim.attempt
        self._progress: dict[str, Any] = {}

    def input_data(self) -> bytes:
        data = db.session.scalar(sa.select(WorkItem.input_data).where(WorkItem.id == self.item_id))
        if data is None:
            raise ServiceError("De invoer van dit werk is niet meer beschikbaar.")
        return data

    def touch(self) -> None:
        """Begin a transaction of this item: heartbeat now and the claim checked (on PostgreSQL the row
        stays locked until the transaction ends, so no other worker can take the item meanwhile)."""
        values: dict[str, Any] = {"heartbeat_at": utcnow(), **self._progress}
        self._progress = {}
        done = rows_affected(db.session.execute(
            sa.update(WorkItem).where(WorkItem.id == self.item_id, WorkItem.status == WorkStatus.RUNNING,
                                      WorkItem.claimed_by == self.claim.claimed_by).values(**values)))
        if done != 1:
            raise LostClaim(f"work item {self.item_id} is no longer claimed by {self.claim.claimed_by}")

    def progress(self, done: int, total: int | None = None, note: str | None = None) -> None:
        """Record progress in the current transaction: visible when it commits (``checkpoint``)."""
        self._progress = {"progress_done": done, "progress_total": total, "progress_note": note}
        self.touch()

    def checkpoint(self, **result: Any) -> None:
        """Commit the work so far together with ``result`` (merged into the item's result) and the progress;
        an attempt after a crash finds ``result`` in ``ctx.result``. Then begin the next transaction."""
        self.result.update(result)
        db.session.execute(sa.update(WorkItem).where(WorkItem.id == self.item_id).values(result=self.result))
        self.touch()
        db.session.commit()
        self.touch()


class _Heartbeat:
    """Keeps a running item's heartbeat fresh from a thread of its own, on a connection of its own, while
    the handler works: a handler that commits part-way (a register sync, a job) and then works for longer
    than the stale timeout without touching its item would otherwise be taken over and done twice.

    While the handler's transaction holds the item's row (PostgreSQL) or the write lock (SQLite), the
    beat waits or fails and tries again at the next beat; no other worker can claim the item meanwhile
    either. A beat never takes a claim back: it only refreshes a claim that is still this worker's."""

    def __init__(self, claim: Claim, interval: float) -> None:
        self.claim = claim
        self.interval = interval
        self.engine = db.engine
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{claim.item_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # Not waited for: a beat may be waiting for the lock that this thread's transaction holds, and ends
        # by itself once that transaction does (the item is then no longer running: the beat changes nothing).
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self.engine.begin() as conn:
                    conn.execute(sa.update(WorkItem).where(
                        WorkItem.id == self.claim.item_id, WorkItem.status == WorkStatus.RUNNING,
                        WorkItem.claimed_by == self.claim.claimed_by).values(heartbeat_at=utcnow()))
            except Exception:  # noqa: BLE001 - busy (the handler holds the lock): the next beat tries again
                log.debug("heartbeat of work item %s deferred", self.claim.item_id, exc_info=True)


def _heartbeat_seconds() -> float:
    stale = int(current_app.config.get("WORKER_STALE_SECONDS", DEFAULT_STALE_SECONDS))
    return float(current_app.config.get("WORKER_HEARTBEAT_SECONDS", max(min(stale / 5, 60.0), 0.05)))


class WorkRefused(ServiceError):
    """A handler's way to fail with a message for the person (Dutch) and a result to show with it."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = result


def run_claimed(claim: Claim) -> str:
    """Run one claimed item's handler and record its outcome; returns the final status."""
    item = db.session.get(WorkItem, claim.item_id)
    kind = KINDS.get(item.kind) if item else None
    try:
        if item is None:
            return WorkStatus.FAILED
        if kind is None:
            raise WorkRefused(f"Onbekende soort werk: {item.kind}.")
        ctx = WorkContext(claim, item)
        ctx.touch()
        log.info("work item started", extra={"work_item": claim.item_id, "kind": item.kind, "attempt": claim.attempt})
        with _Heartbeat(claim, _heartbeat_seconds()):
            outcome = kind.handler(ctx) or {}
        ctx.touch()
        final = {**ctx.result, **outcome}
        db.session.execute(sa.update(WorkItem).where(WorkItem.id == claim.item_id).values(
            status=WorkStatus.DONE, result=final, finished_at=utcnow(), input_data=None,
            progress_done=sa.func.coalesce(WorkItem.progress_total, WorkItem.progress_done), progress_note=None))
        _release_key(claim.item_id)
        audit.record(WorkAction.DONE, object_type="work_item", object_id=claim.item_id,
                     after={"soort": item.kind, **{k: v for k, v in final.items() if not isinstance(v, list | dict)}},
                     actor=Actor.process("worker"))
        db.session.commit()
        log.info("work item done", extra={"work_item": claim.item_id, "kind": item.kind})
        return WorkStatus.DONE
    except LostClaim:
        db.session.rollback()
        log.warning("work item %s was taken over by another worker; this attempt's work is undone", claim.item_id)
        return WorkStatus.RUNNING
    except Exception as exc:  # noqa: BLE001 - an item's failure is recorded, never lost
        db.session.rollback()
        if is_temporary(exc):
            _retry_later(claim, exc)
            return WorkStatus.QUEUED
        _record_failure(claim, exc)
        return WorkStatus.FAILED
    except BaseException:
        # Stopped hard (a second Ctrl+C): nothing of this attempt is committed; put the item back at once
        # rather than after the stale timeout.
        db.session.rollback()
        _requeue(claim)
        raise


TEMPORARY_MESSAGE = ("Het werk kon nu niet worden gedaan: {reason} Er is niets half vastgelegd; het wordt later "
                     "vanzelf opnieuw geprobeerd.")


def is_temporary(exc: BaseException) -> bool:
    """A failure that passes by itself: the database unreachable (or its lock held too long), the store full
    or unwritable. Such an item is tried again later, never failed for it."""
    return isinstance(exc, StorageUnwritable) or database_unreachable(exc)


def _retry_later(claim: Claim, exc: Exception) -> None:
    """Put the item back in the queue (this attempt not counted), with what happened: the handler's
    transaction was rolled back, its checkpoints stay. When the database itself is gone this cannot be
    written either: the item then stays running and is taken over once its heartbeat is old."""
    reason = exc.message if isinstance(exc, ServiceError) else "de database is niet bereikbaar."
    error = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=20)}"[:20000]
    log.warning("work item %s meets a temporary failure and is queued again: %s", claim.item_id, exc)
    try:
        db.session.execute(sa.update(WorkItem).where(
            WorkItem.id == claim.item_id, WorkItem.claimed_by == claim.claimed_by,
            WorkItem.status == WorkStatus.RUNNING).values(
            status=WorkStatus.QUEUED, claimed_by=None, attempts=WorkItem.attempts - 1, error=error,
            message=TEMPORARY_MESSAGE.format(reason=reason)))
        db.session.commit()
    except Exception:  # noqa: BLE001 - the database is gone: the item is re-claimed once its heartbeat is old
        db.session.rollback()
        log.warning("could not queue work item %s again; it is taken over later", claim.item_id)


def _record_failure(claim: Claim, exc: Exception) -> None:
    if isinstance(exc, ServiceError):
        message = exc.message
    else:
        message = "Er ging iets mis bij het verwerken. Er is niets opgeslagen; de beheerder kan de fout inzien."
    error = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=20)}"[:20000]
    values: dict[str, Any] = {"status": WorkStatus.FAILED, "finished_at": utcnow(), "message": message, "error": error}
    if isinstance(exc, WorkRefused) and exc.result is not None:
        values["result"] = exc.result
    try:
        updated = rows_affected(db.session.execute(sa.update(WorkItem).where(
            WorkItem.id == claim.item_id, WorkItem.claimed_by == claim.claimed_by).values(**values)))
        if updated:
            _release_key(claim.item_id)
            audit.record(WorkAction.FAILED, object_type="work_item", object_id=claim.item_id,
                         after={"fout": message}, actor=Actor.process("worker"))
        db.session.commit()
    except Exception:  # noqa: BLE001 - the item stays running and is re-claimed later
        db.session.rollback()
        log.exception("could not record the failure of work item %s", claim.item_id)
    log.error("work item failed", extra={"work_item": claim.item_id}, exc_info=exc)


def _requeue(claim: Claim) -> None:
    try:
        db.session.execute(sa.update(WorkItem).where(
            WorkItem.id == claim.item_id, WorkItem.claimed_by == claim.claimed_by,
            WorkItem.status == WorkStatus.RUNNING).values(status=WorkStatus.QUEUED, claimed_by=None,
                                                          attempts=WorkItem.attempts - 1))
        db.session.commit()
    except Exception:  # noqa: BLE001 - then it is re-claimed once its heartbeat is old
        db.session.rollback()


def run_one(claimed_by: str | None = None, *, kinds: list[str] | None = None) -> tuple[int, str] | None:
    """Claim and run one item in the current app context; (item id, status), or None when none waits."""
    claim = claim_next(claimed_by or worker_name(), kinds=kinds)
    if claim is None:
        return None
    return claim.item_id, run_claimed(claim)


# --- the process ----------------------------------------------------------------------------------------

class StopFlag:
    """Set by SIGTERM/SIGINT: the worker finishes the item it is on, then stops. A second signal stops it
    at once (the item's transaction is rolled back and the item queued again)."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def install(self) -> Callable[[], None]:
        """Handle SIGTERM and SIGINT (main thread only); returns a function that restores the old handlers."""
        if threading.current_thread() is not threading.main_thread():
            return lambda: None

        def handle(signum: int, frame: Any) -> None:
            if self.event.is_set():
                raise KeyboardInterrupt
            log.info("stopping after the current item (signal %s)", signum)
            self.event.set()

        previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}

        def restore() -> None:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        return restore

    def is_set(self) -> bool:
        return self.event.is_set()


def run_worker(app: Flask, *, once: bool = False, poll_seconds: float | None = None,
               stop: StopFlag | None = None, name: str | None = None, kinds: list[str] | None = None) -> int:
    """Process items until stopped; with ``once``, until none waits. Returns the number of items run."""
    stop = stop or StopFlag()
    name = name or worker_name()
    poll = poll_seconds if poll_seconds is not None else float(app.config.get("WORKER_POLL_SECONDS",
                                                                              DEFAULT_POLL_SECONDS))
    processed = 0
    log.info("worker %s started", name)
    while not stop.is_set():
        with app.app_context():
            try:
                ran = run_one(name, kinds=kinds)
            except OperationalError as exc:  # SQLite: another writer held the lock too long; PostgreSQL: gone
                log.warning("could not claim work: %s", exc.orig)
                ran = None
                if once:
                    raise
            finally:
                db.session.remove()
        if ran is not None and ran[1] != WorkStatus.QUEUED:
            processed += 1
            continue
        # Nothing waits, or an item met a temporary failure (queued again): look again after the poll (with
        # ``once``: stop; what could be done now is done).
        if once:
            break
        stop.event.wait(poll)
    log.info("worker %s stopped after %s items", name, processed)
    return processed


# --- several processes ----------------------------------------------------------------------------------

def _child(app: Flask, once: bool, poll_seconds: float | None, kinds: list[str] | None, counter: Any) -> None:
    """One worker process of a pool: its own connections (the parent's are never shared across a fork).

    Its own process group: Ctrl+C in a terminal reaches the parent only, which passes one SIGTERM on (finish
    the item, then stop) and, on a second Ctrl+C, a SIGINT (stop at once); otherwise every child would get
    the terminal's signal and the parent's on top, a second signal, and drop its item half-way."""
    os.setpgid(0, 0)
    with app.app_context():
        db.engine.dispose(close=False)
    stop = StopFlag()
    stop.install()
    processed = run_worker(app, once=once, poll_seconds=poll_seconds, stop=stop, kinds=kinds)
    with counter.get_lock():
        counter.value += processed


def run_worker_pool(app: Flask, *, processes: int, once: bool = False, poll_seconds: float | None = None,
                    stop: StopFlag | None = None, kinds: list[str] | None = None) -> int:
    """Run ``processes`` workers side by side (each claims its own items; a mailing's parts are items, so
    the cores share one mailing). One process: this one. Returns the number of items run by all of them.

    SIGTERM/SIGINT to this process is passed on: each child finishes its current item, then stops."""
    if processes <= 1:
        return run_worker(app, once=once, poll_seconds=poll_seconds, stop=stop, kinds=kinds)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    with app.app_context():
        db.engine.dispose()  # no pooled connection may cross the fork
    children = [context.Process(target=_child, args=(app, once, poll_seconds, kinds, counter),
                                name=f"wki-worker-{n + 1}", daemon=False) for n in range(processes)]
    for child in children:
        child.start()
    log.info("worker pool of %s processes started", processes)
    stop = stop or StopFlag()
    try:
        while any(child.is_alive() for child in children):
            if stop.is_set():
                for child in children:
                    if child.is_alive() and child.pid:
                        os.kill(child.pid, signal.SIGTERM)
                for child in children:
                    child.join()
                break
            for child in children:
                child.join(timeout=0.2)
    except KeyboardInterrupt:
        for child in children:
            if child.is_alive() and child.pid:
                os.kill(child.pid, signal.SIGINT)
        for child in children:
            child.join()
        raise
    return int(counter.value)
