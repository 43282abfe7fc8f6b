"""What other features read of signals: plain values, never the ORM rows.

Supervision's automatic checks and risk-based priorities ask here which signals are about a registration
(a person's decision, else the automatic verdict: ``about_registration``), the figures per registration
for all registrations at once, the signals per month, and the signals' name normalisation (``name_key``),
so that a trade name seen in a signal is compared with the register the way matching compares it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from wki.core.extensions import db
from wki.signals import bik
from wki.signals.forms import add_months
from wki.signals.models import Signal, Source, Suspect, SuspectStatus
from wki.signals.normalise import normalise_name
from wki.signals.page_queries import year_month

__all__ = [
    "RegistrationSignalFigures",
    "SignalFacts",
    "SuspectFacts",
    "about_registration",
    "get_signal_facts",
    "active_suspect_ids",
    "get_suspect_facts",
    "signals_of_suspect",
    "name_key",
    "registration_of",
    "registration_signal_figures",
    "signal_counts_per_month",
    "signals_about_registration",
]

S = Signal


def about_registration(registratienummer: str) -> Any:
    """Signals whose verdict names this registration: a person's, or else the automatic one (SQL).

    Written out rather than as ``coalesce`` so that the two indexes on the registration columns serve it.
    """
    return sa.or_(S.decided_registratienummer == registratienummer,
                  sa.and_(S.decided_verdict.is_(None), S.auto_registratienummer == registratienummer))


def registration_of() -> Any:
    """The registration a signal is about, in SQL: a person's decision, else the automatic verdict's (the
    grouping key of ``registration_signal_figures``; the same rule as ``about_registration``)."""
    return sa.case((S.decided_verdict.is_not(None), S.decided_registratienummer), else_=S.auto_registratienummer)


def name_key(text: str | None) -> str:
    """A name as signal matching compares names: folded, without legal form or punctuation
    ("Zuiderlicht Incasso B.V." and "zuiderlicht incasso" give "zuiderlicht incasso"); "" for no name."""
    return normalise_name(text)


@dataclass(frozen=True)
class SignalFacts:
    """One signal as other features see it."""

    id: int
    referentie: str
    bron: str  # the Source value, e.g. "consument"
    bron_label: str  # "Consument"
    ontvangen_op: date
    reference_date: date  # the peildatum: the letter's date when known, else the day it was received
    datum_brief: date | None
    tijdstip_contact: time | None
    naam_incassant: str | None
    hoofdsom: Decimal | None
    incassokosten: Decimal | None
    bik_maximum: Decimal | None  # the BIK maximum for the principal, without VAT
    bik_excess: Decimal | None  # above the maximum plus VAT (``bik_ceiling``); 0.00 within it, None: not judged
    vulnerable: bool

    @property
    def bik_exceeded(self) -> bool:
        return self.bik_excess is not None and self.bik_excess > 0

    @property
    def bik_ceiling(self) -> Decimal | None:
        """The maximum plus 21% VAT: what ``bik_excess`` was measured against (None without a principal)."""
        return bik.bik_ceiling(self.hoofdsom) if self.hoofdsom is not None else None


_FACT_COLUMNS = (S.id, S.referentie, S.bron, S.ontvangen_op, S.reference_date, S.datum_brief, S.tijdstip_contact,
                 S.naam_incassant, S.hoofdsom, S.incassokosten, S.bik_maximum, S.bik_excess, S.vulnerable)


def _facts(row: Any) -> SignalFacts:
    bron = str(row.bron)
    return SignalFacts(
        id=row.id, referentie=row.referentie, bron=bron, bron_label=Source.labels().get(bron, bron),
        ontvangen_op=row.ontvangen_op, reference_date=row.reference_date, datum_brief=row.datum_brief,
        tijdstip_contact=row.tijdstip_contact, naam_incassant=row.naam_incassant, hoofdsom=row.hoofdsom,
        incassokosten=row.incassokosten, bik_maximum=row.bik_maximum, bik_excess=row.bik_excess,
        vulnerable=bool(row.vulnerable))


def signals_about_registration(registratienummer: str, *, until: date | None = None,
                               limit: int = 2000) -> list[SignalFacts]:
    """The signals about this registration, oldest first (by peildatum, then id), with a peildatum on or
    before ``until`` when given; at most ``limit`` (the newest ``limit`` when there are more)."""
    stmt = sa.select(*_FACT_COLUMNS).where(about_registration(registratienummer))
    if until is not None:
        stmt = stmt.where(S.reference_date <= until)
    rows = db.session.execute(stmt.order_by(S.reference_date.desc(), S.id.desc()).limit(limit)).all()
    return [_facts(row) for row in reversed(rows)]


def get_signal_facts(signal_id: int) -> SignalFacts | None:
    row = db.session.execute(sa.select(*_FACT_COLUMNS).where(S.id == signal_id)).first()
    return _facts(row) if row is not None else None


@dataclass(frozen=True)
class SuspectFacts:
    """A suspected unregistered collector (a group of signals) as other features see it: enforcement opens
    a case about it and links its signals."""

    id: int
    naam: str
    active: bool
    successor_id: int | None  # where its signals went when it was merged or regrouped
    kvk: tuple[str, ...]
    namen: tuple[str, ...]
    signal_count: int
    first_seen: date | None
    last_seen: date | None


def get_suspect_facts(suspect_id: int) -> SuspectFacts | None:
    suspect = db.session.get(Suspect, suspect_id)
    if suspect is None:
        return None
    identifiers = suspect.identifiers or {}
    return SuspectFacts(
        id=suspect.id, naam=suspect.display_name, active=suspect.status == SuspectStatus.ACTIVE,
        successor_id=suspect.successor_id, kvk=tuple(str(k) for k in identifiers.get("kvk") or ()),
        namen=tuple(str(n) for n in identifiers.get("namen") or ()), signal_count=suspect.signal_count,
        first_seen=suspect.first_seen, last_seen=suspect.last_seen)


def active_suspect_ids(*, limit: int = 20) -> list[int]:
    """The active suspects with the highest priority first."""
    return list(db.session.scalars(sa.select(Suspect.id).where(Suspect.status == SuspectStatus.ACTIVE)
                                   .order_by(Suspect.priority.desc(), Suspect.id).limit(limit)))


def signals_of_suspect(suspect_id: int, *, limit: int = 500) -> list[SignalFacts]:
    """The suspect's signals, oldest first; at most ``limit`` (the newest when there are more)."""
    rows = db.session.execute(sa.select(*_FACT_COLUMNS).where(S.suspect_id == suspect_id)
                              .order_by(S.reference_date.desc(), S.id.desc()).limit(limit)).all()
    return [_facts(row) for row in reversed(rows)]


@dataclass(frozen=True)
class RegistrationSignalFigures:
    """The signals about one registration with a peildatum on or before ``as_of``."""

    count: int
    recent: int  # with a peildatum on or after ``since``
    last_date: date | None
    sources: int  # distinct sources (bron)
    bik_excesses: int  # with costs above the BIK maximum
    vulnerable: int  # about a vulnerable debtor


def registration_signal_figures(*, as_of: date, since: date) -> dict[str, RegistrationSignalFigures]:
    """``RegistrationSignalFigures`` for every registration that has signals on or before ``as_of``, by
    registratienummer: one grouped query, however many registrations there are."""
    registration = registration_of().label("registratienummer")
    one = sa.literal(1)
    stmt = (sa.select(registration, sa.func.count(),
                      sa.func.sum(sa.case((S.reference_date >= since, one), else_=0)),
                      sa.func.max(S.reference_date),
                      sa.func.count(sa.distinct(S.bron)),
                      sa.func.sum(sa.case((S.bik_excess > 0, one), else_=0)),
                      sa.func.sum(sa.case((S.vulnerable.is_(True), one), else_=0)))
            .where(S.reference_date <= as_of, registration_of().is_not(None))
            .group_by(registration_of()))
    return {
        nummer: RegistrationSignalFigures(count=int(count), recent=int(recent or 0), last_date=last,
                                          sources=int(sources), bik_excesses=int(bik or 0),
                                          vulnerable=int(vulnerable or 0))
        for nummer, count, recent, last, sources, bik, vulnerable in db.session.execute(stmt)
    }


def signal_counts_per_month(*, registratienummer: str | None, first: date, last: date) -> list[tuple[date, int]]:
    """(first day of the month, signals with their peildatum in it) for every month from ``first``'s to
    ``last``'s, both included, zero where there were none; about one registration, or all signals (None)."""
    start, end = first.replace(day=1), last.replace(day=1)
    if end < start:
        return []
    month = year_month(S.reference_date)
    stmt = (sa.select(month, sa.func.count())
            .where(S.reference_date >= start, S.reference_date < add_months(end, 1)).group_by(month))
    if registratienummer is not None:
        stmt = stmt.where(about_registration(registratienummer))
    counts = {key: int(n) for key, n in db.session.execute(stmt)}
    out: list[tuple[date, int]] = []
    current = start
    while current <= end:
        out.append((current, counts.get(f"{current:%Y-%m}", 0)))
        current = add_months(current, 1)
    return out


def signals_fingerprint() -> tuple[Any, ...]:
    """A cheap summary that changes whenever a signal is added, matched again or decided on (last id, last
    matching, last decision: three index lookups, migration 0020): for callers that cache what they compute
    from signals. It does not see a signal removed; such callers bound their cache's age as well. (It counted
    the signals too, which read all 100,000 of them on every planning view.)"""
    return tuple(db.session.execute(sa.select(sa.func.max(S.id), sa.func.max(S.matched_at),
                                              sa.func.max(S.decided_at))).one())
