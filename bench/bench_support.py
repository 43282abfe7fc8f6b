"""What the benchmarks share: a database of their own (a SQLite file, or a PostgreSQL database created
and dropped on the given server), migrated with Alembic as a real installation is, and the application
on it."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_app(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ["WKI_ENV"] = "development"
    os.environ["WKI_LOG_LEVEL"] = "WARNING"
    from config import DevelopmentConfig
    from wki import create_app

    class BenchConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        LOG_LEVEL = "WARNING"

    return create_app(BenchConfig)


def fresh_database(workdir: Path, base_url: str | None, prefix: str) -> tuple[str, Callable[[], None]]:
    """(URL, drop): a new SQLite file in ``workdir``, or a new database on the PostgreSQL server."""
    import sqlalchemy as sa

    if not base_url:
        path = workdir / f"{prefix}-{uuid.uuid4().hex}.sqlite3"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    name = f"wki_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return url, drop


def migrate(url: str) -> None:
    """``flask db upgrade`` on ``url``; exits with status 2 and the output when it fails."""
    env = {**os.environ, "DATABASE_URL": url, "WKI_ENV": "development", "FLASK_APP": "run.py",
           "WKI_LOG_LEVEL": "WARNING"}
    out = subprocess.run([str(Path(sys.executable).with_name("flask")), "db", "upgrade"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(f"migrating the benchmark database failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
        sys.exit(2)
