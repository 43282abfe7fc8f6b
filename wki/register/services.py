"""Register imports: one at a time, idempotent, with a safety valve; quarantine decisions; run records.

Every import (by hand, by the sync job, or an administrator approving a quarantined file) goes through
``import_snapshot``, which runs inside the caller's transaction and never commits: the CLI command, the
job or the request commits once, so a process killed half-way leaves the mirror exactly as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.exc import OperationalError

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import today_local, utcnow
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.service import service
from wki.core.status import Freshness
from wki.register.audit_actions import RegisterAction
from wki.register.models import SYNC_SUCCESS, RegisterSnapshot, RegisterSyncRun, SnapshotStatus, SyncOutcome
from wki.register.snapshots import DATASETS, Dataset, Plan, SnapshotRejected, apply_plan, plan_snapshot

IMPORT_LOCK_KEY = 0x776B6902  # "wki" + 2; the scheduler holds +1


class ImportBusy(ServiceError):
    """Another import holds the lock for longer than we are willing to wait."""


@dataclass
class ImportResult:
    outcome: str  # a SyncOutcome value
    message: str  # Dutch, one line
    counts: dict[str, int] = field(default_factory=dict)
    snapshot: RegisterSnapshot | None = None
    plan: Plan | None = None
    sha256: str | None = None
    encoding: str | None = None
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.outcome in SYNC_SUCCESS


def dataset_for(kind: str) -> Dataset:
    return DATASETS[kind]


def column_mapping(kind: str) -> dict[str, str]:
    """The configured header mapping for this dataset (file header -> canonical column)."""
    return dict((current_app.config.get("REGISTER_COLUMN_MAPPING") or {}).get(kind) or {})


def acquire_import_lock() -> None:
    """Hold the import lock until the current transaction ends; wait for it up to the configured time.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: every transaction starts with BEGIN
    IMMEDIATE (core/db_setup.py), which takes the database's write lock, so the first statement of the
    import's transaction already excludes every other writer; SQLite waits for it (busy_timeout).
    """
    wait = float(current_app.config.get("REGISTER_IMPORT_LOCK_WAIT_SECONDS", 60))
    if db.session.get_bind().dialect.name != "postgresql":
        try:
            db.session.execute(sa.text("SELECT 1"))
        except OperationalError as exc:
            raise ImportBusy("Er loopt al een import; probeer het later opnieuw.") from exc
        return
    deadline = time.monotonic() + wait
    while not db.session.scalar(sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": IMPORT_LOCK_KEY}):
        if time.monotonic() >= deadline:
            raise ImportBusy("Er loopt al een import; probeer het later opnieuw.")
        time.sleep(0.25)


def latest_snapshot(kind: str, status: str = SnapshotStatus.APPLIED) -> RegisterSnapshot | None:
    stmt = (sa.select(RegisterSnapshot).where(RegisterSnapshot.kind == kind, RegisterSnapshot.status == status)
            .order_by(RegisterSnapshot.snapshot_date.desc(), RegisterSnapshot.id.desc()).limit(1))
    return db.session.scalar(stmt)


def _recognised(kind: str, sha256: str, latest: RegisterSnapshot | None) -> ImportResult | None:
    """The same file again: identical to the last applied one, held in quarantine, or discarded since.

    Only the first is a success: a file still waiting in quarantine, or one an administrator
    discarded, leaves the mirror as stale as it was, and the sync's freshness must show that.
    """
    if latest is not None and latest.sha256 == sha256:
        return ImportResult(SyncOutcome.IDENTICAL, f"Dit bestand is op {latest.snapshot_date:%d-%m-%Y} al "
                            f"ingelezen (snapshot {latest.id}); er is niets gewijzigd.", sha256=sha256)
    stmt = sa.select(RegisterSnapshot).where(
        RegisterSnapshot.kind == kind, RegisterSnapshot.sha256 == sha256,
        RegisterSnapshot.status.in_([SnapshotStatus.QUARANTINED, SnapshotStatus.DISCARDED]))
    if latest is not None:
        stmt = stmt.where(RegisterSnapshot.id > latest.id)
    held = db.session.scalars(stmt.order_by(RegisterSnapshot.id.desc())).first()
    if held is None:
        return None
    if held.status == SnapshotStatus.QUARANTINED:
        return ImportResult(SyncOutcome.QUARANTINED, f"Dit bestand staat al in quarantaine (snapshot {held.id}) "
                            "en wacht op een beheerder.", sha256=sha256, snapshot=held)
    return ImportResult(SyncOutcome.REJECTED, f"Dit bestand is eerder verworpen door een beheerder (snapshot "
                        f"{held.id}); er is niets gewijzigd.", sha256=sha256)


def import_snapshot(kind: str, data: bytes, *, snapshot_date: date | None = None, file_format: str = "csv",
                    file_name: str | None = None, source: str | None = None, actor: Actor,
                    dry_run: bool = False, mapping: dict[str, str] | None = None) -> ImportResult:
    """Import one full snapshot in the current transaction (the caller commits or rolls back).

    Raises SnapshotRejected (bad rows, unreadable file, older than the mirror) and ImportBusy.
    """
    dataset = dataset_for(kind)
    day = snapshot_date or today_local()
    if day > today_local() + timedelta(days=1):
        # A mistyped year ("2062") would make every later sync look older than the mirror and be refused.
        raise SnapshotRejected(
            f"De snapshotdatum {day:%d-%m-%Y} ligt in de toekomst; vul de datum in waarop het bestand zo luidde.")
    acquire_import_lock()
    latest = latest_snapshot(kind)
    sha256 = hashlib.sha256(data).hexdigest()
    seen = _recognised(kind, sha256, latest)
    if seen is not None:
        return seen
    if latest is not None and day < latest.snapshot_date:
        raise SnapshotRejected(
            f"De snapshotdatum {day:%d-%m-%Y} ligt vóór de laatst ingelezen snapshot van "
            f"{latest.snapshot_date:%d-%m-%Y}; lees archiefbestanden in datumvolgorde in.")
    snapshot = RegisterSnapshot(kind=kind, snapshot_date=day, sha256=sha256, file_name=file_name, source=source,
                                file_format=file_format, created_by=actor.label, status=SnapshotStatus.APPLIED,
                                counts={})
    plan = plan_snapshot(dataset, data, snapshot_date=day, file_format=file_format, sha256=sha256,
                         mapping=mapping if mapping is not None else column_mapping(kind))
    result = ImportResult(SyncOutcome.APPLIED, "", counts=plan.counts, plan=plan, sha256=sha256,
                          encoding=plan.encoding, unknown_columns=plan.unknown_columns)
    reason = _quarantine_reason(plan)
    if dry_run:
        result.message = "Proefdraai: er is niets gewijzigd." + (f" Dit bestand zou in quarantaine gaan: {reason}"
                                                                   if reason else "")
        if reason:
            result.outcome = SyncOutcome.QUARANTINED
        return result
    snapshot.counts = plan.counts
    snapshot.encoding = plan.encoding
    result.snapshot = snapshot
    db.session.add(snapshot)
    if reason:
        snapshot.status = SnapshotStatus.QUARANTINED
        snapshot.reason = reason
        snapshot.diff = plan.diff()
        snapshot.raw_gzip = gzip.compress(data, compresslevel=6)
        db.session.flush()
        audit.record(RegisterAction.SNAPSHOT_QUARANTINED, object_type="register_snapshot", object_id=snapshot.id,
                     after={"kind": kind, "datum": day, "reden": reason, **plan.counts}, actor=actor)
        result.outcome = SyncOutcome.QUARANTINED
        result.message = (f"Het bestand is in quarantaine gezet en niet toegepast: {reason} "
                          "Een beheerder moet het goedkeuren of verwerpen.")
        return result
    db.session.flush()
    apply_plan(plan, snapshot_id=snapshot.id)
    audit.record(RegisterAction.SNAPSHOT_APPLIED, object_type="register_snapshot", object_id=snapshot.id,
                 after={"kind": kind, "datum": day, "sha256": sha256, **plan.counts}, actor=actor)
    result.message = f"{dataset.label[0].upper()}{dataset.label[1:]} van {day:%d-%m-%Y} is ingelezen."
    return result


def _quarantine_reason(plan: Plan) -> str | None:
    share = float(current_app.config.get("REGISTER_MAX_REMOVAL_SHARE", 0.10))
    if plan.row_count == 0:
        return "het bestand bevat geen enkele regel."
    if plan.current_count and plan.removal_share > share:
        return (f"het zou {len(plan.left)} van de {plan.current_count} huidige inschrijvingen verwijderen "
                f"({plan.removal_share:.0%}, meer dan de grens van {share:.0%}).")
    return None


# --- quarantine decisions --------------------------------------------------------------------------

def list_quarantined() -> list[RegisterSnapshot]:
    stmt = sa.select(RegisterSnapshot).where(RegisterSnapshot.status == SnapshotStatus.QUARANTINED).order_by(
        RegisterSnapshot.created_at.desc())
    return list(db.session.scalars(stmt))


def get_snapshot(snapshot_id: int) -> RegisterSnapshot:
    snapshot = db.session.get(RegisterSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFoundError("Deze snapshot bestaat niet.")
    return snapshot


def _pending(snapshot_id: int) -> RegisterSnapshot:
    """The snapshot as committed now (call under the import lock), refused unless it still waits.

    Read again from the database, past the session's identity map, and on PostgreSQL with a row lock:
    a decision taken in another request since this one started must be seen here.
    """
    stmt = (sa.select(RegisterSnapshot).where(RegisterSnapshot.id == snapshot_id)
            .execution_options(populate_existing=True))
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    snapshot = db.session.scalar(stmt)
    if snapshot is None:
        raise NotFoundError("Deze snapshot bestaat niet.")
    if snapshot.status == SnapshotStatus.QUARANTINED:
        return snapshot
    if snapshot.status == SnapshotStatus.DISCARDED:
        raise ServiceError("Over deze snapshot is al beslist: ze is verworpen.")
    if snapshot.decided_at is not None:
        raise ServiceError("Over deze snapshot is al beslist: ze is goedgekeurd en toegepast.")
    raise ServiceError("Over deze snapshot is al beslist: ze is direct toegepast, zonder quarantaine.")


def _newer(stmt: sa.Select, snapshot: RegisterSnapshot) -> sa.Select:
    """Snapshots of the same kind after ``snapshot`` in register order: a later date, or the same date
    and read in later."""
    S = RegisterSnapshot
    return (stmt.where(S.kind == snapshot.kind, S.id != snapshot.id,
                       sa.or_(S.snapshot_date > snapshot.snapshot_date,
                              sa.and_(S.snapshot_date == snapshot.snapshot_date, S.id > snapshot.id)))
            .order_by(S.snapshot_date.desc(), S.id.desc()).limit(1))


def approval_blocker(snapshot: RegisterSnapshot) -> str | None:
    """Why this quarantined snapshot may not be approved (Dutch), or None when it is next in line.

    A held file is a complete register as it read on its date. It is next only when nothing newer has
    been applied since (a file of a later date, or another file of the same date read in after it:
    approving would overwrite newer data with older) and no newer file is held in quarantine as well
    (that one describes the register later, so it is the one to decide on first).
    """
    S = RegisterSnapshot
    applied = db.session.scalar(_newer(sa.select(S).where(S.status == SnapshotStatus.APPLIED), snapshot))
    if applied is not None and applied.snapshot_date > snapshot.snapshot_date:
        return (f"Sinds deze snapshot is een nieuwere ingelezen ({applied.snapshot_date:%d-%m-%Y}); "
                "goedkeuren zou de geschiedenis herschrijven. Verwerp deze snapshot.")
    if applied is not None:
        return (f"Na deze snapshot is een ander bestand van dezelfde datum ({applied.snapshot_date:%d-%m-%Y}) "
                f"toegepast (snapshot {applied.id}); goedkeuren zou die nieuwere gegevens overschrijven met "
                "oudere. Verwerp deze snapshot.")
    held = db.session.scalar(_newer(sa.select(S).where(S.status == SnapshotStatus.QUARANTINED), snapshot))
    if held is not None:
        return (f"Snapshot {held.id} van {held.snapshot_date:%d-%m-%Y} staat ook in quarantaine en is nieuwer "
                "dan deze; die geeft het register van later weer. Beslis eerst over die snapshot: keur haar goed, "
                "of verwerp haar als ook deze snapshot daarna nog toegepast moet kunnen worden.")
    return None


@dataclass
class ApprovalPreview:
    """What approving a quarantined snapshot would do now, diffed against the mirror as it is now."""

    plan: Plan | None
    basis: int  # id of the latest applied snapshot of the kind (0: none); the approval form sends it back
    blocker: str | None = None  # why approving is refused (then plan is None)


def _mirror_basis(kind: str) -> int:
    latest = latest_snapshot(kind)
    return latest.id if latest is not None else 0


def approval_preview(snapshot: RegisterSnapshot) -> ApprovalPreview:
    """Plan the held file against the current mirror, exactly as an import of it would be planned."""
    basis = _mirror_basis(snapshot.kind)
    blocker = approval_blocker(snapshot)
    if blocker is not None:
        return ApprovalPreview(None, basis, blocker)
    data = gzip.decompress(snapshot.raw_gzip or b"")
    try:
        plan = plan_snapshot(dataset_for(snapshot.kind), data, snapshot_date=snapshot.snapshot_date,
                             file_format=snapshot.file_format, sha256=snapshot.sha256,
                             mapping=column_mapping(snapshot.kind))
    except SnapshotRejected as exc:
        return ApprovalPreview(None, basis, exc.message)
    return ApprovalPreview(plan, basis)


@service
def approve_snapshot(snapshot_id: int, *, reason: str, basis: int | None = None,
                     actor: Actor | None = None) -> ImportResult:
    """Apply a quarantined file, planned again against the mirror as it is now, under the import lock.

    ``reason`` is required and goes into the audit trail. ``basis`` is the mirror the administrator saw
    the diff against (``ApprovalPreview.basis``); when the mirror has moved on since, the approval is
    refused so that nobody approves a diff they have not seen. Refused, too, when the snapshot is no
    longer next in line (``approval_blocker``) or was decided on in the meantime.
    """
    if not reason.strip():
        raise ServiceError("Geef een reden op.", field="reden")
    acquire_import_lock()
    snapshot = _pending(snapshot_id)
    preview = approval_preview(snapshot)
    if preview.plan is None:
        raise ServiceError(preview.blocker or "Deze snapshot kan niet worden goedgekeurd.")
    if basis is not None and basis != preview.basis:
        raise ServiceError("Het register is gewijzigd sinds u deze pagina opende; de verschillen zijn opnieuw "
                           "berekend. Bekijk ze en keur de snapshot daarna opnieuw goed.")
    plan = preview.plan
    apply_plan(plan, snapshot_id=snapshot.id)
    snapshot.status = SnapshotStatus.APPLIED
    snapshot.counts = plan.counts
    snapshot.diff = plan.diff()
    snapshot.raw_gzip = None
    snapshot.decided_at = utcnow()
    snapshot.decided_by = actor.label if actor else None
    audit.record(RegisterAction.SNAPSHOT_APPROVED, object_type="register_snapshot", object_id=snapshot.id,
                 before={"status": SnapshotStatus.QUARANTINED},
                 after={"status": SnapshotStatus.APPLIED, "reden": reason.strip(), **plan.counts}, actor=actor)
    db.session.flush()
    return ImportResult(SyncOutcome.APPLIED, f"Snapshot {snapshot.id} is goedgekeurd en toegepast.",
                        counts=plan.counts, snapshot=snapshot, plan=plan, sha256=snapshot.sha256)


@service
def discard_snapshot(snapshot_id: int, *, reason: str, actor: Actor | None = None) -> None:
    """Discard a quarantined file; under the import lock, so it never races an approval of the same file."""
    if not reason.strip():
        raise ServiceError("Geef een reden op.", field="reden")
    acquire_import_lock()
    snapshot = _pending(snapshot_id)
    snapshot.status = SnapshotStatus.DISCARDED
    snapshot.raw_gzip = None
    snapshot.decided_at = utcnow()
    snapshot.decided_by = actor.label if actor else None
    audit.record(RegisterAction.SNAPSHOT_DISCARDED, object_type="register_snapshot", object_id=snapshot.id,
                 before={"status": SnapshotStatus.QUARANTINED},
                 after={"status": SnapshotStatus.DISCARDED, "reden": reason.strip()}, actor=actor)
    db.session.flush()


# --- run records -----------------------------------------------------------------------------------

@service
def record_import(result: ImportResult, *, kind: str, source: str, started_at: Any,
                  actor: Actor) -> RegisterSyncRun:
    """The record of a file imported by hand (``flask register import``, an upload read by the worker)."""
    return record_run(kind=kind, trigger="import", source=source, started_at=started_at, outcome=result.outcome,
                      message=result.message, sha256=result.sha256, counts=result.counts,
                      snapshot_id=result.snapshot.id if result.snapshot else None, actor=actor)


@service
def record_refused_import(refusal: SnapshotRejected, *, kind: str, source: str, started_at: Any,
                          actor: Actor) -> RegisterSyncRun:
    """The record of a file imported by hand and refused (nothing of it was applied)."""
    return record_run(kind=kind, trigger="import", source=source, started_at=started_at,
                      outcome=SyncOutcome.REJECTED, message=refusal.message, errors=refusal.errors,
                      actor=actor)


@service
def record_run(*, kind: str, trigger: str, source: str, started_at: Any, outcome: str, message: str,
               sha256: str | None = None, counts: dict[str, Any] | None = None,
               errors: list[Any] | None = None, etag: str | None = None, last_modified: str | None = None,
               snapshot_id: int | None = None, actor: Actor | None = None) -> RegisterSyncRun:
    """Add the record of one import or sync run to the current transaction."""
    run = RegisterSyncRun(
        kind=kind, trigger=trigger, source=source[:500], started_at=started_at, finished_at=utcnow(),
        outcome=outcome, message=message, sha256=sha256, counts=counts, etag=etag, last_modified=last_modified,
        snapshot_id=snapshot_id, actor_email=actor.label if actor else None,
        errors={"total": len(errors), "rows": [e.as_dict() for e in errors[:200]]} if errors else None,
    )
    db.session.add(run)
    db.session.flush()
    return run


def list_runs(*, kind: str | None = None, outcome: str | None = None, page: int = 1, per_page: int = 50) -> Any:
    stmt = sa.select(RegisterSyncRun).order_by(RegisterSyncRun.started_at.desc(), RegisterSyncRun.id.desc())
    if kind:
        stmt = stmt.where(RegisterSyncRun.kind == kind)
    if outcome:
        stmt = stmt.where(RegisterSyncRun.outcome == outcome)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def get_run(run_id: int) -> RegisterSyncRun:
    run = db.session.get(RegisterSyncRun, run_id)
    if run is None:
        raise NotFoundError("Deze synchronisatie bestaat niet.")
    return run


def last_successful_run(kind: str = "register") -> RegisterSyncRun | None:
    stmt = (sa.select(RegisterSyncRun)
            .where(RegisterSyncRun.kind == kind, RegisterSyncRun.outcome.in_(SYNC_SUCCESS))
            .order_by(RegisterSyncRun.finished_at.desc(), RegisterSyncRun.id.desc()).limit(1))
    return db.session.scalar(stmt)


def sync_freshness(kind: str = "register") -> dict[str, Any]:
    """The sync status of the mirror: the one source for every page that shows it.

    The sync page, the dashboard tile and Beheer's table of jobs all show this (Beheer's table used to
    show the scheduled job's own runs, which miss imports by hand and approved quarantines, and so said
    "nooit, te oud" beside "op tijd"). Status: ``state`` ("nooit", "te_oud", "op_tijd"), its ``label``
    and a one-line ``summary``; ``stale`` is true unless the state is "op_tijd".
    """
    from wki.core.formatting import fmt_datetime

    max_age = int(current_app.config.get("REGISTER_SYNC_MAX_AGE_HOURS", 48))
    run = last_successful_run(kind)
    when = run.finished_at if run else None
    age = (utcnow() - when).total_seconds() if when else None
    state = Freshness.NEVER if age is None else Freshness.STALE if age > max_age * 3600 else Freshness.ON_TIME
    summary = "Nog nooit geslaagd." if when is None else f"Laatst geslaagd: {fmt_datetime(when)}."
    return {"kind": kind, "last_success": when, "age_seconds": age, "max_age_hours": max_age,
            "stale": state != Freshness.ON_TIME, "state": state, "label": state.label, "summary": summary}


# --- a file uploaded by an administrator, read by the worker (wki/core/worker.py) ---------------------------

UPLOAD_WORK = "register.import"
UPLOAD_FORMATS = {".csv": "csv", ".txt": "csv", ".json": "json"}


def upload_format(kind: str, file_name: str | None) -> str:
    """The file's format from its name, as ``flask register import --format`` would be given it."""
    suffix = ("." + file_name.rsplit(".", 1)[-1].lower()) if file_name and "." in file_name else ""
    file_format = UPLOAD_FORMATS.get(suffix)
    if file_format is None:
        raise ServiceError("Kies een CSV-bestand (.csv) of, voor het register, een JSON-bestand (.json).",
                           field="bestand")
    if file_format == "json" and kind != "register":
        raise ServiceError("De lijst van vrijgestelden kan alleen als CSV-bestand worden ingelezen.", field="bestand")
    return file_format


def check_upload(kind: str, data: bytes, *, snapshot_date: date, file_format: str) -> None:
    """What can be refused at once, within the request: a file that cannot be read as the dataset at all
    (encoding, header, required columns, JSON), and a date before the mirror's. The rows are validated by
    the import itself, in the worker (``import_snapshot`` checks the date again, under the import lock).

    Raises SnapshotRejected (the file) or ServiceError (the date), with Dutch messages."""
    from wki.register.snapshots import read_file

    if snapshot_date > today_local() + timedelta(days=1):
        raise ServiceError(f"De snapshotdatum {snapshot_date:%d-%m-%Y} ligt in de toekomst; vul de datum in waarop "
                           "het bestand zo luidde.", field="snapshotdatum")
    read_file(dataset_for(kind), data, file_format=file_format, mapping=column_mapping(kind))
    latest = latest_snapshot(kind)
    if latest is not None and snapshot_date < latest.snapshot_date:
        raise ServiceError(
            f"De snapshotdatum {snapshot_date:%d-%m-%Y} ligt vóór de laatst ingelezen snapshot van "
            f"{latest.snapshot_date:%d-%m-%Y}; lees archiefbestanden in datumvolgorde in.", field="snapshotdatum")


@service
def queue_upload(kind: str, data: bytes, *, snapshot_date: date, file_name: str | None,
                 actor: Actor) -> tuple[Any, bool]:
    """Check an uploaded register or exempt-list file and queue its import for the worker; returns (work
    item, created). The same file for the same list and date while its import waits or runs (a double click,
    the form sent again) returns that item; sent again once it is done, the import recognises the file.

    Raises SnapshotRejected or ServiceError for a file refused at once (``check_upload``): nothing queued."""
    from wki.core import worker

    if kind not in DATASETS:
        raise ServiceError("Kies het register of de lijst van vrijgestelden.", field="soort")
    file_format = upload_format(kind, file_name)
    check_upload(kind, data, snapshot_date=snapshot_date, file_format=file_format)
    sha256 = hashlib.sha256(data).hexdigest()
    key = worker.idempotency_key(UPLOAD_WORK, kind, snapshot_date.isoformat(), sha256)
    payload = {"kind": kind, "snapshot_date": snapshot_date.isoformat(), "file_format": file_format,
               "file_name": file_name, "sha256": sha256, "size": len(data)}
    return worker.enqueue(UPLOAD_WORK, payload=payload, input_data=data, key=key, actor=actor)


def run_upload_work(ctx: Any) -> dict[str, Any]:
    """The worker's handler of an uploaded file: what ``flask register import`` does (``import_snapshot`` with
    its validation, quarantine rules and audit, then the run's record), in one transaction with the item's end.

    A refused file changes nothing; its refusal is recorded as a run (as the CLI records it), committed with
    the item's result, and the item fails with the Dutch message and the bad rows."""
    from wki.core.worker import WorkRefused

    payload = ctx.payload
    kind = payload["kind"]
    file_name = payload.get("file_name")
    source = f"upload: {file_name or 'bestand'}"
    actor = Actor.process(ctx.created_by or "onbekend")
    started = utcnow()
    ctx.progress(0, 1, "Bestand controleren en inlezen")
    try:
        result = import_snapshot(kind, ctx.input_data(), snapshot_date=date.fromisoformat(payload["snapshot_date"]),
                                 file_format=payload.get("file_format", "csv"), file_name=file_name, source=source,
                                 actor=actor)
    except SnapshotRejected as exc:
        db.session.rollback()
        ctx.touch()
        run = record_refused_import(exc, kind=kind, source=source, started_at=started, actor=actor)
        ctx.checkpoint(sync_run_id=run.id)
        raise WorkRefused(exc.message, result={
            "uitkomst": SyncOutcome.REJECTED, "sync_run_id": run.id, "aantal_fouten": len(exc.errors),
            "fouten": [e.as_dict() for e in exc.errors[:500]]}) from None
    run = record_import(result, kind=kind, source=source, started_at=started, actor=actor)
    ctx.progress(1, 1, None)
    return {"uitkomst": result.outcome, "melding": result.message, "sync_run_id": run.id,
            "snapshot_id": result.snapshot.id if result.snapshot else None, "counts": result.counts or {}}


def register_work() -> None:
    """The kind of work the register queues (called at app setup)."""
    from wki.core.worker import register_kind

    # One at a time per file, list and date; once done, sending the file again is recognised by the import
    # (identical, held in quarantine, discarded) and a failed one (the import lock was busy) may be retried.
    register_kind(UPLOAD_WORK, "Registerbestand inlezen", run_upload_work, key_while_active=True,
                  result_link=lambda item: (url_for("register.upload_result", upload_id=item.id),
                                            "Naar de uitkomst van het inlezen"))
