"""Risk-based priorities (issue 13) at the market's size: how long ``priorities(as_of)`` and the planning page
take with 10,000 registrations, 100,000 signals about them and 2,000 completed inspections, against a baseline
of the same aggregates as bare SQL (the least any implementation must read: the registrations valid on the day,
signal counts per registration, findings per registration), measured in the same run.

Setup (not measured): a fresh database migrated with Alembic, the generated register imported
(``import_snapshot``), signals and inspections inserted with SQLAlchemy Core. Then, median of ``--repeat`` runs:
  baseline   the three aggregate queries, rows fetched, nothing else
  priorities wki.supervision.priorities.priorities(as_of): factors, reasons in words, sorted
  page       GET /toezicht/ as an inspector through the test client, the cache off (priorities + one page of 50)
  cached     the same page with the process's cache on and warm (the fingerprint's three queries + the page)
Prints each, the ratio to the baseline, and the DESIGN target for pages (p95 under 200 ms at 16 clients, which
issue 15's load benchmark measures; one request here must leave room for that).

    .venv/bin/python bench/bench_priorities.py [--registrations 10000] [--signals 100000] [--inspections 2000]
        [--repeat 5] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_support import bench_app, fresh_database, migrate  # noqa: E402

AS_OF = date(2026, 11, 1)


def _median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def seed(app, args, register_csv: bytes) -> list[str]:
    import sqlalchemy as sa

    from wki.core.actors import Actor
    from wki.core.auth import Role
    from wki.core.extensions import db
    from wki.register.models import RegistrationVersion
    from wki.register.services import import_snapshot
    from wki.signals.models import Signal
    from wki.supervision.models import CatalogueVersion, Inspection, InspectionItem, Requirement

    rng = random.Random(13)
    with app.app_context():
        import_snapshot("register", register_csv, snapshot_date=AS_OF - timedelta(days=30), file_name="register.csv",
                        actor=Actor.process("bench"))
        db.session.commit()
        numbers = list(db.session.scalars(sa.select(RegistrationVersion.registratienummer).distinct()))
        rows = []
        for i in range(args.signals):
            day = AS_OF - timedelta(days=rng.randrange(0, 700))
            principal = Decimal(rng.randrange(50, 5000))
            excess = Decimal(rng.choice([0, 0, 0, 0, 35]))
            rows.append({"bron": rng.choice(["consument", "schuldhulpverlener", "gemeente", "anoniem"]),
                         "referentie": f"B-{i:07d}", "ontvangen_op": day, "channel": "bestand", "status": "open",
                         "reference_date": day, "name_key": "", "vulnerable": rng.random() < 0.05,
                         "auto_verdict": "geregistreerd", "auto_registratienummer": rng.choice(numbers),
                         "hoofdsom": principal, "incassokosten": Decimal("40"), "bik_excess": excess})
        for chunk in range(0, len(rows), 10_000):
            db.session.execute(sa.insert(Signal), rows[chunk:chunk + 10_000])
        from wki.auth import services as accounts

        inspector = accounts.create_user(email="bench@example.org", name="Bench", roles=[Role.INSPECTEUR],
                                         password="paars-konijn-fietst-naar-zee-42", actor=Actor.process("bench"))
        version = db.session.scalars(sa.select(CatalogueVersion)).one()
        requirement_ids = list(db.session.scalars(sa.select(Requirement.id).where(
            Requirement.catalogue_version_id == version.id)))
        inspected = rng.sample(numbers, min(args.inspections, len(numbers)))
        for n, nummer in enumerate(inspected):
            done = AS_OF - timedelta(days=rng.randrange(30, 900))
            inspection_id = db.session.execute(sa.insert(Inspection).values(
                nummer=f"INS-B-{n:05d}", registratienummer=nummer, naam="Bench", kind="regulier", status="afgerond",
                catalogue_version_id=version.id, inspectiedatum=done, inspector_id=inspector.id,
                created_by="bench", completed_at=datetime.combine(done, datetime.min.time(), UTC)).returning(Inspection.id)).scalar_one()
            db.session.execute(sa.insert(InspectionItem), [
                {"inspection_id": inspection_id, "requirement_id": rid, "position": p,
                 "judgement": rng.choice(["voldoet"] * 8 + ["deels", "voldoet_niet"])}
                for p, rid in enumerate(requirement_ids, start=1)])
        db.session.commit()
        return numbers


def baseline(app) -> None:
    import sqlalchemy as sa

    from wki.core.extensions import db
    from wki.register.models import RegistrationVersion as V
    from wki.signals.models import Signal as S
    from wki.supervision.models import Inspection, InspectionItem

    with app.app_context():
        db.session.execute(sa.select(V.registratienummer, V.naam, V.plaats, V.datum_inschrijving, V.geldig_tot)
                           .where(V.valid_from <= AS_OF, sa.or_(V.valid_to.is_(None), V.valid_to > AS_OF))).all()
        db.session.execute(sa.select(S.auto_registratienummer, sa.func.count(), sa.func.max(S.reference_date))
                           .where(S.reference_date <= AS_OF).group_by(S.auto_registratienummer)).all()
        db.session.execute(sa.select(Inspection.registratienummer, InspectionItem.judgement, sa.func.count())
                           .join(InspectionItem).group_by(Inspection.registratienummer, InspectionItem.judgement)).all()
        db.session.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--inspections", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from signals_evalset import generate

    es = generate(args.registrations, 10, 4)
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = fresh_database(Path(tmp), args.database_url, "priorities")
        try:
            migrate(url)
            app = bench_app(url)
            started = time.perf_counter()
            numbers = seed(app, args, es.register_csv)
            print(f"seeded {len(numbers):,} registrations, {args.signals:,} signals, {args.inspections:,} completed "
                  f"inspections in {time.perf_counter() - started:.1f} s on {url.split(':')[0]}")

            from wki.core.extensions import db
            from wki.supervision.priorities import priorities

            def run_priorities() -> None:
                with app.app_context():
                    assert len(priorities(AS_OF)) > 0
                    db.session.remove()

            client = app.test_client()
            form = client.get("/account/inloggen").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
            assert token, "no CSRF token on the log-in page"
            client.post("/account/inloggen", data={"csrf_token": token.group(1),
                                                   "email": "bench@example.org",
                                                   "password": "paars-konijn-fietst-naar-zee-42"})

            def run_page() -> None:
                response = client.get(f"/toezicht/?peildatum={AS_OF.isoformat()}")
                assert response.status_code == 200, response.status_code

            run_priorities()  # warm: imports
            base = _median_ms(lambda: baseline(app), args.repeat)
            prio = _median_ms(run_priorities, args.repeat)
            app.config["SUPERVISION_PRIORITY_CACHE_SECONDS"] = 0
            page = _median_ms(run_page, args.repeat)
            app.config["SUPERVISION_PRIORITY_CACHE_SECONDS"] = 300
            run_page()  # fills the cache
            cached = _median_ms(run_page, args.repeat)
            print(f"\n{'':28}{'median ms':>10}{'× baseline':>12}")
            print(f"{'baseline (3 aggregates)':28}{base:>10.0f}{1:>12.1f}")
            print(f"{'priorities(as_of)':28}{prio:>10.0f}{prio / base:>12.1f}")
            print(f"{'GET /toezicht/ (page of 50)':28}{page:>10.0f}{page / base:>12.1f}")
            print(f"{'the same, cache warm':28}{cached:>10.0f}{cached / base:>12.1f}")
            print("\nDESIGN target for pages: p95 under 200 ms at 16 concurrent clients (issue 15 measures that).")
        finally:
            drop()


if __name__ == "__main__":
    main()
