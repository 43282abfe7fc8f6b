"""Scheduled sync: a real HTTP server on 127.0.0.1 (or a file) as the source, every run recorded.

``run_sync`` commits (and rolls back after a refused file). Inside the ``db_session`` fixture a commit
releases a savepoint of the test's outer transaction, so everything is still undone after the test; a
rollback goes back to the last savepoint, so tests commit their own setup first, as a real database
would hold it (the same pattern as tests/core/test_cli.py).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sqlalchemy as sa

from tests.register.helpers import load, register_row, to_csv
from wki.core.extensions import db
from wki.core.jobs import JobRun
from wki.register import sync as sync_module
from wki.register.models import (
    RegisterSnapshot,
    RegisterSyncRun,
    RegistrationVersion,
    SnapshotKind,
    SnapshotStatus,
    SyncOutcome,
)
from wki.register.sync import redact, run_sync

# ---------------------------------------------------------------- a real HTTP source


@dataclass
class Scripted:
    """One answer given before the document: an error status, a slow answer, a body of its own."""

    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    content_length: bool = True


@dataclass
class Document:
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = "text/csv; charset=utf-8"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        source = self.server.source
        with source.lock:
            source.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
            answer = source.script.pop(0) if source.script else None
        if answer is not None:
            if answer.delay:
                source.release.wait(answer.delay)
            self._send(answer.status, answer.body, answer.headers, content_length=answer.content_length)
            return
        doc = source.document
        validators = {k: v for k, v in (("ETag", doc.etag), ("Last-Modified", doc.last_modified)) if v}
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if (doc.etag and inm == doc.etag) or (not inm and doc.last_modified and ims == doc.last_modified):
            self._send(304, b"", validators)
            return
        self._send(200, doc.body, {"Content-Type": doc.content_type, **validators})

    def _send(self, status: int, body: bytes, headers: dict[str, str], *, content_length: bool = True) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if content_length and status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and status != 304:
            self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins the handler threads
    block_on_close = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (the timeout tests) leaves a broken pipe behind; that is the point


class Source:
    """A register served over HTTP/1.0 on 127.0.0.1; records every request's headers."""

    def __init__(self) -> None:
        self.document = Document(body=to_csv([register_row(n) for n in range(1, 4)]))
        self.script: list[Scripted] = []
        self.requests: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.source = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.start()

    def url(self, path: str = "/register.csv") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def close(self) -> None:
        self.release.set()  # wake slow answers so their threads end
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def source() -> Iterator[Source]:
    server = Source()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def settings(app, monkeypatch):
    """Sync settings for tests: no back-off delay, short timeouts; ``settings(**overrides)`` changes them."""
    values = {
        "REGISTER_SYNC_SOURCE": "", "REGISTER_SYNC_FORMAT": "", "EXEMPT_SYNC_SOURCE": "", "EXEMPT_SYNC_FORMAT": "",
        "REGISTER_SYNC_CONNECT_TIMEOUT_SECONDS": 5.0, "REGISTER_SYNC_READ_TIMEOUT_SECONDS": 5.0,
        "REGISTER_SYNC_MAX_BYTES": 10 * 1024 * 1024, "REGISTER_SYNC_ATTEMPTS": 3,
        "REGISTER_SYNC_RETRY_DELAY_SECONDS": 0.0,
    }

    def _set(**overrides: Any) -> None:
        values.update(overrides)
        for key, value in values.items():
            monkeypatch.setitem(app.config, key, value)

    _set()
    return _set


@pytest.fixture
def http_source(source: Source, settings) -> Source:
    settings(REGISTER_SYNC_SOURCE=source.url())
    return source


def _runs(kind: str = SnapshotKind.REGISTER) -> list[RegisterSyncRun]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(RegisterSyncRun).where(RegisterSyncRun.kind == kind)
                                   .order_by(RegisterSyncRun.id)))


def _current_numbers() -> list[str]:
    return list(db.session.scalars(sa.select(RegistrationVersion.registratienummer)
                                   .where(RegistrationVersion.valid_to.is_(None))
                                   .order_by(RegistrationVersion.registratienummer)))


def _snapshot_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RegisterSnapshot))


# ---------------------------------------------------------------- HTTP


class TestHttp:
    def test_first_sync_applies_the_file_and_records_the_run(self, http_source, db_session):
        http_source.document.etag = '"v1"'
        run = run_sync(trigger="schema")

        assert run.outcome == SyncOutcome.APPLIED and run.succeeded
        assert [stored.id for stored in _runs()] == [run.id]
        assert run.trigger == "schema"
        assert run.source == http_source.url()
        assert run.actor_email == "job:register-sync"
        assert run.etag == '"v1"'
        assert run.counts["nieuw"] == 3
        assert run.sha256 and len(run.sha256) == 64
        assert run.finished_at >= run.started_at
        snapshot = db_session.get(RegisterSnapshot, run.snapshot_id)
        assert snapshot.status == SnapshotStatus.APPLIED
        assert snapshot.source == http_source.url()
        assert snapshot.file_name == "register.csv"
        assert snapshot.created_by == "job:register-sync"
        assert _current_numbers() == ["R2024-00001", "R2024-00002", "R2024-00003"]
        [request] = http_source.requests
        assert "if-none-match" not in request and "if-modified-since" not in request
        assert request["user-agent"].startswith("wki-register-sync")

    def test_second_sync_asks_with_the_etag_and_records_not_modified(self, http_source, db_session):
        http_source.document.etag = '"v1"'
        first = run_sync()
        second = run_sync()

        assert http_source.requests[1]["if-none-match"] == '"v1"'
        assert second.outcome == SyncOutcome.NOT_MODIFIED and second.succeeded
        assert "niet is gewijzigd" in second.message and "304" in second.message
        assert second.etag == '"v1"'
        assert second.sha256 == first.sha256  # the file the mirror holds
        assert second.snapshot_id is None and second.counts is None
        assert _snapshot_count() == 1

        # The 304 run carries the validators on: the third run asks with them again.
        third = run_sync()
        assert http_source.requests[2]["if-none-match"] == '"v1"'
        assert third.outcome == SyncOutcome.NOT_MODIFIED

    def test_last_modified_is_sent_back_as_if_modified_since(self, http_source, db_session):
        stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
        http_source.document.last_modified = stamp
        first = run_sync()
        assert first.outcome == SyncOutcome.APPLIED
        assert first.last_modified == stamp and first.etag is None

        second = run_sync()
        assert http_source.requests[1]["if-modified-since"] == stamp
        assert "if-none-match" not in http_source.requests[1]
        assert second.outcome == SyncOutcome.NOT_MODIFIED
        assert second.last_modified == stamp

    def test_no_transaction_is_open_while_the_file_downloads(self, http_source, db_session, monkeypatch):
        """On SQLite every transaction holds the write lock: none may span the download."""
        seen = []
        fetch = sync_module.fetch

        def watched(*args, **kwargs):
            seen.append(db.session().in_transaction())
            return fetch(*args, **kwargs)

        monkeypatch.setattr(sync_module, "fetch", watched)
        assert run_sync().outcome == SyncOutcome.APPLIED
        assert seen == [False]

    def test_an_unchanged_file_without_validators_is_recognised_by_its_hash(self, http_source, db_session):
        run_sync()
        second = run_sync()
        assert "if-none-match" not in http_source.requests[1]
        assert second.outcome == SyncOutcome.IDENTICAL and second.succeeded
        assert _snapshot_count() == 1

    def test_validators_of_a_failed_run_or_another_source_are_not_used(self, http_source, settings, db_session):
        http_source.document.etag = '"v1"'
        run_sync()
        settings(REGISTER_SYNC_SOURCE=http_source.url("/ander.csv"))
        other = run_sync()
        assert "if-none-match" not in http_source.requests[1]
        assert other.outcome == SyncOutcome.IDENTICAL  # the same bytes from another address

    @pytest.mark.parametrize("status", [500, 503, 429])
    def test_a_server_error_is_retried_and_then_applied(self, http_source, db_session, status):
        http_source.script = [Scripted(status=status, body=b"even niet")]
        run = run_sync()
        assert len(http_source.requests) == 2
        assert run.outcome == SyncOutcome.APPLIED
        assert "na 2 pogingen" in run.message
        assert _current_numbers()

    def test_back_off_doubles_the_delay(self, http_source, settings, db_session, monkeypatch):
        settings(REGISTER_SYNC_RETRY_DELAY_SECONDS=1.5, REGISTER_SYNC_ATTEMPTS=4)
        http_source.script = [Scripted(status=502)] * 3
        sleeps: list[float] = []
        monkeypatch.setattr(sync_module.time, "sleep", sleeps.append)
        run = run_sync()
        assert sleeps == [1.5, 3.0, 6.0]
        assert run.outcome == SyncOutcome.APPLIED and len(http_source.requests) == 4

    def test_retry_after_is_honoured(self, http_source, db_session, monkeypatch):
        http_source.script = [Scripted(status=429, headers={"Retry-After": "7"})]
        sleeps: list[float] = []
        monkeypatch.setattr(sync_module.time, "sleep", sleeps.append)
        assert run_sync().outcome == SyncOutcome.APPLIED
        assert sleeps == [7.0]

    def test_server_errors_on_every_attempt_fail_the_run(self, http_source, db_session):
        http_source.script = [Scripted(status=500)] * 3
        run = run_sync()
        assert len(http_source.requests) == 3
        assert run.outcome == SyncOutcome.FAILED and not run.succeeded
        assert run.message == ("Het register kon niet worden opgehaald: de bron antwoordde met HTTP 500 "
                               "(Internal Server Error), ook na 3 pogingen.")
        assert _snapshot_count() == 0

    def test_404_is_not_retried(self, http_source, db_session):
        http_source.script = [Scripted(status=404)]
        run = run_sync()
        assert len(http_source.requests) == 1
        assert run.outcome == SyncOutcome.FAILED
        assert "HTTP 404 (Not Found)" in run.message and "geen nieuwe poging" in run.message
        assert run.sha256 is None and run.snapshot_id is None

    def test_a_timeout_fails_after_every_attempt(self, http_source, settings, db_session):
        settings(REGISTER_SYNC_READ_TIMEOUT_SECONDS=0.2, REGISTER_SYNC_ATTEMPTS=2)
        http_source.script = [Scripted(delay=3.0)] * 2
        run = run_sync()
        assert len(http_source.requests) == 2
        assert run.outcome == SyncOutcome.FAILED
        assert run.message == ("Het register kon niet worden opgehaald: de bron antwoordde niet binnen 0,2 "
                               "seconden, ook na 2 pogingen.")
        assert _snapshot_count() == 0

    def test_a_slow_answer_then_a_quick_one_applies(self, http_source, settings, db_session):
        settings(REGISTER_SYNC_READ_TIMEOUT_SECONDS=0.2)
        http_source.script = [Scripted(delay=3.0)]
        run = run_sync()
        assert run.outcome == SyncOutcome.APPLIED and len(http_source.requests) == 2

    def test_a_refused_connection_is_retried_then_fails(self, settings, db_session):
        server = Source()
        url = server.url()
        server.close()  # nothing listens on that port any more
        settings(REGISTER_SYNC_SOURCE=url)
        run = run_sync()
        assert run.outcome == SyncOutcome.FAILED
        assert "er kon geen verbinding met de bron worden gemaakt, ook na 3 pogingen." in run.message

    def test_a_body_larger_than_the_maximum_is_refused_by_its_content_length(self, http_source, settings,
                                                                                db_session):
        settings(REGISTER_SYNC_MAX_BYTES=1000)
        http_source.document.body = to_csv([register_row(n) for n in range(1, 30)])
        run = run_sync()
        assert len(http_source.requests) == 1  # not retried
        assert run.outcome == SyncOutcome.FAILED
        assert "groter dan de ingestelde grens van 1000 bytes" in run.message
        assert _snapshot_count() == 0

    def test_a_streamed_body_is_cut_off_at_the_maximum(self, http_source, settings, db_session):
        settings(REGISTER_SYNC_MAX_BYTES=2048)
        body = to_csv([register_row(n) for n in range(1, 200)])
        http_source.script = [Scripted(body=body, content_length=False)]
        run = run_sync()
        assert run.outcome == SyncOutcome.FAILED
        assert "groter dan de ingestelde grens van 2 kB" in run.message
        assert len(http_source.requests) == 1

    def test_json_is_recognised_by_its_content_type(self, http_source, db_session):
        rows = [register_row(1), register_row(2)]
        http_source.document = Document(body=json.dumps(rows).encode(), content_type="application/json")
        run = run_sync()
        assert run.outcome == SyncOutcome.APPLIED
        assert db_session.get(RegisterSnapshot, run.snapshot_id).file_format == "json"
        assert _current_numbers() == ["R2024-00001", "R2024-00002"]

    def test_a_configured_format_wins(self, http_source, settings, db_session):
        settings(REGISTER_SYNC_FORMAT="json")
        run = run_sync()  # CSV served as text/csv, but configured as JSON
        assert run.outcome == SyncOutcome.REJECTED
        assert "geen geldige JSON" in run.message

    def test_credentials_in_the_url_are_never_recorded(self, http_source, settings, db_session):
        url = http_source.url().replace("http://", "http://gebruiker:geheim@")
        settings(REGISTER_SYNC_SOURCE=url)
        run = run_sync()
        assert run.outcome == SyncOutcome.APPLIED
        assert http_source.requests[0]["authorization"].startswith("Basic ")
        assert "geheim" not in run.source and run.source == http_source.url()
        assert "geheim" not in db_session.get(RegisterSnapshot, run.snapshot_id).source


# ---------------------------------------------------------------- what the mirror does with the file


class TestOutcomes:
    def test_a_bad_row_rejects_the_file_and_changes_nothing(self, http_source, db_session):
        load([register_row(1), register_row(2)], _today())
        db_session.commit()
        before = (_current_numbers(), _snapshot_count())
        http_source.document.body = to_csv([register_row(1), register_row(2, kvk_nummer="123"), register_row(3)])
        http_source.document.etag = '"bad"'

        run = run_sync()

        assert run.outcome == SyncOutcome.REJECTED and not run.succeeded
        assert run.errors["total"] == 1
        [error] = run.errors["rows"]
        assert error["kolom"] == "kvk_nummer" and error["waarde"] == "123"
        assert error["regel"] == 3
        assert run.sha256 and run.etag == '"bad"'
        assert (_current_numbers(), _snapshot_count()) == before

        # A refused run's ETag is not used: the next run downloads the file again.
        run_sync()
        assert "if-none-match" not in http_source.requests[1]

    def test_removing_more_than_a_tenth_quarantines(self, http_source, db_session):
        load([register_row(n) for n in range(1, 21)], _today())
        db_session.commit()
        http_source.document.body = to_csv([register_row(n) for n in range(1, 16)])

        run = run_sync()

        assert run.outcome == SyncOutcome.QUARANTINED and not run.succeeded
        assert "quarantaine" in run.message
        snapshot = db_session.get(RegisterSnapshot, run.snapshot_id)
        assert snapshot.status == SnapshotStatus.QUARANTINED
        assert len(_current_numbers()) == 20

    def test_a_busy_import_is_recorded_as_failed(self, http_source, db_session, monkeypatch):
        from wki.register import services

        def busy() -> None:
            raise services.ImportBusy("Er loopt al een import; probeer het later opnieuw.")

        monkeypatch.setattr(services, "acquire_import_lock", busy)
        run = run_sync()
        assert run.outcome == SyncOutcome.FAILED
        assert run.message == "Er loopt al een import; probeer het later opnieuw."

    def test_an_unexpected_error_is_recorded_and_raised(self, http_source, db_session, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("kapot")

        monkeypatch.setattr(sync_module, "import_snapshot", broken)
        with pytest.raises(RuntimeError, match="kapot"):
            run_sync()
        [run] = _runs()
        assert run.outcome == SyncOutcome.FAILED
        assert run.message.startswith("Onverwachte fout tijdens de synchronisatie: RuntimeError: kapot")


def _today():
    from wki.core.clock import today_local

    return today_local()


# ---------------------------------------------------------------- files and configuration


class TestFileSource:
    def test_a_file_path_is_read_and_an_unchanged_file_is_recognised(self, settings, db_session, tmp_path):
        path = tmp_path / "register.csv"
        path.write_bytes(to_csv([register_row(1), register_row(2)]))
        settings(REGISTER_SYNC_SOURCE=str(path))

        first = run_sync()
        assert first.outcome == SyncOutcome.APPLIED
        assert first.source == str(path)
        assert db_session.get(RegisterSnapshot, first.snapshot_id).file_name == "register.csv"
        assert first.etag is None and first.last_modified is None

        second = run_sync()
        assert second.outcome == SyncOutcome.IDENTICAL
        assert "al ingelezen" in second.message

    def test_a_file_url_and_json_by_extension(self, settings, db_session, tmp_path):
        path = tmp_path / "register.json"
        path.write_text(json.dumps([register_row(5)]), encoding="utf-8")
        settings(REGISTER_SYNC_SOURCE=path.as_uri())
        run = run_sync()
        assert run.outcome == SyncOutcome.APPLIED
        assert db_session.get(RegisterSnapshot, run.snapshot_id).file_format == "json"
        assert _current_numbers() == ["R2024-00005"]

    def test_a_missing_file_fails(self, settings, db_session, tmp_path):
        settings(REGISTER_SYNC_SOURCE=str(tmp_path / "weg.csv"))
        run = run_sync()
        assert run.outcome == SyncOutcome.FAILED
        assert run.message == f"Het register kon niet worden opgehaald: het bestand {tmp_path / 'weg.csv'} bestaat niet."

    def test_a_file_larger_than_the_maximum_fails(self, settings, db_session, tmp_path):
        path = tmp_path / "groot.csv"
        path.write_bytes(to_csv([register_row(n) for n in range(1, 30)]))
        settings(REGISTER_SYNC_SOURCE=str(path), REGISTER_SYNC_MAX_BYTES=1000)
        run = run_sync()
        assert run.outcome == SyncOutcome.FAILED and "groter dan de ingestelde grens" in run.message

    def test_the_exempt_list_has_its_own_source(self, settings, db_session, tmp_path):
        from tests.register.helpers import exempt_csv, exempt_row

        path = tmp_path / "vrijgestelden.csv"
        path.write_bytes(exempt_csv([exempt_row(1), exempt_row(2)]))
        settings(EXEMPT_SYNC_SOURCE=str(path))
        run = run_sync(SnapshotKind.EXEMPT)
        assert run.kind == SnapshotKind.EXEMPT
        assert run.outcome == SyncOutcome.APPLIED and run.counts["nieuw"] == 2
        assert run.actor_email == "job:exempt-sync"
        assert _runs(SnapshotKind.REGISTER) == []

    def test_no_source_configured(self, settings, db_session):
        run = run_sync(trigger="handmatig")
        assert run.outcome == SyncOutcome.FAILED
        assert run.message == ("Geen bron ingesteld voor het register: zet WKI_REGISTER_SYNC_SOURCE op een "
                               "bestandspad of een http(s)-adres.")
        assert run.source == "(geen bron ingesteld)"
        assert run.trigger == "handmatig" and run.actor_email.startswith("cli:")

    def test_an_unsupported_scheme_fails(self, settings, db_session):
        settings(REGISTER_SYNC_SOURCE="ftp://justis.example.nl/register.csv")
        run = run_sync()
        assert run.outcome == SyncOutcome.FAILED and "wordt niet ondersteund" in run.message

    def test_redact(self):
        assert redact("https://a:b@host.example:8443/p?q=1") == "https://host.example:8443/p?q=1"
        assert redact("https://host.example/p") == "https://host.example/p"
        assert redact("/srv/register.csv") == "/srv/register.csv"


# ---------------------------------------------------------------- the job and the command


class TestScheduledJob:
    def _job_runs(self) -> list[JobRun]:
        db.session.expire_all()
        return list(db.session.scalars(sa.select(JobRun).where(JobRun.job_name == "register-sync")))

    def test_a_successful_sync_succeeds_the_job_with_its_counts(self, app, http_source, db_session):
        from wki.core.jobs import run_job_now

        job_run = run_job_now(app, "register-sync", trigger="schema")
        assert job_run.outcome == "geslaagd"
        [run] = _runs()
        assert job_run.counts == {"uitkomst": "toegepast", "synchronisatie": run.id, **run.counts}

    def test_a_failed_sync_fails_the_job_and_both_are_recorded(self, app, http_source, db_session):
        from wki.core.jobs import run_job_now

        http_source.script = [Scripted(status=404)]
        job_run = run_job_now(app, "register-sync", trigger="schema")
        assert job_run.outcome == "mislukt"
        assert "SyncFailed" in job_run.error and "HTTP 404" in job_run.error
        [run] = _runs()
        assert run.outcome == SyncOutcome.FAILED  # the job's rollback does not lose the sync's record
        assert [r.outcome for r in self._job_runs()] == ["mislukt"]

    def test_a_rejected_file_fails_the_job(self, app, http_source, db_session):
        from wki.core.jobs import run_job_now

        http_source.document.body = to_csv([register_row(1, status="onbekend")])
        assert run_job_now(app, "register-sync").outcome == "mislukt"
        assert [r.outcome for r in _runs()] == [SyncOutcome.REJECTED]

    def test_quarantine_does_not_fail_the_job(self, app, http_source, db_session):
        from wki.core.jobs import run_job_now

        load([register_row(n) for n in range(1, 11)], _today())
        db_session.commit()
        http_source.document.body = to_csv([register_row(n) for n in range(1, 6)])
        job_run = run_job_now(app, "register-sync")
        assert job_run.outcome == "geslaagd"
        assert job_run.counts["uitkomst"] == SyncOutcome.QUARANTINED

    def test_no_source_fails_the_job(self, app, settings, db_session):
        from wki.core.jobs import run_job_now

        job_run = run_job_now(app, "exempt-sync")
        assert job_run.outcome == "mislukt" and "Geen bron ingesteld" in job_run.error
        assert [r.outcome for r in _runs(SnapshotKind.EXEMPT)] == [SyncOutcome.FAILED]


class TestCommand:
    def test_sync_by_hand(self, app, http_source, db_session):
        result = app.test_cli_runner().invoke(args=["register", "sync"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("toegepast: Het register van ")
        [run] = _runs()
        assert run.trigger == "handmatig" and run.actor_email.startswith("cli:")

    def test_a_failed_sync_exits_non_zero(self, app, settings, db_session):
        result = app.test_cli_runner().invoke(args=["register", "sync", "--exempt"])
        assert result.exit_code == 1
        assert "mislukt: Geen bron ingesteld voor de lijst van vrijgestelden" in result.output

    def test_quarantine_exits_with_3(self, app, http_source, db_session):
        load([register_row(n) for n in range(1, 11)], _today())
        db_session.commit()
        http_source.document.body = to_csv([register_row(n) for n in range(1, 6)])
        result = app.test_cli_runner().invoke(args=["register", "sync"])
        assert result.exit_code == 3
        assert result.output.startswith("quarantaine: ")
