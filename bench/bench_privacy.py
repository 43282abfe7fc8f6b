"""Personal data (issue 15, AVG) at the market's size: how long a data subject's search takes over 100,000
signals (a case-insensitive substring search, ILIKE, over the free text and fields: a sequential scan, bounded
by the hits' limit), the Beheer page's overview of what is due, and the retention job removing the personal
data of the signals whose period ended.

Setup (not measured): a fresh database migrated with Alembic; signals inserted with SQLAlchemy Core, each
with a debtor's name and address in its free text, ``--due`` of them closed three years ago.
Then, median of ``--repeat`` runs (the job once):
  search    wki.privacy.requests.search(Person(naam=...)) for a name in 3 signals
  overview  wki.privacy.retention.due_overview()
  job       wki.privacy.retention.run_retention() over the due signals, batches of RETENTION_BATCH

    .venv/bin/python bench/bench_privacy.py [--signals 100000] [--due 5000] [--repeat 5]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_support import bench_app, fresh_database, migrate  # noqa: E402

FIRST = ["Jan", "Piet", "Klaas", "Fatima", "Mohamed", "Anna", "Sanne", "Daan", "Emma", "Lucas"]
LAST = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos"]
STREETS = ["Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Stationsweg"]


def _median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def seed(app, args) -> None:
    import sqlalchemy as sa

    from wki.core.extensions import db
    from wki.signals.models import Signal

    rng = random.Random(15)
    long_ago = datetime.now(UTC) - timedelta(days=3 * 366)
    with app.app_context():
        rows = []
        for n in range(args.signals):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if n in (11, 22, 33):
                name = "Wubbo Zwiersma"  # the person searched for
            due = n % max(1, args.signals // args.due) == 0 and n // max(1, args.signals // args.due) < args.due
            rows.append({
                "bron": "consument", "referentie": f"B-{n:07d}", "ontvangen_op": date(2026, 1, 1),
                "channel": "formulier", "status": "afgehandeld" if due else "open",
                "naam_incassant": f"Incasso {n % 500}", "reference_date": date(2026, 1, 1), "name_key": "",
                "vulnerable": False, "created_at": long_ago, "closed_at": long_ago if due else None,
                "omschrijving": f"Brief aan {name}, {rng.choice(STREETS)} {rng.randint(1, 200)}, "
                                f"{rng.randint(1000, 9999)} AB Ergens. Vordering van {rng.randint(50, 5000)} euro.",
            })
            if len(rows) == 5000:
                db.session.execute(sa.insert(Signal), rows)
                rows = []
        if rows:
            db.session.execute(sa.insert(Signal), rows)
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server (default: a SQLite file)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wki-bench-privacy-"))
    url, drop = fresh_database(workdir, args.database_url, "privacy")
    try:
        migrate(url)
        app = bench_app(url)
        app.config["SIGNAL_ATTACHMENT_DIR"] = str(workdir / "bijlagen")
        app.config["CASE_STORE_DIR"] = str(workdir / "zaken")
        start = time.perf_counter()
        seed(app, args)
        print(f"seeded {args.signals:,} signals ({args.due:,} due) in {time.perf_counter() - start:.1f} s "
              f"on {url.split(':')[0]}")
        from wki.core.extensions import db
        from wki.privacy import requests, retention

        with app.app_context():
            found = requests.search(requests.Person(naam="Zwiersma"))
            assert len(found.signals) == 3, len(found.signals)
            search = _median_ms(lambda: requests.search(requests.Person(naam="Zwiersma")), args.repeat)
            overview = _median_ms(retention.due_overview, args.repeat)
            start = time.perf_counter()
            counts = retention.run_retention()
            job = (time.perf_counter() - start) * 1000
            db.session.remove()
        print(f"search    {search:8.1f} ms  (name in 3 of {args.signals:,} signals; ILIKE, limit {requests.LIMIT})")
        print(f"overview  {overview:8.1f} ms")
        print(f"job       {job:8.1f} ms  ({counts['signalen']:,} signals pseudonymised, "
              f"{counts['signalen'] / max(job / 1000, 1e-9):,.0f} a second)")
    finally:
        drop()


if __name__ == "__main__":
    main()
