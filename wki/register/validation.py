"""Validation of register rows (register.md) and exempt-list rows (vrijgestelden.md).

A row arrives as a tuple of stripped cells in the canonical column order of its dataset; a validator
returns the clean values in the order of the version table's value columns, or ``None`` after adding
every problem of the row to ``errors``. Hand-written checks, not a library per field: the import must
stay within 3x of a bare csv + executemany baseline on 100,000 rows, so each check is a regular
expression, a ``date.fromisoformat`` or integer arithmetic.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import partial

from wki.core.csvio import RowError, parse_date
from wki.core.iban import iban_is_valid

REGISTER_STATUSES = ("ingeschreven", "doorgehaald", "verlopen")
REGISTER_COLUMNS = (
    "registratienummer", "naam", "handelsnamen", "kvk_nummer", "vestigingsnummer", "straat", "huisnummer",
    "postcode", "plaats", "website", "email", "telefoon", "iban", "status", "datum_inschrijving", "datum_einde",
    "geldig_tot",
)
REGISTER_REQUIRED = frozenset({"registratienummer", "naam", "kvk_nummer", "status", "datum_inschrijving"})
REGISTER_MULTI = frozenset({"handelsnamen", "website", "email", "telefoon", "iban"})

EXEMPT_PROFESSIONS = ("gerechtsdeurwaarder", "advocaat")
EXEMPT_COLUMNS = ("naam", "kvk_nummer", "beroep", "plaats", "website")
EXEMPT_REQUIRED = frozenset({"naam", "beroep"})
EXEMPT_MULTI = frozenset({"website"})

(R_NR, R_NAAM, R_HN, R_KVK, R_VEST, R_STRAAT, R_HUIS, R_PC, R_PLAATS, R_WEB, R_EMAIL, R_TEL, R_IBAN, R_STATUS,
 R_DI, R_DE, R_GT) = range(len(REGISTER_COLUMNS))
E_NAAM, E_KVK, E_BEROEP, E_PLAATS, E_WEB = range(len(EXEMPT_COLUMNS))

_KVK = re.compile(r"\d{8}")
_POSTCODE = re.compile(r"([1-9]\d{3}) ?([A-Za-z]{2})")


def compact_iban(value: str) -> str:
    return value.replace(" ", "").upper()


def join_multi(value: str) -> str:
    """Normalise a ``|``-separated cell: values stripped, empty ones dropped."""
    if "|" not in value:
        return value
    return "|".join(part for part in (p.strip() for p in value.split("|")) if part)


# The fingerprint stored with each version: BLAKE2b (16 bytes) of the row's cells joined by \x1f.
# Both passes of an import (snapshots.py and vectorised.py) use this one definition, so their fingerprints agree.
fingerprint = partial(hashlib.blake2b, digest_size=16)

fromisoformat = date.fromisoformat


def _iso_date(line: int, value: str, column: str, errors: list[RowError]) -> str | None:
    """The date as ``YYYY-MM-DD`` text (which orders like the date), or None after adding an error."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            date.fromisoformat(value)
            return value
        except ValueError:
            pass
    try:
        return parse_date(value).isoformat()
    except ValueError as exc:
        errors.append(RowError(line, column, value, str(exc)))
        return None


def validate_register_row(line: int, raw: tuple[str, ...], errors: list[RowError], prefix: tuple = ()) -> tuple | None:
    """Clean values in the order of ``REGISTER_VALUE_COLUMNS``, or None with the row's errors added.

    Dates come out as ``YYYY-MM-DD`` text and multi-valued cells as ``|``-joined text: exactly what is
    stored, so that the import writes the tuple as it is. ``prefix`` goes in front of the values (the
    import passes the key and the row's fingerprint: one tuple per row instead of two).
    """
    start: str | None  # None once a date is found invalid
    end: str | None
    until: str | None
    (nummer, naam, handelsnamen, kvk, vestiging, straat, huisnummer, postcode, plaats, website, email, telefoon,
     iban, status, start, end, until) = raw
    before = len(errors)
    if not nummer:
        errors.append(RowError(line, "registratienummer", "", "is verplicht"))
    elif not (len(nummer) <= 40 and nummer.isascii() and nummer[0].isalnum()
              and nummer.replace("-", "").replace("/", "").replace(".", "").replace("_", "").isalnum()):
        errors.append(RowError(line, "registratienummer", nummer,
                               "mag alleen letters, cijfers en . / _ - bevatten (hoogstens 40 tekens)"))
    if not naam:
        errors.append(RowError(line, "naam", "", "is verplicht"))
    elif len(naam) > 300:
        errors.append(RowError(line, "naam", naam[:40] + "…", "is langer dan 300 tekens"))
    if not kvk:
        errors.append(RowError(line, "kvk_nummer", "", "is verplicht"))
    elif not (len(kvk) == 8 and kvk.isdigit() and kvk.isascii()):
        errors.append(RowError(line, "kvk_nummer", kvk, "moet uit precies 8 cijfers bestaan"))
    if straat and len(straat) > 200:
        errors.append(RowError(line, "straat", straat[:40] + "…", "is langer dan 200 tekens"))
    if huisnummer and len(huisnummer) > 20:
        errors.append(RowError(line, "huisnummer", huisnummer[:40] + "…", "is langer dan 20 tekens"))
    if plaats and len(plaats) > 100:
        errors.append(RowError(line, "plaats", plaats[:40] + "…", "is langer dan 100 tekens"))
    if vestiging and not (len(vestiging) == 12 and vestiging.isdigit() and vestiging.isascii()):
        errors.append(RowError(line, "vestigingsnummer", vestiging, "moet uit precies 12 cijfers bestaan"))
    if postcode and not (len(postcode) == 7 and postcode[4] == " " and postcode[:4].isdigit() and postcode[0] != "0"
                         and postcode[5:].isalpha() and postcode[5:].isupper() and postcode.isascii()):
        m = _POSTCODE.fullmatch(postcode)
        if m:
            postcode = f"{m[1]} {m[2].upper()}"
        else:
            errors.append(RowError(line, "postcode", postcode, "is geen Nederlandse postcode (1234 AB)"))
    if status not in REGISTER_STATUSES:
        lowered = status.lower()
        if not status:
            errors.append(RowError(line, "status", "", "is verplicht"))
        elif lowered not in REGISTER_STATUSES:
            errors.append(RowError(line, "status", status, "moet ingeschreven, doorgehaald of verlopen zijn"))
        status = lowered
    if start:
        try:
            if len(start) != 10 or start[4] != "-" or start[7] != "-":
                raise ValueError
            fromisoformat(start)
        except ValueError:
            start = _iso_date(line, start, "datum_inschrijving", errors)
    else:
        errors.append(RowError(line, "datum_inschrijving", "", "is verplicht"))
    if end:
        try:
            if len(end) != 10 or end[4] != "-" or end[7] != "-":
                raise ValueError
            fromisoformat(end)
        except ValueError:
            end = _iso_date(line, end, "datum_einde", errors)
        if start and end and end <= start:
            errors.append(RowError(line, "datum_einde", raw[R_DE], "ligt niet na datum_inschrijving"))
    elif status == "doorgehaald" or status == "verlopen":
        errors.append(RowError(line, "datum_einde", "", f"is verplicht bij status {status}"))
    if until:
        try:
            if len(until) != 10 or until[4] != "-" or until[7] != "-":
                raise ValueError
            fromisoformat(until)
        except ValueError:
            until = _iso_date(line, until, "geldig_tot", errors)
    if iban:
        compact = ([iban.upper()] if "|" not in iban and " " not in iban
                   else [compact_iban(v) for v in iban.split("|") if v.strip()])
        for value in compact:
            if not iban_is_valid(value):
                errors.append(RowError(line, "iban", value, "is geen geldig IBAN (het controlegetal klopt niet)"))
        iban = "|".join(compact)
    if len(errors) > before:
        return None
    return (
        *prefix, naam, join_multi(handelsnamen) if "|" in handelsnamen else handelsnamen, kvk, vestiging or None,
        straat or None, huisnummer or None, postcode or None, plaats or None,
        join_multi(website) if "|" in website else website, join_multi(email) if "|" in email else email,
        join_multi(telefoon) if "|" in telefoon else telefoon, iban, status, start, end or None, until or None,
    )


REGISTER_VALUE_COLUMNS = (
    "naam", "handelsnamen", "kvk_nummer", "vestigingsnummer", "straat", "huisnummer", "postcode", "plaats",
    "websites", "emails", "telefoons", "ibans", "status", "datum_inschrijving", "datum_einde", "geldig_tot",
)


def validate_exempt_row(line: int, raw: tuple[str, ...], errors: list[RowError], prefix: tuple = ()) -> tuple | None:
    """Clean values in the order of ``EXEMPT_VALUE_COLUMNS``, or None with the row's errors added."""
    before = len(errors)
    naam, kvk, beroep = raw[E_NAAM], raw[E_KVK], raw[E_BEROEP].lower()
    if not naam:
        errors.append(RowError(line, "naam", "", "is verplicht"))
    elif len(naam) > 300:
        errors.append(RowError(line, "naam", naam[:40] + "…", "is langer dan 300 tekens"))
    if len(raw[E_PLAATS]) > 100:
        errors.append(RowError(line, "plaats", raw[E_PLAATS][:40] + "…", "is langer dan 100 tekens"))
    if kvk and not _KVK.fullmatch(kvk):
        errors.append(RowError(line, "kvk_nummer", kvk, "moet uit precies 8 cijfers bestaan"))
    if not beroep:
        errors.append(RowError(line, "beroep", "", "is verplicht"))
    elif beroep not in EXEMPT_PROFESSIONS:
        errors.append(RowError(line, "beroep", raw[E_BEROEP], "moet gerechtsdeurwaarder of advocaat zijn"))
    if len(errors) > before:
        return None
    return *prefix, naam, kvk or None, beroep, raw[E_PLAATS] or None, join_multi(raw[E_WEB])


EXEMPT_VALUE_COLUMNS = ("naam", "kvk_nummer", "beroep", "plaats", "websites")


def exempt_key(raw: tuple[str, ...]) -> str:
    """An office is its profession, KvK number and name (case and spacing ignored); without a KvK number
    also its place: one firm's offices in two places, under one name and without a KvK number, are two
    entries of the list. (With a KvK number an office that moves stays the same office.)"""
    key = f"{raw[E_BEROEP].lower()}|{raw[E_KVK]}|{' '.join(raw[E_NAAM].lower().split())}"
    if not raw[E_KVK]:
        key += f"|{' '.join(raw[E_PLAATS].lower().split())}"
    if len(key) > EXEMPT_KEY_LENGTH:
        # Derived to fit its column (party_key, 400): the head as it is, the rest as a digest of the whole.
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        key = f"{key[:EXEMPT_KEY_LENGTH - len(digest) - 1]}#{digest}"
    return key


EXEMPT_KEY_LENGTH = 400
