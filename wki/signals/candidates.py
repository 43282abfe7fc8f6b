"""The signal page's side-by-side reads: the signal beside each party the matcher weighed, and the
explanation with its registration numbers as links.

The matcher keeps with every verdict the parties it weighed (``Signal.candidates``, best first; see
``matching.Matcher._candidate``): how alike the names are and which words agreed, the evidence for and
against, and what the verdict would be if the signal were about that party. This module adds what the
register said about each party *on the signal's reference date* (``wki.register.queries``): names as
written, identifiers, address, status and dates, or, for a reference date before the mirror's first
snapshot, what that first snapshot states (signalen.md). Each fact is set beside the signal's own, with
whether they agree ("gelijk" / "anders"), so a person can decide a doubtful signal.

Reads only; a bounded number of queries (at most two per shown candidate, ``SHOWN_CANDIDATES``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wki.core.formatting import fmt_date
from wki.register.queries import (
    EXEMPT,
    REGISTER,
    ExemptPartyVersion,
    RegistrationVersion,
    exempt_versions_of,
    mirror_start,
    registration_as_of,
    versions_of,
)
from wki.signals.matching import normalise_place, normalise_postcode
from wki.signals.models import VERDICTS_WITH_REGISTRATION, Signal, Verdict
from wki.signals.normalise import email_domain, normalise_iban, normalise_kvk, normalise_phone, registrable_domain

SAME = "gelijk"
DIFFERENT = "anders"

# The register's statuses as people read them.
REGISTER_STATUS = {"ingeschreven": "Ingeschreven", "doorgehaald": "Doorgehaald", "verlopen": "Verlopen"}
BEROEP = {"gerechtsdeurwaarder": "Gerechtsdeurwaarder", "advocaat": "Advocaat"}


@dataclass
class Fact:
    """One row of the side-by-side table: what the signal says, what the register says, and whether
    they agree (``comparison``: "gelijk", "anders", or None when one side says nothing)."""

    label: str
    signal: list[str]
    candidate: list[str]
    comparison: str | None = None
    detail: str | None = None  # what agreed ("postcode") or a remark


@dataclass
class CandidateView:
    number: int  # 1 is the best
    kind: str  # "register" or "vrijgesteld"
    key: str  # registratienummer, or the exempt office's name
    label: str
    name: str | None  # the party's name that compared best, as written in the register
    score: int | None  # name likeness 0-100
    outcome: str | None  # the verdict if the signal is about this party
    current: bool  # the party of the signal's present verdict
    words_agreed: list[tuple[str, str, str]] = field(default_factory=list)
    words_signal_only: list[str] = field(default_factory=list)
    words_party_only: list[str] = field(default_factory=list)
    conflict: str | None = None
    evidence_for: list[str] = field(default_factory=list)
    evidence_against: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    as_of_note: str | None = None  # how the register's data shown relate to the reference date
    in_mirror: bool = True

    @property
    def registratienummer(self) -> str | None:
        return self.key if self.kind == "register" else None

    @property
    def prefill(self) -> dict[str, str]:
        """What "Dit is de partij" fills in on the decision form."""
        outcome = self.outcome or ""
        nummer = self.key if self.kind == "register" and outcome in VERDICTS_WITH_REGISTRATION else ""
        return {"oordeel": outcome, "registratienummer": nummer}


# ---------------------------------------------------------------- comparing one fact


def _compare(mine: set[str], theirs: set[str]) -> str | None:
    if not mine or not theirs:
        return None
    return SAME if mine & theirs else DIFFERENT


def _iban_keys(values: Iterable[str | None]) -> set[str]:
    keys = set()
    for value in values:
        iban = normalise_iban(value)
        if iban is not None and iban.valid:
            keys.add(iban.compact)
    return keys


def _domains(websites: Iterable[str], emails: Iterable[str]) -> set[str]:
    found = {d for d in (registrable_domain(w) for w in websites) if d}
    found.update(d for d in (email_domain(e) for e in emails) if d)
    return found


def _iban_groups(value: str) -> str:
    """An IBAN as people read it, in groups of four (the register stores it without spaces)."""
    compact = "".join(value.split())
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _written(*values: str | None) -> list[str]:
    return [v for v in values if v]


def _signal_facts(signal: Signal) -> dict[str, Any]:
    """The signal's side, as written, with the normalised keys it is compared by."""
    domains = {d for d in (signal.domain, signal.email_domain) if d}
    iban_note = None
    if signal.iban_raw and signal.iban_valid is False:
        iban_note = "het IBAN van het signaal is ongeldig (controlegetal) en telt niet mee"
    return {
        "naam": _written(signal.naam_incassant),
        "kvk": (_written(signal.kvk_raw), {signal.kvk} if signal.kvk else set()),
        "iban": (_written(signal.iban_raw), {signal.iban} if signal.iban and signal.iban_valid else set(), iban_note),
        "web": (_written(signal.website_raw, signal.email_raw), domains),
        "phone": (_written(signal.telefoon_raw), {signal.phone} if signal.phone else set()),
        "address": (" ".join(_written(signal.postcode, signal.plaats)), normalise_postcode(signal.postcode),
                    normalise_place(signal.plaats)),
    }


def _address_fact(mine: tuple[str, str | None, str | None], postcode: str | None, plaats: str | None,
                  street: str | None = None) -> Fact:
    written, my_postcode, my_place = mine
    theirs = ", ".join(_written(street, " ".join(_written(postcode, plaats))))
    comparison, detail = None, None
    their_postcode, their_place = normalise_postcode(postcode), normalise_place(plaats)
    if my_postcode and their_postcode:
        comparison, detail = (SAME, "postcode") if my_postcode == their_postcode else (DIFFERENT, "postcode")
    if comparison != SAME and my_place and their_place:
        comparison, detail = (SAME, "plaats") if my_place == their_place else (comparison or DIFFERENT, detail or "plaats")
    return Fact("Adres", _written(written), _written(theirs), comparison, detail)


def _name_fact(signal_names: list[str], names: list[str], compared: str | None, score: int | None) -> Fact:
    ordered = ([compared] if compared in names else []) + [n for n in names if n != compared]
    # Names are alike by degree, not equal or not: the likeness, and the name it was measured against.
    detail = None
    if score is not None:
        detail = f"{score}% naamovereenkomst" + (f" met ‘{compared}’" if compared and len(names) > 1 else "")
    return Fact("Naam", signal_names, ordered, None, detail)


# ---------------------------------------------------------------- the register's side


def _registration_on(registratienummer: str, day: date,
                     start: date | None) -> tuple[RegistrationVersion | None, str | None, bool]:
    """The version of a registration to show for ``day``, a note when it is not simply the one held on
    that day, and whether the registration was valid on ``day`` (as the matcher reads it: signalen.md)."""
    version = registration_as_of(registratienummer, day)
    if version is not None:
        return version, None, version.is_valid_on(day)
    versions = versions_of(registratienummer)
    if not versions:
        return None, None, False
    first = versions[0]
    if start is not None and day < start:
        if first.valid_from <= start:
            return first, (f"De peildatum ligt vóór de eerste stand van de spiegel ({fmt_date(start)}): de gegevens "
                           "en data zoals die eerste stand ze vermeldt."), first.is_valid_on(day)
        return first, (f"Stond niet in de eerste stand van de spiegel ({fmt_date(start)}), dus ook niet op de "
                       f"peildatum; gegevens van {fmt_date(first.valid_from)}, toen de spiegel haar voor het eerst "
                       "zag."), False
    if first.valid_from > day:
        # The register records when a registration took effect: its own dates say whether it was valid.
        return first, (f"Stond op de peildatum nog niet in de spiegel; gegevens van {fmt_date(first.valid_from)}, "
                       "toen de spiegel haar voor het eerst zag."), first.is_valid_on(day)
    last = [v for v in versions if v.valid_from <= day][-1]
    until = f" (tot {fmt_date(last.valid_to)})" if last.valid_to else ""
    return last, f"Stond op de peildatum niet meer in het register; de laatst bekende gegevens{until}.", False


def _registration_facts(signal: Signal, mine: dict[str, Any], version: RegistrationVersion, valid: bool,
                        compared: str | None, score: int | None) -> list[Fact]:
    day = signal.reference_date
    names = [version.naam, *version.trade_names]
    kvk_written, kvk_keys = mine["kvk"]
    iban_written, iban_keys, iban_note = mine["iban"]
    web_written, web_keys = mine["web"]
    phone_written, phone_keys = mine["phone"]
    their_kvk = {k for k in (normalise_kvk(version.kvk_nummer),) if k}
    their_phones = {p for p in (normalise_phone(t) for t in version.phone_list) if p}
    status = REGISTER_STATUS.get(version.status, version.status.capitalize())
    return [
        _name_fact(mine["naam"], names, compared, score),
        Fact("KvK-nummer", kvk_written, _written(version.kvk_nummer), _compare(kvk_keys, their_kvk)),
        Fact("IBAN", iban_written, [_iban_groups(i) for i in version.iban_list],
             _compare(iban_keys, _iban_keys(version.iban_list)), iban_note),
        Fact("Website en e-mail", web_written, [*version.website_list, *version.email_list],
             _compare(web_keys, _domains(version.website_list, version.email_list))),
        Fact("Telefoonnummer", phone_written, version.phone_list, _compare(phone_keys, their_phones)),
        _address_fact(mine["address"], version.postcode, version.plaats,
                      " ".join(_written(version.straat, version.huisnummer)) or None),
        Fact("Geldig op de peildatum", [fmt_date(day)], ["ja" if valid else "nee"]),
        Fact("Status in het register", [], [status]),
        Fact("Datum inschrijving", [], _written(fmt_date(version.datum_inschrijving))),
        Fact("Datum einde", [], _written(fmt_date(version.datum_einde)) or ["geen"]),
        Fact("Geldig tot", [], _written(fmt_date(version.geldig_tot)) or ["niet vermeld"]),
    ]


def _exempt_on(party_key: str, day: date) -> tuple[ExemptPartyVersion | None, str | None]:
    versions = exempt_versions_of(party_key)
    if not versions:
        return None, None
    for version in versions:
        if version.valid_from <= day and (version.valid_to is None or day < version.valid_to):
            return version, None
    if versions[0].valid_from > day:
        start = mirror_start(EXEMPT)
        if start is not None and day < start and versions[0].valid_from <= start:
            return versions[0], (f"De peildatum ligt vóór de eerste lijst van vrijgestelden ({fmt_date(start)}); "
                                 "een beroep vervalt niet zoals een registratie, dus die lijst geldt.")
        return versions[0], f"Staat op de lijst van vrijgestelden vanaf {fmt_date(versions[0].valid_from)}."
    last = [v for v in versions if v.valid_from <= day][-1]
    return last, f"Stond op de peildatum niet meer op de lijst van vrijgestelden (tot {fmt_date(last.valid_to)})."


def _exempt_facts(mine: dict[str, Any], version: ExemptPartyVersion, score: int | None) -> list[Fact]:
    kvk_written, kvk_keys = mine["kvk"]
    web_written, web_keys = mine["web"]
    their_kvk = {k for k in (normalise_kvk(version.kvk_nummer),) if k}
    return [
        _name_fact(mine["naam"], [version.naam], version.naam, score),
        Fact("KvK-nummer", kvk_written, _written(version.kvk_nummer), _compare(kvk_keys, their_kvk)),
        Fact("Website en e-mail", web_written, version.website_list, _compare(web_keys, _domains(version.website_list, []))),
        _address_fact(mine["address"], None, version.plaats),
        Fact("Beroep", [], [BEROEP.get(version.beroep, version.beroep.capitalize())]),
    ]


# ---------------------------------------------------------------- the page's reads


def side_by_side(signal: Signal) -> list[CandidateView]:
    """Each party the matcher weighed for ``signal`` (best first), with the register's facts beside the
    signal's as they stood on its reference date."""
    stored = signal.candidates or []
    if not stored:
        return []
    mine = _signal_facts(signal)
    start = mirror_start(REGISTER)
    views = []
    for number, c in enumerate(stored, start=1):
        kind = c.get("kind") or "register"
        key = c.get("key") or ""
        score = c.get("score")
        current = (kind == "register" and key == signal.registratienummer and signal.verdict in VERDICTS_WITH_REGISTRATION) \
            or (kind == "vrijgesteld" and not signal.decided and signal.auto_exempt_name == c.get("label"))
        view = CandidateView(
            number=number, kind=kind, key=key, label=c.get("label") or key, name=c.get("name"), score=score,
            outcome=Verdict.coerce(c.get("outcome")), current=current,
            words_agreed=[tuple(w) for w in c.get("words_agreed") or []],
            words_signal_only=list(c.get("words_signal_only") or []),
            words_party_only=list(c.get("words_party_only") or []),
            conflict=c.get("conflict"), evidence_for=list(c.get("for") or []),
            evidence_against=list(c.get("against") or []))
        version: RegistrationVersion | ExemptPartyVersion | None
        if kind == "register":
            version, note, valid = _registration_on(key, signal.reference_date, start)
            if version is not None:
                view.facts = _registration_facts(signal, mine, version, valid, view.name, score)
        else:
            version, note = _exempt_on(c.get("ref") or "", signal.reference_date)
            if version is not None:
                view.facts = _exempt_facts(mine, version, score)
        view.as_of_note = note
        view.in_mirror = version is not None
        views.append(view)
    return views


def name_likeness(signal: Signal, views: list[CandidateView]) -> dict[str, Any]:
    """What the page shows instead of a bare "score": how alike the signal's name is to the party of its
    verdict, or else to the closest party. ``{"score": int | None, "label": str | None}``; a score of
    0 or None means no party has a name like it; ``no_name``: the signal names nobody (identifiers only)."""
    if not signal.name_key:
        return {"score": None, "label": None, "number": None, "no_name": True}
    scored = [v for v in views if v.score is not None]
    chosen = next((v for v in scored if v.current), None)
    if chosen is None and scored:
        chosen = max(scored, key=lambda v: (v.score, -v.number))
    if chosen is not None and chosen.score:
        return {"score": chosen.score, "label": chosen.label, "number": chosen.number}
    if not views and signal.score and signal.verdict == Verdict.UNREGISTERED:
        # Judged before candidates were kept: for this verdict the score is the closest name's likeness.
        return {"score": signal.score, "label": None, "number": None}
    return {"score": 0, "label": None, "number": None}


_DAY = re.compile(r"\b(\d{2})-(\d{2})-(\d{4})\b")


def _long_dates(text: str) -> str:
    """The matcher writes 05-03-2026; the page writes every date one way (5 maart 2026)."""
    def replace(match: re.Match[str]) -> str:
        try:
            return fmt_date(date(int(match[3]), int(match[2]), int(match[1])))
        except ValueError:
            return match[0]
    return _DAY.sub(replace, text)


def explanation(lines: list[str], numbers: Iterable[str | None]) -> list[dict[str, Any]]:
    """The explanation as items (an indented line goes under the one before), each a list of segments
    ``{"text": ...}`` or ``{"registratienummer": ...}``: the known registration numbers become links in
    the template, and the stored text itself is only ever shown as text."""
    known = sorted({n for n in numbers if n}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w/.-])(" + "|".join(re.escape(n) for n in known) + r")(?![\w/-])") if known else None

    def segments(text: str) -> list[dict[str, str]]:
        if pattern is None:
            return [{"text": _long_dates(text)}]
        parts: list[dict[str, str]] = []
        position = 0
        for match in pattern.finditer(text):
            if match.start() > position:
                parts.append({"text": _long_dates(text[position:match.start()])})
            parts.append({"registratienummer": match[1]})
            position = match.end()
        if position < len(text):
            parts.append({"text": _long_dates(text[position:])})
        return parts

    items: list[dict[str, Any]] = []
    for line in lines:
        if line.startswith(" ") and items:
            items[-1]["sub"].append(segments(line.strip()))
        else:
            items.append({"segments": segments(line.strip()), "sub": []})
    return items
