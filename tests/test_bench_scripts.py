"""The benchmarks in bench/ are not part of the test run, but they must keep starting: each one's ``--help`` runs
in a process of its own, from the repository's root, as the README tells people to run them."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(p for p in (ROOT / "bench").glob("bench_*.py") if p.name != "bench_support.py")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_the_benchmark_starts(script: Path):
    result = subprocess.run([sys.executable, str(script.relative_to(ROOT)), "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage:" in result.stdout


def test_the_load_benchmark_runs_end_to_end_at_a_tiny_size(tmp_path: Path):
    """``bench_load.py --quick`` on a SQLite file: seeds it, starts gunicorn and a worker as a deployment runs them,
    runs a mailing quiet and one under load, logs the clients in with their second factor and drives every page.
    Latency targets are not asserted (a busy machine misses them: exit status 1 is allowed); that the harness
    worked (not 2), that every page answered every request with 200 and that both mailings made their letters
    is, and that it leaves no server running."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WKI_") and k not in ("DATABASE_URL",)}
    result = subprocess.run([sys.executable, "bench/bench_load.py", "--quick", "--sqlite", str(tmp_path / "l.sqlite3")],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    out = result.stdout
    assert result.returncode in (0, 1), out[-4000:] + result.stderr[-4000:]
    table = out[out.index("\npage "):]
    pages = ["register list", "register search", "registration page", "signals list", "signals search",
             "suspect page", "planning page", "case list", "case page", "dashboard"]
    for page in ["baseline: static file", *pages]:
        row = next(line for line in table.splitlines() if line.startswith(page))
        requests, errors = int(row[22:31]), int(row[63:71])
        assert requests > 0, row
        assert errors == 0, out[-4000:]
    assert re.search(r"quiet machine: +[\d.]+ letters/s \(10 in ", out), out[-2000:]
    assert re.search(r"under the page load: +[\d.]+ letters/s \(\d+ in ", out), out[-2000:]
    assert "all targets: " in out
    # every process it started is gone: nothing answers on the port gunicorn served
    port = int(re.search(r"serving on 127\.0\.0\.1:(\d+)", out).group(1))
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_the_load_benchmark_says_the_harness_failed_with_status_2(tmp_path: Path):
    """A seed that is not there is the harness failing (2), not a missed target (1); nothing is started."""
    result = subprocess.run([sys.executable, "bench/bench_load.py", "--reuse-seed", "--sqlite",
                             str(tmp_path / "missing.sqlite3")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "the benchmark failed" in result.stdout
    assert "missing.sqlite3 does not exist" in result.stdout
