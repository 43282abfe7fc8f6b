"""Register import benchmark (DESIGN.md "Performance targets"; issue 3).

Generates a 100,000-row register snapshot and measures, each in a fresh process so that its peak
memory (maximum resident set size) is its own:

- baseline: read the file, parse it with ``csv`` and insert every row with ``sqlite3.executemany`` in
  one transaction into a table with the same columns;
- empty: ``import_snapshot`` of the file into an empty, migrated mirror, committed;
- reimport: ``import_snapshot`` of the same register with 1% of the rows changed, the next day.

Prints time and peak memory of each, and the ratios to the baseline. Targets: both imports within 3x
the baseline, peak memory under 500 MB. ``--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres``
runs the imports against a PostgreSQL database of their own (created and dropped); the baseline stays
the bare sqlite3 one.

Usage: .venv/bin/python bench/bench_register_import.py [--rows 100000] [--database-url URL] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_support import bench_app, fresh_database, migrate  # noqa: E402

from wki.core.actors import Actor  # noqa: E402

TARGET_RATIO = 3.0
TARGET_MEMORY_MB = 500

STREETS = ["Stationsweg", "Kerkstraat", "Havenweg", "Dorpsstraat", "Molenweg", "Industrieweg", "Markt"]
PLACES = ["Groningen", "Utrecht", "Amsterdam", "Rotterdam", "Zwolle", "Eindhoven", "Breda", "Leeuwarden"]
WORDS = ["Noordkaap", "Polderlicht", "Van Beemen", "Delta", "Zuidwest", "Kanaal", "Vesting", "Duin", "Linde"]
KINDS = ["Incasso", "Invorderingen", "Credit Management", "Debiteurenbeheer", "Gerechtelijke Incasso"]
FORMS = ["B.V.", "V.O.F.", "B.V.", "", "N.V."]


def _iban(account: int) -> str:
    bban = f"ABNA{account:010d}"
    digits = "".join(str(int(ch, 36)) for ch in bban + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"


def generate(rows: int, seed: int = 7) -> list[list[str]]:
    from wki.register.validation import REGISTER_COLUMNS  # noqa: F401 (the column order below follows it)

    rnd = random.Random(seed)
    out = []
    for n in range(1, rows + 1):
        name = f"{rnd.choice(WORDS)} {rnd.choice(KINDS)} {n} {rnd.choice(FORMS)}".strip()
        status = rnd.choices(["ingeschreven", "doorgehaald", "verlopen"], [90, 5, 5])[0]
        start = f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        end = "" if status == "ingeschreven" else f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        out.append([
            f"R{2024 + n % 3}-{n:06d}", name,
            "|".join(f"{rnd.choice(WORDS)} {k}" for k in range(rnd.randint(0, 2))),
            f"{10000000 + n:08d}", f"{n:012d}" if rnd.random() < 0.5 else "", rnd.choice(STREETS),
            str(rnd.randint(1, 300)), f"{rnd.randint(1000, 9999)} {rnd.choice(['AB', 'CD', 'LX', 'BD'])}",
            rnd.choice(PLACES), f"bureau{n}.nl", f"info@bureau{n}.nl", f"0{rnd.randint(10, 99)}-{rnd.randint(1000000, 9999999)}",
            "|".join(_iban(n * 10 + k) for k in range(rnd.randint(0, 2))), status, start, end,
            f"2027-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}" if status == "ingeschreven" else "",
        ])
    return out


def change_one_percent(rows: list[list[str]], seed: int = 11) -> list[list[str]]:
    rnd = random.Random(seed)
    changed = [list(r) for r in rows]
    for i in rnd.sample(range(len(changed)), len(changed) // 100):
        row = changed[i]
        what = i % 3
        if what == 0:
            row[2] = (row[2] + "|" if row[2] else "") + "Nieuwe Handelsnaam"
        elif what == 1 and row[13] == "ingeschreven":
            row[13], row[15], row[16] = "doorgehaald", "2026-11-01", ""
        else:
            row[8] = "Den Haag"
    return changed


def write_csv(path: Path, rows: list[list[str]]) -> None:
    from wki.register.validation import REGISTER_COLUMNS

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(REGISTER_COLUMNS)
        writer.writerows(rows)


# --- phases, each run in its own process ------------------------------------------------------------

def phase_baseline(file: Path, workdir: Path) -> float:
    import sqlite3

    db_path = workdir / f"baseline-{uuid.uuid4().hex}.sqlite3"
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    start = time.perf_counter()
    text = file.read_bytes().decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    conn.execute(f"CREATE TABLE baseline ({', '.join(c + ' TEXT' for c in header)})")
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO baseline VALUES ({', '.join('?' * len(header))})", reader)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed




def phase_import(file: Path, database_url: str, day: str) -> tuple[float, dict]:
    from datetime import date

    app = bench_app(database_url)
    with app.app_context():
        from wki.core.extensions import db
        from wki.register.services import import_snapshot

        start = time.perf_counter()
        data = file.read_bytes()
        result = import_snapshot("register", data, snapshot_date=date.fromisoformat(day), file_name=file.name,
                                 source=str(file), actor=Actor.process("bench"))
        db.session.commit()
        elapsed = time.perf_counter() - start
        if result.outcome != "toegepast":
            raise SystemExit(f"import did not apply: {result.outcome}: {result.message}")
        return elapsed, result.counts


def run_phase(args: argparse.Namespace) -> None:
    if args.phase == "baseline":
        seconds, counts = phase_baseline(Path(args.file), Path(args.workdir)), None
    else:
        seconds, counts = phase_import(Path(args.file), args.database_url, args.day)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "counts": counts}))


# --- the driver ---------------------------------------------------------------------------------------

def _child(*extra: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *extra], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"phase {extra[1]} failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])






def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per phase; the fastest time counts")
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL; default: SQLite files")
    parser.add_argument("--phase", choices=["baseline", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--day", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return

    with tempfile.TemporaryDirectory(prefix="wki-bench-") as tmp:
        workdir = Path(tmp)
        rows = generate(args.rows)
        first, second = workdir / "snapshot-1.csv", workdir / "snapshot-2.csv"
        write_csv(first, rows)
        write_csv(second, change_one_percent(rows))
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(f"Register import benchmark: {args.rows:,} rows ({first.stat().st_size / 1e6:.1f} MB), "
              f"mirror on {engine}, best of {args.repeat}, cores: {os.cpu_count()}")
        results: dict[str, dict] = {}
        for _ in range(args.repeat):
            trial = {"baseline": _child("--phase", "baseline", "--file", str(first), "--workdir", tmp)}
            url, drop = fresh_database(workdir, args.database_url, "mirror")
            try:
                migrate(url)
                trial["empty"] = _child("--phase", "import", "--file", str(first), "--database-url", url,
                                        "--day", "2026-01-01")
                trial["reimport"] = _child("--phase", "import", "--file", str(second), "--database-url", url,
                                           "--day", "2026-01-02")
            finally:
                drop()
            for name, value in trial.items():
                best = results.get(name)
                if best is None or value["seconds"] < best["seconds"]:
                    results[name] = {**value, "peak_mb": max(value["peak_mb"], (best or value)["peak_mb"])}
        base = results["baseline"]["seconds"]
        print(f"{'phase':<34}{'seconds':>9}{'ratio':>8}{'peak MB':>9}")
        labels = {"baseline": "baseline (csv + sqlite3.executemany)", "empty": "import into empty mirror",
                  "reimport": "re-import, 1% changed"}
        ok = True
        for name in ("baseline", "empty", "reimport"):
            r = results[name]
            ratio = r["seconds"] / base
            print(f"{labels[name]:<34}{r['seconds']:>9.2f}{ratio:>7.2f}x{r['peak_mb']:>9.0f}")
            if name != "baseline":
                ok &= ratio <= TARGET_RATIO and r["peak_mb"] < TARGET_MEMORY_MB
        print(f"counts, re-import: {results['reimport']['counts']}")
        print(f"target: imports <= {TARGET_RATIO:.0f}x baseline, peak < {TARGET_MEMORY_MB} MB: "
              f"{'MET' if ok else 'NOT MET'}")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
