"""Seed a database at the market's size for the load benchmark (issue 15, "Load"): ``bench/bench_load.py``
uses it, and anyone profiling a page can point the app at the result.

Drops and creates the database ``--name`` on the PostgreSQL server of ``--database-url`` (or writes a fresh
SQLite file with ``--sqlite PATH``), migrates it with Alembic (``flask db upgrade``) and seeds:

- registrations WITH HISTORY: the generated register (``signals_evalset.generate``) imported through
  ``import_snapshot`` as of 2026-03-01, then three later monthly snapshots in which some registrations move,
  get another trade name or a new website, and a few are struck off, so versions and changes exist;
  the exempt list as well;
- signals: ``--matched-signals`` of them written as the signals file of the evaluation set (about registered
  agencies, struck-off ones, exempt offices, unregistered collectors with several signals each, clones)
  imported with ``import_signals`` and judged and grouped with ``match_signals`` the way the app does it (so
  the suspects exist and their pages have content); the rest, up to ``--signals``, inserted in bulk as
  judged signals about registered agencies (as ``bench_priorities`` does: the full pipeline for 100,000
  would take longer than this seed may);
- completed inspections with findings (bulk, as ``bench_priorities``);
- enforcement cases opened through ``wki.enforcement.cases`` (``open_from_inspection`` for inspections with
  failing findings, ``open_from_suspect`` for the suspects with most signals), a note on some, some closed;
- one user per role plus ``--load-users`` users (inspecteur and handhaver) for the load clients, all with the
  password ``PASSWORD`` and a second factor whose TOTP secret is ``totp_secret_for(email)``.

Prints what it made and how long each part took.

    .venv/bin/python bench/load_seed.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
        --name wki_load [--registrations 10000 --signals 100000 --inspections 2000 --cases 1000]
    .venv/bin/python bench/load_seed.py --sqlite /tmp/wki_load.sqlite3 [...]

Log in as ``laad01@load.example`` (or ``inspecteur@load.example`` ...) with ``PASSWORD`` and the code
``python -c "import sys; sys.path.insert(0, 'bench'); import load_seed; print(load_seed.totp_code('laad01@load.example'))"``.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "Laadproef-wachtwoord-2026!"
ROLE_USERS = {"inspecteur": "inspecteur@load.example", "voorlichting": "voorlichting@load.example",
              "handhaver": "handhaver@load.example", "beheerder": "beheerder@load.example"}
FIRST_SNAPSHOT = date(2026, 3, 1)  # the evaluation set's register date
LATER_SNAPSHOTS = (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1))
AS_OF = date(2026, 11, 1)  # the day inspections and bulk signals are counted back from


def load_user_email(number: int) -> str:
    """The e-mail address of load client ``number`` (1-based)."""
    return f"laad{number:02d}@load.example"


def totp_secret_for(email: str) -> str:
    """The seeded user's TOTP secret: derived from the e-mail address, so a client needs nothing but it."""
    return base64.b32encode(hashlib.sha256(f"wki-load:{email}".encode()).digest()[:20]).decode()


def totp_code(email: str, *, steps_ahead: int = 0) -> str:
    """The current authenticator code of a seeded user (``steps_ahead``: the code of a later 30-second
    step, which the app accepts as clock drift when the current one was used already)."""
    import pyotp

    totp = pyotp.TOTP(totp_secret_for(email))
    return totp.at(datetime.now(UTC), counter_offset=steps_ahead)


@dataclass
class Sizes:
    registrations: int = 10_000
    signals: int = 100_000
    matched_signals: int = 20_000
    inspections: int = 2_000
    cases: int = 1_000
    load_users: int = 32


@dataclass
class Seeded:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def later_snapshot(register_csv: bytes, step: int) -> bytes:
    """The register ``step`` months later: about 2% of the registrations changed (moved, a trade name added,
    a new website), 0.3% struck off (never more than the quarantine's removal share)."""
    rows = list(csv.DictReader(io.StringIO(register_csv.decode("utf-8"), newline="")))
    fields = list(rows[0])
    rnd = random.Random(f"load-history:{step}")
    day = LATER_SNAPSHOTS[step - 1]
    places = ["Den Haag", "Utrecht", "Amersfoort", "Zwolle", "Haarlem", "Arnhem", "Tilburg", "Almere"]
    for row in rows:
        draw = rnd.random()
        if draw < 0.008:
            row["plaats"] = rnd.choice(places)
            row["postcode"] = f"{rnd.randint(1000, 9999)} {rnd.choice(['AB', 'KL', 'PX', 'TR'])}"
        elif draw < 0.014:
            extra = f"{row['naam'].split()[0]} Incasso {step}"
            row["handelsnamen"] = f"{row['handelsnamen']}|{extra}" if row["handelsnamen"] else extra
        elif draw < 0.020:
            row["website"] = f"nieuw{step}-{row['registratienummer'].lower()}.nl"
        elif draw < 0.023 and row["status"] == "ingeschreven" and row["datum_inschrijving"] < day.isoformat():
            row["status"] = "doorgehaald"
            row["datum_einde"] = day.isoformat()
            row["geldig_tot"] = ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _timed(seeded: Seeded, part: str):
    class _Timer:
        def __enter__(self) -> None:
            self.start = time.perf_counter()
            print(f"  {part} ...", flush=True)

        def __exit__(self, *exc: object) -> None:
            seeded.seconds[part] = time.perf_counter() - self.start
            print(f"  {part}: {seeded.seconds[part]:.1f} s", flush=True)

    return _Timer()


def seed(app, sizes: Sizes) -> Seeded:  # noqa: C901 (one seed, in the order the parts depend on each other)
    import sqlalchemy as sa
    from signals_evalset import generate

    from wki.core.actors import Actor
    from wki.core.extensions import db

    seeded = Seeded()
    process = Actor.process("load-seed")
    rng = random.Random(15)
    matched = min(sizes.matched_signals, sizes.signals)
    es = generate(sizes.registrations, matched, 4)
    with app.app_context():
        from wki.auth import services as accounts
        from wki.auth.models import User
        from wki.core.auth import Role
        from wki.core.clock import utcnow

        with _timed(seeded, "users"):
            for role, email in ROLE_USERS.items():
                accounts.create_user(email=email, name=f"Laad {role}", roles=[Role(role)], password=PASSWORD,
                                     actor=process)
            for n in range(1, sizes.load_users + 1):
                accounts.create_user(email=load_user_email(n), name=f"Laadclient {n:02d}",
                                     roles=[Role.INSPECTEUR, Role.HANDHAVER], password=PASSWORD, actor=process)
            for user in db.session.scalars(sa.select(User).where(User.email.like("%@load.example"))):
                user.totp_secret = totp_secret_for(user.email)
                user.totp_enabled_at = utcnow()
            db.session.commit()
            seeded.counts["users"] = len(ROLE_USERS) + sizes.load_users

        from wki.register.models import RegistrationVersion
        from wki.register.services import import_snapshot

        with _timed(seeded, "register (4 snapshots) and exempt list"):
            snapshots = [(FIRST_SNAPSHOT, es.register_csv)]
            current = es.register_csv
            for step, day in enumerate(LATER_SNAPSHOTS, start=1):
                current = later_snapshot(current, step)
                snapshots.append((day, current))
            result = import_snapshot("vrijgestelden", es.exempt_csv, snapshot_date=FIRST_SNAPSHOT,
                                     file_name="vrijgestelden.csv", actor=process)
            if result.outcome != "toegepast":
                raise SystemExit(f"the exempt list did not apply: {result.outcome}: {result.message}")
            for day, data in snapshots:
                result = import_snapshot("register", data, snapshot_date=day, file_name=f"register-{day}.csv",
                                         actor=process)
                if result.outcome != "toegepast":
                    raise SystemExit(f"the register of {day} did not apply: {result.outcome}: {result.message}")
                db.session.commit()
            seeded.counts["registrations"] = db.session.scalar(
                sa.select(sa.func.count(sa.distinct(RegistrationVersion.registratienummer)))) or 0
            seeded.counts["registration versions"] = db.session.scalar(
                sa.select(sa.func.count()).select_from(RegistrationVersion)) or 0

        from wki.signals.imports import import_signals
        from wki.signals.judging import match_signals
        from wki.signals.models import Signal, Suspect

        with _timed(seeded, f"signals: {matched:,} imported and matched by the app"):
            import_signals(es.signals_csv, file_name="signalen.csv", actor=process, skip_invalid=True, match=False)
            db.session.commit()
            match_signals(only_open=True)
            db.session.commit()

        current_rows = db.session.execute(
            sa.select(RegistrationVersion.registratienummer, RegistrationVersion.naam, RegistrationVersion.kvk_nummer,
                      RegistrationVersion.plaats)
            .where(RegistrationVersion.valid_to.is_(None), RegistrationVersion.status == "ingeschreven")).all()
        numbers = [r.registratienummer for r in current_rows]
        bulk = sizes.signals - matched
        with _timed(seeded, f"signals: {bulk:,} more in bulk, judged as registered"):
            rows = []
            for i in range(bulk):
                reg = rng.choice(current_rows)
                day = AS_OF - timedelta(days=rng.randrange(0, 700))
                principal = Decimal(rng.randrange(50, 5000))
                rows.append({"bron": rng.choice(["consument", "schuldhulpverlener", "gemeente", "anoniem"]),
                             "referentie": f"L-{i:07d}", "ontvangen_op": day, "channel": "bestand",
                             "status": "afgehandeld" if rng.random() < 0.3 else "open", "reference_date": day,
                             "naam_incassant": reg.naam, "kvk_raw": reg.kvk_nummer, "kvk": reg.kvk_nummer,
                             "plaats": reg.plaats, "name_key": "", "vulnerable": rng.random() < 0.05,
                             "auto_verdict": "geregistreerd", "auto_registratienummer": reg.registratienummer,
                             "hoofdsom": principal, "incassokosten": Decimal("40"),
                             "bik_excess": Decimal(rng.choice([0, 0, 0, 0, 35])), "created_by": "load-seed"})
                if len(rows) == 10_000:
                    db.session.execute(sa.insert(Signal), rows)
                    rows = []
            if rows:
                db.session.execute(sa.insert(Signal), rows)
            db.session.commit()
        seeded.counts["signals"] = db.session.scalar(sa.select(sa.func.count()).select_from(Signal)) or 0
        seeded.counts["suspects"] = db.session.scalar(
            sa.select(sa.func.count()).select_from(Suspect).where(Suspect.status == "actief")) or 0

        from wki.supervision.models import CatalogueVersion, Inspection, InspectionItem, Requirement

        with _timed(seeded, "inspections (completed, with findings)"):
            inspector = db.session.scalars(sa.select(User).where(User.email == ROLE_USERS["inspecteur"])).one()
            version = db.session.scalars(sa.select(CatalogueVersion)).one()
            requirement_ids = list(db.session.scalars(sa.select(Requirement.id).where(
                Requirement.catalogue_version_id == version.id)))
            inspected = rng.sample(numbers, min(sizes.inspections, len(numbers)))
            names = {r.registratienummer: r.naam for r in current_rows}
            for n, nummer in enumerate(inspected):
                done = AS_OF - timedelta(days=rng.randrange(30, 900))
                inspection_id = db.session.execute(sa.insert(Inspection).values(
                    nummer=f"INS-L-{n:05d}", registratienummer=nummer, naam=names[nummer][:300], kind="regulier",
                    status="afgerond", catalogue_version_id=version.id, inspectiedatum=done,
                    inspector_id=inspector.id, created_by="load-seed",
                    completed_at=datetime.combine(done, datetime.min.time(), UTC)).returning(Inspection.id)).scalar_one()
                db.session.execute(sa.insert(InspectionItem), [
                    {"inspection_id": inspection_id, "requirement_id": rid, "position": p,
                     "judgement": rng.choice(["voldoet"] * 8 + ["deels", "voldoet_niet"]),
                     "finding": "Bevinding van de laadproef."}
                    for p, rid in enumerate(requirement_ids, start=1)])
            db.session.commit()
            seeded.counts["inspections"] = len(inspected)

        from wki.core.errors import ServiceError
        from wki.enforcement import cases as enforcement
        from wki.enforcement.models import Case

        with _timed(seeded, "enforcement cases (through the services)"):
            officer = db.session.scalars(sa.select(User).where(User.email == ROLE_USERS["handhaver"])).one()
            actor = Actor.of(officer)
            failing = list(db.session.scalars(
                sa.select(Inspection.id).join(InspectionItem).where(InspectionItem.judgement == "voldoet_niet")
                .group_by(Inspection.id).order_by(Inspection.id)))
            suspects = list(db.session.scalars(sa.select(Suspect.id).where(Suspect.status == "actief")
                                               .order_by(Suspect.signal_count.desc(), Suspect.id)))
            from_suspects = min(len(suspects), sizes.cases // 4)
            opened: list[int] = []
            for suspect_id in suspects[:from_suspects]:
                opened.append(enforcement.open_from_suspect(suspect_id, officer_id=officer.id, actor=actor).id)
                if len(opened) % 50 == 0:  # a session holding every case, step and link slows each flush
                    db.session.commit()
            for inspection_id in failing:
                if len(opened) >= sizes.cases:
                    break
                try:
                    opened.append(enforcement.open_from_inspection(inspection_id, officer_id=officer.id,
                                                                   actor=actor).id)
                except ServiceError:  # the registration has an open case already (two inspections of it)
                    continue
                if len(opened) % 50 == 0:
                    db.session.commit()
            for k, case_id in enumerate(opened):
                if k % 3 == 0:
                    enforcement.add_note(case_id, text="Telefonisch contact gehad met de partij.", actor=actor)
                if k % 5 == 0:
                    enforcement.close_case(case_id, reason="Overtreding hersteld; geen verdere actie.", actor=actor)
                if k % 50 == 49:
                    db.session.commit()
            db.session.commit()
            seeded.counts["cases"] = db.session.scalar(sa.select(sa.func.count()).select_from(Case)) or 0
    return seeded


def create_database(server_url: str, name: str) -> str:
    """Drop and create ``name`` on the server; the URL of the new database."""
    import sqlalchemy as sa

    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = Sizes()
    parser.add_argument("--registrations", type=int, default=defaults.registrations)
    parser.add_argument("--signals", type=int, default=defaults.signals)
    parser.add_argument("--matched-signals", type=int, default=defaults.matched_signals,
                        help="of the signals, how many go through the app's import and matching (the rest in bulk)")
    parser.add_argument("--inspections", type=int, default=defaults.inspections)
    parser.add_argument("--cases", type=int, default=defaults.cases)
    parser.add_argument("--load-users", type=int, default=defaults.load_users)


def sizes_from(args: argparse.Namespace) -> Sizes:
    return Sizes(registrations=args.registrations, signals=args.signals, matched_signals=args.matched_signals,
                 inspections=args.inspections, cases=args.cases, load_users=args.load_users)


def make(url: str, sizes: Sizes) -> Seeded:
    """Migrate the empty database at ``url`` and seed it; prints the parts and the totals."""
    from bench_support import bench_app, migrate

    started = time.perf_counter()
    print(f"seeding {url.split('://')[0]}: {sizes}", flush=True)
    migrate(url)
    app = bench_app(url)
    seeded = seed(app, sizes)
    total = time.perf_counter() - started
    print("made: " + ", ".join(f"{v:,} {k}" for k, v in seeded.counts.items()))
    print(f"seeded in {total:.1f} s")
    return seeded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--database-url", help="a PostgreSQL server URL; the database --name is made on it")
    where.add_argument("--sqlite", help="path of a SQLite file (replaced)")
    parser.add_argument("--name", default="wki_load", help="database name on the PostgreSQL server")
    add_arguments(parser)
    args = parser.parse_args()
    if args.sqlite:
        path = Path(args.sqlite).resolve()
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = create_database(args.database_url, args.name)
    make(url, sizes_from(args))


if __name__ == "__main__":
    main()
