"""Scheduled sync: fetch the configured source of a dataset and import it, recording every run.

A source is a file path, a ``file://`` URL or an ``http(s)://`` URL (``REGISTER_SYNC_SOURCE``,
``EXEMPT_SYNC_SOURCE``). Over HTTP the fetch has connect and read timeouts, stops at a maximum size,
retries with exponential back-off after connection errors, timeouts and 5xx/429 answers (never after
another 4xx), and asks conditionally: the ETag and Last-Modified of the last successful run from the
same source go out as ``If-None-Match`` and ``If-Modified-Since``, and a 304 is recorded as
``niet_gewijzigd``, a success. A file is simply read: ``import_snapshot`` recognises an unchanged file
by its SHA-256 (``ongewijzigd``).

Transactions: every transaction on SQLite takes the write lock (BEGIN IMMEDIATE), so none is open
during the download. The previous run is read and that transaction ended first; then one transaction
imports the file and records the run; a refused or failed run is recorded in a fresh transaction of
its own. ``run_sync`` therefore owns the session's transactions: call it with nothing pending.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit
from urllib.request import url2pathname

import requests
import sqlalchemy as sa
from flask import current_app
from urllib3.exceptions import ReadTimeoutError

from wki.core.actors import Actor, cli_actor
from wki.core.clock import utcnow
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.register.models import SYNC_SUCCESS, RegisterSyncRun, SnapshotKind, SyncOutcome
from wki.register.services import dataset_for, import_snapshot, record_run
from wki.register.snapshots import SnapshotRejected

USER_AGENT = "wki-register-sync/1 (Inspectie Justitie en Veiligheid)"
CHUNK_BYTES = 64 * 1024
MAX_RETRY_AFTER_SECONDS = 300.0  # a server's Retry-After is honoured up to this
NO_SOURCE = "(geen bron ingesteld)"

# Per dataset: the config keys of its source and format, the environment variable an administrator
# sets, and the scheduler job that syncs it (also the actor of a scheduled run).
_SETTINGS = {
    SnapshotKind.REGISTER: ("REGISTER_SYNC_SOURCE", "REGISTER_SYNC_FORMAT", "WKI_REGISTER_SYNC_SOURCE",
                            "register-sync"),
    SnapshotKind.EXEMPT: ("EXEMPT_SYNC_SOURCE", "EXEMPT_SYNC_FORMAT", "WKI_EXEMPT_SYNC_SOURCE", "exempt-sync"),
}


class FetchFailed(Exception):
    """The source could not be read; ``message`` is Dutch and names no credentials."""

    def __init__(self, message: str, *, attempts: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.attempts = attempts


class SyncFailed(RuntimeError):
    """Raised by the scheduled job when its sync run failed or was refused, so the job run fails too."""


@dataclass(frozen=True)
class SyncSettings:
    source: str
    file_format: str  # "", "csv" or "json"
    env_name: str
    job_name: str
    connect_timeout: float
    read_timeout: float
    max_bytes: int
    attempts: int
    retry_delay: float

    @classmethod
    def for_kind(cls, kind: str, config: Any) -> SyncSettings:
        source_key, format_key, env_name, job_name = _SETTINGS[SnapshotKind.from_value(kind)]
        return cls(
            source=str(config.get(source_key) or "").strip(),
            file_format=str(config.get(format_key) or "").strip().lower(),
            env_name=env_name,
            job_name=job_name,
            connect_timeout=float(config.get("REGISTER_SYNC_CONNECT_TIMEOUT_SECONDS", 10)),
            read_timeout=float(config.get("REGISTER_SYNC_READ_TIMEOUT_SECONDS", 60)),
            max_bytes=int(config.get("REGISTER_SYNC_MAX_BYTES", 200 * 1024 * 1024)),
            attempts=max(1, int(config.get("REGISTER_SYNC_ATTEMPTS", 3))),
            retry_delay=max(0.0, float(config.get("REGISTER_SYNC_RETRY_DELAY_SECONDS", 5))),
        )


@dataclass(frozen=True)
class Validators:
    """What the last successful run from this source knew about the file it saw."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None


@dataclass
class Fetched:
    data: bytes | None  # None: the source answered 304 Not Modified
    file_name: str | None
    file_format: str
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 1


# --- the run -----------------------------------------------------------------------------------------

@dataclass
class _Run:
    kind: str
    trigger: str
    source: str  # as recorded and logged: credentials removed
    started_at: datetime
    actor: Actor

    def record(self, outcome: str, message: str, **fields: Any) -> RegisterSyncRun:
        """Record the run in the current transaction, commit, and return it detached (readable anywhere)."""
        run = record_run(kind=self.kind, trigger=self.trigger, source=self.source, started_at=self.started_at,
                         outcome=outcome, message=message, actor=self.actor, **fields)
        db.session.expunge(run)
        db.session.commit()
        failed = outcome in (SyncOutcome.FAILED, SyncOutcome.REJECTED)
        level = logging.WARNING if failed else logging.INFO
        current_app.logger.log(
            level, "register sync %s (%s, %s): %s %s", outcome, self.kind, self.source, message, run.counts or "",
            extra={"sync_kind": self.kind, "outcome": outcome, "counts": run.counts, "sync_run_id": run.id,
                   "source": self.source, "trigger": self.trigger})
        return run


def default_actor(kind: str, trigger: str) -> str:
    if trigger == "handmatig":
        return cli_actor()
    return f"job:{_SETTINGS[SnapshotKind.from_value(kind)][3]}"


def run_sync(kind: str = SnapshotKind.REGISTER, *, trigger: str = "schema",
             actor: Actor | None = None) -> RegisterSyncRun:
    """Fetch the configured source of ``kind`` and import it; every outcome is recorded and committed.

    Returns the run record (detached, with its values loaded). Failures of the source, refused files
    and a busy import are outcomes (``mislukt``, ``afgewezen``), not exceptions; anything unexpected is
    recorded as ``mislukt`` and raised again.
    """
    settings = SyncSettings.for_kind(kind, current_app.config)
    label = dataset_for(kind).label
    ctx = _Run(kind=kind, trigger=trigger, source=redact(settings.source) or NO_SOURCE, started_at=utcnow(),
               actor=actor or Actor.process(default_actor(kind, trigger)))
    try:
        return _run(ctx, settings, label)
    except Exception as exc:
        db.session.rollback()
        message = f"Onverwachte fout tijdens de synchronisatie: {type(exc).__name__}: {str(exc)[:300]}"
        try:
            ctx.record(SyncOutcome.FAILED, message)
        except Exception:  # noqa: BLE001 - the original error is the one to raise
            db.session.rollback()
            current_app.logger.exception("register sync: the failed run could not be recorded")
        raise


def _run(ctx: _Run, settings: SyncSettings, label: str) -> RegisterSyncRun:
    if not settings.source:
        return ctx.record(SyncOutcome.FAILED, f"Geen bron ingesteld voor {label}: zet {settings.env_name} op een "
                                              "bestandspad of een http(s)-adres.")
    if settings.file_format not in ("", "csv", "json"):
        return ctx.record(SyncOutcome.FAILED, f"Onbekend bestandsformaat {settings.file_format!r} ingesteld; "
                                              "kies csv of json.")
    previous = previous_validators(ctx.kind, ctx.source[:500])  # as record_run stores it
    db.session.rollback()  # no transaction (on SQLite: no write lock) while the file downloads
    try:
        fetched = fetch(settings, previous)
    except FetchFailed as exc:
        return ctx.record(SyncOutcome.FAILED, f"{_cap(label)} kon niet worden opgehaald: {exc.message}")
    retried = f" (opgehaald na {fetched.attempts} pogingen)" if fetched.attempts > 1 else ""
    if fetched.data is None:  # 304 Not Modified
        # The mirror holds the file of the run whose validators were sent; its hash stays on record.
        return ctx.record(SyncOutcome.NOT_MODIFIED,
                          f"De bron meldt dat {label} niet is gewijzigd sinds de vorige synchronisatie "
                          f"(HTTP 304).{retried}", sha256=previous.sha256,
                          etag=fetched.etag or previous.etag,
                          last_modified=fetched.last_modified or previous.last_modified)
    try:
        result = import_snapshot(ctx.kind, fetched.data, file_format=fetched.file_format,
                                 file_name=fetched.file_name, source=ctx.source, actor=ctx.actor)
    except SnapshotRejected as exc:
        db.session.rollback()
        return ctx.record(SyncOutcome.REJECTED, exc.message + retried, errors=exc.errors,
                          etag=fetched.etag, last_modified=fetched.last_modified, sha256=_sha256(fetched.data))
    except ServiceError as exc:  # ImportBusy
        db.session.rollback()
        return ctx.record(SyncOutcome.FAILED, exc.message + retried)
    return ctx.record(result.outcome, result.message + retried, sha256=result.sha256, counts=result.counts or None,
                      etag=fetched.etag, last_modified=fetched.last_modified,
                      snapshot_id=result.snapshot.id if result.snapshot is not None else None)


def previous_validators(kind: str, source: str) -> Validators:
    """ETag and Last-Modified of the last successful run of ``kind`` from ``source`` that has them."""
    R = RegisterSyncRun
    stmt = (sa.select(R.etag, R.last_modified, R.sha256)
            .where(R.kind == kind, R.source == source, R.outcome.in_(SYNC_SUCCESS),
                   sa.or_(R.etag.is_not(None), R.last_modified.is_not(None)))
            .order_by(R.finished_at.desc(), R.id.desc()).limit(1))
    row = db.session.execute(stmt).first()
    return Validators(*row) if row else Validators()


def scheduled_sync(kind: str) -> dict[str, Any]:
    """The scheduler's job: sync ``kind``; a failed or refused run fails the job (quarantine does not)."""
    run = run_sync(kind, trigger="schema")
    if run.outcome in (SyncOutcome.FAILED, SyncOutcome.REJECTED):
        raise SyncFailed(f"Synchronisatie {run.id} {run.outcome}: {run.message}")
    return {"uitkomst": run.outcome, "synchronisatie": run.id, **(run.counts or {})}


# --- fetching ----------------------------------------------------------------------------------------

def fetch(settings: SyncSettings, previous: Validators | None = None) -> Fetched:
    """Read the configured source; raises FetchFailed with a Dutch message."""
    source = settings.source
    previous = previous or Validators()
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        return _fetch_http(source, settings, previous)
    if scheme == "file":
        parts = urlsplit(source)
        if parts.netloc not in ("", "localhost"):
            raise FetchFailed(f"een file://-adres moet naar dit systeem wijzen, niet naar {parts.netloc}.")
        return _read_file(Path(url2pathname(parts.path)), settings)
    if scheme and len(scheme) > 1:  # a drive letter is no scheme
        raise FetchFailed(f"de bron {redact(source)} wordt niet ondersteund; gebruik een bestandspad, een "
                          "file://-adres of een http(s)-adres.")
    return _read_file(Path(source), settings)


def _read_file(path: Path, settings: SyncSettings) -> Fetched:
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            raise FetchFailed(_too_large(settings.max_bytes))
        with path.open("rb") as handle:
            data = handle.read(settings.max_bytes + 1)
    except FileNotFoundError:
        raise FetchFailed(f"het bestand {path} bestaat niet.") from None
    except IsADirectoryError:
        raise FetchFailed(f"{path} is een map, geen bestand.") from None
    except OSError as exc:
        raise FetchFailed(f"het bestand {path} is niet te lezen ({exc.strerror or type(exc).__name__}).") from None
    if len(data) > settings.max_bytes:
        raise FetchFailed(_too_large(settings.max_bytes))
    return Fetched(data=data, file_name=path.name, file_format=settings.file_format or _format_of(path.name))


def _fetch_http(url: str, settings: SyncSettings, previous: Validators) -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": "text/csv, application/json;q=0.9, */*;q=0.5"}
    if previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    timeout = (settings.connect_timeout, settings.read_timeout)
    problem = ""
    with requests.Session() as session:
        for attempt in range(1, settings.attempts + 1):
            retry_after = None
            try:
                with session.get(url, headers=headers, timeout=timeout, stream=True) as response:
                    status = response.status_code
                    if status == 200:
                        data = _read_body(response, settings.max_bytes, attempt)
                        name = PurePosixPath(unquote(urlsplit(response.url).path)).name or None
                        return Fetched(data=data, file_name=name, attempts=attempt,
                                       file_format=settings.file_format or _format_of(name, response),
                                       etag=response.headers.get("ETag"),
                                       last_modified=response.headers.get("Last-Modified"))
                    if status == 304 and (previous.etag or previous.last_modified):
                        return Fetched(data=None, file_name=None, file_format=settings.file_format or "csv",
                                       etag=response.headers.get("ETag"),
                                       last_modified=response.headers.get("Last-Modified"), attempts=attempt)
                    answer = f"de bron antwoordde met HTTP {status}" + (f" ({response.reason})" if response.reason
                                                                          else "")
                    if status != 429 and status < 500:
                        raise FetchFailed(answer + "; er is geen nieuwe poging gedaan.", attempts=attempt)
                    problem = answer
                    retry_after = _retry_after(response.headers.get("Retry-After"))
            except requests.exceptions.SSLError:
                raise FetchFailed("de beveiligde verbinding met de bron is mislukt (certificaat of TLS).",
                                  attempts=attempt) from None
            except requests.exceptions.Timeout as exc:
                problem = _timeout_text(exc, settings)
            except requests.exceptions.ConnectionError as exc:
                problem = (_timeout_text(exc, settings) if _is_read_timeout(exc)
                           else "er kon geen verbinding met de bron worden gemaakt.")
            except requests.exceptions.ChunkedEncodingError:
                problem = "de verbinding werd verbroken voordat het bestand binnen was."
            except requests.exceptions.RequestException as exc:  # invalid URL, too many redirects, ...
                raise FetchFailed(f"de bron is niet op te vragen ({type(exc).__name__}).", attempts=attempt) from None
            if attempt < settings.attempts:
                delay = settings.retry_delay * 2 ** (attempt - 1)
                if retry_after is not None:
                    delay = max(delay, min(retry_after, MAX_RETRY_AFTER_SECONDS))
                current_app.logger.warning("register sync: attempt %s of %s failed (%s); next attempt in %.1f s",
                                           attempt, settings.attempts, problem, delay)
                time.sleep(delay)
    raise FetchFailed(f"{problem.rstrip('.')}, ook na {settings.attempts} pogingen.", attempts=settings.attempts)


def _read_body(response: requests.Response, max_bytes: int, attempt: int) -> bytes:
    """The body, streamed; stops (without reading on) as soon as it exceeds ``max_bytes``."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchFailed(_too_large(max_bytes), attempts=attempt)
    body = bytearray()
    for chunk in response.iter_content(chunk_size=CHUNK_BYTES):
        body += chunk
        if len(body) > max_bytes:
            raise FetchFailed(_too_large(max_bytes), attempts=attempt)
    return bytes(body)


def _is_read_timeout(exc: BaseException) -> bool:
    # A read timeout while streaming the body reaches us as a ConnectionError around urllib3's error.
    return any(isinstance(arg, ReadTimeoutError) for arg in exc.args)


def _timeout_text(exc: BaseException, settings: SyncSettings) -> str:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"de bron was niet binnen {_seconds(settings.connect_timeout)} seconden bereikbaar."
    return f"de bron antwoordde niet binnen {_seconds(settings.read_timeout)} seconden."


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:  # an HTTP date: fall back to our own back-off
        return None


def _format_of(name: str | None, response: requests.Response | None = None) -> str:
    if response is not None:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "application/json" or content_type.endswith("+json"):
            return "json"
        if content_type in ("text/csv", "application/csv"):
            return "csv"
    return "json" if (name or "").lower().endswith(".json") else "csv"


def _too_large(max_bytes: int) -> str:
    return (f"het bestand is groter dan de ingestelde grens van {_size(max_bytes)} (WKI_REGISTER_SYNC_MAX_BYTES); "
            "het is niet verder opgehaald.")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.4g} MB".replace(".", ",")
    if n >= 1024:
        return f"{n / 1024:.4g} kB".replace(".", ",")
    return f"{n} bytes"


def redact(source: str) -> str:
    """The source without a user name or password in its URL, for the run record and the logs."""
    parts = urlsplit(source)
    if parts.scheme.lower() not in ("http", "https") or not (parts.username or parts.password):
        return source
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
