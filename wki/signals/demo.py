"""Demo signals: reports about the demo register's agencies, bailiffs and a few unregistered collectors,
imported through the bulk import as a partner's file would be, so every verdict, a clone, suspects with
several names and accounts, and collection costs above the BIK maximum can be seen in the demo."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

import sqlalchemy as sa

from wki.core.actors import Actor
from wki.core.clock import today_local
from wki.core.extensions import db
from wki.core.iban import nl_iban
from wki.register.queries import RegistrationVersion, search_stmt
from wki.signals.imports import import_signals
from wki.signals.intake import SIGNAL_COLUMNS
from wki.signals.models import Signal

SOURCES = ["consument", "consument", "consument", "schuldhulpverlener", "gemeente", "toezichthouder", "anoniem"]
# Unregistered collectors: (names used, IBAN bank codes, website, phone)
UNREGISTERED = [
    (["Snelgeld Inning", "Snelgeld Inning B.V.", "SG Inning"], ["BUNQ", "KNAB"], "snelgeld-inning.nl", "06-41234567"),
    (["Dukaat Vorderingen", "Dukaat Vorderingen VOF"], ["TRIO"], "", "085-1234567"),
    (["Incasso Express Nederland"], ["INGB"], "incasso-express.com", ""),
    (["Betaalmaar Incassodesk", "BetaalMaar"], ["SNSB", "ASNB"], "betaalmaar.nl", "0900-1234567"),
]
VULNERABLE_NOTES = ["Schuldenaar heeft een uitkering en zit in de schuldhulp.", "Beschermingsbewind; bewindvoerder meldt.",
                    "Oudere schuldenaar met dementie.", ""]


def _iban(rng: random.Random, bank: str) -> str:
    return nl_iban(bank, rng.randrange(10**9, 10**10))


def _amounts(rng: random.Random, row: dict[str, str], *, greedy: bool) -> None:
    if rng.random() < 0.7:
        principal = rng.choice([95, 180, 266.67, 450, 1250, 3200, 7800])
        costs = round(principal * (rng.uniform(0.3, 0.6) if greedy else 0.15), 2)
        row["hoofdsom"] = f"{principal:.2f}".replace(".", ",")
        row["incassokosten"] = f"{max(costs, 40):.2f}".replace(".", ",")


def _doubtful_name(registrations: list[RegistrationVersion], today: date) -> str:
    """A name a person would have to judge: a registered name with one vowel of its longest word changed
    ("Zuiderlicht" -> "Zuiderlacht": one letter that no finger slips to), the first such name the matcher
    itself leaves ``onzeker``."""
    from wki.signals.matching import Features
    from wki.signals.mirror import build_matcher
    from wki.signals.models import Verdict
    from wki.signals.normalise import name_initials, name_tokens

    matcher, _state = build_matcher()
    for version in registrations:
        words = version.naam.replace(" B.V.", "").split()
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        for i in range(3, len(word) - 2):
            if word[i] in "aeiou":
                for vowel in "aeiou":
                    if vowel == word[i]:
                        continue
                    words[longest] = word[:i] + vowel + word[i + 1:]
                    candidate = " ".join(words)
                    f = Features(day=today, name=candidate, tokens=tuple(name_tokens(candidate)),
                                 initials=name_initials(candidate))
                    if matcher.judge(f).verdict == Verdict.UNCERTAIN:
                        return candidate
        words[longest] = word
    return f"{registrations[0].naam.split(' ')[0]}weg Incasso"


def demo_signals_csv(*, seed: int, today: date, registrations: list[RegistrationVersion]) -> bytes:
    rng = random.Random(f"{seed}-signals")
    rows: list[dict[str, str]] = []

    def row(**values: str) -> dict[str, str]:
        n = len(rows) + 1
        received = today - timedelta(days=rng.randrange(1, 150))
        base = {c: "" for c in SIGNAL_COLUMNS}
        base.update(referentie=f"DEMO-{n:04d}", ontvangen_op=received.isoformat(), bron=rng.choice(SOURCES),
                    datum_brief=(received - timedelta(days=rng.randrange(2, 20))).isoformat())
        base.update(values)
        rows.append(base)
        return base

    for version in registrations[:18]:  # about registered agencies, written every which way
        name = version.naam if rng.random() < 0.5 else (version.trade_names or [version.naam])[0]
        r = row(naam_incassant=name.replace(" B.V.", "").lower() if rng.random() < 0.3 else name)
        if rng.random() < 0.4:
            r["kvk_nummer"] = f"KvK {version.kvk_nummer[:4]} {version.kvk_nummer[4:]}"
        if version.iban_list and rng.random() < 0.5:
            r["iban"] = version.iban_list[0].lower()
        _amounts(rng, r, greedy=rng.random() < 0.2)
    for collector, (names, banks, site, phone) in enumerate(UNREGISTERED):
        accounts = [_iban(rng, bank) for bank in banks]
        for _ in range(rng.randrange(3, 9 - collector)):
            r = row(naam_incassant=rng.choice(names), iban=rng.choice(accounts) if rng.random() < 0.7 else "",
                    website=site if site and rng.random() < 0.4 else "",
                    telefoon=phone if phone and rng.random() < 0.4 else "",
                    omschrijving=rng.choice(VULNERABLE_NOTES))
            _amounts(rng, r, greedy=True)
    clone = registrations[0]
    for _ in range(3):  # someone writing letters in a registered agency's name, with its own account
        row(naam_incassant=clone.naam, iban=_iban(rng, "BUNQ"), website="betalen-" + (clone.website_list or
                                                                                     ["incasso.nl"])[0],
            omschrijving="Brief lijkt van een bekend bureau, maar rekeningnummer is anders.")
    # Letters older than the mirror (installed later than they were sent): judged by the register's own
    # dates, as the first snapshot states them.
    for version in registrations[:4]:
        old_letter = version.datum_inschrijving - timedelta(days=rng.choice([30, 90]))
        for day in (old_letter, today - timedelta(days=rng.randrange(200, 260))):
            row(naam_incassant=version.naam, datum_brief=day.isoformat(),
                ontvangen_op=(day + timedelta(days=rng.randrange(3, 30))).isoformat())
    row(naam_incassant="Gerechtsdeurwaarderskantoor Van der Laan", omschrijving="Beslaglegging aangekondigd")
    row(naam_incassant="Van Leeuwen Advocaten", bron="consument")
    # Somewhat like a registered name, nothing more: a person decides.
    row(naam_incassant=_doubtful_name(registrations, today))
    for i, name in enumerate(["Vesting Debiteurenbeheer B.V.", "Kanaal Incassodiensten B.V."]):  # KvK extract
        row(naam_incassant=name, bron="kvk", kvk_nummer=f"{70000000 + i * 1237:08d}", datum_brief="",
            plaats="Utrecht")
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=SIGNAL_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def seed_signals(*, seed: int) -> bool:
    """Import the demo signals once (only when there are none)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Signal)):
        return False
    registrations = list(db.session.scalars(search_stmt(status="ingeschreven", sort="registratienummer")))
    if len(registrations) < 2:
        return False
    data = demo_signals_csv(seed=seed, today=today_local(), registrations=registrations)
    import_signals(data, file_name="demo-meldingen.csv", actor=Actor.process("demo-seed"))
    return True
