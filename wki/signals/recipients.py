"""Suspects (possible unregistered collectors) as a source of mailing recipients, as plain data
(``RecipientSource`` in wki/core/features.py; the field names of documents/fields.py, "overtreder").

Criteria: ``min_signals`` (at least this many signals; default 1). A suspect has whatever its signals
tell: a place and postcode, an e-mail address, rarely a street. Signals carry no street, so a suspect has
no postal address (``adresregels`` []), and without an e-mail address it is reported as unreachable by
the mailing, never silently left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.features import RecipientSource
from wki.core.formatting import fmt_date
from wki.signals.models import Signal, Suspect, SuspectStatus

SOURCE_KEY = "overtreders"


def suspect_recipients() -> RecipientSource:
    """The signals' contribution to the RECIPIENTS slot."""
    return RecipientSource(key=SOURCE_KEY, label="Mogelijke overtreders", audience="overtreder",
                           fetch=fetch_recipients, describe=describe_criteria, find=find_recipient)


def _min_signals(criteria: Mapping[str, Any]) -> int:
    raw = criteria.get("min_signals")
    if raw in (None, ""):
        return 1
    try:
        value = int(str(raw))
    except ValueError:
        raise ServiceError(f"Het minimum aantal signalen is geen getal: {raw!r}.", field="min_signals") from None
    return max(value, 1)


def _looks_like_email(value: str | None) -> bool:
    value = (value or "").strip()
    local, _, domain = value.partition("@")
    return bool(local) and "." in domain and " " not in value


def _contact(signals: list[Signal]) -> dict[str, str | None]:
    """The newest e-mail address, postcode and place the signals (newest first) give."""
    found: dict[str, str | None] = {"email": None, "postcode": None, "plaats": None}
    for signal in signals:
        if found["email"] is None and _looks_like_email(signal.email_raw):
            found["email"] = (signal.email_raw or "").strip().lower()
        if found["postcode"] is None and signal.postcode:
            found["postcode"] = signal.postcode
        if found["plaats"] is None and signal.plaats:
            found["plaats"] = signal.plaats
    return found


def recipient_of(suspect: Suspect, signals: list[Signal]) -> dict[str, Any]:
    identifiers = suspect.identifiers or {}
    contact = _contact(signals)
    kvk = list(identifiers.get("kvk") or [])
    sites = list(identifiers.get("domein") or [])
    return {
        "key": f"overtreder:{suspect.id}",
        "naam": suspect.display_name or (suspect.names[0] if suspect.names else f"Mogelijke overtreder {suspect.id}"),
        "registratienummer": None,
        "suspect_id": suspect.id,
        "adresregels": [],  # signals give no street: no postal address
        "postcode": contact["postcode"],
        "email": contact["email"],
        "velden": {
            "kvk_nummer": kvk[0] if kvk else "",
            "plaats": contact["plaats"] or "",
            "website": sites[0] if sites else "",
            "email": contact["email"] or "",
            "aantal_signalen": str(suspect.signal_count),
            "eerste_signaal": fmt_date(suspect.first_seen) if suspect.first_seen else "",
            "laatste_signaal": fmt_date(suspect.last_seen) if suspect.last_seen else "",
        },
    }


def _signals_of(suspect_ids: list[int]) -> dict[int, list[Signal]]:
    by_suspect: dict[int, list[Signal]] = {i: [] for i in suspect_ids}
    if not suspect_ids:
        return by_suspect
    stmt = (sa.select(Signal).where(Signal.suspect_id.in_(suspect_ids))
            .order_by(Signal.reference_date.desc(), Signal.id.desc()))
    for signal in db.session.scalars(stmt):
        by_suspect[signal.suspect_id or 0].append(signal)
    return by_suspect


def fetch_recipients(criteria: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every active suspect with at least ``min_signals`` signals, by id."""
    minimum = _min_signals(criteria)
    suspects = list(db.session.scalars(sa.select(Suspect).where(Suspect.status == SuspectStatus.ACTIVE,
                                                                Suspect.signal_count >= minimum)
                                       .order_by(Suspect.id)))
    signals = _signals_of([s.id for s in suspects])
    return [recipient_of(s, signals[s.id]) for s in suspects]


def describe_criteria(criteria: Mapping[str, Any]) -> str:
    minimum = _min_signals(criteria)
    return "Mogelijke overtreders (actief)" + (f", met ten minste {minimum} signalen" if minimum > 1 else "")


def find_recipient(suspect_id: str, as_of: Any = None) -> dict[str, Any] | None:
    """One suspect by its id (its current state; ``as_of`` is not used: suspects have no history)."""
    try:
        suspect = db.session.get(Suspect, int(suspect_id))
    except (TypeError, ValueError):
        return None
    if suspect is None:
        return None
    return recipient_of(suspect, _signals_of([suspect.id])[suspect.id])
