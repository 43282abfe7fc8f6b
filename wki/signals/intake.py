"""One validation for every way a signal comes in: a bulk file row, the staff form and the partner API.

``clean_signal`` takes the values as written (strings, keyed by the import columns of signalen.md) and
returns the values to store, normalised identifiers included, or the list of what is wrong, in Dutch.
Identifiers are kept as written beside their normalised form; an IBAN whose checksum fails is kept,
marked invalid and not used for matching (it may still be the letter's typo of a real account).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from wki.core.clock import today_local
from wki.core.csvio import parse_amount, parse_date
from wki.core.text import is_storable, strip_controls
from wki.signals.bik import bik_excess, bik_maximum
from wki.signals.models import Source
from wki.signals.normalise import (
    email_domain,
    normalise_iban,
    normalise_kvk,
    normalise_name,
    normalise_phone,
    normalise_vestiging,
    registrable_domain,
)

SIGNAL_COLUMNS = (
    "referentie", "ontvangen_op", "bron", "naam_incassant", "kvk_nummer", "iban", "website", "email",
    "telefoon", "postcode", "plaats", "datum_brief", "hoofdsom", "incassokosten", "omschrijving",
)
# Beyond the exchange format (../shared/formats/signalen.md), which the import files follow: the time of the
# collector's contact, when the report gives it (a call log, an e-mail's send time). Optional in a file, the
# form and the API; the supervision check on forbidden contact times (Bki art. 4.2) reads it.
EXTRA_COLUMNS = ("tijdstip_contact",)
INTAKE_COLUMNS = (*SIGNAL_COLUMNS, *EXTRA_COLUMNS)
# The columns' names as the form and the messages show them.
FIELD_LABELS = {
    "referentie": "Referentie", "ontvangen_op": "Ontvangen op", "bron": "Bron", "naam_incassant": "Naam incassant",
    "kvk_nummer": "KvK-nummer", "iban": "IBAN", "website": "Website", "email": "E-mailadres",
    "telefoon": "Telefoonnummer", "postcode": "Postcode", "plaats": "Plaats", "datum_brief": "Datum brief",
    "tijdstip_contact": "Tijdstip contact",
    "hoofdsom": "Hoofdsom", "incassokosten": "Incassokosten", "omschrijving": "Omschrijving",
}
REQUIRED_COLUMNS = frozenset({"referentie", "ontvangen_op", "bron"})
IDENTIFIER_COLUMNS = ("kvk_nummer", "iban", "website", "email", "telefoon")
MAX_LENGTHS = {
    "referentie": 100, "naam_incassant": 300, "kvk_nummer": 100, "iban": 100, "website": 500, "email": 320,
    "telefoon": 100, "postcode": 10, "plaats": 100, "omschrijving": 5000,
}
# Columns not stored as written (parsed, or checked against a list): bounded before they are parsed.
MAX_INPUT_LENGTHS = {"bron": 30, "ontvangen_op": 30, "datum_brief": 30, "tijdstip_contact": 20, "hoofdsom": 40,
                     "incassokosten": 40}
# The time of a call or an e-mail as people write it: 21:15, 7.05, 21:15:30 (24-hour clock).
TIME_PATTERN = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?")
# Derived values are made to fit their columns (Signal.name_key, .domain, .email_domain, .phone, .iban).
NAME_KEY_LENGTH = 300
DOMAIN_LENGTH = 253  # the longest DNS name
PHONE_LENGTH = 20
MULTILINE_COLUMNS = frozenset({"omschrijving"})
MAX_AMOUNT = Decimal("10000000000")
EARLIEST = date(2000, 1, 1)

# Words in a description that point to a vulnerable debtor (counts in a suspect's priority).
VULNERABILITY_WORDS = (
    "schuldhulp", "schuldsanering", "wsnp", "bewind", "curatele", "mentorschap", "uitkering", "bijstand",
    "minderjarig", "dementie", "kwetsba", "budgetbeheer", "minnelijk traject", "beslagvrije voet", "ziek",
    "psychisch", "verstandelijk", "daklo", "mantelzorg", "aow",
)


@dataclass
class FieldError:
    column: str
    value: str | None
    reason: str  # Dutch


def is_vulnerable(bron: str, omschrijving: str | None) -> bool:
    if bron == "schuldhulpverlener":
        return True  # the debtor is in debt counselling
    text = (omschrijving or "").casefold()
    return any(word in text for word in VULNERABILITY_WORDS)


def _text(values: Mapping[str, Any], column: str) -> str:
    """The value as text, without control characters (tab and line breaks only where a field allows
    several lines): stored the same way on every database."""
    value = values.get(column)
    if value is None:
        return ""
    return strip_controls(str(value), multiline=column in MULTILINE_COLUMNS).strip()


def _shown(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _fit_name_key(key: str) -> str:
    """The normalised name within its column: cut at the last whole word that fits."""
    if len(key) <= NAME_KEY_LENGTH:
        return key
    cut = key[:NAME_KEY_LENGTH + 1].rsplit(" ", 1)[0] if " " in key[:NAME_KEY_LENGTH + 1] else ""
    return cut or key[:NAME_KEY_LENGTH]


def _fits(value: str | None, limit: int) -> str | None:
    """A derived identifier longer than its column is no usable identifier (no DNS name is over 253)."""
    return value if value is not None and len(value) <= limit else None


def clean_signal(values: Mapping[str, Any], *, today: date | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate and normalise one signal. Returns (columns of ``Signal``, errors); nothing is stored."""
    today = today or today_local()
    errors: list[FieldError] = []
    raw = {column: _text(values, column) for column in INTAKE_COLUMNS}

    def bad(column: str, reason: str) -> None:
        errors.append(FieldError(column, raw[column], reason))

    for column in INTAKE_COLUMNS:
        if not is_storable(raw[column]):
            errors.append(FieldError(column, None, "bevat een ongeldig teken (geen geldige Unicode)"))
            raw[column] = raw[column].encode("utf-8", "ignore").decode()  # refused; the rest reads the remainder
    for column, limit in (*MAX_LENGTHS.items(), *MAX_INPUT_LENGTHS.items()):
        if len(raw[column]) > limit:
            errors.append(FieldError(column, _shown(raw[column]), f"is langer dan {limit} tekens"))
            raw[column] = raw[column][:limit]  # refused; what follows only reads a bounded value
    if not raw["referentie"]:
        bad("referentie", "is verplicht")
    elif raw["referentie"].startswith("/"):
        # (A reference is part of the signal's address in the partner API: ".../gemeente//a" is no address.)
        bad("referentie", "mag niet met een schuine streep (/) beginnen")
    bron = raw["bron"].lower()
    if not bron:
        bad("bron", "is verplicht")
    elif bron not in Source.labels():
        bad("bron", "is geen bekende bron (" + ", ".join(Source.labels()) + ")")

    def day(column: str, *, required: bool) -> date | None:
        if not raw[column]:
            if required:
                bad(column, "is verplicht")
            return None
        try:
            parsed = parse_date(raw[column])
        except ValueError as exc:
            bad(column, str(exc))
            return None
        if parsed > today:
            bad(column, "ligt in de toekomst")
        elif parsed < EARLIEST:
            bad(column, f"ligt vóór {EARLIEST.year}")
        return parsed

    ontvangen_op = day("ontvangen_op", required=True)
    datum_brief = day("datum_brief", required=False)
    if ontvangen_op and datum_brief and datum_brief > ontvangen_op:
        bad("datum_brief", "ligt na de datum van ontvangst")
    tijdstip_contact = None
    if raw["tijdstip_contact"]:
        match = TIME_PATTERN.fullmatch(raw["tijdstip_contact"])
        hour, minute, second = (int(g or 0) for g in match.groups()) if match else (99, 0, 0)
        if hour > 23 or minute > 59 or second > 59:
            bad("tijdstip_contact", "is geen tijdstip (verwacht uu:mm, bijvoorbeeld 21:15)")
        elif not raw["datum_brief"]:
            bad("tijdstip_contact", "zegt alleen iets samen met de datum van de brief of het contact (Datum brief)")
        else:
            tijdstip_contact = time(hour, minute, second)

    def amount(column: str) -> Decimal | None:
        if not raw[column]:
            return None
        try:
            parsed = parse_amount(raw[column])
        except ValueError as exc:
            bad(column, str(exc))
            return None
        if not parsed.is_finite() or parsed < 0:
            bad(column, "moet een bedrag van 0 of meer zijn")
            return None
        if parsed >= MAX_AMOUNT:
            bad(column, "is onwaarschijnlijk hoog")
            return None
        if parsed != parsed.quantize(Decimal("0.01")):
            bad(column, "heeft meer dan twee decimalen")
            return None
        return parsed.quantize(Decimal("0.01"))

    hoofdsom = amount("hoofdsom")
    incassokosten = amount("incassokosten")

    name_key = _fit_name_key(normalise_name(raw["naam_incassant"])) if raw["naam_incassant"] else ""
    if not raw["naam_incassant"] and not any(raw[c] for c in IDENTIFIER_COLUMNS):
        bad("naam_incassant", "is verplicht als geen KvK-nummer, IBAN, website, e-mailadres of telefoonnummer is opgegeven")
    elif raw["naam_incassant"] and not name_key:
        bad("naam_incassant", "bevat geen letters of cijfers")

    kvk = vestiging = None
    if raw["kvk_nummer"]:
        kvk = normalise_kvk(raw["kvk_nummer"])
        # People write the establishment's 12-digit number in the KvK column too: kept and matched as that.
        vestiging = normalise_vestiging(raw["kvk_nummer"]) if kvk is None else None
        if kvk is None and vestiging is None:
            bad("kvk_nummer", "is geen KvK-nummer (verwacht 8 cijfers) of vestigingsnummer (12 cijfers)")
    iban = normalise_iban(raw["iban"]) if raw["iban"] else None
    if raw["email"] and ("@" not in raw["email"] or raw["email"].startswith("@") or raw["email"].endswith("@")):
        bad("email", "is geen e-mailadres")

    cleaned: dict[str, Any] = {
        "referentie": raw["referentie"],
        "bron": bron,
        "ontvangen_op": ontvangen_op,
        "datum_brief": datum_brief,
        "tijdstip_contact": tijdstip_contact,
        "naam_incassant": raw["naam_incassant"] or None,
        "kvk_raw": raw["kvk_nummer"] or None,
        "iban_raw": raw["iban"] or None,
        "website_raw": raw["website"] or None,
        "email_raw": raw["email"] or None,
        "telefoon_raw": raw["telefoon"] or None,
        "postcode": raw["postcode"] or None,
        "plaats": raw["plaats"] or None,
        "hoofdsom": hoofdsom,
        "incassokosten": incassokosten,
        "omschrijving": raw["omschrijving"] or None,
        "reference_date": datum_brief or ontvangen_op,
        "name_key": name_key,
        "kvk": kvk,
        "vestiging": vestiging,
        "iban": iban.compact if iban else None,
        "iban_valid": iban.valid if iban else None,
        "phone": _fits(normalise_phone(raw["telefoon"]), PHONE_LENGTH) if raw["telefoon"] else None,
        "domain": _fits(registrable_domain(raw["website"]), DOMAIN_LENGTH) if raw["website"] else None,
        "email_domain": _fits(email_domain(raw["email"]), DOMAIN_LENGTH) if raw["email"] else None,
        "vulnerable": is_vulnerable(bron, raw["omschrijving"]),
        "bik_maximum": bik_maximum(hoofdsom) if hoofdsom is not None else None,
        "bik_excess": bik_excess(hoofdsom, incassokosten) if hoofdsom is not None and incassokosten is not None else None,
    }
    return cleaned, errors
