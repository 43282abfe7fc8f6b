"""Writing signals: intake (bulk file, staff form, partner API), attachments, people's decisions about
verdicts and suspects, partner tokens. Every change has its audit event in the same transaction; no
function here commits: the request, CLI command or job does, once.
"""

from __future__ import annotations

import csv
import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from wki.core import audit
from wki.core.clock import today_local, utcnow
from wki.core.csvio import CsvFormatError, RowError, open_csv
from wki.core.downloads import csv_bytes
from wki.core.errors import NotFoundError, ServiceError
from wki.core.images import image_format
from wki.core.sequences import next_value
from wki.extensions import db
from wki.signals.engine import attach_signal, match_signals, regroup_suspects, rematch_stale
from wki.signals.intake import FIELD_LABELS, REQUIRED_COLUMNS, SIGNAL_COLUMNS, clean_signal
from wki.signals.models import (
    Channel,
    LinkKind,
    PartnerToken,
    Signal,
    SignalAttachment,
    SignalImport,
    SignalStatus,
    Source,
    Suspect,
    SuspectLink,
    SuspectStatus,
    Verdict,
)

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


class DuplicateSignal(ServiceError):
    """This source already sent a signal with this reference."""


# --- bulk files ----------------------------------------------------------------------------------------

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


def import_signals(data: bytes, *, file_name: str | None, actor_email: str | None, skip_invalid: bool = False,
                   match: bool = True) -> SignalImportResult:
    """Import a bulk file (signalen.md). A file with a bad row is rejected as a whole, unless
    ``skip_invalid``: then the bad rows are skipped and come back as ``rejects_csv``. A reference the
    source already sent is a duplicate: reported, nothing changed. New signals are judged at once."""
    try:
        table = open_csv(data, columns=SIGNAL_COLUMNS, required=REQUIRED_COLUMNS, labels=FIELD_LABELS)
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
        values, field_errors = clean_signal(dict(zip(SIGNAL_COLUMNS, cells, strict=True)))
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

    known = _known_references({(v["bron"], v["referentie"]) for _line, v in cleaned_rows})
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
                          counts=counts, created_by=actor_email, report={
                              "ongeldig": [e.as_dict() for e in errors[:1000]],
                              "dubbel": [{"regel": line, "bron": b, "referentie": r} for line, b, r in duplicates[:1000]],
                              "onbekende_kolommen": table.unknown_columns,
                          })
    rejects = _rejects_csv(SIGNAL_COLUMNS, rejected) if rejected else None
    record.rejects_csv = rejects
    db.session.add(record)
    db.session.flush()
    now = utcnow()
    ids = _insert(new_rows, channel=Channel.FILE, created_by=actor_email, created_at=now, import_id=record.id)
    audit.record("signalen.geimporteerd", object_type="signal_import", object_id=record.id,
                 after={"bestand": file_name, **counts}, actor_email=actor_email)
    if match and ids:
        match_signals(import_id=record.id, only_open=False, actor_email=actor_email)
    return SignalImportResult(counts=counts, encoding=table.encoding, unknown_columns=table.unknown_columns,
                              errors=errors, duplicates=duplicates, signal_ids=ids, record=record,
                              rejects_csv=rejects)


def _known_references(keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    known: set[tuple[str, str]] = set()
    by_source: dict[str, list[str]] = {}
    for bron, referentie in keys:
        by_source.setdefault(bron, []).append(referentie)
    for bron, refs in by_source.items():
        for start in range(0, len(refs), 500):
            chunk = refs[start:start + 500]
            known.update(db.session.execute(
                sa.select(S.bron, S.referentie).where(S.bron == bron, S.referentie.in_(chunk))).tuples())
    return known


def _insert(rows: list[dict[str, Any]], *, import_id: int, **common: Any) -> list[int]:
    """Insert one file's signals in bulk (executemany, no RETURNING: that costs more than the insert);
    returns their ids, found again by the import they belong to."""
    if not rows:
        return []
    values = [{**row, **common, "import_id": import_id, "status": SignalStatus.OPEN} for row in rows]
    table = Signal.__table__
    connection = db.session.connection()
    for start in range(0, len(values), 5000):
        connection.execute(table.insert(), values[start:start + 5000])
    return list(db.session.scalars(sa.select(S.id).where(S.import_id == import_id).order_by(S.id)))


# --- bulk files and re-matching in the worker (wki/core/worker.py) -----------------------------------------

IMPORT_WORK = "signals.import"
REMATCH_WORK = "signals.rematch"
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


def queue_import(data: bytes, *, file_name: str | None, actor_email: str | None, skip_invalid: bool = False):
    """Queue a bulk file for the worker; returns (work item, created). The same person sending the same file
    with the same choice again (a double click, a refresh) gets the item already queued."""
    from wki.core import worker

    sha256 = hashlib.sha256(data).hexdigest()
    key = worker.idempotency_key(IMPORT_WORK, actor_email, sha256, int(skip_invalid))
    return worker.enqueue(IMPORT_WORK, payload={"file_name": file_name, "skip_invalid": skip_invalid,
                                                "sha256": sha256, "size": len(data)},
                          input_data=data, key=key, actor_email=actor_email)


def run_import_work(ctx: Any) -> dict[str, Any]:
    """The worker's handler of a queued file: ``import_signals`` in one transaction, committed together with
    the import's id (a checkpoint), then the judging in a second. Taken over after a crash, it stores nothing
    twice: a first step that was committed is not done again, one that was not left nothing behind (and the
    duplicate check by source and reference would pass over what is already there in any case)."""
    from wki.core.worker import WorkRefused

    payload = ctx.payload
    actor = ctx.created_by
    if "import_id" not in ctx.result:
        ctx.progress(0, IMPORT_STEPS, "Bestand lezen en signalen opslaan")
        try:
            result = import_signals(ctx.input_data(), file_name=payload.get("file_name"), actor_email=actor,
                                    skip_invalid=bool(payload.get("skip_invalid")), match=False)
        except SignalFileRejected as exc:
            raise WorkRefused(exc.message, result={"fouten": [e.as_dict() for e in exc.errors[:500]],
                                                   "aantal_fouten": len(exc.errors)}) from None
        ctx.progress(1, IMPORT_STEPS, "Signalen beoordelen")
        ctx.checkpoint(import_id=result.record.id, counts=result.counts)
    import_id = ctx.result["import_id"]
    if db.session.scalar(sa.select(sa.func.count()).select_from(S).where(S.import_id == import_id)):
        match_signals(import_id=import_id, only_open=False, actor_email=actor)
    ctx.progress(IMPORT_STEPS, IMPORT_STEPS, None)
    return {"import_id": import_id, "counts": ctx.result["counts"]}


def queue_rematch(*, actor_email: str | None):
    """Queue the judging of every open signal that waits for it; one at a time: while one is queued or
    running, asking again returns that one."""
    from wki.core import worker

    return worker.enqueue(REMATCH_WORK, key=REMATCH_WORK, actor_email=actor_email)


def run_rematch_work(ctx: Any) -> dict[str, Any]:
    """The worker's handler of "Nu opnieuw beoordelen": the scheduled job's work, in one transaction."""
    ctx.progress(0, 1, "Signalen opnieuw beoordelen")
    counts = rematch_stale(actor_email=ctx.created_by)
    ctx.progress(1, 1, None)
    return {"counts": counts}


def register_work() -> None:
    """The kinds of work signals queue (called at app setup)."""
    from wki.core.worker import register_kind

    register_kind(IMPORT_WORK, "Signalenbestand inlezen", run_import_work)
    register_kind(REMATCH_WORK, "Signalen opnieuw beoordelen", run_rematch_work, key_while_active=True)


# --- one signal: staff form and partner API --------------------------------------------------------------

def create_signal(values: Mapping[str, Any], *, channel: str, actor_email: str | None,
                  attachment: SignalAttachment | None = None, partner_token: PartnerToken | None = None) -> Signal:
    """Record one signal and judge it at once. Raises ServiceError (Dutch) when a value is wrong and
    DuplicateSignal when the source already sent this reference; nothing is stored then."""
    cleaned, errors = clean_signal(values)
    if errors:
        first = errors[0]
        raise ServiceError(f"{FIELD_LABELS.get(first.column, first.column)} {first.reason}.", field=first.column)
    if _known_references({(cleaned["bron"], cleaned["referentie"])}):
        raise DuplicateSignal(f"Referentie {cleaned['referentie']} van bron {cleaned['bron']} is al bekend; "
                              "er is niets gewijzigd.", field="referentie")
    signal = Signal(**cleaned, channel=channel, status=SignalStatus.OPEN, created_by=actor_email,
                    attachment=attachment, partner_token_id=partner_token.id if partner_token else None)
    try:
        with db.session.begin_nested():  # the same reference sent twice at once: the second is a duplicate
            db.session.add(signal)
    except IntegrityError:
        raise DuplicateSignal(f"Referentie {cleaned['referentie']} van bron {cleaned['bron']} is al bekend; "
                              "er is niets gewijzigd.", field="referentie") from None
    audit.record("signaal.ontvangen", object_type="signal", object_id=signal.id,
                 after={"bron": signal.bron, "referentie": signal.referentie, "kanaal": channel,
                        "partner": partner_token.partner if partner_token else None}, actor_email=actor_email)
    result = match_signals(signal_ids=[signal.id], only_open=False, regroup=False, actor_email=actor_email)
    if result.verdicts[Verdict.UNREGISTERED] and not attach_signal(signal.id):  # only then can grouping change
        regroup_suspects()
    db.session.refresh(signal)
    return signal


# The staff references' counter in ``core.sequences``; migration 0010 started it after the references that
# the earlier max()+1 had issued.
REFERENCE_SEQUENCE = "signal_reference"


def staff_reference(year: int, number: int) -> str:
    """The form of a reference the Inspectie gives a signal: IJV-<year>-<number, six digits>."""
    return f"IJV-{year}-{number:06d}"


def next_reference() -> str:
    """A reference for a signal recorded by staff without one of its own: IJV-<year>-<number>, the next
    number of the year from the sequence, in the caller's transaction (a rollback gives it back). Ask for
    it last, just before ``create_signal``: until the commit, other staff forms wait for their number.
    A number whose reference a partner or a file already used, under any source, is passed over."""
    year = today_local().year
    while True:
        reference = staff_reference(year, next_value(REFERENCE_SEQUENCE, year))
        taken = db.session.scalar(sa.select(sa.literal(True)).where(S.bron.in_(list(Source.LABELS)),
                                                                    S.referentie == reference).limit(1))
        if not taken:
            return reference


# --- attachments ---------------------------------------------------------------------------------------

ATTACHMENT_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def sniff_attachment(data: bytes) -> str:
    """The content type by the bytes themselves (never the name or the browser's claim); ServiceError
    when the file is not a PDF, PNG or JPEG that opens."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ServiceError("De bijlage is geen volledig PDF-bestand.", field="bijlage")
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        kind = image_format(data, field="bijlage")
        return "image/png" if kind == "PNG" else "image/jpeg"
    raise ServiceError("De bijlage moet een PDF, PNG of JPEG zijn.", field="bijlage")


def attachment_path(sha256: str) -> Path:
    return Path(current_app.config["SIGNAL_ATTACHMENT_DIR"]) / sha256[:2] / sha256


def store_attachment(data: bytes, file_name: str, *, actor_email: str | None) -> SignalAttachment:
    limit = int(current_app.config["SIGNAL_ATTACHMENT_MAX_BYTES"])
    if not data:
        raise ServiceError("De bijlage is leeg.", field="bijlage")
    if len(data) > limit:
        size = f"{limit / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
        raise ServiceError(f"De bijlage is groter dan {size} MB.", field="bijlage")
    content_type = sniff_attachment(data)
    sha256 = hashlib.sha256(data).hexdigest()
    path = attachment_path(sha256)
    if not path.exists():  # content-addressed: the same bytes are stored once, never overwritten
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    safe_name = Path(file_name or "bijlage").name.replace("\x00", "")[:200] or "bijlage"
    stem = Path(safe_name).stem or "bijlage"
    attachment = SignalAttachment(sha256=sha256, file_name=stem + ATTACHMENT_TYPES[content_type],
                                  content_type=content_type, size=len(data), created_by=actor_email)
    db.session.add(attachment)
    return attachment


def read_attachment(attachment: SignalAttachment) -> bytes:
    try:
        data = attachment_path(attachment.sha256).read_bytes()
    except OSError:
        current_app.logger.error("attachment missing", extra={"sha256": attachment.sha256})
        raise ServiceError("De bijlage is niet te lezen: het bestand ontbreekt in de opslag.") from None
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise ServiceError("De opgeslagen bijlage is beschadigd.")
    return data


def purge_orphan_attachments(*, older_than_hours: int = 24) -> int:
    """Remove stored files that no attachment row names: written for a signal whose transaction was
    rolled back (a refused form). Files younger than a day are left, they may belong to a request
    that is still running."""
    import time

    root = Path(current_app.config["SIGNAL_ATTACHMENT_DIR"])
    if not root.is_dir():
        return 0
    known = set(db.session.scalars(sa.select(SignalAttachment.sha256)))
    cutoff = time.time() - older_than_hours * 3600
    removed = 0
    for path in root.glob("??/*"):
        if path.name.startswith(".upload-") or path.name in known or not path.is_file():
            continue
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# --- decisions -----------------------------------------------------------------------------------------

# What people did to a signal or a suspect, as the pages' history names it. The codes are stored in the
# audit trail and stay as they are (the suspects' ones date from before they were called "mogelijke
# overtreders"); only the labels are shown.
MERGED, SPLIT = "verdachte.samengevoegd", "verdachte.gesplitst"
AUDIT_LABELS = {
    "signaal.ontvangen": "Ontvangen",
    "signaal.oordeel_vastgesteld": "Oordeel vastgesteld",
    "signaal.oordeel_ingetrokken": "Handmatig oordeel ingetrokken",
    "signaal.status": "Status gewijzigd",
    MERGED: "Samengevoegd",
    SPLIT: "Gesplitst",
}


def get_signal(signal_id: int) -> Signal:
    signal = db.session.get(Signal, signal_id)
    if signal is None:
        raise NotFoundError("Dit signaal bestaat niet.")
    return signal


class StaleSignal(ServiceError):
    """The signal changed after the person opened its page (another inspector decided it, say): their
    form would overwrite what they never saw, so nothing is changed."""


def signal_version(signal: Signal) -> str:
    """What a person's form about a signal was based on: its status and the decision about it. The page
    sends it along (a hidden field); a decision or status change checks it before it writes."""
    decided_at = signal.decided_at.isoformat(timespec="microseconds") if signal.decided_at else ""
    seen = "|".join([signal.status or "", signal.decided_verdict or "", signal.decided_registratienummer or "",
                     decided_at])
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


def check_version(signal: Signal, expected: str | None) -> None:
    """Refuse (``StaleSignal``, in Dutch, saying what the signal is now) when the page the person decided on
    showed another state; ``None``: no page to compare with (the CLI, a job, a test)."""
    if expected is None or expected == signal_version(signal):
        return
    if signal.decided:
        now = (f"het oordeel is nu ‘{Verdict.LABELS.get(signal.decided_verdict, signal.decided_verdict).lower()}’, "
               f"vastgesteld door {signal.decided_by or 'onbekend'}")
    else:
        now = "er is nu geen handmatig oordeel"
    raise StaleSignal(f"Dit signaal is gewijzigd nadat u de pagina opende: {now}, en de status is "
                      f"‘{SignalStatus.LABELS.get(signal.status, signal.status).lower()}’. Uw keuze is niet "
                      "opgeslagen; bekijk de huidige stand en beslis opnieuw.")


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ServiceError("Geef een reden (minstens enkele woorden).", field="reden")
    return reason


# A person's decision closes the signal: it is handled. ``onzeker`` decides nothing (a person who doubts
# too), so it leaves the status as it is.
CLOSING_VERDICTS = frozenset(Verdict.LABELS) - {Verdict.UNCERTAIN}


def decide_verdict(signal_id: int, *, verdict: str, registratienummer: str | None, reason: str,
                   actor_email: str | None, expected_version: str | None = None) -> Signal:
    """An inspector confirms or corrects the verdict. The decision wins over every later re-matching, and
    closes the signal (unless it is ``onzeker``), in the same audit event. ``expected_version``: the
    ``signal_version`` the person's page showed; a signal changed since is refused (``StaleSignal``)."""
    from wki.register.queries import registration_as_of

    signal = get_signal(signal_id)
    check_version(signal, expected_version)
    if verdict not in Verdict.LABELS:
        raise ServiceError("Kies een oordeel.", field="oordeel")
    reason = _reason(reason)
    registratienummer = (registratienummer or "").strip() or None
    if verdict in Verdict.WITH_REGISTRATION:
        if not registratienummer:
            raise ServiceError("Geef het registratienummer bij dit oordeel.", field="registratienummer")
        if not _registration_known(registratienummer):
            raise ServiceError(f"Registratienummer {registratienummer} komt niet voor in de spiegel.",
                               field="registratienummer")
        version = registration_as_of(registratienummer, signal.reference_date)
        valid = version is not None and version.is_valid_on(signal.reference_date)
        if verdict == Verdict.REGISTERED and not valid:
            raise ServiceError(f"Registratie {registratienummer} was op de peildatum niet geldig; kies "
                               "‘Registratie niet geldig’.", field="oordeel")
        if verdict == Verdict.NOT_VALID and valid:
            raise ServiceError(f"Registratie {registratienummer} was op de peildatum geldig; kies "
                               "‘Geregistreerd’.", field="oordeel")
    else:
        registratienummer = None
    before = {"oordeel": signal.verdict, "registratienummer": signal.registratienummer,
              "handmatig": signal.decided, "status": signal.status}
    signal.decided_verdict = verdict
    signal.decided_registratienummer = registratienummer
    signal.decision_reason = reason
    signal.decided_by = actor_email
    signal.decided_at = utcnow()
    if verdict in CLOSING_VERDICTS:
        signal.status = SignalStatus.CLOSED
    audit.record("signaal.oordeel_vastgesteld", object_type="signal", object_id=signal.id, before=before,
                 after={"oordeel": verdict, "registratienummer": registratienummer, "reden": reason,
                        "automatisch": signal.auto_verdict, "status": signal.status}, actor_email=actor_email)
    db.session.flush()
    regroup_suspects()
    db.session.refresh(signal)
    return signal


def withdraw_decision(signal_id: int, *, reason: str, actor_email: str | None,
                      expected_version: str | None = None) -> Signal:
    """Back to the automatic verdict; the signal is open again (nothing is decided about it any more)."""
    signal = get_signal(signal_id)
    check_version(signal, expected_version)
    if not signal.decided:
        raise ServiceError("Dit signaal heeft geen handmatig oordeel.")
    reason = _reason(reason)
    before = {"oordeel": signal.decided_verdict, "registratienummer": signal.decided_registratienummer,
              "reden": signal.decision_reason, "status": signal.status}
    signal.decided_verdict = signal.decided_registratienummer = signal.decision_reason = None
    signal.decided_by = None
    signal.decided_at = None
    signal.status = SignalStatus.OPEN
    audit.record("signaal.oordeel_ingetrokken", object_type="signal", object_id=signal.id, before=before,
                 after={"reden": reason, "oordeel": signal.auto_verdict, "status": signal.status},
                 actor_email=actor_email)
    db.session.flush()
    regroup_suspects()
    db.session.refresh(signal)
    return signal


# The status changes a person may make by hand: close a signal without a decision, or reopen one.
STATUS_TRANSITIONS = {(SignalStatus.OPEN, SignalStatus.CLOSED), (SignalStatus.CLOSED, SignalStatus.OPEN)}


def set_status(signal_id: int, *, status: str, reason: str, actor_email: str | None,
               expected_version: str | None = None) -> Signal:
    """Close a signal without a decision, or reopen it: the one guarded transition, with a reason, audited."""
    from wki.core.errors import StateTransitionError

    signal = get_signal(signal_id)
    check_version(signal, expected_version)
    if status not in SignalStatus.LABELS:
        raise ServiceError("Kies of het signaal wordt afgesloten of heropend.", field="status")
    if (signal.status, status) not in STATUS_TRANSITIONS:
        raise StateTransitionError(
            f"Het signaal is al {SignalStatus.LABELS.get(signal.status, signal.status).lower()}.", field="status")
    reason = _reason(reason)
    audit.record("signaal.status", object_type="signal", object_id=signal.id, before={"status": signal.status},
                 after={"status": status, "reden": reason}, actor_email=actor_email)
    signal.status = status
    db.session.flush()
    return signal


def _registration_known(registratienummer: str) -> bool:
    from wki.register.models import RegistrationVersion

    return db.session.scalar(sa.select(sa.literal(True)).where(
        RegistrationVersion.registratienummer == registratienummer).limit(1)) is not None


# --- suspects ("mogelijke overtreders"): merge and split ----------------------------------------------------

def get_suspect(suspect_id: int) -> Suspect:
    suspect = db.session.get(Suspect, suspect_id)
    if suspect is None:
        raise NotFoundError(f"Mogelijke overtreder {suspect_id} bestaat niet.", field="overtreders")
    return suspect


def _member_ids(suspect_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(S.id).where(S.suspect_id == suspect_id).order_by(S.id)))


def merge_suspects(*suspect_ids: int, reason: str, actor_email: str | None) -> Suspect:
    """These suspects are one collector: they become the one with the most signals (the lowest number when
    equal), and stay one in every regrouping (``samen`` links). One audit event, one transaction."""
    ids = list(dict.fromkeys(suspect_ids))
    if len(ids) < 2:
        raise ServiceError("Kies minstens twee verschillende mogelijke overtreders om samen te voegen.",
                           field="overtreders")
    suspects = [get_suspect(i) for i in ids]
    inactive = [s.id for s in suspects if s.status != SuspectStatus.ACTIVE]
    if inactive:
        numbers = ", ".join(str(i) for i in inactive)
        raise ServiceError(
            f"Mogelijke overtreder {numbers} {'is' if len(inactive) == 1 else 'zijn'} opgeheven (samengevoegd of "
            "zonder signalen) en kan niet meer worden samengevoegd; kies alleen actieve.", field="overtreders")
    reason = _reason(reason)
    members = {s.id: _member_ids(s.id) for s in suspects}
    if not all(members.values()):
        raise ServiceError("Een van de mogelijke overtreders heeft geen signalen meer.", field="overtreders")
    target = max(suspects, key=lambda s: (len(members[s.id]), -s.id))
    anchor = members[target.id][0]
    for suspect in suspects:
        if suspect is not target:
            db.session.add(SuspectLink(kind=LinkKind.TOGETHER, signal_a_id=anchor, signal_b_id=members[suspect.id][0],
                                       reason=reason, created_by=actor_email))
    audit.record(MERGED, object_type="suspect", object_id=target.id,
                 before={"mogelijke_overtreders": [s.id for s in suspects]},
                 after={"mogelijke_overtreder": target.id, "reden": reason}, actor_email=actor_email)
    db.session.flush()
    regroup_suspects()
    # The regrouping keeps the number most of the signals had, which is the target's; should it not,
    # the signals say where they went.
    return get_suspect(db.session.scalar(sa.select(S.suspect_id).where(S.id == anchor)))


def split_suspect(suspect_id: int, signal_ids: list[int], *, reason: str, actor_email: str | None) -> Suspect:
    """The chosen signals are another collector than the rest: they leave as a suspect of their own, and
    stay apart from the rest in every regrouping (``samen`` links within each part, ``apart`` between)."""
    suspect = get_suspect(suspect_id)
    reason = _reason(reason)
    members = _member_ids(suspect.id)
    moving = sorted(set(signal_ids) & set(members))
    staying = [m for m in members if m not in moving]
    if not moving or not staying:
        raise ServiceError("Kies een deel van de signalen: minstens één, maar niet alle.", field="signalen")
    for part in (moving, staying):
        for x, y in zip(part, part[1:], strict=False):
            db.session.add(SuspectLink(kind=LinkKind.TOGETHER, signal_a_id=x, signal_b_id=y, reason=reason,
                                       created_by=actor_email))
    db.session.add(SuspectLink(kind=LinkKind.APART, signal_a_id=moving[0], signal_b_id=staying[0], reason=reason,
                               created_by=actor_email))
    audit.record(SPLIT, object_type="suspect", object_id=suspect.id,
                 after={"afgesplitst": moving, "reden": reason}, actor_email=actor_email)
    db.session.flush()
    regroup_suspects()
    new_id = db.session.scalar(sa.select(S.suspect_id).where(S.id == moving[0]))
    return get_suspect(new_id)


# --- partner tokens ------------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(partner: str, bron: str, *, actor_email: str | None) -> tuple[PartnerToken, str]:
    """A new token for a partner; the token itself is returned once and never stored."""
    partner = (partner or "").strip()
    if not partner or len(partner) > 200:
        raise ServiceError("Geef de naam van de partner (hooguit 200 tekens).", field="partner")
    if bron not in Source.LABELS:
        raise ServiceError("Kies de bron van de signalen van deze partner.", field="bron")
    token = "wki_" + secrets.token_urlsafe(32)
    record = PartnerToken(partner=partner, bron=bron, token_hash=_token_hash(token), prefix=token[:12],
                          created_by=actor_email)
    db.session.add(record)
    db.session.flush()
    audit.record("partnertoken.uitgegeven", object_type="partner_token", object_id=record.id,
                 after={"partner": partner, "bron": bron, "prefix": record.prefix}, actor_email=actor_email)
    return record, token


def revoke_token(token_id: int, *, actor_email: str | None) -> PartnerToken:
    record = db.session.get(PartnerToken, token_id)
    if record is None:
        raise NotFoundError("Dit token bestaat niet.")
    if record.revoked_at is not None:
        raise ServiceError("Dit token is al ingetrokken.")
    record.revoked_at = utcnow()
    record.revoked_by = actor_email
    audit.record("partnertoken.ingetrokken", object_type="partner_token", object_id=record.id,
                 after={"partner": record.partner, "prefix": record.prefix}, actor_email=actor_email)
    return record


def authenticate_token(token: str | None) -> PartnerToken | None:
    """The active token with this value, or None. Constant-time in the token (only its hash is looked up)."""
    if not token or not token.startswith("wki_") or len(token) > 200:
        return None
    record = db.session.scalar(sa.select(PartnerToken).where(PartnerToken.token_hash == _token_hash(token)))
    if record is None or record.revoked_at is not None:
        return None
    record.last_used_at = utcnow()
    return record


def list_tokens() -> list[PartnerToken]:
    return list(db.session.scalars(sa.select(PartnerToken).order_by(PartnerToken.revoked_at.is_not(None),
                                                                     PartnerToken.partner, PartnerToken.id)))


# --- export --------------------------------------------------------------------------------------------

EXPORT_COLUMNS = ("referentie", "oordeel", "registratienummer", "verdachte_id", "score", "toelichting",
                  "bik_maximum", "bik_overschrijding")


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


# What a row of the export is made of (the page's download selects these from its filtered list too).
EXPORT_SELECT = (S.referentie, S.bron, S.auto_verdict, S.decided_verdict, S.auto_registratienummer,
                 S.decided_registratienummer, S.suspect_id, S.score, S.explanation, S.decision_reason,
                 S.bik_maximum, S.bik_excess, S.hoofdsom, S.incassokosten)


def export_rows() -> Iterator[dict[str, str]]:
    """signalen.md "Export": one row per signal; a person's decision wins; amounts with ``.``."""
    for row in db.session.execute(sa.select(*EXPORT_SELECT).order_by(S.id)).yield_per(2000):
        yield export_row(row)


def export_row(row: Any) -> dict[str, str]:
    """One row of the export from a row of ``EXPORT_SELECT``."""
    verdict = row.decided_verdict or row.auto_verdict or ""
    registratienummer = row.decided_registratienummer if row.decided_verdict else row.auto_registratienummer
    explanation = "; ".join(line.strip() for line in (row.explanation or "").split("\n") if line.strip())
    if row.decided_verdict:
        explanation = f"handmatig vastgesteld: {row.decision_reason}" + (
            f" (automatisch: {row.auto_verdict}; {explanation})" if explanation else "")
    return {
        "referentie": row.referentie,
        "oordeel": verdict,
        "registratienummer": (registratienummer or "") if verdict in Verdict.WITH_REGISTRATION else "",
        "verdachte_id": str(row.suspect_id) if verdict == Verdict.UNREGISTERED and row.suspect_id else "",
        "score": "" if row.score is None else str(row.score),
        "toelichting": explanation,
        "bik_maximum": _money(row.bik_maximum),
        "bik_overschrijding": _money(row.bik_excess) if row.incassokosten is not None else "",
    }


def write_export(handle: Any) -> int:
    writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in export_rows():
        writer.writerow(row)
        n += 1
    return n
