"""Bulk files of signals (signalen.md): reading one in within the request, or queueing it for the worker
and the worker's handler of it. A file with a bad row is refused as a whole (``SignalFileRejected``)
unless the bad rows are to be skipped; a reference its source already sent is a duplicate. No function
here commits: the request, the CLI command or the worker does, once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app

from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.csvio import CsvFormatError, RowError, open_csv
from wki.core.db import table_of
from wki.core.downloads import csv_bytes
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.service import service
from wki.core.worker import WorkItem
from wki.signals.intake import FIELD_LABELS, INTAKE_COLUMNS, REQUIRED_COLUMNS, clean_signal
from wki.signals.judging import match_signals
from wki.signals.models import Channel, Signal, SignalImport, SignalStatus
from wki.signals.recording import known_references

S = Signal


class SignalFileRejected(ServiceError):
    """A bulk file that cannot be imported as a whole; nothing was changed."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

    def report(self, limit: int = 200) -> list[str]:
        lines = [self.message]
        lines.extend(error.describe() for error in self.errors[:limit])
        if len(self.errors) > limit:
            lines.append(f"… en nog {len(self.errors) - limit} fouten.")
        return lines


@dataclass
class SignalImportResult:
    counts: dict[str, int]
    encoding: str
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)  # (line, bron, referentie)
    rejects_csv: bytes | None = None
    signal_ids: list[int] = field(default_factory=list)
    record: SignalImport | None = None

    def report(self) -> list[str]:
        """The per-row report, in Dutch."""
        lines = [f"Codering: {self.encoding}."]
        if self.unknown_columns:
            lines.append("Onbekende kolommen (genegeerd): " + ", ".join(self.unknown_columns) + ".")
        lines.append(f"Nieuw: {self.counts['nieuw']}  dubbel: {self.counts['dubbel']}  "
                     f"overgeslagen (ongeldig): {self.counts['ongeldig']}")
        lines.extend(f"regel {line}: {bron}/{ref} is al bekend (dubbel), niets gewijzigd"
                     for line, bron, ref in self.duplicates)
        lines.extend(f"overgeslagen: {error.describe()}" for error in self.errors)
        return lines


def _rejects_csv(header: tuple[str, ...], rows: list[tuple[int, tuple[str, ...], list[RowError]]]) -> bytes:
    """The skipped rows for a person to correct: a download like every other (``core.downloads``)."""
    return csv_bytes(("regel", *header, "fouten"),
                     ((line, *cells, "; ".join(e.describe() for e in errors)) for line, cells, errors in rows))


@service
def import_signals(data: bytes, *, file_name: str | None, actor: Actor, skip_invalid: bool = False,
                   match: bool = True) -> SignalImportResult:
    """Import a bulk file (signalen.md). A file with a bad row is rejected as a whole, unless
    ``skip_invalid``: then the bad rows are skipped and come back as ``rejects_csv``. A reference the
    source already sent is a duplicate: reported, nothing changed. New signals are judged at once."""
    try:
        table = open_csv(data, columns=INTAKE_COLUMNS, required=REQUIRED_COLUMNS, labels=FIELD_LABELS)
    except CsvFormatError as exc:
        raise SignalFileRejected(str(exc)) from None
    cleaned_rows: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    rejected: list[tuple[int, tuple[str, ...], list[RowError]]] = []
    for line, cells in table.rows():
        if cells is None:
            error = RowError(line, None, None, "de regel heeft meer cellen dan de kopregel")
            errors.append(error)
            rejected.append((line, (), [error]))
            continue
        values, field_errors = clean_signal(dict(zip(INTAKE_COLUMNS, cells, strict=True)))
        if field_errors:
            row_errors = [RowError(line, e.column, e.value, e.reason, FIELD_LABELS.get(e.column)) for e in field_errors]
            errors.extend(row_errors)
            rejected.append((line, cells, row_errors))
            continue
        cleaned_rows.append((line, values))
    if errors and not skip_invalid:
        bad_rows = len({e.line for e in errors})
        raise SignalFileRejected(
            f"Het bestand is niet ingelezen: {bad_rows} regel{'s' if bad_rows != 1 else ''} met fouten. "
            "Er is niets gewijzigd.", errors)

    known = known_references({(v["bron"], v["referentie"]) for _line, v in cleaned_rows})
    new_rows: list[dict[str, Any]] = []
    duplicates: list[tuple[int, str, str]] = []
    for line, values in cleaned_rows:
        key = (values["bron"], values["referentie"])
        if key in known:
            duplicates.append((line, *key))
            continue
        known.add(key)
        new_rows.append(values)

    counts = {"nieuw": len(new_rows), "dubbel": len(duplicates), "ongeldig": len({e.line for e in errors})}
    record = SignalImport(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), encoding=table.encoding,
                          counts=counts, created_by=actor.label, report={
                              "ongeldig": [e.as_dict() for e in errors[:1000]],
                              "dubbel": [{"regel": line, "bron": b, "referentie": r} for line, b, r in duplicates[:1000]],
                              "onbekende_kolommen": table.unknown_columns,
                          })
    rejects = _rejects_csv(INTAKE_COLUMNS, rejected) if rejected else None
    record.rejects_csv = rejects
    db.session.add(record)
    db.session.flush()
    now = utcnow()
    ids = _insert(new_rows, channel=Channel.FILE, created_by=actor.label, created_at=now, import_id=record.id)
    audit.record("signalen.geimporteerd", object_type="signal_import", object_id=record.id,
                 after={"bestand": file_name, **counts}, actor=actor)
    if match and ids:
        match_signals(import_id=record.id, only_open=False, actor=actor)
    return SignalImportResult(counts=counts, encoding=table.encoding, unknown_columns=table.unknown_columns,
                              errors=errors, duplicates=duplicates, signal_ids=ids, record=record,
                              rejects_csv=rejects)


def _insert(rows: list[dict[str, Any]], *, import_id: int, **common: Any) -> list[int]:
    """Insert one file's signals in bulk (executemany, no RETURNING: that costs more than the insert);
    returns their ids, found again by the import they belong to."""
    if not rows:
        return []
    values = [{**row, **common, "import_id": import_id, "status": SignalStatus.OPEN} for row in rows]
    table = table_of(Signal)
    connection = db.session.connection()
    for start in range(0, len(values), 5000):
        connection.execute(table.insert(), values[start:start + 5000])
    return list(db.session.scalars(sa.select(S.id).where(S.import_id == import_id).order_by(S.id)))


# --- in the worker (wki/core/worker.py) --------------------------------------------------------------

IMPORT_WORK = "signals.import"
# Files up to this size are read within the request, as before; larger ones go to the worker. Configurable
# (SIGNAL_IMPORT_SYNC_MAX_ROWS, SIGNAL_IMPORT_SYNC_MAX_BYTES).
SYNC_MAX_ROWS = 2000
SYNC_MAX_BYTES = 1024 * 1024
IMPORT_STEPS = 2  # 1: read and store, 2: judge


def import_in_background(data: bytes) -> bool:
    """Whether a file is large enough to be read by the worker rather than within the request. Lines are
    counted, not parsed (a quoted line break counts too): a threshold, not a count."""
    max_rows = int(current_app.config.get("SIGNAL_IMPORT_SYNC_MAX_ROWS", SYNC_MAX_ROWS))
    max_bytes = int(current_app.config.get("SIGNAL_IMPORT_SYNC_MAX_BYTES", SYNC_MAX_BYTES))
    return len(data) > max_bytes or data.count(b"\n") > max_rows


@service
def queue_import(data: bytes, *, file_name: str | None, actor: Actor,
                 skip_invalid: bool = False) -> tuple[WorkItem, bool]:
    """Queue a bulk file for the worker; returns (work item, created). The same person sending the same file
    with the same choice again (a double click, a refresh) gets the item already queued."""
    from wki.core import worker

    sha256 = hashlib.sha256(data).hexdigest()
    key = worker.idempotency_key(IMPORT_WORK, actor.label, sha256, int(skip_invalid))
    return worker.enqueue(IMPORT_WORK, payload={"file_name": file_name, "skip_invalid": skip_invalid,
                                                "sha256": sha256, "size": len(data)},
                          input_data=data, key=key, actor=actor)


def run_import_work(ctx: Any) -> dict[str, Any]:
    """The worker's handler of a queued file: ``import_signals`` in one transaction, committed together with
    the import's id (a checkpoint), then the judging in a second. Taken over after a crash, it stores nothing
    twice: a first step that was committed is not done again, one that was not left nothing behind (and the
    duplicate check by source and reference would pass over what is already there in any case)."""
    from wki.core.worker import WorkRefused

    payload = ctx.payload
    actor = Actor.process(ctx.created_by or "onbekend")  # queue_import always names one
    if "import_id" not in ctx.result:
        ctx.progress(0, IMPORT_STEPS, "Bestand lezen en signalen opslaan")
        try:
            result = import_signals(ctx.input_data(), file_name=payload.get("file_name"), actor=actor,
                                    skip_invalid=bool(payload.get("skip_invalid")), match=False)
        except SignalFileRejected as exc:
            raise WorkRefused(exc.message, result={"fouten": [e.as_dict() for e in exc.errors[:500]],
                                                   "aantal_fouten": len(exc.errors)}) from None
        ctx.progress(1, IMPORT_STEPS, "Signalen beoordelen")
        assert result.record is not None  # an import that is not refused is recorded
        ctx.checkpoint(import_id=result.record.id, counts=result.counts)
    import_id = ctx.result["import_id"]
    if db.session.scalar(sa.select(sa.func.count()).select_from(S).where(S.import_id == import_id)):
        match_signals(import_id=import_id, only_open=False, actor=actor)
    ctx.progress(IMPORT_STEPS, IMPORT_STEPS, None)
    return {"import_id": import_id, "counts": ctx.result["counts"]}
