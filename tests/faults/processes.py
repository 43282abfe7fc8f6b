"""Real ``flask`` processes (worker, scheduler) for the fault tests, with hooks that make them stop at a
chosen point, so that nothing depends on timing.

The process is ``python -c WRAPPER <flask arguments>``: the wrapper builds the application the way
``flask --app run`` does (``WKI_ENV=testing`` on ``TEST_DATABASE_URL``), applies the configuration the test
gives in ``WKI_TEST_CONFIG`` (JSON: a stale timeout of seconds, small claim batches) and adds test hooks
through SQLAlchemy's events and the store, without touching the code under test:

- ``WKI_TEST_PAUSE_SQL`` / ``WKI_TEST_PAUSE_AT``: at the N-th statement that begins with the given text
  (inside its transaction, before it commits), print ``PAUSED`` and wait for a line on stdin. The test
  kills the process there (SIGKILL: no clean-up of any kind) or lets it go on.
- A scheduler prints ``LOCKED`` when it becomes the active one (it took the scheduler lock).
- ``WKI_TEST_STORE_FULL``: a path; while that file exists, every write of a content store fails with
  ENOSPC half-way through its bytes (the disk filled up while the PDF was written). Removing the file is
  "space returns".
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER_TIMEOUT = 90  # seconds; only reached when something is broken

WRAPPER = r"""
import errno, json, os, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine

pause_sql = os.environ.get("WKI_TEST_PAUSE_SQL", "").lower()
pause_at = int(os.environ.get("WKI_TEST_PAUSE_AT", "1"))
seen = [0]

if pause_sql:
    @event.listens_for(Engine, "after_cursor_execute")
    def _pause(conn, cursor, statement, parameters, context, executemany):
        if seen[0] >= pause_at or not statement.lstrip().lower().startswith(pause_sql):
            return
        seen[0] += 1
        if seen[0] == pause_at:
            print("PAUSED", flush=True)
            if not sys.stdin.readline():
                os._exit(1)  # the test went away: never commit

full_flag = os.environ.get("WKI_TEST_STORE_FULL")
if full_flag:
    import wki.core.storage as storage

    real_fdopen = os.fdopen

    class _Full:
        def __init__(self, handle):
            self.handle = handle
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.handle.close()
        def write(self, data):
            if os.path.exists(full_flag):
                self.handle.write(data[: len(data) // 2])
                self.handle.flush()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.handle.write(data)
        def __getattr__(self, name):
            return getattr(self.handle, name)

    class _Os:
        def __getattr__(self, name):
            return getattr(os, name)
        def fdopen(self, fd, *args, **kwargs):
            return _Full(real_fdopen(fd, *args, **kwargs))

    storage.os = _Os()

import wki.scheduler as scheduler

real_try_acquire = scheduler.SchedulerLock.try_acquire

def _try_acquire(self):
    got = real_try_acquire(self)
    if got:
        print("LOCKED", flush=True)
    return got

scheduler.SchedulerLock.try_acquire = _try_acquire

from flask.cli import FlaskGroup
import run

run.app.config.update(json.loads(os.environ.get("WKI_TEST_CONFIG") or "{}"))
FlaskGroup(create_app=lambda: run.app).main(args=sys.argv[1:], prog_name="flask")
"""


def process_env(url: str, tmp: Path, config: dict | None = None, **extra: str) -> dict[str, str]:
    """The environment of an application process on database ``url`` with its stores under ``tmp`` (the
    same directories ``make_test_config`` gives the test's own application)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "WKI_"))}
    env.update(WKI_ENV="testing", TEST_DATABASE_URL=url, PYTHONUNBUFFERED="1", WKI_LOG_LEVEL="WARNING",
               WKI_SCHEDULER_LOCK=str(tmp / "scheduler.lock"),
               WKI_SIGNAL_ATTACHMENT_DIR=str(tmp / "bijlagen"), WKI_DOCUMENT_STORE_DIR=str(tmp / "documenten"),
               WKI_EVIDENCE_STORE_DIR=str(tmp / "bewijs"), WKI_CASE_STORE_DIR=str(tmp / "zaken"),
               WKI_TEST_CONFIG=json.dumps({"SCHEDULER_LOCK_PATH": str(tmp / "scheduler.lock"), **(config or {})}))
    env.update(extra)
    return env


class AppProcess:
    """A running ``flask …`` command (its own session, so it and whatever it forks die together); stdout
    is read line by line on a thread (the markers), stderr goes to a file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args = args
        self.log = log
        self._log_handle = log.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-c", WRAPPER, *args], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log_handle,
                                     text=True, start_new_session=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_for(self, marker: str, timeout: float = MARKER_TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                pytest.fail(f"no {marker!r} from {self.args} within {timeout} s: {self.seen}\n{self.stderr()}")
            if line is None:
                self.proc.wait(timeout=30)
                pytest.fail(f"{self.args} ended (exit {self.proc.returncode}) before {marker!r}: {self.seen}\n"
                            f"{self.stderr()}")
            self.seen.append(line)
            if line.startswith(marker):
                return line

    def resume(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()

    def running(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL to the process and everything it started (its session's process group)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM (finish the current item, then stop), then SIGKILL if it does not."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def finish(self, timeout: float = MARKER_TIMEOUT) -> int:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"{self.args} did not finish within {timeout} s\n{self.stderr()}")
        self._reader.join(timeout=10)
        while not self.lines.empty():
            line = self.lines.get()
            if line is not None:
                self.seen.append(line)
        return self.proc.returncode

    def close(self) -> None:
        if self.running():
            self.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None and not stream.closed:
                try:
                    stream.close()
                except OSError:
                    pass
        self._log_handle.close()


class Processes:
    """Starts application processes on one database and makes sure none outlives the test."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.url = url
        self.tmp = tmp
        self.started: list[AppProcess] = []

    def start(self, *args: str, config: dict | None = None, **env: str) -> AppProcess:
        log = self.tmp / f"proces-{len(self.started) + 1}.log"
        process = AppProcess(list(args), process_env(self.url, self.tmp, config, **env), log)
        self.started.append(process)
        return process

    def close(self) -> None:
        for process in self.started:
            process.close()
