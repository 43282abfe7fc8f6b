"""Automatic checks: what the register and the signals say about a requirement, as a proposed judgement with
its reasons in Dutch. The inspector decides; a proposal is stored beside the checklist item (``as_dict``)
and never becomes a judgement by itself.

Each check returns proposals by requirement code; a requirement without anything to say gets none (an
absent proposal is not a "voldoet"). Which requirements a check may speak to follows from the catalogue's
``automatische_controle`` and the inspection's scope: the caller filters, these functions do not know the
catalogue.

- Register (``register_checks``): valid on the inspection date, renewal due within ``RENEWAL_WARNING_DAYS``,
  and names that signals use for this agency but the register does not list (neither its name nor a trade
  name; compared the way signal matching compares names, ``signals.queries.name_key``).
- Signals (``signal_checks``): collection costs above the BIK maximum plus VAT; contact on a Sunday, a
  public holiday or between 20:00 and 07:00 (Bki art. 4.2, ``core.holidays.forbidden_contact``) where a
  signal gives the letter's date and, when known, the time of contact.
- ``signal_summary``: the volume and recency of the signals for the inspection page (no judgement).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from wki.core.formatting import fmt_money
from wki.core.holidays import forbidden_contact
from wki.register.queries import RegistrationStatus, RegistrationVersion, mirror_start, registration_on
from wki.signals.queries import SignalFacts, name_key, signals_about_registration
from wki.supervision.models import Judgement

__all__ = [
    "INCASSOKOSTEN_CORRECT",
    "RECENT_DAYS",
    "REGISTRATIE_ACTUEEL",
    "RENEWAL_WARNING_DAYS",
    "SOURCE_REGISTER",
    "SOURCE_SIGNALS",
    "SOURCE_STAFF",
    "TIJDSTIP_BENADERING",
    "WIJZIGINGEN_MELDEN",
    "Proposal",
    "automatic_proposals",
    "register_checks",
    "signal_checks",
    "signal_summary",
]

# Requirement codes of the catalogue (migrations/data/0014_kwaliteitseisen.json) these checks speak to.
REGISTRATIE_ACTUEEL = "REGISTRATIE_ACTUEEL"
WIJZIGINGEN_MELDEN = "WIJZIGINGEN_MELDEN"
INCASSOKOSTEN_CORRECT = "INCASSOKOSTEN_CORRECT"
TIJDSTIP_BENADERING = "TIJDSTIP_BENADERING"

# Where a proposal comes from: the catalogue's ``automatische_controle`` values.
SOURCE_REGISTER = "register"
SOURCE_SIGNALS = "signalen"
SOURCE_STAFF = "personeel"

# A validity ending this many days after the inspection date (or already ended) is pointed out.
RENEWAL_WARNING_DAYS = 60
# The summary's "recent" signals: a peildatum at most this many days before the inspection date.
RECENT_DAYS = 90


@dataclass(frozen=True)
class Proposal:
    """A judgement an automatic check proposes (a ``Judgement`` value), why, and which check said it."""

    judgement: str
    reasons: tuple[str, ...]
    source: str  # "register" | "signalen" | "personeel"

    def as_dict(self) -> dict[str, Any]:
        """The JSON stored on the checklist item."""
        return {"judgement": self.judgement, "reasons": list(self.reasons), "source": self.source}


def _d(day: date) -> str:
    """dd-mm-jjjj, as the reasons write dates."""
    return day.strftime("%d-%m-%Y")


def _euro(amount: Decimal | None) -> str:
    """"€ 1.234,56" with a plain space (the reasons are also read as text, where a non-breaking space
    surprises a search)."""
    return fmt_money(amount).replace("\u00a0", " ")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# ---------------------------------------------------------------- register


def register_checks(registratienummer: str, day: date, *, signals: list[SignalFacts]) -> dict[str, Proposal]:
    """REGISTRATIE_ACTUEEL (valid on ``day``, renewal due) and WIJZIGINGEN_MELDEN (names in ``signals``
    that the register lacks) for one registration."""
    out: dict[str, Proposal] = {}
    if mirror_start() is None:
        out[REGISTRATIE_ACTUEEL] = Proposal(Judgement.NOT_JUDGED.value, (
            "De spiegel van het register bevat nog geen stand: de inschrijving is niet automatisch te controleren.",),
            SOURCE_REGISTER)
        return out
    as_of = registration_on(registratienummer, day)
    out[REGISTRATIE_ACTUEEL] = _registration_current(registratienummer, day, as_of.version, as_of.derived_from,
                                                      as_of.seen_later)
    if as_of.version is not None:
        names = _trade_names(as_of.version, signals)
        if names is not None:
            out[WIJZIGINGEN_MELDEN] = names
    return out


def _registration_current(nummer: str, day: date, version: RegistrationVersion | None, derived_from: date | None,
                          seen_later: bool) -> Proposal:
    reasons: list[str] = []
    if version is None:
        reasons.append(f"Registratie {nummer} stond op {_d(day)} niet in het register.")
        if derived_from is not None:
            reasons.append(f"Afgeleid uit de eerste stand van de spiegel ({_d(derived_from)}): de inspectiedatum "
                           "ligt daarvoor, en deze registratie staat niet in die stand.")
        return Proposal(Judgement.FAILS.value, tuple(reasons), SOURCE_REGISTER)
    valid = version.is_valid_on(day)
    if valid:
        reasons.append(f"Registratie {nummer} ({version.naam}) stond op {_d(day)} geldig ingeschreven "
                       f"(ingeschreven sinds {_d(version.datum_inschrijving)}).")
    elif version.datum_inschrijving > day:
        reasons.append(f"Registratie {nummer} ({version.naam}) stond op {_d(day)} niet geldig ingeschreven: "
                       f"de inschrijving geldt pas vanaf {_d(version.datum_inschrijving)}.")
    else:
        assert version.datum_einde is not None  # not valid, yet registered before the day: it ended
        reasons.append(f"Registratie {nummer} ({version.naam}) stond op {_d(day)} niet geldig ingeschreven: "
                       f"de inschrijving eindigde op {_d(version.datum_einde)} (status "
                       f"{_status_label(version.status)}).")
    if derived_from is not None:
        reasons.append(f"Afgeleid uit de data in de eerste stand van de spiegel ({_d(derived_from)}): de "
                       "inspectiedatum ligt daarvoor.")
    if seen_later:
        reasons.append("De spiegel zag deze inschrijving pas in een latere stand; haar eigen data zeggen dat ze "
                       f"op {_d(day)} gold.")
    if valid:
        reasons.append(_validity_end(version.geldig_tot, day))
    return Proposal((Judgement.COMPLIES if valid else Judgement.FAILS).value, tuple(reasons), SOURCE_REGISTER)


def _status_label(status: Any) -> str:
    return RegistrationStatus.labels().get(str(status), str(status)).lower()


def _validity_end(geldig_tot: date | None, day: date) -> str:
    """The validity end, with a warning when it has passed or comes within ``RENEWAL_WARNING_DAYS``."""
    if geldig_tot is None:
        return "Het register noemt geen einde van de geldigheid (geldig tot)."
    if geldig_tot < day:
        return (f"De geldigheid liep tot {_d(geldig_tot)} en het register toont geen verlenging: verlenging was "
                f"nodig vóór {_d(geldig_tot)}.")
    days = (geldig_tot - day).days
    if days <= RENEWAL_WARNING_DAYS:
        when = "op de inspectiedatum" if days == 0 else f"{_plural(days, 'dag', 'dagen')} na de inspectiedatum"
        return f"Geldig tot {_d(geldig_tot)}, {when}: verlenging nodig vóór {_d(geldig_tot)}."
    return f"Geldig tot {_d(geldig_tot)}."


def _trade_names(version: RegistrationVersion, signals: list[SignalFacts]) -> Proposal | None:
    """Names in signals that are neither the register's name nor one of its trade names; None when the
    signals name nobody."""
    known = {name_key(version.naam)} | {name_key(t) for t in version.trade_names}
    seen: dict[str, list[SignalFacts]] = {}
    for signal in signals:
        key = name_key(signal.naam_incassant)
        if key:
            seen.setdefault(key, []).append(signal)
    if not seen:
        return None
    unknown = {key: found for key, found in seen.items() if key not in known}
    if not unknown:
        reason = ("De naam uit signalen staat in het register." if len(seen) == 1
                  else f"De {len(seen)} namen uit signalen staan alle in het register.")
        return Proposal(Judgement.COMPLIES.value, (reason,), SOURCE_REGISTER)
    listed = [version.naam, *version.trade_names]
    reasons = [f"In signalen over deze registratie {'komt' if len(unknown) == 1 else 'komen'} "
               f"{_plural(len(unknown), 'naam', 'namen')} voor die het register niet noemt als naam of handelsnaam:"]
    for found in sorted(unknown.values(), key=lambda f: (-len(f), _written(f).casefold())):
        last = max(s.reference_date for s in found)
        reasons.append(f"\u201c{_written(found)}\u201d: {_plural(len(found), 'signaal', 'signalen')}, laatst op "
                       f"{_d(last)}.")
    reasons.append("Het register noemt: " + "; ".join(listed) + ".")
    return Proposal(Judgement.PARTLY.value, tuple(reasons), SOURCE_REGISTER)


def _written(found: list[SignalFacts]) -> str:
    """The way of writing a name the signals use most (the earliest of equals)."""
    counts = Counter(s.naam_incassant or "" for s in found)
    return max(counts, key=lambda name: counts[name])


# ---------------------------------------------------------------- signals


def signal_checks(registratienummer: str, day: date, *, signals: list[SignalFacts]) -> dict[str, Proposal]:
    """INCASSOKOSTEN_CORRECT and TIJDSTIP_BENADERING from the signals about one registration (those with a
    peildatum on or before ``day``: the caller's ``signals``)."""
    out: dict[str, Proposal] = {}
    costs = _costs(signals)
    if costs is not None:
        out[INCASSOKOSTEN_CORRECT] = costs
    timing = _contact_times(signals)
    if timing is not None:
        out[TIJDSTIP_BENADERING] = timing
    return out


def _letter(signal: SignalFacts) -> str:
    if signal.datum_brief is not None:
        return f"brief van {_d(signal.datum_brief)}"
    return f"ontvangen op {_d(signal.ontvangen_op)}"


def _costs(signals: list[SignalFacts]) -> Proposal | None:
    judged = [s for s in signals if s.bik_excess is not None]
    if not judged:
        return None
    exceeded = [s for s in judged if s.bik_exceeded]
    if not exceeded:
        return Proposal(Judgement.COMPLIES.value, (
            f"In {_plural(len(judged), 'signaal', 'signalen')} met hoofdsom en incassokosten "
            "blijven de incassokosten binnen het maximum van het BIK "
            "(inclusief btw).",), SOURCE_SIGNALS)
    reasons = [f"In {_plural(len(exceeded), 'signaal', 'signalen')} (van {len(judged)} met hoofdsom en "
               "incassokosten) liggen de incassokosten boven het maximum van het BIK inclusief btw:"]
    for s in exceeded:
        reasons.append(f"{s.referentie} ({s.bron_label}, {_letter(s)}): incassokosten {_euro(s.incassokosten)}, "
                       f"maximum {_euro(s.bik_ceiling)} inclusief btw, {_euro(s.bik_excess)} te veel.")
    return Proposal(Judgement.FAILS.value, tuple(reasons), SOURCE_SIGNALS)


def _contact_times(signals: list[SignalFacts]) -> Proposal | None:
    dated = [s for s in signals if s.datum_brief is not None]
    if not dated:
        return None
    forbidden: list[str] = []
    for s in dated:
        assert s.datum_brief is not None
        why = forbidden_contact(s.datum_brief, s.tijdstip_contact)
        if why is not None:
            at = f" om {s.tijdstip_contact:%H:%M}" if s.tijdstip_contact is not None else ""
            forbidden.append(f"{s.referentie} ({s.bron_label}, {_d(s.datum_brief)}{at}): {why}.")
    if forbidden:
        return Proposal(Judgement.FAILS.value, (
            f"{_plural(len(forbidden), 'signaal toont', 'signalen tonen')} contact op een verboden tijdstip "
            "(tussen 20:00 en 07:00, op zondag of op een feestdag):", *forbidden), SOURCE_SIGNALS)
    timed = [s for s in dated if s.tijdstip_contact is not None]
    untimed = len(dated) - len(timed)
    untimed_reason = (f"{_plural(untimed, 'brief zonder tijdstip valt', 'brieven zonder tijdstip vallen')} op een "
                      "werkdag; of er 's avonds of 's nachts contact was, blijkt daar niet uit.")
    if not timed:
        return Proposal(Judgement.NOT_JUDGED.value, (
            f"Geen van de {_plural(len(dated), 'gedateerde signaal', 'gedateerde signalen')} valt op een zondag "
            "of feestdag.", untimed_reason), SOURCE_SIGNALS)
    reasons = [f"{_plural(len(timed), 'signaal', 'signalen')} met datum en tijdstip van contact: geen contact "
               "tussen 20:00 en 07:00, op zondag of op een feestdag."]
    if untimed:
        reasons.append(untimed_reason)
    return Proposal(Judgement.COMPLIES.value, tuple(reasons), SOURCE_SIGNALS)


def signal_summary(registratienummer: str, day: date, *, signals: list[SignalFacts]) -> dict[str, Any]:
    """The volume and recency of the signals for the inspection page, as plain data with Dutch sentences:
    ``count``, ``last_date``, ``per_source`` ([(label, count)], most first), ``recent`` (peildatum within
    ``RECENT_DAYS`` before ``day``, ``day`` itself included), ``bik_excesses``, ``vulnerable``, ``sentences``."""
    relevant = [s for s in signals if s.reference_date <= day]
    recent_from = day - timedelta(days=RECENT_DAYS)
    per_source = Counter(s.bron_label for s in relevant)
    last = max((s.reference_date for s in relevant), default=None)
    recent = sum(1 for s in relevant if s.reference_date >= recent_from)
    bik = sum(1 for s in relevant if s.bik_exceeded)
    vulnerable = sum(1 for s in relevant if s.vulnerable)
    ordered = sorted(per_source.items(), key=lambda item: (-item[1], item[0]))
    sentences: list[str] = []
    if not relevant:
        sentences.append(f"Er zijn tot en met {_d(day)} geen signalen over registratie {registratienummer}.")
    else:
        assert last is not None
        sentences.append(f"{_plural(len(relevant), 'signaal', 'signalen')} tot en met {_d(day)}, het laatste "
                         f"op {_d(last)}.")
        sentences.append(f"{_plural(recent, 'signaal', 'signalen')} in de {RECENT_DAYS} dagen voor de "
                         "inspectiedatum.")
        sentences.append("Per bron: " + ", ".join(f"{label} {n}" for label, n in ordered) + ".")
        if bik:
            sentences.append(f"{_plural(bik, 'signaal', 'signalen')} met incassokosten boven het BIK-maximum.")
        if vulnerable:
            sentences.append(f"{_plural(vulnerable, 'signaal', 'signalen')} over een kwetsbare schuldenaar.")
    return {"count": len(relevant), "last_date": last, "per_source": ordered, "recent": recent,
            "bik_excesses": bik, "vulnerable": vulnerable, "sentences": sentences}


def automatic_proposals(registratienummer: str, day: date) -> dict[str, Proposal]:
    """Every register and signal proposal for one registration on the inspection date ``day`` (the signals
    are read once, those with a peildatum up to ``day``)."""
    signals = signals_about_registration(registratienummer, until=day)
    return {**register_checks(registratienummer, day, signals=signals),
            **signal_checks(registratienummer, day, signals=signals)}


def summary_for(registratienummer: str, day: date) -> dict[str, Any]:
    """``signal_summary`` of the signals about a registration up to the inspection date (the inspection page)."""
    return signal_summary(registratienummer, day, signals=signals_about_registration(registratienummer, until=day))
