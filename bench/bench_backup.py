"""How long ``flask backup create``, ``verify`` and ``restore`` take for an installation of a given size.

Seeds a database of its own (SQLite file, or a new PostgreSQL database on ``--database-url``'s server) with
``--rows`` audit events (the largest table in practice, JSON in two columns) and ``--files`` stored files of
``--file-kb`` kB in the document store, then runs the three commands as an operator would (``flask`` in a
process of its own) and prints the seconds each took and the back-up's size.

    .venv/bin/python bench/bench_backup.py --rows 200000 --files 1000
    .venv/bin/python bench/bench_backup.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_support import ROOT, fresh_database, migrate  # noqa: E402

SEED_SQL = {
    "postgresql": """
        INSERT INTO audit_event (occurred_at, actor_email, action, object_type, object_id, before, after)
        SELECT now() - (n || ' minutes')::interval, 'inspecteur' || (n % 40) || '@inspectie.example.nl',
               'signaal.ontvangen', 'signal', n::text, NULL,
               json_build_object('bron', 'consument', 'referentie', 'MLD-' || n, 'kanaal', 'formulier')
        FROM generate_series(1, :rows) AS n""",
    "sqlite": """
        WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :rows)
        INSERT INTO audit_event (occurred_at, actor_email, action, object_type, object_id, before, after)
        SELECT datetime('now', '-' || n || ' minutes'), 'inspecteur' || (n % 40) || '@inspectie.example.nl',
               'signaal.ontvangen', 'signal', CAST(n AS TEXT), NULL,
               json_object('bron', 'consument', 'referentie', 'MLD-' || n, 'kanaal', 'formulier')
        FROM seq""",
}


def flask(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).with_name("flask")), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        print(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        sys.exit(2)
    return elapsed


def environment(url: str, stores: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "WKI_ENV": "development", "FLASK_APP": "run.py",
            "WKI_LOG_LEVEL": "WARNING", "WKI_SIGNAL_ATTACHMENT_DIR": str(stores / "bijlagen"),
            "WKI_DOCUMENT_STORE_DIR": str(stores / "documenten"), "WKI_EVIDENCE_STORE_DIR": str(stores / "bewijs"),
            "WKI_CASE_STORE_DIR": str(stores / "zaken")}


def seed(url: str, stores: Path, rows: int, files: int, file_kb: int) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(SEED_SQL[engine.dialect.name]), {"rows": rows})
    engine.dispose()
    import hashlib

    for n in range(files):
        data = n.to_bytes(4, "big") + os.urandom(file_kb * 1024 - 4)
        sha256 = hashlib.sha256(data).hexdigest()
        path = stores / "documenten" / sha256[:2] / sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (postgresql+psycopg://…/postgres); default SQLite")
    parser.add_argument("--rows", type=int, default=200_000, help="audit events to seed (default 200000)")
    parser.add_argument("--files", type=int, default=1_000, help="files in the document store (default 1000)")
    parser.add_argument("--file-kb", type=int, default=100, help="size of each file in kB (default 100)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="wki-bench-backup-") as tmp:
        workdir = Path(tmp)
        source_url, drop_source = fresh_database(workdir, args.database_url, "bron")
        target_url, drop_target = fresh_database(workdir, args.database_url, "herstel")
        try:
            migrate(source_url)
            seed(source_url, workdir / "bron", args.rows, args.files, args.file_kb)
            source, target = environment(source_url, workdir / "bron"), environment(target_url, workdir / "herstel")
            backup = workdir / "wki.tar"
            created = flask(source, "backup", "create", str(backup))
            verified = flask(source, "backup", "verify", str(backup))
            restored = flask(target, "backup", "restore", str(backup))
            size = backup.stat().st_size
        finally:
            drop_source()
            drop_target()
        kind = "PostgreSQL" if args.database_url else "SQLite"
        print(f"{kind}: {args.rows:,} audit events, {args.files:,} files of {args.file_kb} kB; "
              f"back-up {size / 1e6:.1f} MB")
        print(f"  create  {created:6.1f} s\n  verify  {verified:6.1f} s\n  restore {restored:6.1f} s")


if __name__ == "__main__":
    main()
