"""Requests of a data subject (art. 15 and 17 AVG): find everything about one person by name, address or
e-mail address, export it (a ZIP with a JSON of every record found and the files), or erase it where no
retention duty keeps it.

The search is a case-insensitive substring search (ILIKE) over the free texts and fields of signals and
cases, attachments' file names, case documents' sections and the accounts; on 100,000 signals it is a
sequential scan of a few hundred milliseconds, bounded by ``LIMIT`` hits per kind (the page says when there
were more; a narrower term finds the rest).

Every export and erasure is recorded (``PrivacyRequest``: kind, the request's reference, who, counts, the ids
kept and why) and audited with counts only. The search terms are never stored: only an HMAC of them (keyed
with SECRET_KEY), so that two requests about the same terms can be recognised.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app

from wki.auth import services as accounts
from wki.core import audit
from wki.core.actors import Actor
from wki.core.clock import utcnow
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.service import service
from wki.enforcement import services as enforcement
from wki.privacy.audit_actions import PrivacyAction
from wki.privacy.models import PrivacyRequest, RequestKind
from wki.privacy.retention import DUTIES
from wki.signals import services as signals

LIMIT = 200
MIN_TERM = 3
# What an erasure kept, by the key it records (``PrivacyRequest.kept``), with the duty in Dutch.
KEPT_LABELS = {
    "signalen_open": "Signalen die nog open zijn (nummers)",
    "signalen_bewijs_open_zaak": "Signalen die bewijs zijn in een open handhavingszaak (nummers)",
    "zaken_open": "Handhavingszaken die nog open zijn (zaaknummers)",
    "uitgegeven_documenten": "Uitgegeven besluiten en brieven: archiefstukken (kenmerken)",
    "accounts": "Gebruikersaccounts: deactiveren onder Gebruikers (nummers)",
}


@dataclass(frozen=True)
class Person:
    """What the request names: at least one of a name, an address (street, postcode) and an e-mail address."""

    naam: str = ""
    adres: str = ""
    email: str = ""

    @property
    def terms(self) -> list[str]:
        terms = [" ".join(t.split()) for t in (self.naam, self.adres, self.email)]
        return [t for t in terms if t]

    def check(self) -> None:
        if not self.terms:
            raise ServiceError("Vul een naam, een adres of postcode, of een e-mailadres in.")
        short = [t for t in self.terms if len(t) < MIN_TERM]
        if short:
            raise ServiceError(f"Een zoekterm moet minstens {MIN_TERM} tekens hebben; ‘{short[0]}’ is te kort "
                               "en zou te veel vinden.")

    def terms_hash(self) -> str:
        key = str(current_app.config["SECRET_KEY"]).encode()
        text = "\n".join(t.casefold() for t in (self.naam, self.adres, self.email))
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


@dataclass
class Findings:
    signals: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    more_signals: bool = False
    more_cases: bool = False

    @property
    def total(self) -> int:
        return len(self.signals) + len(self.cases) + len(self.users)


def search(person: Person) -> Findings:
    """Every record mentioning the person, each with where the terms occur and whether a duty keeps it."""
    person.check()
    terms = person.terms
    found_signals, more_signals = signals.find_signals_mentioning(terms, limit=LIMIT)
    found_cases, more_cases = enforcement.find_cases_mentioning(terms, limit=LIMIT)
    evidence = enforcement.signals_kept_as_evidence()
    for hit in found_signals:
        hit["kept"] = (DUTIES["open"] if hit["open"] else
                       DUTIES["bewijs_open_zaak"] if hit["id"] in evidence else None)
    for hit in found_cases:
        hit["kept"] = DUTIES["open"] if hit["open"] else None
        hit["kept_documents"] = DUTIES["uitgegeven_document"] if hit["issued"] else None
    users = accounts.users_mentioning(terms)
    for hit in users:
        hit["kept"] = DUTIES["account"]
    return Findings(found_signals, found_cases, users, more_signals, more_cases)


def _check_reference(reference: str) -> str:
    reference = " ".join((reference or "").split())
    if not reference:
        raise ServiceError("Vul het kenmerk van het verzoek in (van de brief of het e-mailbericht).",
                           field="kenmerk")
    if len(reference) > 100:
        raise ServiceError("Het kenmerk mag hoogstens 100 tekens hebben.", field="kenmerk")
    return reference


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


@service
def export(person: Person, *, reference: str, actor: Actor) -> tuple[bytes, PrivacyRequest]:
    """A ZIP for a request for access: ``gegevens.json`` (every record found, as stored) and the files
    (signals' letters, cases' files). Recorded and audited with counts, not with the data."""
    reference = _check_reference(reference)
    found = search(person)
    signal_ids = [h["id"] for h in found.signals]
    case_ids = [h["id"] for h in found.cases]
    files = signals.signal_attachment_files(signal_ids) + enforcement.case_attachment_files(case_ids)
    data = {
        "kenmerk": reference, "gemaakt_op": utcnow(),
        "signalen": signals.signals_personal_data(signal_ids),
        "handhavingszaken": enforcement.cases_personal_data(case_ids),
        "gebruikersaccounts": found.users,
        "bestanden": [name for name, _ in files],
        "onvolledig": found.more_signals or found.more_cases,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("gegevens.json", json.dumps(data, default=_json_default, ensure_ascii=False, indent=2))
        for name, content in files:
            archive.writestr(f"bestanden/{name}", content)
    counts = {"signalen": len(signal_ids), "zaken": len(case_ids), "accounts": len(found.users),
              "bestanden": len(files)}
    record = _record(RequestKind.ACCESS, person, reference=reference, reason=None, counts=counts, kept={},
                     actor=actor)
    audit.record(PrivacyAction.EXPORTED, object_type="privacy_request", object_id=record.id,
                 after={"kenmerk": reference, **counts}, actor=actor)
    return buffer.getvalue(), record


@service
def erase(person: Person, *, reference: str, reason: str, actor: Actor) -> tuple[PrivacyRequest, list[str]]:
    """Erase the person's data from every record found that no duty keeps (the same pseudonymisation as the
    retention job: the record's free texts and files); list those kept with their duty. Returns the request
    and the attachment files to delete from the stores after the commit (``delete_files``)."""
    reference = _check_reference(reference)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError("Geef de reden van de wissing (bijvoorbeeld de grond van het verzoek).", field="reden")
    found = search(person)
    kept: dict[str, list[Any]] = {}
    erasable_signals, erasable_cases = [], []
    for hit in found.signals:
        if hit["pseudonymised"]:
            continue
        if hit["kept"]:
            kept.setdefault("signalen_open" if hit["open"] else "signalen_bewijs_open_zaak", []).append(hit["id"])
        else:
            erasable_signals.append(hit["id"])
    for hit in found.cases:
        if hit["issued"]:
            kept.setdefault("uitgegeven_documenten", []).extend(hit["issued"])
        if hit["pseudonymised"]:
            continue
        if hit["kept"]:
            kept.setdefault("zaken_open", []).append(hit["nummer"])
        else:
            erasable_cases.append(hit["id"])
    if found.users:
        kept["accounts"] = [u["id"] for u in found.users]
    why = "verzoek tot wissing"
    done_signals = signals.pseudonymise_signals(erasable_signals, actor=actor, why=why)
    done_cases = enforcement.pseudonymise_cases(erasable_cases, actor=actor, why=why)
    counts = {"signalen": done_signals["signalen"], "signaalbijlagen": done_signals["bijlagen"],
              "zaken": done_cases["zaken"], "zaakbijlagen": done_cases["bijlagen"],
              "bewaard": sum(len(v) for v in kept.values())}
    record = _record(RequestKind.ERASURE, person, reference=reference, reason=reason, counts=counts, kept=kept,
                     actor=actor)
    audit.record(PrivacyAction.ERASED, object_type="privacy_request", object_id=record.id,
                 after={"kenmerk": reference, **counts}, actor=actor)
    files = [f"signaal:{sha}" for sha in done_signals["files"]] + [f"zaak:{sha}" for sha in done_cases["files"]]
    return record, files


def delete_files(files: list[str]) -> int:
    """Delete the files an erasure freed (``"signaal:<sha>"``, ``"zaak:<sha>"``); after its commit."""
    signal_files = [f.split(":", 1)[1] for f in files if f.startswith("signaal:")]
    case_files = [f.split(":", 1)[1] for f in files if f.startswith("zaak:")]
    return (signals.delete_unreferenced_attachment_files(signal_files)
            + enforcement.delete_unreferenced_case_files(case_files))


def _record(kind: RequestKind, person: Person, *, reference: str, reason: str | None, counts: dict[str, Any],
            kept: dict[str, Any], actor: Actor) -> PrivacyRequest:
    record = PrivacyRequest(kind=kind, reference=reference, terms_hash=person.terms_hash(), reason=reason,
                            counts=counts, kept=kept, handled_by=actor.label, handled_by_id=actor.user_id,
                            created_at=utcnow())
    db.session.add(record)
    db.session.flush()
    return record


def recent_requests(limit: int = 50) -> list[PrivacyRequest]:
    import sqlalchemy as sa

    return list(db.session.scalars(sa.select(PrivacyRequest).order_by(PrivacyRequest.id.desc()).limit(limit)))


def get_request(request_id: int) -> PrivacyRequest | None:
    return db.session.get(PrivacyRequest, request_id)
