"""Synthetic, deterministic demo data (demo/development configuration only)."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from itertools import product
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from wki.auth import services as accounts
from wki.auth.models import User
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import today_local, utcnow
from wki.core.errors import ServiceError
from wki.core.extensions import db

DEMO_PASSWORD = "wki-demo-wachtwoord"
DEMO_DOMAIN = "demo.wki-inspectie.nl"
_ACCOUNTS = [
    ("inspecteur", "Inspecteur Demo", [Role.INSPECTEUR]),
    ("voorlichting", "Voorlichter Demo", [Role.VOORLICHTING]),
    ("handhaver", "Handhaver Demo", [Role.HANDHAVER]),
    ("beheerder", "Beheerder Demo", [Role.BEHEERDER]),
    ("teamleider", "Teamleider Demo", [Role.INSPECTEUR, Role.HANDHAVER]),
]
FIRST_NAMES = ["Anouk", "Bram", "Charlotte", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Iris", "Jeroen", "Kim",
               "Lars", "Maaike", "Niels", "Olga", "Pieter", "Roos", "Sanne", "Thijs", "Wouter", "Yara", "Zeynep",
               "Mohamed", "Fatima", "Sem", "Noor"]
SURNAMES = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
            "Dijkstra", "Kaya", "El Amrani", "Yilmaz", "van Dijk", "Koster"]


def demo_accounts() -> list[tuple[str, str]]:
    return [(f"{local}@{DEMO_DOMAIN}", ", ".join(r.value for r in roles)) for local, _, roles in _ACCOUNTS]


def _colleague_email(first: str, last: str) -> str:
    return f"{first}.{last}".lower().replace(" ", "") + f"@{DEMO_DOMAIN}"


def _free_colleague_emails() -> set[str]:
    """The colleagues' addresses the name pool can still make."""
    possible = {_colleague_email(first, last) for first, last in product(FIRST_NAMES, SURNAMES)}
    taken = set(db.session.scalars(sa.select(User.email).where(User.email.like(f"%@{DEMO_DOMAIN}"))))
    return possible - taken


def seed_demo(*, seed: int, extra_users: int, if_empty: bool) -> bool:
    """Create the demo accounts and ``extra_users`` colleagues and, while the register mirror is still
    empty, its demo history (``seed_register``); returns False when skipped.

    Raises ServiceError, before creating anything, when the name pool cannot make that many new
    colleagues (the loop below would otherwise draw names for ever).
    """
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        return False
    if extra_users < 0:
        raise ServiceError("Het aantal extra gebruikers kan niet negatief zijn.")
    available = len(_free_colleague_emails())
    if extra_users > available:
        raise ServiceError(f"Er zijn nog {available} unieke demonamen vrij; vraag om hoogstens {available} "
                           f"extra gebruikers in plaats van {extra_users}.")
    rng = random.Random(seed)
    actor = Actor.process("demo-seed")
    for local, name, roles in _ACCOUNTS:
        email = f"{local}@{DEMO_DOMAIN}"
        if accounts.find_user_by_email(email) is None:
            accounts.create_user(email=email, name=name, roles=roles, password=DEMO_PASSWORD, is_demo=True,
                                 actor=actor)
    role_pool = [Role.INSPECTEUR] * 5 + [Role.HANDHAVER] * 3 + [Role.VOORLICHTING] * 2
    made = 0
    while made < extra_users:
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        email = _colleague_email(first, last)
        if accounts.find_user_by_email(email) is not None:
            continue
        picked = {rng.choice(role_pool)}
        if rng.random() < 0.15:
            picked.add(rng.choice(role_pool))
        user = accounts.create_user(email=email, name=f"{first} {last}", roles=picked, password=DEMO_PASSWORD,
                                    is_demo=True, actor=actor)
        if rng.random() < 0.1:
            accounts.set_active(user_id=user.id, active=False, actor=actor)
        made += 1
    seed_register(seed=seed)
    from wki.signals.demo import seed_signals

    seed_signals(seed=seed)
    from wki.documents.demo import seed_documents

    writer, approver = (accounts.find_user_by_email(f"{local}@{DEMO_DOMAIN}") for local in ("voorlichting", "beheerder"))
    if writer is not None and approver is not None:
        seed_documents(writer=Actor.of(writer), approver=Actor.of(approver))
    from wki.supervision.demo import seed_supervision

    inspector, colleague = (accounts.find_user_by_email(f"{local}@{DEMO_DOMAIN}") for local in ("inspecteur", "teamleider"))
    if inspector is not None and colleague is not None:
        seed_supervision(inspector=Actor.of(inspector), reviewer=Actor.of(colleague))
    from wki.enforcement.demo import seed_enforcement

    officer, approver = (accounts.find_user_by_email(f"{local}@{DEMO_DOMAIN}") for local in ("handhaver", "teamleider"))
    if officer is not None and approver is not None:
        seed_enforcement(officer=Actor.of(officer), colleague=Actor.of(approver))
    return True


# ---------------------------------------------------------------- the register mirror

# (name stem, trade-name suffixes) of the demo agencies; with the legal form and place they make
# names like "Noordkaap Incasso B.V." trading as "Noordkaap Debiteurenbeheer".
_AGENCY_STEMS = [
    "Noordkaap", "Polderlicht", "Van Beemen & Partners", "Dijkgraaf", "Zuiderzee", "Hanzestad", "De Waag",
    "Kempenland", "Veluwezoom", "Lindeboom", "Scheldemond", "Achterhoek", "Twentse", "Maasdelta", "Duinrand",
    "Brabantse", "De Vaart", "Grachtengordel", "IJsselland", "Friesland", "Kroonstad", "Zeeuwse", "Rijnmond",
    "Utrechtse Heuvelrug", "Wadden", "Eemland", "Bakker & De Groot", "Van Dijk", "Meijer", "Jansen & Visser",
    "Peelland", "Gooi", "Westland", "Oosterschelde", "Limburgse", "Drentse Aa", "Kennemer", "Betuwe",
    "Amstelland", "Markermeer", "Hollandse Poort",
]
_NAME_KINDS = ["Incasso", "Invorderingen", "Credit Management", "Debiteurenbeheer", "Incassodiensten",
               "Vorderingenbeheer"]
_LEGAL_FORMS = ["B.V.", "B.V.", "B.V.", "V.O.F.", "C.V."]
# (place, postcode digits, area code, street names)
_PLACES = [
    ("Amsterdam", "10", "020", ["Herengracht", "Damrak", "Overtoom"]),
    ("Rotterdam", "30", "010", ["Coolsingel", "Weena", "Blaak"]),
    ("Den Haag", "25", "070", ["Lange Voorhout", "Prinsegracht"]),
    ("Utrecht", "35", "030", ["Kerkstraat", "Catharijnesingel", "Biltstraat"]),
    ("Groningen", "97", "050", ["Stationsweg", "Vismarkt"]),
    ("Eindhoven", "56", "040", ["Stratumseind", "Vestdijk"]),
    ("Zwolle", "80", "038", ["Melkmarkt", "Luttekestraat"]),
    ("Maastricht", "62", "043", ["Vrijthof", "Wycker Brugstraat"]),
    ("Arnhem", "68", "026", ["Jansbinnensingel", "Velperplein"]),
    ("Leeuwarden", "89", "058", ["Nieuwestad", "Tweebaksmarkt"]),
    ("Breda", "48", "076", ["Haven", "Ginnekenweg"]),
    ("Amersfoort", "38", "033", ["Utrechtseweg", "Langestraat"]),
]
_BANKS = ["ABNA", "INGB", "RABO", "TRIO", "BUNQ", "KNAB", "SNSB", "ASNB"]
_EXEMPT = [
    ("Gerechtsdeurwaarderskantoor Van der Laan", "gerechtsdeurwaarder", "Utrecht", "vanderlaandeurwaarders.nl"),
    ("Deurwaarderskantoor Hofstede & Kramer", "gerechtsdeurwaarder", "Rotterdam", "hofstedekramer.nl"),
    ("Noordelijke Gerechtsdeurwaarders", "gerechtsdeurwaarder", "Groningen", "noordelijkedeurwaarders.nl"),
    ("Advocatenkantoor Smit Verhoeven", "advocaat", "Amsterdam", "smitverhoeven.nl"),
    ("Van Leeuwen Advocaten", "advocaat", "Den Haag", "vanleeuwenadvocaten.nl"),
    ("Incasso-advocaten Zuid", "advocaat", "Eindhoven", ""),
]
REGISTER_AGENCIES = 40  # in the first snapshot; one more registers later


def demo_iban(rng: random.Random) -> str:
    """A Dutch IBAN with correct check digits (ISO 13616 mod 97) for a random account number."""
    from wki.core.iban import nl_iban

    return nl_iban(rng.choice(_BANKS), rng.randrange(10**9, 10**10))


def _slug(stem: str) -> str:
    return "".join(ch for ch in stem.lower().replace("&", "en") if ch.isalnum())


def _agency(rng: random.Random, n: int, stem: str, today: date) -> dict[str, str]:
    place, pc, area, streets = rng.choice(_PLACES)
    kind = rng.choice(_NAME_KINDS)
    slug = _slug(stem)
    started = today - timedelta(days=rng.randrange(240, 940))
    # Valid for a year from registration and renewed every year since: the end of the current year of validity.
    years = (today - started).days // 365 + 1
    trade = [f"{stem} {rng.choice([k for k in _NAME_KINDS if k != kind])}"] if rng.random() < 0.6 else []
    if rng.random() < 0.25:
        trade.append("".join(word[0] for word in stem.replace("&", "").split()).upper() + " Collect")
    ibans = [demo_iban(rng) for _ in range(rng.choice([0, 1, 1, 2]))]
    return {
        "registratienummer": f"R{started.year}-{n:05d}",
        "naam": f"{stem} {kind} {rng.choice(_LEGAL_FORMS)}",
        "handelsnamen": "|".join(trade),
        "kvk_nummer": f"{rng.randrange(10**7, 10**8):08d}",
        "vestigingsnummer": f"{rng.randrange(10**11, 10**12):012d}" if rng.random() < 0.7 else "",
        "straat": rng.choice(streets),
        "huisnummer": str(rng.randrange(1, 250)) + (rng.choice(["", "", "", "a", "-2"])),
        "postcode": f"{pc}{rng.randrange(10, 99)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
        "plaats": place,
        "website": f"{slug}.nl",
        "email": f"info@{slug}.nl" + (f"|incasso@{slug}.nl" if rng.random() < 0.2 else ""),
        "telefoon": f"{area}-{rng.randrange(1000000, 9999999)}",
        "iban": "|".join(ibans),
        "status": "ingeschreven",
        "datum_inschrijving": started.isoformat(),
        "datum_einde": "",
        "geldig_tot": (started + timedelta(days=365 * years)).isoformat(),
    }


def _register_csv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def register_demo_snapshots(*, seed: int, today: date) -> list[tuple[date, list[dict[str, str]]]]:
    """Three register snapshots some months apart, with the changes the pages should show."""
    rng = random.Random(f"{seed}-register")
    first = [_agency(rng, n, stem, today) for n, stem in enumerate(_AGENCY_STEMS[:REGISTER_AGENCIES], start=1)]
    day1, day2, day3 = today - timedelta(days=182), today - timedelta(days=91), today
    first[2]["geldig_tot"] = (today + timedelta(days=12)).isoformat()  # expires within 30 days
    first[3]["geldig_tot"] = (today + timedelta(days=47)).isoformat()  # within 60 days
    first[4]["geldig_tot"] = (today - timedelta(days=9)).isoformat()  # past, no renewal recorded

    second = [dict(row) for row in first]
    second[0]["handelsnamen"] = "|".join(filter(None, [second[0]["handelsnamen"], "NKI Collect"]))
    second[5]["handelsnamen"] = "|".join(filter(None, [second[5]["handelsnamen"], "Incasso Direct"]))
    second[6]["straat"], second[6]["huisnummer"] = "Nieuwe Markt", "7"
    second[7]["iban"] = "|".join(filter(None, [second[7]["iban"], demo_iban(rng)]))
    newcomer = _agency(rng, REGISTER_AGENCIES + 1, _AGENCY_STEMS[REGISTER_AGENCIES], today)
    registered = day2 - timedelta(days=3)
    newcomer.update(registratienummer=f"R{registered.year}-{REGISTER_AGENCIES + 1:05d}",
                    datum_inschrijving=registered.isoformat(),
                    geldig_tot=(registered + timedelta(days=365)).isoformat())
    second.append(newcomer)

    third = [dict(row) for row in second]
    third[1].update(status="doorgehaald", datum_einde=(today - timedelta(days=20)).isoformat(), geldig_tot="")
    third[8].update(status="verlopen", datum_einde=(today - timedelta(days=40)).isoformat())
    third[5]["handelsnamen"] = "|".join(second[5]["handelsnamen"].split("|")[1:])  # the first trade name dropped
    third[10]["geldig_tot"] = (date.fromisoformat(third[10]["geldig_tot"]) + timedelta(days=365)).isoformat()
    third[11]["email"] = f"contact@{_slug(_AGENCY_STEMS[11])}.nl"
    del third[12]  # left the register without a recorded end
    return [(day1, first), (day2, second), (day3, third)]


def _write_demo_sources(register_file: bytes, exempt_file: bytes) -> None:
    """Leave the last files where the demo's sync jobs look (config DEMO_SYNC_DIR), so that the
    scheduled sync finds the same files again and succeeds ("ongewijzigd") instead of failing."""
    directory = current_app.config.get("DEMO_SYNC_DIR")
    if not directory:
        return
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    (target / "register.csv").write_bytes(register_file)
    (target / "vrijgestelden.csv").write_bytes(exempt_file)


def seed_register(*, seed: int) -> bool:
    """Fill the register mirror with three snapshots and the exempt list; only when it is empty.

    Goes through the import service, as a real import does, with a run record per file; a fourth,
    incomplete file ends in quarantine, so the administrator's decision can be tried out.
    """
    from wki.register import queries, services
    from wki.register.models import SnapshotKind
    from wki.register.validation import EXEMPT_COLUMNS, REGISTER_COLUMNS

    if queries.mirror_start() is not None:
        return False
    actor = Actor.process("demo-seed")
    today = today_local()

    def run(kind: str, data: bytes, day: date, name: str) -> None:
        started = utcnow()
        result = services.import_snapshot(kind, data, snapshot_date=day, file_name=name, source=f"demo: {name}",
                                          actor=actor)
        services.record_run(kind=kind, trigger="import", source=f"demo: {name}", started_at=started,
                            outcome=result.outcome, message=result.message, sha256=result.sha256,
                            counts=result.counts, snapshot_id=result.snapshot.id if result.snapshot else None,
                            actor=actor)

    snapshots = register_demo_snapshots(seed=seed, today=today)
    for day, rows in snapshots:
        register_file = _register_csv(rows, REGISTER_COLUMNS)
        run(SnapshotKind.REGISTER, register_file, day, f"register-{day.isoformat()}.csv")
    exempt = [{"naam": naam, "kvk_nummer": f"{30000000 + i * 7919:08d}", "beroep": beroep, "plaats": plaats,
               "website": site} for i, (naam, beroep, plaats, site) in enumerate(_EXEMPT, start=1)]
    exempt_file = _register_csv(exempt, EXEMPT_COLUMNS)
    run(SnapshotKind.EXEMPT, exempt_file, today, f"vrijgestelden-{today.isoformat()}.csv")
    _write_demo_sources(register_file, exempt_file)
    # An export that broke off half-way: it would strike out a third of the register.
    day, rows = snapshots[-1]
    partial = rows[: len(rows) * 2 // 3]
    run(SnapshotKind.REGISTER, _register_csv(partial, REGISTER_COLUMNS), day, f"register-{day.isoformat()}-2.csv")
    return True
