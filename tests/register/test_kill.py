"""A process killed in the middle of an import leaves the mirror exactly as it was; two imports never
interleave.

Each test gets a database of its own (a SQLite file, or a PostgreSQL database when ``TEST_DATABASE_URL``
says so), migrated with Alembic, because the import under test runs in another process that commits
for real. The importing process is the real ``flask register import`` command, started through a small
``python -c`` wrapper that adds two test hooks through SQLAlchemy's events, without touching the code
under test:

- ``WKI_TEST_PAUSE=1``: after the first batch of versions has been written (still inside the import's
  transaction), print ``PAUSED <rows visible in the transaction>`` and wait for a line on stdin. The test
  kills the process there, or lets it go on. Nothing depends on timing.
- ``WKI_TEST_REPORT_WAIT=1``: print ``WAITING`` when this import finds the import lock taken (PostgreSQL:
  a failed ``pg_try_advisory_xact_lock`` before it sleeps; SQLite: the ``BEGIN IMMEDIATE`` that waits for
  the write lock), so the test knows the second import is really waiting.
- ``WKI_TEST_SQLITE_BUSY_MS``: a short SQLite busy timeout, so that a second import gives up quickly.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import _make_database_url, make_test_config
from tests.register.helpers import register_row, to_csv
from wki import create_app
from wki.core.actors import Actor
from wki.core.extensions import db
from wki.register.services import IMPORT_LOCK_KEY, import_snapshot

ROOT = Path(__file__).resolve().parents[2]
D1, D2, D3 = "2026-01-01", "2026-02-01", "2026-03-01"
MARKER_TIMEOUT = 60  # seconds; only reached when something is broken (a normal run needs a few)

WRAPPER = r"""
import os, sys, time, types
from sqlalchemy import event
from sqlalchemy.engine import Engine

state = {"paused": False, "waiting": False}

def report_waiting():
    if not state["waiting"]:
        state["waiting"] = True
        print("WAITING", flush=True)

if os.environ.get("WKI_TEST_PAUSE") == "1":
    @event.listens_for(Engine, "after_cursor_execute")
    def _pause(conn, cursor, statement, parameters, context, executemany):
        if state["paused"] or not statement.lstrip().lower().startswith("insert into registration_version"):
            return
        state["paused"] = True
        probe = cursor.connection.cursor()
        probe.execute("SELECT count(*) FROM registration_version")
        written = probe.fetchone()[0]
        probe.close()
        print(f"PAUSED {written}", flush=True)
        if not sys.stdin.readline():
            os._exit(1)  # the test went away: never commit

@event.listens_for(Engine, "connect")
def _sqlite_hooks(dbapi_connection, record):
    if not hasattr(dbapi_connection, "set_trace_callback"):
        return
    if os.environ.get("WKI_TEST_REPORT_WAIT") == "1":
        def trace(statement):
            if statement.startswith("BEGIN IMMEDIATE"):
                report_waiting()
        dbapi_connection.set_trace_callback(trace)

@event.listens_for(Engine, "begin")
def _sqlite_busy(conn):
    busy = os.environ.get("WKI_TEST_SQLITE_BUSY_MS")
    if busy and conn.dialect.name == "sqlite":
        conn.connection.driver_connection.execute(f"PRAGMA busy_timeout={int(busy)}")

if os.environ.get("WKI_TEST_REPORT_WAIT") == "1":
    import wki.register.services as services

    def _sleep(seconds):
        report_waiting()
        time.sleep(seconds)

    services.time = types.SimpleNamespace(monotonic=time.monotonic, sleep=_sleep)

from flask.cli import main
sys.argv = ["flask", "--app", "run", "register", *sys.argv[1:]]
main()
"""


# ---------------------------------------------------------------- a database and importing processes


@dataclass
class OwnDatabase:
    url: str
    app: Flask
    tmp: Path
    importers: list[Importer] = field(default_factory=list)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "WKI_"))}
        env.update(WKI_ENV="testing", TEST_DATABASE_URL=self.url, PYTHONUNBUFFERED="1",
                   WKI_SCHEDULER_LOCK=str(self.tmp / "scheduler.lock"), **extra)
        return env

    def start(self, path: Path, day: str, **extra: str) -> Importer:
        proc = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, "import", str(path), "--snapshot-date", day],
            cwd=ROOT, env=self.env(**extra), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.importers.append(Importer(proc))
        return self.importers[-1]

    def run(self, path: Path, day: str, **extra: str) -> tuple[int, str, str]:
        importer = self.start(path, day, **extra)
        return importer.finish()

    def import_here(self, data: bytes, day: str) -> None:
        """An import in this process (faster than a subprocess), committed."""
        with self.app.app_context():
            import_snapshot("register", data, snapshot_date=date.fromisoformat(day), actor=Actor.process("test"))
            db.session.commit()
            db.session.remove()

    def state(self) -> dict[str, object]:
        """Everything an import writes, read through a connection of its own."""
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                def rows(sql: str) -> list[tuple]:
                    return sorted(tuple(str(v) for v in r) for r in conn.exec_driver_sql(sql))

                return {
                    "versions": rows("SELECT registratienummer, valid_from, valid_to, snapshot_id, row_hash, naam, "
                                     "status FROM registration_version"),
                    "snapshots": rows("SELECT id, snapshot_date, status, sha256 FROM register_snapshot"),
                    "changes": rows("SELECT registratienummer, snapshot_id, kind, field, old_value, new_value "
                                    "FROM register_change"),
                    "audit": rows("SELECT action, object_id FROM audit_event"),
                    "runs": rows("SELECT outcome, snapshot_id FROM register_sync_run"),
                }
        finally:
            engine.dispose()

    def current_count(self) -> int:
        return self._scalar("SELECT count(*) FROM registration_version WHERE valid_to IS NULL")

    def snapshot_dates(self) -> list[str]:
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return [str(d) for (d,) in conn.exec_driver_sql(
                    "SELECT snapshot_date FROM register_snapshot WHERE status = 'toegepast' ORDER BY id")]
        finally:
            engine.dispose()

    def _scalar(self, sql: str) -> int:
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return conn.exec_driver_sql(sql).scalar()
        finally:
            engine.dispose()

    def assert_unlocked(self) -> None:
        """No stale lock: a writer gets in at once (SQLite), or the advisory lock is free (PostgreSQL)."""
        if self.is_sqlite:
            path = sa.make_url(self.url).database
            conn = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            finally:
                conn.close()
            return
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                # The server ends a killed client's session when it notices the closed socket; allow it that.
                deadline = time.monotonic() + 30
                while not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": IMPORT_LOCK_KEY}).scalar():
                    assert time.monotonic() < deadline, "the import lock is still held after the importer died"
                    time.sleep(0.1)
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": IMPORT_LOCK_KEY})
        finally:
            engine.dispose()


class Importer:
    """A running ``flask register import``; its stdout is read line by line on a thread."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._err_reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _read_stderr(self) -> None:  # drained as it comes, so a chatty process never blocks on a full pipe
        assert self.proc.stderr is not None
        self.stderr.extend(self.proc.stderr)

    def wait_for(self, marker: str) -> str:
        deadline = time.monotonic() + MARKER_TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                pytest.fail(f"no {marker!r} from the importer within {MARKER_TIMEOUT} s: {self.seen}\n"
                            + "".join(self.stderr))
            if line is None:
                code, out, err = self.finish()
                pytest.fail(f"the importer ended (exit {code}) before {marker!r}:\n{out}\n{err}")
            self.seen.append(line)
            if line.startswith(marker):
                return line

    def resume(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def running(self) -> bool:
        return self.proc.poll() is None

    def finish(self, timeout: float = MARKER_TIMEOUT) -> tuple[int, str, str]:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the importer did not finish within {timeout} s")
        self._reader.join(timeout=10)
        self._err_reader.join(timeout=10)
        rest = []
        while not self.lines.empty():
            line = self.lines.get()
            if line is not None:
                rest.append(line)
        stderr = "".join(self.stderr)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return self.proc.returncode, "\n".join(self.seen + rest), stderr


@pytest.fixture
def own_db(tmp_path) -> Iterator[OwnDatabase]:
    url, drop = _make_database_url(tmp_path)
    app = create_app(make_test_config(tmp_path, url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.remove()
    own = OwnDatabase(url=url, app=app, tmp=tmp_path)
    try:
        yield own
    finally:
        for importer in own.importers:  # never leave a process behind, whatever failed
            if importer.running():
                importer.kill()
            for stream in (importer.proc.stdin, importer.proc.stdout, importer.proc.stderr):
                if stream is not None and not stream.closed:
                    stream.close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop()


# ---------------------------------------------------------------- files


def first_rows() -> list[dict[str, str]]:
    return [register_row(n) for n in range(1, 2001)]


def large_second_file(path: Path, size: int = 30_000) -> Path:
    """2,000 registrations of the first file (100 changed, 50 gone) and the rest new: ``size`` rows."""
    rows = [register_row(n, naam=f"Gewijzigd {n} B.V.") if n <= 100 else register_row(n) for n in range(1, 1951)]
    rows += [register_row(n) for n in range(2001, 2001 + size - len(rows))]
    path.write_bytes(to_csv(rows))
    return path


# ---------------------------------------------------------------- killed in the middle


def test_a_process_killed_during_an_import_leaves_the_mirror_as_it_was(own_db, tmp_path):
    own_db.import_here(to_csv(first_rows()), D1)
    before = own_db.state()
    assert len(before["versions"]) == 2000
    big = large_second_file(tmp_path / "groot.csv")

    importer = own_db.start(big, D2, WKI_TEST_PAUSE="1")
    written = int(importer.wait_for("PAUSED").split()[1])
    assert written > 2000, "the pause came before anything was written"
    assert own_db.state() == before  # nothing is visible outside the import's transaction
    importer.kill()
    assert importer.proc.returncode == -signal.SIGKILL

    assert own_db.state() == before
    own_db.assert_unlocked()

    code, out, err = own_db.run(big, D2)  # the same file again, now to the end
    assert code == 0, out + err
    assert "rijen: 30000  nieuw: 28050  teruggekeerd: 0  gewijzigd: 100  verdwenen: 50  ongewijzigd: 1850" in out
    assert own_db.current_count() == 30000  # every row of the file is held now
    after = own_db.state()
    assert len(after["versions"]) == 2000 + 28050 + 100
    assert own_db.snapshot_dates() == [D1, D2]


def test_a_process_killed_during_the_first_import_leaves_an_empty_mirror(own_db, tmp_path):
    before = own_db.state()
    path = tmp_path / "eerste.csv"
    path.write_bytes(to_csv([register_row(n) for n in range(1, 12_001)]))

    importer = own_db.start(path, D1, WKI_TEST_PAUSE="1")
    assert int(importer.wait_for("PAUSED").split()[1]) > 0
    importer.kill()

    assert own_db.state() == before
    assert before["versions"] == [] and before["snapshots"] == []
    own_db.assert_unlocked()
    code, out, err = own_db.run(path, D1)
    assert code == 0, out + err
    assert own_db.current_count() == 12000


# ---------------------------------------------------------------- one import at a time


def third_file(path: Path) -> Path:
    """The first 2,000 registrations with registration 1 renamed once more."""
    rows = first_rows()
    rows[0] = register_row(1, naam="Derde versie B.V.")
    path.write_bytes(to_csv(rows, delimiter=";"))
    return path


def test_a_second_import_waits_for_the_first_and_diffs_against_its_result(own_db, tmp_path):
    own_db.import_here(to_csv(first_rows()), D1)
    big = large_second_file(tmp_path / "groot.csv", size=5000)
    first = own_db.start(big, D2, WKI_TEST_PAUSE="1")
    first.wait_for("PAUSED")

    # The second file is the first one's content with one more change: against the mirror the first
    # import leaves, that is one change; against the mirror as it was before, thousands.
    lines = big.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("Gewijzigd 1 B.V.", "Derde versie B.V.")
    third = tmp_path / "derde.csv"
    third.write_text("".join(lines))
    second = own_db.start(third, D3, WKI_TEST_REPORT_WAIT="1")
    second.wait_for("WAITING")
    time.sleep(0.5)
    assert second.running(), "the second import did not wait for the first"
    assert own_db.snapshot_dates() == [D1]

    first.resume()
    code, out, err = first.finish()
    assert code == 0, out + err
    code, out, err = second.finish()
    assert code == 0, out + err
    assert "rijen: 5000  nieuw: 0  teruggekeerd: 0  gewijzigd: 1  verdwenen: 0  ongewijzigd: 4999" in out
    assert own_db.snapshot_dates() == [D1, D2, D3]
    assert own_db.current_count() == 5000


def test_a_second_import_waits_while_the_first_is_killed_and_then_applies(own_db, tmp_path):
    own_db.import_here(to_csv(first_rows()), D1)
    first = own_db.start(large_second_file(tmp_path / "groot.csv", size=5000), D2, WKI_TEST_PAUSE="1")
    first.wait_for("PAUSED")

    third = third_file(tmp_path / "derde.csv")
    impatient = own_db.start(third, D3, WKI_REGISTER_IMPORT_LOCK_WAIT_SECONDS="1", WKI_TEST_SQLITE_BUSY_MS="300")
    patient = own_db.start(third, D3, WKI_TEST_REPORT_WAIT="1")
    code, out, err = impatient.finish()
    assert code == 1, out + err
    assert "Er loopt al een import; probeer het later opnieuw." in err
    assert own_db.snapshot_dates() == [D1]

    patient.wait_for("WAITING")
    time.sleep(0.5)
    assert patient.running(), "the second import did not wait for the first"

    first.kill()
    code, out, err = patient.finish()
    assert code == 0, out + err
    assert "rijen: 2000  nieuw: 0  teruggekeerd: 0  gewijzigd: 1  verdwenen: 0  ongewijzigd: 1999" in out
    assert own_db.snapshot_dates() == [D1, D3]  # nothing of the killed import, and the waiting one on top of D1
    own_db.assert_unlocked()
