"""Which data a letter's text may use: the fields per audience (who the letter is written to), the fields
every letter has, and a letter type's own extra fields (filled in once per mailing or document).

Recipient sources (the register, signals' suspects, an uploaded CSV) deliver exactly these names as plain
strings; dates are formatted in Dutch before they reach a text ("31 december 2026").
"""

from __future__ import annotations

from collections.abc import Mapping

# Every letter, whoever it is written to.
COMMON_FIELDS: dict[str, str] = {
    "naam": "Naam van de ontvanger",
    "datum": "Datum van de brief",
}

AUDIENCE_FIELDS: dict[str, dict[str, str]] = {
    "registratie": {
        "registratienummer": "Registratienummer",
        "kvk_nummer": "KvK-nummer",
        "handelsnamen": "Handelsnamen",
        "straat": "Straat",
        "huisnummer": "Huisnummer",
        "postcode": "Postcode",
        "plaats": "Plaats",
        "email": "E-mailadres",
        "status": "Status van de registratie",
        "datum_inschrijving": "Datum van inschrijving",
        "geldig_tot": "Registratie geldig tot",
        "iban": "IBAN (het eerste dat het register noemt)",
    },
    "overtreder": {
        "kvk_nummer": "KvK-nummer",
        "plaats": "Plaats",
        "website": "Website",
        "email": "E-mailadres",
        "aantal_signalen": "Aantal signalen",
        "eerste_signaal": "Datum van het eerste signaal",
        "laatste_signaal": "Datum van het laatste signaal",
    },
    "adres": {
        "registratienummer": "Registratienummer",
        "kvk_nummer": "KvK-nummer",
        "straat": "Straat",
        "huisnummer": "Huisnummer",
        "postcode": "Postcode",
        "plaats": "Plaats",
        "email": "E-mailadres",
    },
}


def fields_for(audience: str, extra_fields: Mapping[str, str] | None = None) -> dict[str, str]:
    """name -> Dutch label of every field a text for ``audience`` may use."""
    return {**COMMON_FIELDS, **AUDIENCE_FIELDS.get(audience, {}), **dict(extra_fields or {})}
