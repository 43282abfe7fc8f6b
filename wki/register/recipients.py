"""The register as a source of mailing recipients: the registrations the register listed on a date, as
plain data (``RecipientSource`` in wki/core/features.py; the field names of documents/fields.py,
"registratie").

Criteria (plain values, as a mailing stores them): ``as_of`` (a date or ``JJJJ-MM-DD``, required),
``status`` (the register's status on that date, default ``ingeschreven``), ``plaats`` (exact, without
regard to case), ``registered_since`` (``datum_inschrijving`` on or after) and ``valid_until_before``
(``geldig_tot`` before). A registration without a complete postal address comes with ``adresregels`` []:
the mailing reports it, never drops it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from wki.core.clock import today_local
from wki.core.errors import ServiceError
from wki.core.features import RecipientSource
from wki.core.formatting import fmt_date
from wki.register.queries import RegistrationVersion, registration_on, registrations_as_of, status_on

SOURCE_KEY = "register"
DEFAULT_STATUS = "ingeschreven"
STATUSES = ("ingeschreven", "doorgehaald", "verlopen")


def register_recipients() -> RecipientSource:
    """The register's contribution to the RECIPIENTS slot."""
    return RecipientSource(key=SOURCE_KEY, label="Register", audience="registratie", fetch=fetch_recipients,
                           describe=describe_criteria, find=find_recipient)


def _day(value: Any, what: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ServiceError(f"{what} is geen datum (gebruik JJJJ-MM-DD): {value!r}.") from None


def _as_of(criteria: Mapping[str, Any]) -> date:
    day = _day(criteria.get("as_of"), "De peildatum")
    if day is None:
        raise ServiceError("Geef de peildatum op: de datum waarop het register de ontvangers noemde.", field="as_of")
    return day


def _status(criteria: Mapping[str, Any]) -> str:
    status = str(criteria.get("status") or DEFAULT_STATUS).strip().lower()
    if status not in STATUSES:
        raise ServiceError(f"Onbekende status '{status}'. Kies uit: {', '.join(STATUSES)}.", field="status")
    return status


def postal_lines(straat: str | None, huisnummer: str | None, postcode: str | None, plaats: str | None) -> list[str]:
    """The address under the name as PostNL asks it ("Straat 12", "1234 AB  PLAATS"); [] when incomplete."""
    parts = [(p or "").strip() for p in (straat, huisnummer, postcode, plaats)]
    if not all(parts):
        return []
    return [f"{parts[0]} {parts[1]}", f"{parts[2].upper()}  {parts[3].upper()}"]


def recipient_of(version: RegistrationVersion, day: date) -> dict[str, Any]:
    """One registration as a mailing recipient (plain data)."""
    emails = version.email_list
    ibans = version.iban_list
    return {
        "key": f"registratie:{version.registratienummer}",
        "naam": version.naam,
        "registratienummer": version.registratienummer,
        "suspect_id": None,
        "adresregels": postal_lines(version.straat, version.huisnummer, version.postcode, version.plaats),
        "postcode": version.postcode or None,
        "email": emails[0] if emails else None,
        "velden": {
            "registratienummer": version.registratienummer,
            "kvk_nummer": version.kvk_nummer or "",
            "handelsnamen": ", ".join(version.trade_names),
            "straat": version.straat or "",
            "huisnummer": version.huisnummer or "",
            "postcode": version.postcode or "",
            "plaats": version.plaats or "",
            "email": emails[0] if emails else "",
            "status": str(status_on(version, day)),
            "datum_inschrijving": fmt_date(version.datum_inschrijving),
            "geldig_tot": fmt_date(version.geldig_tot) if version.geldig_tot else "",
            "iban": ibans[0] if ibans else "",
        },
    }


def fetch_recipients(criteria: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The registrations the register listed on ``as_of`` that meet the criteria, by registratienummer."""
    day = _as_of(criteria)
    status = _status(criteria)
    plaats = str(criteria.get("plaats") or "").strip().casefold()
    since = _day(criteria.get("registered_since"), "Ingeschreven sinds")
    before = _day(criteria.get("valid_until_before"), "Geldig tot vóór")
    recipients = []
    for version in registrations_as_of(day):
        valid = version.is_valid_on(day)
        # "ingeschreven": valid on the day by its dates (not merely listed so, as one registered later is);
        # another status: the one it had then, no longer valid.
        if (status == DEFAULT_STATUS) != valid or (not valid and str(status_on(version, day)) != status):
            continue
        if plaats and (version.plaats or "").strip().casefold() != plaats:
            continue
        if since is not None and version.datum_inschrijving < since:
            continue
        if before is not None and not (version.geldig_tot is not None and version.geldig_tot < before):
            continue
        recipients.append(recipient_of(version, day))
    return recipients


def describe_criteria(criteria: Mapping[str, Any]) -> str:
    """The criteria in Dutch: "Register op 1 december 2026, status ingeschreven, plaats Utrecht"."""
    parts = [f"Register op {fmt_date(_as_of(criteria))}", f"status {_status(criteria)}"]
    if str(criteria.get("plaats") or "").strip():
        parts.append(f"plaats {str(criteria['plaats']).strip()}")
    since = _day(criteria.get("registered_since"), "Ingeschreven sinds")
    if since is not None:
        parts.append(f"ingeschreven sinds {fmt_date(since)}")
    before = _day(criteria.get("valid_until_before"), "Geldig tot vóór")
    if before is not None:
        parts.append(f"geldig tot vóór {fmt_date(before)}")
    return ", ".join(parts)


def find_recipient(registratienummer: str, as_of: Any) -> dict[str, Any] | None:
    """One registration as the register listed it on ``as_of`` (None: not in the register then)."""
    day = _day(as_of, "De peildatum") or today_local()
    answer = registration_on(registratienummer.strip(), day)
    return recipient_of(answer.version, day) if answer.version is not None else None
