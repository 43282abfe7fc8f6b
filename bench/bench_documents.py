"""Documents benchmark (DESIGN.md "Performance targets"; issue 12): a mass mailing of one-page letters.

In one run, each measured in a process of its own so that its peak memory is its own:

- baseline: one process renders the same N one-page letters one after another with plain WeasyPrint
  (``HTML(string=…).write_pdf()``, WeasyPrint's defaults: no shared font configuration, the stylesheet read
  from disk), the HTML prepared beforehand so only rendering is timed;
- mailing: the application's own path for the same N recipients: ``flask mailings create`` from the
  register as of a date, ``flask mailings approve`` by a second person, then ``flask mailings run`` timed
  from start to finish: recipients claimed in batches, a kenmerk each, rendered in two processes, every PDF
  stored content-addressed and recorded with its audit event;
- the same mailing with N_small recipients, for the memory comparison.

Prints time and letters per second of each, the throughput ratio (target: at least 1.6x the baseline; about
1.8x is the limit on two cores) and the peak memory of the largest process for both mailing sizes
(target: flat, whatever the mailing's size).

Usage: .venv/bin/python bench/bench_documents.py [--letters 1000] [--small 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_support import bench_app, fresh_database, migrate  # noqa: E402

TARGET_RATIO = 1.6
AS_OF = "2026-12-01"
SNAPSHOT_DAY = "2026-11-01"
WRITER = "voorlichting@bench.example"
APPROVER = "beheerder@bench.example"


def _env(url: str, store: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "WKI_ENV": "development", "FLASK_APP": "run.py",
            "WKI_LOG_LEVEL": "WARNING", "WKI_DOCUMENT_STORE_DIR": str(store), "WKI_MAIL_SERVER": ""}


def _flask(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([str(Path(sys.executable).with_name("flask")), *args], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(f"flask {' '.join(args)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
        sys.exit(2)
    return out


# --- phases, each in its own process -----------------------------------------------------------------

def phase_setup(url: str, letters: int, store: Path) -> None:
    """A register of ``letters`` valid registrations (with addresses) and the two people of the mailing."""
    from datetime import date

    from bench_register_import import generate, write_csv

    os.environ["WKI_DOCUMENT_STORE_DIR"] = str(store)
    rows = [r for r in generate(letters * 2) if r[13] == "ingeschreven"][:letters]
    assert len(rows) == letters
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        write_csv(path, rows)
        app = bench_app(url)
        with app.app_context():
            from wki.auth import services as accounts
            from wki.core.actors import Actor
            from wki.core.auth import Role
            from wki.core.extensions import db
            from wki.register.services import import_snapshot

            import_snapshot("register", path.read_bytes(), snapshot_date=date.fromisoformat(SNAPSHOT_DAY),
                            file_name=path.name, source=str(path), actor=Actor.process("bench"))
            for email, role in ((WRITER, Role.VOORLICHTING), (APPROVER, Role.BEHEERDER)):
                accounts.create_user(email=email, name=email.split("@")[0].title(), roles=[role],
                                     password="bench-wachtwoord-lang-genoeg-123", actor=Actor.process("bench"))
            db.session.commit()


def phase_baseline(url: str, letters: int) -> dict[str, float]:
    """Plain WeasyPrint, one letter after another, on the HTML the application would render."""
    from datetime import date

    import weasyprint  # type: ignore[import-untyped]

    app = bench_app(url)
    with app.app_context():
        from wki.core.features import recipient_sources
        from wki.documents import issuing, rendering
        from wki.documents.texts import get_letter_type, require_published_text

        letter_type = get_letter_type("informatiebrief-sector")
        assert letter_type is not None
        text = require_published_text(letter_type)
        recipients = recipient_sources()["register"].fetch({"as_of": AS_OF})[:letters]
        static = Path(app.static_folder or "static").resolve().as_uri() + "/"
        pages = []
        for n, recipient in enumerate(recipients, start=1):
            letter = issuing.compose(letter_type, text, recipient, document_date=date.fromisoformat(AS_OF),
                                     kenmerk=issuing.kenmerk_for(2026, n))
            pages.append(rendering.letter_html(letter).replace(rendering.STATIC_BASE_URL, static))
    assert len(pages) == letters, len(pages)
    start = time.perf_counter()
    for html in pages:
        weasyprint.HTML(string=html, base_url=static).write_pdf(pdf_variant="pdf/a-3b")
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_mailing(url: str, letters: int, store: Path) -> dict[str, float]:
    """Create, approve and run the mailing through the command line; time the run, and the peak memory of
    the largest process it started (``RUSAGE_CHILDREN`` of a wrapper around it)."""
    env = _env(url, store)
    created = _flask(["mailings", "create", "--type", "informatiebrief-sector", "--as-of", AS_OF,
                      "--title", f"Benchmark {letters}", "--by", WRITER], env)
    mailing_id = created.stdout.strip().splitlines()[0].strip()
    _flask(["mailings", "approve", mailing_id, "--by", APPROVER], env)
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); e = time.perf_counter() - t; "
               "print(r.stdout[-3000:], r.stderr[-3000:], file=sys.stderr) if r.returncode else None; "
               "print(e, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")
    out = subprocess.run([sys.executable, "-c", wrapper, str(Path(sys.executable).with_name("flask")),
                          "mailings", "run", mailing_id, "--by", WRITER], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        print(f"flask mailings run failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
        sys.exit(2)
    seconds, maxrss = out.stdout.split()
    status = _flask(["mailings", "status", mailing_id], env).stdout
    made = len(list(store.glob("??/*")))
    return {"seconds": float(seconds), "rss_mb": int(maxrss) / 1024, "stored": made, "status": status.strip()}


def _in_process(phase: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, *args], cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(f"phase {phase} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
        sys.exit(2)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_mailing(base_url: str | None, letters: int, workdir: Path, *, with_baseline: bool) -> dict:
    url, drop = fresh_database(workdir, base_url, f"mailing{letters}")
    store = workdir / f"documenten-{letters}"
    try:
        migrate(url)
        _in_process("setup", "--url", url, "--letters", str(letters), "--store", str(store))
        result = run_mailing(url, letters, store)
        baseline = _in_process("baseline", "--url", url, "--letters", str(letters)) if with_baseline else None
        return {"mailing": result, "baseline": baseline}
    finally:
        drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL; default: a SQLite file")
    parser.add_argument("--phase", choices=["setup", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "setup":
        phase_setup(args.url, args.letters, Path(args.store))
        print(json.dumps({"ok": True}))
        return
    if args.phase == "baseline":
        print(json.dumps(phase_baseline(args.url, args.letters)))
        return

    with tempfile.TemporaryDirectory(prefix="wki-bench-documents-") as tmp:
        workdir = Path(tmp)
        print(f"Mailing benchmark: {args.letters} and {args.small} one-page letters, "
              f"{'PostgreSQL' if args.database_url else 'SQLite'}, {os.cpu_count()} cores")
        large = measure_mailing(args.database_url, args.letters, workdir, with_baseline=True)
        small = measure_mailing(args.database_url, args.small, workdir, with_baseline=False)
    base = large["baseline"]
    app = large["mailing"]
    base_rate = args.letters / base["seconds"]
    app_rate = args.letters / app["seconds"]
    ratio = app_rate / base_rate
    print(f"{'':<44}{'seconds':>10}{'letters/s':>12}{'peak MB':>10}")
    print(f"{'baseline: plain WeasyPrint, one process':<44}{base['seconds']:>10.1f}{base_rate:>12.1f}"
          f"{base['rss_mb']:>10.0f}")
    print(f"{f'mailing of {args.letters} (flask mailings run)':<44}{app['seconds']:>10.1f}{app_rate:>12.1f}"
          f"{app['rss_mb']:>10.0f}")
    small_rate = args.small / small["mailing"]["seconds"]
    print(f"{f'mailing of {args.small} (flask mailings run)':<44}{small['mailing']['seconds']:>10.1f}"
          f"{small_rate:>12.1f}{small['mailing']['rss_mb']:>10.0f}")
    print(f"documents stored: {app['stored']} of {args.letters}, {small['mailing']['stored']} of {args.small}")
    print(f"status of the large mailing: {app['status'].splitlines()[0] if app['status'] else '-'}")
    print(f"throughput ratio: {ratio:.2f}x the baseline (target >= {TARGET_RATIO}x): "
          f"{'MET' if ratio >= TARGET_RATIO else 'MISSED'}")
    growth = app["rss_mb"] - small["mailing"]["rss_mb"]
    flat = growth <= max(20.0, 0.1 * small["mailing"]["rss_mb"])
    print(f"peak memory per process: {small['mailing']['rss_mb']:.0f} MB at {args.small}, {app['rss_mb']:.0f} MB "
          f"at {args.letters} ({growth:+.0f} MB): {'flat: MET' if flat else 'grows: MISSED'}")


if __name__ == "__main__":
    main()
