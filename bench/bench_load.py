"""Load benchmark (issue 15, "Load"; DESIGN.md "Performance targets"): the main pages under 16 concurrent
clients while a mailing of 1,000 letters runs in the worker.

1. A database at the market's size (``bench/load_seed.py``: 10,000 registrations with history, 100,000
   signals, 2,000 inspections, 1,000 cases, users with a second factor), seeded unless ``--reuse-seed``.
2. ``gunicorn -w 2`` serving ``run:app`` on a free localhost port as a deployment runs it (``WKI_ENV=production``,
   a random ``SECRET_KEY``, ``DATABASE_URL``, the four stores in a temporary directory), and ``flask worker
   run`` (one worker process per core).
3. The mailing on a quiet machine: a mailing of ``--letters`` letters from a recipient file, made by the
   voorlichting user, approved by the beheerder (four eyes), started through the services (its parts are
   queued as work items) and timed from its start to its last letter → letters/s.
4. A second process (``bench/load_client.py``) logs ``--clients`` users in (password and TOTP code) and, once
   they are in, a second identical mailing is started and the client drives, ``--seconds`` each: the baseline
   (a static file through the same stack), register list, register search (varying queries), registration
   page (varying registrations), signals list, signals search (varying queries), suspect page (varying
   suspects), planning page, case list, case page (varying cases) and dashboard. The mailing's throughput
   under load is the letters made from its start until it finished or the drive ended, whichever came first.

Prints per page requests, req/s, p50/p95/p99 ms, errors, p95 as a multiple of the baseline's p95 and
PASS/FAIL against the target (p95 under 200 ms, no errors); then both mailing figures and their ratio
(target: at least 0.8). Exit status 1 when a target is missed, 2 when the harness failed; every process it
started is stopped on any exit.

    .venv/bin/python bench/bench_load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
        [--name wki_load] [--reuse-seed] [--registrations 10000 --signals 100000 --inspections 2000 --cases 1000]
        [--letters 1000] [--clients 16] [--seconds 20]
    .venv/bin/python bench/bench_load.py --quick          # tiny sizes on a SQLite file: does it all work?
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import queue
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import load_seed  # noqa: E402

TARGET_P95_MS = 200.0
TARGET_MAILING_RATIO = 0.8
LETTER_TYPE = "informatiebrief-sector"
BASELINE = "baseline: static file"


class HarnessError(Exception):
    """The benchmark could not measure (a process did not start, a log-in failed, ...): exit status 2."""


# --- the mailing, in a process of its own (through the services) -----------------------------------------

def phase_start_mailing(url: str, letters: int, title: str) -> dict[str, Any]:
    """Create a mailing of ``letters`` recipients (a recipient file of registrations), approve it as a second
    person and start it: its parts are queued for the worker. Returns its id."""
    from bench_support import bench_app

    app = bench_app(url)
    with app.app_context():
        import sqlalchemy as sa

        from wki.auth.models import User
        from wki.core.actors import Actor
        from wki.core.extensions import db
        from wki.documents.mailings import Choice, approve_mailing, create_mailing, start_mailing
        from wki.documents.models import RecipientSource
        from wki.documents.texts import require_letter_type
        from wki.register.models import RegistrationVersion as V

        rows = db.session.execute(
            sa.select(V.registratienummer, V.naam, V.straat, V.huisnummer, V.postcode, V.plaats, V.kvk_nummer)
            .where(V.valid_to.is_(None)).order_by(V.registratienummer).limit(letters)).all()
        if len(rows) < letters:
            raise SystemExit(f"only {len(rows)} registrations for a mailing of {letters}")
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow(["naam", "straat", "huisnummer", "postcode", "plaats", "registratienummer", "kvk_nummer"])
        for r in rows:
            writer.writerow([r.naam, r.straat, r.huisnummer, r.postcode, r.plaats, r.registratienummer, r.kvk_nummer])

        def person(role: str) -> Actor:
            return Actor.of(db.session.scalars(sa.select(User).where(User.email == load_seed.ROLE_USERS[role])).one())

        writer_actor, approver = person("voorlichting"), person("beheerder")
        mailing = create_mailing(letter_type=require_letter_type(LETTER_TYPE),
                                 choice=Choice(RecipientSource.CSV, csv_data=buf.getvalue().encode("utf-8"),
                                               file_name="ontvangers.csv"),
                                 title=title, actor=writer_actor, roles=["voorlichting"])
        db.session.commit()
        approve_mailing(mailing, actor=approver)
        db.session.commit()
        start_mailing(mailing, actor=writer_actor, queue=True)
        db.session.commit()
        return {"mailing_id": mailing.id, "recipients": mailing.recipient_count}


@dataclass
class MailingFigures:
    letters: int  # made (rendered) in the window
    seconds: float  # from the start to the end of the window
    finished: bool  # the mailing was done within the window
    failed: int = 0  # recipients whose letter failed

    @property
    def rate(self) -> float:
        return self.letters / self.seconds if self.seconds > 0 else 0.0


def _naive_utc(moment: Any) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def mailing_figures(engine: Any, mailing_id: int, until: datetime | None = None) -> MailingFigures:
    """Letters made from the mailing's start until it finished, or until ``until`` (UTC) if that is earlier."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        started, status = conn.execute(sa.text("SELECT started_at, status FROM mailing WHERE id = :id"),
                                       {"id": mailing_id}).one()
        total, made, last = conn.execute(sa.text(
            "SELECT count(*), count(rendered_at), max(rendered_at) FROM mailing_recipient "
            "WHERE mailing_id = :id AND status <> 'geen_adres'"), {"id": mailing_id}).one()
        if isinstance(last, str):  # SQLite hands back text
            last = datetime.fromisoformat(last)
        if isinstance(started, str):
            started = datetime.fromisoformat(started)
        started = _naive_utc(started)
        finished = status in ("klaar", "klaar_met_fouten")
        failed = conn.execute(sa.text("SELECT count(*) FROM mailing_recipient WHERE mailing_id = :id "
                                      "AND status = 'mislukt'"), {"id": mailing_id}).scalar_one()
        end = _naive_utc(last) if finished and last is not None else None
        if until is not None:
            until = _naive_utc(until)
            if end is None or until < end:
                end, finished = until, False
                made = conn.execute(sa.text(
                    "SELECT count(*) FROM mailing_recipient WHERE mailing_id = :id AND rendered_at <= :until"),
                    {"id": mailing_id, "until": until}).scalar_one()
        if end is None:
            end = _naive_utc(datetime.now(UTC))
    return MailingFigures(letters=made, seconds=(end - started).total_seconds(), finished=finished, failed=failed)


def wait_for_mailing(engine: Any, mailing_id: int, timeout: float, procs: Processes) -> MailingFigures:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        procs.check()
        figures = mailing_figures(engine, mailing_id)
        if figures.finished:
            return figures
        time.sleep(0.5)
    raise HarnessError(f"mailing {mailing_id} did not finish within {timeout:.0f} s "
                       f"({mailing_figures(engine, mailing_id).letters} letters made)")


# --- processes ----------------------------------------------------------------------------------------------

class Processes:
    """The processes the benchmark started, each in a process group of its own; stopped on any exit."""

    def __init__(self, logdir: Path) -> None:
        self.logdir = logdir
        self.running: list[tuple[str, subprocess.Popen[Any]]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.Popen[Any]:
        log = (self.logdir / f"{name}.log").open("w")
        kwargs.setdefault("stdout", log)
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stderr=log, start_new_session=True, **kwargs)
        self.running.append((name, proc))
        return proc

    def log(self, name: str, chars: int = 4000) -> str:
        path = self.logdir / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def check(self) -> None:
        for name, proc in self.running:
            if name != "client" and proc.poll() is not None:
                raise HarnessError(f"{name} stopped (status {proc.returncode}):\n{self.log(name)}")

    def stop_all(self) -> None:
        """SIGTERM to every group, then wait until each group is gone (a worker pool's children too, so that
        nothing writes into the temporary directory while it is removed); SIGKILL what is left after 15 s."""
        for _, proc in reversed(self.running):
            _signal_group(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, proc in reversed(self.running):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            while _signal_group(proc.pid, 0) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _signal_group(proc.pid, signal.SIGKILL):
                proc.wait()  # reap the leader, or the group never looks empty
                until = time.monotonic() + 10
                while _signal_group(proc.pid, 0) and time.monotonic() < until:
                    time.sleep(0.1)
            proc.wait()


def _signal_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to the process group; False when no process of it is left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # only zombies left, on some systems
        return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(url: str, tmp: Path) -> dict[str, str]:
    """The environment of a production deployment on this database, its stores in ``tmp``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WKI_")}
    env.update({"WKI_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
                "FLASK_APP": "run.py", "WKI_LOG_LEVEL": "WARNING", "WKI_MAIL_SERVER": "",
                "WKI_SCHEDULER_LOCK": str(tmp / "scheduler.lock")})
    for var, name in (("WKI_DOCUMENT_STORE_DIR", "documenten"), ("WKI_SIGNAL_ATTACHMENT_DIR", "bijlagen"),
                      ("WKI_EVIDENCE_STORE_DIR", "bewijs"), ("WKI_CASE_STORE_DIR", "zaken")):
        env[var] = str(tmp / name)
    return env


def wait_until_serving(port: int, procs: Processes, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        procs.check()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise HarnessError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{procs.log('gunicorn')}")


# --- what the clients request ---------------------------------------------------------------------------------

def page_plan(engine: Any, static_path: str, count: int = 200) -> list[dict[str, Any]]:
    """The baseline and the pages, each with the URLs its clients walk (varying queries, records)."""
    import sqlalchemy as sa

    rnd = random.Random(15)
    with engine.connect() as conn:
        def column(sql: str) -> list[Any]:
            return [row[0] for row in conn.execute(sa.text(sql))]

        numbers = column("SELECT DISTINCT registratienummer FROM registration_version")
        names = column("SELECT DISTINCT naam FROM registration_version WHERE valid_to IS NULL")
        signal_names = column("SELECT DISTINCT naam_incassant FROM signal WHERE naam_incassant IS NOT NULL "
                              "AND suspect_id IS NOT NULL")
        signal_names += column("SELECT naam_incassant FROM signal WHERE naam_incassant IS NOT NULL "
                               "AND suspect_id IS NULL ORDER BY id LIMIT 2000")
        suspects = column("SELECT id FROM suspect WHERE status = 'actief'")
        cases = column("SELECT id FROM enforcement_case")
    if not (numbers and names and signal_names and suspects and cases):
        raise HarnessError("the database lacks registrations, signals, suspects or cases: seed it first")

    def sample(values: list[Any]) -> list[Any]:
        return rnd.sample(values, min(count, len(values)))

    def words(texts: list[str]) -> list[str]:
        """Search queries as people type them: a distinctive word of a name, or two words, or a number."""
        out = []
        for text in sample(texts):
            parts = [w for w in text.split() if len(w) > 3 and w.upper() not in {"B.V.", "V.O.F.", "N.V."}]
            if parts:
                out.append(" ".join(parts[:2]) if rnd.random() < 0.3 else rnd.choice(parts))
        return out or ["incasso"]

    def query(base: str, terms: list[str]) -> list[str]:
        return [f"{base}?{urllib.parse.urlencode({'zoek': t})}" for t in terms]

    register_terms = words(names) + [n[:7] for n in sample(numbers)[:20]]
    return [
        {"name": BASELINE, "urls": [static_path]},
        {"name": "register list", "urls": ["/register/"]},
        {"name": "register search", "urls": query("/register/", register_terms)},
        {"name": "registration page", "urls": [f"/register/{urllib.parse.quote(n)}" for n in sample(numbers)]},
        {"name": "signals list", "urls": ["/signalen/"]},
        {"name": "signals search", "urls": query("/signalen/", words(signal_names))},
        {"name": "suspect page", "urls": [f"/signalen/mogelijke-overtreders/{i}" for i in sample(suspects)]},
        {"name": "planning page", "urls": ["/toezicht/"]},
        {"name": "case list", "urls": ["/handhaving/"]},
        {"name": "case page", "urls": [f"/handhaving/zaken/{i}" for i in sample(cases)]},
        {"name": "dashboard", "urls": ["/"]},
    ]


def static_file() -> str:
    css = sorted((ROOT / "static" / "css").glob("*.css"))
    if not css:
        raise HarnessError("no stylesheet in static/css for the baseline")
    return f"/static/css/{css[0].name}"


# --- the run --------------------------------------------------------------------------------------------------

def client_lines(proc: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The client's output lines as they come (None at its end), read by a thread of their own."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def read_event(lines: queue.Queue[str | None], procs: Processes, timeout: float) -> dict[str, Any]:
    """The client's next JSON line; raises when it ends or says it failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        procs.check()
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line is None:
            raise HarnessError(f"the client process ended:\n{procs.log('client')}")
        event = json.loads(line)
        if event.get("event") == "failed":
            raise HarnessError(f"the client failed: {event['error']}\n{procs.log('gunicorn')}")
        return dict(event)
    raise HarnessError(f"no word from the client process within {timeout:.0f} s")


def prepare_database(args: argparse.Namespace, tmp: Path) -> str:
    if args.database_url:
        import sqlalchemy as sa

        url = sa.engine.make_url(args.database_url).set(database=args.name).render_as_string(hide_password=False)
        if args.reuse_seed:
            return url
        load_seed.create_database(args.database_url, args.name)
    else:
        path = Path(args.sqlite).resolve() if args.sqlite else tmp / "load.sqlite3"
        url = f"sqlite:///{path}"
        if args.reuse_seed:
            if not path.exists():
                raise HarnessError(f"--reuse-seed: {path} does not exist")
            return url
        path.unlink(missing_ok=True)
    load_seed.make(url, load_seed.sizes_from(args))
    return url


def run(args: argparse.Namespace, tmp: Path, procs: Processes) -> bool:
    import sqlalchemy as sa

    url = prepare_database(args, tmp)
    engine = sa.create_engine(url)
    env = server_env(url, tmp)
    port = free_port()
    venv = Path(sys.executable).parent
    nice = ["nice", "-n", str(args.web_nice)] if args.web_nice else []
    procs.start("gunicorn", [*nice, str(venv / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120",
                             "run:app"], env)
    procs.start("worker", [str(venv / "flask"), "worker", "run"], env)
    wait_until_serving(port, procs)
    pages = page_plan(engine, static_file())
    users = [load_seed.load_user_email(n) for n in range(1, args.clients + 1)]
    print(f"serving on 127.0.0.1:{port} (gunicorn -w 2{f', nice {args.web_nice}' if args.web_nice else ''}, "
          "WKI_ENV=production) with `flask worker run`; "
          f"{args.clients} clients, {args.seconds:g} s per page, {os.cpu_count()} cores", flush=True)

    def start_mailing(title: str) -> int:
        out = subprocess.run([sys.executable, __file__, "--phase", "start-mailing", "--url", url, "--letters",
                              str(args.letters), "--title", title], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, **{k: v for k, v in env.items() if k.endswith("_DIR")}})
        if out.returncode != 0:
            raise HarnessError(f"starting the mailing failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
        return int(json.loads(out.stdout.strip().splitlines()[-1])["mailing_id"])

    timeout = max(600.0, args.letters * 2.0)
    quiet_id = start_mailing("Laadproef: stille machine")
    quiet = wait_for_mailing(engine, quiet_id, timeout, procs)
    print(f"mailing on a quiet machine: {quiet.letters} letters in {quiet.seconds:.1f} s = {quiet.rate:.1f} letters/s",
          flush=True)

    # What the scheduler keeps ready in a deployment (every two minutes): the planning page's priorities for
    # the web processes. Run once here rather than starting a scheduler whose catch-up of every never-run job
    # (re-matching 100,000 signals, regrouping, housekeeping) would run beside the drive.
    job = subprocess.run([str(venv / "flask"), "scheduler", "run-job", "supervision-priorities"], env=env,
                         capture_output=True, text=True, timeout=600)
    if job.returncode != 0:
        raise HarnessError(f"flask scheduler run-job supervision-priorities failed:\n{job.stdout}{job.stderr}")
    def drive(names: list[str], mailing_title: str | None) -> tuple[list[dict[str, Any]], int | None]:
        """One client process drives every page with ``names`` logged in; with a mailing started when it goes."""
        plan = tmp / "plan.json"
        plan.write_text(json.dumps({"host": "127.0.0.1", "port": port, "users": names, "password": load_seed.PASSWORD,
                                    "seconds": args.seconds, "pages": pages}), encoding="utf-8")
        client = procs.start("client", [sys.executable, str(BENCH / "load_client.py"), str(plan)],
                             os.environ.copy(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        lines = client_lines(client)
        read_event(lines, procs, timeout=120 + 10 * args.clients)
        mailing_id = start_mailing(mailing_title) if mailing_title else None
        assert client.stdin is not None
        client.stdin.write("go\n")
        client.stdin.flush()
        found = []
        while True:
            event = read_event(lines, procs, timeout=args.seconds * 3 + 120)
            if event["event"] == "done":
                break
            found.append(event)
            print(f"  {event['page']:<22} {event['requests']:>6} requests, p95 {event['p95']:.0f} ms, "
                  f"{event['errors']} errors", flush=True)
        client.wait(timeout=60)
        return found, mailing_id

    if args.pages_alone:
        # The pages' own capacity, nothing else running: the figures under the mailing are judged against
        # these. Other users than the drive below: a TOTP code is accepted once per user.
        alone_users = [load_seed.load_user_email(n) for n in range(args.clients + 1, 2 * args.clients + 1)]
        if 2 * args.clients > args.load_users:
            raise HarnessError(f"--pages-alone needs {2 * args.clients} load users; the seed has {args.load_users}")
        print("the pages alone (no mailing):", flush=True)
        alone, _ = drive(alone_users, None)
        report_pages(alone, "the pages alone, nothing else running (not judged)")
    print("the pages while the second mailing runs:", flush=True)
    results, loaded_id = drive(users, "Laadproef: onder belasting")
    assert loaded_id is not None
    drive_end = datetime.now(UTC)
    loaded = mailing_figures(engine, loaded_id, until=drive_end)
    engine.dispose()
    return report(results, quiet, loaded, args, procs)


def report_pages(results: list[dict[str, Any]], title: str, *, judged: bool = False) -> bool:
    base = next(r for r in results if r["page"] == BASELINE)
    base_p95 = max(base["p95"], 0.001)
    print(f"\n{title}:\n{'page':<22}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}"
          f"{'p95/base':>10}  target p95 < {TARGET_P95_MS:.0f} ms, 0 errors")
    ok = True
    for r in results:
        passed = r["p95"] < TARGET_P95_MS and r["errors"] == 0
        verdict = "" if r["page"] == BASELINE else ("PASS" if passed else "FAIL")
        if r["page"] != BASELINE:
            ok &= passed
        print(f"{r['page']:<22}{r['requests']:>9}{r['rps']:>8.1f}{r['p50']:>8.0f}{r['p95']:>8.0f}{r['p99']:>8.0f}"
              f"{r['errors']:>8}{r['p95'] / base_p95:>9.1f}x  {verdict if judged else verdict.lower()}")
    return ok


def report(results: list[dict[str, Any]], quiet: MailingFigures, loaded: MailingFigures, args: argparse.Namespace,
           procs: Processes) -> bool:
    ok = report_pages(results, "the pages while the mailing runs (judged)", judged=True)
    for r in results:
        for sample in r["error_samples"]:
            print(f"  error on {r['page']}: {sample}")
    if any(r["errors"] for r in results):
        print(f"gunicorn's log (end):\n{procs.log('gunicorn', 6000)}")
    ratio = loaded.rate / quiet.rate if quiet.rate else 0.0
    mailing_ok = ratio >= TARGET_MAILING_RATIO and not quiet.failed and not loaded.failed
    if quiet.failed or loaded.failed:
        print(f"\nletters that failed: {quiet.failed} quiet, {loaded.failed} under load (see the worker's log):\n"
              f"{procs.log('worker', 4000)}")
    window = "until it finished" if loaded.finished else "until the page drive ended (it was still running)"
    print(f"\nmailing of {args.letters} letters, quiet machine: {quiet.rate:>6.1f} letters/s "
          f"({quiet.letters} in {quiet.seconds:.1f} s)")
    print(f"the same, under the page load:   {loaded.rate:>6.1f} letters/s ({loaded.letters} in "
          f"{loaded.seconds:.1f} s, {window})")
    print(f"ratio {ratio:.2f} (target >= {TARGET_MAILING_RATIO}): {'PASS' if mailing_ok else 'FAIL'}")
    ok &= mailing_ok
    print(f"\nall targets: {'MET' if ok else 'MISSED'}")
    return ok


QUICK = {"registrations": 200, "signals": 800, "matched_signals": 300, "inspections": 40, "cases": 20,
         "letters": 10, "clients": 4, "seconds": 1.0, "load_users": 8}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL server URL (the database --name is made on it); default: a SQLite file")
    parser.add_argument("--name", default="wki_load", help="the database's name on the PostgreSQL server")
    parser.add_argument("--sqlite", default=None, help="the SQLite file (default: a temporary one)")
    parser.add_argument("--reuse-seed", action="store_true", help="use the seeded database as it is")
    load_seed.add_arguments(parser)
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per page")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    parser.add_argument("--web-nice", type=int, default=0, choices=range(0, 20), metavar="0-19",
                        help="start gunicorn under `nice -n N`, so that the mailing's worker is favoured (default 0)")
    parser.add_argument("--pages-alone", action=argparse.BooleanOptionalAction, default=True,
                        help="first drive the pages with nothing else running (their own capacity; not judged)")
    parser.add_argument("--phase", choices=["start-mailing"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--title", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "start-mailing":
        print(json.dumps(phase_start_mailing(args.url, args.letters, args.title)))
        return
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    args.load_users = max(args.load_users, args.clients)

    with tempfile.TemporaryDirectory(prefix="wki-bench-load-", ignore_cleanup_errors=True) as tmp:
        procs = Processes(Path(tmp))
        try:
            ok = run(args, Path(tmp), procs)
        except HarnessError as exc:
            print(f"the benchmark failed: {exc}", flush=True)
            sys.exit(2)
        except SystemExit as exc:  # the seed's refusals (a snapshot that did not apply, ...) say why in words
            if exc.code not in (None, 0):
                print(f"the benchmark failed: {exc.code}", flush=True)
                sys.exit(2)
            raise
        except Exception:  # noqa: BLE001 (anything unforeseen is the harness failing, never a missed target)
            traceback.print_exc()
            sys.exit(2)
        finally:
            procs.stop_all()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
